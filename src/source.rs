//! Small helpers over source text: line and column arithmetic and front-matter splitting.

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col_at(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// A source file cut into its YAML front matter and its Markdown body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Line of the file on which `yaml` starts (the line after the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// Line of the file on which `body` starts.
    pub body_line: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    NoOpening,
    /// The opening `---` on line 1 has no closing `---`.
    NoClosing,
}

/// Splits `---\n<yaml>\n---\n<body>` (text already normalised to LF line endings).
/// The closing line may be `---` or `...`, as in YAML.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, SplitError> {
    let first_end = text.find('\n');
    if text[..first_end.unwrap_or(text.len())].trim_end() != "---" {
        return Err(SplitError::NoOpening);
    }
    let yaml_start = first_end.map_or(text.len(), |i| i + 1);
    let mut offset = yaml_start;
    for (i, l) in text[yaml_start..].split_inclusive('\n').enumerate() {
        let line = i + 2;
        let bare = l.trim_end();
        if bare == "---" || bare == "..." {
            let body_start = offset + l.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(SplitError::NoClosing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split_front_matter("---\ntitle: A\nversion: '1'\n---\n\n## Body\n").unwrap();
        assert_eq!(s.yaml, "title: A\nversion: '1'\n");
        assert_eq!(s.body, "\n## Body\n");
        assert_eq!(s.body_line, 5);
        let empty = split_front_matter("---\n---\n").unwrap();
        assert_eq!((empty.yaml, empty.body, empty.body_line), ("", "", 3));
    }

    #[test]
    fn reports_missing_delimiters() {
        assert_eq!(split_front_matter("title: A\n"), Err(SplitError::NoOpening));
        assert_eq!(split_front_matter("----\n"), Err(SplitError::NoOpening));
        assert_eq!(
            split_front_matter("---\ntitle: A\n"),
            Err(SplitError::NoClosing)
        );
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col_at("ab\ncdé f", 8), (2, 5));
        assert_eq!(line_col_at("x", 99), (1, 2));
    }
}
