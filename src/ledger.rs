//! The release ledger, `policybook.lock`: every policy version released with `policybook
//! release`, with the digest of its text, so that a version always means one text. Each
//! released text is archived, exactly as released, in `history/<policy-id>/<version>.md`.
//!
//! The ledger is plain TOML, one line per released version, sorted by policy id and, within a
//! policy, in the order the versions were released, so that a pull request shows a release as
//! one added line:
//!
//! ```toml
//! [[policy]]
//! id = "e-safety"
//! source = "content/e-safety.md"
//! versions = [
//!   { version = "3.0", digest = "9f2…", approved = "2025-03-01", released = "2025-03-02" },
//! ]
//! ```

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Deserialize;

use crate::Project;
use crate::content::Policy;
use crate::date::Date;
use crate::error::{Diagnostic, Error, IoContext as _, Result};
use crate::source::line_col_at;

mod stamps;
pub use stamps::{ArchiveStamps, STAMPS_FILE};

pub const LEDGER_FILE: &str = "policybook.lock";
pub const HISTORY_DIR: &str = "history";

/// The release ledger of a project.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    /// Sorted by id.
    pub policies: Vec<LedgerPolicy>,
    /// How messages name the file.
    pub path: PathBuf,
    /// The file's text, for pointing diagnostics at a line.
    pub source: String,
}

/// The released versions of one policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerPolicy {
    pub id: String,
    /// The source file at the latest release (`content/e-safety.md`): a renamed file without an
    /// `id:` keeps its id, and so its history, through this.
    pub source: String,
    /// In the order released.
    pub versions: Vec<ReleasedVersion>,
}

/// One released version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleasedVersion {
    pub version: String,
    /// SHA-256 of the normalised text, as [`crate::digest`] defines it.
    pub digest: String,
    pub approved: Option<Date>,
    pub released: Date,
    /// Line of this entry in the ledger.
    pub line: usize,
}

impl LedgerPolicy {
    pub fn version(&self, version: &str) -> Option<&ReleasedVersion> {
        self.versions.iter().find(|v| v.version == version)
    }

    pub fn latest(&self) -> Option<&ReleasedVersion> {
        self.versions.last()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLedger {
    #[serde(default)]
    policy: Vec<toml::Spanned<RawPolicy>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    id: String,
    source: String,
    #[serde(default)]
    versions: Vec<toml::Spanned<RawVersion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    version: String,
    digest: String,
    approved: Option<String>,
    released: String,
}

impl Ledger {
    /// Reads `policybook.lock`; `Ok(None)` when the project has none (no release yet: every
    /// policy builds as today, and none is a draft).
    pub fn load(root: &Path, display_root: &Path) -> Result<Option<Ledger>> {
        let display = display_root.join(LEDGER_FILE);
        match crate::source::read_text(root, Path::new(LEDGER_FILE), &display)? {
            Some(text) => Ledger::parse(text, display).map(Some),
            None => Ok(None),
        }
    }

    pub fn parse(source: String, path: PathBuf) -> Result<Ledger> {
        let raw: RawLedger = toml::from_str(&source).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_col_at(&source, span.start));
            Error::Invalid(vec![
                Diagnostic::error(&path, e.message().trim().to_owned())
                    .at(&source, line, column)
                    .help("policybook.lock is written by `policybook release`; restore it from version control"),
            ])
        })?;
        let mut problems = Vec::new();
        let mut policies = Vec::new();
        // Counting lines from the start for each of 30,000 entries was quadratic.
        let lines = crate::source::LineIndex::new(&source);
        let mut seen = std::collections::HashSet::new();
        for spanned in raw.policy {
            let line = lines.line_of(spanned.span().start);
            let raw = spanned.into_inner();
            let mut versions = Vec::new();
            for v in raw.versions {
                let line = lines.line_of(v.span().start);
                match released_version(v.into_inner(), line) {
                    Ok(version) => versions.push(version),
                    Err(why) => problems.push(
                        Diagnostic::error(&path, why)
                            .at(&source, line, 1)
                            .help("restore policybook.lock from version control"),
                    ),
                }
            }
            // Ids become paths (history/<id>/, policies/<id>/): a hand-edited ledger must not
            // be able to reach outside the project or the output.
            if !crate::content::is_valid_id(&raw.id) {
                problems.push(
                    Diagnostic::error(&path, format!("`{}` is not a valid policy id", raw.id))
                        .at(&source, line, 1)
                        .help("ids are lower-case letters, digits, `-` and `_`; restore policybook.lock from version control"),
                );
                continue;
            }
            // A set, not a search of the list so far: that was quadratic (0.4 s at 10,000).
            if !seen.insert(raw.id.clone()) {
                problems.push(
                    Diagnostic::error(&path, format!("policy `{}` appears twice", raw.id))
                        .at(&source, line, 1),
                );
            }
            policies.push(LedgerPolicy {
                id: raw.id,
                source: raw.source,
                versions,
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        policies.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Ledger {
            policies,
            path,
            source,
        })
    }

    pub fn policy(&self, id: &str) -> Option<&LedgerPolicy> {
        self.policies
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.policies[i])
    }

    /// Records `policy`'s current version (when new) and its source path; returns whether the
    /// version is new.
    pub fn record(&mut self, policy: &Policy, released: Date) -> bool {
        let index = match self
            .policies
            .binary_search_by(|p| p.id.as_str().cmp(&policy.id))
        {
            Ok(i) => i,
            Err(i) => {
                self.policies.insert(
                    i,
                    LedgerPolicy {
                        id: policy.id.clone(),
                        source: policy.source_path.clone(),
                        versions: Vec::new(),
                    },
                );
                i
            }
        };
        let entry = &mut self.policies[index];
        entry.source = policy.source_path.clone();
        if entry.version(&policy.version).is_some() {
            return false;
        }
        entry.versions.push(ReleasedVersion {
            version: policy.version.clone(),
            digest: policy.digest.clone(),
            approved: policy.approved,
            released,
            line: 0,
        });
        true
    }

    /// The ledger as the text of `policybook.lock`.
    pub fn to_toml(&self) -> String {
        let quote = crate::new::toml_string;
        let mut out = String::from(
            "# policybook release ledger: every policy version released with `policybook release`,\n\
             # with the SHA-256 digest of its text (see the README). Commit it with the policies:\n\
             # policybook refuses to build a released version whose text has changed. Written by\n\
             # policybook; edit it by hand only to undo a mistaken release.\n",
        );
        for policy in &self.policies {
            out.push_str(&format!(
                "\n[[policy]]\nid = {}\nsource = {}\nversions = [\n",
                quote(&policy.id),
                quote(&policy.source)
            ));
            for v in &policy.versions {
                let approved = v
                    .approved
                    .map(|d| format!(", approved = {}", quote(&d.to_string())))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  {{ version = {}, digest = {}{approved}, released = {} }},\n",
                    quote(&v.version),
                    quote(&v.digest),
                    quote(&v.released.to_string())
                ));
            }
            out.push_str("]\n");
        }
        out
    }
}

fn released_version(raw: RawVersion, line: usize) -> std::result::Result<ReleasedVersion, String> {
    if !crate::digest::is_sha256_hex(&raw.digest) {
        return Err(format!(
            "version {}: `{}` is not a SHA-256 digest (64 lower-case hex digits)",
            raw.version, raw.digest
        ));
    }
    let date =
        |text: &str| Date::parse_policy(text).map_err(|e| format!("version {}: {e}", raw.version));
    Ok(ReleasedVersion {
        approved: raw.approved.as_deref().map(date).transpose()?,
        released: date(&raw.released)?,
        version: raw.version,
        digest: raw.digest,
        line,
    })
}

/// The archive of a released text: `history/<policy-id>/<version>.md`, the version made safe
/// as a file name (`3.1` stays `3.1`; other characters than letters, digits, `.`, `-` and `_`
/// become `-`).
pub fn archive_path(id: &str, version: &str) -> String {
    format!("{HISTORY_DIR}/{id}/{}.md", version_slug(version))
}

/// `version` with every character but ASCII letters, digits, `.`, `-` and `_` replaced by `-`.
pub fn version_chars(version: &str) -> String {
    version
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// `version` as one safe path component, also used in the site's URLs.
pub fn version_slug(version: &str) -> String {
    let slug = version_chars(version.trim());
    let slug = slug.trim_start_matches('.');
    if slug.is_empty() {
        "v".to_owned()
    } else {
        slug.to_owned()
    }
}

/// A released text from `history/`. Its digest is checked on every load; it is parsed as a
/// policy (its front matter as it was then) only when a page or a redline needs it, so a
/// rebuild that reuses a policy's pages never parses its history.
#[derive(Debug)]
pub struct Archived {
    /// The policy's id, as the ledger records it.
    pub id: String,
    pub released: ReleasedVersion,
    root: PathBuf,
    /// `history/<id>/<version>.md`, relative to the project root.
    relative: String,
    /// The same path as messages show it.
    display: PathBuf,
    parsed: OnceLock<std::result::Result<Policy, Vec<Diagnostic>>>,
}

impl Archived {
    /// The archived text as a policy, read and parsed on first use.
    pub fn policy(&self) -> Result<&Policy> {
        self.parsed
            .get_or_init(|| self.parse())
            .as_ref()
            .map_err(|diags| Error::Invalid(diags.clone()))
    }

    fn parse(&self) -> std::result::Result<Policy, Vec<Diagnostic>> {
        let text =
            match crate::source::read_text(&self.root, Path::new(&self.relative), &self.display) {
                Ok(Some(text)) => text,
                Ok(None) => {
                    return Err(vec![Diagnostic::error(
                        &self.display,
                        "this archived text is missing",
                    )]);
                }
                Err(e) => return Err(vec![Diagnostic::error(&self.display, e.to_string())]),
            };
        // Checked again: the file may have changed since the build started.
        if let Some(diag) = self.check_digest(&text) {
            return Err(vec![diag]);
        }
        // Named as the policy's own file would be, so its id comes out as the ledger's.
        let as_policy = PathBuf::from(format!("{}.md", self.id));
        let (policy, diags) =
            crate::content::load_policy(text.as_bytes(), &as_policy, &self.display);
        // A released text is history: checks added since (or warnings) cannot apply to it.
        // Only one that can no longer be read at all stops the build.
        let mut policy = policy.ok_or_else(|| {
            diags
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect::<Vec<_>>()
        })?;
        policy.id = self.id.clone();
        policy.source_path = self.relative.clone();
        Ok(policy)
    }

    fn check_digest(&self, text: &str) -> Option<Diagnostic> {
        (crate::digest::sha256_hex(text.as_bytes()) != self.released.digest).then(|| {
            Diagnostic::error(
                &self.display,
                format!(
                    "this archived text of {} version {} differs from the released one (the \
                     digest in {LEDGER_FILE} does not match)",
                    self.id, self.released.version,
                ),
            )
            .help("restore it from version control: an archive must stay exactly as released")
        })
    }
}

/// Checks the current policies against the ledger, after giving renamed files their old id:
///
/// - a policy whose file was renamed (its id comes from the file name, which changed) keeps its
///   id when the ledger names its new path, or when its text is that of a released version of an
///   id no current file has;
/// - a released version whose text changed is an error at its `version:` line.
pub fn check_policies(policies: &mut [Policy], ledger: &Ledger) -> Vec<Diagnostic> {
    let mut diags = adopt_renamed_ids(policies, ledger);
    for policy in policies.iter() {
        if policy.unversioned
            && let Some(latest) = ledger.policy(&policy.id).and_then(|p| p.latest())
        {
            diags.push(
                Diagnostic::error(
                    &policy.path,
                    format!(
                        "missing `version`: this policy was released as version {} on {}",
                        latest.version, latest.released
                    ),
                )
                .at(&policy.front_matter, 1, 1)
                .help("once a policy is released every text needs a version: add `version:` with the next one, and a `revisions` entry"),
            );
            continue;
        }
        let released = ledger
            .policy(&policy.id)
            .and_then(|p| p.version(&policy.version));
        if let Some(released) = released
            && released.digest != policy.digest
        {
            diags.push(silent_edit(policy, released, ledger));
        }
    }
    diags
}

fn silent_edit(policy: &Policy, released: &ReleasedVersion, ledger: &Ledger) -> Diagnostic {
    Diagnostic::error(
        &policy.path,
        format!(
            "version {} was released on {} with another text (sha256:{}…, recorded in {}), \
             and this text differs: a version must always mean one text",
            policy.version,
            released.released,
            &released.digest[..crate::digest::SHORT_LEN],
            ledger.path.display()
        ),
    )
    .at(&policy.front_matter, policy.version_line, 1)
    .help(format!(
        "if the change is meant, give it a new version (e.g. bump `version:` and add a \
         `revisions` entry), then run `policybook release` once it is approved; if not, restore \
         the released text from {}",
        archive_path(&policy.id, &policy.version)
    ))
}

/// A file without `id:` takes its id from its name, so renaming it would lose its history:
/// find it by the path the ledger recorded, or by its unchanged text.
fn adopt_renamed_ids(policies: &mut [Policy], ledger: &Ledger) -> Vec<Diagnostic> {
    let mut current: std::collections::HashSet<String> =
        policies.iter().map(|p| p.id.clone()).collect();
    let mut diags = Vec::new();
    for policy in policies.iter_mut() {
        if policy.id_line.is_some() || ledger.policy(&policy.id).is_some() {
            continue;
        }
        let by_path = ledger
            .policies
            .iter()
            .find(|p| p.source == policy.source_path && !current.contains(&p.id));
        let by_text = || {
            ledger.policies.iter().find(|p| {
                !current.contains(&p.id) && p.latest().is_some_and(|v| v.digest == policy.digest)
            })
        };
        let Some(released) = by_path.or_else(by_text) else {
            continue;
        };
        if released.source != policy.source_path {
            diags.push(
                Diagnostic::warning(
                    &policy.path,
                    format!(
                        "this is `{}` renamed: it keeps the id `{}` and its history",
                        released.source, released.id
                    ),
                )
                .help("run `policybook release` to record the new file name in policybook.lock"),
            );
        }
        policy.id = released.id.clone();
        // Adopted once: a second copy of the file must not take the same id.
        current.insert(policy.id.clone());
    }
    diags
}

/// Checks every archived text the ledger lists, in parallel. A missing archive, or one whose
/// text is not the released one, is an error: the history would not show what was released.
///
/// An archive that `trusted` says was intact when last checked, and is unchanged since, is not
/// read again. The archives found intact are returned with the stamps to trust next time.
pub fn load_archives(
    root: &Path,
    display_root: &Path,
    ledger: &Ledger,
    trusted: &ArchiveStamps,
) -> Result<(Vec<Archived>, Vec<Diagnostic>, ArchiveStamps)> {
    type Checked = std::result::Result<(Archived, Option<std::fs::Metadata>), Diagnostic>;
    let checked: Vec<Vec<Checked>> = ledger
        .policies
        .par_iter()
        .map(|entry| {
            let mut folder = FolderCheck::default();
            (entry.versions.iter())
                .map(|released| {
                    check_archive(
                        root,
                        display_root,
                        ledger,
                        entry,
                        released,
                        trusted,
                        &mut folder,
                    )
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    let mut archives = Vec::new();
    let mut diags = Vec::new();
    let mut intact = ArchiveStamps::default();
    for result in checked.into_iter().flatten() {
        match result {
            Ok((archived, meta)) => {
                if let Some(meta) = meta {
                    intact.record(&archived.relative, &meta, &archived.released.digest);
                }
                archives.push(archived);
            }
            Err(diag) => diags.push(diag),
        }
    }
    Ok((archives, diags, intact))
}

/// Whether a policy's `history/<id>/` folder was found free of links, checked once for all its
/// trusted archives (three system calls an archive were most of a rebuild's archive check).
#[derive(Default)]
struct FolderCheck {
    free_of_links: bool,
}

/// Reads one archived text and checks its digest against the ledger, unless `trusted` vouches
/// for it. Returns the file's metadata from before it was read, for the next build's stamps.
fn check_archive(
    root: &Path,
    display_root: &Path,
    ledger: &Ledger,
    entry: &LedgerPolicy,
    released: &ReleasedVersion,
    trusted: &ArchiveStamps,
    folder: &mut FolderCheck,
) -> Result<std::result::Result<(Archived, Option<std::fs::Metadata>), Diagnostic>> {
    let relative = archive_path(&entry.id, &released.version);
    let display = display_root.join(&relative);
    let archived = || Archived {
        id: entry.id.clone(),
        released: released.clone(),
        root: root.to_path_buf(),
        relative: relative.clone(),
        display: display.clone(),
        parsed: OnceLock::new(),
    };
    let before = std::fs::symlink_metadata(root.join(&relative)).ok();
    if let Some(meta) = &before
        && trusted.trusts(&relative, meta, &released.digest)
    {
        // Still refuse a folder on the way that became a link since (`trusts` refuses a link
        // in the file's own place).
        if !folder.free_of_links {
            let relative = Path::new(&relative);
            let parent = relative.parent().unwrap_or(relative);
            crate::source::refuse_links(root, parent, &display)?;
            folder.free_of_links = true;
        }
        return Ok(Ok((archived(), before)));
    }
    let Some(text) = crate::source::read_text(root, Path::new(&relative), &display)? else {
        return Ok(Err(Diagnostic::error(
            &ledger.path,
            format!(
                "the archived text of {} version {} ({relative}) is missing",
                entry.id, released.version
            ),
        )
        .at(&ledger.source, released.line, 1)
        .help(
            "restore it from version control: the history pages are made from it",
        )));
    };
    let archived = archived();
    Ok(match archived.check_digest(&text) {
        Some(diag) => Err(diag),
        None => Ok((archived, before)),
    })
}

/// What `policybook release` recorded.
#[derive(Debug, Default)]
pub struct ReleaseReport {
    /// Each newly released version.
    pub released: Vec<NewRelease>,
    /// Released policies whose file was renamed: (policy id, new source path).
    pub moved: Vec<(String, String)>,
}

/// A version `release` recorded.
#[derive(Debug)]
pub struct NewRelease {
    pub id: String,
    pub version: String,
    pub digest: String,
    /// Where its text was archived (`history/<id>/<version>.md`).
    pub archive: String,
    /// `None` when released without an approval date, which `release` points out.
    pub approved: Option<Date>,
}

/// Records every policy version not yet in the ledger: archives its text in `history/` and adds
/// it to `policybook.lock`, dated `project.today`. The archives are written first and the ledger
/// last, so a failure never leaves the ledger naming a text that is not archived.
pub fn release(project: &Project) -> Result<ReleaseReport> {
    let root = &project.root;
    let display_root = crate::display_root(root);
    let mut ledger = project.ledger.clone().unwrap_or_else(|| Ledger {
        path: display_root.join(LEDGER_FILE),
        ..Ledger::default()
    });
    let unversioned: Vec<Diagnostic> = project
        .policies
        .iter()
        .filter(|p| p.unversioned)
        .map(|p| {
            Diagnostic::error(&p.path, "cannot release a policy without a `version`")
                .at(&p.front_matter, 1, 1)
                .help("add a line such as `version: \"1.0\"` to the front matter, then release")
        })
        .collect();
    if !unversioned.is_empty() {
        return Err(Error::Invalid(unversioned));
    }
    let mut report = ReleaseReport::default();
    for policy in &project.policies {
        let previous_source = ledger.policy(&policy.id).map(|p| p.source.clone());
        if ledger.record(policy, project.today) {
            let archive = archive_path(&policy.id, &policy.version);
            write_archive(root, &archive, policy)?;
            report.released.push(NewRelease {
                id: policy.id.clone(),
                version: policy.version.clone(),
                digest: policy.digest.clone(),
                archive,
                approved: policy.approved,
            });
        } else if previous_source.is_some_and(|s| s != policy.source_path) {
            report
                .moved
                .push((policy.id.clone(), policy.source_path.clone()));
        }
    }
    if !report.released.is_empty() || !report.moved.is_empty() {
        write_atomically(&root.join(LEDGER_FILE), ledger.to_toml().as_bytes())?;
    }
    Ok(report)
}

/// Writes the normalised text of `policy`'s source (whose digest is the policy's) to `archive`.
/// An archive already there with another text (two versions whose names make the same file
/// name, such as `1 0` and `1-0`) is refused.
fn write_archive(root: &Path, archive: &str, policy: &Policy) -> Result<()> {
    let source = root.join(&policy.source_path);
    let bytes = std::fs::read(&source).at_path(&source)?;
    let text =
        crate::source::decode_text(&bytes, &policy.path).map_err(|d| Error::Invalid(vec![d]))?;
    if crate::digest::sha256_hex(text.as_bytes()) != policy.digest {
        return Err(Error::Usage(format!(
            "{} changed while policybook was releasing it; run `policybook release` again",
            policy.path.display()
        )));
    }
    // Each folder on the way is checked (no link) before the next is made inside it.
    let display_root = crate::display_root(root);
    let mut folder = PathBuf::new();
    for part in Path::new(archive)
        .parent()
        .into_iter()
        .flat_map(Path::components)
    {
        folder.push(part);
        if !crate::source::input_dir(root, &folder, &display_root.join(&folder))? {
            std::fs::create_dir(root.join(&folder)).at_path(root.join(&folder))?;
        }
    }
    let path = root.join(archive);
    if let Ok(existing) = std::fs::read(&path)
        && existing != text.as_bytes()
    {
        return Err(Error::Usage(format!(
            "{archive} already exists with another text: version `{}` of `{}` would overwrite the \
             archive of another version; choose a version with other characters",
            policy.version, policy.id
        )));
    }
    write_atomically(&path, text.as_bytes())
}

/// Writes a file beside its destination, then renames it into place: readers never see half.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map_or("file".into(), |n| n.to_string_lossy());
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temp, bytes).at_path(&temp)?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::io(path, e)
    })
}

/// Where a policy stands against the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReleaseState {
    /// The project has no ledger: nothing is released, nothing is a draft.
    Untracked,
    /// This version is in the ledger with this text.
    Released,
    /// This version is not in the ledger yet.
    Draft,
}

#[cfg(test)]
mod tests;
