//! Load stage: `content/**/*.md` → [`Policy`] values, with every per-file problem as a diagnostic.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::agreement::{self, Agreement, AudienceRef};
use crate::date::{DATE_HELP, Date, INTERVAL_HELP, Interval};
use crate::digest;
use crate::error::{Diagnostic, Error, IoContext, Result, Unloaded};
use crate::markdown::{self, Document};
use crate::source::{FileStamp, SplitError, split_front_matter};

pub const CONTENT_DIR: &str = "content";
pub const DEFAULT_CATEGORY: &str = "General";

/// One version of one policy, as loaded from its source file. Cheap to clone: the data is
/// shared, and copied only when a clone is changed (`serve` keeps the policies it parsed
/// between builds, and hands them to every build).
#[derive(Clone)]
pub struct Policy(std::sync::Arc<PolicyData>);

impl std::ops::Deref for Policy {
    type Target = PolicyData;

    fn deref(&self) -> &PolicyData {
        &self.0
    }
}

impl std::ops::DerefMut for Policy {
    fn deref_mut(&mut self) -> &mut PolicyData {
        std::sync::Arc::make_mut(&mut self.0)
    }
}

impl Policy {
    /// Whether another owner (`serve`'s parse cache, its previous build) shares this policy:
    /// then changing it copies it.
    pub fn is_shared(&self) -> bool {
        std::sync::Arc::strong_count(&self.0) > 1
    }
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<PolicyData> for Policy {
    fn from(data: PolicyData) -> Policy {
        Policy(std::sync::Arc::new(data))
    }
}

/// What a [`Policy`] holds; its fields are read through the policy.
#[derive(Clone, Debug)]
pub struct PolicyData {
    pub id: String,
    /// Path for messages: the project root joined with `content/...`.
    pub path: PathBuf,
    /// Path relative to the project root with `/` separators, e.g. `content/e-safety.md`.
    pub source_path: String,
    pub title: String,
    /// The version people acknowledge; [`UNVERSIONED`] when the front matter gives none.
    pub version: String,
    /// No `version:` in the front matter: built as a draft (never released) with a warning.
    pub unversioned: bool,
    /// Line of `version:` in the file (1 when it cannot be found), for messages about it.
    pub version_line: usize,
    pub owner: Option<String>,
    pub approved_by: Option<String>,
    /// The approver's position, from `approved_by: { name: …, position: … }`.
    pub approver_position: Option<String>,
    pub approved: Option<Date>,
    pub effective: Option<Date>,
    /// The last review, which may have changed nothing, and who made it.
    pub last_reviewed: Option<Date>,
    pub reviewed_by: Option<String>,
    /// `review_due`, or `review_interval` counted from the later of `approved` and
    /// `last_reviewed`.
    pub review_due: Option<Date>,
    /// Where the policy is published (free text: "Staff shared drive", "Moodle", …).
    pub published_in: Vec<String>,
    /// The audiences it applies to (`audience:`); empty: everyone.
    pub audience: Vec<AudienceRef>,
    /// The agreements of `agreement:` as written (empty: the default agreement, see
    /// [`Policy::agreements`]).
    pub agreements: Vec<Agreement>,
    /// Every audience named in `agreement:`, with its position, for validation.
    pub agreement_audiences: Vec<AudienceRef>,
    /// How long an acknowledgement of the current version lasts (`reacknowledge: 12 months`).
    pub reacknowledge: Option<Interval>,
    pub category: String,
    pub summary: Option<String>,
    pub associated: Vec<Associated>,
    pub revisions: Vec<Revision>,
    /// RACI letters per role, from `raci:` in the front matter, in role-id order.
    pub raci: Vec<Raci>,
    /// SHA-256 of the normalised source, lower-case hex (see [`crate::digest`]).
    pub digest: String,
    pub body: Document,
    /// The pictures the body shows, checked when the project loads (see [`crate::pictures`]).
    pub pictures: Vec<crate::pictures::Picture>,
    /// The Markdown of the body, kept only while something needs it (the redline between
    /// released versions); `None` otherwise, to save memory on large projects.
    pub body_markdown: Option<String>,
    /// Line of `id:` in the front matter, when given (for duplicate-id messages).
    pub id_line: Option<usize>,
    /// The front matter's lines including both `---` lines, kept so later stages can point
    /// diagnostics at a line without reading the file again.
    pub front_matter: String,
    /// SHA-256 of `front_matter`, lower-case hex: what the pages of other policies can show of
    /// this one, which every build's global fingerprint covers (see [`crate::reuse`]). Computed
    /// once, when the file is parsed.
    pub front_matter_digest: String,
}

impl PolicyData {
    pub fn short_digest(&self) -> &str {
        &self.digest[..digest::SHORT_LEN]
    }
}

/// The version of a policy whose front matter gives none.
pub const UNVERSIONED: &str = "draft";

/// An entry of `associated`: the id of a policy in `content/`, or the title of one kept elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Associated {
    pub text: String,
    pub line: usize,
    pub column: usize,
}

/// `raci: { esafety-lead: R, managing-director: A }`: one entry per role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raci {
    pub role: String,
    /// One or more of R, A, C, I (checked against the register in validation).
    pub letters: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    pub version: String,
    pub date: Option<Date>,
    pub author: Option<String>,
    pub approved_by: Option<String>,
    pub summary: Option<String>,
}

/// Front matter exactly as written; `Spanned` values keep their line for later messages.
/// Unknown fields are found by [`unknown_fields`], so that all of them are reported at once
/// and the policy still loads.
#[derive(Deserialize)]
struct RawFrontMatter {
    id: Option<Spanned<String>>,
    title: Option<String>,
    version: Option<String>,
    owner: Option<String>,
    approved_by: Option<agreement::Approver>,
    approved: Option<Spanned<String>>,
    effective: Option<Spanned<String>>,
    review_due: Option<Spanned<String>>,
    review_interval: Option<Spanned<String>>,
    category: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    associated: Vec<Spanned<String>>,
    #[serde(default)]
    revisions: Vec<RawRevision>,
    #[serde(default)]
    raci: std::collections::BTreeMap<String, Spanned<String>>,
    last_reviewed: Option<Spanned<String>>,
    reviewed_by: Option<String>,
    #[serde(default)]
    published_in: Vec<String>,
    audience: Option<Spanned<agreement::Names>>,
    reacknowledge: Option<Spanned<String>>,
    #[serde(default)]
    agreement: Vec<Spanned<agreement::RawAgreement>>,
}

#[derive(Deserialize)]
struct RawRevision {
    version: String,
    date: Option<Spanned<String>>,
    author: Option<String>,
    approved_by: Option<String>,
    summary: Option<String>,
}

/// The keys of each revision, as written: just enough to find keys that no field reads.
#[derive(Deserialize)]
struct RawRevisionKeys {
    #[serde(default)]
    revisions: Vec<std::collections::BTreeMap<String, serde::de::IgnoredAny>>,
}

/// Every key of the front matter (top level and in `revisions`) that is not a field, each with
/// its line and column in `yaml`, in the order written.
fn unknown_fields(yaml: &str) -> Vec<(String, &'static [&'static str], usize, usize)> {
    let mut found = Vec::new();
    let top_fields = struct_fields::<RawFrontMatter>();
    type Keys = std::collections::BTreeMap<String, serde::de::IgnoredAny>;
    if let Ok(keys) = serde_saphyr::from_str::<Keys>(yaml) {
        for key in keys.keys().filter(|k| !top_fields.contains(&k.as_str())) {
            if let Some(line) = find_key_line(yaml, key) {
                found.push((key.clone(), top_fields, line, 1));
            }
        }
    }
    let revision_fields = struct_fields::<RawRevision>();
    if let Ok(raw) = serde_saphyr::from_str::<RawRevisionKeys>(yaml) {
        let unknown: std::collections::BTreeSet<&String> = raw
            .revisions
            .iter()
            .flat_map(|r| r.keys())
            .filter(|k| !revision_fields.contains(&k.as_str()))
            .collect();
        for (line, column, key) in revision_keys(yaml) {
            if unknown.contains(&key.to_owned()) {
                found.push((key.to_owned(), revision_fields, line, column));
            }
        }
    }
    found.sort_by_key(|(_, _, line, column)| (*line, *column));
    found
}

/// Whether a line-by-line look at the front matter finds a key that is not a field (or YAML too
/// unusual to tell): only then is it parsed again for [`unknown_fields`], which tripled the cost
/// of reading front matter when it ran for every policy.
fn might_have_unknown_fields(yaml: &str) -> bool {
    let top_fields = struct_fields::<RawFrontMatter>();
    let top_level_unknown = yaml.lines().any(|line| {
        if line.trim().is_empty() || line.starts_with([' ', '\t', '-', '#']) {
            return false;
        }
        match line.split_once(':') {
            Some((key, _)) => {
                let key = key.trim().trim_matches(['"', '\'']);
                !top_fields.contains(&key)
            }
            None => true,
        }
    });
    let revision_fields = struct_fields::<RawRevision>();
    top_level_unknown
        || revision_keys(yaml)
            .iter()
            .any(|(_, _, key)| !revision_fields.contains(key))
}

/// The keys written in the `revisions:` block: (line, column, key).
fn revision_keys(yaml: &str) -> Vec<(usize, usize, &str)> {
    let Some(start) = find_key_line(yaml, "revisions") else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    for (i, line) in yaml.lines().enumerate().skip(start) {
        if !line.starts_with([' ', '-', '\t']) && !line.trim().is_empty() {
            break; // The next top-level field.
        }
        let rest = line.trim_start_matches([' ', '\t', '-']);
        let column = line[..line.len() - rest.len()].chars().count() + 1;
        if let Some((key, _)) = rest.split_once(':') {
            let key = key.trim().trim_matches(['"', '\'']);
            if !key.is_empty() && !key.contains(' ') {
                keys.push((i + 1, column, key));
            }
        }
    }
    keys
}

/// The field names a serde struct reads, straight from its derived `Deserialize`, so the list
/// in messages can never fall behind the struct.
fn struct_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    use serde::de::{Error as _, Visitor, value::Error};
    struct Probe<'a>(&'a mut &'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for Probe<'_> {
        type Error = Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Error> {
            Err(Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Error> {
            *self.0 = fields;
            Err(Error::custom("fields probed"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

fn unclosed_html_error(open: &markdown::UnclosedHtml, text: &str, display: &Path) -> Diagnostic {
    let closer = if open.closer == "-->" {
        open.closer.to_owned()
    } else {
        format!("{}>", open.closer)
    };
    Diagnostic::error(
        display,
        format!(
            "`{}` is never closed, so it would hide the rest of the page (the acknowledgement \
             form and, in SCORM packages, the script that records completion)",
            open.opener
        ),
    )
    .at(text, open.line, open.column)
    .help(format!(
        "close it with `{closer}`, or write `&lt;` instead of `<` to show the characters as text"
    ))
}

/// Finds every policy source under `root/content`, sorted by path so builds are deterministic.
pub fn policy_files(root: &Path) -> Result<Vec<PathBuf>> {
    let files = source_files(root, CONTENT_DIR)?;
    Ok(files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect())
}

/// Every regular file under `dir` (which may be missing), sorted by path. Files and folders
/// whose names start with `.` or `_` are skipped, and so are symbolic links: policybook never
/// reads outside the project. Shared by the loaders of policies and quizzes.
pub fn source_files(root: &Path, folder: &str) -> Result<Vec<PathBuf>> {
    let display = crate::display_root(root).join(folder);
    if !crate::source::input_dir(root, Path::new(folder), &display)? {
        return Ok(Vec::new());
    }
    let dir = root.join(folder);
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&dir).to_path_buf();
            Error::io(path, e.into())
        })?;
        // A symbolic link's own type is never "file".
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') || n.starts_with('_'))
}

/// Every policy file that loaded, every diagnostic, and the files that did not load.
pub struct Loaded {
    pub policies: Vec<Policy>,
    pub diagnostics: Vec<Diagnostic>,
    pub unloaded: Vec<Unloaded>,
}

/// Policies as earlier loads parsed them, for `serve`, which loads the project on every save: a
/// file whose [`FileStamp`] is unchanged is not read and parsed again (at 10,000 policies that
/// was most of a one-policy edit's second), and a folder of `content/` whose stamp is unchanged
/// is not listed again (see [`Listings`]). Clones share one cache.
#[derive(Clone, Debug, Default)]
pub struct ParsedPolicies(std::sync::Arc<std::sync::Mutex<ParsedFiles>>, Listings);

type ParsedFiles = std::collections::HashMap<PathBuf, (FileStamp, Policy, Vec<Diagnostic>)>;

/// The folders of `content/` as last read, each with the stamp it had: a folder's time changes
/// whenever an entry is added, removed or renamed in it, so while its stamp is unchanged its
/// entries are too, and it is not read again (reading and sorting 10,000 names took 15 ms of a
/// save).
#[derive(Clone, Debug, Default)]
struct Listings(std::sync::Arc<std::sync::Mutex<std::collections::HashMap<PathBuf, Listing>>>);

/// A folder's entries, sorted by name: files, and folders to descend into.
type Listing = (FileStamp, Vec<(std::ffi::OsString, bool)>);

impl Listings {
    /// The policy files under `root/content`, in the order [`policy_files`] gives them.
    fn policy_files(&self, root: &Path) -> Result<Vec<PathBuf>> {
        let display = crate::display_root(root).join(CONTENT_DIR);
        if !crate::source::input_dir(root, Path::new(CONTENT_DIR), &display)? {
            return Ok(Vec::new());
        }
        let mut files = Vec::new();
        let mut listings = crate::lock(&self.0);
        walk_listed(&root.join(CONTENT_DIR), &mut listings, &mut files)?;
        Ok(files)
    }
}

/// Depth first, each folder's entries by name, as [`source_files`] walks: the files of `dir`
/// and below whose names are not hidden, never following a symbolic link.
fn walk_listed(
    dir: &Path,
    listings: &mut std::collections::HashMap<PathBuf, Listing>,
    files: &mut Vec<PathBuf>,
) -> Result<()> {
    let meta = std::fs::symlink_metadata(dir).at_path(dir)?;
    let stamp = FileStamp::of(&meta);
    let entries = match listings.get(dir) {
        Some((kept, entries)) if *kept == stamp => entries.clone(),
        _ => {
            let entries = read_sorted(dir)?;
            // Not a folder changed so recently that a later change could keep its stamp.
            if FileStamp::settled_folder(&meta) {
                listings.insert(dir.to_path_buf(), (stamp, entries.clone()));
            }
            entries
        }
    };
    for (name, is_dir) in entries {
        let path = dir.join(name);
        if is_dir {
            walk_listed(&path, listings, files)?;
        } else if path.extension().is_some_and(|x| x == "md") {
            files.push(path);
        }
    }
    Ok(())
}

/// The entries of `dir` that are not hidden, sorted by name: regular files and folders (a
/// symbolic link is neither).
fn read_sorted(dir: &Path) -> Result<Vec<(std::ffi::OsString, bool)>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).at_path(dir)? {
        let entry = entry.at_path(dir)?;
        let kind = entry.file_type().at_path(entry.path())?;
        let name = entry.file_name();
        if !is_hidden(&name) && (kind.is_dir() || kind.is_file()) {
            entries.push((name, kind.is_dir()));
        }
    }
    entries.sort();
    Ok(entries)
}

impl ParsedPolicies {
    fn get(&self, path: &Path, meta: &std::fs::Metadata) -> Option<(Policy, Vec<Diagnostic>)> {
        let files = crate::lock(&self.0);
        match files.get(path) {
            Some((stamp, policy, diags)) if *stamp == FileStamp::of(meta) => {
                Some((policy.clone(), diags.clone()))
            }
            _ => None,
        }
    }

    /// Keeps what was parsed from `path`, whose metadata was `meta` before it was read; not
    /// when it changed so recently that a later edit could keep its stamp.
    fn keep(&self, path: &Path, meta: &std::fs::Metadata, policy: &Policy, diags: &[Diagnostic]) {
        if FileStamp::settled(meta) {
            let mut files = crate::lock(&self.0);
            let kept = (FileStamp::of(meta), policy.clone(), diags.to_vec());
            files.insert(path.to_path_buf(), kept);
        }
    }

    /// Forgets the files that are gone.
    fn retain(&self, present: &[PathBuf]) {
        let present: std::collections::HashSet<&PathBuf> = present.iter().collect();
        let mut files = crate::lock(&self.0);
        files.retain(|path, _| present.contains(path));
    }
}

/// Loads every policy in parallel.
/// `keep_markdown`: whether to keep each body's Markdown (see [`Policy::body_markdown`]).
/// `parsed`: the policies earlier loads parsed, reused where their file did not change.
pub fn load_policies(
    root: &Path,
    display_root: &Path,
    keep_markdown: bool,
    parsed: Option<&ParsedPolicies>,
) -> Result<Loaded> {
    let files = match parsed {
        Some(parsed) => parsed.1.policy_files(root)?,
        None => policy_files(root)?,
    };
    type One = (Result<Policy, Unloaded>, Vec<Diagnostic>);
    let loaded: Vec<One> = files
        .par_iter()
        .map(|path| {
            let relative = path.strip_prefix(root).unwrap_or(path);
            let display = display_root.join(relative);
            let ((policy, mut diags), unkept) = match parsed {
                Some(parsed) => {
                    parse_unless_unchanged(path, relative, &display, parsed, keep_markdown)?
                }
                None => (parse(path, relative, &display)?, None),
            };
            let policy = match policy {
                Ok(mut policy) => {
                    let (pictures, found) = crate::pictures::check(root, &display, &policy);
                    // Each changed only when it differs: a change copies a policy that the
                    // parse cache shares.
                    if policy.pictures != pictures {
                        policy.pictures = pictures;
                    }
                    if !keep_markdown && policy.body_markdown.is_some() {
                        policy.body_markdown = None;
                    }
                    if let (Some(parsed), Some(meta)) = (parsed, unkept) {
                        parsed.keep(path, &meta, &policy, &diags);
                    }
                    diags.extend(found);
                    Ok(policy)
                }
                Err(id) => Err(Unloaded { id, file: display }),
            };
            Ok((policy, diags))
        })
        .collect::<Result<_>>()?;
    if let Some(parsed) = parsed {
        parsed.retain(&files);
    }
    let mut out = Loaded {
        policies: Vec::with_capacity(loaded.len()),
        diagnostics: Vec::new(),
        unloaded: Vec::new(),
    };
    for (policy, diags) in loaded {
        match policy {
            Ok(policy) => out.policies.push(policy),
            Err(unloaded) => out.unloaded.push(unloaded),
        }
        out.diagnostics.extend(diags);
    }
    Ok(out)
}

/// One policy file parsed: the policy, or when it did not load the id other files would use
/// for it ([`likely_id`]); and its diagnostics.
type Parsed = (std::result::Result<Policy, String>, Vec<Diagnostic>);

/// Reads and parses one policy file.
fn parse(path: &Path, relative: &Path, display: &Path) -> Result<Parsed> {
    let bytes = std::fs::read(path).at_path(path)?;
    let (policy, diags) = load_policy(&bytes, relative, display);
    Ok((policy.ok_or_else(|| likely_id(&bytes, relative)), diags))
}

/// [`parse`], unless `parsed` has the file as it is now (with its Markdown, when
/// `keep_markdown`). A file parsed again comes with the metadata it had before it was read, for
/// [`ParsedPolicies::keep`] once the policy is complete.
fn parse_unless_unchanged(
    path: &Path,
    relative: &Path,
    display: &Path,
    parsed: &ParsedPolicies,
    keep_markdown: bool,
) -> Result<(Parsed, Option<std::fs::Metadata>)> {
    // Taken before reading: an edit made meanwhile changes the stamp the next load sees.
    let meta = std::fs::symlink_metadata(path).at_path(path)?;
    if let Some((policy, diags)) = parsed.get(path, &meta)
        && (!keep_markdown || policy.body_markdown.is_some())
    {
        return Ok(((Ok(policy), diags), None));
    }
    Ok((parse(path, relative, display)?, Some(meta)))
}

/// The id other files would use for a policy that did not load: its `id:` line if it has one,
/// else its file name.
pub(crate) fn likely_id(bytes: &[u8], relative: &Path) -> String {
    let text = String::from_utf8_lossy(bytes);
    let from_front_matter = text
        .lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.strip_prefix("id:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_owned());
    from_front_matter.unwrap_or_else(|| {
        relative
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    })
}

/// Parses one source file. `relative` is its path under the project root; `display` is how
/// messages name it.
pub fn load_policy(
    bytes: &[u8],
    relative: &Path,
    display: &Path,
) -> (Option<Policy>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let text = match crate::source::decode_text(bytes, display) {
        Ok(text) => text,
        Err(diag) => return (None, vec![diag]),
    };
    let digest = digest::sha256_hex(text.as_bytes());

    let split = match split_front_matter(&text) {
        Ok(split) => split,
        Err(SplitError::NoOpening) => {
            let diag = Diagnostic::error(display, "missing front matter")
                .at(&text, 1, 1)
                .help("start the file with a line `---`, the fields (`title: ...`, `version: ...`), then another `---` line");
            return (None, vec![diag]);
        }
        Err(SplitError::NoClosing) => {
            let diag = Diagnostic::error(display, "front matter is not closed")
                .at(&text, 1, 1)
                .help("end the front matter with a line containing only `---`");
            return (None, vec![diag]);
        }
    };

    let raw: RawFrontMatter = match parse_yaml(split.yaml) {
        Ok(raw) => raw,
        Err((message, line, col)) => {
            let line = line + split.yaml_line - 1;
            let help = yaml_help(&message);
            let diag = Diagnostic::error(display, message)
                .at(&text, line, col)
                .help(help);
            return (None, vec![diag]);
        }
    };

    // Every unknown field is reported, and the policy still loads: the errors stop the build,
    // and the policy's id, roles and quizzes still take part in the checks that need them.
    let unknown = if might_have_unknown_fields(split.yaml) {
        unknown_fields(split.yaml)
    } else {
        Vec::new()
    };
    for (key, fields, line, column) in &unknown {
        let message = format!(
            "unknown field `{key}`, expected one of: {}",
            fields.join(", ")
        );
        diags.push(
            Diagnostic::error(display, message)
                .at(&text, line + split.yaml_line - 1, *column)
                .help(yaml_help("unknown field")),
        );
    }

    let stem = relative
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    let mut at = |line: usize, col: usize, diag: Diagnostic| diags.push(diag.at(&text, line, col));
    let key_line = |key: &str| find_key_line(split.yaml, key).map(|l| l + split.yaml_line - 1);

    let (id, id_line) = match &raw.id {
        Some(s) => (
            s.value.trim().to_owned(),
            Some(spanned_pos(s, split.yaml_line).0),
        ),
        None => (stem.clone(), None),
    };
    let stem_is_text = relative.file_stem().is_some_and(|s| s.to_str().is_some());
    if raw.id.is_none() && !stem_is_text {
        let shown = relative.file_stem().unwrap_or_default().to_string_lossy();
        at(
            1,
            1,
            Diagnostic::error(
                display,
                format!("the file name `{shown}` is not valid UTF-8, so it cannot be a policy id"),
            )
            .help("rename the file with lower-case letters, digits and `-`, e.g. `e-safety.md`"),
        );
    } else if !is_valid_id(&id) {
        let (line, help) = match id_line {
            Some(line) => (
                line,
                "use lower-case letters, digits and `-`, e.g. `id: e-safety`".to_owned(),
            ),
            None => (
                1,
                format!(
                    "rename the file, or set an id in the front matter, e.g. `id: {}`",
                    suggest_id(&stem)
                ),
            ),
        };
        at(
            line,
            1,
            Diagnostic::error(display, format!("`{id}` is not a valid policy id")).help(help),
        );
    }

    let title = non_empty(raw.title);
    if title.is_none() {
        let line = key_line("title").unwrap_or(1);
        at(
            line,
            1,
            Diagnostic::error(display, "missing `title`")
                .help("add a line `title: <the policy's title>` to the front matter"),
        );
    }
    let version = non_empty(raw.version);
    let unversioned = version.is_none();
    if unversioned {
        // A policy never released may be built without a version, as a draft; the ledger
        // check makes it an error for a policy with released versions.
        let line = key_line("version").unwrap_or(1);
        at(
            line,
            1,
            Diagnostic::warning(
                display,
                "no `version`: built as an unversioned draft, which cannot be released",
            )
            .help("add a line such as `version: \"1.0\"` to the front matter"),
        );
    }
    let version = version.unwrap_or_else(|| UNVERSIONED.to_owned());

    let yaml_line = split.yaml_line;
    let mut date = |field: &Option<Spanned<String>>, name: &str| -> Option<Date> {
        let s = field.as_ref()?;
        match Date::parse_policy(&s.value) {
            Ok(d) => Some(d),
            Err(e) => {
                let (line, col) = spanned_pos(s, yaml_line);
                at(
                    line,
                    col,
                    Diagnostic::error(display, format!("bad date in `{name}`: {e}"))
                        .help(DATE_HELP),
                );
                None
            }
        }
    };
    let approved = date(&raw.approved, "approved");
    let effective = date(&raw.effective, "effective");
    let explicit_review = date(&raw.review_due, "review_due");
    let last_reviewed = date(&raw.last_reviewed, "last_reviewed");
    let revisions: Vec<Revision> = raw
        .revisions
        .into_iter()
        .map(|r| Revision {
            date: date(&r.date, "revisions: date"),
            version: r.version,
            author: non_empty(r.author),
            approved_by: non_empty(r.approved_by),
            summary: non_empty(r.summary),
        })
        .collect();

    let review_due = match (&raw.review_due, &raw.review_interval) {
        (Some(_), Some(interval)) => {
            let (line, col) = spanned_pos(interval, yaml_line);
            at(
                line,
                col,
                Diagnostic::error(display, "both `review_due` and `review_interval` are set")
                    .help("keep one: a fixed date, or an interval counted from `approved`"),
            );
            explicit_review
        }
        (Some(_), None) => explicit_review,
        (None, Some(interval)) => {
            let (line, col) = spanned_pos(interval, yaml_line);
            match (Interval::parse(&interval.value), approved) {
                (Err(e), _) => {
                    at(line, col, Diagnostic::error(display, e).help(INTERVAL_HELP));
                    None
                }
                (Ok(i), None) if raw.approved.is_none() && last_reviewed.is_some() => {
                    last_reviewed.and_then(|r| r.plus(i))
                }
                (Ok(_), None) if raw.approved.is_none() && raw.last_reviewed.is_none() => {
                    at(
                        line,
                        col,
                        Diagnostic::error(
                            display,
                            "`review_interval` is counted from `approved`, which is missing",
                        )
                        .help("add `approved: YYYY-MM-DD`, or give `review_due` instead"),
                    );
                    None
                }
                // A review that changed nothing restarts the interval too.
                (Ok(i), Some(approved)) => {
                    last_reviewed.map_or(approved, |r| r.max(approved)).plus(i)
                }
                (Ok(_), None) => None, // `approved` is malformed: already reported.
            }
        }
        (None, None) => None,
    };

    if let (Some(review), Some(approved)) = (review_due, approved)
        && review < approved
    {
        let field = raw.review_due.as_ref().or(raw.review_interval.as_ref());
        let (line, col) = field.map_or((1, 1), |s| spanned_pos(s, yaml_line));
        at(
            line,
            col,
            Diagnostic::error(
                display,
                format!("review date {review} is before the approval date {approved}"),
            )
            .help("a policy is reviewed after it is approved: check both dates"),
        );
    }
    if let (Some(effective), Some(approved)) = (effective, approved)
        && effective < approved
    {
        let (line, col) = raw
            .effective
            .as_ref()
            .map_or((1, 1), |s| spanned_pos(s, yaml_line));
        at(
            line,
            col,
            Diagnostic::warning(
                display,
                format!("effective date {effective} is before the approval date {approved}"),
            )
            .help("a policy normally takes effect on or after its approval"),
        );
    }
    // With an unknown field (often a misspelt `review_due`) the warning would only add noise.
    if review_due.is_none()
        && raw.review_due.is_none()
        && raw.review_interval.is_none()
        && unknown.is_empty()
    {
        at(1, 1, Diagnostic::warning(display, "no review date").help("add `review_due: YYYY-MM-DD` or `review_interval: 12 months` so the index can show when the policy is due for review"));
    }
    if !unversioned && !revisions.is_empty() && !revisions.iter().any(|r| r.version == version) {
        let v = &version;
        let line = key_line("revisions").unwrap_or(1);
        at(
            line,
            1,
            Diagnostic::warning(display, format!("version {v} has no entry in `revisions`"))
                .help("add a revision entry describing what changed in this version"),
        );
    }

    let associated = raw
        .associated
        .iter()
        .map(|s| {
            let (line, column) = spanned_pos(s, yaml_line);
            Associated {
                text: s.value.trim().to_owned(),
                line,
                column,
            }
        })
        .filter(|a| !a.text.is_empty())
        .collect();

    let raci = raw
        .raci
        .into_iter()
        .map(|(role, letters)| {
            let (line, column) = spanned_pos(&letters, yaml_line);
            Raci {
                role: role.trim().to_owned(),
                letters: letters.value.trim().to_ascii_uppercase(),
                line,
                column,
            }
        })
        .collect();

    let reacknowledge = raw.reacknowledge.as_ref().and_then(|s| {
        let (line, col) = spanned_pos(s, yaml_line);
        match Interval::parse(&s.value) {
            Ok(i) => Some(i),
            Err(e) => {
                let message = e.replace("review interval", "re-acknowledgement interval");
                at(
                    line,
                    col,
                    Diagnostic::error(display, message).help(INTERVAL_HELP),
                );
                None
            }
        }
    });
    let audience = agreement::audience_refs(raw.audience.as_ref(), yaml_line);
    let agreement_audiences = raw
        .agreement
        .iter()
        .flat_map(|a| a.value.audience_refs(yaml_line))
        .collect();
    let (approved_by, approver_position) = match raw.approved_by {
        Some(a) => (non_empty(a.name), non_empty(a.position)),
        None => (None, None),
    };

    let Some(title) = title else {
        return (None, diags);
    };
    let (agreements, found) =
        agreement::agreements(&raw.agreement, &title, &version, yaml_line, display);
    for (line, col, diag) in found {
        at(line, col, diag);
    }
    let body = markdown::render(split.body, split.body_line);
    if let Some(open) = &body.unclosed_html {
        // The policy stays loaded, so cross-checks raise no false follow-on errors.
        diags.push(unclosed_html_error(open, &text, display));
    }
    let front_matter = &text[..text.len() - split.body.len()];
    let policy = PolicyData {
        id,
        path: display.to_path_buf(),
        source_path: relative.to_string_lossy().replace('\\', "/"),
        title,
        version,
        unversioned,
        version_line: key_line("version").unwrap_or(1),
        owner: non_empty(raw.owner),
        approved_by,
        approver_position,
        approved,
        effective,
        last_reviewed,
        reviewed_by: non_empty(raw.reviewed_by),
        review_due,
        published_in: raw
            .published_in
            .into_iter()
            .filter_map(|p| non_empty(Some(p)))
            .collect(),
        audience,
        agreements,
        agreement_audiences,
        reacknowledge,
        category: non_empty(raw.category).unwrap_or_else(|| DEFAULT_CATEGORY.to_owned()),
        summary: non_empty(raw.summary),
        associated,
        revisions,
        raci,
        digest,
        body,
        pictures: Vec::new(),
        body_markdown: Some(split.body.to_owned()),
        id_line,
        front_matter_digest: digest::sha256_hex(front_matter.as_bytes()),
        front_matter: front_matter.to_owned(),
    };
    (Some(policy.into()), diags)
}

/// Parses YAML front matter; on failure returns the bare message and its 1-based line and column
/// within the YAML.
fn parse_yaml(yaml: &str) -> std::result::Result<RawFrontMatter, (String, usize, usize)> {
    if yaml.trim().is_empty() {
        return Ok(serde_saphyr::from_str("{}").expect("an empty mapping is valid front matter"));
    }
    serde_saphyr::from_str(yaml).map_err(|e| {
        let (line, col) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        (
            bare_yaml_message(&e.without_snippet().to_string()),
            line,
            col,
        )
    })
}

/// serde-saphyr adds the YAML-relative position to its messages (`error: line N column M: ...`,
/// `... at line N, column M`); the file position is shown separately, so keep only the message.
fn bare_yaml_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = match first.find(": ") {
        Some(i) if first.starts_with("line ") => &first[i + 2..],
        _ => first,
    };
    let first = match first.rfind(" at line ") {
        Some(i) if first[i..].contains(", column ") => &first[..i],
        _ => first,
    };
    // "duplicate mapping key: title, set DuplicateKeyPolicy in Options if acceptable": the
    // library's advice is for programmers, not policy owners.
    let first = match first.find(", set DuplicateKeyPolicy") {
        Some(i) => first[..i].replace("duplicate mapping key: ", "`") + "` is given twice",
        None => first.to_owned(),
    };
    let first = first
        .trim()
        .replace("expected one of ", "expected one of: ");
    // Parser vocabulary → words a policy owner uses.
    match first.as_str() {
        "expected string scalar" => "expected text here".to_owned(),
        "expected sequence start" => "expected a list here".to_owned(),
        "expected mapping start" => "expected `field: value` lines".to_owned(),
        _ => first,
    }
}

fn yaml_help(message: &str) -> String {
    let help = if message.contains("is given twice") {
        "keep one of the two lines: each field may appear once"
    } else if message.contains("unknown field") {
        "check the spelling of the field name"
    } else if message.contains("mapping values are not allowed") {
        "fields start at the beginning of a line, and a value containing `: ` must be quoted, e.g. `summary: \"Scope: all staff\"`"
    } else if message.contains("field: value") {
        "front matter is a list of `field: value` lines"
    } else if message.contains("expected text") {
        "this field takes text; put it in quotes if it starts with [ { * & ! | > % @ or a quote"
    } else if message.contains("expected a list") {
        "this field takes a list: one `- item` per line below it"
    } else {
        "check the YAML syntax of the front matter at this line"
    };
    help.to_owned()
}

/// Line and column in the file of a YAML value that starts on yaml line `l`, column `c`.
fn spanned_pos<T>(s: &Spanned<T>, yaml_line: usize) -> (usize, usize) {
    (
        s.referenced.line() as usize + yaml_line - 1,
        s.referenced.column() as usize,
    )
}

fn find_key_line(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Ids become file names and URL parts: lower-case ASCII letters, digits, `-` and `_`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn suggest_id(stem: &str) -> String {
    let slug: String = markdown::slugify(stem)
        .chars()
        .filter(|c| c.is_ascii())
        .collect();
    if slug.is_empty() || slug == "section" {
        "my-policy".to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(src: &str) -> (Option<Policy>, Vec<String>) {
        let (p, d) = load_policy(
            src.as_bytes(),
            Path::new("content/p.md"),
            Path::new("content/p.md"),
        );
        (p, d.iter().map(ToString::to_string).collect())
    }

    /// Sets a file's modification time an hour back, as a file saved long ago has.
    fn age(path: &Path) {
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(hour_ago).unwrap();
    }

    fn titles(root: &Path, parsed: &ParsedPolicies) -> Vec<String> {
        let loaded = load_policies(root, root, false, Some(parsed)).unwrap();
        loaded
            .policies
            .into_iter()
            .map(|p| p.title.clone())
            .collect()
    }

    fn cached(parsed: &ParsedPolicies) -> Vec<String> {
        let files = parsed.0.lock().unwrap();
        let mut names: Vec<String> = (files.keys())
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Sets a folder's time an hour back, so its listing counts as settled.
    fn age_folder(dir: &Path) {
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::open(dir)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }

    #[test]
    fn kept_listings_give_the_files_a_fresh_walk_gives() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "a.md",
            "sub/b.md",
            "sub/deeper/c.md",
            "sub-x/d.md",
            ".hidden.md",
            "_draft.md",
            "notes.txt",
            "sub/.git/e.md",
        ] {
            let path = root.join(CONTENT_DIR).join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        std::os::unix::fs::symlink("a.md", root.join("content/link.md")).unwrap();
        let folders = [
            "content",
            "content/sub",
            "content/sub/deeper",
            "content/sub-x",
        ];
        for folder in folders {
            age_folder(&root.join(folder));
        }
        let listings = Listings::default();
        let walked = policy_files(root).unwrap();
        assert_eq!(listings.policy_files(root).unwrap(), walked);
        assert_eq!(listings.0.lock().unwrap().len(), folders.len(), "all kept");
        // From the kept listings, the same again.
        assert_eq!(listings.policy_files(root).unwrap(), walked);
        // A file added to a kept folder, one removed from another: both folders' times moved.
        std::fs::write(root.join("content/sub/deeper/new.md"), "x").unwrap();
        std::fs::remove_file(root.join("content/a.md")).unwrap();
        let walked = policy_files(root).unwrap();
        assert!(walked.iter().any(|p| p.ends_with("deeper/new.md")));
        assert_eq!(listings.policy_files(root).unwrap(), walked);
    }

    #[test]
    fn a_parsed_policy_is_reused_only_while_its_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join(CONTENT_DIR);
        std::fs::create_dir_all(&content).unwrap();
        let policy = |title: &str| format!("---\ntitle: {title}\nversion: 1.0\n---\n## A\n");
        let a = content.join("a.md");
        std::fs::write(&a, policy("First")).unwrap();
        age(&a);
        let parsed = ParsedPolicies::default();
        assert_eq!(titles(dir.path(), &parsed), ["First"]);
        assert_eq!(cached(&parsed), ["a.md"]);
        assert_eq!(titles(dir.path(), &parsed), ["First"]);

        // Edited to the same size with its modification time set back: its change time gives
        // it away. A file saved just now is read but not kept: a later edit could keep its times.
        std::fs::write(&a, policy("Other")).unwrap();
        age(&a);
        std::fs::write(content.join("b.md"), policy("Second")).unwrap();
        assert_eq!(titles(dir.path(), &parsed), ["Other", "Second"]);
        assert_eq!(cached(&parsed), ["a.md"]);

        std::fs::remove_file(&a).unwrap();
        assert_eq!(titles(dir.path(), &parsed), ["Second"]);
        assert!(cached(&parsed).is_empty());
    }

    #[test]
    fn loads_a_complete_policy() {
        let (p, d) = load(
            "---\ntitle: T\nversion: 1.10\napproved: 2026-01-31\nreview_interval: 1 month\nassociated:\n  - other\n---\n## A\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let p = p.unwrap();
        assert_eq!((p.id.as_str(), p.version.as_str()), ("p", "1.10"));
        assert_eq!(p.review_due.unwrap().to_string(), "2026-02-28");
        assert_eq!(
            p.associated,
            [Associated {
                text: "other".into(),
                line: 7,
                column: 5
            }]
        );
        assert_eq!(p.body.headings[0].line, 9);
        assert_eq!(p.category, DEFAULT_CATEGORY);
    }

    #[test]
    fn loads_audiences_agreements_and_document_control() {
        let (p, d) = load(concat!(
            "---\ntitle: IT Use\nversion: \"2.0\"\n",
            "approved_by:\n  name: Sam Patel\n  position: Director\n",
            "approved: 2022-05\nlast_reviewed: 2023-06-12\nreviewed_by: Quality Manager\n",
            "review_interval: 12 months\npublished_in:\n  - Staff shared drive\n  - Moodle\n",
            "audience: [staff, learners]\nreacknowledge: 12 months\n",
            "agreement:\n",
            "  - audience: staff\n    statement: I agree to the {title}, version {version}.\n",
            "    fields:\n      - label: Laptop assigned (serial no.)\n        required: true\n",
            "      - id: issued\n        label: Date issued\n        type: date\n",
            "  - audience:\n      - learners\n    statement: I will stay safe online.\n",
            "---\n## A\n",
        ));
        assert!(d.is_empty(), "{d:?}");
        let p = p.unwrap();
        assert_eq!(p.approved_by.as_deref(), Some("Sam Patel"));
        assert_eq!(p.approver_position.as_deref(), Some("Director"));
        assert_eq!(p.approved.unwrap().long(), "May 2022");
        // Counted from the later review, not from the approval.
        assert_eq!(p.review_due.unwrap().to_string(), "2024-06-12");
        assert_eq!(p.published_in, ["Staff shared drive", "Moodle"]);
        assert_eq!(p.audience_ids(), ["staff", "learners"]);
        assert_eq!(p.audience[1].line, 14);
        assert!(p.reacknowledge.is_some());
        assert_eq!(p.agreements.len(), 2);
        let staff = p.agreement_for(Some("staff"));
        assert_eq!(staff.statement, "I agree to the IT Use, version 2.0.");
        assert_eq!(staff.fields[0].id, "laptop-assigned-serial-no");
        assert!(staff.fields[0].required);
        assert_eq!(staff.fields[1].kind, crate::agreement::FieldKind::Date);
        assert_eq!(
            p.agreement_for(Some("learners")).statement,
            "I will stay safe online."
        );
        assert_eq!(
            p.agreement_audiences
                .iter()
                .map(|a| (a.id.as_str(), a.line))
                .collect::<Vec<_>>(),
            [("staff", 17), ("learners", 26)]
        );
    }

    #[test]
    fn a_policy_without_version_is_an_unversioned_draft() {
        let (p, d) = load("---\ntitle: T\nreview_due: 2027-01\n---\n");
        assert_eq!(
            d,
            [
                "content/p.md:1:1: warning: no `version`: built as an unversioned draft, which cannot be released (help: add a line such as `version: \"1.0\"` to the front matter)"
            ]
        );
        let p = p.unwrap();
        assert!(p.unversioned);
        assert_eq!(p.review_due.unwrap().long(), "January 2027");
        assert_eq!(
            p.agreements()[0].statement,
            "I have read and understood the T (a draft without a version number)."
        );
    }

    #[test]
    fn dates_in_words_get_the_iso_form_to_write() {
        let (_, d) = load("---\ntitle: T\nversion: '1'\nreview_due: July 2023\n---\n");
        assert_eq!(
            d,
            [
                "content/p.md:4:13: error: bad date in `review_due`: `July 2023` is written in words; write `2023-07` (dates are YYYY-MM-DD, or YYYY-MM for a month) (help: write dates as YYYY-MM-DD, for example 2026-03-12)"
            ]
        );
        let (_, d) = load(concat!(
            "---\ntitle: T\nversion: '1'\nreview_due: 2027-01-01\n",
            "reacknowledge: yearly\nagreement:\n  - fields:\n      - label: X\n        type: number\n---\n"
        ));
        assert_eq!(
            d,
            [
                "content/p.md:5:16: error: `yearly` is not a re-acknowledgement interval (help: write a number and a unit: `12 months`, `1 year`, `26 weeks` or `90 days`)",
                "content/p.md:9:15: error: `number` is not a field type (help: use `type: text`, `type: date` or `type: checkbox`)",
            ]
        );
    }

    #[test]
    fn reports_problems_with_lines() {
        let (_, d) = load(
            "---\ntitle: T\nversion: '1'\napproved: 2026-02-30\nreview_due: 2025-01-01\n---\n",
        );
        assert_eq!(
            d,
            [
                "content/p.md:4:11: error: bad date in `approved`: `2026-02-30` is not a real calendar date (help: write dates as YYYY-MM-DD, for example 2026-03-12)"
            ]
        );
        let (_, d) = load(
            "---\ntitle: T\nversion: '1'\napproved: 2026-02-01\nreview_due: 2025-01-01\n---\n",
        );
        assert!(d[0].starts_with("content/p.md:5:13: error: review date 2025-01-01 is before the approval date 2026-02-01"), "{d:?}");
        // Every unknown field at once, and the policy still loads.
        let (p, d) = load(
            "---\ntitle: T\nversion: '1'\nownr: X\nreview_due: 2027-01-01\nrevisions:\n  - version: '1'\n    autor: Y\n  - versoin: '0'\n    version: '0'\ncolour: red\n---\n",
        );
        let found: Vec<&str> = d
            .iter()
            .map(|l| &l[..l.find(", expected").unwrap_or(l.len())])
            .collect();
        assert_eq!(
            found,
            [
                "content/p.md:4:1: error: unknown field `ownr`",
                "content/p.md:8:5: error: unknown field `autor`",
                "content/p.md:9:5: error: unknown field `versoin`",
                "content/p.md:11:1: error: unknown field `colour`",
            ]
        );
        assert!(d[1].contains("expected one of: version, date, author, approved_by, summary"));
        assert_eq!(p.unwrap().revisions.len(), 2);
        let (_, d) = load("---\ntitle: T\nverison: '1'\n---\n");
        assert!(
            d[0].starts_with(
                "content/p.md:3:1: error: unknown field `verison`, expected one of: id, title"
            ),
            "{d:?}"
        );
    }

    #[test]
    fn only_front_matter_that_may_hold_unknown_fields_is_parsed_again() {
        let usual = "title: T\nversion: '1'\napproved_by:\n  name: A\n  position: B\n\
                     summary: >-\n  Two: lines\nrevisions:\n  - version: '1'\n    summary: S\n";
        assert!(!might_have_unknown_fields(usual));
        assert!(unknown_fields(usual).is_empty());
        for odd in [
            "title: T\nownr: X\n",
            "title: T\nrevisions:\n  - versoin: '1'\n",
            "{title: T, colour: red}\n",
            "? title\n: T\n",
        ] {
            assert!(might_have_unknown_fields(odd), "{odd}");
        }
    }
}
