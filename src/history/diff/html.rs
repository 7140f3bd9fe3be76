//! The redline as safe HTML: each section's blocks as paragraphs, nested lists, tables and code
//! blocks, with `<ins>`/`<del>` marks. Every mark also says what it is in visually-hidden text
//! (announced by screen readers, and read as plain text without CSS), never by colour alone.

use super::blocks::{Block, Kind};
use super::words::{self, Segment};

/// A kind of mark on changed text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mark {
    Inserted,
    Deleted,
    /// Arrived from another place.
    MovedHere,
    /// Left for another place.
    MovedAway,
}

impl Mark {
    fn open_tag(self) -> &'static str {
        match self {
            Mark::Inserted => "<ins>",
            Mark::Deleted => "<del>",
            Mark::MovedHere => r#"<ins class="moved">"#,
            Mark::MovedAway => r#"<del class="moved">"#,
        }
    }

    fn close_tag(self) -> &'static str {
        match self {
            Mark::Inserted | Mark::MovedHere => "</ins>",
            Mark::Deleted | Mark::MovedAway => "</del>",
        }
    }

    /// What a screen reader says before the marked text.
    fn label(self) -> &'static str {
        match self {
            Mark::Inserted => "Added",
            Mark::Deleted => "Deleted",
            Mark::MovedHere => "Moved here",
            Mark::MovedAway => "Moved away",
        }
    }

    /// The class of a block shown whole with this mark.
    fn block_class(self) -> &'static str {
        match self {
            Mark::Inserted => "block-added",
            Mark::Deleted => "block-removed",
            Mark::MovedHere => "block-moved-here",
            Mark::MovedAway => "block-moved-away",
        }
    }
}

/// How one block is shown.
#[derive(Clone, Copy, Debug)]
pub(super) enum Shown<'a> {
    /// As it is: unchanged.
    Plain,
    /// All of its text under one mark.
    Whole(Mark),
    /// Reworded from `old`: only the changed words marked.
    Reworded { old: &'a Block },
}

/// A block and how to show it; `note` (plain text) says where a moved block went or came from.
#[derive(Debug)]
pub(super) struct Piece<'a> {
    pub block: &'a Block,
    pub shown: Shown<'a>,
    pub note: Option<String>,
}

impl Piece<'_> {
    fn class_attr(&self) -> String {
        let class = match self.shown {
            Shown::Plain => return String::new(),
            Shown::Whole(mark) => mark.block_class(),
            Shown::Reworded { .. } => "block-changed",
        };
        format!(r#" class="{class}""#)
    }

    fn text_html(&self) -> String {
        match self.shown {
            Shown::Plain => escape(&self.block.text),
            Shown::Whole(mark) => marked(mark, &self.block.text),
            Shown::Reworded { old } => reworded(&old.text, &self.block.text),
        }
    }

    /// Each cell's content; a reworded row is compared cell by cell.
    fn cells_html(&self) -> Vec<String> {
        let cells = &self.block.cells;
        match self.shown {
            Shown::Plain => cells.iter().map(|c| escape(c)).collect(),
            Shown::Whole(mark) => cells.iter().map(|c| marked(mark, c)).collect(),
            Shown::Reworded { old } => {
                let count = cells.len().max(old.cells.len());
                let pair = |i| reworded(cell(&old.cells, i), cell(cells, i));
                (0..count).map(pair).collect()
            }
        }
    }

    fn note_html(&self) -> String {
        match &self.note {
            Some(note) => format!(r#" <span class="move-note">({})</span>"#, escape(note)),
            None => String::new(),
        }
    }
}

pub(super) fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// Cell `i` of a row, empty past its last cell.
fn cell(cells: &[String], i: usize) -> &str {
    cells.get(i).map_or("", String::as_str)
}

/// `text` under `mark`, with the mark's label for screen readers; nothing for empty text.
fn marked(mark: Mark, text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!(
        r#"{}<span class="visually-hidden">[{}: </span>{}<span class="visually-hidden">]</span>{}"#,
        mark.open_tag(),
        mark.label(),
        escape(text),
        mark.close_tag()
    )
}

/// `new` with the words changed from `old` marked.
pub(super) fn reworded(old: &str, new: &str) -> String {
    let mut html = String::with_capacity(new.len() * 5 / 4);
    for segment in words::changes(old, new) {
        match segment {
            Segment::Same(text) => html.push_str(&escape(&text)),
            Segment::Deleted(text) => html.push_str(&marked(Mark::Deleted, &text)),
            Segment::Inserted(text) => html.push_str(&marked(Mark::Inserted, &text)),
        }
    }
    html
}

/// Which part of a table is open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TablePart {
    Head,
    Body,
}

/// Writes pieces one after another, opening and closing the lists, tables and block quotes
/// they sit in.
#[derive(Default)]
pub(super) struct Writer {
    html: String,
    /// Open lists, outermost first: whether ordered, and whether an item is open in it.
    lists: Vec<(bool, bool)>,
    table: Option<TablePart>,
    quoted: bool,
}

impl Writer {
    pub fn write(&mut self, piece: &Piece) {
        let block = piece.block;
        self.set_quoted(block.quoted);
        match block.kind {
            Kind::Item { depth, ordered } => {
                self.close_table();
                self.item(depth, ordered, piece);
            }
            Kind::Row { header } => {
                self.close_lists();
                self.row(header, piece);
            }
            Kind::Paragraph => {
                self.close_lists();
                self.close_table();
                let (class, text, note) =
                    (piece.class_attr(), piece.text_html(), piece.note_html());
                self.push(&format!("<p{class}>{text}{note}</p>\n"));
            }
            Kind::Code => {
                self.close_lists();
                self.close_table();
                self.code(piece);
            }
        }
    }

    pub fn finish(mut self) -> String {
        self.set_quoted(false);
        self.close_lists();
        self.close_table();
        self.html
    }

    fn push(&mut self, html: &str) {
        self.html.push_str(html);
    }

    fn set_quoted(&mut self, quoted: bool) {
        if quoted != self.quoted {
            self.close_lists();
            self.close_table();
            self.push(if quoted {
                "<blockquote>\n"
            } else {
                "</blockquote>\n"
            });
            self.quoted = quoted;
        }
    }

    fn code(&mut self, piece: &Piece) {
        let (class, text) = (piece.class_attr(), piece.text_html());
        self.push(&format!("<pre{class}><code>{text}</code></pre>\n"));
        if let Some(note) = &piece.note {
            let note = escape(note);
            self.push(&format!("<p class=\"move-note\">({note})</p>\n"));
        }
    }

    /// An item at `depth`: deeper lists close, a list of another kind restarts, and missing
    /// levels open (inside the open item, as HTML nests lists).
    fn item(&mut self, depth: usize, ordered: bool, piece: &Piece) {
        while self.lists.len() > depth {
            self.close_list();
        }
        if self.lists.len() == depth {
            match self.lists.last() {
                Some(&(kind, _)) if kind != ordered => self.close_list(),
                _ => self.close_item(),
            }
        }
        while self.lists.len() < depth {
            if let Some((_, item_open @ false)) = self.lists.last_mut() {
                *item_open = true;
                self.html.push_str("<li>");
            }
            self.push(if ordered { "<ol>\n" } else { "<ul>\n" });
            self.lists.push((ordered, false));
        }
        let (class, text, note) = (piece.class_attr(), piece.text_html(), piece.note_html());
        self.push(&format!("<li{class}>{text}{note}"));
        if let Some((_, item_open)) = self.lists.last_mut() {
            *item_open = true;
        }
    }

    fn close_item(&mut self) {
        if let Some((_, item_open @ true)) = self.lists.last_mut() {
            *item_open = false;
            self.html.push_str("</li>\n");
        }
    }

    fn close_list(&mut self) {
        self.close_item();
        if let Some((ordered, _)) = self.lists.pop() {
            self.push(if ordered { "</ol>\n" } else { "</ul>\n" });
        }
    }

    fn close_lists(&mut self) {
        while !self.lists.is_empty() {
            self.close_list();
        }
    }

    /// A row: a head row after body rows starts a new table.
    fn row(&mut self, header: bool, piece: &Piece) {
        let part = if header {
            TablePart::Head
        } else {
            TablePart::Body
        };
        if self.table == Some(TablePart::Body) && header {
            self.close_table();
        }
        match (self.table, part) {
            (None, _) => self.push(concat!(
                r#"<div class="table-scroll" role="region" aria-label="Table" tabindex="0">"#,
                "<table>\n"
            )),
            (Some(TablePart::Head), TablePart::Body) => self.push("</thead>\n"),
            _ => {}
        }
        if self.table != Some(part) {
            self.push(if header { "<thead>\n" } else { "<tbody>\n" });
            self.table = Some(part);
        }
        self.push(&row_html(header, piece));
    }

    fn close_table(&mut self) {
        match self.table.take() {
            Some(TablePart::Head) => self.push("</thead>\n</table></div>\n"),
            Some(TablePart::Body) => self.push("</tbody>\n</table></div>\n"),
            None => {}
        }
    }
}

/// `<tr>` with a `<th>` or `<td>` per cell; a move's note goes in the last cell.
fn row_html(header: bool, piece: &Piece) -> String {
    let cell_tag = if header { "th" } else { "td" };
    let mut cells = piece.cells_html();
    if cells.is_empty() {
        cells.push(String::new());
    }
    if let Some(last) = cells.last_mut() {
        last.push_str(&piece.note_html());
    }
    let mut html = format!("<tr{}>", piece.class_attr());
    for cell in cells {
        html.push_str(&format!("<{cell_tag}>{cell}</{cell_tag}>"));
    }
    html.push_str("</tr>\n");
    html
}
