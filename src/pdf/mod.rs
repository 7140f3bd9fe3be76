//! Render stage for the PDFs: `build/pdf/<id>-<version>.pdf` for every policy and
//! `build/pdf/all-policies.pdf`, the register, typeset by Typst used as a library (see
//! [`world`]). Each PDF is also written to `build/site/pdf/`, so the site's links to them work
//! wherever the site alone is copied or served.
//!
//! The data comes from the loaded project; the body's Markdown is read again from the policy's
//! file (the load keeps only its HTML) and converted by [`markup`]. A policy's PDF is a unit of
//! its own for incremental builds: it changes with the policy's text, the configuration, the
//! role register and the titles of its associated policies, not with the date.

use std::path::Path;

use rayon::prelude::*;

use crate::Project;
use crate::content::Policy;
use crate::error::{Diagnostic, Error, IoContext, Result};
use crate::markdown::DutyKind;
use crate::reuse::{Fingerprints, Reuse, UnitKey};
use crate::review::ReviewStatus;

mod document;
pub mod markup;
mod world;

pub use document::{PolicyDoc, RegisterDoc};

/// Folder of the PDFs, in the output and in the site.
pub const PDF_DIR: &str = "pdf";

/// File name of the register of every policy.
pub const REGISTER_FILE: &str = "all-policies.pdf";

/// `<id>-<version>.pdf`, with anything but letters, digits, `.`, `-` and `_` in the version
/// replaced by `-` (a version is free text).
pub fn file_name(policy: &Policy) -> String {
    let version = crate::ledger::version_chars(&policy.version);
    format!("{}-{version}.pdf", policy.id)
}

/// Two policies whose PDFs would have one file name (`it-1` at version `0` and `it` at version
/// `1-0` both make `it-1-0.pdf`): one would overwrite the other. An error at the second one's
/// `version:` line; none when PDFs are off.
pub fn file_name_clashes(policies: &[Policy], pdf: bool) -> Vec<Diagnostic> {
    if !pdf {
        return Vec::new();
    }
    let mut first: std::collections::HashMap<String, &Policy> = std::collections::HashMap::new();
    let mut clashes = Vec::new();
    for policy in policies {
        let name = file_name(policy);
        match first.get(&name) {
            // The same id twice is reported as a duplicate id.
            Some(other) if other.id != policy.id => clashes.push(
                Diagnostic::error(
                    &policy.path,
                    format!(
                        "the PDF of this policy (id `{}`, version {}) would be {PDF_DIR}/{name},                          which is also the PDF of {} (id `{}`, version {})",
                        policy.id,
                        policy.version,
                        other.path.display(),
                        other.id,
                        other.version
                    ),
                )
                .at(&policy.front_matter, policy.version_line, 1)
                .help(
                    "a PDF is named <id>-<version>.pdf, with anything but letters, digits, `.`,                      `-` and `_` in the version made `-`: change one policy's id or the way its                      version is written",
                ),
            ),
            Some(_) => {}
            None => {
                first.insert(name, policy);
            }
        }
    }
    clashes
}

/// A policy's PDF relative to the site root, when PDFs are built.
pub fn site_url(project: &Project, policy: &Policy) -> Option<String> {
    project
        .config
        .pdf
        .then(|| format!("{PDF_DIR}/{}", file_name(policy)))
}

/// How many policies are typeset between two clearings of Typst's memo cache.
const EVICT_EVERY: usize = 64;

/// What the stage wrote.
#[derive(Debug, Default)]
pub struct PdfReport {
    pub documents: usize,
    /// PDFs that could be tagged but not made PDF/UA-1 (a character no bundled font has).
    pub warnings: Vec<Diagnostic>,
}

/// Typesets every policy's PDF (reusing unchanged ones) and the register into `out/pdf/` and
/// `out/site/pdf/` (the same file, hard-linked where possible). Does nothing when `pdf = false`.
pub fn write_pdfs(
    project: &Project,
    out: &Path,
    (reuse, keys): (&Reuse, &Fingerprints),
) -> Result<PdfReport> {
    if !project.config.pdf {
        return Ok(PdfReport::default());
    }
    let dirs = [
        out.join(PDF_DIR),
        out.join(crate::site::SITE_DIR).join(PDF_DIR),
    ];
    let mut warnings = Vec::new();
    // Typst memoises what it typesets; what one batch of documents made is of little use to
    // the next, so it is dropped between batches to keep memory flat on large projects.
    for batch in project.policies.chunks(EVICT_EVERY) {
        let found = batch
            .par_iter()
            .map(|policy| {
                let unit = keys.pdf(project, policy);
                if reuse.try_reuse_uncounted(&unit).is_some() {
                    return Ok(None);
                }
                let doc = policy_doc(project, policy)?;
                let (bytes, warning) = typeset(
                    document::policy_markup(&doc),
                    &format!("{}@{}", policy.id, policy.version),
                    &policy.path,
                )?;
                write_both(&dirs, &file_name(policy), &bytes, reuse, &unit)?;
                Ok(warning)
            })
            .collect::<Result<Vec<_>>>()?;
        warnings.extend(found.into_iter().flatten());
        typst::comemo::evict(0);
    }
    let unit = keys.pdf_register();
    if reuse.try_reuse_uncounted(&unit).is_none() {
        let (bytes, warning) = typeset(
            document::register_markup(&register_doc(project)),
            "register",
            &project.config.path,
        )?;
        warnings.extend(warning);
        write_both(&dirs, REGISTER_FILE, &bytes, reuse, &unit)?;
    }
    typst::comemo::evict(0);
    Ok(PdfReport {
        documents: project.policies.len() + 1,
        warnings,
    })
}

fn write_both(
    dirs: &[std::path::PathBuf; 2],
    name: &str,
    bytes: &[u8],
    reuse: &Reuse,
    unit: &UnitKey,
) -> Result<()> {
    let first = dirs[0].join(name);
    reuse.write(Some(unit), &first, bytes)?;
    reuse.write_same(Some(unit), &first, &dirs[1].join(name), bytes)
}

/// Typesets as PDF/UA-1; when the text cannot be (a character none of the bundled fonts has),
/// as a tagged PDF with a warning. A Typst error names the file the document comes from.
fn typeset(markup: String, ident: &str, file: &Path) -> Result<(Vec<u8>, Option<Diagnostic>)> {
    let failed = |message: String| {
        Error::Invalid(vec![
            Diagnostic::error(file, format!("could not typeset the PDF: {message}")).help(
                "this is a bug in policybook if the policy builds otherwise; please report it",
            ),
        ])
    };
    // Typst is not expected to panic, but a panic must not take the build down unexplained.
    let attempt = |markup: String, ua: bool| {
        std::panic::catch_unwind(|| world::typeset(markup, ident, ua))
            .unwrap_or_else(|_| Err("Typst stopped unexpectedly".to_owned()))
    };
    match attempt(markup.clone(), true) {
        Ok(bytes) => Ok((bytes, None)),
        Err(ua_error) => {
            let bytes = attempt(markup, false).map_err(failed)?;
            let warning = Diagnostic::warning(
                file,
                format!("the PDF is tagged but not PDF/UA-1: {ua_error}"),
            )
            .help("a character that the bundled fonts lack is usually the cause");
            Ok((bytes, Some(warning)))
        }
    }
}

/// Everything a policy's PDF shows.
fn policy_doc(project: &Project, p: &Policy) -> Result<PolicyDoc> {
    let path = project.root.join(&p.source_path);
    let source = std::fs::read_to_string(&path).at_path(&path)?;
    let body = match crate::source::split_front_matter(&source) {
        Ok(split) => {
            let events = crate::markdown::prepared_events(split.body, split.body_line);
            markup::body(&events, 2)
        }
        Err(_) => String::new(),
    };
    let long = |d: Option<crate::date::Date>| d.map(|d| d.long());
    let approved_by = match (&p.approved_by, &p.approver_position) {
        (Some(name), Some(position)) => Some(format!("{name} ({position})")),
        (name, _) => name.clone(),
    };
    let mut control: Vec<(&'static str, String)> = vec![
        (
            "Version",
            if p.unversioned {
                "None yet (draft)".to_owned()
            } else {
                p.version.clone()
            },
        ),
        ("Owner", p.owner.clone().unwrap_or_else(|| "Not set".into())),
        (
            "Approved by",
            approved_by.unwrap_or_else(|| "Not recorded".into()),
        ),
        (
            "Approved",
            long(p.approved).unwrap_or_else(|| "Not recorded".into()),
        ),
        (
            "Effective",
            long(p.effective).unwrap_or_else(|| "Not set".into()),
        ),
    ];
    if let Some(reviewed) = p.last_reviewed {
        let by = p
            .reviewed_by
            .as_ref()
            .map(|b| format!(" by {b}"))
            .unwrap_or_default();
        control.push(("Last reviewed", format!("{}{by}", reviewed.long())));
    }
    control.push((
        "Next review",
        long(p.review_due).unwrap_or_else(|| "Not set".into()),
    ));
    control.push(("Category", p.category.clone()));
    let audience = crate::site::agreement::audience_titles(project, &p.audience_ids());
    if !audience.is_empty() {
        control.push(("Applies to", audience));
    }
    if !p.published_in.is_empty() {
        control.push(("Published in", p.published_in.join("; ")));
    }
    Ok(PolicyDoc {
        organisation: project.config.organisation.clone(),
        title: p.title.clone(),
        version: p.version.clone(),
        summary: p.summary.clone(),
        control,
        digest: p.digest.clone(),
        date: p.approved.map(|d| d.ymd()),
        author: p.owner.clone(),
        body,
        roles: role_duties(project, p),
        associated: p
            .associated
            .iter()
            .map(|a| {
                project
                    .policy(&a.text)
                    .map_or_else(|| a.text.clone(), |other| other.title.clone())
            })
            .collect(),
        revisions: p
            .revisions
            .iter()
            .map(|r| {
                let or_blank = |s: &Option<String>| s.clone().unwrap_or_default();
                [
                    r.version.clone(),
                    long(r.date).unwrap_or_default(),
                    or_blank(&r.author),
                    or_blank(&r.approved_by),
                    or_blank(&r.summary),
                ]
            })
            .collect(),
        agreements: crate::site::agreement::agreement_views(project, p)
            .into_iter()
            .map(|a| document::AgreementForm {
                for_label: a.for_label,
                statement: a.statement,
                default: a.default,
                fields: a
                    .fields
                    .into_iter()
                    .map(|f| (f.label, f.kind == "checkbox", f.required))
                    .collect(),
            })
            .collect(),
        return_to: p.owner.clone().unwrap_or_else(|| "policy owner".into()),
    })
}

/// The roles the policy names (in register order), with their RACI letters and duties.
fn role_duties(project: &Project, p: &Policy) -> Vec<document::RoleDuties> {
    project
        .roles
        .roles
        .iter()
        .filter_map(|role| {
            let duties: Vec<String> = p
                .body
                .duties
                .iter()
                .filter(|d| d.roles.contains(&role.id))
                .map(|d| match d.kind {
                    DutyKind::MustNot => format!("Must not: {}", d.text),
                    _ => d.text.clone(),
                })
                .collect();
            let raci = crate::site::roles::raci_of(p, &role.id)
                .map(|letters| crate::site::roles::RaciView::of(letters).words);
            (!duties.is_empty() || raci.is_some()).then(|| document::RoleDuties {
                title: role.title.clone(),
                raci,
                duties,
            })
        })
        .collect()
}

/// The register: every policy by category, as on the site's index.
fn register_doc(project: &Project) -> RegisterDoc {
    let mut categories: std::collections::BTreeMap<&str, Vec<&Policy>> = Default::default();
    for p in &project.policies {
        categories.entry(p.category.as_str()).or_default().push(p);
    }
    let long = |d: Option<crate::date::Date>| d.map_or_else(String::new, |d| d.long());
    RegisterDoc {
        organisation: project.config.organisation.clone(),
        title: project.config.title.clone(),
        as_of: project.today.long(),
        date: project.today.ymd(),
        categories: categories
            .into_iter()
            .map(|(name, mut policies)| {
                policies.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
                let rows = policies
                    .into_iter()
                    .map(|p| {
                        let status = ReviewStatus::of(
                            p.review_due,
                            project.today,
                            project.config.review_warning_days,
                        );
                        let draft = p.unversioned
                            || project.release_state(p) == crate::ledger::ReleaseState::Draft;
                        document::RegisterRow {
                            title: p.title.clone(),
                            version: if draft {
                                format!("{} (draft)", p.version)
                            } else {
                                p.version.clone()
                            },
                            owner: p.owner.clone().unwrap_or_default(),
                            approved: long(p.approved),
                            review_due: long(p.review_due),
                            status: status.label().to_owned(),
                        }
                    })
                    .collect();
                (name.to_owned(), rows)
            })
            .collect(),
    }
}
