//! Writing output safely: everything is built into a staging folder beside the output folder
//! and swapped in only when the whole build succeeded, so a failed build leaves the previous
//! output untouched.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, IoContext, Result};

/// A build in progress. Dropping it without [`Staging::commit`] removes the partial output.
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares `target` (e.g. `build/`) for a new build, refusing folders policybook did not make.
    pub fn begin(target: &Path, project_root: &Path) -> Result<Staging> {
        check_target(target, project_root)?;
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent).at_path(&parent)?;
        let staging = sibling(target, "partial");
        remove_if_exists(&staging)?;
        std::fs::create_dir(&staging).at_path(&staging)?;
        Ok(Staging {
            target: target.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// Where this build writes its files.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Replaces the previous output with this build's.
    pub fn commit(mut self) -> Result<()> {
        let old = sibling(&self.target, "old");
        remove_if_exists(&old)?;
        if self.target.exists() {
            std::fs::rename(&self.target, &old).at_path(&self.target)?;
        }
        std::fs::rename(&self.staging, &self.target).at_path(&self.target)?;
        self.committed = true;
        remove_if_exists(&old)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// `build` → `.build.partial` in the same folder (same file system, so the swap is a rename).
fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or("build".into(), |n| n.to_string_lossy());
    parent_of(target).join(format!(".{name}.{suffix}"))
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn remove_if_exists(path: &Path) -> Result<()> {
    match remove_tree(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

/// `remove_dir_all` on all cores: replacing a 10,000-page build spent longer unlinking the old
/// files one by one than building the new ones. Symbolic links are removed, never followed.
fn remove_tree(path: &Path) -> std::io::Result<()> {
    let entries = std::fs::read_dir(path)?.collect::<std::io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(path)
}

/// The output folder is replaced wholesale, so it must not hold the project or anything else.
fn check_target(target: &Path, project_root: &Path) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "refusing to write output to {}: {why}",
            target.display()
        )))
    };
    let root = std::fs::canonicalize(project_root).at_path(project_root)?;
    let absolute = absolute(target)?;
    if root.starts_with(&absolute) {
        return refuse("it contains the project");
    }
    if absolute.file_name().is_none() {
        return refuse("choose a folder such as `build`");
    }
    for source in ["content", "themes", "quizzes"] {
        if absolute.starts_with(root.join(source)) {
            return refuse(&format!("it is inside the project's {source}/ folder"));
        }
    }
    if absolute.is_file() {
        return refuse("it is a file");
    }
    if absolute.is_dir() {
        let mut entries = std::fs::read_dir(&absolute).at_path(&absolute)?;
        let is_empty = entries.next().is_none();
        if !is_empty && !made_by_policybook(&absolute) {
            return refuse(
                "it exists and was not made by policybook (no policybook manifest.json in it); remove it or choose another --out",
            );
        }
    }
    Ok(())
}

/// Every build writes `manifest.json` with policybook's format at the top of the output: only
/// a folder holding one is replaced, never a folder that merely has a `site/` in it.
fn made_by_policybook(dir: &Path) -> bool {
    let manifest = dir.join(crate::release::MANIFEST_FILE);
    let is_file = std::fs::symlink_metadata(&manifest).is_ok_and(|m| m.is_file());
    is_file
        && std::fs::read_to_string(&manifest)
            .is_ok_and(|text| text.contains(&format!("\"format\": \"{}\"", crate::release::FORMAT)))
}

/// Absolute path without requiring it to exist (its nearest existing ancestor is resolved).
fn absolute(path: &Path) -> Result<PathBuf> {
    let path = std::path::absolute(path).at_path(path)?;
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// Writes a file, creating its folder.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).at_path(parent)?;
    }
    std::fs::write(path, bytes).at_path(path)
}

/// Appends one CSV record: RFC 4180 (CRLF line ends, fields quoted where needed), with
/// spreadsheet formulas defused.
pub fn push_csv_record<S: AsRef<str>>(out: &mut String, fields: impl IntoIterator<Item = S>) {
    let fields: Vec<String> = fields.into_iter().map(|f| csv_field(f.as_ref())).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// Quotes a field when needed, and defuses spreadsheet formulas: a name or title starting with
/// `=`, `+`, `-` or `@` must not run as a formula when the file is opened in Excel.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_follow_rfc_4180_and_defuse_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("Smith, Jane"), "\"Smith, Jane\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        let mut out = String::new();
        push_csv_record(&mut out, ["a", "b, c"]);
        assert_eq!(out, "a,\"b, c\"\r\n");
    }
}
