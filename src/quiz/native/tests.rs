use std::path::Path;

use super::super::tests::{lines, toml_quiz};
use super::*;

const HEAD: &str = "title = \"T\"\npolicy = \"p\"\npass_mark = 80\n";

/// The diagnostics of a TOML quiz named `quizzes/q.toml`, one line each.
fn problems(text: &str) -> Vec<String> {
    lines(&parse_toml(text, "q", Path::new("quizzes/q.toml")).1)
}

#[test]
fn reads_every_question_type() {
    let quiz = toml_quiz(
        r##"
id = "e-safety-quiz"
title = "  E-Safety quiz  "
policy = "e-safety"
pass_mark = 75
draw = 2
shuffle = false

[[question]]
id = "q.single_1"
type = "single"
text = """
Which *one*?

Second paragraph.
"""
see = "#4-2-filtering"
feedback = "General."
options = [
  { text = "Right", correct = true, feedback = "Yes." },
  { text = "Wrong", feedback = "" },
]

[[question]]
id = "multi"
type = "multiple"
text = "Which?"
options = [
  { text = "A", correct = true },
  { text = "B", correct = true },
  { text = "C", correct = true },
  { text = "D", weight = -50 },
  { text = "E" },
]

[[question]]
id = "weighted"
type = "multiple"
text = "Which?"
options = [
  { text = "A", correct = true, weight = 75 },
  { text = "B", correct = true, weight = 25.0 },
  { text = "C", correct = false },
]

[[question]]
id = "tf"
type = "true-false"
text = "True?"
answer = false
feedback_true = "No."
feedback_false = "Yes."

[[question]]
id = "short"
type = "short"
text = "Word?"
answers = [" Phishing ", "a phishing email"]
answer_feedback = "Right."

[[question]]
id = "match"
type = "matching"
text = "Match."
pairs = [{ left = "A", right = "1" }, { left = "B", right = "2" }]
"##,
    );
    assert_eq!(
        (quiz.id.as_str(), quiz.title.as_str(), quiz.policy.as_str()),
        ("e-safety-quiz", "E-Safety quiz", "e-safety")
    );
    assert_eq!(
        (quiz.pass_mark, quiz.draw, quiz.shuffle),
        (75, Some(2), false)
    );
    assert_eq!((quiz.policy_line, quiz.id_line), (4, Some(2)));
    assert_eq!(quiz.format, SourceFormat::Toml);
    assert_eq!(quiz.settings_path, Path::new("quizzes/q.toml"));

    let single = &quiz.questions[0];
    assert_eq!(single.text, "Which *one*?\n\nSecond paragraph.");
    assert_eq!(single.see.as_deref(), Some("4-2-filtering"));
    assert_eq!((single.line, single.see_line), (9, Some(17)));
    assert_eq!(single.general_feedback.as_deref(), Some("General."));
    assert_eq!(
        single.kind,
        QuestionKind::SingleChoice {
            options: vec![
                Choice {
                    text: "Right".into(),
                    correct: true,
                    weight: 100.0,
                    feedback: Some("Yes.".into())
                },
                Choice {
                    text: "Wrong".into(),
                    correct: false,
                    weight: 0.0,
                    feedback: None
                },
            ]
        }
    );
    let weights =
        |q: &Question| -> Vec<f64> { q.kind.options().iter().map(|o| o.weight).collect() };
    assert_eq!(
        weights(&quiz.questions[1]),
        [33.33333, 33.33333, 33.33333, -50.0, 0.0]
    );
    assert_eq!(weights(&quiz.questions[2]), [75.0, 25.0, 0.0]);
    assert_eq!(
        quiz.questions[3].kind,
        QuestionKind::TrueFalse {
            answer: false,
            feedback_true: Some("No.".into()),
            feedback_false: Some("Yes.".into())
        }
    );
    assert_eq!(
        quiz.questions[4].kind,
        QuestionKind::ShortAnswer {
            accepted: vec!["Phishing".into(), "a phishing email".into()],
            feedback: Some("Right.".into())
        }
    );
    assert_eq!(
        quiz.questions[5].kind,
        QuestionKind::Matching {
            pairs: vec![("A".into(), "1".into()), ("B".into(), "2".into())]
        }
    );
}

#[test]
fn defaults_the_id_to_the_file_stem_and_shuffles() {
    let quiz = toml_quiz(&format!(
        "{HEAD}[[question]]\nid = \"a\"\ntype = \"true-false\"\ntext = \"X\"\nanswer = true\n"
    ));
    assert_eq!(
        (quiz.id.as_str(), quiz.id_line, quiz.shuffle, quiz.draw),
        ("q", None, true, None)
    );
}

#[test]
fn reports_toml_errors_at_their_position() {
    assert_eq!(
        problems(&format!("{HEAD}pass_mrk = 3\n")),
        [
            "quizzes/q.toml:4:1: error: unknown field `pass_mrk`, expected one of `id`, `title`, `policy`, `pass_mark`, `draw`, `shuffle`, `question` (help: check the spelling; quiz keys are id, title, policy, pass_mark, draw, shuffle and `[[question]]` tables with id, type, text, see, feedback and the keys of their type)"
        ]
    );
    assert_eq!(
        problems(&format!(
            "{HEAD}\n[[question]]\nid = \"a\"\ntype = \"single\"\ntext = \"X\"\noptions = [{{ text = \"A\", corect = true }}]\n"
        )),
        [
            "quizzes/q.toml:9:26: error: unknown field `corect`, expected one of `text`, `correct`, `weight`, `feedback` (help: check the spelling; quiz keys are id, title, policy, pass_mark, draw, shuffle and `[[question]]` tables with id, type, text, see, feedback and the keys of their type)"
        ]
    );
    assert_eq!(
        problems(&format!("{HEAD}\n[[question]]\nid = \"a\"\ntext = \"X\"\n")),
        [
            "quizzes/q.toml:5:1: error: missing field `type` (help: add the missing key to this table)"
        ]
    );
    assert_eq!(
        problems(&format!("{HEAD}\n[question]\nid = \"a\"\n")),
        [
            "quizzes/q.toml:5:1: error: invalid type: map, expected a sequence (help: write each question as a `[[question]]` table (double brackets), and lists as `[...]`)"
        ]
    );
    assert_eq!(
        problems("title = \"T\n"),
        [
            "quizzes/q.toml:1:11: error: invalid basic string, expected `\"` (help: check the TOML syntax at this position (strings are quoted, e.g. `title = \"...\"`))"
        ]
    );
}

#[test]
fn reports_missing_and_invalid_settings() {
    let question = "[[question]]\nid = \"a\"\ntype = \"true-false\"\ntext = \"X\"\nanswer = true\n";
    assert_eq!(
        problems(question),
        [
            "quizzes/q.toml:1:1: error: missing `title` (help: add a line such as `title = \"E-Safety Policy: check your understanding\"` at the top of the file: the title shown to learners)",
            "quizzes/q.toml:1:1: error: missing `policy` (help: add a line such as `policy = \"e-safety\"` at the top of the file: the id of the policy the quiz tests)",
            "quizzes/q.toml:1:1: error: missing `pass_mark` (help: add a line such as `pass_mark = 80`: the percentage of marks needed to pass)",
        ]
    );
    assert_eq!(
        problems(&format!(
            "id = \"E Safety\"\ntitle = \" \"\npolicy = \"p\"\npass_mark = 101\ndraw = 0\n{question}"
        )),
        [
            "quizzes/q.toml:1:6: error: `E Safety` is not a valid quiz id (help: use lower-case letters, digits, `-` and `_`, e.g. `id = \"e-safety-quiz\"`)",
            "quizzes/q.toml:2:9: error: `title` is empty (help: write the title shown to learners, e.g. `title = \"E-Safety Policy: check your understanding\"`)",
            "quizzes/q.toml:4:13: error: pass mark 101 is outside 0–100 (help: `pass_mark` is a percentage, e.g. `pass_mark = 80`)",
            "quizzes/q.toml:5:8: error: `draw = 0` asks for no questions (help: remove `draw` to ask every question, or set how many questions one attempt asks)",
        ]
    );
    assert_eq!(
        problems(&format!("{HEAD}pass_mark = -1\n")),
        [
            "quizzes/q.toml:4:1: error: duplicate key (help: check the TOML syntax at this position (strings are quoted, e.g. `title = \"...\"`))"
        ]
    );
    let (_, diags) = parse_toml(
        &format!("title = \"T\"\npolicy = \"p\"\npass_mark = -1\n{question}"),
        "Bad Name",
        Path::new("quizzes/Bad Name.toml"),
    );
    assert_eq!(
        lines(&diags),
        [
            "quizzes/Bad Name.toml:1:1: error: `Bad Name` is not a valid quiz id (help: rename the file, or set an id, e.g. `id = \"bad-name\"`)",
            "quizzes/Bad Name.toml:3:13: error: pass mark -1 is outside 0–100 (help: `pass_mark` is a percentage, e.g. `pass_mark = 80`)",
        ]
    );
}

#[test]
fn reports_a_draw_larger_than_the_pool_and_an_empty_quiz() {
    let question = "[[question]]\nid = \"a\"\ntype = \"true-false\"\ntext = \"X\"\nanswer = true\n";
    assert_eq!(
        problems(&format!("{HEAD}draw = 2\n{question}")),
        [
            "quizzes/q.toml:4:8: error: `draw = 2` is more than the 1 question in the quiz (help: lower `draw`, or add questions to the pool)"
        ]
    );
    assert_eq!(
        problems(HEAD),
        [
            "quizzes/q.toml:1:1: error: the quiz has no questions (help: add questions as `[[question]]` tables with `id`, `type` and `text`)"
        ]
    );
}

#[test]
fn reports_unknown_types_and_keys_of_other_types() {
    assert_eq!(
        problems(&format!(
            "{HEAD}[[question]]\nid = \"a\"\ntype = \"singel\"\ntext = \"X\"\n"
        )),
        [
            "quizzes/q.toml:6:8: error: unknown question type `singel` (help: did you mean `single`?)"
        ]
    );
    assert_eq!(
        problems(&format!(
            "{HEAD}[[question]]\nid = \"a\"\ntype = \"essay\"\ntext = \"X\"\n"
        )),
        [
            "quizzes/q.toml:6:8: error: unknown question type `essay` (help: use one of: single, multiple, true-false, short, matching)"
        ]
    );
    assert_eq!(
        problems(&format!(
            "{HEAD}[[question]]\nid = \"a\"\ntype = \"single\"\ntext = \"X\"\nanswer = true\n  answers = [\"x\"]\n"
        )),
        [
            "quizzes/q.toml:8:1: error: `answer` does not apply to a `single` question (help: a `single` question takes `options`)",
            "quizzes/q.toml:9:3: error: `answers` does not apply to a `single` question (help: a `single` question takes `options`)",
        ]
    );
    assert_eq!(
        problems(&format!(
            "{HEAD}[[question]]\nid = \"a\"\ntype = \"true-false\"\ntext = \"X\"\noptions = []\nanswer = true\n"
        )),
        [
            "quizzes/q.toml:8:1: error: `options` does not apply to a `true-false` question (help: a `true-false` question takes `answer`, `feedback_true`, `feedback_false`)"
        ]
    );
}

#[test]
fn reports_missing_answers_of_each_type() {
    let missing = |kind: &str| {
        problems(&format!(
            "{HEAD}[[question]]\nid = \"a\"\ntype = \"{kind}\"\ntext = \"X\"\n"
        ))
    };
    assert_eq!(
        missing("multiple"),
        [
            "quizzes/q.toml:4:1: error: missing `options` in a `multiple` question (help: add `options = [{ text = \"...\", correct = true }, { text = \"...\" }]`)"
        ]
    );
    assert_eq!(
        missing("true-false"),
        [
            "quizzes/q.toml:4:1: error: missing `answer` in a `true-false` question (help: add `answer = true`)"
        ]
    );
    assert_eq!(
        missing("short"),
        [
            "quizzes/q.toml:4:1: error: missing `answers` in a `short` question (help: add `answers = [\"...\", \"...\"]`)"
        ]
    );
    assert_eq!(
        missing("matching"),
        [
            "quizzes/q.toml:4:1: error: missing `pairs` in a `matching` question (help: add `pairs = [{ left = \"...\", right = \"...\" }, ...]`)"
        ]
    );
}

#[test]
fn reports_weights_that_do_not_fit() {
    let question = |options: &str| {
        problems(&format!(
            "{HEAD}[[question]]\nid = \"a\"\ntype = \"multiple\"\ntext = \"X\"\noptions = [\n{options}]\n"
        ))
    };
    assert_eq!(
        question(
            "{ text = \"A\", correct = true, weight = 60 },\n{ text = \"B\", correct = true },\n"
        ),
        [
            "quizzes/q.toml:4:1: error: some correct options have a `weight` and some do not (help: give every correct option a `weight` (adding up to 100), or none to share 100% equally)"
        ]
    );
    assert_eq!(
        question("{ text = \"A\", correct = true, weight = 0 },\n{ text = \"B\", weight = 50 },\n"),
        [
            "quizzes/q.toml:9:31: error: a correct option has weight 0% (help: a correct option's weight is positive; mark the option `correct = false` to make it a penalty)",
            "quizzes/q.toml:10:15: error: an option not marked `correct = true` has weight 50% (help: add `correct = true`, or make the weight 0 or negative (a penalty for choosing it))",
        ]
    );
    assert_eq!(
        problems(&format!(
            "{HEAD}[[question]]\nid = \"a\"\ntype = \"single\"\ntext = \"X\"\noptions = [\n{{ text = \"A\", correct = true, weight = 100 }},\n{{ text = \"B\" }},\n]\n"
        )),
        [
            "quizzes/q.toml:9:31: error: `weight` applies only to `multiple` questions (help: a `single` question has one correct option, worth 100%: remove `weight`, or use `type = \"multiple\"`)"
        ]
    );
}

#[test]
fn a_side_file_holds_settings_only() {
    let (settings, diags) = parse_side_file(
        &format!(
            "{HEAD}\n[[question]]\nid = \"a\"\ntype = \"true-false\"\ntext = \"X\"\nanswer = true\n"
        ),
        "g",
        Path::new("quizzes/g.quiz.toml"),
    );
    assert!(settings.is_some());
    assert_eq!(
        lines(&diags),
        [
            "quizzes/g.quiz.toml:5:1: error: a GIFT quiz's settings file cannot hold questions (help: write the questions in GIFT in `g.gift`)"
        ]
    );
}

#[test]
fn equal_shares_use_moodles_rounding() {
    assert_eq!(
        [1, 2, 3, 6, 7, 9].map(equal_share),
        [100.0, 50.0, 33.33333, 16.66667, 14.28571, 11.11111]
    );
}

#[test]
fn an_empty_see_is_reported() {
    assert_eq!(
        problems(&format!(
            "{HEAD}[[question]]\nid = \"a\"\ntype = \"true-false\"\ntext = \"X\"\nanswer = true\nsee = \" # \"\n"
        )),
        [
            "quizzes/q.toml:9:7: error: `see` is empty (help: write the anchor of a section of the policy, e.g. `see = \"4-2-filtering-and-monitoring\"`, or remove `see`)"
        ]
    );
}

#[test]
fn points_at_keys_and_negative_draws() {
    assert_eq!(
        problems(&format!(
            "{HEAD}draw = -2\n[[question]]\nid = \"a\"\ntype = \"single\"\ntext = \"X\"\noptions = [\n{{ text = \"weight loss\", correct = true, weight = 100 }},\n{{ text = \"B\" }},\n]\n"
        )),
        [
            "quizzes/q.toml:4:8: error: `draw = -2` is not a number of questions (help: remove `draw` to ask every question, or set how many questions one attempt asks)",
            "quizzes/q.toml:10:41: error: `weight` applies only to `multiple` questions (help: a `single` question has one correct option, worth 100%: remove `weight`, or use `type = \"multiple\"`)",
        ]
    );
}
