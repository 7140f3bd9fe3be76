//! Which archived texts a previous build found intact, so a rebuild need not read and hash all
//! of them again: at 10,000 policies with three released versions each, that is 30,000 files
//! and about 0.9 s on every load.
//!
//! Like git's index, a file is trusted when its size, modification time, change time and inode
//! are those it had when its digest was last checked against the ledger. Any edit changes the
//! times (and the change time cannot be set back, as `touch` can the modification time), so it
//! is read and checked again. `policybook check` and `build --fresh` trust nothing and check every
//! archive.

use std::collections::HashMap;
use std::path::Path;

use crate::error::Result;
use crate::source::FileStamp;

/// Name of the file in the output folder (build metadata, like the reuse index).
pub const STAMPS_FILE: &str = ".policybook-archives";

const HEADER: &str = "policybook-archives 2";

/// The archives found intact, by path relative to the project root.
#[derive(Clone, Debug, Default)]
pub struct ArchiveStamps(HashMap<String, Stamp>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Stamp {
    sha256: String,
    file: FileStamp,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata, sha256: &str) -> Stamp {
        Stamp {
            sha256: sha256.to_owned(),
            file: FileStamp::of(meta),
        }
    }
}

impl ArchiveStamps {
    /// The stamps a previous build left in `out`; none when there are none or they do not parse.
    pub fn read(out: &Path) -> ArchiveStamps {
        std::fs::read_to_string(out.join(STAMPS_FILE))
            .map(|text| ArchiveStamps::parse(&text))
            .unwrap_or_default()
    }

    fn parse(text: &str) -> ArchiveStamps {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return ArchiveStamps::default();
        }
        let stamps = lines.filter_map(|line| {
            let [path, sha256, size, modified, changed, inode] =
                line.split('\t').collect::<Vec<_>>()[..]
            else {
                return None;
            };
            let stamp = Stamp {
                sha256: sha256.to_owned(),
                file: FileStamp {
                    size: size.parse().ok()?,
                    modified_ns: modified.parse().ok()?,
                    changed_ns: changed.parse().ok()?,
                    inode: inode.parse().ok()?,
                },
            };
            Some((path.to_owned(), stamp))
        });
        ArchiveStamps(stamps.collect())
    }

    /// Whether `relative`, as `meta` describes it now, was found to have `sha256` before.
    pub fn trusts(&self, relative: &str, meta: &std::fs::Metadata, sha256: &str) -> bool {
        meta.file_type().is_file() && self.0.get(relative) == Some(&Stamp::of(meta, sha256))
    }

    /// Records that `relative`, as `meta` described it before it was read, has `sha256`;
    /// unless it changed so recently that a later edit could keep its time.
    pub fn record(&mut self, relative: &str, meta: &std::fs::Metadata, sha256: &str) {
        if FileStamp::settled(meta) {
            self.0.insert(relative.to_owned(), Stamp::of(meta, sha256));
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Writes the stamps into the build's output folder `dir`, sorted.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let mut paths: Vec<&String> = self.0.keys().collect();
        paths.sort();
        let mut text = format!("{HEADER}\n");
        for path in paths {
            let Stamp { sha256, file } = &self.0[path];
            text.push_str(&format!(
                "{path}\t{sha256}\t{}\t{}\t{}\t{}\n",
                file.size, file.modified_ns, file.changed_ns, file.inode
            ));
        }
        crate::output::write_file(&dir.join(STAMPS_FILE), text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_file_round_trips_and_a_bad_line_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "text").unwrap();
        let meta = std::fs::metadata(&file).unwrap();
        let mut stamps = ArchiveStamps::default();
        stamps
            .0
            .insert("history/a/1.0.md".into(), Stamp::of(&meta, "ab"));
        stamps.write(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(STAMPS_FILE)).unwrap();
        let read = ArchiveStamps::parse(&format!("{text}broken\tline\n"));
        assert!(read.trusts("history/a/1.0.md", &meta, "ab"));
        assert!(!read.trusts("history/a/1.0.md", &meta, "cd"));
        assert_eq!(read.len(), 1);
        assert!(ArchiveStamps::parse("another header\n").is_empty());
    }

    #[test]
    fn a_file_changed_just_now_is_not_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "text").unwrap();
        let mut stamps = ArchiveStamps::default();
        stamps.record("a.md", &std::fs::metadata(&file).unwrap(), "ab");
        assert!(stamps.is_empty());
    }
}
