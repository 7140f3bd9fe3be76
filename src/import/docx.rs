//! Reads a Word document (`.docx`, Office Open XML): `word/document.xml` with its styles,
//! numbering, relationships and footnotes. Insertions are kept and deletions dropped, as if
//! every tracked change were accepted; headers and footers live in parts of their own and are
//! never read.

use std::collections::HashMap;

use roxmltree::Node;

use super::document::{Block, Document, Inline, Para, ParaRole, Table, push_text};
use super::package::Package;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

pub fn read(package: &mut Package) -> Result<Document, String> {
    let main = main_part(package)?;
    let folder = main.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned();
    let rels_path = format!("{folder}/_rels/{}.rels", file_name(&main));
    let rels = Relationships::parse(package.text(&rels_path)?.as_deref(), &folder)?;
    let styles = Styles::parse(package.text(&format!("{folder}/styles.xml"))?.as_deref())?;
    let numbering = Numbering::parse(package.text(&format!("{folder}/numbering.xml"))?.as_deref())?;
    let text = package
        .text(&main)?
        .ok_or_else(|| format!("it has no {main}"))?;
    let xml = super::package::parse_xml(&text, &main)?;
    let mut reader = Reader {
        styles: &styles,
        numbering: &numbering,
        rels: &rels,
        document: Document::default(),
    };
    let body = child(xml.root_element(), "body").ok_or("its document part has no body")?;
    let mut blocks = Vec::new();
    reader.blocks(body, &mut blocks);
    reader.document.blocks = blocks;
    for (part, kind) in [("footnotes.xml", "footnote"), ("endnotes.xml", "endnote")] {
        if let Some(text) = package.text(&format!("{folder}/{part}"))? {
            reader.notes(&super::package::parse_xml(&text, part)?, kind);
        }
    }
    super::package::finish(package, reader.document)
}

/// The main document part, as the package's relationships name it.
fn main_part(package: &mut Package) -> Result<String, String> {
    let rels = package.text("_rels/.rels")?;
    let Some(rels) = rels else {
        return Ok("word/document.xml".to_owned());
    };
    let xml = super::package::parse_xml(&rels, "_rels/.rels")?;
    Ok(xml
        .root_element()
        .children()
        .find(|r| {
            r.attribute("Type")
                .is_some_and(|t| t.ends_with("/officeDocument"))
        })
        .and_then(|r| r.attribute("Target"))
        .map_or_else(
            || "word/document.xml".to_owned(),
            |t| t.trim_start_matches('/').to_owned(),
        ))
}

fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

fn is_w(node: Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(W)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is_w(*c, name))
}

fn w_attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

/// A `w:b`-like switch: present means on, unless its value says off.
fn switch(properties: Option<Node>, name: &str) -> Option<bool> {
    let node = child(properties?, name)?;
    Some(!matches!(
        w_attr(node, "val"),
        Some("0" | "false" | "off" | "none")
    ))
}

/// `rId` → target part (or external address) from a `.rels` part.
struct Relationships(HashMap<String, (String, bool)>);

impl Relationships {
    fn parse(text: Option<&str>, folder: &str) -> Result<Relationships, String> {
        let mut map = HashMap::new();
        if let Some(text) = text {
            let xml = super::package::parse_xml(text, "relationships")?;
            for r in xml.root_element().children().filter(Node::is_element) {
                let (Some(id), Some(target)) = (r.attribute("Id"), r.attribute("Target")) else {
                    continue;
                };
                let external = r.attribute("TargetMode") == Some("External");
                let target = if external {
                    target.to_owned()
                } else {
                    super::package::join_part(folder, target)
                };
                map.insert(id.to_owned(), (target, external));
            }
        }
        Ok(Relationships(map))
    }

    fn external(&self, id: &str) -> Option<&str> {
        self.0
            .get(id)
            .filter(|(_, external)| *external)
            .map(|(t, _)| t.as_str())
    }

    fn part(&self, id: &str) -> Option<&str> {
        self.0
            .get(id)
            .filter(|(_, external)| !*external)
            .map(|(t, _)| t.as_str())
    }
}

/// What a paragraph style says: its name and outline level, and the list it numbers with.
#[derive(Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    numbering: Option<(String, u8)>,
}

struct Styles(HashMap<String, Style>);

impl Styles {
    fn parse(text: Option<&str>) -> Result<Styles, String> {
        let mut map = HashMap::new();
        if let Some(text) = text {
            let xml = super::package::parse_xml(text, "styles.xml")?;
            for s in xml.root_element().children().filter(|c| is_w(*c, "style")) {
                let Some(id) = w_attr(s, "styleId") else {
                    continue;
                };
                let ppr = child(s, "pPr");
                let style = Style {
                    name: child(s, "name")
                        .and_then(|n| w_attr(n, "val"))
                        .unwrap_or(id)
                        .to_lowercase(),
                    based_on: child(s, "basedOn").and_then(|b| w_attr(b, "val").map(str::to_owned)),
                    outline: ppr
                        .and_then(|p| child(p, "outlineLvl"))
                        .and_then(|o| w_attr(o, "val")?.parse().ok()),
                    numbering: ppr.and_then(|p| list_numbering(child(p, "numPr")?)),
                };
                map.insert(id.to_owned(), style);
            }
        }
        Ok(Styles(map))
    }

    /// The style and the styles it is based on, nearest first (at most ten deep).
    fn chain<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Style> {
        let mut next = self.0.get(id);
        std::iter::from_fn(move || {
            let current = next?;
            next = current.based_on.as_ref().and_then(|b| self.0.get(b));
            Some(current)
        })
        .take(10)
    }

    fn role(&self, id: &str) -> Option<ParaRole> {
        let style = self.0.get(id)?;
        if let Some(role) = super::document::role_of_style_name(&style.name) {
            return Some(role);
        }
        let outline = self.chain(id).find_map(|s| s.outline)?;
        (outline < 9).then_some(ParaRole::Heading(outline + 1))
    }

    fn is_contents_entry(&self, id: &str) -> bool {
        self.0.get(id).is_some_and(|s| {
            s.name.starts_with("toc ") || s.name.starts_with("contents ") || s.name == "toc heading"
        })
    }

    fn numbering(&self, id: &str) -> Option<(String, u8)> {
        self.chain(id).find_map(|s| s.numbering.clone())
    }
}

fn list_numbering(num_pr: Node) -> Option<(String, u8)> {
    let id = w_attr(child(num_pr, "numId")?, "val")?.to_owned();
    let level = child(num_pr, "ilvl")
        .and_then(|l| w_attr(l, "val")?.parse().ok())
        .unwrap_or(0);
    Some((id, level))
}

/// `numId` → the format of each level (`bullet`, `decimal`, `none`, …).
struct Numbering(HashMap<String, HashMap<u8, String>>);

impl Numbering {
    fn parse(text: Option<&str>) -> Result<Numbering, String> {
        let mut abstracts: HashMap<&str, HashMap<u8, String>> = HashMap::new();
        let mut nums = HashMap::new();
        let Some(text) = text else {
            return Ok(Numbering(nums));
        };
        let xml = super::package::parse_xml(text, "numbering.xml")?;
        for a in xml
            .root_element()
            .children()
            .filter(|c| is_w(*c, "abstractNum"))
        {
            let Some(id) = w_attr(a, "abstractNumId") else {
                continue;
            };
            let levels = a
                .children()
                .filter(|c| is_w(*c, "lvl"))
                .filter_map(|lvl| {
                    let level = w_attr(lvl, "ilvl")?.parse().ok()?;
                    let format = w_attr(child(lvl, "numFmt")?, "val")?.to_owned();
                    Some((level, format))
                })
                .collect();
            abstracts.insert(id, levels);
        }
        for n in xml.root_element().children().filter(|c| is_w(*c, "num")) {
            let (Some(id), Some(abstract_id)) = (
                w_attr(n, "numId"),
                child(n, "abstractNumId").and_then(|a| w_attr(a, "val")),
            ) else {
                continue;
            };
            if let Some(levels) = abstracts.get(abstract_id) {
                nums.insert(id.to_owned(), levels.clone());
            }
        }
        Ok(Numbering(nums))
    }

    /// Whether list `id` at `level` is numbered (`Some(true)`), bulleted (`Some(false)`) or no
    /// list at all (`None`: id 0, or a level without a number or bullet).
    fn ordered(&self, id: &str, level: u8) -> Option<bool> {
        if id == "0" {
            return None;
        }
        match self.0.get(id).and_then(|levels| levels.get(&level)) {
            Some(format) if format == "none" => None,
            Some(format) => Some(format != "bullet"),
            // A list the numbering part does not describe: call it bulleted.
            None => Some(false),
        }
    }
}

struct Reader<'s> {
    styles: &'s Styles,
    numbering: &'s Numbering,
    rels: &'s Relationships,
    document: Document,
}

#[derive(Clone, Copy, Default)]
struct Format {
    bold: bool,
    italic: bool,
}

impl Reader<'_> {
    /// Block-level content: paragraphs and tables, through content controls and
    /// (accepted) block-level insertions.
    fn blocks(&mut self, node: Node, out: &mut Vec<Block>) {
        for c in node.children().filter(Node::is_element) {
            if c.tag_name().namespace() != Some(W) {
                continue;
            }
            match c.tag_name().name() {
                "p" => {
                    if let Some(para) = self.paragraph(c) {
                        out.push(Block::Para(para));
                    }
                }
                "tbl" => out.push(Block::Table(self.table(c))),
                "sdt" if is_contents(c) => {}
                "sdt" | "sdtContent" | "ins" | "moveTo" | "customXml" => self.blocks(c, out),
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: Node) -> Option<Para> {
        let ppr = child(p, "pPr");
        let style = ppr
            .and_then(|pr| child(pr, "pStyle"))
            .and_then(|s| w_attr(s, "val"))
            .unwrap_or("");
        if self.styles.is_contents_entry(style) {
            return None;
        }
        let mut role = self.styles.role(style).unwrap_or(ParaRole::Body);
        if let Some(level) = ppr
            .and_then(|pr| child(pr, "outlineLvl"))
            .and_then(|o| w_attr(o, "val")?.parse::<u8>().ok())
            && level < 9
        {
            role = ParaRole::Heading(level + 1);
        }
        let numbering = ppr
            .and_then(|pr| child(pr, "numPr"))
            .and_then(list_numbering)
            .or_else(|| self.styles.numbering(style));
        if role == ParaRole::Body
            && let Some((id, level)) = numbering
            && let Some(ordered) = self.numbering.ordered(&id, level)
        {
            role = ParaRole::Item { level, ordered };
        }
        let mut inlines = Vec::new();
        self.inlines(p, Format::default(), &mut inlines);
        Some(Para { role, inlines })
    }

    fn inlines(&mut self, node: Node, format: Format, out: &mut Vec<Inline>) {
        for c in node.children().filter(Node::is_element) {
            match (c.tag_name().namespace(), c.tag_name().name()) {
                (Some(W), "r") => self.run(c, format, out),
                (Some(W), "hyperlink") => {
                    let mut inner = Vec::new();
                    self.inlines(c, format, &mut inner);
                    match c.attribute((R, "id")).and_then(|id| self.rels.external(id)) {
                        Some(href) => out.push(Inline::Link {
                            href: href.to_owned(),
                            inlines: inner,
                        }),
                        // An anchor inside the document: keep the words.
                        None => out.extend(inner),
                    }
                }
                (Some(W), "del" | "moveFrom" | "pPr") => {}
                (_, "oMath" | "oMathPara") => self
                    .document
                    .unconverted
                    .push(format!("an equation: {}", math_text(c))),
                (Some(W), "ins" | "moveTo" | "smartTag" | "customXml" | "fldSimple" | "sdt")
                | (Some(W), "sdtContent" | "bdo" | "dir") => self.inlines(c, format, out),
                _ => {}
            }
        }
    }

    fn run(&mut self, r: Node, format: Format, out: &mut Vec<Inline>) {
        let rpr = child(r, "rPr");
        // Hidden text (a template's guidance notes, say) is not part of the policy.
        if switch(rpr, "vanish") == Some(true) {
            return;
        }
        let format = Format {
            bold: switch(rpr, "b").unwrap_or(format.bold),
            italic: switch(rpr, "i").unwrap_or(format.italic),
        };
        for c in r.children().filter(Node::is_element) {
            match (c.tag_name().namespace(), c.tag_name().name()) {
                (Some(W), "t") => {
                    push_text(out, c.text().unwrap_or(""), format.bold, format.italic)
                }
                (Some(W), "tab" | "ptab") => push_text(out, " ", format.bold, format.italic),
                (Some(W), "noBreakHyphen") => push_text(out, "-", format.bold, format.italic),
                (Some(W), "br" | "cr") if !matches!(w_attr(c, "type"), Some("page" | "column")) => {
                    out.push(Inline::Break);
                }
                (Some(W), "footnoteReference") => {
                    if let Some(id) = w_attr(c, "id") {
                        out.push(Inline::Note(format!("footnote-{id}")));
                    }
                }
                (Some(W), "endnoteReference") => {
                    if let Some(id) = w_attr(c, "id") {
                        out.push(Inline::Note(format!("endnote-{id}")));
                    }
                }
                (Some(W), "drawing" | "pict" | "object") => self.picture(c, out),
                (_, "AlternateContent") => {
                    // Word offers a modern form and a fallback: read the first choice only.
                    if let Some(choice) = c.children().find(|n| n.tag_name().name() == "Choice") {
                        self.run(choice, format, out);
                    }
                }
                _ => {}
            }
        }
    }

    /// A picture (`w:drawing` or an older `w:pict`); a text box in it is reported, not read.
    fn picture(&mut self, node: Node, out: &mut Vec<Inline>) {
        let blip = node.descendants().find(|d| {
            matches!(d.tag_name().name(), "blip" | "imagedata")
                && (d.attribute((R, "embed")).is_some() || d.attribute((R, "id")).is_some())
        });
        let text_box = node
            .descendants()
            .find(|d| is_w(*d, "txbxContent"))
            .map(|t| text_of(t));
        if let Some(text) = text_box.as_ref().filter(|t| !t.trim().is_empty()) {
            self.document
                .unconverted
                .push(format!("a text box: {}", text.trim()));
        }
        let Some(blip) = blip else {
            if text_box.is_none() {
                self.document.unconverted.push(
                    "a drawing that is not a picture (a chart, shape or embedded object)"
                        .to_owned(),
                );
            }
            return;
        };
        let id = blip
            .attribute((R, "embed"))
            .or_else(|| blip.attribute((R, "id")))
            .unwrap_or("");
        let Some(part) = self.rels.part(id) else {
            return;
        };
        let alt = node
            .descendants()
            .find(|d| d.tag_name().name() == "docPr")
            .and_then(|d| {
                d.attribute("descr")
                    .filter(|t| !t.trim().is_empty())
                    .or_else(|| d.attribute("title"))
            })
            .unwrap_or("")
            .trim()
            .to_owned();
        out.push(Inline::Image {
            part: part.to_owned(),
            alt,
        });
    }

    fn table(&mut self, tbl: Node) -> Table {
        let mut table = Table::default();
        let mut header_done = false;
        // A row deleted with tracked changes on is gone once the changes are accepted.
        let deleted = |tr: &Node| child(*tr, "trPr").is_some_and(|p| child(p, "del").is_some());
        for tr in tbl.children().filter(|c| is_w(*c, "tr") && !deleted(c)) {
            let header = child(tr, "trPr").and_then(|p| switch(Some(p), "tblHeader")) == Some(true);
            if header && !header_done {
                table.header_rows += 1;
            } else {
                header_done = true;
            }
            let mut row = Vec::new();
            for tc in tr.children().filter(|c| is_w(*c, "tc")) {
                let tcpr = child(tc, "tcPr");
                let continued = tcpr
                    .and_then(|p| child(p, "vMerge"))
                    .is_some_and(|m| w_attr(m, "val") != Some("restart"));
                let span = tcpr
                    .and_then(|p| child(p, "gridSpan"))
                    .and_then(|g| w_attr(g, "val")?.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let cell = if continued { Vec::new() } else { self.cell(tc) };
                row.push(cell);
                row.extend(std::iter::repeat_n(Vec::new(), span - 1));
            }
            table.rows.push(row);
        }
        table
    }

    /// A cell's paragraphs (and any table inside it) as one line of inlines.
    fn cell(&mut self, tc: Node) -> Vec<Inline> {
        let mut blocks = Vec::new();
        self.blocks(tc, &mut blocks);
        super::document::cell_inlines(blocks)
    }

    fn notes(&mut self, xml: &roxmltree::Document, kind: &str) {
        for note in xml
            .root_element()
            .children()
            .filter(|c| is_w(*c, kind))
            .filter(|c| w_attr(*c, "type").is_none_or(|t| t == "normal"))
        {
            let Some(id) = w_attr(note, "id") else {
                continue;
            };
            let mut blocks = Vec::new();
            self.blocks(note, &mut blocks);
            self.document.notes.push((
                format!("{kind}-{id}"),
                super::document::cell_inlines(blocks),
            ));
        }
    }
}

fn is_contents(sdt: Node) -> bool {
    sdt.descendants().any(|d| {
        is_w(d, "docPartGallery")
            && w_attr(d, "val").is_some_and(|v| v.eq_ignore_ascii_case("Table of Contents"))
    })
}

/// All the text under `node`, paragraphs separated by spaces.
fn text_of(node: Node) -> String {
    let mut text = String::new();
    for d in node.descendants() {
        if is_w(d, "t") {
            text.push_str(d.text().unwrap_or(""));
        } else if is_w(d, "p") && !text.is_empty() {
            text.push(' ');
        }
    }
    text
}

/// The characters of an equation, in order, as a hint of which one it was.
fn math_text(node: Node) -> String {
    node.descendants()
        .filter(|d| d.tag_name().name() == "t")
        .filter_map(|d| d.text())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A package with only a document part, for what the fixtures made by LibreOffice lack.
    fn package(body: &str) -> Package {
        let xml = format!(
            "<w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>{body}</w:body></w:document>"
        );
        let mut bytes = Vec::new();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        std::io::Write::write_all(&mut zip, xml.as_bytes()).unwrap();
        zip.finish().unwrap();
        Package::open(bytes).unwrap()
    }

    #[test]
    fn hidden_text_and_deleted_rows_are_left_out() {
        let mut package = package(
            "<w:p><w:r><w:t>Shown.</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>Guidance.</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>kept</w:t></w:r></w:p></w:tc></w:tr>\
             <w:tr><w:trPr><w:del w:id=\"1\"/></w:trPr><w:tc><w:p><w:r><w:t>gone</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        );
        let document = read(&mut package).unwrap();
        let Block::Para(p) = &document.blocks[0] else {
            panic!();
        };
        assert_eq!(p.text(), "Shown.");
        let Block::Table(t) = &document.blocks[1] else {
            panic!();
        };
        assert_eq!(t.rows.len(), 1);
    }
}
