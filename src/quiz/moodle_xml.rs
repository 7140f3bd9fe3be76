//! Moodle XML export: the lossless format Moodle's question bank imports
//! (Question bank → Import → Moodle XML format, with "Get category from file" ticked).

use std::fmt::Write as _;

use super::{Choice, Question, QuestionKind, Quiz};

/// Writes the quiz as Moodle XML: the XML declaration, a category question named after the quiz
/// title (`$course$/top/Policies/<title>`), then one question per question of the quiz, with the
/// question id as its `<name>`. Question text, options and feedback are Markdown rendered to HTML
/// in CDATA sections; short answers and matching answers stay plain text, as Moodle compares
/// them with what learners type or shows them in a menu.
pub fn to_moodle_xml(quiz: &Quiz) -> String {
    let mut xml = Xml::default();
    xml.line(0, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    xml.line(0, "<quiz>");
    write_category(&mut xml, quiz);
    for question in &quiz.questions {
        write_question(&mut xml, question, quiz.shuffle);
    }
    xml.line(0, "</quiz>");
    xml.out
}

/// An XML document written line by line, indented by two spaces per level.
#[derive(Default)]
struct Xml {
    out: String,
}

impl Xml {
    fn line(&mut self, depth: usize, text: &str) {
        let _ = writeln!(self.out, "{:indent$}{text}", "", indent = depth * 2);
    }

    /// `<tag><text>escaped</text></tag>`, with optional attributes on `tag`.
    fn plain(&mut self, depth: usize, tag: &str, attrs: &str, text: &str) {
        self.line(
            depth,
            &format!("<{tag}{attrs}><text>{}</text></{tag}>", escape(text)),
        );
    }

    /// `<tag format="html"><text><![CDATA[html]]></text></tag>`.
    fn html(&mut self, depth: usize, tag: &str, html: &str) {
        self.line(
            depth,
            &format!(
                r#"<{tag} format="html"><text>{}</text></{tag}>"#,
                cdata(html)
            ),
        );
    }
}

fn write_category(xml: &mut Xml, quiz: &Quiz) {
    let title = quiz.title.replace(['\n', '\r'], " ").replace('/', "//");
    xml.line(1, r#"<question type="category">"#);
    xml.plain(2, "category", "", &format!("$course$/top/Policies/{title}"));
    xml.plain(
        2,
        "info",
        r#" format="plain_text""#,
        &format!(
            "Questions of the quiz `{}` on policy `{}`, exported by policybook.",
            quiz.id, quiz.policy
        ),
    );
    xml.line(1, "</question>");
}

fn write_question(xml: &mut Xml, question: &Question, shuffle: bool) {
    let qtype = match question.kind {
        QuestionKind::SingleChoice { .. } | QuestionKind::MultipleResponse { .. } => "multichoice",
        QuestionKind::TrueFalse { .. } => "truefalse",
        QuestionKind::ShortAnswer { .. } => "shortanswer",
        QuestionKind::Matching { .. } => "matching",
    };
    xml.line(1, &format!(r#"<question type="{qtype}">"#));
    xml.plain(2, "name", "", &question.id);
    xml.html(2, "questiontext", &block_html(&question.text));
    xml.html(
        2,
        "generalfeedback",
        &question
            .general_feedback
            .as_deref()
            .map(block_html)
            .unwrap_or_default(),
    );
    xml.line(2, "<defaultgrade>1</defaultgrade>");
    // Moodle's defaults: a true/false question loses everything on a retry, others a third.
    let penalty = if qtype == "truefalse" {
        "1"
    } else {
        "0.3333333"
    };
    xml.line(2, &format!("<penalty>{penalty}</penalty>"));
    xml.line(2, "<hidden>0</hidden>");
    match &question.kind {
        QuestionKind::SingleChoice { options } => write_choices(xml, options, true, shuffle),
        QuestionKind::MultipleResponse { options } => write_choices(xml, options, false, shuffle),
        QuestionKind::TrueFalse {
            answer,
            feedback_true,
            feedback_false,
        } => {
            write_true_false(xml, "true", *answer, feedback_true.as_deref());
            write_true_false(xml, "false", !*answer, feedback_false.as_deref());
        }
        QuestionKind::ShortAnswer { accepted, feedback } => {
            xml.line(2, "<usecase>0</usecase>");
            for answer in accepted {
                xml.line(2, r#"<answer fraction="100" format="moodle_auto_format">"#);
                xml.line(3, &format!("<text>{}</text>", escape(answer)));
                xml.html(
                    3,
                    "feedback",
                    &feedback.as_deref().map(inline_html).unwrap_or_default(),
                );
                xml.line(2, "</answer>");
            }
        }
        QuestionKind::Matching { pairs } => {
            xml.line(2, &format!("<shuffleanswers>{shuffle}</shuffleanswers>"));
            for (left, right) in pairs {
                xml.line(2, r#"<subquestion format="html">"#);
                xml.line(3, &format!("<text>{}</text>", cdata(&inline_html(left))));
                xml.line(
                    3,
                    &format!("<answer><text>{}</text></answer>", escape(right)),
                );
                xml.line(2, "</subquestion>");
            }
        }
    }
    xml.line(1, "</question>");
}

fn write_choices(xml: &mut Xml, options: &[Choice], single: bool, shuffle: bool) {
    xml.line(2, &format!("<single>{single}</single>"));
    xml.line(2, &format!("<shuffleanswers>{shuffle}</shuffleanswers>"));
    xml.line(2, "<answernumbering>abc</answernumbering>");
    for option in options {
        xml.line(
            2,
            &format!(r#"<answer fraction="{}" format="html">"#, option.weight),
        );
        xml.line(
            3,
            &format!("<text>{}</text>", cdata(&inline_html(&option.text))),
        );
        xml.html(
            3,
            "feedback",
            &option
                .feedback
                .as_deref()
                .map(inline_html)
                .unwrap_or_default(),
        );
        xml.line(2, "</answer>");
    }
}

/// Moodle's XML import recognises the true and false answers by the texts `true` and `false`.
fn write_true_false(xml: &mut Xml, text: &str, right: bool, feedback: Option<&str>) {
    let fraction = if right { 100 } else { 0 };
    xml.line(
        2,
        &format!(r#"<answer fraction="{fraction}" format="moodle_auto_format">"#),
    );
    xml.line(3, &format!("<text>{text}</text>"));
    xml.html(
        3,
        "feedback",
        &feedback.map(inline_html).unwrap_or_default(),
    );
    xml.line(2, "</answer>");
}

/// Markdown rendered as the rest of policybook renders it.
fn block_html(markdown: &str) -> String {
    crate::markdown::render(markdown, 1)
        .html
        .trim_end()
        .to_owned()
}

/// Markdown for an option or a feedback: a single paragraph loses its `<p>` wrapper, so that it
/// sits inline in Moodle's answer labels.
fn inline_html(markdown: &str) -> String {
    let html = block_html(markdown);
    match html
        .strip_prefix("<p>")
        .and_then(|inner| inner.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => html,
    }
}

/// Escapes text for element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| is_xml_char(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// A CDATA section holding `text`; `]]>` inside is split across two sections. Empty text needs
/// no section.
fn cdata(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let text: String = text.chars().filter(|&c| is_xml_char(c)).collect();
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

/// XML 1.0 forbids most control characters even when escaped: they are dropped.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests;
