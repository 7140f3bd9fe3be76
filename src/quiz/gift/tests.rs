use super::super::tests::{SIDE, gift_quiz, gift_round_trip, gift_with};
use super::*;

/// The single question of a GIFT file that must load without problems.
fn one(text: &str) -> Question {
    let mut quiz = gift_quiz(text);
    assert_eq!(quiz.questions.len(), 1, "{:?}", quiz.questions);
    quiz.questions.remove(0)
}

fn problems(text: &str) -> Vec<String> {
    gift_with(text, SIDE).1
}

/// The one problem of a GIFT file.
fn problem(text: &str) -> String {
    let problems = problems(text);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    problems.into_iter().next().unwrap_or_default()
}

fn choice(text: &str, weight: f64, feedback: Option<&str>) -> Choice {
    Choice {
        text: text.into(),
        correct: weight > 0.0,
        weight,
        feedback: feedback.map(Into::into),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading.

#[test]
fn reads_a_single_choice_question() {
    let q = one(
        "// see: 4-2-filtering\n::esq-1:: Which one?\n{\n  =Right #Yes.\n  ~Wrong#No.\n  ~Other\n  ####General.\n}\n",
    );
    assert_eq!((q.id.as_str(), q.text.as_str()), ("esq-1", "Which one?"));
    assert_eq!(
        (q.line, q.see.as_deref(), q.see_line),
        (2, Some("4-2-filtering"), Some(1))
    );
    assert_eq!(q.general_feedback.as_deref(), Some("General."));
    assert_eq!(
        q.kind,
        QuestionKind::SingleChoice {
            options: vec![
                choice("Right", 100.0, Some("Yes.")),
                choice("Wrong", 0.0, Some("No.")),
                choice("Other", 0.0, None),
            ]
        }
    );
}

#[test]
fn reads_weights_of_a_multiple_response_question() {
    let q = one("::m:: Which? {~%50%A ~%50.0%B ~%-33.33333%C ~%-5.%D ~E #fb}\n");
    assert_eq!(
        q.kind,
        QuestionKind::MultipleResponse {
            options: vec![
                choice("A", 50.0, None),
                choice("B", 50.0, None),
                choice("C", -33.33333, None),
                choice("D", -5.0, None),
                choice("E", 0.0, Some("fb")),
            ]
        }
    );
    // `%100%` fits Moodle's pattern too: one right answer of a multiple-response question.
    let q = one("::m:: Which? {~%100%A ~B}\n");
    assert_eq!(q.kind.options()[0].weight, 100.0);
    assert_eq!(q.kind.type_name(), "multiple");
}

#[test]
fn reads_true_false_feedback_as_moodle_does() {
    let tf = |text: &str| one(&format!("::t:: Q? {{{text}}}\n")).kind;
    let kind = |answer, t: Option<&str>, f: Option<&str>| QuestionKind::TrueFalse {
        answer,
        feedback_true: t.map(Into::into),
        feedback_false: f.map(Into::into),
    };
    // The first `#` is the feedback for a wrong answer, the second for a right one.
    assert_eq!(
        tf("TRUE#wrong#right"),
        kind(true, Some("right"), Some("wrong"))
    );
    assert_eq!(
        tf("FALSE#wrong#right"),
        kind(false, Some("wrong"), Some("right"))
    );
    assert_eq!(tf("T"), kind(true, None, None));
    assert_eq!(tf("F #wrong"), kind(false, Some("wrong"), None));
    assert_eq!(tf("TRUE##right"), kind(true, Some("right"), None));
    assert_eq!(tf("T#a#b#c"), kind(true, Some("b#c"), Some("a")));
    assert_eq!(tf("FALSE#w####general"), kind(false, Some("w"), None));
    assert_eq!(
        one("::t:: Q? {FALSE#w####general}")
            .general_feedback
            .as_deref(),
        Some("general")
    );
}

#[test]
fn reads_short_answers_with_one_feedback() {
    let q = one("::s:: Word? {=Phishing =a phishing email #Right.\n####See 4.2.}\n");
    assert_eq!(
        q.kind,
        QuestionKind::ShortAnswer {
            accepted: vec!["Phishing".into(), "a phishing email".into()],
            feedback: Some("Right.".into())
        }
    );
    assert_eq!(q.general_feedback.as_deref(), Some("See 4.2."));
    let q = one("::s:: Word? {=%100%a #Same. =b #Same.}\n");
    assert_eq!(
        q.kind,
        QuestionKind::ShortAnswer {
            accepted: vec!["a".into(), "b".into()],
            feedback: Some("Same.".into())
        }
    );
}

#[test]
fn reads_matching_pairs() {
    let q = one(
        "::m:: Match. {\n=Content risk -> Extremist material\n=Contact->Grooming -> online\n}\n",
    );
    assert_eq!(
        q.kind,
        QuestionKind::Matching {
            pairs: vec![
                ("Content risk".into(), "Extremist material".into()),
                ("Contact".into(), "Grooming -> online".into()),
            ]
        }
    );
}

#[test]
fn resolves_every_escape() {
    let q =
        one(r"::e1:: a\:b \#c \=d \{e\} \~f g\\h i\nj \\= k\x {=A\=B\~C\#D\{E\}F\:G\\H #fb\: x\#}");
    assert_eq!(q.id, "e1");
    let (quiz, _) = gift_with(r"::a\:b:: Q {T}", SIDE);
    assert_eq!(quiz.unwrap().questions[0].id, "a:b");
    assert_eq!(q.text, "a:b #c =d {e} ~f g\\h i\nj \\= k\\x");
    assert_eq!(
        q.kind,
        QuestionKind::ShortAnswer {
            accepted: vec!["A=B~C#D{E}F:G\\H".into()],
            feedback: Some("fb: x#".into())
        }
    );
    // `\\` is a backslash, so the `=` after it keeps its meaning.
    let q = one(r"::e:: Q {=a\\=b}");
    assert_eq!(
        q.kind,
        QuestionKind::ShortAnswer {
            accepted: vec!["a\\".into(), "b".into()],
            feedback: None
        }
    );
    // An escaped new line is trimmed like any whitespace at the ends of a text.
    assert_eq!(one(r"::e:: \nQ\n {T}").text, "Q");
}

#[test]
fn comments_categories_and_blank_lines() {
    let quiz = gift_quiz(
        "// A comment at the top\n\n$CATEGORY: $course$/top/Policies\n\n// only comments\n// in this block\n\n\
         ::a:: Visit http://example.org // not a comment\n// a comment inside the question\nmore {T}\n\n\n\n   ::b::   Indented?   \n\t{F}\t\n",
    );
    let texts: Vec<(&str, &str, usize)> = quiz
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q.text.as_str(), q.line))
        .collect();
    assert_eq!(
        texts,
        [
            // Moodle blanks a comment line to a space: the text keeps the line break.
            ("a", "Visit http://example.org // not a comment\n \nmore", 8),
            ("b", "Indented?", 14),
        ]
    );
}

#[test]
fn question_text_keeps_its_lines_and_format_markers_are_read() {
    let q = one("::a:: [markdown]First line\n- item *one*\n{=x ~y}\n");
    assert_eq!(q.text, "First line\n- item *one*");
    assert_eq!(one("::a:: [moodle]Plain {T}").text, "Plain");
    // Any other bracket is text, as in Moodle.
    assert_eq!(
        one("::a:: [Link](https://example.org) {T}").text,
        "[Link](https://example.org)"
    );
    let q = one("::a:: Q {=[markdown]%50% of staff #[markdown][x] ~b ####[markdown][gf]}");
    assert_eq!(q.kind.options()[0].text, "%50% of staff");
    assert_eq!(q.kind.options()[0].feedback.as_deref(), Some("[x]"));
    assert_eq!(q.general_feedback.as_deref(), Some("[gf]"));
    // Moodle looks for a marker right after `####`, without trimming.
    assert_eq!(
        one("::a:: Q {T#### [html]x}").general_feedback.as_deref(),
        Some("[html]x")
    );
}

#[test]
fn see_notes_belong_to_their_question() {
    let quiz = gift_quiz("::a:: Q {T}\n\n//see:#x-1\n// other comment\n::b:: Q {T}\n");
    assert_eq!(quiz.questions[0].see, None);
    assert_eq!(quiz.questions[1].see.as_deref(), Some("x-1"));
    assert_eq!(quiz.questions[1].see_line, Some(3));
}

// ---------------------------------------------------------------------------------------------
// Rejected forms: every one with its message and line.

#[test]
fn rejects_questions_without_ids() {
    assert_eq!(
        problem("::a:: Q {T}\n\nWhat? {T}\n"),
        "quizzes/g.gift:3:1: error: the question has no id (help: start every question with its id between double colons, e.g. `::esq-filtering:: Which…? {…}`: ids must stay the same from one version of the quiz to the next)"
    );
    assert_eq!(
        problem("\n\n  ::a Q {T}\n"),
        "quizzes/g.gift:3:3: error: the question id is not closed with `::` (help: write the id between double colons, e.g. `::esq-filtering::`)"
    );
}

#[test]
fn rejects_descriptions_and_unbalanced_braces() {
    assert_eq!(
        problem("::a:: Just some information.\n"),
        "quizzes/g.gift:1:1: error: the question has no answers in braces (a Moodle description), which is not supported (help: add the answers between `{` and `}`, e.g. `{=right ~wrong}`)"
    );
    assert_eq!(
        problem("::a:: Q {=a\n~b\n"),
        "quizzes/g.gift:1:9: error: `{` is not closed by `}` (help: end the answers with `}`; write a literal brace as `\\{` or `\\}`)"
    );
    assert_eq!(
        problem("::a:: Q\n=a ~b}\n"),
        "quizzes/g.gift:2:6: error: `}` has no opening `{` (help: write a literal brace as `\\{` or `\\}`)"
    );
    assert_eq!(
        problem("::a:: Q } {=a ~b}\n"),
        "quizzes/g.gift:1:9: error: `}` comes before the opening `{` (help: write a literal brace as `\\{` or `\\}`)"
    );
    assert_eq!(
        problem("::a:: Q {=a {~b}\n"),
        "quizzes/g.gift:1:13: error: `{` inside the answers (help: close the answers with `}` first; write a literal brace as `\\{` or `\\}`)"
    );
    assert_eq!(
        problem("::a:: Q {=a ~b}\nand {=c ~d}\n"),
        "quizzes/g.gift:2:1: error: more than one `{…}` in a question (help: a question has one block of answers; write a literal brace as `\\{` or `\\}`)"
    );
}

#[test]
fn rejects_the_missing_word_form() {
    assert_eq!(
        problem("::a:: Grant is {~buried =entombed} in Grant's tomb.\n"),
        "quizzes/g.gift:1:36: error: text after the answers (Moodle's missing-word form) is not supported (help: put the whole question text before `{`)"
    );
}

#[test]
fn rejects_essay_and_numerical_questions() {
    assert_eq!(
        problem("::a:: Write an essay. {}\n"),
        "quizzes/g.gift:1:23: error: essay questions (`{}`) are not supported (help: policybook marks every question automatically: give the answers between the braces)"
    );
    assert_eq!(
        problem("::a:: Write an essay. {####Marked by hand.}\n"),
        "quizzes/g.gift:1:23: error: essay questions (`{}`) are not supported (help: policybook marks every question automatically: give the answers between the braces)"
    );
    assert_eq!(
        problem("::a:: Months between reviews?\n{\n#12:0\n}\n"),
        "quizzes/g.gift:3:1: error: numerical questions (`{#...}`) are not supported (help: ask for the number as a choice (`{=12 months ~6 months}`) or a short answer (`{=12}`))"
    );
    // An escaped `#` is text, not a numerical question.
    assert!(problems("::a:: Q {=\\#12}").is_empty());
}

#[test]
fn rejects_html_and_plain_text_formats() {
    assert_eq!(
        problem("::a:: [html]<p>Q</p> {T}\n"),
        "quizzes/g.gift:1:7: error: the `[html]` text format is not supported (help: policybook texts are Markdown: remove `[html]` and write the text in Markdown)"
    );
    assert_eq!(
        problem("::a:: Q {\n=a\n~ [plain]b\n}\n"),
        "quizzes/g.gift:3:3: error: the `[plain]` text format is not supported (help: policybook texts are Markdown: remove `[plain]` and write the text in Markdown)"
    );
}

#[test]
fn rejects_weights_that_policybook_or_moodle_cannot_read() {
    assert_eq!(
        problem("::a:: Q {=%50%a ~b}\n"),
        "quizzes/g.gift:1:10: error: `=%…%` in a multiple-choice question: Moodle reads `=` as 100% and keeps the `%…%` as answer text (help: write a weighted answer as `~%50%answer`, or the right answer as `=answer`)"
    );
    assert_eq!(
        problem("::a:: Q {=a ~%50%b ~c}\n"),
        "quizzes/g.gift:1:13: error: a weight (`~%…%`) in a single-choice question is not supported (help: mark wrong answers with `~` alone; for several right answers, write every answer as `~%weight%answer`, with no `=`)"
    );
    assert_eq!(
        problem("::a:: Q {=a ~%100%b}\n"),
        "quizzes/g.gift:1:13: error: `~%100%` in a question that has a `=` answer (help: mark every right answer of a single-choice question with `=`)"
    );
    assert_eq!(
        problem("::a:: Q {~%1,5%a ~%--50%b}\n"),
        "quizzes/g.gift:1:11: error: `%1,5%` is not a weight (help: write a weight as a number of percent between two `%`, e.g. `~%50%` or `~%-100%`)"
    );
    assert_eq!(
        problem("::a:: Q {~%50%a ~%--50%b}\n"),
        "quizzes/g.gift:1:18: error: `%--50%` is not a weight (help: write a weight as a number of percent between two `%`, e.g. `~%50%` or `~%-100%`)"
    );
    // Text between `%` signs that is not number-like is answer text, as for Moodle.
    assert_eq!(one("::a:: Q {=a ~%b% c}").kind.options()[1].text, "%b% c");
}

#[test]
fn rejects_text_before_the_first_answer() {
    assert_eq!(
        problem("::a:: Q {oops ~a =b}\n"),
        "quizzes/g.gift:1:10: error: `oops` comes before the first answer (help: start every answer with its marker, e.g. `=right ~wrong`)"
    );
}

#[test]
fn rejects_short_answers_moodle_would_read_differently() {
    assert_eq!(
        problem("::a:: Q {true}\n"),
        "quizzes/g.gift:1:10: error: `true` is not an answer: short answers start with `=` (help: for a true/false question write `{TRUE}` or `{FALSE}` in capitals)"
    );
    assert_eq!(
        problem("::a:: Q {phishing}\n"),
        "quizzes/g.gift:1:10: error: `phishing` is not an answer: short answers start with `=` (help: start every accepted answer with `=`, e.g. `{=phishing =a phishing email}`)"
    );
    assert_eq!(
        problem("::a:: Q {=a =%50%b}\n"),
        "quizzes/g.gift:1:13: error: partial credit (`=%…%`) for a short answer is not supported (help: every accepted answer is fully right: remove the weight, or remove the answer)"
    );
    assert_eq!(
        problem("::a:: Q {\n=a #Good.\n=b #Also good.\n}\n"),
        "quizzes/g.gift:3:1: error: the answers of a short-answer question have different feedback (help: give the feedback once, e.g. after the last answer: `{=phishing =a phishing email #Right.}`)"
    );
}

#[test]
fn rejects_malformed_matching_pairs() {
    assert_eq!(
        problem("::a:: Q {=a -> 1 =b}\n"),
        "quizzes/g.gift:1:18: error: matching pair `b` has no `->` (help: write each pair as `=left -> right`)"
    );
    assert_eq!(
        problem("::a:: Q {=a -> 1 #well done =b -> 2}\n"),
        "quizzes/g.gift:1:18: error: feedback (`#`) on a matching pair is not supported (help: Moodle would show it as part of the pair: give feedback with `####` after the pairs, and write a literal `#` as `\\#`)"
    );
    assert_eq!(
        problem("::a:: Q {x =a -> 1 =b -> 2}\n"),
        "quizzes/g.gift:1:10: error: `x` comes before the first answer (help: start every answer with its marker, e.g. `=left -> right`)"
    );
}

#[test]
fn rejects_misplaced_categories_and_see_notes() {
    assert_eq!(
        problem("$CATEGORY: Policies\n::a:: Q {T}\n"),
        "quizzes/g.gift:1:1: error: `$CATEGORY:` must be alone in its block (help: add a blank line after the `$CATEGORY:` line: Moodle reads the whole block as the category name)"
    );
    assert_eq!(
        problem("::a:: Q {T}\n\n// see: 1-purpose\n\n::b:: Q {T}\n"),
        "quizzes/g.gift:3:9: error: `// see:` is not part of a question (help: put it on a line directly above the question's `::id::`, with no blank line between)"
    );
    assert_eq!(
        problem("// see: a\n//   see:   b\n::a:: Q {T}\n"),
        "quizzes/g.gift:2:13: error: a second `// see:` in one question (help: keep one `// see:` line per question)"
    );
    assert_eq!(
        problem("// see:\n::a:: Q {T}\n"),
        "quizzes/g.gift:1:8: error: `// see:` names no section (help: write the anchor of a section of the policy, e.g. `// see: 4-2-filtering-and-monitoring`)"
    );
}

#[test]
fn rejects_a_line_holding_only_zero() {
    assert_eq!(
        problems("::a:: How many?\n0\n{=0}\n"),
        [
            "quizzes/g.gift:1:1: error: the question has no answers in braces (a Moodle description), which is not supported (help: add the answers between `{` and `}`, e.g. `{=right ~wrong}`)",
            "quizzes/g.gift:2:1: error: Moodle reads a line holding only `0` as a blank line, which ends the question (help: join the `0` to the line before it)",
            "quizzes/g.gift:3:1: error: the question has no id (help: start every question with its id between double colons, e.g. `::esq-filtering:: Which…? {…}`: ids must stay the same from one version of the quiz to the next)",
        ]
    );
}

#[test]
fn reports_every_bad_question_and_keeps_the_good_ones() {
    let (quiz, problems) = gift_with(
        "::a:: Q {T}\n\n::b:: Q {#1}\n\n::c:: Q {}\n\n::d:: Q {F}\n",
        SIDE,
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("quizzes/g.gift:3:10: error: numerical"));
    assert!(problems[1].starts_with("quizzes/g.gift:5:9: error: essay"));
    let ids: Vec<String> = quiz.unwrap().questions.into_iter().map(|q| q.id).collect();
    assert_eq!(ids, ["a", "d"]);
}

#[test]
fn an_empty_file_has_no_questions() {
    assert_eq!(
        problem("// nothing yet\n\n$CATEGORY: x\n"),
        "quizzes/g.gift:1:1: error: the file has no questions (help: add questions separated by blank lines, e.g. `::q1:: Question text? {=right answer ~wrong answer}`)"
    );
}

#[test]
fn side_file_settings_are_checked() {
    let (quiz, problems) = gift_with(
        "::a:: Q {T}\n",
        "title = \"T\"\npolicy = \"p\"\npass_mark = 80\ndraw = 3\n",
    );
    assert_eq!(
        problems,
        [
            "quizzes/g.quiz.toml:4:8: error: `draw = 3` is more than the 1 question in the quiz (help: lower `draw`, or add questions to the pool)"
        ]
    );
    assert_eq!(
        quiz.unwrap().settings_path,
        Path::new("quizzes/g.quiz.toml")
    );
    let (quiz, problems) = gift_with(
        "::a:: Q {T}\n",
        "title = \"T\"\npolicy = \"p\"\npassmark = 80\n",
    );
    assert!(quiz.is_none());
    assert!(
        problems[0].starts_with("quizzes/g.quiz.toml:3:1: error: unknown field `passmark`"),
        "{problems:?}"
    );
}

#[test]
fn garbage_and_truncated_input_gives_errors_not_panics() {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("quizzes/social-media.gift"),
    )
    .unwrap();
    for (end, _) in example.char_indices().step_by(2) {
        let _ = gift_with(&example[..end], SIDE);
    }
    for (start, _) in example.char_indices().step_by(7) {
        let _ = gift_with(&example[start..], SIDE);
    }
    let nasty = [
        "",
        "\\",
        "::",
        ":::",
        "::::",
        "{",
        "}",
        "}{",
        "{}",
        "::a::{",
        "::a::}",
        "::a::{#",
        "::a::{~",
        "::a::{=",
        "::a::{=->",
        "::a::{->}",
        "::a::{=%",
        "::a::{~%%}",
        "::a::{~%-%}",
        "::a::{~%.%}",
        "::a::{~%9999999999999999999999%x}",
        "::a::{T#",
        "::a::{T##",
        "::a::{####}",
        "::a::[",
        "::a::[]{T}",
        "::a::[markdown",
        "$CATEGORY:",
        "// see:",
        "//",
        "0",
        "\\\\\\",
        "::a::{=a\\}",
        "::é::{T}",
        "::a::{\u{0}}",
        "\u{feff}::a::{T}",
        "::a::{=\\n}",
        "::a::{~\\n~}",
        "::a:: {~%50%}",
        "::a::{=->=->}",
    ];
    for text in nasty {
        let _ = gift_with(text, SIDE);
        let _ = gift_with(&format!("{text}\n{text}\n\n{text}"), SIDE);
    }
    // Every byte sequence that is valid UTF-8 from a small alphabet of special characters.
    let alphabet = [
        '{', '}', '=', '~', '#', '%', ':', '\\', '-', '>', '\n', 'T', ' ', '[', ']',
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let len = (seed % 24) as usize;
        let text: String = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                alphabet[(seed % alphabet.len() as u64) as usize]
            })
            .collect();
        let _ = gift_with(&format!("::a::{text}"), SIDE);
        let _ = gift_with(&text, SIDE);
    }
}

// ---------------------------------------------------------------------------------------------
// Export.

#[test]
fn writes_gift_as_moodle_expects() {
    let quiz = gift_quiz(
        "// see: 1-purpose\n::q1:: What is 2+2? Note: \\{x\\}\n{=Four #Yes: 4.\n~Five}\n\n::q2:: True? {FALSE##Right.####See: it.}\n\n::q3:: Pick. {~%50%a ~%50%b ~%-100%c}\n\n::q4:: Word? {=a =b #fb}\n\n::q5:: Match. {=a -> 1 =b -> 2}\n",
    );
    let quiz = Quiz {
        title: "Policy A/B: quiz \\ one\nline".into(),
        ..quiz
    };
    assert_eq!(
        to_gift(&quiz),
        "$CATEGORY: $course$/top/Policies/Policy A//B: quiz  one line\n\
         \n\
         // Quiz `g` on policy `p`, exported by policybook. Question names are stable ids.\n\
         \n\
         // see: 1-purpose\n\
         ::q1::[markdown]What is 2+2? Note\\: \\{x\\}{\n\
         \t=Four #Yes\\: 4.\n\
         \t~Five\n\
         }\n\
         \n\
         ::q2::[markdown]True?{FALSE##Right.####See\\: it.}\n\
         \n\
         ::q3::[markdown]Pick.{\n\
         \t~%50%a\n\
         \t~%50%b\n\
         \t~%-100%c\n\
         }\n\
         \n\
         ::q4::[markdown]Word?{\n\
         \t=a #fb\n\
         \t=b #fb\n\
         }\n\
         \n\
         ::q5::[markdown]Match.{\n\
         \t=a -> 1\n\
         \t=b -> 2\n\
         }\n"
    );
    assert_eq!(
        side_file(&quiz),
        "id = \"g\"\ntitle = '''\nPolicy A/B: quiz \\ one\nline'''\npolicy = \"p\"\npass_mark = 80\nshuffle = true\n"
    );
}

#[test]
fn round_trips_text_with_every_special_character() {
    let tricky = "Tricky: \\ # = ~ { } : -> // % [x] ]]> <b>&amp; é “quote” \\n\n  indented\n\nnew paragraph ####";
    let quiz = gift_quiz("::t:: Q {T}\n");
    let question = |id: &str, kind: QuestionKind| Question {
        id: id.into(),
        text: tricky.into(),
        kind,
        general_feedback: Some(tricky.into()),
        see: Some("1-purpose".into()),
        line: 0,
        see_line: None,
    };
    let fancy = |text: &str| format!("{text} {tricky}");
    let quiz = Quiz {
        questions: vec![
            question(
                "single",
                QuestionKind::SingleChoice {
                    options: vec![
                        choice(&fancy("right"), 100.0, Some(tricky)),
                        choice("%50% of staff", 0.0, Some("[markdown] is a format")),
                        choice("[link](x)", 0.0, None),
                        choice("#1", 0.0, Some("=")),
                    ],
                },
            ),
            question(
                "multiple",
                QuestionKind::MultipleResponse {
                    options: vec![
                        choice(&fancy("a"), 33.33333, Some(tricky)),
                        choice("%b%", 33.33333, None),
                        choice("c", 33.33333, None),
                        choice("d", -50.0, Some("%")),
                        choice("e", 0.0, None),
                    ],
                },
            ),
            question(
                "true",
                QuestionKind::TrueFalse {
                    answer: true,
                    feedback_true: Some(tricky.into()),
                    feedback_false: None,
                },
            ),
            question(
                "false",
                QuestionKind::TrueFalse {
                    answer: false,
                    feedback_true: None,
                    feedback_false: Some("[x] #".into()),
                },
            ),
            question(
                "short",
                QuestionKind::ShortAnswer {
                    accepted: vec!["%50%".into(), "TRUE".into(), "a = b: {c} ~d #e".into()],
                    feedback: Some(tricky.replace("->", "=>")),
                },
            ),
            question(
                "matching",
                QuestionKind::Matching {
                    pairs: vec![
                        (fancy("left").replace("->", "=>"), fancy("right")),
                        ("[x]".into(), "[y] %z% -> w".into()),
                    ],
                },
            ),
        ],
        ..quiz
    };
    let back = gift_round_trip(&quiz);
    assert_eq!(back.normalised(), quiz.normalised());
    assert!(back.same_content(&quiz));
}

#[test]
fn see_notes_are_read_in_any_case() {
    assert_eq!(
        one("//   SEE:  1-purpose \n::a:: Q {T}").see.as_deref(),
        Some("1-purpose")
    );
    assert_eq!(one("// seen: elsewhere\n::a:: Q {T}").see, None);
}
