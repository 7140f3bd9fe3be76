//! Writes an imported policy as policybook Markdown: YAML front matter, then the body, with
//! every character that Markdown would read as syntax escaped, so the text says what the
//! document said.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::document::{Block, Inline, ParaRole, Table};
use super::shape::{Field, Shaped};
use crate::new::yaml_string;

/// What the writer needs besides the shaped document.
pub struct Links<'a> {
    /// Picture part → the path the policy links it by.
    pub images: &'a HashMap<String, String>,
    /// Heading block index → role id.
    pub roles: &'a HashMap<usize, String>,
    /// Note id → its text.
    pub notes: &'a [(String, Vec<Inline>)],
    /// The file it came from, for the comment at the top of the front matter.
    pub source_name: &'a str,
}

pub fn policy_markdown(shaped: &Shaped, links: &Links) -> String {
    let mut out = front_matter(shaped, links.source_name);
    let mut notes_used: Vec<String> = Vec::new();
    let mut writer = BodyWriter {
        links,
        notes_used: &mut notes_used,
    };
    let mut previous_item = false;
    for (i, block) in shaped.blocks.iter().enumerate() {
        let item = matches!(block, Block::Para(p) if matches!(p.role, ParaRole::Item { .. }));
        if !(item && previous_item) {
            out.push('\n');
        }
        previous_item = item;
        match block {
            Block::Para(para) => match para.role {
                ParaRole::Heading(level) => {
                    let hashes = "#".repeat(usize::from(level.clamp(2, 6)));
                    let text = writer.inlines(&para.inlines, Context::Heading);
                    let role = links
                        .roles
                        .get(&i)
                        .map_or(String::new(), |id| format!(" {{role={id}}}"));
                    let _ = writeln!(out, "{hashes} {}{role}", text.trim());
                }
                ParaRole::Item { level, ordered } => {
                    let indent = "    ".repeat(usize::from(level.min(8)));
                    let marker = if ordered { "1." } else { "-" };
                    let text = writer.inlines(&para.inlines, Context::Item);
                    let _ = writeln!(out, "{indent}{marker} {}", text.trim());
                }
                ParaRole::Title | ParaRole::Body => {
                    let text = writer.inlines(&para.inlines, Context::Paragraph);
                    let _ = writeln!(out, "{}", text.trim());
                }
            },
            Block::Table(table) => out.push_str(&writer.table(table)),
        }
    }
    if !notes_used.is_empty() {
        out.push('\n');
        for (n, id) in notes_used.clone().iter().enumerate() {
            let text = links
                .notes
                .iter()
                .find(|(note, _)| note == id)
                .map(|(_, inlines)| {
                    BodyWriter {
                        links,
                        notes_used: &mut Vec::new(),
                    }
                    .inlines(inlines, Context::Item)
                })
                .unwrap_or_default();
            let _ = writeln!(out, "[^{}]: {}", n + 1, text.trim());
        }
    }
    out
}

fn front_matter(shaped: &Shaped, source_name: &str) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(
        out,
        "# Imported from {} by policybook import: check every field.",
        yaml_comment(source_name)
    );
    if let Some(title) = &shaped.title {
        let _ = writeln!(out, "title: {}", yaml_string(&title.value));
    }
    let order = [
        Field::Version,
        Field::Owner,
        Field::ApprovedBy,
        Field::Approved,
        Field::Effective,
        Field::LastReviewed,
        Field::ReviewedBy,
        Field::ReviewDue,
        Field::Category,
    ];
    for field in order {
        if let Some(mapped) = shaped.fields.iter().find(|m| m.field == field) {
            let value = if field.is_date() {
                mapped.value.clone()
            } else {
                yaml_string(&mapped.value)
            };
            let _ = writeln!(out, "{}: {value}", field.key());
        }
    }
    let revisions = revisions_with_author(shaped);
    if !revisions.is_empty() {
        out.push_str("revisions:\n");
        for r in &revisions {
            let _ = writeln!(out, "  - version: {}", yaml_string(&r.version));
            if let Some(date) = &r.date {
                let _ = writeln!(out, "    date: {date}");
            }
            for (key, value) in [
                ("author", &r.author),
                ("approved_by", &r.approved_by),
                ("summary", &r.summary),
            ] {
                if let Some(value) = value {
                    let _ = writeln!(out, "    {key}: {}", yaml_string(value));
                }
            }
        }
    }
    out.push_str("---\n");
    out
}

/// The revisions, with the document control's "Author" given to the current version (the
/// front matter has no author of its own): on its revision if the table has one, else on a
/// revision made for it.
fn revisions_with_author(shaped: &Shaped) -> Vec<super::shape::Revision> {
    let mut revisions = shaped.revisions.clone();
    let field = |f| {
        shaped
            .fields
            .iter()
            .find(|m| m.field == f)
            .map(|m| m.value.clone())
    };
    if let (Some(author), Some(version)) = (field(Field::Author), field(Field::Version)) {
        match revisions.iter_mut().find(|r| r.version == version) {
            Some(current) => {
                current.author.get_or_insert(author);
            }
            None => revisions.insert(
                0,
                super::shape::Revision {
                    version,
                    date: field(Field::Approved).filter(|d| d.len() == 10),
                    author: Some(author),
                    approved_by: field(Field::ApprovedBy),
                    summary: None,
                },
            ),
        }
    }
    revisions
}

fn yaml_comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Heading,
    Paragraph,
    Item,
    Cell,
    /// A table's header row: bold already, like a heading.
    HeaderCell,
}

struct BodyWriter<'a, 'l> {
    links: &'a Links<'l>,
    notes_used: &'a mut Vec<String>,
}

impl BodyWriter<'_, '_> {
    fn inlines(&mut self, inlines: &[Inline], context: Context) -> String {
        // A line break at either end shows nothing (and would leave a lone `\`).
        let start = inlines
            .iter()
            .position(|i| *i != Inline::Break)
            .unwrap_or(inlines.len());
        let end = inlines
            .iter()
            .rposition(|i| *i != Inline::Break)
            .map_or(start, |e| e + 1);
        let mut out = String::new();
        for inline in &inlines[start..end] {
            match inline {
                // A heading is bold already: its own formatting would only add markers.
                Inline::Text(span) if matches!(context, Context::Heading | Context::HeaderCell) => {
                    out.push_str(&escape(&span.text, context))
                }
                Inline::Text(span) => {
                    let after = out.chars().next_back();
                    out.push_str(&emphasised(
                        &escape(&span.text, context),
                        (span.bold, span.italic),
                        after,
                    ))
                }
                Inline::Link { href, inlines } => {
                    let text = self.inlines(inlines, context);
                    match safe_href(href) {
                        Some(href) if !text.trim().is_empty() => {
                            let _ = write!(out, "[{}](<{href}>)", text.trim());
                        }
                        _ => out.push_str(&text),
                    }
                }
                Inline::Image { part, alt } => {
                    if let Some(path) = self.links.images.get(part) {
                        let _ = write!(out, "![{}](<{path}>)", escape(alt, Context::Cell));
                    }
                }
                Inline::Note(id) => {
                    let n = match self.notes_used.iter().position(|u| u == id) {
                        Some(n) => n,
                        None => {
                            self.notes_used.push(id.clone());
                            self.notes_used.len() - 1
                        }
                    };
                    let _ = write!(out, "[^{}]", n + 1);
                }
                Inline::Break => match context {
                    Context::Paragraph => out.push_str("\\\n"),
                    Context::Cell | Context::HeaderCell => out.push_str("<br>"),
                    Context::Heading | Context::Item => out.push(' '),
                },
            }
        }
        if context != Context::Paragraph {
            out = out.replace('\n', " ");
        }
        match context {
            // A heading's marker comes first, so its text cannot start anything else.
            Context::Heading => out,
            // Each line after a line break could start a list, a heading or a rule too.
            Context::Paragraph => out
                .split('\n')
                .map(|line| escape_line_start(line.trim_start()))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => escape_line_start(&out),
        }
    }

    fn table(&mut self, table: &Table) -> String {
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let mut rows: Vec<Vec<String>> = table
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let context = if i == 0 {
                    Context::HeaderCell
                } else {
                    Context::Cell
                };
                let mut cells: Vec<String> = row
                    .iter()
                    .map(|c| self.inlines(c, context).trim().to_owned())
                    .collect();
                cells.resize(columns, String::new());
                cells
            })
            .collect();
        // Markdown tables need a header row: the document's, or else its first row.
        let header = if rows.is_empty() {
            vec![String::new(); columns]
        } else {
            rows.remove(0)
        };
        let mut out = String::new();
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        out.push_str(&line(&header));
        out.push_str(&format!("|{}\n", "---|".repeat(columns)));
        for row in &rows {
            out.push_str(&line(row));
        }
        out
    }
}

/// `**bold**`, `*italic*`, with the spaces around the text kept outside the markers. Where
/// Markdown would not read the markers as emphasis (the text starts or ends with punctuation, or
/// follows a letter or another marker), `<strong>` and `<em>` say the same.
fn emphasised(text: &str, (bold, italic): (bool, bool), after: Option<char>) -> String {
    if !(bold || italic) || text.trim().is_empty() {
        return text.to_owned();
    }
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    let inner = &text[start..end];
    let plain_ends =
        inner.starts_with(char::is_alphanumeric) && inner.ends_with(char::is_alphanumeric);
    let before = if start > 0 { Some(' ') } else { after };
    let free_before =
        before.is_none_or(|c| c.is_whitespace() || (c.is_ascii_punctuation() && c != '*'));
    let (open, close) = if plain_ends && free_before {
        match (bold, italic) {
            (true, true) => ("***", "***"),
            (true, false) => ("**", "**"),
            _ => ("*", "*"),
        }
    } else {
        match (bold, italic) {
            (true, true) => ("<strong><em>", "</em></strong>"),
            (true, false) => ("<strong>", "</strong>"),
            _ => ("<em>", "</em>"),
        }
    };
    format!("{}{open}{inner}{close}{}", &text[..start], &text[end..])
}

/// Escapes what Markdown would read as syntax inside a line.
fn escape(text: &str, context: Context) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let entity = c == '&'
            && chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
                .count()
                > 0
            && chars[i + 1..]
                .iter()
                .find(|c| !(c.is_ascii_alphanumeric() || **c == '#'))
                == Some(&';');
        // In a heading, `{…}` at the end would be read as attributes (a backslash does not stop
        // that) and a closing `#` dropped: write them as character references and escaped.
        if context == Context::Heading && matches!(c, '{' | '}') {
            out.push_str(if c == '{' { "&#123;" } else { "&#125;" });
            continue;
        }
        let special = matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~')
            || (c == '|' && matches!(context, Context::Cell | Context::HeaderCell))
            || (c == '#' && context == Context::Heading)
            || entity;
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line that would start a heading, list, quote or rule is escaped at its first character.
fn escape_line_start(line: &str) -> String {
    let trimmed = line.trim_start();
    let lead = &line[..line.len() - trimmed.len()];
    let first = trimmed.chars().next();
    let list_number = {
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')'))
    };
    if list_number {
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        return format!("{lead}{}\\{}", &trimmed[..digits], &trimmed[digits..]);
    }
    match first {
        Some('#' | '>' | '-' | '+' | '=' | '|' | ':') => format!("{lead}\\{trimmed}"),
        _ => line.to_owned(),
    }
}

/// Web, mail and telephone links, as written; anything else (scripts, files) is not linked.
fn safe_href(href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    let allowed = ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme));
    (allowed && !href.contains(['<', '>', '\n']))
        .then(|| href.replace(' ', "%20").replace('\\', "%5C"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_syntax_in_text_is_escaped() {
        assert_eq!(
            escape("a*b_c [x] <y> `z`", Context::Paragraph),
            "a\\*b\\_c \\[x\\] \\<y> \\`z\\`"
        );
        assert_eq!(
            escape("Skills & Training &amp;", Context::Paragraph),
            "Skills & Training \\&amp;"
        );
        assert_eq!(escape_line_start("1. Lock"), "1\\. Lock");
        assert_eq!(escape_line_start("# not a heading"), "\\# not a heading");
        assert_eq!(escape_line_start("Plain"), "Plain");
        assert_eq!(
            escape("Appendix {draft} #", Context::Heading),
            "Appendix &#123;draft&#125; \\#"
        );
    }

    #[test]
    fn every_line_of_a_paragraph_with_breaks_is_escaped() {
        let links = Links {
            images: &HashMap::new(),
            roles: &HashMap::new(),
            notes: &[],
            source_name: "x.docx",
        };
        let mut writer = BodyWriter {
            links: &links,
            notes_used: &mut Vec::new(),
        };
        let text = |t: &str| {
            Inline::Text(super::super::document::Span {
                text: t.into(),
                ..Default::default()
            })
        };
        let inlines = [
            text("Signed"),
            Inline::Break,
            text("---"),
            Inline::Break,
            text(" - not a list"),
        ];
        assert_eq!(
            writer.inlines(&inlines, Context::Paragraph),
            "Signed\\\n\\---\\\n\\- not a list"
        );
    }

    #[test]
    fn emphasis_keeps_spaces_outside() {
        assert_eq!(emphasised(" safe ", (true, false), Some('a')), " **safe** ");
        assert_eq!(emphasised("x", (true, true), None), "***x***");
        // Where the markers would not be read as emphasis.
        assert_eq!(
            emphasised("(DSL)", (true, false), Some('d')),
            "<strong>(DSL)</strong>"
        );
        assert_eq!(
            emphasised("note", (false, true), Some('*')),
            "<em>note</em>"
        );
    }

    #[test]
    fn only_web_mail_and_phone_links_are_kept() {
        assert_eq!(
            safe_href("https://example.org/a b").as_deref(),
            Some("https://example.org/a%20b")
        );
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href("file:///etc/passwd"), None);
    }
}
