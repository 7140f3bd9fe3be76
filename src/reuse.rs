//! Incremental builds: a rebuild reuses the files of the previous build whose inputs did not
//! change, instead of rendering, compressing and writing them again.
//!
//! Output is grouped in *units* (a policy's pages, a module's two packages), each named by a
//! [`UnitKey`]: a SHA-256 over everything that goes into it (see [`Fingerprints`]). Every build
//! records, in `<out>/.policybook-index`, which files each unit wrote, with their SHA-256 and
//! the size, modification time and inode they had. The next build, for a unit whose key is
//! unchanged and whose files are all still exactly as written (same size, time and inode), hard
//! links those files into its staging folder (or copies them where links are not possible), so
//! the atomic swap of [`crate::output`] stays. A file edited by hand since has another time or
//! size and is never reused. The reused files' recorded digests also spare the release manifest
//! from reading them again.
//!
//! `serve` updates its preview in place instead, while the global key is unchanged (see
//! [`Reuse::in_place`]): it keeps the previous build's [`Layout`] in memory, so a unit whose
//! key the preview already holds costs nothing, and what is rendered replaces its files there.
//!
//! The index is build metadata, not publication: the release manifest does not list it and
//! `verify` does not count it. A clean build and a rebuild write byte-identical files besides it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};

use crate::error::{IoContext, Result};

/// Name of the index in the output folder.
pub const INDEX_FILE: &str = ".policybook-index";

/// First line of the index; a different one (an older policybook's) means "reuse nothing".
pub(crate) const INDEX_HEADER: &str = "policybook-index 1";

/// The fingerprint of one unit of output.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnitKey(String);

impl UnitKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A streaming SHA-256 that values can be written into with `write!`, so that large structures
/// are hashed through their `Debug` form without building the text first. `Debug` covers every
/// field, so a field added later is part of the fingerprint without anyone remembering to add
/// it; its form may change between policybook versions, which the version in every key covers.
pub struct Hasher(Sha256);

impl Hasher {
    pub fn new(domain: &str) -> Hasher {
        let mut hasher = Hasher(Sha256::new());
        hasher.field(env!("CARGO_PKG_VERSION"));
        hasher.field(domain);
        hasher
    }

    /// Adds a text, length-prefixed so that ("ab", "c") and ("a", "bc") differ.
    pub fn field(&mut self, text: &str) -> &mut Hasher {
        self.bytes(text.as_bytes())
    }

    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds a value's `Debug` form, followed by a separator.
    pub fn debug(&mut self, value: &impl std::fmt::Debug) -> &mut Hasher {
        // Writing into a hasher cannot fail.
        let _ = write!(self, "{value:?}");
        self.0.update([0xff]);
        self
    }

    pub fn finish(self) -> UnitKey {
        UnitKey(crate::digest::hex(&self.0.finalize()))
    }
}

impl std::fmt::Write for Hasher {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// One file of the previous build, as the index recorded it.
#[derive(Clone, Debug)]
struct IndexedFile {
    /// `/`-separated, relative to the output folder.
    path: String,
    sha256: String,
    size: u64,
    modified_ns: i128,
    inode: u64,
}

/// A file this build wrote or reused.
struct Written {
    path: String,
    unit: Option<UnitKey>,
    sha256: String,
    size: u64,
    /// Time and inode, when known without asking the file system again (a hard link has its
    /// original's).
    stamp: Option<(i128, u64)>,
}

/// How many units were reused and how many rendered, for the build summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReuseCounts {
    pub reused: usize,
    pub rendered: usize,
}

/// The previous build's index and this build's record, shared by the render stages.
pub struct Reuse {
    previous_dir: PathBuf,
    staging: PathBuf,
    previous: HashMap<UnitKey, Vec<IndexedFile>>,
    written: Mutex<Vec<Written>>,
    counts: Mutex<ReuseCounts>,
    /// Set when updating an output in place (see [`Reuse::in_place`]).
    in_place: Option<InPlace>,
}

/// Which files each unit of a build wrote (`None`: made on every build), by path inside the
/// output folder: what [`Reuse::in_place`] needs to know of the output it updates.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    units: HashMap<UnitKey, Vec<String>>,
    files: Vec<String>,
}

/// An update in place: units the output already holds stay as they are, and what is rendered
/// waits in memory until everything has rendered, so a failed render changes nothing.
struct InPlace {
    layout: Layout,
    pending: Mutex<Vec<(PathBuf, Vec<u8>)>>,
}

impl Reuse {
    /// Reads the index of the build in `previous_dir`, if there is a usable one; this build
    /// writes into `staging`. An unreadable or foreign index means nothing is reused, never an
    /// error: it is a cache.
    pub fn open(previous_dir: &Path, staging: &Path) -> Reuse {
        let previous = std::fs::read_to_string(previous_dir.join(INDEX_FILE))
            .ok()
            .map(|text| parse_index(&text))
            .unwrap_or_default();
        Reuse {
            previous_dir: previous_dir.to_path_buf(),
            staging: staging.to_path_buf(),
            previous,
            written: Mutex::new(Vec::new()),
            counts: Mutex::new(ReuseCounts::default()),
            in_place: None,
        }
    }

    /// Updates the output in `dir`, which the build that made `layout` left there (`serve`
    /// updates its preview so): a unit whose key is in `layout` is already in place and costs
    /// nothing; what is written is held in memory until [`Reuse::finish_in_place`].
    pub fn in_place(dir: &Path, layout: &Layout) -> Reuse {
        Reuse {
            in_place: Some(InPlace {
                layout: layout.clone(),
                pending: Mutex::new(Vec::new()),
            }),
            ..Reuse::none(dir)
        }
    }

    /// A build that reuses nothing (a clean build), writing into `staging`.
    pub fn none(staging: &Path) -> Reuse {
        Reuse {
            previous_dir: staging.to_path_buf(),
            staging: staging.to_path_buf(),
            previous: HashMap::new(),
            written: Mutex::new(Vec::new()),
            counts: Mutex::new(ReuseCounts::default()),
            in_place: None,
        }
    }

    /// Puts the previous build's files of `unit` into the staging folder when all of them are
    /// unchanged since they were written; returns how many files it placed, or `None` when the
    /// unit must be rendered.
    pub fn try_reuse(&self, unit: &UnitKey) -> Option<usize> {
        let placed = self.place_unit(unit);
        self.count(placed.is_some());
        placed
    }

    /// [`Self::try_reuse`] for output that is neither a policy's nor a module's (the search
    /// index, the PDFs), which the build summary does not count.
    pub fn try_reuse_uncounted(&self, unit: &UnitKey) -> Option<usize> {
        self.place_unit(unit)
    }

    fn place_unit(&self, unit: &UnitKey) -> Option<usize> {
        if let Some(in_place) = &self.in_place {
            let files = in_place.layout.units.get(unit)?;
            self.lock_written().extend(files.iter().map(|path| Written {
                path: path.clone(),
                unit: Some(unit.clone()),
                // Not known, and not needed: an update in place writes no manifest.
                sha256: String::new(),
                size: 0,
                stamp: None,
            }));
            return Some(files.len());
        }
        let files = self.previous.get(unit)?;
        if !files.iter().all(|f| self.unchanged(f)) {
            return None;
        }
        let mut placed = Vec::new();
        for file in files {
            let to = self.staging.join(&file.path);
            let from = self.previous_dir.join(&file.path);
            match crate::output::link_or_copy(&from, &to, Some(file.inode)) {
                Ok(linked) => placed.push((to, linked)),
                Err(_) => {
                    // Render the unit instead; what was placed would clash with its files.
                    for (path, _) in placed {
                        let _ = std::fs::remove_file(path);
                    }
                    return None;
                }
            }
        }
        self.lock_written()
            .extend(files.iter().zip(&placed).map(|(f, (_, linked))| Written {
                path: f.path.clone(),
                unit: Some(unit.clone()),
                sha256: f.sha256.clone(),
                size: f.size,
                stamp: linked.then_some((f.modified_ns, f.inode)),
            }));
        Some(files.len())
    }

    /// Writes `bytes` to `path` (inside the staging folder) as part of `unit` (`None`: output
    /// that is made on every build).
    pub fn write(&self, unit: Option<&UnitKey>, path: &Path, bytes: &[u8]) -> Result<()> {
        match &self.in_place {
            Some(in_place) => {
                crate::lock(&in_place.pending).push((path.to_path_buf(), bytes.to_vec()))
            }
            None => crate::output::write_file(path, bytes)?,
        }
        self.record(unit, path, bytes);
        Ok(())
    }

    /// Puts at `path` the file just written at `original` with these `bytes`: a hard link,
    /// or a copy where links are not possible, so the same file in two places costs the disk
    /// once.
    pub fn write_same(
        &self,
        unit: Option<&UnitKey>,
        original: &Path,
        path: &Path,
        bytes: &[u8],
    ) -> Result<()> {
        if self.in_place.is_some() {
            return self.write(unit, path, bytes);
        }
        if crate::output::link_or_copy(original, path, None).is_err() {
            crate::output::write_file(path, bytes)?;
        }
        self.record(unit, path, bytes);
        Ok(())
    }

    fn record(&self, unit: Option<&UnitKey>, path: &Path, bytes: &[u8]) {
        let Ok(relative) = path.strip_prefix(&self.staging) else {
            return;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        self.lock_written().push(Written {
            path: relative,
            unit: unit.cloned(),
            sha256: crate::digest::hex(&Sha256::digest(bytes)),
            size: bytes.len() as u64,
            stamp: None,
        });
    }

    /// The SHA-256 and size of every file written or reused so far, by path inside the
    /// staging folder, so the release manifest need not read them again.
    pub fn known_digests(&self) -> HashMap<PathBuf, (String, u64)> {
        self.lock_written()
            .iter()
            .map(|w| (self.staging.join(&w.path), (w.sha256.clone(), w.size)))
            .collect()
    }

    pub fn counts(&self) -> ReuseCounts {
        *crate::lock(&self.counts)
    }

    /// Writes the index of this build into the staging folder: every file that belongs to a
    /// unit, with the size, time and inode it has now (a rename keeps them).
    pub fn write_index(&self) -> Result<()> {
        let all = self.lock_written();
        let mut written: Vec<&Written> = all.iter().filter(|w| w.unit.is_some()).collect();
        written.sort_by(|a, b| a.path.cmp(&b.path));
        let lines = written
            .par_iter()
            .map(|w| {
                let (modified, inode) = match w.stamp {
                    Some(stamp) => stamp,
                    None => {
                        let path = self.staging.join(&w.path);
                        let meta = std::fs::metadata(&path).at_path(&path)?;
                        (modified_ns(&meta), inode(&meta))
                    }
                };
                let unit = w.unit.as_ref().map_or("", UnitKey::as_str);
                Ok(format!(
                    "{}\t{unit}\t{}\t{}\t{modified}\t{inode}\n",
                    w.path, w.sha256, w.size
                ))
            })
            .collect::<Result<Vec<String>>>()?;
        let mut text = format!("{INDEX_HEADER}\n");
        text.extend(lines);
        crate::output::write_file(&self.staging.join(INDEX_FILE), text.as_bytes())
    }

    /// Which files each unit of this build wrote or kept.
    pub fn layout(&self) -> Layout {
        let mut layout = Layout::default();
        for w in self.lock_written().iter() {
            if let Some(unit) = &w.unit {
                layout
                    .units
                    .entry(unit.clone())
                    .or_default()
                    .push(w.path.clone());
            }
            layout.files.push(w.path.clone());
        }
        layout
    }

    /// Ends an update in place: writes what was rendered (a file whose bytes are already right
    /// is left alone; any other is written beside and renamed over, so a reader never sees half
    /// of it, and a file the spare shares by a hard link is never written through), then
    /// removes what the output held and this build did not write.
    pub fn finish_in_place(&self) -> Result<()> {
        let Some(in_place) = &self.in_place else {
            return Ok(());
        };
        let pending = std::mem::take(&mut *crate::lock(&in_place.pending));
        pending
            .par_iter()
            .try_for_each(|(path, bytes)| replace_file(path, bytes).at_path(path))?;
        let kept: std::collections::HashSet<String> =
            self.lock_written().iter().map(|w| w.path.clone()).collect();
        for gone in in_place.layout.files.iter().filter(|f| !kept.contains(*f)) {
            let path = self.staging.join(gone);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(crate::Error::io(&path, e));
                }
                _ => {}
            }
            // A folder goes with its last file, and so on up (one still in use stays).
            let mut folder = path.parent();
            while let Some(dir) = folder.filter(|d| *d != self.staging) {
                if std::fs::remove_dir(dir).is_err() {
                    break;
                }
                folder = dir.parent();
            }
        }
        Ok(())
    }

    fn unchanged(&self, file: &IndexedFile) -> bool {
        let path = self.previous_dir.join(&file.path);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) => {
                meta.file_type().is_file()
                    && meta.len() == file.size
                    && modified_ns(&meta) == file.modified_ns
                    && inode(&meta) == file.inode
            }
            Err(_) => false,
        }
    }

    fn count(&self, reused: bool) {
        let mut counts = crate::lock(&self.counts);
        if reused {
            counts.reused += 1;
        } else {
            counts.rendered += 1;
        }
    }

    fn lock_written(&self) -> std::sync::MutexGuard<'_, Vec<Written>> {
        crate::lock(&self.written)
    }
}

/// Puts `bytes` at `path` unless it holds them already: written to a file beside it, then
/// renamed over it.
fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".partial");
    let partial = path.with_file_name(name);
    crate::output::with_parent_dirs(&partial, || std::fs::write(&partial, bytes))
        .and_then(|()| std::fs::rename(&partial, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })
}

/// The index's lines, grouped by unit. A line that does not parse, or a path that could leave
/// the output folder, drops its whole unit (so it is rendered again).
fn parse_index(text: &str) -> HashMap<UnitKey, Vec<IndexedFile>> {
    let mut lines = text.lines();
    if lines.next() != Some(INDEX_HEADER) {
        return HashMap::new();
    }
    let mut units: HashMap<UnitKey, Vec<IndexedFile>> = HashMap::new();
    let mut broken = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let [path, unit, sha256, size, modified, inode] = fields[..] else {
            continue;
        };
        let unit = UnitKey(unit.to_owned());
        let parsed = (|| {
            crate::release::manifest::check_relative_path(path).ok()?;
            Some(IndexedFile {
                path: path.to_owned(),
                sha256: crate::digest::is_sha256_hex(sha256).then(|| sha256.to_owned())?,
                size: size.parse().ok()?,
                modified_ns: modified.parse().ok()?,
                inode: inode.parse().ok()?,
            })
        })();
        match parsed {
            Some(file) => units.entry(unit).or_default().push(file),
            None => broken.push(unit),
        }
    }
    for unit in broken {
        units.remove(&unit);
    }
    units
}

pub(crate) fn modified_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

#[cfg(unix)]
pub(crate) fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
pub(crate) fn inode(_meta: &std::fs::Metadata) -> u64 {
    0
}

/// The keys of a project's units. The global key covers what every page can show: the
/// configuration, theme, roles, quizzes, ledger, date, signing key, and every policy's front
/// matter (titles and links to it appear on other pages). A policy's key adds its own text and
/// its archived texts, so editing one policy's body renders only that policy again.
pub struct Fingerprints {
    global: UnitKey,
    policies: HashMap<String, UnitKey>,
    /// What a policy's PDF shows besides its own file: the configuration and the roles.
    pdf_base: UnitKey,
}

impl Fingerprints {
    pub fn of(
        project: &crate::Project,
        theme: &crate::theme::Theme,
        public_key: Option<&str>,
    ) -> Fingerprints {
        let global = global_key(project, theme, public_key);
        let policies = project
            .policies
            .par_iter()
            .map(|p| {
                // The digest covers the whole source file; everything else a policy's pages show
                // is in the global key.
                let mut h = Hasher::new("policy");
                h.field(global.as_str())
                    .field(&p.id)
                    .field(&p.source_path)
                    .field(&p.digest)
                    // Published beside its pages and in its packages, but not in its digest.
                    .debug(&p.pictures);
                for archived in project.archives_of(&p.id) {
                    h.debug(&archived.released);
                }
                (p.id.clone(), h.finish())
            })
            .collect();
        let mut h = Hasher::new("pdf-base");
        h.debug(&project.config).debug(&project.roles);
        Fingerprints {
            global,
            policies,
            pdf_base: h.finish(),
        }
    }

    /// The key of a policy's PDF: its file, the configuration, the roles and the titles of
    /// its associated policies; not the date nor other policies, so they rarely re-typeset.
    pub fn pdf(&self, project: &crate::Project, policy: &crate::content::Policy) -> UnitKey {
        let mut h = Hasher::new("pdf");
        h.field(self.pdf_base.as_str())
            .field(&policy.id)
            .field(&policy.source_path)
            .field(&policy.digest);
        for a in &policy.associated {
            h.field(project.policy(&a.text).map_or(&a.text, |p| &p.title));
        }
        h.finish()
    }

    /// The key of the register of every policy: what every page can show (it has every
    /// policy's front matter and the review status on the date).
    pub fn pdf_register(&self) -> UnitKey {
        let mut h = Hasher::new("pdf-register");
        h.field(self.global.as_str());
        h.finish()
    }

    /// The key of what every page can show.
    pub fn global(&self) -> &UnitKey {
        &self.global
    }

    /// The key of the "All Policies" page: it shows only what the global key covers (front
    /// matter, review status on the date, configuration), so editing a body keeps it.
    pub fn index_page(&self) -> UnitKey {
        let mut h = Hasher::new("index-page");
        h.field(self.global.as_str());
        h.finish()
    }

    /// The key of a policy's own pages (page, form, earlier versions, changes).
    pub fn policy(&self, id: &str) -> Option<&UnitKey> {
        self.policies.get(id)
    }

    /// The key of what every policy goes into (the search index): all of them.
    pub fn site_wide(&self) -> UnitKey {
        let mut h = Hasher::new("site-wide");
        h.field(self.global.as_str());
        let mut keys: Vec<(&String, &UnitKey)> = self.policies.iter().collect();
        keys.sort_by_key(|(id, _)| *id);
        for (id, key) in keys {
            h.field(id).field(key.as_str());
        }
        h.finish()
    }

    /// The key of a SCORM module's packages.
    pub fn module(&self, module: &crate::scorm::Module) -> UnitKey {
        let mut h = Hasher::new("module");
        h.field(self.global.as_str()).debug(module);
        for id in &module.policies {
            h.field(self.policies.get(id).map_or("", UnitKey::as_str));
        }
        h.finish()
    }
}

fn global_key(
    project: &crate::Project,
    theme: &crate::theme::Theme,
    public_key: Option<&str>,
) -> UnitKey {
    let mut h = Hasher::new("global");
    h.debug(&project.config)
        .debug(&project.today)
        .debug(&project.roles)
        .debug(&project.quizzes)
        // The ledger is its text (its `Debug` would also repeat 30,000 parsed entries).
        .debug(&project.ledger.as_ref().map(|l| &l.source))
        .debug(&public_key);
    theme.fingerprint_into(&mut h);
    // The front matter by its digest, taken when the file was parsed: at 10,000 policies the
    // front matter is 15 MB, which `serve` would hash again on every save.
    for p in &project.policies {
        h.field(&p.id)
            .field(&p.source_path)
            .field(&p.front_matter_digest);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_length_prefixed() {
        let mut a = Hasher::new("t");
        a.field("ab").field("c");
        let mut b = Hasher::new("t");
        b.field("a").field("bc");
        assert_ne!(a.finish(), b.finish());
    }

    #[test]
    fn an_index_with_a_bad_line_drops_that_unit_only() {
        let sha = "a".repeat(64);
        let text = format!(
            "{INDEX_HEADER}\nsite/a.html\tk1\t{sha}\t3\t10\t7\nsite/b.html\tk2\t{sha}\tthree\t10\t8\n\
             site/c.html\tk2\t{sha}\t3\t10\t9\n../escape\tk3\t{sha}\t3\t10\t9\n"
        );
        let units = parse_index(&text);
        assert_eq!(units.len(), 1);
        assert_eq!(units[&UnitKey("k1".into())][0].path, "site/a.html");
        assert!(parse_index("policybook-index 0\n").is_empty());
    }
}
