//! A word-processor file is a zip of XML parts: reads them with a size limit (a small zip can
//! unpack to gigabytes) and parses XML without DTDs (so no entity expansion).

use std::io::Read as _;

/// The most one part may unpack to.
const PART_LIMIT: u64 = 64 * 1024 * 1024;

/// The most all the parts read from one document may unpack to.
const TOTAL_LIMIT: u64 = 256 * 1024 * 1024;

pub struct Package {
    zip: zip::ZipArchive<std::io::Cursor<Vec<u8>>>,
    /// Bytes unpacked so far.
    read: u64,
}

impl Package {
    pub fn open(bytes: Vec<u8>) -> Result<Package, String> {
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
            format!("it is not a readable zip file ({e}); is it a real .docx or .odt, not renamed?")
        })?;
        Ok(Package { zip, read: 0 })
    }

    /// The bytes of part `name`, or `None` when the package has no such part.
    pub fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let file = match self.zip.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(format!("its part {name} cannot be read ({e})")),
        };
        let mut bytes = Vec::new();
        file.take(PART_LIMIT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("its part {name} cannot be read ({e})"))?;
        if bytes.len() as u64 > PART_LIMIT {
            return Err(format!(
                "its part {name} unpacks to more than {} MB",
                PART_LIMIT / 1024 / 1024
            ));
        }
        self.read += bytes.len() as u64;
        if self.read > TOTAL_LIMIT {
            return Err(format!(
                "it unpacks to more than {} MB",
                TOTAL_LIMIT / 1024 / 1024
            ));
        }
        Ok(Some(bytes))
    }

    /// Part `name` as text (UTF-8, as both formats write XML).
    pub fn text(&mut self, name: &str) -> Result<Option<String>, String> {
        let Some(bytes) = self.bytes(name)? else {
            return Ok(None);
        };
        String::from_utf8(bytes)
            .map(|mut text| {
                if text.starts_with('\u{feff}') {
                    text.remove(0);
                }
                Some(text)
            })
            .map_err(|_| format!("its part {name} is not UTF-8"))
    }
}

/// Deeper nesting than any word processor writes; the readers walk the tree recursively.
const MAX_DEPTH: usize = 256;

pub fn parse_xml<'i>(text: &'i str, part: &str) -> Result<roxmltree::Document<'i>, String> {
    if nests_deeper_than(text, MAX_DEPTH) {
        return Err(format!(
            "its part {part} nests elements more than {MAX_DEPTH} deep, which no word processor writes"
        ));
    }
    roxmltree::Document::parse(text)
        .map_err(|e| format!("its part {part} is not well-formed XML ({e})"))
}

/// Whether elements nest deeper than `max`, found by scanning the tags (quoted attribute
/// values, comments, CDATA and processing instructions skipped) before anything is parsed.
fn nests_deeper_than(text: &str, max: usize) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        let start = i + offset;
        let rest = &text[start..];
        let skip_to = |end: &str| {
            rest.find(end)
                .map_or(bytes.len(), |e| start + e + end.len())
        };
        if rest.starts_with("<!--") {
            i = skip_to("-->");
        } else if rest.starts_with("<![CDATA[") {
            i = skip_to("]]>");
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            i = skip_to(">");
        } else if rest.starts_with("</") {
            depth = depth.saturating_sub(1);
            i = skip_to(">");
        } else {
            let mut quote = None;
            let mut end = bytes.len();
            for (j, &b) in bytes[start + 1..].iter().enumerate() {
                match (quote, b) {
                    (Some(q), b) if b == q => quote = None,
                    (Some(_), _) => {}
                    (None, b'"' | b'\'') => quote = Some(b),
                    (None, b'>') => {
                        end = start + 1 + j;
                        break;
                    }
                    _ => {}
                }
            }
            if end > 0 && end < bytes.len() && bytes[end - 1] != b'/' {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            i = (end + 1).min(bytes.len());
        }
    }
    false
}

/// `target` relative to the folder `folder` of the part that names it, as a part name.
pub fn join_part(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|p| !p.is_empty()).collect()
    };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            piece => parts.push(piece),
        }
    }
    parts.join("/")
}

/// Completes what a reader read: the pictures its text shows (each once, in order of first
/// use) and the title in its properties.
pub fn finish(
    package: &mut Package,
    mut document: super::document::Document,
) -> Result<super::document::Document, String> {
    let mut wanted: Vec<String> = Vec::new();
    super::document::for_each_inline(&document.blocks, &document.notes, &mut |inline| {
        if let super::document::Inline::Image { part, .. } = inline
            && !wanted.contains(part)
        {
            wanted.push(part.clone());
        }
    });
    for part in wanted {
        if let Some(bytes) = package.bytes(&part)? {
            document.images.push((part, bytes));
        }
    }
    document.property_title = core_title(package)?;
    Ok(document)
}

/// The title in the document's properties (`docProps/core.xml` or `meta.xml`), if set.
pub fn core_title(package: &mut Package) -> Result<Option<String>, String> {
    for part in ["docProps/core.xml", "meta.xml"] {
        if let Some(text) = package.text(part)? {
            let xml = parse_xml(&text, part)?;
            let title = xml
                .descendants()
                .find(|n| n.tag_name().name() == "title")
                .and_then(|n| n.text())
                .map(str::trim)
                .filter(|t| !t.is_empty());
            if let Some(title) = title {
                return Ok(Some(title.to_owned()));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_targets_resolve_inside_the_package() {
        assert_eq!(
            join_part("word", "media/image1.png"),
            "word/media/image1.png"
        );
        assert_eq!(
            join_part("word", "../customXml/item.xml"),
            "customXml/item.xml"
        );
        assert_eq!(join_part("word", "/word/media/a.png"), "word/media/a.png");
        assert_eq!(join_part("", "../../x"), "x");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
        assert!(parse_xml(&deep, "x.xml").unwrap_err().contains("deep"));
        // Self-closing tags, closed tags, quoted `>` and comments do not nest.
        let flat = format!(
            "<r>{}</r>",
            "<a x=\"/>\"/><b>t</b><!-- <c> --><![CDATA[<d>]]>".repeat(1_000)
        );
        assert!(parse_xml(&flat, "x.xml").is_ok());
    }

    #[test]
    fn a_dtd_is_refused() {
        let bomb = "<!DOCTYPE a [<!ENTITY b \"bbbb\">]><a>&b;</a>";
        assert!(parse_xml(bomb, "x.xml").is_err());
    }
}
