//! Writing output safely: everything is built into a staging folder beside the output folder
//! and swapped in only when the whole build succeeded, so a failed build leaves the previous
//! output untouched.
//!
//! Beside `build/` live, hidden: `.build.lock` (held while a build runs, so two builds never
//! share a staging folder), `.build.partial.<pid>` (this build's staging folder) and
//! `.build.spare` (the output the last build replaced, which the next one builds over: see
//! [`recycle`]). Nothing here ever follows a symbolic link when deleting, and a link where one
//! of these folders is expected is refused.

mod recycle;

use std::fs::File;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Error, IoContext, Result};

/// A build in progress. Dropping it without [`Staging::commit`] deletes the staging folder.
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    /// Held until the build is committed or dropped; the OS releases it if the process dies.
    _lock: File,
    /// Problems met while tidying up that do not make the build fail.
    warnings: Vec<Diagnostic>,
    committed: bool,
}

impl Staging {
    /// Prepares `target` (e.g. `build/`) for a new build, refusing folders policybook did not make.
    pub fn begin(target: &Path, project_root: &Path) -> Result<Staging> {
        check_target(target, project_root)?;
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent).at_path(&parent)?;
        let lock = lock_output(target)?;
        restore_interrupted_swap(target)?;
        let mut warnings = remove_leftovers(target)?;
        let staging = sibling(target, &format!("partial.{}", std::process::id()));
        let spare = sibling(target, SPARE);
        refuse_link(&spare, "the output before last")?;
        if recycle::SUPPORTED && std::fs::rename(&spare, &staging).is_ok() {
            let is_folder = std::fs::symlink_metadata(&staging).is_ok_and(|m| m.is_dir());
            // A spare that cannot be swept (or was swapped for a link since it was checked) is no
            // reason to fail: start from nothing instead.
            if !is_folder || recycle::begin(&staging).is_err() {
                recycle::end(&staging);
                remove_if_exists(&staging)?;
            }
        } else if let Err(e) = remove_if_exists(&spare) {
            warnings.push(undeletable(&spare, &e));
        }
        if std::fs::symlink_metadata(&staging).is_err() {
            std::fs::create_dir(&staging).at_path(&staging)?;
        }
        Ok(Staging {
            target: target.to_path_buf(),
            staging,
            _lock: lock,
            warnings,
            committed: false,
        })
    }

    /// Where this build writes its files.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Deletes whatever the staging folder still holds from the output it was recycled from and
    /// this build did not write: call it when everything is written but the release manifests.
    pub fn remove_unwritten(&self) -> Result<()> {
        recycle::remove_unwritten(&self.staging).at_path(&self.staging)
    }

    /// Replaces the previous output with this build's, keeping the previous one as the spare
    /// the next build starts from. Once the new output is in place the build has succeeded: a
    /// previous output that could not be set aside and cannot be deleted is a warning (the next
    /// build tries again), not an error.
    pub fn commit(mut self) -> Result<Vec<Diagnostic>> {
        recycle::end(&self.staging);
        let spare = sibling(&self.target, SPARE);
        if std::fs::symlink_metadata(&self.target).is_ok() {
            swap_in(&self.staging, &self.target, &spare)?;
        } else {
            std::fs::rename(&self.staging, &self.target).at_path(&self.target)?;
        }
        self.committed = true;
        let mut warnings = std::mem::take(&mut self.warnings);
        // Only after an exchange whose rename aside failed is the previous output still here.
        if let Err(e) = remove_if_exists(&self.staging) {
            warnings.push(undeletable(&self.staging, &e));
        }
        Ok(warnings)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            recycle::end(&self.staging);
            // Not kept as a spare: what made the build fail may be in it (a file that cannot be
            // rewritten), and the next build would fail on it again.
            let _ = remove_tree(&self.staging);
        }
    }
}

/// Name of the output the last build replaced, beside the output: `.build.spare`.
const SPARE: &str = "spare";

/// Puts `staging` in the place of `target`, leaving the previous output at `old`. On Linux the
/// two folders are exchanged in one step, so `target` never disappears, even for a moment;
/// elsewhere (or on file systems without the exchange) two renames are made, and a crash between
/// them is repaired by [`restore_interrupted_swap`] on the next build.
///
/// After the exchange the new output is in place: if the previous one (now at `staging`) cannot
/// be renamed aside, [`Staging::commit`] deletes it there, and the build still succeeds. When
/// the second of two renames fails, the previous output is put back.
fn swap_in(staging: &Path, target: &Path, old: &Path) -> Result<()> {
    if exchange(staging, target).is_ok() {
        let _ = std::fs::rename(staging, old);
        return Ok(());
    }
    std::fs::rename(target, old).at_path(target)?;
    std::fs::rename(staging, target)
        .inspect_err(|_| {
            let _ = std::fs::rename(old, target);
        })
        .at_path(target)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both arguments are valid NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Holds the output for an update made in place (`serve`'s preview, see
/// [`crate::reuse::Reuse::finish_in_place`]): no other build may write to it meanwhile, and
/// it must be a folder, not a link to one, as for a staged build.
pub fn lock_for_update(target: &Path) -> Result<File> {
    refuse_link(target, "the output")?;
    lock_output(target)
}

/// Takes `.build.lock`, or refuses when another build holds it: two builds sharing one output
/// could otherwise swap in a mixture of both.
fn lock_output(target: &Path) -> Result<File> {
    let path = sibling(target, "lock");
    refuse_link(&path, "its lock file")?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .at_path(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Usage(format!(
            "another policybook build is writing to {} (it holds {}); wait for it to finish, \
             then build again",
            target.display(),
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

/// A build that stopped between the two renames of [`swap_in`] leaves no `target` but a
/// complete previous output (`.build.spare`, or the `.build.old.<pid>` earlier versions made)
/// beside its staging folder: put it back before anything is deleted. Without a staging folder
/// left, `target` was deleted on purpose, and the spare stays a spare.
fn restore_interrupted_swap(target: &Path) -> Result<()> {
    if std::fs::symlink_metadata(target).is_ok() {
        return Ok(());
    }
    let found = leftovers(target)?;
    let interrupted = found.iter().any(|(kind, _)| *kind == Leftover::Partial);
    let spare = Some(sibling(target, SPARE)).filter(|_| interrupted);
    let newest_old = found
        .into_iter()
        .filter(|(kind, _)| *kind == Leftover::Old)
        .map(|(_, path)| path)
        .chain(spare)
        .filter(|path| made_by_policybook(path))
        .filter_map(|path| {
            let modified = std::fs::symlink_metadata(&path).ok()?.modified().ok()?;
            Some((modified, path))
        })
        .max();
    if let Some((_, old)) = newest_old {
        std::fs::rename(&old, target).at_path(target)?;
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Leftover {
    Partial,
    Old,
}

/// Staging and old folders left by earlier builds that stopped or could not tidy up. The lock
/// is held, so none of them belongs to a running build.
fn leftovers(target: &Path) -> Result<Vec<(Leftover, PathBuf)>> {
    let parent = parent_of(target);
    let name = output_name(target);
    let partial = format!(".{name}.partial");
    let old = format!(".{name}.old");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&parent).at_path(&parent)? {
        let entry = entry.at_path(&parent)?;
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let is = |prefix: &str| {
            file_name == prefix
                || file_name
                    .strip_prefix(prefix)
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        };
        if is(&partial) {
            found.push((Leftover::Partial, entry.path()));
        } else if is(&old) {
            found.push((Leftover::Old, entry.path()));
        }
    }
    found.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(found)
}

/// Deletes [`leftovers`]: one that cannot be deleted is a warning; a symbolic link among them
/// is refused (deleting "through" it is how a planted link could empty another folder).
fn remove_leftovers(target: &Path) -> Result<Vec<Diagnostic>> {
    let mut warnings = Vec::new();
    for (kind, path) in leftovers(target)? {
        let what = match kind {
            Leftover::Partial => "its staging folder",
            Leftover::Old => "its previous output",
        };
        refuse_link(&path, what)?;
        if let Err(e) = remove_if_exists(&path) {
            warnings.push(undeletable(&path, &e));
        }
    }
    Ok(warnings)
}

fn refuse_link(path: &Path, what: &str) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(Error::Usage(format!(
            "{} is a symbolic link where policybook keeps {what}; policybook never follows links \
             when it writes or deletes: remove the link (`rm {}`) and build again",
            path.display(),
            path.display()
        ))),
        _ => Ok(()),
    }
}

fn undeletable(path: &Path, error: &Error) -> Diagnostic {
    Diagnostic::warning(
        path,
        format!("could not delete this old build folder: {error}"),
    )
    .help(
        "the new build is in place; delete the folder by hand (check its permissions), or \
         leave it: the next build tries again",
    )
}

/// `build` → `.build.<suffix>` in the same folder (same file system, so the swap is a rename).
fn sibling(target: &Path, suffix: &str) -> PathBuf {
    parent_of(target).join(format!(".{}.{suffix}", output_name(target)))
}

fn output_name(target: &Path) -> String {
    target
        .file_name()
        .map_or("build".into(), |n| n.to_string_lossy().into_owned())
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

/// `remove_dir_all` on many threads: replacing a 10,000-page build spent longer unlinking the
/// old files one by one than building the new ones. Symbolic links are removed, never followed,
/// at the top as below it.
fn remove_tree(path: &Path) -> std::io::Result<()> {
    on_deleting_pool(|| remove_below(path))
}

/// Runs `work` on the [`deleting_pool`] (or the global one when it cannot be made).
fn on_deleting_pool<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match deleting_pool() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Deleting waits on the disk far more than on the processor (freeing each file's blocks), so it
/// gets more threads than cores: at 10,000 policies, 8 threads deleted the old build in 1.8 to
/// 2.3 s where the 2 cores' threads took 3.2 to 3.5 s (16 were no faster).
fn deleting_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        // Unless the threads were limited on purpose.
        let threads = match std::env::var_os("RAYON_NUM_THREADS") {
            Some(_) => rayon::current_num_threads(),
            None => rayon::current_num_threads().max(DELETING_THREADS),
        };
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("policybook-delete-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

const DELETING_THREADS: usize = 8;

fn remove_below(path: &Path) -> std::io::Result<()> {
    if !std::fs::symlink_metadata(path)?.is_dir() {
        return std::fs::remove_file(path);
    }
    let entries = std::fs::read_dir(path)?.collect::<std::io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_below(&entry.path())
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
    if let Ok(meta) = std::fs::symlink_metadata(target)
        && meta.file_type().is_symlink()
    {
        let destination = std::fs::canonicalize(target)
            .or_else(|_| std::fs::read_link(target))
            .unwrap_or_default();
        return refuse(&format!(
            "it is a symbolic link (to {}), and a build replaces its output folder whole, which \
             would replace the link; build straight into the folder with --out {}",
            destination.display(),
            destination.display()
        ));
    }
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
                "it exists and was not made by policybook (no policybook manifest.json or .policybook-index in it); remove it or choose another --out",
            );
        }
    }
    Ok(())
}

/// Every build writes `manifest.json` with policybook's format at the top of the output, and
/// every build but `serve`'s preview (which has no manifest) also its reuse index: only a
/// folder holding one of them is replaced, never a folder that merely has a `site/` in it.
fn made_by_policybook(dir: &Path) -> bool {
    // Both marks are at the top; the rest can be tens of megabytes.
    let holds = |name: &str, mark: &str| {
        let path = dir.join(name);
        let mut head = Vec::new();
        std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
            && File::open(&path)
                .and_then(|file| {
                    std::io::Read::read_to_end(&mut std::io::Read::take(file, 4096), &mut head)
                })
                .is_ok()
            && String::from_utf8_lossy(&head).contains(mark)
    };
    holds(
        crate::release::MANIFEST_FILE,
        &format!("\"format\": \"{}\"", crate::release::FORMAT),
    ) || holds(
        crate::reuse::INDEX_FILE,
        &format!("{}\n", crate::reuse::INDEX_HEADER),
    )
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
    match recycle::before_write(path, bytes).at_path(path)? {
        recycle::Put::Done => Ok(()),
        recycle::Put::Create => {
            with_parent_dirs(path, || std::fs::write(path, bytes)).at_path(path)
        }
    }
}

/// Hard-links `from` (whose inode is `inode`, when known) at `to`, or copies it where the file
/// system cannot link, creating folders. Returns whether `to` is now the same file as `from`
/// (a link keeps the original's time and inode; a copy has its own).
pub fn link_or_copy(from: &Path, to: &Path, inode: Option<u64>) -> std::io::Result<bool> {
    if let recycle::Put::Done = recycle::before_link(to, inode)? {
        return Ok(true);
    }
    let mut linked = true;
    with_parent_dirs(to, || {
        std::fs::hard_link(from, to).or_else(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Err(e),
            _ => {
                linked = false;
                std::fs::copy(from, to).map(|_| ())
            }
        })
    })?;
    Ok(linked)
}

/// Runs `make` (which creates `path`), creating `path`'s folders first only when it fails for
/// want of them: asking for every folder of every file was most of the system calls of a
/// rebuild (thousands of failed `mkdir`s).
pub fn with_parent_dirs(
    path: &Path,
    mut make: impl FnMut() -> std::io::Result<()>,
) -> std::io::Result<()> {
    match make() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            make()
        }
        other => other,
    }
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
