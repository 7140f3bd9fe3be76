//! `policybook import`: Word (`.docx`) and OpenDocument (`.odt`) policies to policybook
//! Markdown. One reader per format ([`docx`], [`odt`]) produces a [`document::Document`];
//! [`shape`] finds the title, document control, revision history, numbered headings and role
//! sections in it; [`write`] writes the policy. Nothing is written with `dry_run`, and an
//! existing policy is never overwritten without `force`.

mod document;
mod docx;
mod odt;
mod package;
pub mod report;
mod shape;
mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, IoContext as _, Result};
use crate::roles::RoleRegister;

pub use shape::{Field, Mapped};

/// What the owner asked for.
pub struct ImportOptions {
    /// Where the policies go (default: the project's `content/`).
    pub out: Option<PathBuf>,
    pub dry_run: bool,
    pub force: bool,
}

/// What happened to each document.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
    /// Roles that `content/roles.toml` did not have, added there for the owner to confirm.
    pub new_roles: Vec<(String, String)>,
    pub roles_file: PathBuf,
    pub dry_run: bool,
}

#[derive(Debug, Default)]
pub struct FileReport {
    pub source: PathBuf,
    /// The policy written (or that would be), as messages show it.
    pub policy: PathBuf,
    pub id: String,
    pub title: Option<Mapped>,
    pub mapped: Vec<Mapped>,
    pub revisions: usize,
    /// Role id, the heading's title, and whether the role is new.
    pub roles: Vec<(String, String, bool)>,
    pub images: Vec<PathBuf>,
    pub typed_headings: usize,
    pub dropped: Vec<String>,
    pub unconverted: Vec<String>,
    pub unread: Vec<String>,
    /// What `policybook check` says of the imported policy.
    pub check: Vec<Diagnostic>,
    pub markdown: String,
}

/// A document to import, with what it became before anything is written.
struct Planned {
    report: FileReport,
    target: PathBuf,
    images: Files,
}

/// The documents among `inputs`: files as given, folders searched (sorted) for `.docx` and
/// `.odt`, leaving out Word's `~$` lock files.
pub fn documents(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).at_path(input)?;
        if meta.is_dir() {
            for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::io(input, e.into()))?;
                let name = entry.file_name().to_string_lossy();
                if entry.file_type().is_file()
                    && format_of(entry.path()).is_some()
                    && !name.starts_with("~$")
                {
                    found.push(entry.path().to_path_buf());
                }
            }
        } else {
            found.push(input.clone());
        }
    }
    Ok(found)
}

#[derive(Clone, Copy)]
enum Format {
    Docx,
    Odt,
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "docx" | "docm" => Some(Format::Docx),
        "odt" => Some(Format::Odt),
        _ => None,
    }
}

/// Imports every document: all are read and checked before anything is written, so a
/// document that cannot be read leaves no policy half-imported.
pub fn import(root: &Path, inputs: &[PathBuf], options: &ImportOptions) -> Result<ImportReport> {
    let display_root = crate::display_root(root);
    let (mut register, _) = RoleRegister::load(root, &display_root)?;
    let mut report = ImportReport {
        roles_file: display_root.join(crate::roles::ROLES_FILE),
        dry_run: options.dry_run,
        ..ImportReport::default()
    };
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| display_root.join(crate::content::CONTENT_DIR));
    let mut errors = Vec::new();
    let mut planned: Vec<Planned> = Vec::new();
    for source in documents(inputs)? {
        let planning = Planning {
            root,
            out: &out,
            force: options.force,
        };
        match plan(
            &planning,
            &source,
            &mut register,
            &mut report.new_roles,
            &planned,
        ) {
            Ok(plan) => planned.push(plan),
            Err(diag) => errors.push(diag),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if !options.dry_run {
        // The roles first: a policy written without them would not pass `check`.
        append_roles(root, &report.new_roles)?;
        for plan in &planned {
            write_policy(plan, options.force)?;
        }
    }
    report.files = planned.into_iter().map(|p| p.report).collect();
    if !options.dry_run {
        check_in_project(root, &mut report.files);
    }
    Ok(report)
}

struct Planning<'a> {
    root: &'a Path,
    out: &'a Path,
    force: bool,
}

/// Reads and shapes one document, and decides where it and its pictures go. Its error is the
/// one problem that stops it, reported with every other document's.
#[allow(clippy::result_large_err)]
fn plan(
    planning: &Planning,
    source: &Path,
    register: &mut RoleRegister,
    new_roles: &mut Vec<(String, String)>,
    planned: &[Planned],
) -> std::result::Result<Planned, Diagnostic> {
    let fail = |message: String| Diagnostic::error(source, format!("cannot import it: {message}"));
    let Some(format) = format_of(source) else {
        return Err(fail("policybook imports Word (.docx) and OpenDocument (.odt) files".into())
            .help("save it from your word processor as .docx or .odt (File > Save As), then import that"));
    };
    let bytes = std::fs::read(source).map_err(|e| fail(e.to_string()))?;
    let mut package = package::Package::open(bytes).map_err(&fail)?;
    let mut document = match format {
        Format::Docx => docx::read(&mut package),
        Format::Odt => odt::read(&mut package),
    }
    .map_err(&fail)?;
    let mut notes = std::mem::take(&mut document.notes);
    shape::normalise_notes(&mut notes);
    let images_in = std::mem::take(&mut document.images);
    let stem = source
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let shaped = shape::shape(document, &stem);
    let title = shaped
        .title
        .as_ref()
        .map_or(stem.clone(), |t| t.value.clone());
    let id = crate::new::id_from_title(&title);
    let target = planning.out.join(format!("{id}.md"));
    let taken = planned.iter().any(|p| p.report.id == id);
    if taken {
        return Err(fail(format!(
            "another document in this import is also `{id}` (\"{title}\"); import them one at a time and rename one"
        )));
    }
    if !planning.force {
        if target.exists() {
            return Err(Diagnostic::error(source, format!("{} already exists", target.display()))
                .help("policybook import never overwrites a policy: add --force to replace it, or move the old one first"));
        }
        if let Some(existing) = crate::new::policy_with_id(planning.root, &id) {
            return Err(Diagnostic::error(
                source,
                format!("{} already has the id `{id}`", existing.display()),
            )
            .help("add --force to import it anyway, or rename the document's title"));
        }
    }
    let (images_in, other_formats): (Vec<_>, Vec<_>) = images_in
        .into_iter()
        .partition(|(part, _)| is_publishable(part));
    let mut unconverted = shaped.unconverted.clone();
    unconverted.extend(other_formats.iter().map(|(part, _)| {
        format!(
            "a picture in a format the site cannot show ({part}): save it as PNG and add it with ![description](…)"
        )
    }));
    let (images, links) = place_images(&id, planning.out, images_in);
    if !planning.force
        && let Some((path, _)) = images.iter().find(|(path, _)| path.exists())
    {
        return Err(Diagnostic::error(source, format!("{} already exists", path.display()))
            .help("policybook import never overwrites a file: add --force to replace it, or move it first"));
    }
    let (role_ids, roles) = assign_roles(&shaped, register, new_roles);
    let markdown = write::policy_markdown(
        &shaped,
        &write::Links {
            images: &links,
            roles: &role_ids,
            notes: &notes,
            source_name: &source
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
        },
    );
    let relative = PathBuf::from(crate::content::CONTENT_DIR).join(format!("{id}.md"));
    let (_, check) = crate::content::load_policy(markdown.as_bytes(), &relative, &target);
    Ok(Planned {
        report: FileReport {
            source: source.to_path_buf(),
            policy: target.clone(),
            id,
            title: shaped.title.clone(),
            mapped: shaped.fields.clone(),
            revisions: shaped.revisions.len(),
            roles,
            images: images.iter().map(|(p, _)| p.clone()).collect(),
            typed_headings: shaped.typed_headings,
            dropped: shaped.dropped.clone(),
            unconverted,
            unread: shaped.unread.clone(),
            check,
            markdown,
        },
        target,
        images,
    })
}

/// Files to write: (path, bytes).
type Files = Vec<(PathBuf, Vec<u8>)>;

/// Whether the site can show a picture of this part's format (see [`crate::pictures`]).
fn is_publishable(part: &str) -> bool {
    Path::new(part)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| crate::pictures::EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Pictures go in a folder named after the policy, next to it: `content/<id>/image1.png`.
/// Returns the files, and each picture's part → the path the policy links it by.
fn place_images(
    id: &str,
    out: &Path,
    images: Vec<(String, Vec<u8>)>,
) -> (Files, HashMap<String, String>) {
    let mut placed = Vec::new();
    let mut links = HashMap::new();
    for (n, (part, bytes)) in images.into_iter().enumerate() {
        let ext = Path::new(&part)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .filter(|e| e.len() <= 5 && e.bytes().all(|b| b.is_ascii_alphanumeric()))
            .unwrap_or_else(|| "bin".to_owned());
        let name = format!("image{}.{ext}", n + 1);
        links.insert(part, format!("{id}/{name}"));
        placed.push((out.join(id).join(name), bytes));
    }
    (placed, links)
}

/// A role a document names: its id, the heading's title, and whether the role is new.
type NamedRole = (String, String, bool);

/// Each role heading gets the id of the role with that title in `content/roles.toml`, or a new
/// role made from the title. Returns heading block → role id, and the roles named.
fn assign_roles(
    shaped: &shape::Shaped,
    register: &mut RoleRegister,
    new_roles: &mut Vec<(String, String)>,
) -> (HashMap<usize, String>, Vec<NamedRole>) {
    let mut ids = HashMap::new();
    let mut roles = Vec::new();
    for (block, title) in &shaped.role_headings {
        let slug = crate::new::id_from_title(title);
        let existing = register
            .roles
            .iter()
            .find(|r| same_title(&r.title, title) || r.id == slug)
            .map(|r| r.id.clone())
            .or_else(|| {
                new_roles
                    .iter()
                    .find(|(id, t)| same_title(t, title) || *id == slug)
                    .map(|(id, _)| id.clone())
            });
        let (id, new) = match existing {
            Some(id) => {
                let new = new_roles.iter().any(|(n, _)| *n == id);
                (id, new)
            }
            None => {
                new_roles.push((slug.clone(), title.clone()));
                (slug, true)
            }
        };
        if !roles.iter().any(|(r, _, _)| *r == id) {
            roles.push((id.clone(), title.clone(), new));
        }
        ids.insert(*block, id);
    }
    (ids, roles)
}

fn same_title(a: &str, b: &str) -> bool {
    let simple = |t: &str| {
        let t = t.trim().to_lowercase();
        t.strip_prefix("the ").map(str::to_owned).unwrap_or(t)
    };
    simple(a) == simple(b)
}

fn write_policy(plan: &Planned, force: bool) -> Result<()> {
    for (path, bytes) in &plan.images {
        write_whole(path, bytes)?;
    }
    let path = &plan.target;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).at_path(parent)?;
    }
    if force {
        write_whole(path, plan.report.markdown.as_bytes())
    } else {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .at_path(path)?;
        file.write_all(plan.report.markdown.as_bytes())
            .at_path(path)
    }
}

/// Adds the new roles to `content/roles.toml` (made if missing), marked for the owner to check.
fn append_roles(root: &Path, roles: &[(String, String)]) -> Result<()> {
    if roles.is_empty() {
        return Ok(());
    }
    let path = root.join(crate::roles::ROLES_FILE);
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for (id, title) in roles {
        text.push_str(&format!(
            "\n# Added by policybook import: check the title and write a description.\n\
             [[role]]\nid = {}\ntitle = {}\ndescription = \"\"\n",
            crate::new::toml_string(id),
            crate::new::toml_string(title)
        ));
    }
    write_whole(&path, text.as_bytes())
}

/// Writes beside `path`, then renames over it: a reader sees the old file or the new one.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).at_path(parent)?;
    }
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes).at_path(&partial)?;
    std::fs::rename(&partial, path).at_path(path)
}

/// Replaces each file's check with what checking the whole project says of it (roles and
/// associated policies included), when the project loads that far.
fn check_in_project(root: &Path, files: &mut [FileReport]) {
    let diagnostics = match crate::load(&crate::LoadOptions {
        root: root.to_path_buf(),
        ..crate::LoadOptions::default()
    }) {
        Ok(project) => project.warnings,
        Err(Error::Invalid(diagnostics)) => diagnostics,
        Err(_) => return,
    };
    for file in files {
        let Ok(policy) = std::fs::canonicalize(&file.policy) else {
            continue;
        };
        file.check = diagnostics
            .iter()
            // Messages name files as seen from here, so they resolve from here too.
            .filter(|d| std::fs::canonicalize(&d.file).is_ok_and(|p| p == policy))
            .cloned()
            .collect();
    }
}
