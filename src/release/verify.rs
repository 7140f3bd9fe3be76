//! Checking a copy of a release against its signed manifest: a whole build folder, a copy of the
//! site, or a SCORM zip, each holding `manifest.json` (and `manifest.json.minisig`) at its top.
//!
//! Order of checks: the signature over the exact bytes of `manifest.json` first; then every listed
//! file (size and SHA-256); then every file present but not listed. Nothing is ignored except the
//! manifest and its signature at the top, and the index an incremental build keeps there
//! (`.policybook-index`, see `crate::reuse`), which is build metadata and never published.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::Path;

use rayon::prelude::*;

use crate::error::{Error, IoContext as _, Result};
use crate::release::keys::{self, PUBLIC_KEY_FILE, PublicKeyHandle};
use crate::release::manifest::{
    self, MANIFEST_FILE, ReleaseManifest, SIGNATURE_FILE, hash_reader, is_build_index,
    is_manifest_file,
};
use crate::release::sign;

/// Where policybook looks for a public key inside the copy when none is given, in order: beside
/// the manifest (a copy of the site, a package), then in the site folder of a whole build.
pub const PUBLIC_KEY_LOCATIONS: [&str; 2] = [PUBLIC_KEY_FILE, "site/policybook.pub"];

/// What the signature check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureStatus {
    /// The manifest is exactly what the key's owner signed.
    Valid {
        key_id: String,
        trusted_comment: String,
    },
    /// There is no `manifest.json.minisig` beside the manifest.
    Missing,
    /// The signature does not match (the reason is readable text).
    Invalid(String),
    /// Signed, but no public key was given or found, so the signature was not checked.
    NoPublicKey,
}

/// Which public key the signature was checked with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// Given by the caller (`--pubkey`); `origin` is where it was loaded from.
    Given { origin: String, key_id: String },
    /// Found inside the copy being checked (weaker evidence: whoever could change the files could
    /// replace it too); `path` is relative to the manifest's folder.
    FoundInCopy { path: String, key_id: String },
    /// None given and none found.
    None,
}

/// Whether the checked copy is a folder or a zip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Folder,
    Zip,
}

/// The outcome of [`verify_path`]. File lists are sorted and name files by their path relative to
/// the manifest's folder (or the zip's root).
#[derive(Clone, Debug)]
pub struct VerifyReport {
    /// The path checked, as given.
    pub target: String,
    pub kind: TargetKind,
    pub signature: SignatureStatus,
    pub key: KeySource,
    /// The manifest that was read (for its policies and header).
    pub manifest: ReleaseManifest,
    /// Listed files whose content or size differs, or that are no longer regular files.
    pub modified: Vec<String>,
    /// Listed files that are not there.
    pub missing: Vec<String>,
    /// Files present but not listed.
    pub unexpected: Vec<String>,
    /// Policies of the manifest whose page it does not list (a folder only): a manifest written
    /// from an incomplete build must not pass as a whole release.
    pub policies_without_pages: Vec<String>,
    /// How many listed files were checked.
    pub checked: usize,
    /// Further observations for people (e.g. a key file in the copy that differs from the key
    /// given).
    pub notes: Vec<String>,
}

impl VerifyReport {
    /// True only when the signature is valid and every file matches: no modified, missing or
    /// unexpected file. An unsigned manifest is never intact (see [`VerifyReport::files_match`]).
    pub fn is_intact(&self) -> bool {
        matches!(self.signature, SignatureStatus::Valid { .. }) && self.files_match()
    }

    /// True when the files match the manifest, whatever the signature says.
    pub fn files_match(&self) -> bool {
        self.file_problems() == 0
    }

    fn file_problems(&self) -> usize {
        self.modified.len()
            + self.missing.len()
            + self.unexpected.len()
            + self.policies_without_pages.len()
    }

    /// Why the copy does not pass, in a few words for the last line of the command's output;
    /// `None` when it is intact.
    pub fn failure(&self) -> Option<String> {
        if self.is_intact() {
            return None;
        }
        Some(match (&self.signature, self.files_match()) {
            (SignatureStatus::Missing, true) => "not verified: it is not signed, so although \
                every file matches its manifest, nothing shows who made it (sign builds with \
                `policybook build --sign KEY`)"
                .to_owned(),
            (SignatureStatus::NoPublicKey, true) => "not verified: there is no public key to \
                check its signature with (give one with --pubkey)"
                .to_owned(),
            _ => "not intact (see above)".to_owned(),
        })
    }

    /// The report as pretty JSON with a final newline, for machines: `target`, `kind`
    /// (`folder` or `zip`), `intact`, `signature` (`status`: `valid` with `key_id` and
    /// `trusted_comment`, `missing`, `invalid` with `reason`, or `no_public_key`), `public_key`
    /// (`source`: `given` with `origin`, `found_in_copy` with `path`, or `none`; `key_id`),
    /// `release` (the manifest's header and policies), `checked`, `modified`, `missing`,
    /// `unexpected`, `policies_without_pages` and `notes`.
    pub fn to_json(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(&JsonReport::from(self)).expect("a report serialises");
        text.push('\n');
        text
    }

    /// A readable multi-line summary for people, ending with a newline.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let what = match self.kind {
            TargetKind::Folder => "folder",
            TargetKind::Zip => "package",
        };
        let m = &self.manifest;
        out.push_str(&format!("Checked {what} {}\n", self.target));
        out.push_str(&format!(
            "Release: {}, built {} with policybook {}; {}, {} listed.\n",
            m.organisation,
            m.build_date,
            m.policybook_version,
            count(m.policies.len(), "policy", "policies"),
            count(m.files.len(), "file", "files"),
        ));
        match &self.signature {
            SignatureStatus::Valid {
                key_id,
                trusted_comment,
            } => out.push_str(&format!(
                "Signature: valid, made with key {key_id}.\n  Trusted comment: {trusted_comment}\n"
            )),
            SignatureStatus::Missing => out.push_str(&format!(
                "Signature: none ({SIGNATURE_FILE} is not beside {MANIFEST_FILE}).\n"
            )),
            SignatureStatus::Invalid(reason) => {
                out.push_str(&format!("Signature: INVALID: {reason}.\n"));
            }
            SignatureStatus::NoPublicKey => out.push_str(&format!(
                "Signature: present but NOT CHECKED: no public key was given (--pubkey) and \
                 none was found in the copy ({}).\n",
                PUBLIC_KEY_LOCATIONS.join(" or ")
            )),
        }
        match &self.key {
            KeySource::Given { origin, key_id } => out.push_str(&format!(
                "Public key: {origin} (key {key_id}), given with --pubkey.\n"
            )),
            KeySource::FoundInCopy { path, key_id } => out.push_str(&format!(
                "Public key: {path} (key {key_id}), found INSIDE the copy being checked.\n  \
                 Anyone able to change these files could also have replaced that key, so this \
                 shows the copy is consistent, not who made it. For stronger evidence, check \
                 again with --pubkey and a copy of the public key obtained separately, and \
                 confirm the key id {key_id} with the organisation.\n"
            )),
            KeySource::None => {}
        }
        let problems = self.modified.len() + self.missing.len();
        out.push_str(&format!(
            "Files: {} checked: {} unchanged, {} modified, {} missing; {} unexpected (present \
             but not listed).\n",
            self.checked,
            self.checked.saturating_sub(problems),
            self.modified.len(),
            self.missing.len(),
            self.unexpected.len(),
        ));
        for (label, list) in [
            ("modified:  ", &self.modified),
            ("missing:   ", &self.missing),
            ("unexpected:", &self.unexpected),
        ] {
            for path in list {
                out.push_str(&format!("  {label} {path}\n"));
            }
        }
        for id in &self.policies_without_pages {
            out.push_str(&format!(
                "  no page:    `{id}` is in the manifest, but its page is not\n"
            ));
        }
        for note in &self.notes {
            out.push_str(&format!("Note: {note}\n"));
        }
        out.push_str(&self.verdict());
        out.push('\n');
        out
    }

    fn verdict(&self) -> String {
        let file_problems = self.file_problems();
        let differs = if file_problems == 0 {
            String::new()
        } else {
            format!(
                " The copy differs from its manifest: {} listed above.",
                count(file_problems, "file", "files")
            )
        };
        match &self.signature {
            SignatureStatus::Valid { .. } if file_problems == 0 => match self.key {
                KeySource::FoundInCopy { .. } => "Result: INTACT, checked with the key found \
                     inside the copy (see above): the signature is valid and every file matches \
                     the signed manifest."
                    .to_owned(),
                _ => "Result: INTACT: the signature is valid and every file matches the signed \
                      manifest."
                    .to_owned(),
            },
            SignatureStatus::Valid { .. } => format!(
                "Result: NOT INTACT: the manifest is validly signed, but {} (listed above).",
                if file_problems == 1 {
                    "1 file does not match it".to_owned()
                } else {
                    format!("{file_problems} files do not match it")
                }
            ),
            SignatureStatus::Invalid(_) => format!(
                "Result: NOT INTACT: the signature is not valid (see above), so the manifest's \
                 list of files cannot be trusted.{differs}"
            ),
            SignatureStatus::Missing => format!(
                "Result: NOT VERIFIED: the manifest is not signed, so nothing shows who made it \
                 or that it was not replaced.{}",
                if file_problems == 0 {
                    " Every file matches it.".to_owned()
                } else {
                    differs
                }
            ),
            SignatureStatus::NoPublicKey => format!(
                "Result: NOT VERIFIED: the signature could not be checked without a public \
                 key; give one with --pubkey.{}",
                if file_problems == 0 {
                    " Every file matches the manifest.".to_owned()
                } else {
                    differs
                }
            ),
        }
    }
}

#[derive(serde::Serialize)]
struct JsonReport<'a> {
    target: &'a str,
    kind: &'static str,
    intact: bool,
    signature: JsonSignature<'a>,
    public_key: JsonKey<'a>,
    release: JsonRelease<'a>,
    checked: usize,
    modified: &'a [String],
    missing: &'a [String],
    unexpected: &'a [String],
    policies_without_pages: &'a [String],
    notes: &'a [String],
}

#[derive(serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum JsonSignature<'a> {
    Valid {
        key_id: &'a str,
        trusted_comment: &'a str,
    },
    Missing,
    Invalid {
        reason: &'a str,
    },
    NoPublicKey,
}

#[derive(serde::Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
enum JsonKey<'a> {
    Given { origin: &'a str, key_id: &'a str },
    FoundInCopy { path: &'a str, key_id: &'a str },
    None,
}

#[derive(serde::Serialize)]
struct JsonRelease<'a> {
    format: &'a str,
    policybook_version: &'a str,
    organisation: &'a str,
    build_date: &'a str,
    policies: &'a [manifest::PolicyEntry],
}

impl<'a> From<&'a VerifyReport> for JsonReport<'a> {
    fn from(report: &'a VerifyReport) -> Self {
        let m = &report.manifest;
        JsonReport {
            target: &report.target,
            kind: match report.kind {
                TargetKind::Folder => "folder",
                TargetKind::Zip => "zip",
            },
            intact: report.is_intact(),
            signature: match &report.signature {
                SignatureStatus::Valid {
                    key_id,
                    trusted_comment,
                } => JsonSignature::Valid {
                    key_id,
                    trusted_comment,
                },
                SignatureStatus::Missing => JsonSignature::Missing,
                SignatureStatus::Invalid(reason) => JsonSignature::Invalid { reason },
                SignatureStatus::NoPublicKey => JsonSignature::NoPublicKey,
            },
            public_key: match &report.key {
                KeySource::Given { origin, key_id } => JsonKey::Given { origin, key_id },
                KeySource::FoundInCopy { path, key_id } => JsonKey::FoundInCopy { path, key_id },
                KeySource::None => JsonKey::None,
            },
            release: JsonRelease {
                format: &m.format,
                policybook_version: &m.policybook_version,
                organisation: &m.organisation,
                build_date: &m.build_date,
                policies: &m.policies,
            },
            checked: report.checked,
            modified: &report.modified,
            missing: &report.missing,
            unexpected: &report.unexpected,
            policies_without_pages: &report.policies_without_pages,
            notes: &report.notes,
        }
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What was found at a path in the copy.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Found {
    File { sha256: String, size: u64 },
    NotRegular,
}

/// The files at the top of a copy that the checks need.
struct TopFiles {
    manifest: Vec<u8>,
    signature: Option<Vec<u8>>,
    /// (relative path, text) of the first public key found at [`PUBLIC_KEY_LOCATIONS`].
    tree_key: Option<(String, Vec<u8>)>,
}

/// Checks a build folder, a copy of the site, or a SCORM zip (or a `manifest.json` file, meaning
/// its folder) against its manifest. `public_key` is the key given with `--pubkey`; without one,
/// the key is looked for at [`PUBLIC_KEY_LOCATIONS`] inside the copy, and the report says so.
///
/// Errors only when the check cannot be made at all (no manifest, unreadable files, not a zip,
/// a manifest that is not a policybook manifest); every finding is in the report.
pub fn verify_path(path: &Path, public_key: Option<&PublicKeyHandle>) -> Result<VerifyReport> {
    let metadata = std::fs::metadata(path).at_path(path)?;
    if !metadata.is_dir() && !metadata.is_file() {
        // A FIFO or device would block the read forever, or never end.
        return Err(Error::Usage(format!(
            "`{}` is neither a folder nor a file: give a build folder, a copy of its site, a \
             manifest.json or a SCORM zip",
            path.display()
        )));
    }
    if metadata.is_dir() {
        verify_folder(path, path, public_key)
    } else if path.file_name().is_some_and(|n| n == MANIFEST_FILE) {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        verify_folder(dir, path, public_key)
    } else {
        verify_zip(path, public_key)
    }
}

fn verify_folder(
    dir: &Path,
    target: &Path,
    public_key: Option<&PublicKeyHandle>,
) -> Result<VerifyReport> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let manifest = match read_regular(&manifest_path)? {
        Some(bytes) => bytes,
        None => {
            return Err(Error::Usage(format!(
                "`{}` has no {MANIFEST_FILE} at its top: give the folder of a policybook build \
                 (or a copy of its site, or a package)",
                dir.display()
            )));
        }
    };
    let signature = read_regular(&dir.join(SIGNATURE_FILE))?;
    let mut tree_key = None;
    for location in PUBLIC_KEY_LOCATIONS {
        if let Some(bytes) = read_regular(&dir.join(location))? {
            tree_key = Some((location.to_owned(), bytes));
            break;
        }
    }
    let top = TopFiles {
        manifest,
        signature,
        tree_key,
    };
    let mut report = check_top(target, TargetKind::Folder, top, public_key)?;

    let results: Vec<(usize, Option<Found>)> = report
        .manifest
        .files
        .par_iter()
        .enumerate()
        .map(|(i, entry)| Ok((i, inspect_file(&dir.join(&entry.path), entry.size)?)))
        .collect::<Result<_>>()?;
    for (i, found) in results {
        let entry = &report.manifest.files[i];
        let ok = match found {
            None => {
                report.missing.push(entry.path.clone());
                continue;
            }
            Some(Found::File { sha256, size }) => sha256 == entry.sha256 && size == entry.size,
            Some(Found::NotRegular) => false,
        };
        if !ok {
            report.modified.push(entry.path.clone());
        }
    }

    let listed: BTreeSet<&str> = report
        .manifest
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    let mut unexpected = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| manifest::walk_error(dir, e))?;
        if entry.depth() == 0 || entry.file_type().is_dir() {
            continue;
        }
        let relative = display_relative(dir, entry.path());
        if entry.depth() == 1 && (is_manifest_file(&relative) || is_build_index(&relative)) {
            continue;
        }
        if !listed.contains(relative.as_str()) {
            unexpected.push(relative);
        }
    }
    report.unexpected = unexpected;
    report.policies_without_pages = policies_without_pages(&report.manifest, &listed);
    finish(report)
}

fn verify_zip(path: &Path, public_key: Option<&PublicKeyHandle>) -> Result<VerifyReport> {
    let bytes = std::fs::read(path).at_path(path)?;
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).map_err(|e| {
            Error::Usage(format!(
                "`{}` is neither a folder nor a readable zip file ({e})",
                path.display()
            ))
        })?;
    if let Err(why) = super::zip_layout::check_strict_layout(&bytes) {
        return Err(Error::Usage(format!(
            "`{}` is not laid out as policybook writes packages: {why}. Programs that unpack it \
             may see different files, so it cannot be verified and should not be trusted",
            path.display()
        )));
    }
    if archive.has_duplicate_names() {
        return Err(ambiguous_zip(path));
    }
    let mut present: BTreeMap<String, Found> = BTreeMap::new();
    let mut manifest = None;
    let mut signature = None;
    let mut tree_key = None;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| zip_error(path, e))?;
        if entry.is_dir() {
            continue;
        }
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let entry_error = |e| Error::io(format!("{}:{name}", path.display()), e);
        if entry.is_symlink() {
            if present.insert(name, Found::NotRegular).is_some() {
                return Err(ambiguous_zip(path));
            }
            continue;
        }
        if name == MANIFEST_FILE || name == SIGNATURE_FILE {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).map_err(entry_error)?;
            let slot = if name == MANIFEST_FILE {
                &mut manifest
            } else {
                &mut signature
            };
            if slot.replace(bytes).is_some() {
                return Err(ambiguous_zip(path));
            }
            continue;
        }
        let found = if name == PUBLIC_KEY_FILE {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).map_err(entry_error)?;
            let found = Found::File {
                sha256: crate::digest::sha256_hex(&bytes),
                size: bytes.len() as u64,
            };
            tree_key.get_or_insert((PUBLIC_KEY_FILE.to_owned(), bytes));
            found
        } else {
            let (sha256, size) = hash_reader(&mut entry).map_err(entry_error)?;
            Found::File { sha256, size }
        };
        if present.insert(name, found).is_some() {
            return Err(ambiguous_zip(path));
        }
    }
    let Some(manifest) = manifest else {
        return Err(Error::Usage(format!(
            "`{}` has no {MANIFEST_FILE} at its root: it is not a package made by a signed \
             policybook build",
            path.display()
        )));
    };
    let top = TopFiles {
        manifest,
        signature,
        tree_key,
    };
    let mut report = check_top(path, TargetKind::Zip, top, public_key)?;
    for entry in &report.manifest.files {
        match present.get(&entry.path) {
            None => report.missing.push(entry.path.clone()),
            Some(Found::File { sha256, size })
                if *sha256 == entry.sha256 && *size == entry.size => {}
            Some(_) => report.modified.push(entry.path.clone()),
        }
    }
    let listed: BTreeSet<&str> = report
        .manifest
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    report.unexpected = present
        .keys()
        .filter(|name| !listed.contains(name.as_str()))
        .cloned()
        .collect();
    finish(report)
}

/// Checks the signature over the exact manifest bytes, then parses them.
fn check_top(
    target: &Path,
    kind: TargetKind,
    top: TopFiles,
    public_key: Option<&PublicKeyHandle>,
) -> Result<VerifyReport> {
    let mut notes = Vec::new();
    let tree_key = match &top.tree_key {
        Some((path, bytes)) => {
            let text = String::from_utf8_lossy(bytes);
            match keys::parse_public_key(&text, path) {
                Ok(key) => Some((path.clone(), key)),
                Err(e) => {
                    notes.push(format!("{e}; it was not used."));
                    None
                }
            }
        }
        None => None,
    };
    let (key, source) = match (public_key, &tree_key) {
        (Some(given), found) => {
            if let Some((path, found)) = found
                && found.key_id() != given.key_id()
            {
                notes.push(format!(
                    "the copy's {path} is key {}, not the key given ({}); the given key was used.",
                    found.key_id(),
                    given.key_id()
                ));
            }
            (
                Some(given),
                KeySource::Given {
                    origin: given.origin().to_owned(),
                    key_id: given.key_id().to_owned(),
                },
            )
        }
        (None, Some((path, found))) => (
            Some(found),
            KeySource::FoundInCopy {
                path: path.clone(),
                key_id: found.key_id().to_owned(),
            },
        ),
        (None, None) => (None, KeySource::None),
    };
    let signature = match (&top.signature, key) {
        (None, _) => SignatureStatus::Missing,
        (Some(_), None) => SignatureStatus::NoPublicKey,
        (Some(signature), Some(key)) => match std::str::from_utf8(signature) {
            Err(_) => SignatureStatus::Invalid(format!("{SIGNATURE_FILE} is not text")),
            Ok(text) => match sign::verify(key, &top.manifest, text) {
                Ok(verified) => SignatureStatus::Valid {
                    key_id: verified.key_id,
                    trusted_comment: verified.trusted_comment,
                },
                Err(e) => SignatureStatus::Invalid(e.to_string()),
            },
        },
    };
    let text = std::str::from_utf8(&top.manifest).map_err(|_| {
        Error::Usage(format!(
            "`{}`: {MANIFEST_FILE} is not UTF-8 text{}",
            target.display(),
            signature_remark(&signature)
        ))
    })?;
    let manifest = ReleaseManifest::from_json(text).map_err(|e| {
        Error::Usage(format!(
            "`{}`: {e}{}",
            target.display(),
            signature_remark(&signature)
        ))
    })?;
    Ok(VerifyReport {
        target: target.display().to_string(),
        kind,
        signature,
        key: source,
        checked: manifest.files.len(),
        manifest,
        modified: Vec::new(),
        missing: Vec::new(),
        unexpected: Vec::new(),
        policies_without_pages: Vec::new(),
        notes,
    })
}

fn signature_remark(signature: &SignatureStatus) -> String {
    match signature {
        SignatureStatus::Invalid(reason) => format!(" (and its signature is invalid: {reason})"),
        _ => String::new(),
    }
}

/// Policies whose page the manifest of a folder does not list: `site/policies/<id>/index.html`
/// in a build, `policies/<id>/index.html` in a copy of the site; and archived versions whose
/// page it does not list.
fn policies_without_pages(manifest: &ReleaseManifest, listed: &BTreeSet<&str>) -> Vec<String> {
    let prefix = if listed.iter().any(|p| p.starts_with("site/")) {
        "site/"
    } else {
        ""
    };
    let lacks = |page: String| !listed.contains(format!("{prefix}{page}").as_str());
    let current = manifest
        .policies
        .iter()
        .filter(|p| lacks(crate::site::policy_url(&p.id)))
        .map(|p| p.id.clone());
    // An archived version has its own page, unless it is the text the policy page shows.
    let archived = manifest
        .archived
        .iter()
        .filter(|a| {
            !manifest
                .policies
                .iter()
                .any(|p| p.id == a.id && p.version == a.version && p.digest == a.digest)
        })
        .filter(|a| lacks(crate::site::history::archived_url(&a.id, &a.version)))
        .map(|a| format!("{} version {}", a.id, a.version));
    current.chain(archived).collect()
}

fn finish(mut report: VerifyReport) -> Result<VerifyReport> {
    report.modified.sort();
    report.missing.sort();
    report.unexpected.sort();
    Ok(report)
}

/// What is at a listed path, without following a final symbolic link: `None` when nothing is.
/// A regular file whose size differs from `expected_size` is not hashed.
fn inspect_file(path: &Path, expected_size: u64) -> Result<Option<Found>> {
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    if !metadata.is_file() {
        return Ok(Some(Found::NotRegular));
    }
    if metadata.len() != expected_size {
        return Ok(Some(Found::File {
            sha256: String::new(),
            size: metadata.len(),
        }));
    }
    let file = File::open(path).at_path(path)?;
    let (sha256, size) = hash_reader(file).at_path(path)?;
    Ok(Some(Found::File { sha256, size }))
}

/// The bytes of a regular file, `None` when absent (a symbolic link or folder counts as absent).
fn read_regular(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => std::fs::read(path).map(Some).at_path(path),
        Ok(_) => Ok(None),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(Error::io(path, e)),
    }
}

/// `/`-separated path relative to `dir`, lossily decoded for reporting.
fn display_relative(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn ambiguous_zip(path: &Path) -> Error {
    Error::Usage(format!(
        "`{}` holds two entries with the same name, so programs that unpack it may use either \
         one; it cannot be verified and should not be trusted",
        path.display()
    ))
}

fn zip_error(path: &Path, e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => Error::io(path, io),
        other => Error::Usage(format!(
            "`{}`: cannot read the zip: {other}",
            path.display()
        )),
    }
}

#[cfg(test)]
mod tests;
