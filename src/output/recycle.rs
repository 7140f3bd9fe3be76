//! Building over the output before last instead of into an empty folder.
//!
//! The output a build replaces is kept beside it as `.build.spare`, and the next build starts
//! its staging folder from it: a file whose bytes are already there is left alone (its time
//! renewed), one only this folder holds is overwritten in place, and one shared with the live output (a hard link made
//! by [`crate::reuse`]) is unlinked first, so the live output never changes under a build.
//! Whatever the build did not write is deleted before the release manifest lists the folder.
//!
//! Why: deleting the previous output cost seconds at 10,000 policies, and on ext4 creating
//! files just after deleting as many spent a quarter of a build in the kernel's inode allocator
//! (`recently_deleted`). Rewriting the same files in place allocates nothing.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use rayon::prelude::*;

/// Only on Linux, whose file systems compare names byte for byte: on a case-insensitive or
/// normalising one (macOS, Windows), a file written as `logo.png` over a spare's `Logo.png`
/// keeps the old name, and [`remove_unwritten`] would delete it. Elsewhere the spare is deleted
/// at the start of the next build, as the previous output was before.
pub(super) const SUPPORTED: bool = cfg!(target_os = "linux");

/// The staging folders (of builds running in this process) that began as a spare, each with
/// the files its build has put there so far.
static RECYCLING: RwLock<Vec<Arc<Recycled>>> = RwLock::new(Vec::new());

struct Recycled {
    root: PathBuf,
    kept: Mutex<HashSet<PathBuf>>,
}

/// How a file is to be put in place.
pub(super) enum Put {
    /// It is there already, with the right bytes.
    Done,
    /// Nothing is in the way: create it.
    Create,
}

/// Starts a build over the spare moved to `root`: removes every symbolic link and special file in
/// it (a build writes through no link), then records what the build writes there.
pub(super) fn begin(root: &Path) -> std::io::Result<()> {
    remove_links_below(root)?;
    write_lock().push(Arc::new(Recycled {
        root: root.to_path_buf(),
        kept: Mutex::new(HashSet::new()),
    }));
    Ok(())
}

/// Stops recording for `root` (the build committed or failed).
pub(super) fn end(root: &Path) {
    write_lock().retain(|r| r.root != root);
}

/// Deletes every file under `root` its build did not write, and the folders left empty.
pub(super) fn remove_unwritten(root: &Path) -> std::io::Result<()> {
    let Some(recycled) = recycled_at(root) else {
        return Ok(());
    };
    let kept = crate::lock(&recycled.kept);
    let kept: &HashSet<PathBuf> = &kept;
    super::on_deleting_pool(|| remove_unkept_below(root, kept).map(|_| ()))
}

/// Before writing `bytes` at `path`: makes way for it if `path` is in a recycled staging folder.
pub(super) fn before_write(path: &Path, bytes: &[u8]) -> std::io::Result<Put> {
    let Some(recycled) = recycled_for(path) else {
        return Ok(Put::Create);
    };
    crate::lock(&recycled.kept).insert(path.to_path_buf());
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => {
            if rewrite_in_place(path, &meta, bytes)? {
                return Ok(Put::Done);
            }
            // Shared with the live output: never written through.
            std::fs::remove_file(path)?;
        }
        Ok(_) => super::remove_tree(path)?,
        Err(e) => clear_way(&recycled.root, path, &e)?,
    }
    Ok(Put::Create)
}

/// Puts `bytes` in the file at `path` without a new inode when that is safe: left as it is when
/// it holds them already (then only its time is renewed, so that a page changed back to what it
/// was two builds ago does not look older than the one a browser or proxy cached since), else
/// rewritten when only this folder has it. Returns `false` when it must be replaced instead.
fn rewrite_in_place(path: &Path, meta: &std::fs::Metadata, bytes: &[u8]) -> std::io::Result<bool> {
    use std::io::{Read as _, Write as _};
    let shared = link_count(meta) > 1;
    let same_size = meta.len() == bytes.len() as u64;
    if shared && !same_size {
        return Ok(false);
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)?;
    if same_size {
        let mut old = Vec::with_capacity(bytes.len());
        file.read_to_end(&mut old)?;
        if old == bytes {
            file.set_modified(std::time::SystemTime::now())?;
            return Ok(true);
        }
    }
    if shared {
        return Ok(false);
    }
    file.set_len(0)?;
    std::io::Seek::rewind(&mut file)?;
    file.write_all(bytes)?;
    Ok(true)
}

/// Before hard-linking the file with inode `inode` at `path`: whether it is already there.
pub(super) fn before_link(path: &Path, inode: Option<u64>) -> std::io::Result<Put> {
    let Some(recycled) = recycled_for(path) else {
        return Ok(Put::Create);
    };
    crate::lock(&recycled.kept).insert(path.to_path_buf());
    // Without inode numbers (off unix, where they read as 0) no file is known to be the same.
    let inode = inode.filter(|_| cfg!(unix));
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && inode == Some(crate::reuse::inode(&meta)) => Ok(Put::Done),
        Ok(_) => super::remove_tree(path).map(|()| Put::Create),
        Err(e) => clear_way(&recycled.root, path, &e).map(|()| Put::Create),
    }
}

/// A file where one of `path`'s folders should be (the layout changed between versions) is
/// deleted; a missing file or folder is simply made by the writer.
fn clear_way(root: &Path, path: &Path, error: &std::io::Error) -> std::io::Result<()> {
    if error.kind() != std::io::ErrorKind::NotADirectory {
        return Ok(());
    }
    let mut folder = root.to_path_buf();
    let relative = path.strip_prefix(root).unwrap_or(path);
    for part in relative.parent().into_iter().flat_map(Path::components) {
        folder.push(part);
        match std::fs::symlink_metadata(&folder) {
            Ok(meta) if !meta.is_dir() => return std::fs::remove_file(&folder),
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

fn remove_links_below(dir: &Path) -> std::io::Result<()> {
    let entries = std::fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    super::on_deleting_pool(|| {
        entries.par_iter().try_for_each(|entry| {
            let kind = entry.file_type()?;
            if kind.is_dir() {
                remove_links_below(&entry.path())
            } else if kind.is_file() {
                Ok(())
            } else {
                std::fs::remove_file(entry.path())
            }
        })
    })
}

/// Deletes what is not in `kept` below `dir`; returns whether `dir` is left empty.
fn remove_unkept_below(dir: &Path, kept: &HashSet<PathBuf>) -> std::io::Result<bool> {
    let entries = std::fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    let left = entries
        .par_iter()
        .map(|entry| {
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                if remove_unkept_below(&path, kept)? {
                    std::fs::remove_dir(&path)?;
                    return Ok(0);
                }
                Ok(1)
            } else if kept.contains(&path) {
                Ok(1)
            } else {
                std::fs::remove_file(&path).map(|()| 0)
            }
        })
        .collect::<std::io::Result<Vec<usize>>>()?;
    Ok(left.iter().sum::<usize>() == 0)
}

fn recycled_for(path: &Path) -> Option<Arc<Recycled>> {
    let all = RECYCLING.read().unwrap_or_else(|e| e.into_inner());
    if all.is_empty() {
        return None;
    }
    all.iter().find(|r| path.starts_with(&r.root)).cloned()
}

fn recycled_at(root: &Path) -> Option<Arc<Recycled>> {
    let all = RECYCLING.read().unwrap_or_else(|e| e.into_inner());
    all.iter().find(|r| r.root == root).cloned()
}

fn write_lock() -> std::sync::RwLockWriteGuard<'static, Vec<Arc<Recycled>>> {
    RECYCLING.write().unwrap_or_else(|e| e.into_inner())
}

#[cfg(unix)]
fn link_count(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

/// Without link counts, every file is treated as possibly shared.
#[cfg(not(unix))]
fn link_count(_meta: &std::fs::Metadata) -> u64 {
    2
}
