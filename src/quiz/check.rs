//! Checks of a quiz's questions (shared by both formats, run on load) and of quizzes against the
//! policies they test (run by [`super::validate_quizzes`]).

use std::collections::HashMap;

use super::{Choice, Question, QuestionKind, Quiz, SHORT_ANSWER_MAX, SourceFormat};
use crate::content::Policy;
use crate::error::Diagnostic;

/// Most options a choice question may have: SCORM 1.2 responses are single characters.
pub const MAX_OPTIONS: usize = 36;

/// A 1-based line and column in a source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Spot {
    pub line: usize,
    pub col: usize,
}

impl Spot {
    pub const START: Spot = Spot { line: 1, col: 1 };
}

/// Where the parts of one question were written, so problems found after parsing point at them.
#[derive(Clone, Debug, Default)]
pub(super) struct QuestionSpots {
    pub start: Spot,
    pub id: Spot,
    pub text: Spot,
    /// The options, accepted answers or pairs, in order.
    pub items: Vec<Spot>,
}

impl QuestionSpots {
    fn item(&self, index: usize) -> Spot {
        self.items.get(index).copied().unwrap_or(self.start)
    }
}

/// Longest question id: it becomes a SCORM interaction id, which LMSs store in short fields.
pub const MAX_QUESTION_ID: usize = 64;

/// Moodle accepts only these weights (percent, and their negatives), to within 0.001.
const MOODLE_GRADES: [f64; 21] = [
    100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0, 25.0,
    20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0,
];

/// Checks every question of `quiz`; `spots[i]` says where question `i` was written.
pub(super) fn check_quiz(quiz: &Quiz, spots: &[QuestionSpots]) -> Vec<Diagnostic> {
    let mut out = Out {
        quiz,
        diags: Vec::new(),
    };
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    for (index, question) in quiz.questions.iter().enumerate() {
        let default_spots = QuestionSpots::default();
        let spots = spots.get(index).unwrap_or(&default_spots);
        out.question_id(question, spots);
        if question.id.is_empty() {
            // Reported by `question_id`.
        } else if let Some(line) = first_line.get(question.id.as_str()) {
            out.error(
                spots.id,
                format!("duplicate question id `{}`: line {line} already uses it", question.id),
                "every question needs its own id, which stays the same once learners have answered it",
            );
        } else {
            first_line.insert(&question.id, spots.start.line);
        }
        if question.text.trim().is_empty() {
            out.error(
                spots.text,
                "the question text is empty",
                "write the question",
            );
        }
        match &question.kind {
            QuestionKind::SingleChoice { options } => out.single(options, spots),
            QuestionKind::MultipleResponse { options } => out.multiple(options, spots),
            QuestionKind::TrueFalse { .. } => {}
            QuestionKind::ShortAnswer { accepted, feedback } => {
                out.short(accepted, feedback.as_deref(), spots)
            }
            QuestionKind::Matching { pairs } => out.matching(pairs, spots),
        }
    }
    out.diags
}

/// Reports a `draw` larger than the pool of `pool` questions.
pub(super) fn check_draw(quiz: &Quiz, draw_spot: Spot, pool: usize) -> Option<Diagnostic> {
    let draw = quiz.draw?;
    (draw > pool).then(|| {
        Diagnostic::error(
            &quiz.settings_path,
            format!(
                "`draw = {draw}` is more than the {} in the quiz",
                crate::error::plural(pool, "question")
            ),
        )
        .at(&quiz.settings_source, draw_spot.line, draw_spot.col)
        .help("lower `draw`, or add questions to the pool")
    })
}

/// Collects diagnostics about one quiz's questions file.
struct Out<'a> {
    quiz: &'a Quiz,
    diags: Vec<Diagnostic>,
}

impl Out<'_> {
    fn error(&mut self, spot: Spot, message: impl Into<String>, help: impl Into<String>) {
        self.diags.push(
            Diagnostic::error(&self.quiz.path, message)
                .at(&self.quiz.source, spot.line, spot.col)
                .help(help),
        );
    }

    fn warning(&mut self, spot: Spot, message: impl Into<String>, help: impl Into<String>) {
        self.diags.push(
            Diagnostic::warning(&self.quiz.path, message)
                .at(&self.quiz.source, spot.line, spot.col)
                .help(help),
        );
    }

    /// Picks the help that uses the syntax of the quiz's format.
    fn say(&self, toml: &str, gift: &str) -> String {
        match self.quiz.format {
            SourceFormat::Toml => toml.to_owned(),
            SourceFormat::Gift => gift.to_owned(),
        }
    }

    fn question_id(&mut self, question: &Question, spots: &QuestionSpots) {
        let id = &question.id;
        if id.is_empty() {
            let help = self.say(
                "give the question an id, e.g. `id = \"esq-filtering\"`",
                "write the id between the colons, e.g. `::esq-filtering::`",
            );
            self.error(spots.id, "the question id is empty", help);
        } else if !is_valid_question_id(id) {
            self.error(
                spots.id,
                format!("`{id}` is not a valid question id"),
                format!(
                    "question ids become SCORM interaction ids: use ASCII letters, digits, `-`, `_` and `.`, at most {MAX_QUESTION_ID} characters, e.g. `esq-filtering`"
                ),
            );
        }
    }

    fn enough_options(&mut self, options: &[Choice], spots: &QuestionSpots, kind: &str) -> bool {
        for (index, option) in options.iter().enumerate() {
            if option.text.trim().is_empty() {
                self.error(
                    spots.item(index),
                    format!("option {} has no text", index + 1),
                    "write the option, or remove it",
                );
            }
        }
        if options.len() < 2 {
            let help = self.say("add options to `options`", "add answers: `=right ~wrong`");
            self.error(
                spots.start,
                format!(
                    "a {kind} question needs at least 2 options, found {}",
                    options.len()
                ),
                help,
            );
            return false;
        }
        // SCORM 1.2 records each chosen option as one character of [0-9a-z].
        if options.len() > MAX_OPTIONS {
            let help = self.say(
                "split the question, or use fewer options",
                "split the question, or use fewer answers",
            );
            self.error(
                spots.start,
                format!(
                    "a {kind} question can have at most {MAX_OPTIONS} options, found {}",
                    options.len()
                ),
                help,
            );
            return false;
        }
        true
    }

    fn single(&mut self, options: &[Choice], spots: &QuestionSpots) {
        if !self.enough_options(options, spots, "single-choice") {
            return;
        }
        let correct: Vec<usize> = (0..options.len()).filter(|&i| options[i].correct).collect();
        match correct.as_slice() {
            [] => {
                let help = self.say(
                    "mark the right option with `correct = true`",
                    "mark the right answer with `=`",
                );
                self.error(spots.start, "the question has no correct answer", help);
            }
            [_] => {}
            [_, second, ..] => {
                let help = self.say(
                    "mark one option `correct = true`, or use `type = \"multiple\"` for a question with several right answers",
                    "mark one answer with `=`; for several right answers, write each as `~%50%answer` (weights of right answers add up to 100) and none with `=`",
                );
                self.error(
                    spots.item(*second),
                    format!(
                        "a single-choice question has {} correct answers",
                        correct.len()
                    ),
                    help,
                );
            }
        }
    }

    fn multiple(&mut self, options: &[Choice], spots: &QuestionSpots) {
        if !self.enough_options(options, spots, "multiple-response") {
            return;
        }
        for (index, option) in options.iter().enumerate() {
            let spot = spots.item(index);
            if !(-100.0..=100.0).contains(&option.weight) {
                self.error(
                    spot,
                    format!(
                        "option {} has weight {}%, outside -100 to 100",
                        index + 1,
                        option.weight
                    ),
                    "a weight is the percentage of the question's mark for choosing the option",
                );
            } else if !is_moodle_grade(option.weight) {
                self.warning(
                    spot,
                    format!("weight {}% is not one that Moodle accepts", option.weight),
                    "Moodle refuses to import the question; use 100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10 or 5 (or a negative of one)",
                );
            }
        }
        if !options.iter().any(|o| o.correct) {
            let help = self.say(
                "mark the right options with `correct = true`",
                "give the right answers positive weights, e.g. `~%50%`",
            );
            self.error(spots.start, "the question has no correct answer", help);
            return;
        }
        let total: f64 = options.iter().filter(|o| o.correct).map(|o| o.weight).sum();
        if (total - 100.0).abs() > 0.01 {
            let help = self.say(
                "remove the `weight`s to share 100% equally among the correct options, or make them add up to 100",
                "make the weights of the right answers add up to 100, e.g. `~%50%` twice or `~%33.33333%` three times",
            );
            self.error(
                spots.start,
                format!(
                    "the weights of the correct options add up to {}%, not 100%",
                    round_for_message(total)
                ),
                help,
            );
        }
    }

    fn short(&mut self, accepted: &[String], feedback: Option<&str>, spots: &QuestionSpots) {
        if accepted.is_empty() {
            let help = self.say(
                "list the accepted answers, e.g. `answers = [\"phishing\"]`",
                "give the accepted answers, e.g. `{=phishing}`",
            );
            self.error(spots.start, "the question has no accepted answers", help);
        }
        for (index, answer) in accepted.iter().enumerate() {
            let spot = spots.item(index);
            if answer.trim().is_empty() {
                self.error(
                    spot,
                    format!("accepted answer {} is empty", index + 1),
                    "write the answer, or remove it",
                );
            } else if typed_length(answer) > SHORT_ANSWER_MAX {
                self.error(
                    spot,
                    format!(
                        "accepted answer {} is {} characters long, but the answer box takes at \
                         most {SHORT_ANSWER_MAX}, so nobody could type it",
                        index + 1,
                        typed_length(answer)
                    ),
                    "accept a shorter answer (a key word or phrase), or ask a multiple-choice question instead",
                );
            } else if answer.contains('*') {
                self.error(
                    spot,
                    format!(
                        "accepted answer `{answer}` contains `*`, which Moodle reads as a wildcard"
                    ),
                    "remove the `*`, and list each accepted spelling as its own answer",
                );
            }
        }
        let arrow = accepted
            .iter()
            .position(|a| a.contains("->"))
            .map(|i| spots.item(i))
            .or_else(|| {
                feedback
                    .is_some_and(|f| f.contains("->"))
                    .then_some(spots.start)
            });
        if let Some(spot) = arrow {
            self.error(
                spot,
                "`->` in a short-answer question's answers or feedback makes GIFT read it as a matching question",
                "write it another way, e.g. `→` or `to`, so the quiz can be exported to Moodle",
            );
        }
    }

    fn matching(&mut self, pairs: &[(String, String)], spots: &QuestionSpots) {
        for (index, (left, right)) in pairs.iter().enumerate() {
            let spot = spots.item(index);
            if left.trim().is_empty() || right.trim().is_empty() {
                self.error(
                    spot,
                    format!("pair {} has an empty side", index + 1),
                    "write both sides of the pair",
                );
            } else if left.contains("->") {
                self.error(
                    spot,
                    format!("the left side of pair {} contains `->`", index + 1),
                    "GIFT separates the sides of a pair with `->`: write it another way, e.g. `→`",
                );
            }
        }
        if pairs.len() < 2 {
            let help = self.say(
                "add pairs: `pairs = [{ left = \"...\", right = \"...\" }, ...]`",
                "add pairs: `=left -> right`",
            );
            self.error(
                spots.start,
                format!(
                    "a matching question needs at least 2 pairs, found {}",
                    pairs.len()
                ),
                help,
            );
        }
    }
}

/// ASCII letters, digits, `-`, `_` and `.`, at most [`MAX_QUESTION_ID`] characters.
pub fn is_valid_question_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_QUESTION_ID
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn is_moodle_grade(weight: f64) -> bool {
    MOODLE_GRADES
        .iter()
        .any(|g| (weight.abs() - g).abs() < 0.001)
}

/// Sums of decimal weights carry float noise (99.99999000000001): show at most 5 decimals.
fn round_for_message(value: f64) -> f64 {
    (value * 1e5).round() / 1e5
}

/// A quiz whose id an earlier quiz (`first`) already uses.
pub(super) fn duplicate_quiz_id(quiz: &Quiz, first: &Quiz) -> Diagnostic {
    Diagnostic::error(
        &quiz.settings_path,
        format!(
            "duplicate quiz id `{}`: {} already uses it",
            quiz.id,
            first.settings_path.display()
        ),
    )
    .at(&quiz.settings_source, quiz.id_line.unwrap_or(1), 1)
    .help("every quiz needs its own id: set a different `id` or rename one of the files")
}

pub(super) fn unknown_policy(quiz: &Quiz, policies: &[Policy]) -> Diagnostic {
    let help = match crate::validate::closest(&quiz.policy, policies.iter().map(|p| p.id.as_str()))
    {
        Some(near) => format!("did you mean `{near}`?"),
        None => "use the id of a policy in content/: its file name without `.md`, or its `id:`"
            .to_owned(),
    };
    let column = column_of(&quiz.settings_source, quiz.policy_line, &quiz.policy);
    Diagnostic::error(
        &quiz.settings_path,
        format!(
            "the quiz tests policy `{}`, which does not exist",
            quiz.policy
        ),
    )
    .at(&quiz.settings_source, quiz.policy_line, column)
    .help(help)
    .depends_on(crate::error::DependsOn::Policy(quiz.policy.clone()))
}

/// Reports every `see` that names no heading of `policy`.
pub(super) fn see_anchors(quiz: &Quiz, policy: &Policy) -> Vec<Diagnostic> {
    let anchors = || policy.body.headings.iter().map(|h| h.anchor.as_str());
    let mut diags = Vec::new();
    for question in &quiz.questions {
        let Some(see) = &question.see else { continue };
        if anchors().any(|a| a == see) {
            continue;
        }
        let help = match crate::validate::closest(see, anchors()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "use the anchor of a heading in {}: its text in lower case with `-` between words, e.g. `## 4.2 Filtering and monitoring` → `4-2-filtering-and-monitoring`",
                policy.path.display()
            ),
        };
        let line = question.see_line.unwrap_or(question.line);
        diags.push(
            Diagnostic::error(
                &quiz.path,
                format!("`{see}` is not a section of policy `{}`", policy.id),
            )
            .at(&quiz.source, line, column_of(&quiz.source, line, see))
            .help(help),
        );
    }
    diags
}

/// The 1-based column (in characters) of `needle` on line `line` of `source`, or 1.
fn column_of(source: &str, line: usize, needle: &str) -> usize {
    let Some(text) = source.lines().nth(line.saturating_sub(1)) else {
        return 1;
    };
    match text.find(needle) {
        Some(i) if !needle.is_empty() => text[..i].chars().count() + 1,
        _ => 1,
    }
}

#[cfg(test)]
mod tests;

/// Length of `answer` as a browser's `maxlength` counts it (UTF-16 code units), after the
/// trimming and space-collapsing the quiz applies before comparing.
fn typed_length(answer: &str) -> usize {
    answer
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .encode_utf16()
        .count()
}
