//! Writing a quiz as GIFT that Moodle imports and that [`super::parse_gift`] reads back.

use std::fmt::Write as _;

use crate::quiz::{Question, QuestionKind, Quiz};

/// Writes the quiz as GIFT that Moodle imports: a `$CATEGORY:` line named after the quiz title,
/// then each question with its id as the Moodle question name and its text marked `[markdown]`.
/// Settings GIFT cannot hold (pass mark, draw, shuffle) are in [`side_file`].
///
/// Reading the result with [`super::parse_gift`] gives back the same questions.
pub fn to_gift(quiz: &Quiz) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "$CATEGORY: {}", category_path(&quiz.title));
    out.push('\n');
    let _ = writeln!(
        out,
        "// Quiz `{}` on policy `{}`, exported by policybook. Question names are stable ids.",
        one_line(&quiz.id),
        one_line(&quiz.policy)
    );
    for question in &quiz.questions {
        out.push('\n');
        write_question(&mut out, question);
    }
    out
}

/// The side file of a GIFT quiz (`<name>.quiz.toml`) holding `quiz`'s settings.
pub fn side_file(quiz: &Quiz) -> String {
    #[derive(serde::Serialize)]
    struct SideFile<'a> {
        id: &'a str,
        title: &'a str,
        policy: &'a str,
        pass_mark: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        draw: Option<usize>,
        shuffle: bool,
    }
    let side = SideFile {
        id: &quiz.id,
        title: &quiz.title,
        policy: &quiz.policy,
        pass_mark: quiz.pass_mark,
        draw: quiz.draw,
        shuffle: quiz.shuffle,
    };
    toml::to_string(&side).unwrap_or_default()
}

/// Moodle's category path: `/` separates levels, so a `/` in the title is doubled. The category
/// line is not unescaped by Moodle, so backslashes (which would start escapes) are dropped.
fn category_path(title: &str) -> String {
    let name = one_line(title).replace('\\', "").replace('/', "//");
    format!("$course$/top/Policies/{name}")
}

fn one_line(text: &str) -> String {
    text.split(['\n', '\r']).collect::<Vec<_>>().join(" ")
}

fn write_question(out: &mut String, question: &Question) {
    if let Some(see) = &question.see {
        let _ = writeln!(out, "// see: {}", one_line(see));
    }
    let _ = write!(
        out,
        "::{}::[markdown]{}",
        escape(&question.id),
        escape(&question.text)
    );
    let general = question
        .general_feedback
        .as_deref()
        .map(|g| format!("####{}", formatted(g)));
    if let QuestionKind::TrueFalse {
        answer,
        feedback_true,
        feedback_false,
    } = &question.kind
    {
        let (right, wrong) = if *answer {
            (feedback_true, feedback_false)
        } else {
            (feedback_false, feedback_true)
        };
        out.push('{');
        out.push_str(if *answer { "TRUE" } else { "FALSE" });
        // As Moodle writes it: `#wrong#right`, with an empty wrong feedback when only the
        // right one is given.
        match (wrong, right) {
            (Some(wrong), _) => out.push_str(&format!("#{}", formatted(wrong))),
            (None, Some(_)) => out.push('#'),
            (None, None) => {}
        }
        if let Some(right) = right {
            out.push_str(&format!("#{}", formatted(right)));
        }
        out.push_str(general.as_deref().unwrap_or_default());
        out.push_str("}\n");
        return;
    }
    out.push_str("{\n");
    for line in answer_lines(&question.kind) {
        let _ = writeln!(out, "\t{line}");
    }
    if let Some(general) = general {
        let _ = writeln!(out, "\t{general}");
    }
    out.push_str("}\n");
}

fn answer_lines(kind: &QuestionKind) -> Vec<String> {
    let with_feedback = |marker: String, text: &str, feedback: &Option<String>| {
        let mut line = format!("{marker}{}", formatted(text));
        if let Some(feedback) = feedback {
            line.push_str(&format!(" #{}", formatted(feedback)));
        }
        line
    };
    match kind {
        QuestionKind::SingleChoice { options } => options
            .iter()
            .map(|o| {
                let marker = if o.correct { "=" } else { "~" };
                with_feedback(marker.to_owned(), &o.text, &o.feedback)
            })
            .collect(),
        QuestionKind::MultipleResponse { options } => options
            .iter()
            .map(|o| {
                let marker = if o.weight == 0.0 {
                    "~".to_owned()
                } else {
                    format!("~%{}%", o.weight)
                };
                with_feedback(marker, &o.text, &o.feedback)
            })
            .collect(),
        QuestionKind::ShortAnswer { accepted, feedback } => accepted
            .iter()
            .map(|a| with_feedback("=".to_owned(), a, feedback))
            .collect(),
        QuestionKind::Matching { pairs } => pairs
            .iter()
            .map(|(left, right)| format!("={} -> {}", formatted(left), escape(right)))
            .collect(),
        QuestionKind::TrueFalse { .. } => Vec::new(),
    }
}

/// Escapes text that Moodle reads with `parse_text_with_format`. Text starting with `[` (which
/// would be read as a format marker) or `%` (read as a weight) is marked `[markdown]` first:
/// Moodle removes the marker and keeps the rest.
fn formatted(text: &str) -> String {
    if text.starts_with(['[', '%']) {
        format!("[markdown]{}", escape(text))
    } else {
        escape(text)
    }
}

/// Moodle's `repchar`: escapes `\ # = ~ { } :`, writes new lines as `\n` and drops `\r`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '#' | '=' | '~' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}
