//! Reads an OpenDocument text (`.odt`): `content.xml`, with the named styles of `styles.xml`.
//! Tracked changes are accepted: the deleted text lives in `text:tracked-changes`, which is
//! skipped, and inserted text is already in place. Headers and footers live in `styles.xml`'s
//! master pages and are never read.

use std::collections::HashMap;

use roxmltree::Node;

use super::document::{Block, Document, Inline, Para, ParaRole, Table, push_text};
use super::package::Package;

const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
const FO: &str = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0";
const DRAW: &str = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
const XLINK: &str = "http://www.w3.org/1999/xlink";
const SVG: &str = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";

pub fn read(package: &mut Package) -> Result<Document, String> {
    let content = package
        .text("content.xml")?
        .ok_or("it has no content.xml")?;
    let styles_text = package.text("styles.xml")?;
    let content_xml = super::package::parse_xml(&content, "content.xml")?;
    let styles_xml = match &styles_text {
        Some(text) => Some(super::package::parse_xml(text, "styles.xml")?),
        None => None,
    };
    let mut styles = Styles::default();
    if let Some(xml) = &styles_xml {
        styles.add(xml.root_element());
    }
    styles.add(content_xml.root_element());
    let text = content_xml
        .descendants()
        .find(|n| {
            is(
                *n,
                "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
                "text",
            )
        })
        .ok_or("its content has no text")?;
    let mut reader = Reader {
        styles: &styles,
        document: Document::default(),
    };
    let mut blocks = Vec::new();
    reader.blocks(text, &mut blocks, None);
    reader.document.blocks = blocks;
    super::package::finish(package, reader.document)
}

fn is(node: Node, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(ns)
}

/// What the styles say: each paragraph style's display name, parent and outline level; each
/// text style's weight and slant; each list style's kind per level.
#[derive(Default)]
struct Styles {
    paragraph: HashMap<String, ParagraphStyle>,
    text: HashMap<String, TextStyle>,
    /// List style → for each level (1-based), whether it is numbered.
    lists: HashMap<String, HashMap<u8, bool>>,
}

#[derive(Default)]
struct ParagraphStyle {
    display: String,
    parent: Option<String>,
    outline: Option<u8>,
    text: TextStyle,
}

#[derive(Default, Clone, Copy)]
struct TextStyle {
    bold: Option<bool>,
    italic: Option<bool>,
}

impl Styles {
    fn add(&mut self, root: Node) {
        for s in root.descendants() {
            if is(s, STYLE, "style") {
                let Some(name) = s.attribute((STYLE, "name")) else {
                    continue;
                };
                let props = s.children().find(|c| is(*c, STYLE, "text-properties"));
                let text = TextStyle {
                    bold: props
                        .and_then(|p| p.attribute((FO, "font-weight")))
                        .map(|w| w == "bold" || w.parse::<u32>().is_ok_and(|n| n >= 600)),
                    italic: props
                        .and_then(|p| p.attribute((FO, "font-style")))
                        .map(|s| s == "italic" || s == "oblique"),
                };
                match s.attribute((STYLE, "family")) {
                    Some("paragraph") => {
                        self.paragraph.insert(
                            name.to_owned(),
                            ParagraphStyle {
                                display: s
                                    .attribute((STYLE, "display-name"))
                                    .unwrap_or(name)
                                    .replace("_20_", " ")
                                    .to_lowercase(),
                                parent: s
                                    .attribute((STYLE, "parent-style-name"))
                                    .map(str::to_owned),
                                outline: s
                                    .attribute((STYLE, "default-outline-level"))
                                    .and_then(|l| l.parse().ok()),
                                text,
                            },
                        );
                    }
                    Some("text") => {
                        self.text.insert(name.to_owned(), text);
                    }
                    _ => {}
                }
            } else if is(s, TEXT, "list-style") {
                let Some(name) = s.attribute((STYLE, "name")) else {
                    continue;
                };
                let levels = s
                    .children()
                    .filter(Node::is_element)
                    .filter_map(|l| {
                        let level = l.attribute((TEXT, "level"))?.parse().ok()?;
                        match l.tag_name().name() {
                            "list-level-style-number" => Some((level, true)),
                            "list-level-style-bullet" | "list-level-style-image" => {
                                Some((level, false))
                            }
                            _ => None,
                        }
                    })
                    .collect();
                self.lists.insert(name.to_owned(), levels);
            }
        }
    }

    /// The style and its parents, nearest first (at most ten deep).
    fn chain<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a ParagraphStyle> {
        let mut next = self.paragraph.get(name);
        std::iter::from_fn(move || {
            let current = next?;
            next = current.parent.as_ref().and_then(|p| self.paragraph.get(p));
            Some(current)
        })
        .take(10)
    }

    /// Title or heading, from the style's own name or a parent's.
    fn role(&self, name: &str) -> Option<ParaRole> {
        for style in self.chain(name) {
            if let Some(role) = super::document::role_of_style_name(&style.display) {
                return Some(role);
            }
            if let Some(level) = style.outline.filter(|l| *l > 0) {
                return Some(ParaRole::Heading(level.min(9)));
            }
        }
        None
    }

    fn is_contents_entry(&self, name: &str) -> bool {
        self.chain(name)
            .any(|s| s.display.starts_with("contents ") || s.display == "contents heading")
    }

    fn paragraph_format(&self, name: &str) -> Format {
        let mut format = Format::default();
        // Nearest style wins, so walk from the farthest.
        let chain: Vec<&ParagraphStyle> = self.chain(name).collect();
        for style in chain.iter().rev() {
            format = format.with(style.text);
        }
        format
    }
}

#[derive(Clone, Copy, Default)]
struct Format {
    bold: bool,
    italic: bool,
}

impl Format {
    fn with(self, style: TextStyle) -> Format {
        Format {
            bold: style.bold.unwrap_or(self.bold),
            italic: style.italic.unwrap_or(self.italic),
        }
    }
}

/// Where a list item sits: its depth (0 = outermost) and its list's style.
#[derive(Clone)]
struct ListPlace {
    depth: u8,
    style: Option<String>,
}

struct Reader<'s> {
    styles: &'s Styles,
    document: Document,
}

impl Reader<'_> {
    fn blocks(&mut self, node: Node, out: &mut Vec<Block>, list: Option<&ListPlace>) {
        for c in node.children().filter(Node::is_element) {
            match (c.tag_name().namespace(), c.tag_name().name()) {
                (Some(TEXT), "p" | "h") => {
                    if let Some(para) = self.paragraph(c, list) {
                        out.push(Block::Para(para));
                    }
                }
                (Some(TEXT), "list") => {
                    let style = c
                        .attribute((TEXT, "style-name"))
                        .map(str::to_owned)
                        .or_else(|| list.and_then(|l| l.style.clone()));
                    let depth = list.map_or(0, |l| l.depth + 1);
                    let place = ListPlace { depth, style };
                    for item in c
                        .children()
                        .filter(|i| is(*i, TEXT, "list-item") || is(*i, TEXT, "list-header"))
                    {
                        self.blocks(item, out, Some(&place));
                    }
                }
                (Some(TABLE), "table") => out.push(Block::Table(self.table(c))),
                (Some(TEXT), "section") => self.blocks(c, out, list),
                // Generated from the headings, and the deleted text of tracked changes.
                (Some(TEXT), "table-of-content" | "tracked-changes") => {}
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: Node, list: Option<&ListPlace>) -> Option<Para> {
        let style = p.attribute((TEXT, "style-name")).unwrap_or("");
        if self.styles.is_contents_entry(style) {
            return None;
        }
        let mut role = self.styles.role(style).unwrap_or(ParaRole::Body);
        if p.tag_name().name() == "h" {
            let level = p
                .attribute((TEXT, "outline-level"))
                .and_then(|l| l.parse::<u8>().ok())
                .unwrap_or(1);
            if role != ParaRole::Title {
                role = ParaRole::Heading(level.clamp(1, 9));
            }
        }
        if let Some(place) = list
            && role == ParaRole::Body
        {
            let ordered = place
                .style
                .as_ref()
                .and_then(|s| self.styles.lists.get(s))
                .and_then(|levels| levels.get(&(place.depth + 1)).copied())
                .unwrap_or(false);
            role = ParaRole::Item {
                level: place.depth,
                ordered,
            };
        }
        let mut inlines = Vec::new();
        let format = self.styles.paragraph_format(style);
        self.inlines(p, format, &mut inlines);
        collapse_spaces(&mut inlines);
        Some(Para { role, inlines })
    }

    fn inlines(&mut self, node: Node, format: Format, out: &mut Vec<Inline>) {
        for c in node.children() {
            if c.is_text() {
                push_text(out, c.text().unwrap_or(""), format.bold, format.italic);
                continue;
            }
            if !c.is_element() {
                continue;
            }
            match (c.tag_name().namespace(), c.tag_name().name()) {
                (Some(TEXT), "span") => {
                    let style = c
                        .attribute((TEXT, "style-name"))
                        .and_then(|s| self.styles.text.get(s).copied())
                        .unwrap_or_default();
                    self.inlines(c, format.with(style), out);
                }
                (Some(TEXT), "a") => {
                    let mut inner = Vec::new();
                    self.inlines(c, format, &mut inner);
                    match c.attribute((XLINK, "href")) {
                        Some(href) if !href.starts_with('#') => out.push(Inline::Link {
                            href: href.to_owned(),
                            inlines: inner,
                        }),
                        _ => out.extend(inner),
                    }
                }
                (Some(TEXT), "s") => {
                    let count = c
                        .attribute((TEXT, "c"))
                        .and_then(|n| n.parse::<usize>().ok())
                        .unwrap_or(1)
                        .min(100);
                    // Kept apart from collapsing by a no-break space, normalised later.
                    push_text(out, &"\u{a0}".repeat(count), format.bold, format.italic);
                }
                (Some(TEXT), "tab") => push_text(out, " ", format.bold, format.italic),
                (Some(TEXT), "line-break") => out.push(Inline::Break),
                (Some(TEXT), "note") => {
                    let id = c.attribute((TEXT, "id")).map_or_else(
                        || format!("note-{}", self.document.notes.len()),
                        str::to_owned,
                    );
                    if let Some(body) = c.children().find(|b| is(*b, TEXT, "note-body")) {
                        let mut blocks = Vec::new();
                        self.blocks(body, &mut blocks, None);
                        self.document
                            .notes
                            .push((id.clone(), super::document::cell_inlines(blocks)));
                    }
                    out.push(Inline::Note(id));
                }
                (Some(DRAW), "frame") => self.frame(c, out),
                (Some(DRAW), "a") => self.inlines(c, format, out),
                // Page numbers and counts belong to the printed page, not the text.
                (Some(TEXT), "page-number" | "page-count" | "bookmark-ref") => {}
                (
                    Some(TEXT),
                    "soft-page-break" | "bookmark" | "bookmark-start" | "bookmark-end",
                )
                | (Some(TEXT), "change" | "change-start" | "change-end" | "note-citation") => {}
                (Some(TEXT), "reference-mark" | "reference-mark-start" | "reference-mark-end") => {}
                // Any other field (a date, the title, …): its shown text.
                (Some(TEXT), _) => self.inlines(c, format, out),
                _ => {}
            }
        }
    }

    /// A frame holds a picture, or a text box (reported, not read).
    fn frame(&mut self, frame: Node, out: &mut Vec<Inline>) {
        let alt = frame
            .children()
            .find(|c| is(*c, SVG, "desc"))
            .or_else(|| frame.children().find(|c| is(*c, SVG, "title")))
            .and_then(|c| c.text())
            .or_else(|| frame.attribute((DRAW, "name")))
            .unwrap_or("")
            .trim()
            .to_owned();
        if let Some(image) = frame.children().find(|c| is(*c, DRAW, "image"))
            && let Some(href) = image.attribute((XLINK, "href"))
            && !href.contains(':')
        {
            out.push(Inline::Image {
                part: super::package::join_part("", href),
                alt,
            });
        } else if frame
            .children()
            .any(|c| is(c, DRAW, "object") || is(c, DRAW, "object-ole"))
        {
            self.document.unconverted.push(format!(
                "an embedded object (a chart, equation or spreadsheet): {alt}"
            ));
        } else if let Some(text_box) = frame.children().find(|c| is(*c, DRAW, "text-box")) {
            let mut blocks = Vec::new();
            self.blocks(text_box, &mut blocks, None);
            let text = super::document::plain_text(&super::document::cell_inlines(blocks));
            if !text.trim().is_empty() {
                self.document
                    .unconverted
                    .push(format!("a text box: {}", text.trim()));
            }
        }
    }

    fn table(&mut self, node: Node) -> Table {
        let mut table = Table::default();
        self.rows(node, &mut table, false);
        table
    }

    fn rows(&mut self, node: Node, table: &mut Table, header: bool) {
        for c in node.children().filter(Node::is_element) {
            match (c.tag_name().namespace(), c.tag_name().name()) {
                (Some(TABLE), "table-header-rows") => self.rows(c, table, true),
                (Some(TABLE), "table-rows" | "table-row-group") => self.rows(c, table, header),
                (Some(TABLE), "table-row") => {
                    if header && table.header_rows == table.rows.len() {
                        table.header_rows += 1;
                    }
                    let mut row = Vec::new();
                    for cell in c.children().filter(Node::is_element) {
                        match cell.tag_name().name() {
                            "table-cell" => {
                                let mut blocks = Vec::new();
                                self.blocks(cell, &mut blocks, None);
                                row.push(super::document::cell_inlines(blocks));
                            }
                            "covered-table-cell" => row.push(Vec::new()),
                            _ => {}
                        }
                    }
                    table.rows.push(row);
                }
                _ => {}
            }
        }
    }
}

/// ODF collapses runs of white space in text to one space (`text:s` writes extra ones).
fn collapse_spaces(inlines: &mut [Inline]) {
    let mut last_space = true;
    fn walk(inlines: &mut [Inline], last_space: &mut bool) {
        for inline in inlines {
            match inline {
                Inline::Text(span) => {
                    let mut text = String::with_capacity(span.text.len());
                    for ch in span.text.chars() {
                        if matches!(ch, ' ' | '\t' | '\n' | '\r') {
                            if !*last_space {
                                text.push(' ');
                            }
                            *last_space = true;
                        } else {
                            text.push(ch);
                            *last_space = false;
                        }
                    }
                    span.text = text;
                }
                Inline::Link { inlines, .. } => walk(inlines, last_space),
                Inline::Break => *last_space = true,
                _ => {}
            }
        }
    }
    walk(inlines, &mut last_space);
}
