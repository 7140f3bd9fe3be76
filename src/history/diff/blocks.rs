//! Reads a policy body into what the redline compares: sections (one per heading) of plain-text
//! blocks (paragraphs, list items, table rows, code blocks).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::markdown::{self, Heading};

/// A heading and the blocks up to the next heading (of any level).
#[derive(Debug)]
pub(super) struct Section {
    /// Plain heading text; empty for the text before the first heading.
    pub title: String,
    /// The heading's `id` on the policy page; empty for the text before the first heading.
    pub anchor: String,
    /// 1 to 6; 0 for the text before the first heading.
    pub level: u8,
    pub blocks: Vec<Block>,
}

impl Section {
    /// The words of the heading (without its number) and of every block: what section
    /// similarity is measured on.
    pub fn words(&self) -> Vec<&str> {
        let title = super::sections::without_number(&self.title).split_whitespace();
        title
            .chain(self.blocks.iter().flat_map(|b| b.text.split_whitespace()))
            .collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Paragraph,
    /// A list item; `depth` 1 for a top-level list.
    Item {
        depth: usize,
        ordered: bool,
    },
    /// A table row; `header` for the head row.
    Row {
        header: bool,
    },
    Code,
}

/// One comparable piece of a section, as plain text (inline formatting and links dropped).
#[derive(Debug)]
pub(super) struct Block {
    pub kind: Kind,
    /// Inside a block quote.
    pub quoted: bool,
    /// Words separated by single spaces (code keeps its lines); for a row, its cells joined
    /// by ` | `. Two blocks are the same when their texts are.
    pub text: String,
    /// Each cell's text, for table rows only.
    pub cells: Vec<String>,
}

impl Block {
    fn new(kind: Kind, quoted: bool) -> Block {
        Block {
            kind,
            quoted,
            text: String::new(),
            cells: Vec::new(),
        }
    }

    pub fn is_row(&self) -> bool {
        matches!(self.kind, Kind::Row { .. })
    }

    /// Nothing to show or compare.
    fn is_blank(&self) -> bool {
        self.text.is_empty() && self.cells.iter().all(String::is_empty)
    }

    fn normalise(&mut self) {
        if self.is_row() {
            for cell in &mut self.cells {
                *cell = collapse_whitespace(cell);
            }
            self.text = self.cells.join(" | ");
        } else if self.kind == Kind::Code {
            self.text.truncate(self.text.trim_end_matches('\n').len());
        } else {
            self.text = collapse_whitespace(&self.text);
        }
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sections of `body`, whose `headings` are as `markdown::render` gives them (their anchors
/// are exactly the policy page's ids); text before the first heading is a section only when
/// there is some.
pub(super) fn read(body: &str, headings: Vec<Heading>) -> Vec<Section> {
    let mut reader = Reader::new(headings);
    for event in Parser::new_ext(body, markdown::options()) {
        reader.event(event);
    }
    reader.finish()
}

#[derive(Clone, Copy)]
struct BlockRef {
    section: usize,
    block: usize,
}

/// Markdown containers that decide a block's kind, depth and whether it is quoted.
enum Container {
    List {
        ordered: bool,
    },
    /// A list item or footnote definition: the paragraphs inside add to its own block.
    Absorbing,
    Quote,
}

struct Reader {
    headings: std::vec::IntoIter<Heading>,
    sections: Vec<Section>,
    containers: Vec<Container>,
    /// Blocks being filled, innermost last: text goes to the last one.
    open: Vec<BlockRef>,
    /// Raw HTML blocks, whose tags are stripped once the whole block is read.
    html_blocks: Vec<BlockRef>,
    in_heading: bool,
}

impl Reader {
    fn new(headings: Vec<Heading>) -> Reader {
        let preamble = Section {
            title: String::new(),
            anchor: String::new(),
            level: 0,
            blocks: Vec::new(),
        };
        Reader {
            headings: headings.into_iter(),
            sections: vec![preamble],
            containers: Vec::new(),
            open: Vec::new(),
            html_blocks: Vec::new(),
            in_heading: false,
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text)
            | Event::Code(text)
            | Event::Html(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => self.push_text(&text),
            Event::SoftBreak | Event::HardBreak => self.push_text(" "),
            Event::FootnoteReference(label) => self.push_text(&format!("[{label}]")),
            Event::TaskListMarker(done) => self.push_text(if done { "[x] " } else { "[ ] " }),
            // Inline tags are formatting, which the redline drops.
            Event::InlineHtml(_) | Event::Rule => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Heading { .. } => self.start_section(),
            Tag::Paragraph => self.start_paragraph(),
            Tag::Item => {
                let kind = self.item_kind();
                self.open_block(kind);
                self.containers.push(Container::Absorbing);
            }
            Tag::FootnoteDefinition(label) => {
                self.open_block(Kind::Paragraph);
                self.push_text(&format!("[{label}]: "));
                self.containers.push(Container::Absorbing);
            }
            Tag::List(start) => self.containers.push(Container::List {
                ordered: start.is_some(),
            }),
            Tag::BlockQuote(_) => self.containers.push(Container::Quote),
            Tag::CodeBlock(_) => self.open_block(Kind::Code),
            Tag::HtmlBlock => {
                self.open_block(Kind::Paragraph);
                self.html_blocks.extend(self.open.last().copied());
            }
            Tag::TableHead => self.open_block(Kind::Row { header: true }),
            Tag::TableRow => self.open_block(Kind::Row { header: false }),
            Tag::TableCell => self.start_cell(),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.in_heading = false,
            TagEnd::Paragraph
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell => {
                self.open.pop();
            }
            TagEnd::Item | TagEnd::FootnoteDefinition => {
                self.open.pop();
                self.containers.pop();
            }
            TagEnd::List(_) | TagEnd::BlockQuote(_) => {
                self.containers.pop();
            }
            _ => {}
        }
    }

    fn start_section(&mut self) {
        self.in_heading = true;
        // `render` saw the same events, so there is one heading per heading start.
        let heading = self.headings.next();
        self.sections.push(Section {
            title: heading.as_ref().map(|h| h.text.clone()).unwrap_or_default(),
            anchor: heading
                .as_ref()
                .map(|h| h.anchor.clone())
                .unwrap_or_default(),
            level: heading.map_or(1, |h| h.level),
            blocks: Vec::new(),
        });
    }

    /// A paragraph is its own block, except inside a list item or footnote, whose block it
    /// continues (a loose list's item has its text in paragraphs).
    fn start_paragraph(&mut self) {
        let absorbed = matches!(self.containers.last(), Some(Container::Absorbing));
        match self.open.last().copied() {
            Some(item) if absorbed => {
                self.open.push(item);
                self.push_text(" ");
            }
            _ => self.open_block(Kind::Paragraph),
        }
    }

    fn start_cell(&mut self) {
        if let Some(row) = self.open.last().copied() {
            self.block_mut(row).cells.push(String::new());
            self.open.push(row);
        }
    }

    fn item_kind(&self) -> Kind {
        let lists = self.containers.iter().filter_map(|c| match c {
            Container::List { ordered } => Some(*ordered),
            _ => None,
        });
        let (depth, ordered) = lists.fold((0, false), |(depth, _), ordered| (depth + 1, ordered));
        Kind::Item {
            depth: depth.max(1),
            ordered,
        }
    }

    fn quoted(&self) -> bool {
        self.containers
            .iter()
            .any(|c| matches!(c, Container::Quote))
    }

    fn open_block(&mut self, kind: Kind) {
        let block = self.new_block(kind);
        self.open.push(block);
    }

    fn new_block(&mut self, kind: Kind) -> BlockRef {
        let quoted = self.quoted();
        let section = self.sections.len() - 1;
        let blocks = &mut self.sections[section].blocks;
        blocks.push(Block::new(kind, quoted));
        BlockRef {
            section,
            block: blocks.len() - 1,
        }
    }

    fn block_mut(&mut self, at: BlockRef) -> &mut Block {
        &mut self.sections[at.section].blocks[at.block]
    }

    fn push_text(&mut self, text: &str) {
        if self.in_heading {
            return; // The heading's text is the section's title, taken from `render`.
        }
        // Inline content always sits in a block; a stray piece still gets one of its own.
        let target = match self.open.last().copied() {
            Some(target) => target,
            None => self.new_block(Kind::Paragraph),
        };
        let block = self.block_mut(target);
        match block.cells.last_mut() {
            Some(cell) => cell.push_str(text),
            None => block.text.push_str(text),
        }
    }

    fn finish(mut self) -> Vec<Section> {
        for at in std::mem::take(&mut self.html_blocks) {
            let block = self.block_mut(at);
            block.text = strip_tags(&block.text);
        }
        for section in &mut self.sections {
            for block in &mut section.blocks {
                block.normalise();
            }
            section.blocks.retain(|b| !b.is_blank());
        }
        if self.sections[0].blocks.is_empty() {
            self.sections.remove(0);
        }
        self.sections
    }
}

/// The text of a raw HTML block: tags and comments removed (what a reader sees of it).
fn strip_tags(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let tail = &rest[start..];
        let after = &tail[1..];
        let tag_end = if let Some(comment) = tail.strip_prefix("<!--") {
            Some(
                comment
                    .find("-->")
                    .map_or(tail.len(), |end| end + "<!---->".len()),
            )
        } else if after.starts_with(|c: char| c.is_ascii_alphabetic() || "/!?".contains(c)) {
            Some(tail.find('>').map_or(tail.len(), |end| end + 1))
        } else {
            None
        };
        match tag_end {
            // A tag separates words (`<br>`, `</td><td>`); whitespace is collapsed later.
            Some(end) => {
                text.push(' ');
                rest = &tail[end..];
            }
            None => {
                text.push('<');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}
