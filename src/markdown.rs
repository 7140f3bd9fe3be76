//! Markdown to HTML: CommonMark plus tables, footnotes, strikethrough and smart punctuation,
//! with a stable anchor on every heading and the headings kept for the table of contents.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

mod duties;
pub use duties::{DutyKind, Marker, parse_marker};

/// A policy body rendered to HTML, with its headings and the duties it gives to roles.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Headings marked `{role=...}`: each list item under one is a duty of those roles.
    pub role_sections: Vec<RoleSection>,
    /// Paragraphs and list items marked `{role=...}`.
    pub role_marks: Vec<RoleMark>,
    pub duties: Vec<Duty>,
    /// Raw HTML opened and never closed, which would hide the rest of the page.
    pub unclosed_html: Option<UnclosedHtml>,
    /// Pictures of the project it shows (`![…](folder/picture.png)`), checked at load.
    pub pictures: Vec<crate::pictures::PictureRef>,
}

/// Raw HTML whose content a browser reads up to its closing tag, opened and never closed: the
/// rest of the page (the acknowledgement form, the SCORM script) would silently disappear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnclosedHtml {
    /// `<!--`, `<script`, …
    pub opener: &'static str,
    /// What closes it: `-->`, `</script`, …
    pub closer: &'static str,
    /// 1-based line and column of the opener in the file.
    pub line: usize,
    pub column: usize,
}

/// A heading such as `## Responsibilities of the DSL {role=dsl}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleSection {
    /// Each role named, with the 1-based column where it is written.
    pub roles: Vec<(String, usize)>,
    pub anchor: String,
    pub title: String,
    pub level: u8,
    pub line: usize,
    /// The heading's source line, for pointing diagnostics at it.
    pub source_line: String,
    /// `{role=... must-not}`: the section's items are prohibitions.
    pub kind: DutyKind,
    /// Duties the section gives its roles (subsections without roles of their own included).
    pub duty_count: usize,
}

/// A paragraph or list item marked `{role=...}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleMark {
    /// Each role named, with the 1-based column where it is written.
    pub roles: Vec<(String, usize)>,
    pub line: usize,
    pub source_line: String,
}

/// One list item (or marked paragraph) that gives roles something they must, or must not, do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duty {
    pub roles: Vec<String>,
    pub kind: DutyKind,
    /// Anchor and title of the nearest heading above the duty (empty before the first one).
    pub section: String,
    pub section_title: String,
    /// The paragraph that introduces the duty's list ("Staff must not post comments:").
    pub lead_in: Option<LeadIn>,
    /// The item rendered to HTML (without the `<li>`), and as plain text.
    pub html: String,
    pub text: String,
    pub line: usize,
    /// Index into [`Document::role_sections`] of the role heading the duty comes from.
    pub role_section: Option<usize>,
}

/// A sentence that introduces a list of duties; it travels with them to the role pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadIn {
    pub html: String,
    pub text: String,
    pub line: usize,
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

/// The Markdown extensions policybook reads with (also used by the redline in `history`).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`, whose first line is line `first_line` of its file.
pub fn render(body: &str, first_line: usize) -> Document {
    let mut events: Vec<(Event, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let mut doc = Document::default();
    let mut raw_html = RawHtmlTracker::default();
    for (event, range) in &events {
        if let Event::Html(raw) | Event::InlineHtml(raw) = event {
            raw_html.observe(raw, range.start);
        }
    }
    doc.unclosed_html = raw_html.unclosed().map(|(opener, closer, offset)| {
        let (line, column) = crate::source::line_col_at(body, offset);
        UnclosedHtml {
            opener,
            closer,
            line: line + first_line - 1,
            column,
        }
    });

    let headings = finish_headings(&mut events, body, first_line);
    let lines = crate::source::LineIndex::new(body);
    doc.pictures = picture_refs(&events, body, first_line);
    let markers = duties::strip_markers(&mut events, body, &lines, first_line);
    let found = duties::collect(&events, &headings, &markers, body, &lines, first_line);
    drop_marker_only_paragraphs(&mut events, &markers);
    doc.headings = headings.into_iter().map(|h| h.heading).collect();
    doc.role_sections = found.role_sections;
    doc.role_marks = found.role_marks;
    doc.duties = found.duties;

    doc.html = String::with_capacity(body.len() * 5 / 4);
    let events: Vec<Event> = events.into_iter().map(|(e, _)| e).collect();
    pulldown_cmark::html::push_html(&mut doc.html, with_scrolling_tables(events).into_iter());
    doc
}

/// The project files shown as pictures, where they are named.
fn picture_refs(
    events: &[(Event, Range<usize>)],
    body: &str,
    first_line: usize,
) -> Vec<crate::pictures::PictureRef> {
    events
        .iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Image { dest_url, .. }) if crate::pictures::is_local(dest_url) => {
                let (line, column) = crate::source::line_col_at(body, range.start);
                Some(crate::pictures::PictureRef {
                    src: dest_url.to_string(),
                    line: line + first_line - 1,
                    column,
                    source_line: body.lines().nth(line - 1).unwrap_or_default().to_owned(),
                })
            }
            _ => None,
        })
        .collect()
}

/// Puts every table in a box that scrolls sideways on a narrow screen. The box is a labelled
/// region with a focus stop, so someone using a keyboard can scroll it too (WCAG 2.1.1).
fn with_scrolling_tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let labels: Vec<String> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, Event::Start(Tag::Table(_))))
        .enumerate()
        .map(|(n, (k, _))| table_label(n + 1, &events[k..]))
        .collect();
    if labels.is_empty() {
        return events;
    }
    let mut labels = labels.into_iter();
    let mut out = Vec::with_capacity(events.len() + 2 * labels.len());
    for event in events {
        match event {
            Event::Start(Tag::Table(_)) => {
                let label = labels.next().unwrap_or_default();
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
                    html_escape::encode_double_quoted_attribute(&label)
                ))));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            _ => out.push(event),
        }
    }
    out
}

/// "Table 2: Version, Date, Change": the table's number in the document and its column
/// headings, as screen readers announce the scrolling box.
fn table_label(number: usize, from_table: &[Event]) -> String {
    let mut headings = String::new();
    for event in from_table {
        match event {
            Event::End(TagEnd::TableHead) => break,
            Event::End(TagEnd::TableCell) => headings.push_str(", "),
            Event::Text(t) | Event::Code(t) => headings.push_str(t),
            _ => {}
        }
    }
    let headings = headings.trim_end_matches(", ").trim();
    let mut label = format!("Table {number}");
    if !headings.is_empty() {
        label.push_str(": ");
        label.extend(headings.chars().take(100));
    }
    label
}

/// The events of `body` as [`render`] turns them into HTML: headings with their anchors, role
/// markers removed. For other renderings of the same text (the PDFs).
pub fn prepared_events(body: &str, first_line: usize) -> Vec<Event<'_>> {
    let mut events: Vec<(Event, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    finish_headings(&mut events, body, first_line);
    let lines = crate::source::LineIndex::new(body);
    let markers = duties::strip_markers(&mut events, body, &lines, first_line);
    drop_marker_only_paragraphs(&mut events, &markers);
    events.into_iter().map(|(e, _)| e).collect()
}

/// Gives every heading its anchor; returns them with their source lines.
fn finish_headings(
    events: &mut [(Event, Range<usize>)],
    body: &str,
    first_line: usize,
) -> Vec<duties::HeadingAt> {
    let mut used = Anchors::default();
    let mut lines = LineCounter::new(body, first_line);
    let mut found = Vec::new();
    // Index of the open heading's Start event, and its collected text.
    let mut open: Option<(usize, String)> = None;
    for k in 0..events.len() {
        match &events[k].0 {
            Event::Start(Tag::Heading { .. }) => {
                open = Some((k, String::new()));
                lines.advance_to(events[k].1.start);
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = open.as_mut() {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((index, text)) = open.take() {
                    let heading = finish_heading(&mut events[index].0, text, lines.line, &mut used);
                    found.push(duties::HeadingAt {
                        end: k,
                        heading,
                        source_line: lines.current_line_text().to_owned(),
                    });
                }
            }
            _ => {}
        }
    }
    found
}

/// A paragraph that held only a marker (a line `{role=ceo}` above a list) leaves no trace.
fn drop_marker_only_paragraphs(
    events: &mut [(Event, Range<usize>)],
    markers: &HashMap<usize, Marker>,
) {
    for &start in markers.keys() {
        if !matches!(events[start].0, Event::Start(Tag::Paragraph)) {
            continue;
        }
        let Some(end) = (start + 1..events.len())
            .find(|&i| matches!(events[i].0, Event::End(TagEnd::Paragraph)))
        else {
            continue;
        };
        let empty = events[start + 1..end]
            .iter()
            .all(|(e, _)| matches!(e, Event::Text(t) if t.trim().is_empty()));
        if empty {
            events[start].0 = Event::Text(CowStr::Borrowed(""));
            events[end].0 = Event::Text(CowStr::Borrowed(""));
        }
    }
}

/// Elements whose content a browser reads as text up to the closing tag: left open, they
/// swallow everything after them.
const SWALLOWING_HTML: [(&str, &str); 8] = [
    ("<!--", "-->"),
    ("<script", "</script"),
    ("<style", "</style"),
    ("<textarea", "</textarea"),
    ("<title", "</title"),
    ("<iframe", "</iframe"),
    ("<noscript", "</noscript"),
    ("<xmp", "</xmp"),
];

/// Follows the raw HTML pieces of a document (escaped text can neither open nor close
/// anything) and remembers an element of [`SWALLOWING_HTML`] still open at the end.
#[derive(Default)]
struct RawHtmlTracker {
    /// Index into [`SWALLOWING_HTML`] and byte offset of the opener.
    open: Option<(usize, usize)>,
}

impl RawHtmlTracker {
    fn observe(&mut self, raw: &str, offset: usize) {
        let lower = raw.to_ascii_lowercase();
        let mut pos = 0;
        while pos < lower.len() {
            match self.open {
                Some((kind, _)) => match lower[pos..].find(SWALLOWING_HTML[kind].1) {
                    Some(i) => {
                        pos += i + SWALLOWING_HTML[kind].1.len();
                        self.open = None;
                    }
                    None => return,
                },
                None => match first_opener(&lower[pos..]) {
                    Some((kind, i)) => {
                        self.open = Some((kind, offset + pos + i));
                        pos += i + SWALLOWING_HTML[kind].0.len();
                    }
                    None => return,
                },
            }
        }
    }

    /// (opener, closer, byte offset of the opener) of what is still open.
    fn unclosed(&self) -> Option<(&'static str, &'static str, usize)> {
        self.open.map(|(kind, offset)| {
            let (opener, closer) = SWALLOWING_HTML[kind];
            (opener, closer, offset)
        })
    }
}

/// The earliest opener of [`SWALLOWING_HTML`] in `lower`, as (kind, byte index). A tag name
/// must end there (`<titles>` is not `<title`).
fn first_opener(lower: &str) -> Option<(usize, usize)> {
    SWALLOWING_HTML
        .iter()
        .enumerate()
        .filter_map(|(kind, (opener, _))| {
            lower.match_indices(opener).find_map(|(i, _)| {
                let next = lower[i + opener.len()..].chars().next();
                let ends_name = kind == 0
                    || next.is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/');
                ends_name.then_some((kind, i))
            })
        })
        .min_by_key(|&(_, i)| i)
}

/// Renders a short piece of Markdown (a question, an option, feedback). A single paragraph is
/// returned without its `<p>`, so it can sit inside a `<label>` or `<legend>`.
pub fn render_inline(text: &str) -> String {
    let mut raw_html = RawHtmlTracker::default();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        if let Event::Html(raw) | Event::InlineHtml(raw) = &event {
            raw_html.observe(raw, range.start);
        }
    }
    // Left open, raw HTML would swallow the rest of the page: show it as text instead.
    let neutralise = raw_html.unclosed().is_some();
    let events = Parser::new_ext(text, options()).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) if neutralise => Event::Text(raw),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => trimmed.to_owned(),
    }
}

/// Whether `html` (from [`render_inline`]) is phrasing content, allowed inside a `<legend>`.
pub fn is_inline(html: &str) -> bool {
    ![
        "<p>",
        "<ul>",
        "<ol>",
        "<table>",
        "<pre>",
        "<blockquote>",
        "<h",
        "<div",
    ]
    .iter()
    .any(|t| html.contains(t))
}

/// Gives the heading its anchor and strips custom attributes from the HTML (they are data for
/// policybook, not markup: `role=` would otherwise become an invalid ARIA role).
fn finish_heading(start: &mut Event, text: String, line: usize, used: &mut Anchors) -> Heading {
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
    let anchor = unique(unreserved(base), used);
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

/// Ids the page templates use themselves (`main`, `pb-…`, `ack-…`) are moved aside, so a heading
/// can never take the skip link's or a form field's target.
fn unreserved(anchor: String) -> String {
    if anchor == "main" || anchor.starts_with("pb-") || anchor.starts_with("ack-") {
        format!("section-{anchor}")
    } else {
        anchor
    }
}

/// The anchors given out on one page.
#[derive(Default)]
struct Anchors {
    used: HashSet<String>,
    /// For each base, the suffix to try next: 10,000 identical headings would otherwise count
    /// up from 2 each time (quadratic: 20 s).
    next_suffix: HashMap<String, usize>,
    /// Candidates tried, to keep the work linear (tested).
    probes: usize,
}

/// Makes `base` unique on the page by appending `-2`, `-3`, … as GitHub does.
fn unique(base: String, anchors: &mut Anchors) -> String {
    if anchors.used.insert(base.clone()) {
        return base;
    }
    let mut n = anchors.next_suffix.get(&base).copied().unwrap_or(2);
    loop {
        let candidate = format!("{base}-{n}");
        n += 1;
        anchors.probes += 1;
        if anchors.used.insert(candidate.clone()) {
            anchors.next_suffix.insert(base, n);
            return candidate;
        }
    }
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

    /// The text of the line containing the current offset.
    fn current_line_text(&self) -> &'a str {
        let start = self.text[..self.offset]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = self.text[self.offset..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.text.len(), |i| self.offset + i);
        std::str::from_utf8(&self.text[start..end]).unwrap_or_default()
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
    fn many_identical_headings_take_linear_work() {
        let body = "## Same\n\n".repeat(20_000);
        let doc = render(&body, 1);
        assert_eq!(doc.headings.len(), 20_000);
        assert_eq!(doc.headings[1].anchor, "same-2");
        assert_eq!(doc.headings[19_999].anchor, "same-20000");
        // Each suffix is tried once, not counted up from 2 each time.
        let mut anchors = Anchors::default();
        for _ in 0..1000 {
            unique("x".to_owned(), &mut anchors);
        }
        unique("x-5".to_owned(), &mut anchors);
        assert_eq!(unique("x".to_owned(), &mut anchors), "x-1001");
        assert_eq!(anchors.probes, 1001);
    }

    #[test]
    fn raw_html_left_open_is_found() {
        let open = |body: &str| render(body, 10).unclosed_html;
        let comment = open("Intro\n\n<!-- draft note\n\n## Later\n\nText\n").unwrap();
        assert_eq!(
            (comment.opener, comment.line, comment.column),
            ("<!--", 12, 1)
        );
        let script = open("Text <SCRIPT>alert(1)\n\nmore\n").unwrap();
        assert_eq!(
            (script.opener, script.line, script.column),
            ("<script", 10, 6)
        );
        assert_eq!(
            open("<!-- a\nb -->\n\nText <!-- inline -->.\n\n<script>x()</script>\n"),
            None
        );
        // The HTML block ends on the first line holding `-->`; the `-->` below it is escaped
        // paragraph text, which closes nothing.
        let late = open("<!-- a --> ok <!--\nb\n-->\n").unwrap();
        assert_eq!((late.line, late.column), (10, 15));
        assert_eq!(
            open("<titles> and <b>bold</b>\n\nEscaped: `<!--` and \\<!--\n"),
            None
        );
        // Quiz text shows what would swallow the page as text instead.
        assert_eq!(
            render_inline("<!-- Is this hidden?"),
            "&lt;!-- Is this hidden?"
        );
        assert_eq!(
            render_inline("Is <script> shown?"),
            "Is &lt;script&gt; shown?"
        );
        assert_eq!(render_inline("A <b>bold</b> claim"), "A <b>bold</b> claim");
    }

    #[test]
    fn extensions_are_on() {
        let doc = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"new\"[^1]\n\n[^1]: Note.\n",
            1,
        );
        assert!(doc.html.contains("<table>"));
        assert!(doc.html.contains(
            r#"<div class="table-scroll" role="region" tabindex="0" aria-label="Table 1: a, b"><table>"#
        ));
        assert!(doc.html.contains("</table>\n</div>"), "{}", doc.html);
        assert!(doc.html.contains("<del>old</del>"));
        assert!(doc.html.contains("“new”"));
        assert!(doc.html.contains("footnote-definition"));
    }

    #[test]
    fn list_items_under_role_headings_are_duties() {
        let md = "## 5. Responsibilities\n\n### The lead {role=lead}\n\n- Review *logs*\n  - nested detail\n- Train staff\n\n#### Detail\n\n- Still the lead's\n\n### Everyone {role=all-staff,trainer}\n\n1. Report concerns\n\n## 6. Other\n\n- Not a duty\n";
        let doc = render(md, 10);
        let texts: Vec<_> = doc
            .duties
            .iter()
            .map(|d| (d.roles.join("+"), d.text.as_str(), d.line))
            .collect();
        assert_eq!(
            texts,
            [
                ("lead".to_owned(), "Review logs nested detail", 14),
                ("lead".to_owned(), "Train staff", 16),
                ("lead".to_owned(), "Still the lead’s", 20),
                ("all-staff+trainer".to_owned(), "Report concerns", 24),
            ]
        );
        assert_eq!(
            doc.duties[0].html,
            "Review <em>logs</em>\n<ul>\n<li>nested detail</li>\n</ul>"
        );
        assert_eq!(doc.duties[0].section, "the-lead");
        assert_eq!(
            doc.role_sections[1].roles,
            [("all-staff".to_owned(), 20), ("trainer".to_owned(), 30)]
        );
        assert_eq!(
            doc.role_sections[1].source_line,
            "### Everyone {role=all-staff,trainer}"
        );
        assert_eq!(doc.role_sections[1].line, 22);
    }

    #[test]
    fn prohibitions_lead_ins_and_inline_duties() {
        let md = "## Conduct {role=staff}\n\nStaff must:\n\n- Be professional.\n\n### Do not {must-not}\n\n- Post while angry.\n\nStaff must not post comments:\n\n- that are untrue\n- that name learners\n\nThree areas matter: {no-duties}\n\n- content\n- contact\n\nThe head approves filters each term. {role=head}\n\n## Background\n\n- Not a duty\n- Check logs. {role=ict, head}\n  - Also nested. {role=ict}\n  - Not a duty.\n\n{role=learners must-not}\n\n- Share passwords.\n";
        let doc = render(md, 1);
        let got: Vec<_> = doc
            .duties
            .iter()
            .map(|d| {
                (
                    d.roles.join("+"),
                    d.kind,
                    d.text.as_str(),
                    d.lead_in.as_ref().map(|l| l.text.as_str()),
                    d.section.as_str(),
                )
            })
            .collect();
        use DutyKind::{Must, MustNot};
        assert_eq!(
            got,
            [
                (
                    "staff".into(),
                    Must,
                    "Be professional.",
                    Some("Staff must:"),
                    "conduct"
                ),
                ("staff".into(), MustNot, "Post while angry.", None, "do-not"),
                (
                    "staff".into(),
                    MustNot,
                    "that are untrue",
                    Some("Staff must not post comments:"),
                    "do-not"
                ),
                (
                    "staff".into(),
                    MustNot,
                    "that name learners",
                    Some("Staff must not post comments:"),
                    "do-not"
                ),
                // Naming roles starts afresh: the head's duty is not a prohibition.
                (
                    "head".into(),
                    Must,
                    "The head approves filters each term.",
                    None,
                    "do-not"
                ),
                (
                    "ict+head".into(),
                    Must,
                    "Check logs. Also nested. Not a duty.",
                    None,
                    "background"
                ),
                // A nested item is a duty of its own only with a marker.
                ("ict".into(), Must, "Also nested.", None, "background"),
                (
                    "learners".into(),
                    MustNot,
                    "Share passwords.",
                    None,
                    "background"
                ),
            ]
        );
        // Markers never reach the page; a marker alone on a line leaves no empty paragraph.
        assert!(!doc.html.contains('{'), "{}", doc.html);
        assert!(!doc.html.contains("<p></p>"), "{}", doc.html);
        assert!(doc.html.contains("<li>Check logs.\n<ul>"), "{}", doc.html);
        assert_eq!(doc.role_sections[0].duty_count, 4);
        let marks: Vec<_> = doc
            .role_marks
            .iter()
            .map(|m| (m.line, m.roles.clone()))
            .collect();
        assert_eq!(
            marks,
            [
                (21, vec![("head".to_owned(), 44)]),
                (26, vec![("ict".to_owned(), 21), ("head".to_owned(), 26)]),
                (27, vec![("ict".to_owned(), 24)]),
                (30, vec![("learners".to_owned(), 7)]),
            ]
        );
    }

    #[test]
    fn template_ids_are_not_taken_by_headings() {
        let doc = render(
            "## Main {#main}\n\n## PB version {#pb-version}\n\n## Ack name\n",
            1,
        );
        let anchors: Vec<_> = doc.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(
            anchors,
            ["section-main", "section-pb-version", "section-ack-name"]
        );
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
