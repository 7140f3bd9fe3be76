//! Duties and prohibitions: who must (or must not) do what, from `{…}` markers in a policy.
//!
//! A marker is written at the end of a heading, a paragraph or a list item:
//!
//! - `{role=a,b}`: the roles the text applies to;
//! - `must-not`: the items are prohibitions (`{role=staff must-not}`, or `{must-not}` alone
//!   inside a role's section);
//! - `no-duties`: the list (or section) is not duties, e.g. examples under a role heading.
//!
//! On a heading it covers every top-level list item of the section. A paragraph that ends with a
//! colon right before a list introduces it: its marker covers the list, and the paragraph travels
//! with the items as their lead-in (a marker alone on a line above a list does the same, without
//! text). On any other paragraph, or on a list item, a marker covers that paragraph or item.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Serialize;

use super::{Duty, Heading, LeadIn, RoleMark, RoleSection};
use crate::source::LineIndex;

/// Whether a duty is something to do or something not to do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DutyKind {
    #[default]
    Must,
    MustNot,
}

/// What one `{…}` marker says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marker {
    /// Each role named, with the 1-based column in the file where it is written. A name may
    /// hold spaces (`{role=Parents and Carers}`): it is kept whole, so messages quote it whole.
    pub roles: Vec<(String, usize)>,
    pub must_not: bool,
    pub no_duties: bool,
    /// 1-based line of the marker in the file.
    pub line: usize,
}

impl Marker {
    fn says_something(&self) -> bool {
        !self.roles.is_empty() || self.must_not || self.no_duties
    }
}

const MUST_NOT: &str = "must-not";
const NO_DUTIES: &str = "no-duties";

/// Parses the inside of `{…}`; `column` is the file column of its first character. Words after
/// `role=` up to the next `must-not`, `no-duties`, `#id`, `.class` or `key=value` belong to the
/// role list.
pub fn parse_marker(inner: &str, line: usize, column: usize) -> Marker {
    let mut marker = Marker {
        line,
        ..Marker::default()
    };
    // Byte range in `inner` of the role list.
    let mut roles: Option<Range<usize>> = None;
    let mut in_roles = false;
    for (start, word) in words(inner) {
        let end = start + word.len();
        if word == MUST_NOT {
            marker.must_not = true;
            in_roles = false;
        } else if word == NO_DUTIES {
            marker.no_duties = true;
            in_roles = false;
        } else if let Some(value) = word.strip_prefix("role=") {
            let value_start = end - value.len();
            roles = Some(value_start..end);
            in_roles = true;
        } else if word.starts_with(['#', '.']) || word.contains('=') {
            in_roles = false;
        } else if in_roles && let Some(range) = roles.as_mut() {
            range.end = end;
        }
    }
    if let Some(range) = roles {
        let mut offset = range.start;
        for part in inner[range.clone()].split(',') {
            let name = part.trim();
            if !name.is_empty() {
                let at = offset + (part.len() - part.trim_start().len());
                marker
                    .roles
                    .push((name.to_owned(), column + inner[..at].chars().count()));
            }
            offset += part.len() + 1;
        }
    }
    marker
}

/// Whitespace-separated words with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// The marker at the end of a heading's source line (pulldown-cmark has already taken it out
/// of the heading's text and attributes).
pub(super) fn heading_marker(source_line: &str, line: usize) -> Option<Marker> {
    let trimmed = source_line.trim_end();
    let open = trimmed.strip_suffix('}')?.rfind('{')?;
    let inner = &trimmed[open + 1..trimmed.len() - 1];
    let marker = parse_marker(inner, line, trimmed[..open].chars().count() + 2);
    marker.says_something().then_some(marker)
}

/// Takes markers off the end of paragraphs and list items, so they never reach the page.
/// Returns them by the index of the paragraph's or item's Start event.
pub(super) fn strip_markers(
    events: &mut [(Event<'_>, Range<usize>)],
    body: &str,
    lines: &LineIndex,
    first_line: usize,
) -> HashMap<usize, Marker> {
    let mut found = HashMap::new();
    // Open paragraphs and items: Start index, and whether its own text has been looked at.
    let mut open: Vec<(usize, bool)> = Vec::new();
    for k in 0..events.len() {
        match &events[k].0 {
            Event::Start(Tag::Paragraph | Tag::Item) => open.push((k, false)),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                if let Some((start, false)) = open.pop() {
                    strip_one(events, start..k, body, lines, first_line, &mut found);
                }
            }
            Event::Start(tag) if is_block(tag) => {
                // A block inside a tight list item ends the item's own text.
                if let Some((start, done)) = open.last_mut()
                    && !*done
                    && matches!(events[*start].0, Event::Start(Tag::Item))
                {
                    *done = true;
                    let start = *start;
                    strip_one(events, start..k, body, lines, first_line, &mut found);
                }
            }
            _ => {}
        }
    }
    found
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::List(_)
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::Heading { .. }
            | Tag::Table(_)
            | Tag::HtmlBlock
            | Tag::FootnoteDefinition(_)
    )
}

/// Looks for a marker in the text events that end `block` (Start index .. End index).
fn strip_one(
    events: &mut [(Event<'_>, Range<usize>)],
    block: Range<usize>,
    body: &str,
    lines: &LineIndex,
    first_line: usize,
    found: &mut HashMap<usize, Marker>,
) {
    let mut first = block.end;
    while first > block.start + 1 && matches!(events[first - 1].0, Event::Text(_)) {
        first -= 1;
    }
    if first == block.end {
        return;
    }
    let joined: String = events[first..block.end]
        .iter()
        .map(|(e, _)| match e {
            Event::Text(t) => t.as_ref(),
            _ => "",
        })
        .collect();
    let trimmed = joined.trim_end();
    let Some(open) = trimmed.strip_suffix('}').and_then(|t| t.rfind('{')) else {
        return;
    };
    // Where the `{` is in the source, for the columns of the role names.
    let source_end = events[block.end - 1].1.end.min(body.len());
    let Some(brace) = body[..source_end].rfind('{') else {
        return;
    };
    let line = lines.line_of(brace);
    let line_start = body[..brace].rfind('\n').map_or(0, |i| i + 1);
    let column = body[line_start..brace].chars().count() + 2;
    let inner = &trimmed[open + 1..trimmed.len() - 1];
    let marker = parse_marker(inner, line + first_line - 1, column);
    if !marker.says_something() {
        return;
    }
    let kept = joined[..open].trim_end().to_owned();
    events[first].0 = Event::Text(CowStr::from(kept));
    for (event, _) in &mut events[first + 1..block.end] {
        *event = Event::Text(CowStr::Borrowed(""));
    }
    found.insert(block.start, marker);
}

/// The roles and kind in force at a point of the document.
#[derive(Clone, Debug, Default)]
struct Scope {
    roles: Vec<String>,
    must_not: bool,
    no_duties: bool,
    /// The role heading the roles come from (index into `role_sections`), for counting.
    section: Option<usize>,
}

impl Scope {
    /// The scope inside `self` after `marker`: its roles replace the outer ones, and
    /// `must-not`/`no-duties` hold until roles are named again.
    fn with(&self, marker: Option<&Marker>) -> Scope {
        let Some(m) = marker else {
            return self.clone();
        };
        if m.roles.is_empty() {
            Scope {
                roles: self.roles.clone(),
                must_not: m.must_not || self.must_not,
                no_duties: m.no_duties || self.no_duties,
                section: self.section,
            }
        } else {
            Scope {
                roles: m.roles.iter().map(|(r, _)| r.clone()).collect(),
                must_not: m.must_not,
                no_duties: m.no_duties,
                section: None,
            }
        }
    }

    fn gives_duties(&self) -> bool {
        !self.roles.is_empty() && !self.no_duties
    }
}

/// A finished heading, by the index of its End event.
pub(super) struct HeadingAt {
    pub end: usize,
    pub heading: Heading,
    pub source_line: String,
}

/// What [`collect`] found.
#[derive(Default)]
pub(super) struct Collected {
    pub role_sections: Vec<RoleSection>,
    pub role_marks: Vec<RoleMark>,
    pub duties: Vec<Duty>,
}

/// Walks the document once, keeping the role headings in force, and turns list items and
/// marked paragraphs into duties.
pub(super) fn collect(
    events: &[(Event<'_>, Range<usize>)],
    headings: &[HeadingAt],
    markers: &HashMap<usize, Marker>,
    body: &str,
    lines: &LineIndex,
    first_line: usize,
) -> Collected {
    let mut walk = Walk {
        events,
        markers,
        body,
        lines,
        first_line,
        scopes: Vec::new(),
        section: (String::new(), String::new()),
        list: None,
        out: Collected::default(),
    };
    let mut headings = headings.iter().peekable();
    let mut list_depth = 0usize;
    // Start index of each open list item, outermost first.
    let mut items: Vec<usize> = Vec::new();
    for (k, (event, _)) in events.iter().enumerate() {
        match event {
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = headings.next_if(|h| h.end == k) {
                    walk.enter_heading(h);
                }
            }
            Event::Start(Tag::List(_)) => {
                if list_depth == 0 {
                    walk.start_list(k);
                }
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) => items.push(k),
            Event::End(TagEnd::Item) => {
                if let Some(start) = items.pop() {
                    walk.end_item(start, k, list_depth == 1);
                }
            }
            Event::End(TagEnd::Paragraph) if list_depth == 0 => walk.end_paragraph(k),
            _ => {}
        }
    }
    walk.finish()
}

/// A top-level list: the scope its items are in and the paragraph that introduces it.
struct ListContext {
    scope: Scope,
    lead_in: Option<LeadIn>,
}

struct Walk<'e, 'a> {
    events: &'e [(Event<'a>, Range<usize>)],
    markers: &'e HashMap<usize, Marker>,
    body: &'e str,
    lines: &'e LineIndex,
    first_line: usize,
    /// Marked headings in force, outermost first.
    scopes: Vec<(u8, Scope)>,
    /// Anchor and title of the nearest heading: where a duty links to.
    section: (String, String),
    list: Option<ListContext>,
    out: Collected,
}

impl Walk<'_, '_> {
    fn scope(&self) -> Scope {
        self.scopes
            .last()
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }

    fn enter_heading(&mut self, at: &HeadingAt) {
        let h = &at.heading;
        self.section = (h.anchor.clone(), h.text.clone());
        self.scopes.retain(|(level, _)| *level < h.level);
        let Some(marker) = heading_marker(&at.source_line, h.line) else {
            return;
        };
        let mut scope = self.scope().with(Some(&marker));
        if !marker.roles.is_empty() {
            scope.section = Some(self.out.role_sections.len());
            self.out.role_sections.push(RoleSection {
                roles: marker.roles.clone(),
                anchor: h.anchor.clone(),
                title: h.text.clone(),
                level: h.level,
                line: h.line,
                source_line: at.source_line.clone(),
                kind: kind_of(&scope),
                duty_count: 0,
            });
        }
        self.scopes.push((h.level, scope));
    }

    /// A list starts at `k`: a paragraph just before it is its lead-in when it is marked or ends
    /// with a colon ("Staff must not post comments:").
    fn start_list(&mut self, k: usize) {
        let mut scope = self.scope();
        let mut lead_in = None;
        if let Some(start) = self.paragraph_before(k) {
            let inner = &self.events[start + 1..k - 1];
            let text = plain_text(inner);
            if introduces_list(&text) {
                let marker = self.markers.get(&start);
                self.note_role_mark(marker);
                scope = scope.with(marker);
                if !text.is_empty() {
                    lead_in = Some(LeadIn {
                        html: to_html(inner),
                        text,
                        line: self.line_of(start),
                    });
                }
            }
        }
        self.list = Some(ListContext { scope, lead_in });
    }

    /// The Start index of a top-level paragraph that ends right before `k`.
    fn paragraph_before(&self, k: usize) -> Option<usize> {
        if k == 0 || !matches!(self.events[k - 1].0, Event::End(TagEnd::Paragraph)) {
            return None;
        }
        (0..k - 1)
            .rev()
            .find(|&i| matches!(self.events[i].0, Event::Start(Tag::Paragraph)))
    }

    /// A top-level item takes the roles in force; a nested one is a duty of its own only when
    /// it carries a marker that names roles (otherwise it is part of its parent's text).
    fn end_item(&mut self, start: usize, end: usize, top_level: bool) {
        // In a loose list the item's text is its first paragraph.
        let marker = self.markers.get(&start).or_else(|| {
            matches!(
                self.events.get(start + 1),
                Some((Event::Start(Tag::Paragraph), _))
            )
            .then(|| self.markers.get(&(start + 1)))
            .flatten()
        });
        self.note_role_mark(marker);
        let Some(list) = &self.list else {
            return;
        };
        if !top_level && marker.is_none_or(|m| m.roles.is_empty()) {
            return;
        }
        let scope = list.scope.with(marker);
        if scope.gives_duties() {
            let lead_in = list.lead_in.clone();
            self.push_duty(&scope, start + 1..end, lead_in);
        }
    }

    /// A marked paragraph is a duty itself, unless it introduces the list after it.
    fn end_paragraph(&mut self, end: usize) {
        let Some(start) = (0..end)
            .rev()
            .find(|&i| matches!(self.events[i].0, Event::Start(Tag::Paragraph)))
        else {
            return;
        };
        let Some(marker) = self.markers.get(&start) else {
            return;
        };
        let text = plain_text(&self.events[start + 1..end]);
        let before_list = matches!(
            self.events.get(end + 1),
            Some((Event::Start(Tag::List(_)), _))
        );
        if introduces_list(&text) && before_list {
            return; // Handled with its list.
        }
        self.note_role_mark(Some(marker));
        let scope = self.scope().with(Some(marker));
        if scope.gives_duties() && !text.is_empty() {
            self.push_duty(&scope, start + 1..end, None);
        }
    }

    /// Records the roles a paragraph or item marker names, for checking against the register.
    fn note_role_mark(&mut self, marker: Option<&Marker>) {
        let Some(m) = marker.filter(|m| !m.roles.is_empty()) else {
            return;
        };
        let source_line = self
            .body
            .lines()
            .nth(m.line - self.first_line)
            .unwrap_or_default();
        let mark = RoleMark {
            roles: m.roles.clone(),
            line: m.line,
            source_line: source_line.to_owned(),
        };
        self.out.role_marks.push(mark);
    }

    fn push_duty(&mut self, scope: &Scope, inner: Range<usize>, lead_in: Option<LeadIn>) {
        let events = &self.events[inner.clone()];
        let line = self.line_of(inner.start.saturating_sub(1));
        self.out.duties.push(Duty {
            roles: scope.roles.clone(),
            kind: kind_of(scope),
            section: self.section.0.clone(),
            section_title: self.section.1.clone(),
            lead_in,
            html: to_html(events),
            text: plain_text(events),
            line,
            role_section: scope.section,
        });
    }

    fn line_of(&self, k: usize) -> usize {
        self.lines.line_of(self.events[k].1.start) + self.first_line - 1
    }

    /// Puts duties in document order (a nested item ends before its parent) and counts each
    /// role heading's duties.
    fn finish(mut self) -> Collected {
        self.out.duties.sort_by_key(|d| d.line);
        self.out.role_marks.sort_by_key(|m| m.line);
        for duty in &self.out.duties {
            if let Some(i) = duty.role_section {
                self.out.role_sections[i].duty_count += 1;
            }
        }
        self.out
    }
}

/// A paragraph right before a list introduces it when it ends with a colon ("Staff must not
/// post comments:"), or when it is only a marker (a line `{role=ceo}` above the list).
fn introduces_list(text: &str) -> bool {
    text.is_empty() || text.ends_with(':')
}

fn kind_of(scope: &Scope) -> DutyKind {
    if scope.must_not {
        DutyKind::MustNot
    } else {
        DutyKind::Must
    }
}

fn to_html(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().map(|(e, _)| e.clone()));
    html.trim().to_owned()
}

/// The words of `events`, with breaks and block boundaries as single spaces.
fn plain_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut text = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::List(_))
            | Event::Start(Tag::Item) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_keep_role_names_whole_with_columns() {
        let m = parse_marker("role=Parents and Carers", 3, 10);
        assert_eq!(m.roles, [("Parents and Carers".to_owned(), 15)]);
        let m = parse_marker("#anchor role=a, b must-not .x", 1, 1);
        assert_eq!(m.roles, [("a".to_owned(), 14), ("b".to_owned(), 17)]);
        assert!(m.must_not && !m.no_duties);
        let m = parse_marker("no-duties", 1, 1);
        assert!(m.no_duties && m.roles.is_empty());
        assert!(!parse_marker("#only-an-anchor", 1, 1).says_something());
        let m = heading_marker("### Parents {role=Parents and Carers}", 7).unwrap();
        assert_eq!(m.roles, [("Parents and Carers".to_owned(), 19)]);
        assert_eq!(heading_marker("## Plain {#anchor}", 1), None);
    }
}
