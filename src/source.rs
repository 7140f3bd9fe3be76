//! Reading the project's sources, and small helpers over their text: line and column
//! arithmetic and front-matter splitting.
//!
//! Every input is read through [`read_text`] or checked with [`input_dir`]: nothing is read
//! through a symbolic link (at the top, like `content -> /elsewhere`, or below it), so a build
//! only ever publishes what is inside the project.

use std::path::{Component, Path};

use crate::error::{Diagnostic, Error, IoContext as _, Result};

/// Decodes a source file as UTF-8 and normalises it as the digest does (no BOM, LF line
/// endings, lone CRs included); a file that is not UTF-8 is a diagnostic at its first bad byte.
// A diagnostic is how every reader reports a problem; it is made once per bad file.
#[allow(clippy::result_large_err)]
pub fn decode_text(bytes: &[u8], display: &Path) -> std::result::Result<String, Diagnostic> {
    crate::digest::normalise(bytes).map_err(|(line, column)| {
        let valid = String::from_utf8_lossy(bytes);
        Diagnostic::error(display, "the file is not valid UTF-8")
            .at(&valid, line, column)
            .help("save the file as UTF-8 (in Word or Notepad: Save As → Encoding: UTF-8)")
    })
}

/// Reads the project file `relative` as normalised text: `Ok(None)` when it does not exist.
/// A link anywhere along its path, something that is not a regular file (a FIFO would block
/// forever), or text that is not UTF-8 is an error naming the file.
pub fn read_text(root: &Path, relative: &Path, display: &Path) -> Result<Option<String>> {
    let path = root.join(relative);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
        Ok(_) => refuse_links(root, relative, display)?,
    }
    if !std::fs::metadata(&path).at_path(&path)?.is_file() {
        return Err(Error::Invalid(vec![
            Diagnostic::error(display, "this is not a regular file")
                .help("replace it with the file itself"),
        ]));
    }
    let bytes = std::fs::read(&path).at_path(&path)?;
    decode_text(&bytes, display)
        .map(Some)
        .map_err(|d| Error::Invalid(vec![d]))
}

/// The bytes of the project file `relative`, or `None` when there is none; a link anywhere
/// along its path, or something other than a regular file, is an error.
pub fn read_bytes(root: &Path, relative: &Path) -> Result<Option<Vec<u8>>> {
    let path = root.join(relative);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
        Ok(meta) if !meta.is_file() && !meta.is_symlink() => return Ok(None),
        Ok(_) => refuse_links(root, relative, relative)?,
    }
    std::fs::read(&path).at_path(&path).map(Some)
}

/// Whether the project folder `relative` exists (`Ok(false)` when it does not). A link
/// anywhere along its path is an error, like a file where a folder belongs.
pub fn input_dir(root: &Path, relative: &Path, display: &Path) -> Result<bool> {
    let path = root.join(relative);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(&path, e)),
        Ok(_) => {
            refuse_links(root, relative, display)?;
            if std::fs::metadata(&path).at_path(&path)?.is_dir() {
                Ok(true)
            } else {
                Err(Error::Invalid(vec![
                    Diagnostic::error(display, "expected a folder here, found a file")
                        .help("rename the file, or move it out of the way"),
                ]))
            }
        }
    }
}

/// Refuses a symbolic link at any step from `root` down to `root/relative`, and any step that
/// is not a plain name (`..`, `/`): the path checked must be the path read.
pub(crate) fn refuse_links(root: &Path, relative: &Path, display: &Path) -> Result<()> {
    let mut path = root.to_path_buf();
    for component in relative.components() {
        let Component::Normal(name) = component else {
            return Err(Error::Invalid(vec![Diagnostic::error(
                display,
                format!("`{}` is not a path inside the project", relative.display()),
            )]));
        };
        path.push(name);
        let meta = std::fs::symlink_metadata(&path).at_path(&path)?;
        if meta.file_type().is_symlink() {
            return Err(link_error(&path, root, display));
        }
    }
    Ok(())
}

fn link_error(link: &Path, root: &Path, display: &Path) -> Error {
    let target = std::fs::read_link(link).unwrap_or_default();
    let name = link.strip_prefix(root).unwrap_or(link);
    Error::Invalid(vec![
        Diagnostic::error(
            display,
            format!(
                "`{}` is a symbolic link (to {}), which policybook does not follow",
                name.display(),
                target.display()
            ),
        )
        .help("policybook reads only files inside the project, so that a build publishes nothing from elsewhere: replace the link with the folder or file itself"),
    ])
}

/// The start of every line of a text, for many line look-ups in one text.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }
}

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

/// What says a file is unchanged since it was last read, as git's index does: its size,
/// modification time, change time and inode. Any edit changes the times, and the change time
/// cannot be set back (as `touch` can the modification time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileStamp {
    pub size: u64,
    pub modified_ns: i128,
    pub changed_ns: i128,
    pub inode: u64,
}

/// A file edited within this long of being read could still have the times it had then on a
/// file system with coarse times, so its stamp is not trusted later (see [`FileStamp::settled`]).
const RACY_NS: i128 = 2_000_000_000;

impl FileStamp {
    pub fn of(meta: &std::fs::Metadata) -> FileStamp {
        FileStamp {
            size: meta.len(),
            modified_ns: crate::reuse::modified_ns(meta),
            changed_ns: changed_ns(meta),
            inode: crate::reuse::inode(meta),
        }
    }

    /// Whether `meta`, taken before the file was read, describes a regular file last changed
    /// long enough ago that its stamp can vouch for what was read.
    pub fn settled(meta: &std::fs::Metadata) -> bool {
        meta.file_type().is_file() && Self::long_ago(meta)
    }

    /// [`FileStamp::settled`] for a folder, taken before it was listed.
    pub fn settled_folder(meta: &std::fs::Metadata) -> bool {
        meta.file_type().is_dir() && Self::long_ago(meta)
    }

    /// Whether `meta` was last modified longer ago than a file system's time can be coarse.
    fn long_ago(meta: &std::fs::Metadata) -> bool {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        now - crate::reuse::modified_ns(meta) > RACY_NS
    }
}

/// When the file's inode last changed (its content, name or permissions), where the OS says.
#[cfg(unix)]
fn changed_ns(meta: &std::fs::Metadata) -> i128 {
    use std::os::unix::fs::MetadataExt;
    i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec())
}

#[cfg(not(unix))]
fn changed_ns(_meta: &std::fs::Metadata) -> i128 {
    0
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
    fn a_line_index_agrees_with_line_col_at() {
        let text = "ab\ncdé f\n\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            if text.is_char_boundary(offset) {
                assert_eq!(
                    index.line_of(offset),
                    line_col_at(text, offset).0,
                    "{offset}"
                );
            }
        }
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col_at("ab\ncdé f", 8), (2, 5));
        assert_eq!(line_col_at("x", 99), (1, 2));
    }
}
