//! Finds a policy's parts in a read document: the title, the document-control fields, the
//! revision history, headings typed as numbered paragraphs, and the roles of a
//! "Responsibilities" section. What is recognised leaves the body; the rest stays as it was.

use super::document::{Block, Document, Inline, Para, ParaRole, Table, is_empty, plain_text};

/// A front-matter field the document control can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Title,
    Version,
    Owner,
    Author,
    Approved,
    ApprovedBy,
    Effective,
    ReviewDue,
    LastReviewed,
    ReviewedBy,
    Category,
}

impl Field {
    pub fn key(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Version => "version",
            Field::Owner => "owner",
            Field::Author => "author",
            Field::Approved => "approved",
            Field::ApprovedBy => "approved_by",
            Field::Effective => "effective",
            Field::ReviewDue => "review_due",
            Field::LastReviewed => "last_reviewed",
            Field::ReviewedBy => "reviewed_by",
            Field::Category => "category",
        }
    }

    pub fn is_date(self) -> bool {
        matches!(
            self,
            Field::Approved | Field::Effective | Field::ReviewDue | Field::LastReviewed
        )
    }

    /// The field a document-control label names ("Date approved", "Next review date:").
    fn from_label(label: &str) -> Option<Field> {
        let label = simplify(label);
        let field = match label.as_str() {
            "title" | "policy title" | "document title" | "policy name" | "name of policy" => {
                Field::Title
            }
            "version" | "version number" | "version no" | "policy version" | "document version"
            | "current version" => Field::Version,
            "owner"
            | "policy owner"
            | "document owner"
            | "policy lead"
            | "lead officer"
            | "responsible officer" => Field::Owner,
            "author" | "authors" | "written by" | "prepared by" | "policy author" => Field::Author,
            "approved" | "date approved" | "approval date" | "approved on" | "date of approval"
            | "approved date" | "date ratified" | "ratified" => Field::Approved,
            "approved by" | "approver" | "approving body" | "ratified by" => Field::ApprovedBy,
            "effective"
            | "effective date"
            | "effective from"
            | "date effective"
            | "implementation date"
            | "date of implementation" => Field::Effective,
            "review date"
            | "next review"
            | "next review date"
            | "review due"
            | "date of next review"
            | "due for review"
            | "review by"
            | "date for review" => Field::ReviewDue,
            "last reviewed"
            | "date reviewed"
            | "last review"
            | "last review date"
            | "date of last review" => Field::LastReviewed,
            "reviewed by" => Field::ReviewedBy,
            "category" | "policy category" | "policy area" | "policy type" => Field::Category,
            _ => return None,
        };
        Some(field)
    }
}

/// A label without case, trailing colons or doubled spaces.
fn simplify(label: &str) -> String {
    label
        .trim()
        .trim_end_matches([':', '.', '-'])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// One value taken from the document into the front matter.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub field: Field,
    /// As the front matter gets it (dates in ISO form).
    pub value: String,
    /// As the document wrote it, label and all, for the report.
    pub source: String,
}

#[derive(Debug, Clone, Default)]
pub struct Revision {
    pub version: String,
    pub date: Option<String>,
    pub author: Option<String>,
    pub approved_by: Option<String>,
    pub summary: Option<String>,
}

/// A document shaped as a policy: what goes into the front matter and what stays in the body.
#[derive(Debug, Default)]
pub struct Shaped {
    pub title: Option<Mapped>,
    pub fields: Vec<Mapped>,
    pub revisions: Vec<Revision>,
    pub blocks: Vec<Block>,
    /// For each heading block (by index) that names a role: the role's title.
    pub role_headings: Vec<(usize, String)>,
    /// What was left out on purpose, for the report.
    pub dropped: Vec<String>,
    /// What could not be converted, with its text.
    pub unconverted: Vec<String>,
    /// How many paragraphs typed as numbered headings ("2.1 Visits") became headings.
    pub typed_headings: usize,
    /// A label that looked like a field whose value could not be read, e.g. a date.
    pub unread: Vec<String>,
}

pub fn shape(mut document: Document, file_stem: &str) -> Shaped {
    let mut shaped = Shaped {
        unconverted: std::mem::take(&mut document.unconverted),
        ..Shaped::default()
    };
    let mut blocks = std::mem::take(&mut document.blocks);
    normalise_blocks(&mut blocks);
    let empty = drop_empty(&mut blocks);
    if empty > 0 {
        shaped
            .dropped
            .push(crate::error::plural(empty, "empty paragraph"));
    }
    shaped.title = take_title_paragraph(&mut blocks);
    shaped.typed_headings = promote_numbered_headings(&mut blocks);
    take_control_fields(&mut blocks, &mut shaped);
    if shaped.title.is_none() {
        shaped.title = fallback_title(document.property_title.as_deref(), file_stem);
    }
    take_revisions(&mut blocks, &mut shaped);
    drop_signature_lines(&mut blocks, &mut shaped);
    normalise_heading_levels(&mut blocks);
    normalise_list_levels(&mut blocks);
    shaped.role_headings = role_headings(&blocks);
    shaped.blocks = blocks;
    shaped
}

/// Smart quotes become plain ones (the site typesets them again), no-break and other odd
/// spaces plain spaces; soft hyphens and zero-width characters go.
pub fn normalise_text(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{2032}' => Some('\''),
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' => Some('"'),
            '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\t' => {
                Some(' ')
            }
            '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => None,
            '\u{2011}' => Some('-'),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn normalise_inlines(inlines: &mut [Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text(span) => span.text = normalise_text(&span.text),
            Inline::Link { inlines, .. } => normalise_inlines(inlines),
            Inline::Image { alt, .. } => *alt = normalise_text(alt),
            _ => {}
        }
    }
}

fn normalise_blocks(blocks: &mut [Block]) {
    for block in blocks {
        match block {
            Block::Para(para) => normalise_inlines(&mut para.inlines),
            Block::Table(table) => table
                .rows
                .iter_mut()
                .flatten()
                .for_each(|c| normalise_inlines(c)),
        }
    }
}

pub fn normalise_notes(notes: &mut [(String, Vec<Inline>)]) {
    for (_, inlines) in notes {
        normalise_inlines(inlines);
    }
}

fn drop_empty(blocks: &mut Vec<Block>) -> usize {
    let before = blocks.len();
    blocks.retain(|b| match b {
        Block::Para(p) => !is_empty(&p.inlines),
        Block::Table(t) => t.rows.iter().flatten().any(|c| !is_empty(c)),
    });
    before - blocks.len()
}

fn para_text(block: &Block) -> Option<String> {
    match block {
        Block::Para(p) => Some(p.text().trim().to_owned()),
        Block::Table(_) => None,
    }
}

/// The Title paragraph; else a first paragraph with text (pictures alone skipped) that is all
/// bold and short, or a first heading that is the only one at its level, over deeper ones.
fn take_title_paragraph(blocks: &mut Vec<Block>) -> Option<Mapped> {
    let title_at = blocks
        .iter()
        .position(|b| matches!(b, Block::Para(p) if p.role == ParaRole::Title));
    let first = blocks
        .iter()
        .position(|b| matches!(b, Block::Para(p) if !p.text().trim().is_empty()));
    let from_first = first.filter(|&i| {
        let Block::Para(p) = &blocks[i] else {
            return false;
        };
        let short = p.text().split_whitespace().count() <= 15;
        let before_headings = !blocks[..i]
            .iter()
            .any(|b| matches!(b, Block::Para(p) if matches!(p.role, ParaRole::Heading(_))));
        // A title set as the only heading of its level, over sections at deeper levels.
        let lone_heading = |level| {
            let at = |l: u8| {
                blocks
                    .iter()
                    .filter(|b| matches!(b, Block::Para(q) if q.role == ParaRole::Heading(l)))
                    .count()
            };
            at(level) == 1 && (level + 1..=9).any(|deeper| at(deeper) > 0)
        };
        short
            && before_headings
            && (matches!(p.role, ParaRole::Body if p.all_bold() && !starts_with_number(&p.text()))
                || matches!(p.role, ParaRole::Heading(level) if lone_heading(level)))
    });
    let i = title_at.or(from_first)?;
    let text = para_text(&blocks.remove(i)).unwrap_or_default();
    let source = if title_at.is_some() {
        "the Title paragraph"
    } else {
        "the first paragraph"
    };
    Some(Mapped {
        field: Field::Title,
        value: text.clone(),
        source: format!("{source}: {text}"),
    })
}

/// Without a title in the text or the document control: the document's properties, else its
/// file name.
fn fallback_title(property: Option<&str>, file_stem: &str) -> Option<Mapped> {
    if let Some(title) = property {
        return Some(Mapped {
            field: Field::Title,
            value: normalise_text(title),
            source: format!("the document's properties: {title}"),
        });
    }
    let title: String = file_stem.replace(['-', '_'], " ").trim().to_owned();
    (!title.is_empty()).then(|| Mapped {
        field: Field::Title,
        value: title.clone(),
        source: format!("the file name: {title}"),
    })
}

/// The number a heading was typed with: `3.2` in "3.2 Filtering" or "3.2. Filtering".
pub fn typed_number(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(text.len(), |(i, _)| i);
    let number = text[..end].trim_end_matches('.');
    let rest = &text[end..];
    let valid = !number.is_empty()
        && number.split('.').all(|p| !p.is_empty() && p.len() <= 3)
        && rest.starts_with([' ', '\t'])
        && rest.trim_start().starts_with(|c: char| c.is_alphabetic());
    valid.then(|| (number, rest.trim_start()))
}

fn starts_with_number(text: &str) -> bool {
    typed_number(text).is_some()
}

/// Body paragraphs typed as numbered headings ("2.1 Checking in"), bold or short and without a
/// closing full stop, become headings at the depth of their number.
fn promote_numbered_headings(blocks: &mut [Block]) -> usize {
    let mut promoted = 0;
    for block in blocks {
        let Block::Para(para) = block else {
            continue;
        };
        if para.role != ParaRole::Body {
            continue;
        }
        let text = para.text();
        let Some((number, rest)) = typed_number(&text) else {
            continue;
        };
        let words = rest.split_whitespace().count();
        let sentence = rest.trim_end().ends_with(['.', ';', ',', ':']);
        // "2.1 Visits" is a heading however it is set; "1 April 2025" or "2 Mill Lane" only
        // when bold.
        let multi_level = number.contains('.');
        if words <= 12 && !sentence && (para.all_bold() || multi_level) {
            let depth = number.split('.').count().min(6) as u8;
            para.role = ParaRole::Heading(depth);
            promoted += 1;
        }
    }
    promoted
}

/// Document-control tables (label and value side by side, in pairs of cells) anywhere, and
/// "Label: value" paragraphs before the first heading, become front-matter fields. A table row
/// or paragraph that is not understood stays in the body.
fn take_control_fields(blocks: &mut Vec<Block>, shaped: &mut Shaped) {
    let first_heading = blocks
        .iter()
        .position(|b| matches!(b, Block::Para(p) if matches!(p.role, ParaRole::Heading(_))))
        .unwrap_or(blocks.len());
    let mut keep = Vec::with_capacity(blocks.len());
    for (i, block) in std::mem::take(blocks).into_iter().enumerate() {
        match block {
            Block::Table(table) if is_control_table(&table) => {
                if let Some(rest) = take_control_table(table, shaped) {
                    keep.push(Block::Table(rest));
                }
            }
            Block::Para(para) if i < first_heading && para.role == ParaRole::Body => {
                let text = para.text();
                let taken = text
                    .split_once(':')
                    .and_then(|(label, value)| Some((Field::from_label(label)?, value.trim())))
                    .filter(|(_, value)| !value.is_empty())
                    .is_some_and(|(field, value)| map_field(field, value, &text, shaped));
                if !taken {
                    keep.push(Block::Para(para));
                }
            }
            block => keep.push(block),
        }
    }
    *blocks = keep;
}

fn cell_text(cell: &[Inline]) -> String {
    plain_text(cell).trim().to_owned()
}

/// Whether at least two of the table's label cells (the first of each pair) name fields.
fn is_control_table(table: &Table) -> bool {
    if is_revision_table(table) {
        return false;
    }
    let labels = table
        .rows
        .iter()
        .flat_map(|row| row.iter().step_by(2))
        .filter(|cell| Field::from_label(&cell_text(cell)).is_some())
        .count();
    labels >= 2
}

/// Maps each (label, value) pair; returns the rows it did not understand, as a table.
fn take_control_table(table: Table, shaped: &mut Shaped) -> Option<Table> {
    let mut rest = Table::default();
    for row in table.rows {
        let mut understood = true;
        for pair in row.chunks(2) {
            let label = cell_text(&pair[0]);
            let value = pair.get(1).map(|c| cell_text(c)).unwrap_or_default();
            if label.is_empty() && value.is_empty() {
                continue;
            }
            let source = format!("{label}: {value}");
            let mapped = Field::from_label(&label)
                .is_some_and(|field| value.is_empty() || map_field(field, &value, &source, shaped));
            understood &= mapped;
        }
        if !understood {
            rest.rows.push(row);
        }
    }
    (!rest.rows.is_empty()).then_some(rest)
}

/// Records `value` for `field`; false (and a note) when it cannot be read, e.g. a date.
fn map_field(field: Field, value: &str, source: &str, shaped: &mut Shaped) -> bool {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let value = if field.is_date() {
        match crate::date::iso_from_document(&value) {
            Some(iso) => iso,
            None => {
                shaped.unread.push(format!(
                    "{source}: not a date policybook can read, so it stays in the body"
                ));
                return false;
            }
        }
    } else {
        value
    };
    let mapped = Mapped {
        field,
        value,
        source: source.to_owned(),
    };
    // A field already set (the title paragraph, an earlier table) keeps its value, and this
    // row stays in the body.
    if field == Field::Title {
        if shaped.title.is_some() {
            return false;
        }
        shaped.title = Some(mapped);
    } else {
        if shaped.fields.iter().any(|m| m.field == field) {
            return false;
        }
        shaped.fields.push(mapped);
    }
    true
}

/// The column of a revision table each heading names.
#[derive(Clone, Copy, PartialEq)]
enum RevisionColumn {
    Version,
    Date,
    Author,
    ApprovedBy,
    Summary,
}

fn revision_column(label: &str) -> Option<RevisionColumn> {
    let label = simplify(label);
    Some(match label.as_str() {
        "version" | "version no" | "version number" | "issue" | "revision" => {
            RevisionColumn::Version
        }
        "date" | "date of change" | "revision date" | "date approved" | "approved"
        | "issue date" => RevisionColumn::Date,
        "author" | "by" | "changed by" | "amended by" | "reviewed by" | "updated by" => {
            RevisionColumn::Author
        }
        "approved by" | "approver" => RevisionColumn::ApprovedBy,
        "description"
        | "summary"
        | "changes"
        | "change"
        | "details"
        | "amendments"
        | "summary of changes"
        | "description of change"
        | "reason"
        | "comments"
        | "notes" => RevisionColumn::Summary,
        _ => return None,
    })
}

/// A revision table's columns: every header cell names one (or is empty), the first is the
/// version, and there is at least one other. A "Software | Version | Notes" table is not one.
fn revision_columns(table: &Table) -> Option<Vec<Option<RevisionColumn>>> {
    let header = table.rows.first()?;
    let columns: Vec<Option<RevisionColumn>> = header
        .iter()
        .map(|c| revision_column(&cell_text(c)))
        .collect();
    let all_named = header
        .iter()
        .zip(&columns)
        .all(|(cell, column)| column.is_some() || cell_text(cell).is_empty());
    let version_first = columns.first() == Some(&Some(RevisionColumn::Version));
    (all_named && version_first && columns.iter().flatten().count() >= 2 && table.rows.len() > 1)
        .then_some(columns)
}

fn is_revision_table(table: &Table) -> bool {
    revision_columns(table).is_some()
}

/// A revision-history table (a header row naming a version column and another known one)
/// becomes `revisions`, newest first; a heading left with nothing under it goes too.
fn take_revisions(blocks: &mut Vec<Block>, shaped: &mut Shaped) {
    let Some(at) = blocks
        .iter()
        .position(|b| matches!(b, Block::Table(t) if is_revision_table(t)))
    else {
        return;
    };
    let Block::Table(table) = blocks.remove(at) else {
        return;
    };
    let columns = revision_columns(&table).unwrap_or_default();
    for row in table.rows.iter().skip(1) {
        let mut revision = Revision::default();
        let mut unread_date = None;
        for (cell, column) in row.iter().zip(&columns) {
            let text = cell_text(cell);
            if text.is_empty() {
                continue;
            }
            match column {
                Some(RevisionColumn::Version) => revision.version = text,
                Some(RevisionColumn::Date) => match crate::date::iso_from_document(&text) {
                    Some(iso) => revision.date = Some(iso),
                    None => unread_date = Some(text),
                },
                Some(RevisionColumn::Author) => revision.author = Some(text),
                Some(RevisionColumn::ApprovedBy) => revision.approved_by = Some(text),
                Some(RevisionColumn::Summary) => {
                    revision.summary = Some(match revision.summary.take() {
                        Some(before) => format!("{before} {text}"),
                        None => text,
                    })
                }
                None => {}
            }
        }
        if revision.version.is_empty() {
            shaped.unread.push(format!(
                "a revision history row without a version: {}",
                row.iter()
                    .map(|c| cell_text(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
            continue;
        }
        if let Some(date) = unread_date {
            shaped.unread.push(format!(
                "revision {}: the date `{date}` is not one policybook can read, so it was left out",
                revision.version
            ));
        }
        shaped.revisions.push(revision);
    }
    // Newest first, as policybook lists them, when the dates say which is newest.
    if shaped.revisions.iter().all(|r| r.date.is_some()) {
        shaped.revisions.sort_by(|a, b| b.date.cmp(&a.date));
    } else if shaped.revisions.len() > 1 {
        shaped.revisions.reverse();
    }
    // The heading over it, if nothing else is under it now.
    if at > 0
        && let Block::Para(p) = &blocks[at - 1]
        && let ParaRole::Heading(level) = p.role
        && blocks.get(at).is_none_or(|next| {
            matches!(next, Block::Para(n) if matches!(n.role, ParaRole::Heading(l) if l <= level))
        })
    {
        blocks.remove(at - 1);
    }
}

/// "Name: ______", "Signed: ......", "Date: ____": the document's own signature lines. The
/// site and the PDF print their own agreement form.
fn drop_signature_lines(blocks: &mut Vec<Block>, shaped: &mut Shaped) {
    let before = blocks.len();
    blocks.retain(|b| {
        let Block::Para(p) = b else {
            return true;
        };
        let text = p.text();
        let (label, rest) = text.split_once([':', '.']).unwrap_or((&text, ""));
        let blank = rest
            .trim()
            .chars()
            .filter(|c| matches!(c, '_' | '.' | '…'))
            .count()
            >= 3
            && rest
                .trim()
                .chars()
                .all(|c| matches!(c, '_' | '.' | '…' | ' '));
        let signature_label = matches!(
            simplify(label).as_str(),
            "name"
                | "signed"
                | "signature"
                | "date"
                | "job title"
                | "position"
                | "print name"
                | "staff name"
                | "learner name"
                | "department"
        );
        !(blank && signature_label)
    });
    let dropped = before - blocks.len();
    if dropped > 0 {
        shaped.dropped.push(format!(
            "{} (the site and PDF print their own agreement form)",
            crate::error::plural(dropped, "signature line")
        ));
    }
}

/// The top heading level becomes `##` (the title is the page's `#`), and no level is skipped.
fn normalise_heading_levels(blocks: &mut [Block]) {
    let Some(top) = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para(Para {
                role: ParaRole::Heading(l),
                ..
            }) => Some(*l),
            _ => None,
        })
        .min()
    else {
        return;
    };
    let mut previous = 1u8;
    for block in blocks {
        if let Block::Para(p) = block
            && let ParaRole::Heading(level) = p.role
        {
            let wanted = (level - top + 2).min(6);
            let level = wanted.min(previous + 1);
            p.role = ParaRole::Heading(level);
            previous = level;
        }
    }
}

/// Each list starts at its outer level and goes down one level at a time, as Markdown needs:
/// a first item at level 1 would be read as code, a jump of two levels as text.
fn normalise_list_levels(blocks: &mut [Block]) {
    let mut previous: Option<u8> = None;
    let mut shift = 0u8;
    for block in blocks {
        let Block::Para(p) = block else {
            previous = None;
            continue;
        };
        let ParaRole::Item { level, ordered } = p.role else {
            previous = None;
            continue;
        };
        let level = match previous {
            None => {
                shift = level;
                0
            }
            Some(before) => level.saturating_sub(shift).min(before + 1),
        };
        p.role = ParaRole::Item { level, ordered };
        previous = Some(level);
    }
}

/// The sub-headings of a "Responsibilities" (or "Roles and responsibilities") heading: each
/// names a role.
fn role_headings(blocks: &[Block]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut inside: Option<u8> = None;
    for (i, block) in blocks.iter().enumerate() {
        let Block::Para(p) = block else {
            continue;
        };
        let ParaRole::Heading(level) = p.role else {
            continue;
        };
        let text = p.text();
        let words = typed_number(&text)
            .map_or(text.as_str(), |(_, rest)| rest)
            .trim();
        match inside {
            Some(top) if level == top + 1 => found.push((i, role_title(words))),
            Some(top) if level > top + 1 => {}
            _ => {
                let lower = words.to_lowercase();
                inside = (lower.contains("responsibilit") || lower == "roles" || lower == "duties")
                    .then_some(level);
            }
        }
    }
    found
}

/// "The Designated Safeguarding Lead" → "Designated Safeguarding Lead".
fn role_title(heading: &str) -> String {
    let heading = heading.trim().trim_end_matches(':');
    heading
        .strip_prefix("The ")
        .or_else(|| heading.strip_prefix("the "))
        .unwrap_or(heading)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_are_found() {
        assert_eq!(typed_number("3.2 Filtering"), Some(("3.2", "Filtering")));
        assert_eq!(typed_number("1. Introduction"), Some(("1", "Introduction")));
        assert_eq!(typed_number("2025 was a year"), None);
        assert_eq!(typed_number("3.2"), None);
        assert_eq!(typed_number("1.2.3. Deep"), Some(("1.2.3", "Deep")));
    }

    #[test]
    fn labels_are_recognised_loosely() {
        assert_eq!(Field::from_label("Date approved:"), Some(Field::Approved));
        assert_eq!(
            Field::from_label("  NEXT  review date "),
            Some(Field::ReviewDue)
        );
        assert_eq!(Field::from_label("Colour"), None);
    }
}

#[cfg(test)]
mod shape_tests {
    use super::*;
    use crate::import::document::{Span, push_text};

    fn para(role: ParaRole, text: &str, bold: bool) -> Block {
        let mut inlines = Vec::new();
        push_text(&mut inlines, text, bold, false);
        Block::Para(Para { role, inlines })
    }

    fn table(rows: &[&[&str]]) -> Block {
        Block::Table(Table {
            header_rows: 0,
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| {
                            vec![Inline::Text(Span {
                                text: (*c).into(),
                                ..Span::default()
                            })]
                        })
                        .collect()
                })
                .collect(),
        })
    }

    fn document(blocks: Vec<Block>) -> Document {
        Document {
            blocks,
            property_title: Some("Policy Template".into()),
            ..Document::default()
        }
    }

    #[test]
    fn a_title_row_wins_over_the_properties_and_a_repeated_field_stays_in_the_body() {
        let shaped = shape(
            document(vec![
                table(&[&["Policy title", "Visitors Policy"], &["Version", "1.2"]]),
                para(ParaRole::Heading(1), "Scope", false),
                table(&[&["Version", "9.9"], &["Approved by", "Head of HR"]]),
            ]),
            "OSP_v2_final",
        );
        assert_eq!(shaped.title.unwrap().value, "Visitors Policy");
        let version: Vec<&str> = shaped
            .fields
            .iter()
            .filter(|m| m.field == Field::Version)
            .map(|m| m.value.as_str())
            .collect();
        assert_eq!(version, ["1.2"]);
        // The second table's "Version" row is kept; its "Approved by" row was new, so mapped.
        let Block::Table(rest) = &shaped.blocks[1] else {
            panic!("{:?}", shaped.blocks);
        };
        assert_eq!(rest.rows.len(), 1);
        assert_eq!(plain_text(&rest.rows[0][1]), "9.9");
    }

    #[test]
    fn a_table_with_a_version_column_is_not_always_the_revision_history() {
        let shaped = shape(
            document(vec![
                para(ParaRole::Heading(1), "Software", false),
                table(&[
                    &["Software", "Version", "Notes"],
                    &["Office", "2021", "Allowed"],
                ]),
                para(ParaRole::Heading(1), "Revision history", false),
                table(&[
                    &["Version", "Date", "Summary"],
                    &["1.0", "01/02/2024", "First."],
                ]),
            ]),
            "x",
        );
        assert_eq!(shaped.revisions.len(), 1);
        assert_eq!(shaped.revisions[0].version, "1.0");
        assert!(matches!(&shaped.blocks[1], Block::Table(t) if t.rows.len() == 2));
    }

    #[test]
    fn lists_start_at_their_outer_level_and_skip_no_level() {
        let item = |level| {
            para(
                ParaRole::Item {
                    level,
                    ordered: false,
                },
                "x",
                false,
            )
        };
        let shaped = shape(
            document(vec![
                para(ParaRole::Body, "Intro.", false),
                item(1),
                item(3),
                item(1),
            ]),
            "x",
        );
        let levels: Vec<u8> = shaped
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para(Para {
                    role: ParaRole::Item { level, .. },
                    ..
                }) => Some(*level),
                _ => None,
            })
            .collect();
        assert_eq!(levels, [0, 1, 0]);
    }

    #[test]
    fn a_typed_number_makes_a_heading_only_when_bold_or_multi_level() {
        let shaped = shape(
            document(vec![
                para(ParaRole::Body, "Visitors Policy", true),
                para(ParaRole::Body, "1 April 2025", false),
                para(ParaRole::Body, "2.1 Visits", false),
                para(ParaRole::Body, "3. Agreement", true),
            ]),
            "x",
        );
        let roles: Vec<ParaRole> = shaped
            .blocks
            .iter()
            .map(|b| match b {
                Block::Para(p) => p.role,
                Block::Table(_) => ParaRole::Body,
            })
            .collect();
        // "2.1" comes first, so it cannot sit a level below a heading that is not there.
        assert_eq!(
            roles,
            [ParaRole::Body, ParaRole::Heading(2), ParaRole::Heading(2)]
        );
    }
}
