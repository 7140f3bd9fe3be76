//! Every check on a quiz's questions, with its exact message and line, in both formats.

use std::path::Path;

use super::super::parse_toml;
use super::super::tests::{SIDE, gift_with, lines};
use super::*;

const HEAD: &str = "title = \"T\"\npolicy = \"p\"\npass_mark = 80\n";

/// Problems of a TOML quiz whose single question (starting on line 4) is `question`.
fn toml_problems(question: &str) -> Vec<String> {
    let text = format!("{HEAD}[[question]]\n{question}");
    lines(&parse_toml(&text, "q", Path::new("quizzes/q.toml")).1)
}

fn gift_problems(text: &str) -> Vec<String> {
    gift_with(text, SIDE).1
}

#[test]
fn question_ids_are_checked() {
    assert_eq!(
        toml_problems("id = \"has space\"\ntype = \"true-false\"\ntext = \"X\"\nanswer = true\n"),
        [
            "quizzes/q.toml:5:6: error: `has space` is not a valid question id (help: question ids become SCORM interaction ids: use ASCII letters, digits, `-`, `_` and `.`, at most 64 characters, e.g. `esq-filtering`)"
        ]
    );
    let long = "x".repeat(65);
    assert_eq!(
        gift_problems(&format!("::{long}:: X? {{TRUE}}\n")),
        [format!(
            "quizzes/g.gift:1:3: error: `{long}` is not a valid question id (help: question ids become SCORM interaction ids: use ASCII letters, digits, `-`, `_` and `.`, at most 64 characters, e.g. `esq-filtering`)"
        )]
    );
    assert!(gift_problems(&format!("::{}:: X? {{TRUE}}\n", "x".repeat(64))).is_empty());
    assert!(gift_problems("::Q-1_a.b:: X? {TRUE}\n").is_empty());
    assert_eq!(
        gift_problems("::é:: X? {TRUE}\n\n:: :: Y? {TRUE}\n"),
        [
            "quizzes/g.gift:1:3: error: `é` is not a valid question id (help: question ids become SCORM interaction ids: use ASCII letters, digits, `-`, `_` and `.`, at most 64 characters, e.g. `esq-filtering`)",
            "quizzes/g.gift:3:1: error: the question id is empty (help: write the id between the colons, e.g. `::esq-filtering::`)",
        ]
    );
    assert_eq!(
        toml_problems("id = \"\"\ntype = \"true-false\"\ntext = \"X\"\nanswer = true\n"),
        [
            "quizzes/q.toml:5:6: error: the question id is empty (help: give the question an id, e.g. `id = \"esq-filtering\"`)"
        ]
    );
}

#[test]
fn duplicate_question_ids_are_reported_at_the_second() {
    assert_eq!(
        gift_problems("::a:: X? {TRUE}\n\n::b:: Y? {TRUE}\n\n// c\n::a:: Z? {FALSE}\n"),
        [
            "quizzes/g.gift:6:3: error: duplicate question id `a`: line 1 already uses it (help: every question needs its own id, which stays the same once learners have answered it)"
        ]
    );
}

#[test]
fn empty_texts_are_reported() {
    assert_eq!(
        toml_problems(
            "id = \"a\"\ntype = \"single\"\ntext = \"  \"\noptions = [\n  { text = \"A\", correct = true },\n  { text = \"\" },\n]\n"
        ),
        [
            "quizzes/q.toml:7:8: error: the question text is empty (help: write the question)",
            "quizzes/q.toml:10:3: error: option 2 has no text (help: write the option, or remove it)",
        ]
    );
    assert_eq!(
        gift_problems("::a:: {=A ~#feedback only}\n"),
        [
            "quizzes/g.gift:1:1: error: the question text is empty (help: write the question)",
            "quizzes/g.gift:1:11: error: option 2 has no text (help: write the option, or remove it)",
        ]
    );
}

#[test]
fn choice_questions_need_two_options_and_the_right_number_correct() {
    assert_eq!(
        toml_problems(
            "id = \"a\"\ntype = \"single\"\ntext = \"X\"\noptions = [{ text = \"A\", correct = true }]\n"
        ),
        [
            "quizzes/q.toml:4:1: error: a single-choice question needs at least 2 options, found 1 (help: add options to `options`)"
        ]
    );
    assert_eq!(
        toml_problems(
            "id = \"a\"\ntype = \"single\"\ntext = \"X\"\noptions = [{ text = \"A\" }, { text = \"B\" }]\n"
        ),
        [
            "quizzes/q.toml:4:1: error: the question has no correct answer (help: mark the right option with `correct = true`)"
        ]
    );
    assert_eq!(
        toml_problems(
            "id = \"a\"\ntype = \"single\"\ntext = \"X\"\noptions = [\n  { text = \"A\", correct = true },\n  { text = \"B\", correct = true },\n]\n"
        ),
        [
            "quizzes/q.toml:10:3: error: a single-choice question has 2 correct answers (help: mark one option `correct = true`, or use `type = \"multiple\"` for a question with several right answers)"
        ]
    );
    assert_eq!(
        gift_problems("::a:: X? {\n=A\n=B\n~C\n}\n"),
        [
            "quizzes/g.gift:3:1: error: a single-choice question has 2 correct answers (help: mark one answer with `=`; for several right answers, write each as `~%50%answer` (weights of right answers add up to 100) and none with `=`)"
        ]
    );
    assert_eq!(
        gift_problems("::a:: X? {~A ~B}\n"),
        [
            "quizzes/g.gift:1:1: error: the question has no correct answer (help: give the right answers positive weights, e.g. `~%50%`)"
        ]
    );
    assert_eq!(
        gift_problems("::a:: X? {~%100%A}\n"),
        [
            "quizzes/g.gift:1:1: error: a multiple-response question needs at least 2 options, found 1 (help: add answers: `=right ~wrong`)"
        ]
    );
    assert_eq!(
        toml_problems(
            "id = \"a\"\ntype = \"multiple\"\ntext = \"X\"\noptions = [{ text = \"A\" }, { text = \"B\", weight = -50 }]\n"
        ),
        [
            "quizzes/q.toml:4:1: error: the question has no correct answer (help: mark the right options with `correct = true`)"
        ]
    );
}

#[test]
fn multiple_response_weights_add_up_to_100() {
    assert_eq!(
        gift_problems("::a:: X? {~%50%A ~%40%B ~%-100%C}\n"),
        [
            "quizzes/g.gift:1:1: error: the weights of the correct options add up to 90%, not 100% (help: make the weights of the right answers add up to 100, e.g. `~%50%` twice or `~%33.33333%` three times)"
        ]
    );
    assert_eq!(
        toml_problems(
            "id = \"a\"\ntype = \"multiple\"\ntext = \"X\"\noptions = [\n  { text = \"A\", correct = true, weight = 50 },\n  { text = \"B\", correct = true, weight = 60 },\n]\n"
        ),
        [
            "quizzes/q.toml:4:1: error: the weights of the correct options add up to 110%, not 100% (help: remove the `weight`s to share 100% equally among the correct options, or make them add up to 100)"
        ]
    );
    // Within 0.01 of 100 is accepted, as three thirds written with 5 decimals are.
    assert!(gift_problems("::a:: X? {~%33.33333%A ~%33.33333%B ~%33.33333%C ~D}\n").is_empty());
    // Moodle matches grades to within 0.001 percent.
    assert!(gift_problems("::a:: X? {~%33.333%A ~%33.333%B ~%33.333%C}\n").is_empty());
    let problems = gift_problems("::a:: X? {~%33.3%A ~%33.3%B ~%33.3%C}\n");
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert_eq!(
        problems[3],
        "quizzes/g.gift:1:1: error: the weights of the correct options add up to 99.9%, not 100% (help: make the weights of the right answers add up to 100, e.g. `~%50%` twice or `~%33.33333%` three times)"
    );
}

#[test]
fn weights_are_checked_against_moodles_grades() {
    assert_eq!(
        gift_problems("::a:: X? {~%35%A ~%65%B ~%-150%C}\n"),
        [
            "quizzes/g.gift:1:11: warning: weight 35% is not one that Moodle accepts (help: Moodle refuses to import the question; use 100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10 or 5 (or a negative of one))",
            "quizzes/g.gift:1:18: warning: weight 65% is not one that Moodle accepts (help: Moodle refuses to import the question; use 100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10 or 5 (or a negative of one))",
            "quizzes/g.gift:1:25: error: option 3 has weight -150%, outside -100 to 100 (help: a weight is the percentage of the question's mark for choosing the option)",
        ]
    );
}

#[test]
fn a_short_answer_longer_than_the_answer_box_is_an_error() {
    let fits = format!("{}  ", "x ".repeat(50).trim());
    let too_long = "é".repeat(101);
    let problems = toml_problems(&format!(
        "id = \"a\"\ntype = \"short\"\ntext = \"X\"\nanswers = [\"{fits}\", \"{too_long}\"]\n"
    ));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains(
            "accepted answer 2 is 101 characters long, but the answer box takes at most 100"
        ),
        "{problems:?}"
    );
}

#[test]
fn short_answers_are_checked() {
    assert_eq!(
        toml_problems("id = \"a\"\ntype = \"short\"\ntext = \"X\"\nanswers = []\n"),
        [
            "quizzes/q.toml:4:1: error: the question has no accepted answers (help: list the accepted answers, e.g. `answers = [\"phishing\"]`)"
        ]
    );
    assert_eq!(
        toml_problems(
            "id = \"a\"\ntype = \"short\"\ntext = \"X\"\nanswers = [\"ok\", \" \", \"phish*\"]\n"
        ),
        [
            "quizzes/q.toml:8:18: error: accepted answer 2 is empty (help: write the answer, or remove it)",
            "quizzes/q.toml:8:23: error: accepted answer `phish*` contains `*`, which Moodle reads as a wildcard (help: remove the `*`, and list each accepted spelling as its own answer)",
        ]
    );
    assert_eq!(
        toml_problems("id = \"a\"\ntype = \"short\"\ntext = \"X\"\nanswers = [\"a -> b\"]\n"),
        [
            "quizzes/q.toml:8:12: error: `->` in a short-answer question's answers or feedback makes GIFT read it as a matching question (help: write it another way, e.g. `→` or `to`, so the quiz can be exported to Moodle)"
        ]
    );
    assert_eq!(
        toml_problems(
            "id = \"a\"\ntype = \"short\"\ntext = \"X\"\nanswers = [\"a\"]\nanswer_feedback = \"see 4 -> 4.2\"\n"
        ),
        [
            "quizzes/q.toml:4:1: error: `->` in a short-answer question's answers or feedback makes GIFT read it as a matching question (help: write it another way, e.g. `→` or `to`, so the quiz can be exported to Moodle)"
        ]
    );
}

#[test]
fn matching_pairs_are_checked() {
    assert_eq!(
        toml_problems(
            "id = \"a\"\ntype = \"matching\"\ntext = \"X\"\npairs = [{ left = \"a -> b\", right = \"c\" }]\n"
        ),
        [
            "quizzes/q.toml:8:10: error: the left side of pair 1 contains `->` (help: GIFT separates the sides of a pair with `->`: write it another way, e.g. `→`)",
            "quizzes/q.toml:4:1: error: a matching question needs at least 2 pairs, found 1 (help: add pairs: `pairs = [{ left = \"...\", right = \"...\" }, ...]`)",
        ]
    );
    assert_eq!(
        gift_problems("::a:: X? {=A -> 1 = -> 2}\n"),
        [
            "quizzes/g.gift:1:19: error: pair 2 has an empty side (help: write both sides of the pair)"
        ]
    );
}

#[test]
fn valid_question_ids() {
    assert!(is_valid_question_id("esq-filtering_2.b"));
    assert!(!is_valid_question_id("a b"));
    assert!(!is_valid_question_id("a:b"));
    assert!(!is_valid_question_id(""));
}
