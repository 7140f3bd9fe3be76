//! GIFT, Moodle's plain-text question format: import (read as Moodle's
//! `question/format/gift/format.php` reads it) and export.
//!
//! # A GIFT quiz is two files
//!
//! GIFT holds questions only, so a quiz written in GIFT is `quizzes/<name>.gift` plus a settings
//! file with the same name, `quizzes/<name>.quiz.toml`, holding the quiz-level keys of the TOML
//! format and no questions:
//!
//! ```toml
//! # quizzes/social-media.quiz.toml
//! id = "social-media-quiz"   # optional, default: the file name (`social-media`)
//! title = "Social Media Policy: check your understanding"
//! policy = "social-media"    # id of the policy the quiz tests
//! pass_mark = 80             # percent
//! draw = 6                   # optional: questions drawn from the pool for each attempt
//! shuffle = true             # optional, default true
//! ```
//!
//! # The GIFT that policybook reads
//!
//! ```text
//! $CATEGORY: $course$/top/Policies/Social media
//!
//! // see: 5-1-professional-boundaries-with-learners
//! ::smq-requests:: A current learner sends you a friend request. What do you do? {
//!   =Ignore or decline it, and mention it at supervision #Right: see section 5.1.
//!   ~Accept it but never message them #No: no connections on personal accounts.
//!   ####Section 5.1 covers professional boundaries.
//! }
//!
//! ::smq-private:: Staff keep personal accounts private. {TRUE#They do: see 5.2.#Right.}
//! ```
//!
//! - Questions are separated by blank lines. A line whose text starts with `//` is a comment
//!   (`//` later in a line is text). A line holding only `0` is rejected: Moodle reads it as a
//!   blank line.
//! - Every question starts with its id between double colons, `::id::`: ids must stay the same
//!   from one version of the quiz to the next (they become SCORM interaction ids). Ids use ASCII
//!   letters, digits, `-`, `_` and `.`, at most 64 characters.
//! - `// see: <anchor>` on a comment line in the question's block (no blank line between) links
//!   the question to a section of the policy, e.g. `// see: 4-2-filtering-and-monitoring`.
//!   Moodle ignores it, as it ignores every comment.
//! - The answers go between `{` and `}` after the question text:
//!   - single choice: `{=right ~wrong ~wrong}`, exactly one `=`;
//!   - multiple response: no `=`, every right answer weighted, `{~%50%right ~%50%right
//!     ~%-100%wrong ~wrong}`; the weights of the right answers add up to 100 (Moodle's rule),
//!     a wrong answer may have a negative weight (a penalty);
//!   - true/false: `{TRUE}`, `{FALSE}`, `{T}` or `{F}` (in capitals), optionally followed by
//!     `#feedback for a wrong answer#feedback for a right answer`, as Moodle reads it;
//!   - short answer: `{=answer =other spelling}` (compared case-insensitively), no `~`;
//!   - matching: `{=left -> right =left -> right}`, at least two pairs.
//! - `#feedback` after an answer is shown when that answer is chosen; `####feedback` at the end
//!   of the answers is shown whatever the answer. A short-answer question has one feedback for
//!   all its answers: give it once, or the same on every answer.
//! - `$CATEGORY:` blocks (alone in their block, as Moodle needs) are accepted and ignored: an
//!   export takes its category from the quiz title.
//! - Write `\:` `\#` `\=` `\{` `\}` `\~` `\\` for the literal characters, and `\n` for a new line.
//! - Text is Markdown. A leading `[markdown]` or `[moodle]` format marker is accepted and removed.
//!
//! Rejected, with the file, line and reason: questions without an id; numerical (`{#...}`),
//! essay (`{}`) and description (no braces) questions; the missing-word form (text after the
//! closing brace); `[html]` and `[plain]` text formats; weights in single-choice questions
//! (`~%50%`) and short answers (`=%50%`), and `=%50%` in choice questions (Moodle would keep
//! `%50%` as answer text); feedback on matching pairs; and a number of right answers that does
//! not fit the question's kind.

mod export;
mod text;

use std::path::Path;

use super::check::{self, QuestionSpots, Spot};
use super::native;
use super::{Choice, Question, QuestionKind, Quiz, SourceFormat};
use crate::error::Diagnostic;
pub use export::{side_file, to_gift};
use text::{
    Block, Ch, contains_raw, find_raw, optional_text, read_blocks, rfind_raw, split_raw, spot_of,
    starts_with_raw, text_of, trim_raw,
};

/// Parses a GIFT quiz: `text` is the `.gift` file (named `display` in messages) and `side_text`
/// its `.quiz.toml` settings file (named `side_display`); `stem` is the name both share, the
/// default quiz id. Returns the quiz when it could be read (it may still have problems, which
/// are among the diagnostics) and every problem found.
pub fn parse_gift(
    text: &str,
    display: &Path,
    side_text: &str,
    side_display: &Path,
    stem: &str,
) -> (Option<Quiz>, Vec<Diagnostic>) {
    let (settings, mut diags) = native::parse_side_file(side_text, stem, side_display);
    let mut questions = Vec::new();
    let mut spots = Vec::new();
    let mut question_blocks = 0;
    let (blocks, block_errors) = read_blocks(text);
    let mut errors = block_errors;
    for block in &blocks {
        match parse_block(block) {
            Ok(Some((question, spot))) => {
                question_blocks += 1;
                questions.push(question);
                spots.push(spot);
            }
            Ok(None) => {}
            Err(error) => {
                question_blocks += 1;
                errors.push(error);
            }
        }
    }
    errors.sort_by_key(|e| (e.spot.line, e.spot.col));
    diags.extend(errors.into_iter().map(|e| e.into_diagnostic(display, text)));
    let Some(settings) = settings else {
        return (None, diags);
    };
    let draw_spot = settings.draw_spot;
    let quiz = settings.into_quiz(questions, display, text, SourceFormat::Gift);
    if question_blocks == 0 {
        diags.push(
            Diagnostic::error(display, "the file has no questions")
                .at(text, 1, 1)
                .help("add questions separated by blank lines, e.g. `::q1:: Question text? {=right answer ~wrong answer}`"),
        );
    } else {
        diags.extend(check::check_draw(&quiz, draw_spot, question_blocks));
    }
    diags.extend(check::check_quiz(&quiz, &spots));
    (Some(quiz), diags)
}

/// A problem in a GIFT file, before it is given the file's name.
#[derive(Debug)]
struct GiftError {
    spot: Spot,
    message: String,
    help: String,
}

impl GiftError {
    fn new(spot: Spot, message: impl Into<String>, help: impl Into<String>) -> Self {
        GiftError {
            spot,
            message: message.into(),
            help: help.into(),
        }
    }

    fn into_diagnostic(self, display: &Path, text: &str) -> Diagnostic {
        Diagnostic::error(display, self.message)
            .at(text, self.spot.line, self.spot.col)
            .help(self.help)
    }
}

type Parsed<T> = Result<T, GiftError>;

// ---------------------------------------------------------------------------------------------
// Parsing one block (Moodle's `readquestion`).

/// Parses a block: `Ok(None)` for blocks that hold no question (comments, `$CATEGORY:`).
fn parse_block(block: &Block) -> Parsed<Option<(Question, QuestionSpots)>> {
    let chars = &block.chars[..];
    if chars.is_empty() || starts_with_raw(chars, "$CATEGORY:") {
        if let Some(see) = &block.see {
            return Err(GiftError::new(
                see.spot,
                "`// see:` is not part of a question",
                "put it on a line directly above the question's `::id::`, with no blank line between",
            ));
        }
        if chars.iter().any(|ch| ch.is('\n')) {
            return Err(GiftError::new(
                spot_of(chars, block.first),
                "`$CATEGORY:` must be alone in its block",
                "add a blank line after the `$CATEGORY:` line: Moodle reads the whole block as the category name",
            ));
        }
        return Ok(None);
    }

    let start = spot_of(chars, block.first);
    let (id, id_spot, rest) = read_name(chars)?;
    let parts = split_answer_block(rest, start)?;
    let text_chars = take_format(parts.question)?;
    let (answers, general) = split_general_feedback(parts.answers);
    // Moodle looks for a format marker right after `####`, before trimming.
    let general_feedback = match general {
        Some(general) => optional_text(take_format(general)?),
        None => None,
    };
    let (kind, items) = read_answers(answers, parts.open)?;
    let question = Question {
        id,
        text: text_of(text_chars),
        kind,
        general_feedback,
        see: block.see.as_ref().map(|s| s.anchor.clone()),
        line: start.line,
        see_line: block.see.as_ref().map(|s| s.spot.line),
    };
    let spots = QuestionSpots {
        start,
        id: id_spot,
        text: spot_of(trim_raw(text_chars), start),
        items,
    };
    Ok(Some((question, spots)))
}

/// Reads `::id::` and returns the id, where it is, and the rest of the block (trimmed).
fn read_name(chars: &[Ch]) -> Parsed<(String, Spot, &[Ch])> {
    let start = spot_of(chars, Spot::START);
    if !starts_with_raw(chars, "::") {
        return Err(GiftError::new(
            start,
            "the question has no id",
            "start every question with its id between double colons, e.g. `::esq-filtering:: Which…? {…}`: ids must stay the same from one version of the quiz to the next",
        ));
    }
    let after = &chars[2..];
    let Some(end) = find_raw(after, "::") else {
        return Err(GiftError::new(
            start,
            "the question id is not closed with `::`",
            "write the id between double colons, e.g. `::esq-filtering::`",
        ));
    };
    let id_spot = spot_of(trim_raw(&after[..end]), start);
    Ok((text_of(&after[..end]), id_spot, trim_raw(&after[end + 2..])))
}

struct AnswerBlock<'a> {
    /// The question text: everything before `{`.
    question: &'a [Ch],
    /// Between `{` and `}`, trimmed.
    answers: &'a [Ch],
    /// Where `{` is.
    open: Spot,
}

/// Finds the answers between the first `{` and the first `}`, and rejects the forms policybook
/// does not support: descriptions (no braces), the missing-word form (text after `}`).
fn split_answer_block(rest: &[Ch], start: Spot) -> Parsed<AnswerBlock<'_>> {
    let brace_help = "write a literal brace as `\\{` or `\\}`";
    let open = find_raw(rest, "{");
    let close = find_raw(rest, "}");
    let (open, close) = match (open, close) {
        (None, None) => {
            return Err(GiftError::new(
                start,
                "the question has no answers in braces (a Moodle description), which is not supported",
                "add the answers between `{` and `}`, e.g. `{=right ~wrong}`",
            ));
        }
        (Some(open), None) => {
            return Err(GiftError::new(
                rest[open].spot,
                "`{` is not closed by `}`",
                format!("end the answers with `}}`; {brace_help}"),
            ));
        }
        (None, Some(close)) => {
            return Err(GiftError::new(
                rest[close].spot,
                "`}` has no opening `{`",
                brace_help,
            ));
        }
        (Some(open), Some(close)) if close < open => {
            return Err(GiftError::new(
                rest[close].spot,
                "`}` comes before the opening `{`",
                brace_help,
            ));
        }
        (Some(open), Some(close)) => (open, close),
    };
    let inner = &rest[open + 1..close];
    if let Some(nested) = find_raw(inner, "{") {
        return Err(GiftError::new(
            inner[nested].spot,
            "`{` inside the answers",
            format!("close the answers with `}}` first; {brace_help}"),
        ));
    }
    let after = trim_raw(&rest[close + 1..]);
    if let Some(first) = after.first() {
        let (message, help) = if contains_raw(after, '{') || contains_raw(after, '}') {
            (
                "more than one `{…}` in a question",
                format!("a question has one block of answers; {brace_help}"),
            )
        } else {
            (
                "text after the answers (Moodle's missing-word form) is not supported",
                "put the whole question text before `{`".to_owned(),
            )
        };
        return Err(GiftError::new(first.spot, message, help));
    }
    Ok(AnswerBlock {
        question: &rest[..open],
        answers: trim_raw(inner),
        open: rest[open].spot,
    })
}

/// Moodle's `parse_text_with_format`: a leading `[format]` sets the text's format. Markdown
/// (and Moodle's default format, which unmarked text has) are read as Markdown; HTML and plain
/// text are rejected. Any other `[...]` is part of the text.
fn take_format(chars: &[Ch]) -> Parsed<&[Ch]> {
    if !chars.first().is_some_and(|ch| ch.is('[')) {
        return Ok(chars);
    }
    let Some(end) = chars.iter().position(|ch| ch.is(']')) else {
        return Ok(chars);
    };
    let name: String = chars[1..end].iter().map(|ch| ch.c).collect();
    match name.as_str() {
        "markdown" | "moodle" => Ok(&chars[end + 1..]),
        "html" | "plain" => Err(GiftError::new(
            chars[0].spot,
            format!("the `[{name}]` text format is not supported"),
            format!(
                "policybook texts are Markdown: remove `[{name}]` and write the text in Markdown"
            ),
        )),
        _ => Ok(chars),
    }
}

/// Splits off `####general feedback`: the text after the last `####`, as Moodle's `strrpos`.
fn split_general_feedback(answers: &[Ch]) -> (&[Ch], Option<&[Ch]>) {
    match rfind_raw(answers, "####") {
        Some(at) => (trim_raw(&answers[..at]), Some(&answers[at + 4..])),
        None => (answers, None),
    }
}

/// Detects the question type as Moodle does, in its order, and reads the answers.
fn read_answers(answers: &[Ch], open: Spot) -> Parsed<(QuestionKind, Vec<Spot>)> {
    let at = spot_of(answers, open);
    if answers.is_empty() {
        return Err(GiftError::new(
            open,
            "essay questions (`{}`) are not supported",
            "policybook marks every question automatically: give the answers between the braces",
        ));
    }
    if answers[0].is('#') {
        return Err(GiftError::new(
            at,
            "numerical questions (`{#...}`) are not supported",
            "ask for the number as a choice (`{=12 months ~6 months}`) or a short answer (`{=12}`)",
        ));
    }
    if contains_raw(answers, '~') {
        return read_choices(answers, open);
    }
    if contains_raw(answers, '=') && find_raw(answers, "->").is_some() {
        return read_pairs(answers, open);
    }
    let before_feedback = match find_raw(answers, "#") {
        Some(hash) if hash > 0 => trim_raw(&answers[..hash]),
        _ => answers,
    };
    let word: String = before_feedback.iter().map(|ch| ch.c).collect();
    if matches!(word.as_str(), "T" | "TRUE" | "F" | "FALSE") {
        return read_true_false(answers);
    }
    read_short_answers(answers, open)
}

/// Moodle's answer weight, `%50%`, at the start of an answer: returns the weight and how many
/// characters it takes. Moodle's pattern is `^%\-*([0-9]{1,2})\.?([0-9]*)%`; one `-` at most is
/// accepted because PHP cannot divide `--50`.
fn read_weight(chars: &[Ch]) -> Parsed<Option<(f64, usize)>> {
    if !chars.first().is_some_and(|ch| ch.is('%')) {
        return Ok(None);
    }
    let close = chars
        .iter()
        .skip(1)
        .position(|ch| ch.is('%'))
        .map(|i| i + 1);
    let Some(close) = close else {
        return Ok(None);
    };
    let inside: String = chars[1..close].iter().map(|ch| ch.c).collect();
    let valid = {
        let digits = inside.strip_prefix('-').unwrap_or(&inside);
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        !whole.is_empty()
            && whole.chars().all(|c| c.is_ascii_digit())
            && fraction.chars().all(|c| c.is_ascii_digit())
    };
    match inside.parse::<f64>() {
        Ok(weight) if valid => Ok(Some((weight, close + 1))),
        // Text such as `%abc%` is not a weight for Moodle either: it stays part of the answer.
        _ if !inside.chars().all(|c| "+-.0123456789 ,".contains(c)) => Ok(None),
        _ => Err(GiftError::new(
            chars[0].spot,
            format!("`%{inside}%` is not a weight"),
            "write a weight as a number of percent between two `%`, e.g. `~%50%` or `~%-100%`",
        )),
    }
}

/// Moodle's `commentparser`: the answer's text, and its feedback after the first `#`.
fn answer_and_feedback(chars: &[Ch]) -> Parsed<(String, Option<String>)> {
    let (answer, feedback) = match find_raw(chars, "#") {
        Some(hash) => (&chars[..hash], Some(&chars[hash + 1..])),
        None => (chars, None),
    };
    let text = text_of(take_format(trim_raw(answer))?);
    let feedback = match feedback {
        Some(feedback) => optional_text(take_format(trim_raw(feedback))?),
        None => None,
    };
    Ok((text, feedback))
}

/// Rejects text before the first `=` or `~`, which Moodle would take as an answer.
fn nothing_before_first(first: &[Ch], example: &str) -> Parsed<()> {
    let first = trim_raw(first);
    match first.first() {
        None => Ok(()),
        Some(ch) => Err(GiftError::new(
            ch.spot,
            format!("`{}` comes before the first answer", text_of(first)),
            format!("start every answer with its marker, e.g. `{example}`"),
        )),
    }
}

/// Multiple choice: one `=` makes a single-choice question; without `=`, the weights `~%50%`
/// make a multiple-response question.
fn read_choices(answers: &[Ch], open: Spot) -> Parsed<(QuestionKind, Vec<Spot>)> {
    let single = contains_raw(answers, '=');
    // Moodle replaces `=` with `~=` and splits at `~`: an answer starts at each `~` or `=`.
    let mut parts: Vec<(Spot, &[Ch])> = Vec::new();
    let mut from = 0;
    let mut spot = open;
    for (index, ch) in answers.iter().enumerate() {
        if ch.is('~') || ch.is('=') {
            parts.push((spot, &answers[from..index]));
            from = if ch.is('~') { index + 1 } else { index };
            spot = ch.spot;
        }
    }
    parts.push((spot, &answers[from..]));
    nothing_before_first(parts[0].1, "=right ~wrong")?;

    let mut options = Vec::new();
    let mut spots = Vec::new();
    for (spot, part) in parts.into_iter().skip(1) {
        let part = trim_raw(part);
        let (weight, body) = if part.first().is_some_and(|ch| ch.is('=')) {
            let body = trim_raw(&part[1..]);
            if read_weight(body)?.is_some() {
                return Err(GiftError::new(
                    spot,
                    "`=%…%` in a multiple-choice question: Moodle reads `=` as 100% and keeps the `%…%` as answer text",
                    "write a weighted answer as `~%50%answer`, or the right answer as `=answer`",
                ));
            }
            (100.0, body)
        } else {
            match read_weight(part)? {
                Some((weight, taken)) => (weight, &part[taken..]),
                None => (0.0, part),
            }
        };
        if single && weight != 0.0 && weight != 100.0 {
            return Err(GiftError::new(
                spot,
                "a weight (`~%…%`) in a single-choice question is not supported",
                "mark wrong answers with `~` alone; for several right answers, write every answer as `~%weight%answer`, with no `=`",
            ));
        }
        if single && weight == 100.0 && !part.first().is_some_and(|ch| ch.is('=')) {
            return Err(GiftError::new(
                spot,
                "`~%100%` in a question that has a `=` answer",
                "mark every right answer of a single-choice question with `=`",
            ));
        }
        let (text, feedback) = answer_and_feedback(body)?;
        options.push(Choice {
            text,
            correct: weight > 0.0,
            weight,
            feedback,
        });
        spots.push(spot);
    }
    let kind = if single {
        QuestionKind::SingleChoice { options }
    } else {
        QuestionKind::MultipleResponse { options }
    };
    Ok((kind, spots))
}

/// True/false, Moodle's `split_truefalse_comment`: the first `#` starts the feedback for a wrong
/// answer, the second the feedback for a right one.
fn read_true_false(answers: &[Ch]) -> Parsed<(QuestionKind, Vec<Spot>)> {
    let mut bits = answers.splitn(3, |ch| ch.is('#'));
    let word = text_of(bits.next().unwrap_or_default());
    let wrong = bits.next().map(read_feedback).transpose()?.flatten();
    let right = bits.next().map(read_feedback).transpose()?.flatten();
    let answer = matches!(word.as_str(), "T" | "TRUE");
    let (feedback_true, feedback_false) = if answer {
        (right, wrong)
    } else {
        (wrong, right)
    };
    let kind = QuestionKind::TrueFalse {
        answer,
        feedback_true,
        feedback_false,
    };
    Ok((kind, Vec::new()))
}

fn read_feedback(chars: &[Ch]) -> Parsed<Option<String>> {
    Ok(optional_text(take_format(trim_raw(chars))?))
}

/// Short answer: `=answer` for each accepted answer, one feedback shared by all.
fn read_short_answers(answers: &[Ch], open: Spot) -> Parsed<(QuestionKind, Vec<Spot>)> {
    let parts = split_raw(answers, '=', open);
    let first = trim_raw(parts[0].1);
    if let Some(ch) = first.first() {
        let text = text_of(first);
        let help = if matches!(text.to_lowercase().as_str(), "t" | "true" | "f" | "false") {
            "for a true/false question write `{TRUE}` or `{FALSE}` in capitals".to_owned()
        } else {
            "start every accepted answer with `=`, e.g. `{=phishing =a phishing email}`".to_owned()
        };
        return Err(GiftError::new(
            ch.spot,
            format!("`{text}` is not an answer: short answers start with `=`"),
            help,
        ));
    }
    let mut accepted = Vec::new();
    let mut spots = Vec::new();
    let mut shared: Option<String> = None;
    for (spot, part) in parts.into_iter().skip(1) {
        let part = trim_raw(part);
        let body = match read_weight(part)? {
            Some((weight, _)) if weight != 100.0 => {
                return Err(GiftError::new(
                    spot,
                    "partial credit (`=%…%`) for a short answer is not supported",
                    "every accepted answer is fully right: remove the weight, or remove the answer",
                ));
            }
            Some((_, taken)) => &part[taken..],
            None => part,
        };
        let (text, feedback) = answer_and_feedback(body)?;
        if let Some(feedback) = feedback {
            match &shared {
                Some(first) if *first != feedback => {
                    return Err(GiftError::new(
                        spot,
                        "the answers of a short-answer question have different feedback",
                        "give the feedback once, e.g. after the last answer: `{=phishing =a phishing email #Right.}`",
                    ));
                }
                _ => shared = Some(feedback),
            }
        }
        accepted.push(text);
        spots.push(spot);
    }
    let kind = QuestionKind::ShortAnswer {
        accepted,
        feedback: shared,
    };
    Ok((kind, spots))
}

/// Matching: `=left -> right` pairs. Moodle has no per-pair feedback: a `#` would be text.
fn read_pairs(answers: &[Ch], open: Spot) -> Parsed<(QuestionKind, Vec<Spot>)> {
    let parts = split_raw(answers, '=', open);
    nothing_before_first(parts[0].1, "=left -> right")?;
    let mut pairs = Vec::new();
    let mut spots = Vec::new();
    for (spot, part) in parts.into_iter().skip(1) {
        let part = trim_raw(part);
        let Some(arrow) = find_raw(part, "->") else {
            return Err(GiftError::new(
                spot,
                format!("matching pair `{}` has no `->`", text_of(part)),
                "write each pair as `=left -> right`",
            ));
        };
        if let Some(hash) = find_raw(part, "#") {
            return Err(GiftError::new(
                part[hash].spot,
                "feedback (`#`) on a matching pair is not supported",
                "Moodle would show it as part of the pair: give feedback with `####` after the pairs, and write a literal `#` as `\\#`",
            ));
        }
        let left = text_of(take_format(&part[..arrow])?);
        let right = text_of(&part[arrow + 2..]);
        pairs.push((left, right));
        spots.push(spot);
    }
    Ok((QuestionKind::Matching { pairs }, spots))
}

#[cfg(test)]
mod tests;
