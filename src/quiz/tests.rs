//! Loading from `quizzes/`, checks against policies, and the example quizzes of this repository.

use std::path::Path;

use super::*;
use crate::content::load_policy;

/// The repository itself: its `content/` and `quizzes/` are the examples.
fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example_policies() -> Vec<Policy> {
    let mut policies = Vec::new();
    for name in [
        "acceptable-use",
        "data-protection",
        "e-safety",
        "social-media",
    ] {
        let relative = PathBuf::from(format!("content/{name}.md"));
        let bytes = std::fs::read(repo().join(&relative)).unwrap();
        let (policy, diags) = load_policy(&bytes, &relative, &relative);
        assert!(diags.is_empty(), "{diags:?}");
        policies.push(policy.unwrap());
    }
    policies
}

fn example_quizzes() -> Vec<Quiz> {
    let (quizzes, diags) = load_quizzes(repo(), Path::new("")).unwrap();
    assert!(diags.is_empty(), "{}", lines(&diags).join("\n"));
    quizzes
}

/// Diagnostics as one line each, `file:line:col: error: message (help: ...)`.
pub(super) fn lines(diags: &[Diagnostic]) -> Vec<String> {
    diags.iter().map(ToString::to_string).collect()
}

/// A policy loaded from Markdown, for checks against policies.
pub(super) fn policy(id: &str, body: &str) -> Policy {
    let source = format!("---\ntitle: T\nversion: \"1\"\nreview_due: 2030-01-01\n---\n{body}");
    let path = PathBuf::from(format!("content/{id}.md"));
    load_policy(source.as_bytes(), &path, &path).0.unwrap()
}

/// A quiz in the TOML format, named `quizzes/q.toml`, that must load without problems.
pub(super) fn toml_quiz(text: &str) -> Quiz {
    let (quiz, diags) = parse_toml(text, "q", Path::new("quizzes/q.toml"));
    assert!(diags.is_empty(), "{}", lines(&diags).join("\n"));
    quiz.unwrap()
}

/// The settings every GIFT test quiz uses.
pub(super) const SIDE: &str = "title = \"T\"\npolicy = \"p\"\npass_mark = 80\n";

/// A GIFT quiz, named `quizzes/g.gift`, that must load without problems.
pub(super) fn gift_quiz(text: &str) -> Quiz {
    let (quiz, diags) = gift_with(text, SIDE);
    assert!(diags.is_empty(), "{}", diags.join("\n"));
    quiz.unwrap()
}

/// A GIFT quiz with its side file: the quiz, if read, and its diagnostics as lines.
pub(super) fn gift_with(text: &str, side: &str) -> (Option<Quiz>, Vec<String>) {
    let (quiz, diags) = parse_gift(
        text,
        Path::new("quizzes/g.gift"),
        side,
        Path::new("quizzes/g.quiz.toml"),
        "g",
    );
    (quiz, lines(&diags))
}

/// Exports `quiz` as GIFT and reads it back with the same settings.
pub(super) fn gift_round_trip(quiz: &Quiz) -> Quiz {
    let gift = to_gift(quiz);
    let (back, diags) = gift_with(&gift, &side_file(quiz));
    assert!(diags.is_empty(), "{}\n---\n{gift}", diags.join("\n"));
    back.unwrap()
}

#[test]
fn example_quizzes_load_and_match_the_example_policies() {
    let quizzes = example_quizzes();
    let ids: Vec<&str> = quizzes.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "acceptable-use-quiz",
            "data-protection-quiz",
            "e-safety-quiz",
            "social-media-quiz"
        ]
    );
    let diags = validate_quizzes(&quizzes, &example_policies());
    assert!(diags.is_empty(), "{}", lines(&diags).join("\n"));
    let social = quizzes.iter().find(|q| q.policy == "social-media").unwrap();
    assert_eq!(social.format, SourceFormat::Gift);
    assert_eq!(social.path, Path::new("quizzes/social-media.gift"));
    assert_eq!(
        social.settings_path,
        Path::new("quizzes/social-media.quiz.toml")
    );
    let e_safety = quizzes.iter().find(|q| q.policy == "e-safety").unwrap();
    assert_eq!((e_safety.draw, e_safety.attempt_length()), (Some(6), 6));
}

#[test]
fn example_quizzes_are_complete() {
    for quiz in example_quizzes() {
        assert_eq!(quiz.pass_mark, 80, "{}", quiz.id);
        assert!((8..=10).contains(&quiz.questions.len()), "{}", quiz.id);
        let types: BTreeSet<&str> = quiz.questions.iter().map(|q| q.kind.type_name()).collect();
        for required in ["single", "multiple", "true-false", "short"] {
            assert!(types.contains(required), "{} has no {required}", quiz.id);
        }
        for q in &quiz.questions {
            let what = format!("{} {}", quiz.id, q.id);
            assert!(q.see.is_some(), "{what}: no `see`");
            assert!(q.line > 0, "{what}");
            match &q.kind {
                QuestionKind::SingleChoice { options }
                | QuestionKind::MultipleResponse { options } => {
                    assert!(options.iter().all(|o| o.feedback.is_some()), "{what}");
                }
                QuestionKind::TrueFalse {
                    feedback_true,
                    feedback_false,
                    ..
                } => assert!(
                    feedback_true.is_some() && feedback_false.is_some(),
                    "{what}"
                ),
                QuestionKind::ShortAnswer { feedback, .. } => {
                    assert!(feedback.is_some() && q.general_feedback.is_some(), "{what}")
                }
                QuestionKind::Matching { .. } => assert!(q.general_feedback.is_some(), "{what}"),
            }
        }
    }
}

#[test]
fn every_example_quiz_round_trips_through_gift() {
    for quiz in example_quizzes() {
        let back = gift_round_trip(&quiz);
        assert!(quiz.same_content(&back), "{}", quiz.id);
        assert_eq!(back.format, SourceFormat::Gift);
        // Exporting what was read back writes the same text again.
        assert_eq!(to_gift(&back), to_gift(&quiz), "{}", quiz.id);
    }
}

#[test]
fn the_gift_example_reads_as_written() {
    let quiz = example_quizzes()
        .into_iter()
        .find(|q| q.format == SourceFormat::Gift)
        .unwrap();
    let q = quiz.question("smq-account-security").unwrap();
    assert_eq!(q.see.as_deref(), Some("4-1-who-may-post"));
    let QuestionKind::MultipleResponse { options } = &q.kind else {
        panic!("{:?}", q.kind)
    };
    let weights: Vec<f64> = options.iter().map(|o| o.weight).collect();
    assert_eq!(weights, [33.33333, 33.33333, 33.33333, -50.0]);
    let q = quiz.question("smq-former-learners").unwrap();
    let QuestionKind::TrueFalse {
        answer: true,
        feedback_true: Some(right),
        feedback_false: Some(wrong),
    } = &q.kind
    else {
        panic!("{:?}", q.kind)
    };
    assert!(right.starts_with("Right."), "{right}");
    assert!(wrong.starts_with("It is allowed"), "{wrong}");
}

#[test]
fn serialises_for_the_browser_without_bookkeeping() {
    let quiz = toml_quiz(
        "title = \"T\"\npolicy = \"p\"\npass_mark = 80\n\n[[question]]\nid = \"a\"\ntype = \"true-false\"\ntext = \"X?\"\nanswer = true\n",
    );
    let json = serde_json::to_value(&quiz).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "id": "q", "title": "T", "policy": "p", "pass_mark": 80, "draw": null,
            "shuffle": true, "format": "toml",
            "questions": [{
                "id": "a", "text": "X?", "type": "true-false", "answer": true,
                "feedback_true": null, "feedback_false": null,
                "general_feedback": null, "see": null, "line": 5
            }]
        })
    );
}

#[test]
fn serialises_short_answers_and_pairs_with_the_toml_names() {
    let quiz = gift_quiz("::s:: Q {=a #fb}\n\n::m:: Q {=x -> 1 =y -> 2}\n");
    let json = serde_json::to_value(&quiz.questions).unwrap();
    assert_eq!(json[0]["accepted"], serde_json::json!(["a"]));
    assert_eq!(json[0]["answer_feedback"], "fb");
    assert_eq!(
        json[1]["pairs"],
        serde_json::json!([{ "left": "x", "right": "1" }, { "left": "y", "right": "2" }])
    );
}

#[test]
fn helpers_describe_questions() {
    let quiz = example_quizzes();
    let kinds: BTreeSet<(&str, &str)> = quiz
        .iter()
        .flat_map(|q| &q.questions)
        .map(|q| (q.kind.type_name(), q.kind.scorm_type()))
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            ("matching", "matching"),
            ("multiple", "choice"),
            ("short", "fill-in"),
            ("single", "choice"),
            ("true-false", "true-false"),
        ]
    );
    let q = quiz[0].question("auq-passphrase-length").unwrap();
    assert!(q.kind.accepts("  Fourteen ") && q.kind.accepts("14") && !q.kind.accepts("12"));
    assert_eq!(q.max_score(), 1.0);
}

// ---------------------------------------------------------------------------------------------
// Loading from a project folder.

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const TOML_QUIZ: &str = "title = \"T\"\npolicy = \"p\"\npass_mark = 80\n\n[[question]]\nid = \"a\"\ntype = \"true-false\"\ntext = \"X?\"\nanswer = true\n";
const GIFT_QUESTION: &str = "::a:: X? {TRUE}\n";

fn load(dir: &tempfile::TempDir) -> (Vec<String>, Vec<String>) {
    let (quizzes, diags) = load_quizzes(dir.path(), Path::new("")).unwrap();
    (quizzes.into_iter().map(|q| q.id).collect(), lines(&diags))
}

#[test]
fn loads_both_formats_in_sorted_order_and_skips_hidden_files() {
    let dir = project(&[
        ("quizzes/b.toml", TOML_QUIZ),
        (
            "quizzes/c.toml",
            &TOML_QUIZ.replace("title", "id = \"d\"\ntitle"),
        ),
        ("quizzes/a/c.gift", GIFT_QUESTION),
        ("quizzes/a/c.quiz.toml", SIDE),
        ("quizzes/_drafts/d.toml", "not toml"),
        ("quizzes/.e.toml", "not toml"),
        ("quizzes/notes.md", "not a quiz"),
    ]);
    assert_eq!(
        load(&dir),
        (vec!["c".into(), "b".into(), "d".into()], vec![])
    );
}

#[test]
fn no_quiz_folder_means_no_quizzes() {
    let dir = project(&[]);
    assert_eq!(load(&dir), (vec![], vec![]));
}

#[test]
fn a_gift_quiz_needs_its_side_file() {
    let dir = project(&[("quizzes/social.gift", GIFT_QUESTION)]);
    assert_eq!(
        load(&dir),
        (
            vec![],
            vec![
                "quizzes/social.gift: error: missing settings file `social.quiz.toml` for this GIFT quiz (help: GIFT holds only questions: create `quizzes/social.quiz.toml` with the quiz settings, e.g. `title = \"…\"`, `policy = \"<policy id>\"`, `pass_mark = 80` (optional: `id`, `draw`, `shuffle`))".to_owned()
            ]
        )
    );
}

#[test]
fn a_side_file_needs_its_gift_file() {
    let dir = project(&[("quizzes/social.quiz.toml", SIDE)]);
    assert_eq!(
        load(&dir).1,
        [
            "quizzes/social.quiz.toml: error: `social.quiz.toml` is a GIFT quiz's settings file, but there is no `social.gift` (help: add the questions in `social.gift`, or rename this file to `social.toml` and add `[[question]]` tables to make it a quiz on its own)"
        ]
    );
}

#[test]
fn a_file_that_is_not_utf8_is_reported() {
    let dir = project(&[]);
    std::fs::create_dir_all(dir.path().join("quizzes")).unwrap();
    std::fs::write(dir.path().join("quizzes/q.toml"), b"title = \"\xff\"\n").unwrap();
    assert_eq!(
        load(&dir).1,
        [
            "quizzes/q.toml:1:10: error: the file is not valid UTF-8 (help: save the file as UTF-8 (in Word or Notepad: Save As → Encoding: UTF-8))"
        ]
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed() {
    let dir = project(&[
        ("outside.toml", TOML_QUIZ),
        ("quizzes/x.gift", GIFT_QUESTION),
    ]);
    let quizzes = dir.path().join("quizzes");
    std::os::unix::fs::symlink(dir.path().join("outside.toml"), quizzes.join("linked.toml"))
        .unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside.toml"), quizzes.join("x.quiz.toml"))
        .unwrap();
    assert_eq!(
        load(&dir),
        (
            vec![],
            vec!["quizzes/x.quiz.toml: error: `x.quiz.toml` is a symbolic link, which policybook does not follow (help: replace the link with the file itself)".to_owned()]
        )
    );
}

#[test]
fn messages_name_files_under_the_display_root() {
    let dir = project(&[("quizzes/q.toml", "title = 1\n")]);
    let (_, diags) = load_quizzes(dir.path(), Path::new("site")).unwrap();
    assert_eq!(
        lines(&diags),
        [
            "site/quizzes/q.toml:1:9: error: invalid type: integer `1`, expected a string (help: check the TOML syntax at this position (strings are quoted, e.g. `title = \"...\"`))"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Checks against policies.

#[test]
fn reports_an_unknown_policy_with_a_suggestion() {
    let quiz = toml_quiz(&TOML_QUIZ.replace("\"p\"", "\"esafety\""));
    let diags = validate_quizzes(std::slice::from_ref(&quiz), &[policy("e-safety", "## A\n")]);
    assert_eq!(
        lines(&diags),
        [
            "quizzes/q.toml:2:11: error: the quiz tests policy `esafety`, which does not exist (help: did you mean `e-safety`?)"
        ]
    );
    let diags = validate_quizzes(&[quiz], &[policy("data-protection", "## A\n")]);
    assert_eq!(
        lines(&diags),
        [
            "quizzes/q.toml:2:11: error: the quiz tests policy `esafety`, which does not exist (help: use the id of a policy in content/: its file name without `.md`, or its `id:`)"
        ]
    );
}

#[test]
fn reports_see_anchors_that_are_not_sections_of_the_policy() {
    let quiz = toml_quiz(&format!(
        "{TOML_QUIZ}see = \"4-2-filtering\"\n\n[[question]]\nid = \"b\"\ntype = \"true-false\"\ntext = \"Y?\"\nanswer = false\nsee = \"#9-nothing-like-it\"\n"
    ));
    let p = policy("p", "## 4.2 Filtering and monitoring\n\n## 4.3 Filtering\n");
    assert_eq!(
        lines(&validate_quizzes(std::slice::from_ref(&quiz), &[p])),
        [
            "quizzes/q.toml:10:8: error: `4-2-filtering` is not a section of policy `p` (help: did you mean `4-3-filtering`?)",
            "quizzes/q.toml:17:9: error: `9-nothing-like-it` is not a section of policy `p` (help: use the anchor of a heading in content/p.md: its text in lower case with `-` between words, e.g. `## 4.2 Filtering and monitoring` → `4-2-filtering-and-monitoring`)",
        ]
    );
    let p = policy("p", "## 4.2 Filtering\n\n## 9. Nothing like it\n");
    assert!(validate_quizzes(&[quiz], &[p]).is_empty());
}

#[test]
fn reports_see_anchors_of_gift_quizzes_in_the_gift_file() {
    let quiz = gift_quiz("// see: 4-3-trainin\n::a:: X? {TRUE}\n");
    let p = policy("p", "## 4.3 Training\n");
    assert_eq!(
        lines(&validate_quizzes(&[quiz], &[p])),
        [
            "quizzes/g.gift:1:9: error: `4-3-trainin` is not a section of policy `p` (help: did you mean `4-3-training`?)"
        ]
    );
}

#[test]
fn reports_an_unknown_policy_of_a_gift_quiz_in_its_side_file() {
    let (quiz, _) = gift_with(
        "::a:: X? {TRUE}\n",
        "title = \"T\"\n\npolicy = \"nope\"\npass_mark = 80\n",
    );
    assert_eq!(
        lines(&validate_quizzes(
            &[quiz.unwrap()],
            &[policy("p", "## A\n")]
        )),
        [
            "quizzes/g.quiz.toml:3:11: error: the quiz tests policy `nope`, which does not exist (help: use the id of a policy in content/: its file name without `.md`, or its `id:`)"
        ]
    );
}

#[test]
fn reports_duplicate_quiz_ids() {
    let first = toml_quiz(TOML_QUIZ);
    let (second, _) = gift_with("::a:: X? {TRUE}\n", &format!("{SIDE}id = \"q\"\n"));
    let diags = validate_quizzes(&[first, second.unwrap()], &[policy("p", "## A\n")]);
    assert_eq!(
        lines(&diags),
        [
            "quizzes/g.quiz.toml:4:1: error: duplicate quiz id `q`: quizzes/q.toml already uses it (help: every quiz needs its own id: set a different `id` or rename one of the files)"
        ]
    );
}

#[test]
fn an_empty_policy_is_reported_once() {
    let (quiz, diags) = parse_toml(
        &TOML_QUIZ.replace("\"p\"", "\"\""),
        "q",
        Path::new("quizzes/q.toml"),
    );
    assert_eq!(
        lines(&diags),
        [
            "quizzes/q.toml:2:10: error: `policy` is empty (help: write the id of the policy the quiz tests, e.g. `policy = \"e-safety\"`)"
        ]
    );
    assert!(validate_quizzes(&[quiz.unwrap()], &[policy("p", "## A\n")]).is_empty());
}
