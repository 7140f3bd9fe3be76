//! What a word-processor document says, once read: the plain data the Word and OpenDocument
//! readers produce and the rest of the import works on.

/// A document, with its tracked changes accepted and its headers and footers left out.
#[derive(Debug, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Footnote and endnote texts, by the id their [`Inline::Note`] carries.
    pub notes: Vec<(String, Vec<Inline>)>,
    /// Pictures, by their path inside the document's zip.
    pub images: Vec<(String, Vec<u8>)>,
    /// The title the document's properties give, if any.
    pub property_title: Option<String>,
    /// What the reader met but could not convert, with its text (text boxes, embedded objects).
    pub unconverted: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Block {
    Para(Para),
    Table(Table),
}

#[derive(Debug, Clone)]
pub struct Para {
    pub role: ParaRole,
    pub inlines: Vec<Inline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParaRole {
    /// The document's Title style.
    Title,
    /// A heading style, by outline level (1 = top).
    Heading(u8),
    Body,
    /// A list item; `level` 0 is the outermost.
    Item {
        level: u8,
        ordered: bool,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    /// How many leading rows are header rows (repeated on each page in the document).
    pub header_rows: usize,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(Span),
    Link {
        href: String,
        inlines: Vec<Inline>,
    },
    Image {
        part: String,
        alt: String,
    },
    /// A footnote or endnote reference, by id.
    Note(String),
    Break,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Para {
    pub fn text(&self) -> String {
        plain_text(&self.inlines)
    }

    /// Whether every letter of the paragraph is bold (a heading typed as a bold paragraph).
    pub fn all_bold(&self) -> bool {
        fn walk(inlines: &[Inline], any: &mut bool) -> bool {
            inlines.iter().all(|inline| match inline {
                Inline::Text(span) if span.text.trim().is_empty() => true,
                Inline::Text(span) => {
                    *any = true;
                    span.bold
                }
                Inline::Link { inlines, .. } => walk(inlines, any),
                _ => true,
            })
        }
        let mut any = false;
        walk(&self.inlines, &mut any) && any
    }
}

/// What a paragraph style's name says, in either format (names in lower case): `title` is the
/// Title, `heading 2` a heading of level 2.
pub fn role_of_style_name(name: &str) -> Option<ParaRole> {
    if name == "title" {
        return Some(ParaRole::Title);
    }
    let level = name.strip_prefix("heading ")?.trim().parse::<u8>().ok()?;
    Some(ParaRole::Heading(level.clamp(1, 9)))
}

/// The text of `inlines`, without formatting; a line break is a space.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut text = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(span) => text.push_str(&span.text),
            Inline::Link { inlines, .. } => text.push_str(&plain_text(inlines)),
            Inline::Break => text.push(' '),
            Inline::Image { .. } | Inline::Note(_) => {}
        }
    }
    text
}

/// Whether a paragraph has nothing to show (no text, picture or note).
pub fn is_empty(inlines: &[Inline]) -> bool {
    inlines.iter().all(|inline| match inline {
        Inline::Text(span) => span.text.trim().is_empty(),
        Inline::Link { inlines, .. } => is_empty(inlines),
        Inline::Break => true,
        Inline::Image { .. } | Inline::Note(_) => false,
    })
}

/// Appends text to `inlines`, merging it with the last span when the formatting is the same
/// (documents split words into many runs).
pub fn push_text(inlines: &mut Vec<Inline>, text: &str, bold: bool, italic: bool) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text(last)) = inlines.last_mut()
        && last.bold == bold
        && last.italic == italic
    {
        last.text.push_str(text);
        return;
    }
    inlines.push(Inline::Text(Span {
        text: text.to_owned(),
        bold,
        italic,
    }));
}

/// Calls `f` on every inline of the blocks and notes, links' contents included.
pub fn for_each_inline(
    blocks: &[Block],
    notes: &[(String, Vec<Inline>)],
    f: &mut impl FnMut(&Inline),
) {
    fn walk(inlines: &[Inline], f: &mut impl FnMut(&Inline)) {
        for inline in inlines {
            f(inline);
            if let Inline::Link { inlines, .. } = inline {
                walk(inlines, f);
            }
        }
    }
    for block in blocks {
        match block {
            Block::Para(para) => walk(&para.inlines, f),
            Block::Table(table) => table.rows.iter().flatten().for_each(|c| walk(c, f)),
        }
    }
    for (_, inlines) in notes {
        walk(inlines, f);
    }
}

/// The blocks of a table cell or a note as one line: paragraphs joined by line breaks, a
/// table inside by its cells' text.
pub fn cell_inlines(blocks: Vec<Block>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for block in blocks {
        let inlines = match block {
            Block::Para(para) => para.inlines,
            Block::Table(table) => {
                let cells: Vec<String> =
                    table.rows.iter().flatten().map(|c| plain_text(c)).collect();
                let mut inlines = Vec::new();
                push_text(&mut inlines, &cells.join(" "), false, false);
                inlines
            }
        };
        if is_empty(&inlines) {
            continue;
        }
        if !out.is_empty() {
            out.push(Inline::Break);
        }
        out.extend(inlines);
    }
    out
}
