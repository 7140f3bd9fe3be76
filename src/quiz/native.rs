//! The native quiz format: `quizzes/<name>.toml`.
//!
//! ```toml
//! id = "e-safety-quiz"       # optional, default: the file name without `.toml`
//! title = "E-Safety Policy: check your understanding"
//! policy = "e-safety"        # id of the policy the quiz tests
//! pass_mark = 80             # percent
//! draw = 8                   # optional: ask 8 questions drawn from the pool on each attempt
//! shuffle = true             # optional (default true): shuffle the options
//!
//! [[question]]
//! id = "esq-filtering"       # stable: ASCII letters, digits, - _ . (at most 64)
//! type = "single"            # single | multiple | true-false | short | matching
//! text = "Markdown question text"
//! see = "4-2-filtering-and-monitoring"   # optional: anchor of the policy section
//! feedback = "general feedback"          # optional: shown whatever the answer
//! options = [
//!   { text = "...", correct = true, feedback = "..." },
//!   { text = "...", feedback = "..." },
//! ]
//! ```
//!
//! Per type: `single` and `multiple` take `options` (`text`, `correct`, `feedback`; `multiple`
//! also `weight`: by default the correct options share 100% equally, or give each correct option
//! a `weight` so that they add up to 100, and wrong options an optional negative `weight` as a
//! penalty); `true-false` takes `answer = true|false`, `feedback_true`, `feedback_false`;
//! `short` takes `answers = ["...", ...]` (compared case-insensitively) and `answer_feedback`;
//! `matching` takes `pairs = [{ left = "...", right = "..." }, ...]`.
//!
//! Unknown keys, and keys that do not apply to the question's type, are errors.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::check::{self, QuestionSpots, Spot};
use super::{Choice, Question, QuestionKind, Quiz, SourceFormat};
use crate::content::is_valid_id;
use crate::error::Diagnostic;
use crate::source::line_col_at;

/// The quiz-level keys, shared by the TOML format and a GIFT quiz's side file.
pub const SETTINGS_KEYS: &str = "id, title, policy, pass_mark, draw, shuffle";
const QUESTION_TYPES: [&str; 5] = ["single", "multiple", "true-false", "short", "matching"];

/// A TOML quiz file, or a GIFT side file (which must not have questions), as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuiz {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    policy: Option<Spanned<String>>,
    pass_mark: Option<Spanned<i64>>,
    draw: Option<Spanned<i64>>,
    shuffle: Option<bool>,
    #[serde(default)]
    question: Vec<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    text: Spanned<String>,
    see: Option<Spanned<String>>,
    feedback: Option<String>,
    options: Option<Spanned<Vec<Spanned<RawOption>>>>,
    answer: Option<Spanned<bool>>,
    feedback_true: Option<Spanned<String>>,
    feedback_false: Option<Spanned<String>>,
    answers: Option<Spanned<Vec<Spanned<String>>>>,
    answer_feedback: Option<Spanned<String>>,
    pairs: Option<Spanned<Vec<Spanned<RawPair>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    text: String,
    #[serde(default)]
    correct: bool,
    weight: Option<Spanned<f64>>,
    feedback: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    left: String,
    right: String,
}

/// Quiz-level settings, checked, with where they were written.
pub(super) struct Settings {
    pub id: String,
    pub id_line: Option<usize>,
    pub title: String,
    pub policy: String,
    pub policy_line: usize,
    pub pass_mark: u8,
    pub draw: Option<usize>,
    pub draw_spot: Spot,
    pub shuffle: bool,
    pub path: PathBuf,
    pub source: String,
}

impl Settings {
    /// A quiz with these settings and `questions`, read from `path` (`source` is its text).
    pub fn into_quiz(
        self,
        questions: Vec<Question>,
        path: &Path,
        source: &str,
        format: SourceFormat,
    ) -> Quiz {
        Quiz {
            id: self.id,
            title: self.title,
            policy: self.policy,
            pass_mark: self.pass_mark,
            draw: self.draw,
            shuffle: self.shuffle,
            questions,
            path: path.to_path_buf(),
            format,
            policy_line: self.policy_line,
            id_line: self.id_line,
            source: source.to_owned(),
            settings_path: self.path,
            settings_source: self.source,
        }
    }
}

/// Parses a quiz in the TOML format. `stem` is the file name without `.toml` (the default id);
/// `display` is how messages name the file. Returns the quiz when it could be read (it may still
/// have problems, which are among the diagnostics) and every problem found.
pub fn parse_toml(text: &str, stem: &str, display: &Path) -> (Option<Quiz>, Vec<Diagnostic>) {
    let mut raw: RawQuiz = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => return (None, vec![toml_error(&e, text, display)]),
    };
    let mut diags = Vec::new();
    let mut reader = Reader {
        text,
        display,
        diags: &mut diags,
    };
    let questions = std::mem::take(&mut raw.question);
    let settings = reader.settings(raw, stem);
    let mut read = Vec::new();
    let mut spots = Vec::new();
    for raw_question in &questions {
        if let Some((question, spot)) = reader.question(raw_question) {
            read.push(question);
            spots.push(spot);
        }
    }
    let draw_spot = settings.draw_spot;
    let quiz = settings.into_quiz(read, display, text, SourceFormat::Toml);
    if questions.is_empty() {
        diags.push(
            Diagnostic::error(display, "the quiz has no questions")
                .at(text, 1, 1)
                .help("add questions as `[[question]]` tables with `id`, `type` and `text`"),
        );
    } else {
        diags.extend(check::check_draw(&quiz, draw_spot, questions.len()));
    }
    diags.extend(check::check_quiz(&quiz, &spots));
    (Some(quiz), diags)
}

/// Parses a GIFT quiz's side file: quiz settings only, no questions.
pub(super) fn parse_side_file(
    text: &str,
    stem: &str,
    display: &Path,
) -> (Option<Settings>, Vec<Diagnostic>) {
    let raw: RawQuiz = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => return (None, vec![toml_error(&e, text, display)]),
    };
    let mut diags = Vec::new();
    if let Some(question) = raw.question.first() {
        let (line, col) = line_col_at(text, question.span().start);
        diags.push(
            Diagnostic::error(display, "a GIFT quiz's settings file cannot hold questions")
                .at(text, line, col)
                .help(format!("write the questions in GIFT in `{stem}.gift`")),
        );
    }
    let mut reader = Reader {
        text,
        display,
        diags: &mut diags,
    };
    let settings = reader.settings(raw, stem);
    (Some(settings), diags)
}

/// Turns a TOML syntax or type error into a diagnostic at its position.
fn toml_error(e: &toml::de::Error, text: &str, display: &Path) -> Diagnostic {
    let message = e.message().trim().to_owned();
    let help = if message.contains("unknown field") {
        format!(
            "check the spelling; quiz keys are {SETTINGS_KEYS} and `[[question]]` tables with id, type, text, see, feedback and the keys of their type"
        )
    } else if message.contains("missing field") {
        "add the missing key to this table".to_owned()
    } else if message.contains("expected a sequence") || message.contains("expected an array") {
        "write each question as a `[[question]]` table (double brackets), and lists as `[...]`"
            .to_owned()
    } else {
        "check the TOML syntax at this position (strings are quoted, e.g. `title = \"...\"`)"
            .to_owned()
    };
    let mut diag = Diagnostic::error(display, message).help(help);
    if let Some(span) = e.span() {
        let (line, col) = line_col_at(text, span.start);
        diag = diag.at(text, line, col);
    }
    diag
}

/// Reads checked values out of the raw TOML, reporting problems as it goes.
struct Reader<'a> {
    text: &'a str,
    display: &'a Path,
    diags: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn spot(&self, span: Range<usize>) -> Spot {
        let (line, col) = line_col_at(self.text, span.start);
        Spot { line, col }
    }

    fn error(&mut self, spot: Spot, message: impl Into<String>, help: impl Into<String>) {
        let diag = Diagnostic::error(self.display, message)
            .at(self.text, spot.line, spot.col)
            .help(help);
        self.diags.push(diag);
    }

    fn settings(&mut self, raw: RawQuiz, stem: &str) -> Settings {
        let (id, id_line) = match &raw.id {
            Some(id) => (
                id.get_ref().trim().to_owned(),
                Some(self.spot(id.span()).line),
            ),
            None => (stem.to_owned(), None),
        };
        if !is_valid_id(&id) {
            let (spot, help) = match &raw.id {
                Some(value) => (
                    self.spot(value.span()),
                    "use lower-case letters, digits, `-` and `_`, e.g. `id = \"e-safety-quiz\"`"
                        .to_owned(),
                ),
                None => (
                    Spot::START,
                    format!(
                        "rename the file, or set an id, e.g. `id = \"{}\"`",
                        crate::markdown::slugify(stem)
                    ),
                ),
            };
            self.error(spot, format!("`{id}` is not a valid quiz id"), help);
        }
        let title = self.required(
            raw.title.as_ref(),
            "title",
            "the title shown to learners",
            "title = \"E-Safety Policy: check your understanding\"",
        );
        let policy = self.required(
            raw.policy.as_ref(),
            "policy",
            "the id of the policy the quiz tests",
            "policy = \"e-safety\"",
        );
        let policy_line = raw.policy.as_ref().map_or(1, |p| self.spot(p.span()).line);
        let pass_mark = self.pass_mark(raw.pass_mark.as_ref());
        let draw_spot = raw
            .draw
            .as_ref()
            .map_or(Spot::START, |d| self.spot(d.span()));
        let draw = raw.draw.as_ref().and_then(|draw| {
            let n = *draw.get_ref();
            let message = match usize::try_from(n) {
                Ok(0) => format!("`draw = {n}` asks for no questions"),
                Ok(n) => return Some(n),
                Err(_) => format!("`draw = {n}` is not a number of questions"),
            };
            self.error(
                draw_spot,
                message,
                "remove `draw` to ask every question, or set how many questions one attempt asks",
            );
            None
        });
        Settings {
            id,
            id_line,
            title,
            policy,
            policy_line,
            pass_mark,
            draw,
            draw_spot,
            shuffle: raw.shuffle.unwrap_or(true),
            path: self.display.to_path_buf(),
            source: self.text.to_owned(),
        }
    }

    /// A required, non-empty text setting; reports it missing or empty.
    fn required(
        &mut self,
        value: Option<&Spanned<String>>,
        key: &str,
        meaning: &str,
        example: &str,
    ) -> String {
        match value {
            Some(v) if !v.get_ref().trim().is_empty() => v.get_ref().trim().to_owned(),
            Some(v) => {
                let spot = self.spot(v.span());
                let help = format!("write {meaning}, e.g. `{example}`");
                self.error(spot, format!("`{key}` is empty"), help);
                String::new()
            }
            None => {
                let help =
                    format!("add a line such as `{example}` at the top of the file: {meaning}");
                self.error(Spot::START, format!("missing `{key}`"), help);
                String::new()
            }
        }
    }

    fn pass_mark(&mut self, value: Option<&Spanned<i64>>) -> u8 {
        let Some(value) = value else {
            self.error(
                Spot::START,
                "missing `pass_mark`",
                "add a line such as `pass_mark = 80`: the percentage of marks needed to pass",
            );
            return 0;
        };
        match u8::try_from(*value.get_ref()) {
            Ok(mark) if mark <= 100 => mark,
            _ => {
                let spot = self.spot(value.span());
                self.error(
                    spot,
                    format!("pass mark {} is outside 0–100", value.get_ref()),
                    "`pass_mark` is a percentage, e.g. `pass_mark = 80`",
                );
                0
            }
        }
    }

    fn question(&mut self, raw: &Spanned<RawQuestion>) -> Option<(Question, QuestionSpots)> {
        let start = self.spot(raw.span());
        let q = raw.get_ref();
        let type_name = q.kind.get_ref().trim();
        let Some(type_name) = QUESTION_TYPES.iter().copied().find(|t| *t == type_name) else {
            let help = match crate::validate::closest(type_name, QUESTION_TYPES.into_iter()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("use one of: {}", QUESTION_TYPES.join(", ")),
            };
            let spot = self.spot(q.kind.span());
            self.error(spot, format!("unknown question type `{type_name}`"), help);
            return None;
        };
        self.reject_keys_of_other_types(q, type_name)?;
        let mut spots = QuestionSpots {
            start,
            id: self.spot(q.id.span()),
            text: self.spot(q.text.span()),
            items: Vec::new(),
        };
        let kind = match type_name {
            "single" | "multiple" => {
                let options = self.present(q.options.as_ref(), "options", type_name, start)?;
                spots.items = options
                    .get_ref()
                    .iter()
                    .map(|o| self.spot(o.span()))
                    .collect();
                if type_name == "single" {
                    QuestionKind::SingleChoice {
                        options: self.single_options(options.get_ref()),
                    }
                } else {
                    QuestionKind::MultipleResponse {
                        options: self.multiple_options(options.get_ref(), start)?,
                    }
                }
            }
            "true-false" => QuestionKind::TrueFalse {
                answer: *self
                    .present(q.answer.as_ref(), "answer", type_name, start)?
                    .get_ref(),
                feedback_true: non_empty(q.feedback_true.as_ref().map(Spanned::get_ref)),
                feedback_false: non_empty(q.feedback_false.as_ref().map(Spanned::get_ref)),
            },
            "short" => {
                let answers = self.present(q.answers.as_ref(), "answers", type_name, start)?;
                spots.items = answers
                    .get_ref()
                    .iter()
                    .map(|a| self.spot(a.span()))
                    .collect();
                QuestionKind::ShortAnswer {
                    accepted: answers
                        .get_ref()
                        .iter()
                        .map(|a| clean(a.get_ref()))
                        .collect(),
                    feedback: non_empty(q.answer_feedback.as_ref().map(Spanned::get_ref)),
                }
            }
            _ => {
                let pairs = self.present(q.pairs.as_ref(), "pairs", type_name, start)?;
                spots.items = pairs
                    .get_ref()
                    .iter()
                    .map(|p| self.spot(p.span()))
                    .collect();
                QuestionKind::Matching {
                    pairs: pairs
                        .get_ref()
                        .iter()
                        .map(|p| (clean(&p.get_ref().left), clean(&p.get_ref().right)))
                        .collect(),
                }
            }
        };
        let see = q.see.as_ref().and_then(|s| {
            let anchor = s.get_ref().trim();
            let anchor = anchor.strip_prefix('#').unwrap_or(anchor);
            if anchor.is_empty() {
                let spot = self.spot(s.span());
                self.error(
                    spot,
                    "`see` is empty",
                    "write the anchor of a section of the policy, e.g. `see = \"4-2-filtering-and-monitoring\"`, or remove `see`",
                );
                return None;
            }
            Some(anchor.to_owned())
        });
        let question = Question {
            id: q.id.get_ref().trim().to_owned(),
            text: clean(q.text.get_ref()),
            kind,
            general_feedback: non_empty(q.feedback.as_ref()),
            see,
            line: start.line,
            see_line: q.see.as_ref().map(|s| self.spot(s.span()).line),
        };
        Some((question, spots))
    }

    /// Reports keys that belong to another type of question (`answers` on a `single` question).
    fn reject_keys_of_other_types(&mut self, q: &RawQuestion, type_name: &str) -> Option<()> {
        let allowed: &[&str] = match type_name {
            "single" | "multiple" => &["options"],
            "true-false" => &["answer", "feedback_true", "feedback_false"],
            "short" => &["answers", "answer_feedback"],
            _ => &["pairs"],
        };
        let present = [
            ("options", q.options.as_ref().map(Spanned::span)),
            ("answer", q.answer.as_ref().map(Spanned::span)),
            ("feedback_true", q.feedback_true.as_ref().map(Spanned::span)),
            (
                "feedback_false",
                q.feedback_false.as_ref().map(Spanned::span),
            ),
            ("answers", q.answers.as_ref().map(Spanned::span)),
            (
                "answer_feedback",
                q.answer_feedback.as_ref().map(Spanned::span),
            ),
            ("pairs", q.pairs.as_ref().map(Spanned::span)),
        ];
        let mut ok = true;
        for (key, span) in present {
            let Some(span) = span else { continue };
            if allowed.contains(&key) {
                continue;
            }
            let spot = self.key_spot(span, key);
            let takes: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
            self.error(
                spot,
                format!("`{key}` does not apply to a `{type_name}` question"),
                format!("a `{type_name}` question takes {}", takes.join(", ")),
            );
            ok = false;
        }
        ok.then_some(())
    }

    /// The position of `key`: its last mention before its value (at `value`) on the same line.
    fn key_spot(&self, value: Range<usize>, key: &str) -> Spot {
        let before = self.text.get(..value.start).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let offset = before[line_start..]
            .rfind(key)
            .map_or(value.start, |i| line_start + i);
        self.spot(offset..offset)
    }

    /// A key the question's type requires; reports it missing.
    fn present<'v, T>(
        &mut self,
        value: Option<&'v T>,
        key: &str,
        type_name: &str,
        start: Spot,
    ) -> Option<&'v T> {
        if value.is_none() {
            let example = match key {
                "options" => "options = [{ text = \"...\", correct = true }, { text = \"...\" }]",
                "answer" => "answer = true",
                "answers" => "answers = [\"...\", \"...\"]",
                _ => "pairs = [{ left = \"...\", right = \"...\" }, ...]",
            };
            self.error(
                start,
                format!("missing `{key}` in a `{type_name}` question"),
                format!("add `{example}`"),
            );
        }
        value
    }

    fn single_options(&mut self, raw: &[Spanned<RawOption>]) -> Vec<Choice> {
        raw.iter()
            .map(|option| {
                let o = option.get_ref();
                if let Some(weight) = &o.weight {
                    let spot = self.key_spot(weight.span(), "weight");
                    self.error(
                        spot,
                        "`weight` applies only to `multiple` questions",
                        "a `single` question has one correct option, worth 100%: remove `weight`, or use `type = \"multiple\"`",
                    );
                }
                Choice {
                    text: clean(&o.text),
                    correct: o.correct,
                    weight: if o.correct { 100.0 } else { 0.0 },
                    feedback: non_empty(o.feedback.as_ref()),
                }
            })
            .collect()
    }

    /// Options of a multiple-response question: correct options share 100% equally unless each
    /// has a `weight`; wrong options weigh 0 unless given a (negative) `weight`.
    fn multiple_options(&mut self, raw: &[Spanned<RawOption>], start: Spot) -> Option<Vec<Choice>> {
        let correct: Vec<&RawOption> = raw
            .iter()
            .map(Spanned::get_ref)
            .filter(|o| o.correct)
            .collect();
        let weighted = correct.iter().filter(|o| o.weight.is_some()).count();
        if weighted != 0 && weighted != correct.len() {
            self.error(
                start,
                "some correct options have a `weight` and some do not",
                "give every correct option a `weight` (adding up to 100), or none to share 100% equally",
            );
            return None;
        }
        let share = equal_share(correct.len());
        let mut ok = true;
        let mut options = Vec::with_capacity(raw.len());
        for option in raw {
            let o = option.get_ref();
            let weight = match (&o.weight, o.correct) {
                (Some(w), true) if *w.get_ref() <= 0.0 => {
                    let spot = self.key_spot(w.span(), "weight");
                    self.error(
                        spot,
                        format!("a correct option has weight {}%", w.get_ref()),
                        "a correct option's weight is positive; mark the option `correct = false` to make it a penalty",
                    );
                    ok = false;
                    0.0
                }
                (Some(w), false) if *w.get_ref() > 0.0 => {
                    let spot = self.key_spot(w.span(), "weight");
                    self.error(
                        spot,
                        format!("an option not marked `correct = true` has weight {}%", w.get_ref()),
                        "add `correct = true`, or make the weight 0 or negative (a penalty for choosing it)",
                    );
                    ok = false;
                    0.0
                }
                (Some(w), _) => *w.get_ref(),
                (None, true) => share,
                (None, false) => 0.0,
            };
            options.push(Choice {
                text: clean(&o.text),
                correct: o.correct,
                weight,
                feedback: non_empty(o.feedback.as_ref()),
            });
        }
        ok.then_some(options)
    }
}

/// 100% shared by `n` options, rounded to 5 decimals as Moodle's grade list is (33.33333).
fn equal_share(n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    (100.0 / n as f64 * 1e5).round() / 1e5
}

/// Trimmed text with LF line endings.
pub(super) fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_owned()
}

fn non_empty<S: AsRef<str>>(text: Option<S>) -> Option<String> {
    text.map(|t| clean(t.as_ref())).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests;
