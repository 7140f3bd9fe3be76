//! Markdown to HTML: CommonMark plus tables, footnotes, strikethrough and smart punctuation,
//! with a stable anchor on every heading and the headings kept for the table of contents.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// A policy body rendered to HTML, with its headings.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub html: String,
    pub headings: Vec<Heading>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// Plain text of the heading (no markup).
    pub text: String,
    /// The `id` of the heading element: `{#custom}` if given, else a slug of the text.
    pub anchor: String,
    /// 1-based line of the heading in the source file.
    pub line: usize,
    /// `key=value` attributes from `## Title {key=value}`, kept for later stages (roles).
    pub attrs: Vec<(String, Option<String>)>,
}

/// One entry of a nested table of contents.
#[derive(Clone, Debug, Serialize)]
pub struct TocEntry {
    pub anchor: String,
    pub text: String,
    pub children: Vec<TocEntry>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`, whose first line is line `first_line` of its file.
pub fn render(body: &str, first_line: usize) -> Document {
    let mut events: Vec<Event> = Vec::new();
    let mut headings = Vec::new();
    let mut used = HashSet::new();
    // Index into `events` of the open heading's Start event, and its collected text.
    let mut open: Option<(usize, String)> = None;
    let mut lines = LineCounter::new(body, first_line);

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Heading { .. }) => {
                open = Some((events.len(), String::new()));
                lines.advance_to(range.start);
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = open.as_mut() {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((index, text)) = open.take() {
                    let heading = finish_heading(&mut events[index], text, lines.line, &mut used);
                    headings.push(heading);
                }
            }
            _ => {}
        }
        events.push(event);
    }

    let mut html = String::with_capacity(body.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Document { html, headings }
}

/// Gives the heading its anchor and strips custom attributes from the HTML (they are data for
/// policybook, not markup: `role=` would otherwise become an invalid ARIA role).
fn finish_heading(
    start: &mut Event,
    text: String,
    line: usize,
    used: &mut HashSet<String>,
) -> Heading {
    let Event::Start(Tag::Heading {
        level, id, attrs, ..
    }) = start
    else {
        unreachable!("finish_heading is only called with the heading's Start event")
    };
    let base = match id.as_deref() {
        Some(custom) if !custom.is_empty() => custom.to_owned(),
        _ => slugify(&text),
    };
    let anchor = unique(base, used);
    *id = Some(CowStr::from(anchor.clone()));
    let attrs = std::mem::take(attrs)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.map(|v| v.to_string())))
        .collect();
    Heading {
        level: heading_level(*level),
        text: text.trim().to_owned(),
        anchor,
        line,
        attrs,
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// `"4.1 Using AI tools"` → `"4-1-using-ai-tools"`: lower-case letters and digits, `-` between.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') && !matches!(c, '\'' | '’') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    }
}

/// Makes `base` unique on the page by appending `-2`, `-3`, … as GitHub does.
fn unique(base: String, used: &mut HashSet<String>) -> String {
    if used.insert(base.clone()) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .expect("an unused suffix always exists")
}

/// Nests headings of levels 2 and 3 (or 1 and 2 when the body uses level-1 headings).
pub fn table_of_contents(headings: &[Heading]) -> Vec<TocEntry> {
    let Some(top) = headings.iter().map(|h| h.level).min() else {
        return Vec::new();
    };
    let mut toc: Vec<TocEntry> = Vec::new();
    for h in headings.iter().filter(|h| h.level <= top + 1) {
        let entry = TocEntry {
            anchor: h.anchor.clone(),
            text: h.text.clone(),
            children: vec![],
        };
        match toc.last_mut() {
            Some(parent) if h.level > top => parent.children.push(entry),
            _ => toc.push(entry),
        }
    }
    toc
}

/// Turns byte offsets into line numbers, moving forward only (headings come in order).
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: first_line,
        }
    }

    fn advance_to(&mut self, offset: usize) {
        let offset = offset.min(self.text.len());
        if offset > self.offset {
            self.line += self.text[self.offset..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.offset = offset;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_stable_and_readable() {
        assert_eq!(slugify("4.1 Using AI tools"), "4-1-using-ai-tools");
        assert_eq!(slugify("Do / Do not"), "do-do-not");
        assert_eq!(
            slugify("Learners’ responsibilities"),
            "learners-responsibilities"
        );
        assert_eq!(slugify("¿?"), "section");
    }

    #[test]
    fn headings_get_unique_anchors_and_lines() {
        let doc = render(
            "## Scope\n\ntext\n\n## Scope\n\n### Custom {#mine role=trainer}\n",
            5,
        );
        let anchors: Vec<_> = doc.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["scope", "scope-2", "mine"]);
        let lines: Vec<_> = doc.headings.iter().map(|h| h.line).collect();
        assert_eq!(lines, [5, 9, 11]);
        assert_eq!(
            doc.headings[2].attrs,
            [("role".to_owned(), Some("trainer".to_owned()))]
        );
        assert!(
            doc.html.contains(r#"<h3 id="mine">Custom</h3>"#),
            "{}",
            doc.html
        );
        assert!(!doc.html.contains("role="));
    }

    #[test]
    fn extensions_are_on() {
        let doc = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"new\"[^1]\n\n[^1]: Note.\n",
            1,
        );
        assert!(doc.html.contains("<table>"));
        assert!(doc.html.contains("<del>old</del>"));
        assert!(doc.html.contains("“new”"));
        assert!(doc.html.contains("footnote-definition"));
    }

    #[test]
    fn toc_nests_two_levels() {
        let doc = render("## A\n### A1\n#### deep\n### A2\n## B\n", 1);
        let toc = table_of_contents(&doc.headings);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[1].anchor, "b");
    }
}
