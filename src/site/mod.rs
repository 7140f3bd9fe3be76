//! Render stage for the website: `build/site/` with the "All Policies" index and a page per
//! policy. Every link is relative and names a file (never a bare folder), so the same files work
//! from a web server root, a sub-path and `file://`.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

pub(crate) mod agreement;
pub mod history;
pub mod quiz;
pub(crate) mod roles;

use crate::Project;
use crate::content::Policy;
use crate::error::Result;
use crate::markdown::{DutyKind, TocEntry, table_of_contents};
use crate::reuse::{Fingerprints, Reuse, UnitKey};
use crate::review::ReviewStatus;
use crate::theme::{Templates, Theme, template_error};

pub const SITE_DIR: &str = "site";

/// What the site build wrote, for the summary line.
#[derive(Debug, Default)]
pub struct SiteReport {
    pub pages: usize,
    pub assets: usize,
}

/// The statement people acknowledge when the policy has one agreement (or the first of its
/// agreements), the same on the website, on paper and in SCORM.
pub fn ack_statement(policy: &Policy) -> String {
    policy.agreement_for(None).statement
}

/// What the paper form shows: no body, so rendering it costs little.
#[derive(Serialize)]
struct PaperFormView<'a> {
    title: &'a str,
    url: String,
    version: &'a str,
    owner: Option<&'a str>,
    approved_long: Option<String>,
    digest: &'a str,
    statement: String,
    /// One printable form per agreement (staff and learners may confirm different things).
    agreements: Vec<agreement::AgreementView>,
}

fn paper_form_view<'a>(project: &Project, p: &'a Policy) -> PaperFormView<'a> {
    PaperFormView {
        title: &p.title,
        url: policy_url(&p.id),
        version: &p.version,
        owner: p.owner.as_deref(),
        approved_long: p.approved.map(|d| d.long()),
        digest: &p.digest,
        statement: ack_statement(p),
        agreements: agreement::agreement_views(project, p),
    }
}

/// The printable paper acknowledgement form of a policy, relative to the site root.
pub fn paper_form_url(id: &str) -> String {
    format!("policies/{id}/form.html")
}

/// The page of a policy, relative to the site root.
pub fn policy_url(id: &str) -> String {
    format!("policies/{id}/index.html")
}

/// Site-wide values every template gets as `site`.
#[derive(Serialize)]
pub struct SiteView<'a> {
    title: &'a str,
    organisation: &'a str,
    base_url: Option<&'a str>,
    today: String,
    today_long: String,
    generator: String,
    /// Whether the project has a role register (role pages and matrix exist).
    has_roles: bool,
    /// When the build is signed: the key's id and the text of `policybook.pub`.
    public_key: Option<PublicKeyView>,
}

#[derive(Serialize)]
struct PublicKeyView {
    key_id: String,
    file_text: String,
    file: &'static str,
}

/// A policy as listed on the index and in links.
#[derive(Serialize)]
struct PolicySummary<'a> {
    id: &'a str,
    title: &'a str,
    version: &'a str,
    owner: Option<&'a str>,
    category: &'a str,
    category_anchor: String,
    summary: Option<&'a str>,
    review_due: Option<String>,
    review_due_long: Option<String>,
    status: &'static str,
    status_label: &'static str,
    url: String,
    /// Not released yet (the project keeps a release ledger and this version is not in it),
    /// or without a version.
    draft: bool,
}

#[derive(Serialize)]
struct CategoryView<'a> {
    name: &'a str,
    anchor: String,
    policies: Vec<PolicySummary<'a>>,
}

#[derive(Serialize)]
struct PolicyView<'a> {
    #[serde(flatten)]
    summary: PolicySummary<'a>,
    approved_by: Option<&'a str>,
    approved: Option<String>,
    approved_long: Option<String>,
    effective_long: Option<String>,
    digest: &'a str,
    short_digest: &'a str,
    source_path: &'a str,
    toc: Vec<TocEntry>,
    body: &'a str,
    revisions: Vec<RevisionView<'a>>,
    associated: Vec<AssociatedView<'a>>,
    applies_to: Vec<AppliesTo<'a>>,
    quizzes: Vec<quiz::QuizLink<'a>>,
    /// "I have read and understood the <title>, version <version>.", or the first agreement's.
    statement: String,
    /// Every agreement, and the "I am acknowledging as" choices when there are several.
    agreements: Vec<agreement::AgreementView>,
    agreement_choices: Vec<agreement::ChoiceView>,
    /// Approver's position, last review, where published, audiences, re-acknowledgement.
    control: agreement::DocControlView<'a>,
    form_url: String,
    /// The policy's PDF, relative to the site root, when PDFs are built.
    pdf_url: Option<String>,
    /// Released, draft or untracked, against the release ledger.
    release: history::ReleaseView<'a>,
    /// The policy's released versions, newest first.
    history: Vec<history::HistoryEntry<'a>>,
    /// Set on the read-only page of an earlier version.
    archived: Option<history::ArchivedBanner<'a>>,
    /// What changed since each earlier version, for people re-acknowledging.
    changes_since: Vec<history::ChangesSince<'a>>,
}

/// A role the policy names, with its RACI letters and number of duties here.
#[derive(Serialize)]
struct AppliesTo<'a> {
    #[serde(flatten)]
    role: roles::RoleLink<'a>,
    raci: Option<roles::RaciView>,
    duties: usize,
    /// Prohibitions: things the role must not do.
    must_not: usize,
}

#[derive(Serialize)]
struct RevisionView<'a> {
    version: &'a str,
    date_long: Option<String>,
    date: Option<String>,
    author: Option<&'a str>,
    approved_by: Option<&'a str>,
    summary: Option<&'a str>,
}

#[derive(Serialize)]
struct AssociatedView<'a> {
    title: &'a str,
    /// Relative to the site root; absent for policies kept elsewhere.
    url: Option<String>,
}

/// Where the files of one unit of output go: written through [`Reuse`], so the next build
/// knows which unit they belong to.
pub struct UnitWriter<'a> {
    pub reuse: &'a Reuse,
    pub unit: Option<&'a UnitKey>,
}

impl UnitWriter<'_> {
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.reuse.write(self.unit, path, bytes)
    }
}

/// Whether the site's search index is written with it, or made elsewhere (`serve` makes it
/// when a page first asks for it, so a save is not kept waiting for it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    Written,
    Elsewhere,
}

/// Renders the whole site into `out/site/`, reusing the previous build's pages of every policy
/// whose inputs did not change.
pub fn render_site(
    project: &Project,
    theme: &Theme,
    tera: &Templates,
    site: &SiteView,
    out: &Path,
    (reuse, keys): (&Reuse, &Fingerprints),
    search: Search,
) -> Result<SiteReport> {
    let dir = out.join(SITE_DIR);
    // What every build makes again: the pages that list every policy, the assets.
    let every_build = UnitWriter { reuse, unit: None };
    let by_id: BTreeMap<&str, &Policy> = project
        .policies
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();

    let index_unit = keys.index_page();
    if reuse.try_reuse_uncounted(&index_unit).is_none() {
        let index = render_index(project, tera, site)?;
        let writer = UnitWriter {
            reuse,
            unit: Some(&index_unit),
        };
        writer.write(&dir.join("index.html"), &index)?;
    }

    let policy_pages = project
        .policies
        .par_iter()
        .map(|policy| {
            let unit = keys.policy(&policy.id);
            if let Some(unit) = unit
                && let Some(files) = reuse.try_reuse(unit)
            {
                return Ok(files);
            }
            let writer = UnitWriter { reuse, unit };
            render_policy_pages(project, policy, &by_id, tera, site, &dir, &writer)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;

    let search_files = match search {
        Search::Written => write_search_index(project, &dir, (reuse, keys))?,
        Search::Elsewhere => 0,
    };

    // The About page explains digests with a real one, so it can be checked on that policy.
    let example = project.policies.first().map(|p| {
        serde_json::json!({
            "title": p.title,
            "url": policy_url(&p.id),
            "short_digest": p.short_digest(),
        })
    });
    let about = render_page(tera, "about", site, "", |ctx| {
        ctx.insert("example", &example);
    })?;
    every_build.write(&dir.join("about.html"), &about)?;
    let role_pages = roles::render_roles(project, tera, site, &dir, &every_build)?;
    let quiz_pages = quiz::render_quizzes(project, tera, site, &dir, &every_build)?;

    let mut assets = 0;
    for (path, bytes) in theme.assets() {
        every_build.write(&dir.join("assets").join(path), bytes)?;
        assets += 1;
    }
    Ok(SiteReport {
        pages: 2 + role_pages + quiz_pages + policy_pages,
        assets: assets + search_files,
    })
}

/// The "All Policies" page.
fn render_index(project: &Project, tera: &Templates, site: &SiteView) -> Result<Vec<u8>> {
    render_page(tera, "index", site, "", |ctx| {
        let categories = categories(project);
        let mut counts = BTreeMap::new();
        for c in &categories {
            for p in &c.policies {
                *counts.entry(p.status).or_insert(0usize) += 1;
            }
        }
        ctx.insert("categories", &categories);
        ctx.insert("status_counts", &counts);
        ctx.insert("policy_count", &project.policies.len());
        if project.config.pdf {
            let register = format!("{}/{}", crate::pdf::PDF_DIR, crate::pdf::REGISTER_FILE);
            ctx.insert("register_pdf", &register);
        }
    })
}

/// The search index, reused while no policy changed; returns how many files it has.
fn write_search_index(
    project: &Project,
    dir: &Path,
    (reuse, keys): (&Reuse, &Fingerprints),
) -> Result<usize> {
    let unit = keys.site_wide();
    if let Some(files) = reuse.try_reuse_uncounted(&unit) {
        return Ok(files);
    }
    let writer = UnitWriter {
        reuse,
        unit: Some(&unit),
    };
    crate::search::write_search_index(project, dir, &writer)
}

/// Every page of one policy: its page, its paper form, its earlier versions and the changes
/// between them; returns how many were written.
fn render_policy_pages(
    project: &Project,
    policy: &Policy,
    by_id: &BTreeMap<&str, &Policy>,
    tera: &Templates,
    site: &SiteView,
    dir: &Path,
    writer: &UnitWriter,
) -> Result<usize> {
    let view = policy_view(project, policy, by_id);
    let html = render_page(tera, "policy", site, "../../", |ctx| {
        ctx.insert("policy", &view)
    })?;
    writer.write(&dir.join(policy_url(&policy.id)), &html)?;
    let form = render_page(tera, "paper_form", site, "../../", |ctx| {
        ctx.insert("policy", &paper_form_view(project, policy));
    })?;
    writer.write(&dir.join(paper_form_url(&policy.id)), &form)?;
    let archived = render_archived_versions(project, policy, by_id, tera, site, dir, writer)?;
    let changes = history::render_changes_pages(project, policy, tera, site, dir, writer)?;
    // Beside the pages, at the paths the body links them by.
    let folder = dir.join(policy_url(&policy.id));
    let folder = folder.parent().unwrap_or(dir);
    crate::pictures::write_beside(&project.root, policy, folder, writer)?;
    Ok(2 + archived + changes)
}

/// The read-only pages of `policy`'s earlier released versions; returns how many were written.
fn render_archived_versions(
    project: &Project,
    policy: &Policy,
    by_id: &BTreeMap<&str, &Policy>,
    tera: &Templates,
    site: &SiteView,
    dir: &Path,
    writer: &UnitWriter,
) -> Result<usize> {
    let archives = project.archives_of(&policy.id);
    let mut pages = 0;
    for (index, archived) in archives.iter().enumerate() {
        if history::shows_current_text(archived, policy) {
            continue;
        }
        let text = archived.policy()?;
        let mut view = policy_view(project, text, by_id);
        view.history = history::history_entries(project, policy, text);
        view.archived = Some(history::archived_banner(archives, index, policy));
        view.changes_since = Vec::new();
        // The PDF is of the current version only.
        view.pdf_url = None;
        let html = render_page(tera, "policy", site, "../../", |ctx| {
            ctx.insert("policy", &view)
        })?;
        let url = history::archived_url(&policy.id, &archived.released.version);
        writer.write(&dir.join(url), &html)?;
        pages += 1;
    }
    Ok(pages)
}

/// Renders `<kind>.html` with the shared context, then minifies it.
pub(crate) fn render_page(
    tera: &Templates,
    kind: &str,
    site: &SiteView,
    root: &str,
    fill: impl FnOnce(&mut Context),
) -> Result<Vec<u8>> {
    Ok(tera.finish(render_html(tera, kind, site, root, fill)?))
}

/// [`render_page`] before it is minified, for a caller that completes it first.
pub(crate) fn render_html(
    tera: &Templates,
    kind: &str,
    site: &SiteView,
    root: &str,
    fill: impl FnOnce(&mut Context),
) -> Result<String> {
    let mut ctx = Context::new();
    ctx.insert("site", site);
    ctx.insert("root", root);
    ctx.insert("page_kind", kind);
    fill(&mut ctx);
    let template = format!("{kind}.html");
    tera.tera
        .render(&template, &ctx)
        .map_err(|e| template_error(&template, &e))
}

pub(crate) fn site_view<'a>(
    project: &'a Project,
    public_key: Option<&crate::release::PublicKeyHandle>,
) -> SiteView<'a> {
    let config = &project.config;
    SiteView {
        title: &config.title,
        organisation: &config.organisation,
        base_url: config.base_url.as_deref(),
        today: project.today.to_string(),
        today_long: project.today.long(),
        generator: format!("policybook {}", env!("CARGO_PKG_VERSION")),
        has_roles: !project.roles.is_empty(),
        public_key: public_key.map(|key| PublicKeyView {
            key_id: key.key_id().to_owned(),
            file_text: key.to_file_text(),
            file: crate::release::PUBLIC_KEY_FILE,
        }),
    }
}

fn summary<'a>(project: &Project, p: &'a Policy) -> PolicySummary<'a> {
    let status = ReviewStatus::of(
        p.review_due,
        project.today,
        project.config.review_warning_days,
    );
    PolicySummary {
        id: &p.id,
        title: &p.title,
        version: &p.version,
        owner: p.owner.as_deref(),
        category: &p.category,
        category_anchor: category_anchor(&p.category),
        summary: p.summary.as_deref(),
        review_due: p.review_due.map(|d| d.to_string()),
        review_due_long: p.review_due.map(|d| d.long()),
        status: status.key(),
        status_label: status.label(),
        url: policy_url(&p.id),
        draft: p.unversioned || project.release_state(p) == crate::ledger::ReleaseState::Draft,
    }
}

/// Policies grouped by category, categories and policies sorted by name.
fn categories(project: &Project) -> Vec<CategoryView<'_>> {
    let mut groups: BTreeMap<&str, Vec<&Policy>> = BTreeMap::new();
    for p in &project.policies {
        groups.entry(p.category.as_str()).or_default().push(p);
    }
    groups
        .into_iter()
        .map(|(name, mut policies)| {
            policies.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
            CategoryView {
                name,
                anchor: category_anchor(name),
                policies: policies.into_iter().map(|p| summary(project, p)).collect(),
            }
        })
        .collect()
}

fn category_anchor(name: &str) -> String {
    format!("category-{}", crate::markdown::slugify(name))
}

fn policy_view<'a>(
    project: &'a Project,
    p: &'a Policy,
    by_id: &BTreeMap<&str, &'a Policy>,
) -> PolicyView<'a> {
    let agreements = agreement::agreement_views(project, p);
    PolicyView {
        summary: summary(project, p),
        approved_by: p.approved_by.as_deref(),
        approved: p.approved.map(|d| d.to_string()),
        approved_long: p.approved.map(|d| d.long()),
        effective_long: p.effective.map(|d| d.long()),
        digest: &p.digest,
        short_digest: p.short_digest(),
        source_path: &p.source_path,
        toc: table_of_contents(&p.body.headings),
        body: &p.body.html,
        revisions: p
            .revisions
            .iter()
            .map(|r| RevisionView {
                version: &r.version,
                date: r.date.map(|d| d.to_string()),
                date_long: r.date.map(|d| d.long()),
                author: r.author.as_deref(),
                approved_by: r.approved_by.as_deref(),
                summary: r.summary.as_deref(),
            })
            .collect(),
        applies_to: applies_to(project, p),
        statement: ack_statement(p),
        agreement_choices: agreement::choices(project, &agreements),
        agreements,
        control: agreement::doc_control(project, p),
        form_url: paper_form_url(&p.id),
        pdf_url: crate::pdf::site_url(project, p),
        release: history::release_view(project, p),
        history: history::history_entries(project, p, p),
        archived: None,
        changes_since: history::changes_since(project, p),
        quizzes: project
            .quizzes
            .iter()
            .filter(|q| q.policy == p.id)
            .map(quiz::QuizLink::of)
            .collect(),
        associated: p
            .associated
            .iter()
            .map(|a| match by_id.get(a.text.as_str()) {
                Some(other) => AssociatedView {
                    title: &other.title,
                    url: Some(policy_url(&other.id)),
                },
                None => AssociatedView {
                    title: &a.text,
                    url: None,
                },
            })
            .collect(),
    }
}

/// Roles named by the policy (in register order): in its RACI map or in a role heading.
fn applies_to<'a>(project: &'a Project, p: &Policy) -> Vec<AppliesTo<'a>> {
    project
        .roles
        .roles
        .iter()
        .filter_map(|role| {
            let own = p.body.duties.iter().filter(|d| d.roles.contains(&role.id));
            let must_not = own.clone().filter(|d| d.kind == DutyKind::MustNot).count();
            let duties = own.count() - must_not;
            let raci = roles::raci_of(p, &role.id).map(roles::RaciView::of);
            (duties + must_not > 0 || raci.is_some()).then(|| AppliesTo {
                role: roles::RoleLink::of(role),
                raci,
                duties,
                must_not,
            })
        })
        .collect()
}
