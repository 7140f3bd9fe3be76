//! The release manifest: `manifest.json`, the list of every policy version and every file of a
//! build, which a signature then vouches for.
//!
//! Format `policybook-release/1` (JSON, UTF-8, two-space indentation, a final newline, keys in
//! the order below):
//!
//! ```json
//! {
//!   "format": "policybook-release/1",
//!   "policybook_version": "0.1.0",
//!   "organisation": "Larkfield Skills & Training",
//!   "build_date": "2026-11-26",
//!   "policies": [
//!     { "id": "e-safety", "title": "E-Safety Policy", "version": "3.1",
//!       "digest": "<64 hex>", "approved_by": "Board of Directors",
//!       "effective": "2026-04-01", "review_due": "2027-03-12" }
//!   ],
//!   "files": [
//!     { "path": "site/index.html", "sha256": "<64 hex>", "size": 12345 }
//!   ],
//!   "archived": [
//!     { "id": "e-safety", "version": "3.0", "digest": "<64 hex>", "released": "2025-03-02" }
//!   ]
//! }
//! ```
//!
//! `archived`, present only when the project keeps a release ledger, lists every released version
//! from `policybook.lock` (sorted by id, then in the order released), so that `verify` can check
//! each has its page and a reader can match an old acknowledgement's digest to its version.
//! `policies` is sorted by `id`; `approved_by`, `effective` and `review_due` are strings or
//! `null`; `digest` is the policy's content digest ([`crate::digest`]). `files` is sorted by
//! `path` (byte order), which is `/`-separated and relative to the folder holding the manifest;
//! it lists every regular file under that folder except `manifest.json` and
//! `manifest.json.minisig` at its top, with the SHA-256 (lower-case hex) and size in bytes of its
//! exact content. `build_date` is the build's review date, not the clock, so the same sources give
//! the same manifest.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::digest::hex;
use crate::error::{Error, IoContext as _, Result};
use crate::release::keys::SecretKeyHandle;
use crate::release::sign;

/// The manifest's file name, at the top of the folder (or zip) it describes.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The manifest's minisign signature, beside it.
pub const SIGNATURE_FILE: &str = "manifest.json.minisig";
/// The value of `format` this version writes and reads.
pub const FORMAT: &str = "policybook-release/1";

/// The release-wide fields of a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestHeader {
    pub policybook_version: String,
    pub organisation: String,
    /// `YYYY-MM-DD`: the build's review date, not the clock.
    pub build_date: String,
}

impl ManifestHeader {
    /// A header for this policybook version.
    pub fn new(organisation: impl Into<String>, build_date: impl Into<String>) -> Self {
        ManifestHeader {
            policybook_version: env!("CARGO_PKG_VERSION").to_owned(),
            organisation: organisation.into(),
            build_date: build_date.into(),
        }
    }

    /// The header for a loaded project: its organisation and review date.
    pub fn for_project(project: &crate::Project) -> Self {
        ManifestHeader::new(&project.config.organisation, project.today.to_string())
    }
}

/// One policy version in a release.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyEntry {
    pub id: String,
    pub title: String,
    pub version: String,
    /// The content digest, 64 lower-case hex digits.
    pub digest: String,
    pub approved_by: Option<String>,
    pub effective: Option<String>,
    pub review_due: Option<String>,
    /// The audience ids the policy applies to; empty (and not written): everyone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<String>,
    /// How long an acknowledgement lasts, e.g. `12 months`; `acks` reports who is due again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reacknowledge: Option<String>,
    /// The policy's own agreements (empty, and not written, for the default one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreements: Vec<AgreementEntry>,
}

/// An agreement as the manifest lists it: what `acks` needs to check receipts' fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementEntry {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
    pub statement: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldEntry {
    pub id: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: crate::agreement::FieldKind,
    pub required: bool,
}

/// An audience declared in `policybook.toml`, so `acks` can check a roster's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceEntry {
    pub id: String,
    pub title: String,
}

impl PolicyEntry {
    pub fn from_policy(policy: &crate::Policy) -> Self {
        PolicyEntry {
            id: policy.id.clone(),
            title: policy.title.clone(),
            version: policy.version.clone(),
            digest: policy.digest.clone(),
            approved_by: policy.approved_by.clone(),
            effective: policy.effective.map(|d| d.to_string()),
            review_due: policy.review_due.map(|d| d.to_string()),
            audience: policy.audience_ids(),
            reacknowledge: policy.reacknowledge.map(|i| i.to_string()),
            agreements: policy
                .agreements
                .iter()
                .map(|a| AgreementEntry {
                    audiences: a.audiences.clone(),
                    statement: a.statement.clone(),
                    fields: a
                        .fields
                        .iter()
                        .map(|f| FieldEntry {
                            id: f.id.clone(),
                            label: f.label.clone(),
                            kind: f.kind,
                            required: f.required,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// One released version from the ledger, listed so old acknowledgements can be matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchivedEntry {
    pub id: String,
    pub version: String,
    /// The content digest of that version's text.
    pub digest: String,
    /// `YYYY-MM-DD`, from the ledger.
    pub released: String,
}

/// One file in a release.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// `/`-separated, relative to the manifest's folder.
    pub path: String,
    /// SHA-256 of the file's bytes, 64 lower-case hex digits.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

impl FileEntry {
    /// The entry for a file with content `bytes`.
    pub fn for_bytes(path: impl Into<String>, bytes: &[u8]) -> Self {
        FileEntry {
            path: path.into(),
            sha256: hex(&Sha256::digest(bytes)),
            size: bytes.len() as u64,
        }
    }
}

/// The content of `manifest.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseManifest {
    /// Always [`FORMAT`].
    pub format: String,
    pub policybook_version: String,
    pub organisation: String,
    pub build_date: String,
    /// Sorted by id.
    pub policies: Vec<PolicyEntry>,
    /// Sorted by path.
    pub files: Vec<FileEntry>,
    /// Every released version in the ledger; empty (and not written) without one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub archived: Vec<ArchivedEntry>,
    /// The audiences of `policybook.toml`; empty (and not written) when none are declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<AudienceEntry>,
}

impl ReleaseManifest {
    /// A manifest of the given files: sorts policies and files, and refuses paths that are not
    /// plain relative `/`-separated paths, duplicates, and the manifest's own files at the top.
    pub fn new(
        header: ManifestHeader,
        mut policies: Vec<PolicyEntry>,
        mut files: Vec<FileEntry>,
    ) -> Result<ReleaseManifest> {
        policies.sort_by(|a, b| a.id.cmp(&b.id));
        files.sort_by(|a, b| a.path.cmp(&b.path));
        for file in &files {
            check_relative_path(&file.path).map_err(Error::Usage)?;
            if is_manifest_file(&file.path) {
                return Err(Error::Usage(format!(
                    "`{}` cannot be listed in the manifest it belongs to",
                    file.path
                )));
            }
        }
        if let Some(pair) = files.windows(2).find(|w| w[0].path == w[1].path) {
            return Err(Error::Usage(format!(
                "`{}` is listed twice in the release",
                pair[0].path
            )));
        }
        Ok(ReleaseManifest {
            format: FORMAT.to_owned(),
            policybook_version: header.policybook_version,
            organisation: header.organisation,
            build_date: header.build_date,
            policies,
            files,
            archived: Vec::new(),
            audiences: Vec::new(),
        })
    }

    /// The same manifest listing `archived` versions too.
    pub fn with_archived(mut self, archived: Vec<ArchivedEntry>) -> Self {
        self.archived = archived;
        self
    }

    pub fn with_audiences(mut self, audiences: Vec<AudienceEntry>) -> Self {
        self.audiences = audiences;
        self
    }

    /// The manifest of every regular file under `dir` (except `manifest.json` and
    /// `manifest.json.minisig` at its top). Files are hashed in parallel, each streamed through a
    /// buffer rather than read whole. A symbolic link (or any other non-regular file) anywhere
    /// under `dir` is an error: a release lists only regular files.
    ///
    /// Write any inner manifests (the site's, a package's) before calling this, so that the outer
    /// manifest covers them.
    pub fn for_dir(
        dir: &Path,
        header: ManifestHeader,
        policies: Vec<PolicyEntry>,
    ) -> Result<ReleaseManifest> {
        Self::for_dir_known(dir, header, policies, &HashMap::new())
    }

    /// [`Self::for_dir`], taking the SHA-256 and size of the files in `known` (by full path)
    /// from there instead of reading them: the build knows them for every file it wrote.
    pub fn for_dir_known(
        dir: &Path,
        header: ManifestHeader,
        policies: Vec<PolicyEntry>,
        known: &HashMap<std::path::PathBuf, (String, u64)>,
    ) -> Result<ReleaseManifest> {
        let paths = list_dir(dir)?;
        let files = paths
            .par_iter()
            .map(|(relative, path)| {
                if let Some((sha256, size)) = known.get(path) {
                    return Ok(FileEntry {
                        path: relative.clone(),
                        sha256: sha256.clone(),
                        size: *size,
                    });
                }
                let file = File::open(path).at_path(path)?;
                let (sha256, size) = hash_reader(file).at_path(path)?;
                Ok(FileEntry {
                    path: relative.clone(),
                    sha256,
                    size,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        ReleaseManifest::new(header, policies, files)
    }

    /// The manifest of a zip's contents before the zip is written: `entries` are the zip's files
    /// as (path inside the zip, content). Entries named `manifest.json` or
    /// `manifest.json.minisig` at the root are skipped, so the same list can be passed again when
    /// writing.
    pub fn for_zip_entries<I, N, B>(
        header: ManifestHeader,
        policies: Vec<PolicyEntry>,
        entries: I,
    ) -> Result<ReleaseManifest>
    where
        I: IntoIterator<Item = (N, B)>,
        N: Into<String>,
        B: AsRef<[u8]> + Sync,
    {
        let entries: Vec<(String, B)> = entries
            .into_iter()
            .map(|(name, bytes)| (name.into(), bytes))
            .filter(|(name, _)| !is_manifest_file(name))
            .collect();
        let files = entries
            .par_iter()
            .map(|(name, bytes)| FileEntry::for_bytes(name.clone(), bytes.as_ref()))
            .collect();
        ReleaseManifest::new(header, policies, files)
    }

    /// Deterministic pretty JSON with a final newline: the exact bytes that are signed.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a manifest serialises");
        json.push('\n');
        json
    }

    /// Reads `manifest.json`, checking its format and that every path is safe to look up.
    pub fn from_json(text: &str) -> Result<ReleaseManifest, String> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| format!("manifest.json is not valid JSON: {e}"))?;
        match value.get("format").and_then(serde_json::Value::as_str) {
            Some(FORMAT) => {}
            Some(other) => {
                return Err(format!(
                    "manifest.json has format `{other}`, which this policybook does not read \
                     (it reads `{FORMAT}`); use the policybook version that made the release"
                ));
            }
            None => {
                return Err(format!(
                    "manifest.json is not a policybook release manifest (no `\"format\": \
                     \"{FORMAT}\"`)"
                ));
            }
        }
        let manifest: ReleaseManifest = serde_json::from_value(value)
            .map_err(|e| format!("manifest.json is not a valid `{FORMAT}` manifest: {e}"))?;
        let mut seen = BTreeSet::new();
        for file in &manifest.files {
            check_relative_path(&file.path).map_err(|e| format!("manifest.json: {e}"))?;
            if !is_hex_digest(&file.sha256) {
                return Err(format!(
                    "manifest.json: the sha256 of `{}` is not 64 lower-case hex digits",
                    file.path
                ));
            }
            if !seen.insert(file.path.as_str()) {
                return Err(format!("manifest.json lists `{}` twice", file.path));
            }
        }
        Ok(manifest)
    }

    /// The listed file at `path`, if any.
    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        self.files.iter().find(|f| f.path == path)
    }

    /// A one-line description to sign as the trusted comment (`minisign -V` prints it), e.g.
    /// `policybook release: Larkfield Skills & Training, built 2026-11-26, 4 policies, 57 files`.
    pub fn trusted_comment(&self) -> String {
        let one_line = |text: &str| -> String {
            let text: String = text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            text.trim().to_owned()
        };
        let policies = match self.policies.len() {
            1 => "1 policy".to_owned(),
            n => format!("{n} policies"),
        };
        format!(
            "policybook release: {}, built {}, {policies}, {}",
            one_line(&self.organisation),
            one_line(&self.build_date),
            crate::error::plural(self.files.len(), "file"),
        )
    }

    /// The manifest's files: `manifest.json`, and `manifest.json.minisig` when `signer` is given
    /// (signed with [`ReleaseManifest::trusted_comment`]). Add these to a zip, or see
    /// [`ReleaseManifest::write_to_dir`].
    pub fn release_files(
        &self,
        signer: Option<&SecretKeyHandle>,
    ) -> Result<Vec<(&'static str, Vec<u8>)>> {
        let json = self.to_json();
        let mut out = Vec::with_capacity(2);
        if let Some(secret) = signer {
            let signature = sign::sign(secret, json.as_bytes(), &self.trusted_comment())?;
            out.push((MANIFEST_FILE, json.into_bytes()));
            out.push((SIGNATURE_FILE, signature.into_bytes()));
        } else {
            out.push((MANIFEST_FILE, json.into_bytes()));
        }
        Ok(out)
    }

    /// Writes `manifest.json` (and `manifest.json.minisig` when `signer` is given) into `dir`.
    /// Without a signer, a stale signature left in `dir` is removed.
    pub fn write_to_dir(&self, dir: &Path, signer: Option<&SecretKeyHandle>) -> Result<()> {
        let files = self.release_files(signer)?;
        if signer.is_none() {
            let stale = dir.join(SIGNATURE_FILE);
            match std::fs::remove_file(&stale) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::io(&stale, e));
                }
                _ => {}
            }
        }
        for (name, bytes) in files {
            crate::output::write_file(&dir.join(name), &bytes)?;
        }
        Ok(())
    }
}

/// Whether `/`-separated `path` is the manifest or its signature at the top of the tree.
pub fn is_manifest_file(path: &str) -> bool {
    path == MANIFEST_FILE || path == SIGNATURE_FILE
}

/// Whether `/`-separated `path` is the index an incremental build keeps at the top of its
/// output (see [`crate::reuse`]), or the archives it found intact (see
/// [`crate::ledger::ArchiveStamps`]): build metadata, not part of the release.
pub fn is_build_index(path: &str) -> bool {
    path == crate::reuse::INDEX_FILE || path == crate::ledger::STAMPS_FILE
}

/// SHA-256 and length of everything `reader` yields, read 64 KiB at a time.
pub(crate) fn hash_reader(mut reader: impl Read) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
    Ok((hex(&hasher.finalize()), size))
}

/// Every regular file under `dir` as (`/`-separated relative path, full path), in no particular
/// order (the manifest sorts them), without the manifest files and the build index at the top.
/// Folders are read in parallel: a 70,000-file build spent a second walking one at a time.
/// Symbolic links and special files are errors.
fn list_dir(dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>> {
    if !std::fs::symlink_metadata(dir).at_path(dir)?.is_dir() {
        return Err(Error::Usage(format!("`{}` is not a folder", dir.display())));
    }
    list_below(dir, dir, 1)
}

fn list_below(top: &Path, dir: &Path, depth: usize) -> Result<Vec<(String, std::path::PathBuf)>> {
    let entries = std::fs::read_dir(dir)
        .at_path(dir)?
        .collect::<std::io::Result<Vec<_>>>()
        .at_path(dir)?;
    let lists = entries
        .par_iter()
        .map(|entry| {
            let path = entry.path();
            let kind = entry.file_type().at_path(&path)?;
            if kind.is_dir() {
                return list_below(top, &path, depth + 1);
            }
            if kind.is_symlink() {
                return Err(Error::Usage(format!(
                    "`{}` is a symbolic link; a release lists only regular files, so copy the \
                     file into the output instead",
                    path.display()
                )));
            }
            if !kind.is_file() {
                return Err(Error::Usage(format!(
                    "`{}` is not a regular file; a release lists only regular files",
                    path.display()
                )));
            }
            let relative = relative_path(top, &path)?;
            if depth == 1 && (is_manifest_file(&relative) || is_build_index(&relative)) {
                return Ok(Vec::new());
            }
            Ok(vec![(relative, path)])
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(lists.into_iter().flatten().collect())
}

/// `path` relative to `dir`, `/`-separated; an error when a name is not UTF-8.
pub(crate) fn relative_path(dir: &Path, path: &Path) -> Result<String> {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(name) => parts.push(name.to_str().ok_or_else(|| {
                Error::Usage(format!(
                    "`{}`: file names in a release must be valid UTF-8",
                    path.display()
                ))
            })?),
            _ => {
                return Err(Error::Usage(format!(
                    "`{}` is not inside `{}`",
                    path.display(),
                    dir.display()
                )));
            }
        }
    }
    let joined = parts.join("/");
    check_relative_path(&joined).map_err(Error::Usage)?;
    Ok(joined)
}

pub(crate) fn walk_error(dir: &Path, e: walkdir::Error) -> Error {
    let path = e.path().unwrap_or(dir).to_path_buf();
    match e.into_io_error() {
        Some(io) => Error::io(path, io),
        None => Error::Usage(format!("`{}`: file system loop", path.display())),
    }
}

/// A plain relative path: `/`-separated names, none empty, `.` or `..`, no `\` or control
/// characters, not absolute.
pub(crate) fn check_relative_path(path: &str) -> Result<(), String> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.chars().any(char::is_control)
        || path
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        return Err(format!(
            "`{}` is not a plain relative path (names separated by `/`, no `.`, `..`, `\\` or \
             leading `/`)",
            path.escape_debug()
        ));
    }
    Ok(())
}

fn is_hex_digest(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests;
