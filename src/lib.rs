//! policybook: policies written once in Markdown, built into a website (and, in later stages,
//! e-learning packages and signed releases).
//!
//! The pipeline, one module per stage, with plain data passing between them:
//! [`config`] and [`content`] load the project → [`validate`] checks it as a whole →
//! [`site`] renders it → [`output`] swaps the finished build into place.

pub mod acks;
pub mod agreement;
pub mod config;
pub mod content;
pub mod date;
pub mod digest;
pub mod error;
pub mod history;
pub mod import;
pub mod init;
pub mod ledger;
pub mod markdown;
pub mod new;
pub mod output;
pub mod pdf;
pub mod pictures;
pub mod question_bank;
pub mod quiz;
pub mod release;
pub mod reuse;
pub mod review;
pub mod roles;
pub mod scorm;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod status;
pub mod theme;
pub mod validate;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use crate::config::Config;
pub use crate::content::Policy;
pub use crate::date::Date;
pub use crate::error::{Diagnostic, Error, Result, Severity};

/// A loaded and validated project: everything the render stages need, no file handles.
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    /// The date review status is computed against.
    pub today: Date,
    /// Sorted by source path.
    pub policies: Vec<Policy>,
    /// The role register (empty when the project has no `content/roles.toml`).
    pub roles: roles::RoleRegister,
    /// Quizzes from `quizzes/`, sorted by source path.
    pub quizzes: Vec<quiz::Quiz>,
    /// SCORM modules: one per policy, then those configured in `policybook.toml`.
    pub modules: Vec<scorm::Module>,
    /// The release ledger, when the project has one (`policybook.lock`).
    pub ledger: Option<ledger::Ledger>,
    /// Every released text from `history/`, by policy id, then in the order released.
    pub archives: Vec<ledger::Archived>,
    /// The archives found intact, for the next build to trust (see [`ledger::ArchiveStamps`]).
    pub archive_stamps: ledger::ArchiveStamps,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Position in `policies` of each policy id (lookups by id were quadratic at 10,000).
    policy_index: std::collections::HashMap<String, usize>,
}

impl Project {
    /// The policy with this id.
    pub fn policy(&self, id: &str) -> Option<&Policy> {
        self.policy_index.get(id).map(|&i| &self.policies[i])
    }

    /// Whether `policy`'s version is released, a draft, or untracked (no ledger).
    pub fn release_state(&self, policy: &Policy) -> ledger::ReleaseState {
        match &self.ledger {
            None => ledger::ReleaseState::Untracked,
            Some(ledger) => match ledger
                .policy(&policy.id)
                .and_then(|p| p.version(&policy.version))
            {
                Some(_) => ledger::ReleaseState::Released,
                None => ledger::ReleaseState::Draft,
            },
        }
    }

    /// The released texts of policy `id`, oldest first.
    pub fn archives_of(&self, id: &str) -> &[ledger::Archived] {
        let start = self.archives.partition_point(|a| a.id.as_str() < id);
        let end = self.archives.partition_point(|a| a.id.as_str() <= id);
        &self.archives[start..end]
    }
}

/// How to find and date a project.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    pub root: PathBuf,
    /// Overrides `SOURCE_DATE_EPOCH`, the config's `today` and the clock.
    pub today: Option<Date>,
    /// Archived texts a previous build found intact; those unchanged since are not read again.
    pub trusted_archives: ledger::ArchiveStamps,
    /// Policies earlier loads parsed (`serve` keeps them between saves); those whose file is
    /// unchanged since are not read and parsed again.
    pub parsed: Option<content::ParsedPolicies>,
}

/// Loads and validates the project: [`Error::Invalid`] lists every problem found when any is an
/// error; warnings alone are returned in [`Project::warnings`].
pub fn load(options: &LoadOptions) -> Result<Project> {
    let root = options.root.clone();
    let display_root = display_root(&root);
    let config = Config::load(&root, &display_root.join(config::CONFIG_FILE))?;
    let today = config::resolve_today(options.today, &config)?;
    let mut timings = Timings::from_env(Instant::now());
    // The ledger is parsed while the policies load: 30,000 released versions took 0.14 s on
    // one core. Only with one do the bodies' Markdown stay in memory, for the redlines.
    let has_ledger = std::fs::symlink_metadata(root.join(ledger::LEDGER_FILE)).is_ok();
    let (ledger, loaded) = rayon::join(
        || ledger::Ledger::load(&root, &display_root),
        || content::load_policies(&root, &display_root, has_ledger, options.parsed.as_ref()),
    );
    let ledger = ledger?;
    let content::Loaded {
        mut policies,
        mut diagnostics,
        unloaded,
    } = loaded?;
    timings.lap("  policies");
    let mut archives = Vec::new();
    let mut archive_stamps = ledger::ArchiveStamps::default();
    if let Some(ledger) = &ledger {
        diagnostics.extend(ledger::check_policies(&mut policies, ledger));
        timings.lap("  released");
        let (loaded, archive_diagnostics, intact) =
            ledger::load_archives(&root, &display_root, ledger, &options.trusted_archives)?;
        archives = loaded;
        archive_stamps = intact;
        diagnostics.extend(archive_diagnostics);
        timings.lap("  archives");
    }
    // Only a policy with released versions needs its Markdown again (for the redlines).
    for policy in &mut policies {
        // A policy `serve`'s parse cache shares keeps it: dropping it would copy the policy,
        // and free nothing.
        if policy.body_markdown.is_some()
            && !policy.is_shared()
            && ledger
                .as_ref()
                .is_none_or(|l| l.policy(&policy.id).is_none())
        {
            policy.body_markdown = None;
        }
    }
    diagnostics.extend(validate::validate_policies(
        &policies,
        &config.external_policies,
    ));
    diagnostics.extend(agreement::validate_audiences(&policies, &config));
    diagnostics.extend(pdf::file_name_clashes(&policies, config.pdf));
    let (roles, role_diagnostics) = roles::RoleRegister::load(&root, &display_root)?;
    diagnostics.extend(role_diagnostics);
    diagnostics.extend(roles::validate_role_use(&roles, &policies));
    let (quizzes, quiz_diagnostics) = quiz::load_quizzes(&root, &display_root)?;
    diagnostics.extend(quiz_diagnostics);
    diagnostics.extend(quiz::validate_quizzes(&quizzes, &policies));
    let (modules, module_diagnostics) = scorm::plan_modules(&config, &policies, &quizzes);
    diagnostics.extend(module_diagnostics);
    if policies.is_empty() && !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.push(
            Diagnostic::error(display_root.join(content::CONTENT_DIR), "no policies found")
                .help("add Markdown files such as content/e-safety.md (see `policybook init`)"),
        );
    }
    timings.lap("  validate");
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    // After sorting, so the note comes last.
    error::drop_follow_ons(&mut diagnostics, &unloaded);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Invalid(diagnostics));
    }
    let policy_index = policies
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();
    Ok(Project {
        root,
        config,
        today,
        policies,
        roles,
        quizzes,
        modules,
        ledger,
        archives,
        archive_stamps,
        warnings: diagnostics,
        policy_index,
    })
}

/// What a build produced.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub policies: usize,
    pub pages: usize,
    /// SCORM zips written.
    pub packages: usize,
    /// PDFs in `pdf/` (the policies' and the register), reused or typeset.
    pub pdfs: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// How many units of output were reused from the previous build, and how many rendered.
    pub reuse: reuse::ReuseCounts,
}

/// Loads, validates and renders the project into `out`, replacing the previous build only when
/// everything succeeded. With a `signer`, the release manifests are signed and also placed in
/// the site and in every SCORM package, so that each can be checked on its own.
pub fn build(
    options: &LoadOptions,
    out: &Path,
    signer: Option<&release::SecretKeyHandle>,
    fresh: bool,
) -> Result<BuildReport> {
    let started = Instant::now();
    let mut timings = Timings::from_env(started);
    let project = load_for_build(options, out, fresh)?;
    timings.lap("load");
    let theme = theme::Theme::load(&project.root, &project.config.theme)?;
    let public_key = signer.map(release::SecretKeyHandle::public_key);
    let public_key_text = public_key.as_ref().map(|k| k.to_file_text());
    let keys = reuse::Fingerprints::of(&project, &theme, public_key_text.as_deref());
    timings.lap("fingerprint");
    let job = Job {
        out,
        signer,
        fresh,
        outputs: Outputs::Everything,
        started,
    };
    build_staged(&project, &theme, &keys, &job, &mut timings).map(|(report, ..)| report)
}

/// The website as `serve` previews it, kept between its builds.
pub struct Preview {
    /// The project as built: `serve` makes the search index from it when a page first asks.
    pub project: std::sync::Arc<Project>,
    /// The key of what every page can show: while it stays the same, the next build updates
    /// this one in place.
    global: reuse::UnitKey,
    layout: reuse::Layout,
    /// The theme's templates, compiled: the global key covers the theme.
    templates: theme::Templates,
}

/// The website alone, for `serve`: no SCORM packages, question banks, PDFs or release
/// manifests, which take longest and are not what an author previews on every save, and no
/// search index (`serve` makes it from [`Preview::project`] when a page asks for it).
///
/// With a `previous` preview in `out` whose global key is unchanged (an edit of policies'
/// bodies: the commonest save), only the policies whose pages changed are rendered, with the
/// pages that list every policy, and written over the previous preview in place; otherwise the
/// build is staged and swapped in like [`build`]'s. Either way nothing is written unless
/// everything rendered. `previous` becomes this build's preview, or `None` when a failure left
/// the output no longer exactly as it says.
pub fn build_preview(
    options: &LoadOptions,
    out: &Path,
    previous: &mut Option<Preview>,
) -> Result<BuildReport> {
    let started = Instant::now();
    let mut timings = Timings::from_env(started);
    let project = load_for_build(options, out, false)?;
    timings.lap("load");
    let theme = theme::Theme::load(&project.root, &project.config.theme)?;
    let keys = reuse::Fingerprints::of(&project, &theme, None);
    timings.lap("fingerprint");
    let in_place =
        previous.take_if(|p| p.global == *keys.global() && out.join(site::SITE_DIR).is_dir());
    let (report, reuse, templates) = match in_place {
        Some(preview) => match render_in_place(&project, &theme, &keys, out, &preview) {
            Err(e) => {
                // Nothing was written: the output is still as `preview` says.
                *previous = Some(preview);
                return Err(e);
            }
            Ok((reuse, site)) => {
                timings.lap("site");
                let _lock = output::lock_for_update(out)?;
                reuse.finish_in_place()?;
                timings.lap("write");
                let report = BuildReport {
                    out: out.to_path_buf(),
                    policies: project.policies.len(),
                    pages: site.pages,
                    packages: 0,
                    pdfs: 0,
                    warnings: project.warnings.clone(),
                    elapsed: started.elapsed(),
                    reuse: reuse.counts(),
                };
                (report, reuse, preview.templates)
            }
        },
        None => {
            let job = Job {
                out,
                signer: None,
                fresh: false,
                outputs: Outputs::SiteOnly,
                started,
            };
            *previous = None;
            build_staged(&project, &theme, &keys, &job, &mut timings)?
        }
    };
    *previous = Some(Preview {
        global: keys.global().clone(),
        layout: reuse.layout(),
        templates,
        project: std::sync::Arc::new(project),
    });
    Ok(report)
}

/// The project for a build into `out`: archives a previous build found intact there are
/// trusted, unless the build is `fresh`.
fn load_for_build(options: &LoadOptions, out: &Path, fresh: bool) -> Result<Project> {
    if fresh {
        load(options)
    } else {
        load(&LoadOptions {
            trusted_archives: ledger::ArchiveStamps::read(out),
            ..options.clone()
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outputs {
    Everything,
    /// The website without its search index.
    SiteOnly,
}

/// Where and how to build.
struct Job<'a> {
    out: &'a Path,
    signer: Option<&'a release::SecretKeyHandle>,
    fresh: bool,
    outputs: Outputs,
    started: Instant,
}

/// Renders into a staging folder and swaps it in; returns what was built, the record of what
/// each unit wrote, and the templates it was rendered with.
fn build_staged(
    project: &Project,
    theme: &theme::Theme,
    keys: &reuse::Fingerprints,
    job: &Job,
    timings: &mut Timings,
) -> Result<(BuildReport, reuse::Reuse, theme::Templates)> {
    // Staging first: it restores a swap an earlier build left interrupted, even when this
    // build then fails (on a broken template, say).
    let staging = output::Staging::begin(job.out, &project.root)?;
    let templates = theme.templates()?;
    let public_key = job.signer.map(release::SecretKeyHandle::public_key);
    let reuse = if job.fresh {
        reuse::Reuse::none(staging.dir())
    } else {
        reuse::Reuse::open(job.out, staging.dir())
    };
    let site_view = site::site_view(project, public_key.as_ref());
    let search = match job.outputs {
        Outputs::Everything => site::Search::Written,
        Outputs::SiteOnly => site::Search::Elsewhere,
    };
    let site = site::render_site(
        project,
        theme,
        &templates,
        &site_view,
        staging.dir(),
        (&reuse, keys),
        search,
    )?;
    timings.lap("site");
    if let Some(key) = &public_key {
        let path = staging
            .dir()
            .join(site::SITE_DIR)
            .join(release::PUBLIC_KEY_FILE);
        output::write_file(&path, key.to_file_text().as_bytes())?;
    }
    let (packages, pdfs) = if job.outputs == Outputs::Everything {
        question_bank::write_question_banks(project, staging.dir())?;
        let packages = scorm::write_packages(
            project,
            theme,
            &templates,
            &site_view,
            staging.dir(),
            job.signer,
            (&reuse, keys),
        )?;
        timings.lap("scorm");
        let pdfs = pdf::write_pdfs(project, staging.dir(), (&reuse, keys))?;
        timings.lap("pdf");
        (packages, pdfs)
    } else {
        (0, pdf::PdfReport::default())
    };
    staging.remove_unwritten()?;
    timings.lap("unwritten");
    if job.outputs == Outputs::Everything {
        write_release_manifests(project, staging.dir(), job.signer, &reuse.known_digests())?;
    }
    reuse.write_index()?;
    if project.ledger.is_some() {
        project.archive_stamps.write(staging.dir())?;
    }
    timings.lap("manifests");
    let mut warnings = project.warnings.clone();
    warnings.extend(pdfs.warnings);
    warnings.extend(staging.commit()?);
    timings.lap("swap");
    let report = BuildReport {
        out: job.out.to_path_buf(),
        policies: project.policies.len(),
        pages: site.pages,
        packages,
        pdfs: pdfs.documents,
        warnings,
        elapsed: job.started.elapsed(),
        reuse: reuse.counts(),
    };
    Ok((report, reuse, templates))
}

/// Renders what changed since `preview`, which is in `out`, holding it in memory for
/// [`reuse::Reuse::finish_in_place`]; see [`build_preview`].
fn render_in_place(
    project: &Project,
    theme: &theme::Theme,
    keys: &reuse::Fingerprints,
    out: &Path,
    preview: &Preview,
) -> Result<(reuse::Reuse, site::SiteReport)> {
    let reuse = reuse::Reuse::in_place(out, &preview.layout);
    let site_view = site::site_view(project, None);
    let site = site::render_site(
        project,
        theme,
        &preview.templates,
        &site_view,
        out,
        (&reuse, keys),
        site::Search::Elsewhere,
    )?;
    Ok((reuse, site))
}

/// `build/manifest.json` on every build; when signing, also `site/manifest.json` and both
/// signatures. The whole build's manifest comes last so that it covers the site's.
fn write_release_manifests(
    project: &Project,
    out: &Path,
    signer: Option<&release::SecretKeyHandle>,
    known: &std::collections::HashMap<PathBuf, (String, u64)>,
) -> Result<()> {
    let header = || release::ManifestHeader::for_project(project);
    let policies = || {
        project
            .policies
            .iter()
            .map(release::PolicyEntry::from_policy)
            .collect::<Vec<_>>()
    };
    // Only a current policy's history is published (a retired policy's has no pages).
    let archived = || {
        project
            .archives
            .iter()
            .filter(|a| project.policy(&a.id).is_some())
            .map(|a| release::manifest::ArchivedEntry {
                id: a.id.clone(),
                version: a.released.version.clone(),
                digest: a.released.digest.clone(),
                released: a.released.released.to_string(),
            })
            .collect::<Vec<_>>()
    };
    let audiences = || {
        project
            .config
            .audiences
            .iter()
            .map(|a| release::manifest::AudienceEntry {
                id: a.get_ref().id.clone(),
                title: a.get_ref().title().to_owned(),
            })
            .collect::<Vec<_>>()
    };
    if signer.is_some() {
        let site = out.join(site::SITE_DIR);
        release::ReleaseManifest::for_dir_known(&site, header(), policies(), known)?
            .with_archived(archived())
            .with_audiences(audiences())
            .write_to_dir(&site, signer)?;
    }
    release::ReleaseManifest::for_dir_known(out, header(), policies(), known)?
        .with_archived(archived())
        .with_audiences(audiences())
        .write_to_dir(out, signer)
}

/// Locks `mutex`, going on past a thread that panicked while holding it: every value kept
/// under a lock here is a cache or a record that stays usable.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// `.` is shown as nothing, so messages say `content/x.md` rather than `./content/x.md`.
pub(crate) fn display_root(root: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        PathBuf::new()
    } else {
        root.to_path_buf()
    }
}

/// The process's peak resident memory so far (`VmHWM`), where the OS reports it.
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{} MiB", kib / 1024))
}

/// Stage timings on standard error when `POLICYBOOK_TIMINGS` is set, for finding where a slow
/// build spends its time (see `scripts/bench`).
struct Timings {
    last: Option<Instant>,
}

impl Timings {
    fn from_env(started: Instant) -> Timings {
        let on = std::env::var_os("POLICYBOOK_TIMINGS").is_some_and(|v| !v.is_empty());
        Timings {
            last: on.then_some(started),
        }
    }

    fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            let now = Instant::now();
            eprintln!(
                "timing: {stage:<11} {:>8.3} s{}",
                (now - last).as_secs_f64(),
                peak_memory().map_or(String::new(), |m| format!("  peak memory {m}"))
            );
            self.last = Some(now);
        }
    }
}
