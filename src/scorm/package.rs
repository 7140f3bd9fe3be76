//! Render stage for SCORM: the learner's page of each module, its manifest, and the zips.

use std::io::Write as _;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::manifest::{manifest, schemas};
use super::suspend::SHORT_ANSWER_MAX;
use super::{Module, Version};
use crate::Project;
use crate::content::Policy;
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::{TocEntry, table_of_contents};
use crate::release::{
    MANIFEST_FILE, ManifestHeader, PolicyEntry, ReleaseManifest, SIGNATURE_FILE, SecretKeyHandle,
};
use crate::reuse::{Fingerprints, Reuse};
use crate::site::agreement::FieldView;
use crate::site::quiz::{QuizView, quiz_view, script_safe_json};
use crate::site::{SiteView, render_html};
use crate::theme::{Templates, Theme};

pub const SCORM_DIR: &str = "scorm";

/// The learner's view of one policy inside a package.
#[derive(Serialize)]
struct PolicyStep<'a> {
    id: &'a str,
    title: &'a str,
    version: &'a str,
    owner: Option<&'a str>,
    approved_by: Option<&'a str>,
    approved_long: Option<String>,
    digest: &'a str,
    short_digest: &'a str,
    /// Prefix of every anchor in this policy's body, so that several policies on one page
    /// never share an id.
    prefix: String,
    toc: Vec<TocEntry>,
    body: String,
    /// What the acknowledgement interaction records: self-describing, so it can be read from
    /// Moodle's Interactions report without the question column.
    ack_response: String,
    /// What the learner confirms: the policy's agreement for the module's audience.
    statement: String,
    /// The agreement's extra fields, each recorded as an interaction of its own.
    fields: Vec<FieldView>,
    /// What changed since each earlier released version, newest first: shown to a learner who
    /// comes back to this package after reading an earlier one.
    changes: Vec<StepChanges>,
}

/// The redline from one earlier version of a policy to the packaged one.
#[derive(Serialize)]
struct StepChanges {
    from_version: String,
    redline: crate::site::history::RedlineView,
}

/// What `assets/scorm.js` needs, as JSON in the page.
#[derive(Serialize)]
struct PlayerData<'a> {
    scorm: &'static str,
    module: &'a str,
    title: &'a str,
    steps: Vec<&'static str>,
    policies: Vec<PlayerPolicy<'a>>,
    quizzes: Vec<PlayerQuiz<'a>>,
    short_answer_max: usize,
    suspend_data_limit: usize,
    /// Whether every quiz must be passed before the acknowledgement can be given.
    require_pass: bool,
    /// Appended to the acknowledgement when it is given without a pass (`require_pass = false`),
    /// so that `policybook acks` can tell (see `acks::report::QUIZ_FAILED`).
    quiz_failed_suffix: &'static str,
    /// Saved progress from another version of the module (other policy text, other questions)
    /// must not be restored: it could tick an acknowledgement of a version never shown.
    fingerprint: String,
}

#[derive(Serialize)]
struct PlayerPolicy<'a> {
    id: &'a str,
    /// Saved with the progress, so a newer package can show what changed since.
    version: &'a str,
    ack_response: String,
    /// The SCORM 2004 objective the acknowledgement is also recorded as: Moodle's reports show
    /// no 2004 interaction responses, but its Objectives report shows objectives.
    ack_objective: String,
    /// The agreement's extra fields: recorded as `field:<policy>:<field>:<value>` interactions.
    fields: Vec<PlayerField>,
}

#[derive(Serialize)]
struct PlayerField {
    interaction: String,
    prefix: String,
    /// The `id` of the field's input in the page.
    input: String,
    required: bool,
}

#[derive(Serialize)]
struct PlayerQuiz<'a> {
    id: &'a str,
    pass_mark: u8,
    /// Question ids in the quiz file's order: saved progress refers to them by index.
    questions: Vec<&'a str>,
}

/// `ack:<policy-id>:<version>:sha256:<digest>`, at most 255 characters.
pub fn ack_response(policy: &Policy) -> String {
    let version: String = policy
        .version
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect();
    format!("ack:{}:{}:sha256:{}", policy.id, version, policy.digest)
}

/// The acknowledgement as a SCORM 2004 objective id (`CMILongIdentifier`: no white space, which a
/// version may have): the response with each run of white space as `_`.
pub fn ack_objective_id(ack_response: &str) -> String {
    ack_response
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
}

/// Writes `<module>-scorm12.zip` and `<module>-scorm2004.zip` for every module, and the
/// administrator's README; returns the number of packages.
pub fn write_packages(
    project: &Project,
    theme: &Theme,
    templates: &Templates,
    site: &SiteView,
    out: &Path,
    signer: Option<&SecretKeyHandle>,
    (reuse, keys): (&Reuse, &Fingerprints),
) -> Result<usize> {
    let dir = out.join(SCORM_DIR);
    let shared = [
        SharedFiles::new(theme, Version::Scorm12)?,
        SharedFiles::new(theme, Version::Scorm2004)?,
    ];
    project
        .modules
        .par_iter()
        .try_for_each(|module| -> Result<()> {
            let unit = keys.module(module);
            if reuse.try_reuse(&unit).is_some() {
                return Ok(());
            }
            // The policy steps (with their redlines) are the same in both versions' pages.
            let steps = ModuleSteps::of(project, module)?;
            let pictures = module_pictures(project, &steps.policies, &shared)?;
            let pages = render_module_pages(project, templates, site, module, &steps)?;
            for ((version, shared), page) in Version::ALL.into_iter().zip(&shared).zip(pages) {
                let zip = package(project, module, (page, &pictures), version, shared, signer)?;
                reuse.write(
                    Some(&unit),
                    &dir.join(format!("{}-{}.zip", module.id, version.suffix())),
                    &zip,
                )?;
            }
            Ok(())
        })?;
    reuse.write(
        None,
        &dir.join("README.md"),
        admin_readme(project).as_bytes(),
    )?;
    Ok(project.modules.len() * 2)
}

/// The files every package of one SCORM version holds unchanged (the theme's assets and the
/// schemas), compressed once: re-compressing the same 100 KB for each of 20,000 packages was
/// three quarters of a 10,000-policy build.
struct SharedFiles {
    /// (path in the zip, bytes), sorted.
    files: Vec<(String, Vec<u8>)>,
    /// A zip of exactly these files, whose compressed entries are copied into each package.
    zip: Vec<u8>,
}

impl SharedFiles {
    fn new(theme: &Theme, version: Version) -> Result<SharedFiles> {
        let mut files: Vec<(String, Vec<u8>)> = theme
            .assets()
            .map(|(path, bytes)| (format!("assets/{path}"), bytes.to_vec()))
            .collect();
        files.extend(
            schemas(version)
                .iter()
                .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec())),
        );
        files.sort();
        let zip = deterministic_zip(files.clone())?;
        Ok(SharedFiles { files, zip })
    }

    fn is_asset(name: &str) -> bool {
        name.starts_with("assets/")
    }

    /// The names of the shared files one package holds: the schemas, and the assets its page
    /// loads (`src="assets/…"`, `href="assets/…"`) or a stylesheet it loads refers to. A
    /// package ships only what it uses: `ack.js` is for the website, and `quiz.js` only for
    /// modules with a quiz.
    fn used_by(&self, page: &[u8]) -> Vec<String> {
        let page = String::from_utf8_lossy(page);
        let loaded = |name: &str| {
            ["\"", ">", " "].iter().any(|end| {
                page.contains(&format!("\"{name}{end}")) || page.contains(&format!("={name}{end}"))
            })
        };
        let direct: Vec<&(String, Vec<u8>)> = self
            .files
            .iter()
            .filter(|(name, _)| Self::is_asset(name) && loaded(name))
            .collect();
        let from_css = |file: &str| {
            direct.iter().any(|(name, bytes)| {
                name.ends_with(".css")
                    && String::from_utf8_lossy(bytes).contains(file.trim_start_matches("assets/"))
            })
        };
        self.files
            .iter()
            .map(|(name, _)| name)
            .filter(|name| !Self::is_asset(name) || loaded(name) || from_css(name))
            .cloned()
            .collect()
    }
}

/// The pictures of a module's policies, by the path their pages link them (at the top of the
/// package, as the page is). Two different pictures under one path is an error.
fn module_pictures(
    project: &Project,
    policies: &[&Policy],
    shared: &[SharedFiles; 2],
) -> Result<Vec<(String, Vec<u8>)>> {
    let shared_names: Vec<&str> = shared
        .iter()
        .flat_map(|s| s.files.iter().map(|(name, _)| name.as_str()))
        .chain([
            "index.html",
            "imsmanifest.xml",
            MANIFEST_FILE,
            SIGNATURE_FILE,
        ])
        .collect();
    let mut pictures: Vec<(String, Vec<u8>)> = Vec::new();
    let mut seen: Vec<(&str, &str, &str)> = Vec::new();
    for policy in policies {
        for picture in &policy.pictures {
            if shared_names.contains(&picture.src.as_str()) {
                return Err(Error::Invalid(vec![
                    Diagnostic::error(
                        &policy.path,
                        format!(
                            "the picture `{}` has the path of a file every SCORM package holds",
                            picture.src
                        ),
                    )
                    .help("give the picture another name or folder"),
                ]));
            }
            match seen.iter().find(|(src, _, _)| *src == picture.src) {
                Some((_, sha, _)) if *sha == picture.sha256 => continue,
                Some((_, _, other)) => {
                    return Err(Error::Invalid(vec![
                        Diagnostic::error(
                            &policy.path,
                            format!(
                                "the picture `{}` has the same path as another picture of `{other}`, and both are in one SCORM module",
                                picture.src
                            ),
                        )
                        .help("give the two pictures different names or folders"),
                    ]));
                }
                None => {}
            }
            seen.push((&picture.src, &picture.sha256, &policy.id));
            pictures.push((
                picture.src.clone(),
                crate::pictures::read(&project.root, picture)?,
            ));
        }
    }
    Ok(pictures)
}

/// One package: its own page and manifest, plus the shared files. A signed build adds the
/// release manifest of the package's files and its signature at the root, so the package can be
/// verified on its own.
fn package(
    project: &Project,
    module: &Module,
    (page, pictures): (Vec<u8>, &[(String, Vec<u8>)]),
    version: Version,
    shared: &SharedFiles,
    signer: Option<&SecretKeyHandle>,
) -> Result<Vec<u8>> {
    let used = shared.used_by(&page);
    // Content files, listed in imsmanifest.xml: the page, the assets it uses and its pictures.
    let mut files: Vec<String> = std::iter::once("index.html".to_owned())
        .chain(used.iter().filter(|n| SharedFiles::is_asset(n)).cloned())
        .chain(pictures.iter().map(|(src, _)| src.clone()))
        .collect();
    if signer.is_some() {
        files.extend([MANIFEST_FILE.to_owned(), SIGNATURE_FILE.to_owned()]);
    }
    files.sort();
    let mastery = module.mastery_score(&project.quizzes);
    let mut own: Vec<(String, Vec<u8>)> = vec![
        ("index.html".to_owned(), page),
        (
            "imsmanifest.xml".to_owned(),
            manifest(version, module, &files, mastery).into_bytes(),
        ),
    ];
    own.extend(pictures.iter().cloned());
    if let Some(signer) = signer {
        let policies = module
            .policies
            .iter()
            .filter_map(|id| project.policy(id))
            .map(PolicyEntry::from_policy)
            .collect();
        let everything = own
            .iter()
            .chain(shared.files.iter().filter(|(name, _)| used.contains(name)))
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice()));
        let release = ReleaseManifest::for_zip_entries(
            ManifestHeader::for_project(project),
            policies,
            everything,
        )?;
        let release_files = release.release_files(Some(signer))?;
        own.extend(
            release_files
                .into_iter()
                .map(|(name, bytes)| (name.to_owned(), bytes)),
        );
    }
    zip_with_shared(own, Some((shared, &used)))
}

/// A module's policies and the learner's view of each, made once for both SCORM versions.
struct ModuleSteps<'a> {
    policies: Vec<&'a Policy>,
    steps: Vec<PolicyStep<'a>>,
}

impl<'a> ModuleSteps<'a> {
    fn of(project: &'a Project, module: &Module) -> Result<ModuleSteps<'a>> {
        let policies: Vec<&Policy> = module
            .policies
            .iter()
            .filter_map(|id| project.policy(id))
            .collect();
        let steps = policies
            .iter()
            .enumerate()
            .map(|(i, p)| policy_step(project, p, i, module.audience.as_deref()))
            .collect::<Result<_>>()?;
        Ok(ModuleSteps { policies, steps })
    }
}

/// Stands for the player's data while a module's page is rendered: `"` and `&` are there so that
/// a theme that escapes the data does not leave it intact.
const PLAYER_PLACEHOLDER: &str = "\u{1}policybook \"player\" & data\u{1}";

/// A module's page for each SCORM version, in [`Version::ALL`]'s order. They differ only in the
/// player's data, so the template is rendered once, with a placeholder where the data goes:
/// rendering the page (with every redline of a module's policies) twice was 9% of the CPU of a
/// clean 1,000-policy build.
fn render_module_pages(
    project: &Project,
    templates: &Templates,
    site: &SiteView,
    module: &Module,
    module_steps: &ModuleSteps,
) -> Result<Vec<Vec<u8>>> {
    let policies = &module_steps.policies;
    let steps_policies = &module_steps.steps;
    let quizzes: Vec<QuizView> = module
        .quizzes
        .iter()
        .filter_map(|id| project.quizzes.iter().find(|q| &q.id == id))
        .filter_map(|quiz| {
            let index = policies.iter().position(|p| p.id == quiz.policy)?;
            Some(quiz_view(
                quiz,
                policies[index],
                &format!("#{}", steps_policies[index].prefix),
            ))
        })
        .collect();
    let mut steps = vec!["policy"; policies.len()];
    steps.extend(std::iter::repeat_n("quiz", quizzes.len()));
    steps.extend(["ack", "done"]);
    let player_json = |version: Version| {
        script_safe_json(&player_data(project, module, module_steps, &steps, version))
    };
    let render = |player_json: &str| {
        render_html(templates, "scorm", site, "", |ctx| {
            ctx.insert(
                "module",
                &serde_json::json!({ "id": module.id, "title": module.title }),
            );
            ctx.insert("policies", &steps_policies);
            let has_changes = steps_policies.iter().any(|p| !p.changes.is_empty());
            ctx.insert("has_changes", &has_changes);
            ctx.insert("quizzes", &quizzes);
            ctx.insert("player_json", player_json);
        })
    };
    let once = render(PLAYER_PLACEHOLDER)?;
    if once.matches(PLAYER_PLACEHOLDER).count() == 1 {
        return Ok(Version::ALL
            .into_iter()
            .map(|v| templates.finish(once.replacen(PLAYER_PLACEHOLDER, &player_json(v), 1)))
            .collect());
    }
    // A theme that does something else with the data (escapes it, shows it twice): each page.
    Version::ALL
        .into_iter()
        .map(|v| render(&player_json(v)).map(|html| templates.finish(html)))
        .collect()
}

/// What the player script of `version`'s page is given.
fn player_data<'a>(
    project: &'a Project,
    module: &'a Module,
    module_steps: &'a ModuleSteps,
    steps: &[&'static str],
    version: Version,
) -> PlayerData<'a> {
    let policies = &module_steps.policies;
    let steps_policies = &module_steps.steps;
    let steps = steps.to_vec();
    PlayerData {
        scorm: match version {
            Version::Scorm12 => "1.2",
            Version::Scorm2004 => "2004",
        },
        module: &module.id,
        title: &module.title,
        steps,
        policies: steps_policies
            .iter()
            .map(|p| PlayerPolicy {
                id: p.id,
                version: p.version,
                ack_objective: ack_objective_id(&p.ack_response),
                ack_response: p.ack_response.clone(),
                fields: p
                    .fields
                    .iter()
                    .map(|f| PlayerField {
                        interaction: f.interaction_id.clone(),
                        prefix: f.response_prefix.clone(),
                        input: format!("ack-{}-{}", p.id, f.id),
                        required: f.required,
                    })
                    .collect(),
            })
            .collect(),
        quizzes: module
            .quizzes
            .iter()
            .filter_map(|id| project.quizzes.iter().find(|q| &q.id == id))
            .map(|q| PlayerQuiz {
                id: &q.id,
                pass_mark: q.pass_mark,
                questions: q.questions.iter().map(|x| x.id.as_str()).collect(),
            })
            .collect(),
        short_answer_max: SHORT_ANSWER_MAX,
        require_pass: module.require_pass,
        quiz_failed_suffix: crate::acks::report::QUIZ_FAILED,
        fingerprint: fingerprint(module, policies, project),
        suspend_data_limit: version.suspend_data_limit(),
    }
}

/// A short hash of what saved progress refers to: the module's policy versions (digests) and
/// its quizzes' questions, in order.
pub fn fingerprint(module: &Module, policies: &[&Policy], project: &Project) -> String {
    let mut text = module.id.clone();
    for policy in policies {
        text.push_str(&format!("\n{}", policy.digest));
    }
    for quiz in module
        .quizzes
        .iter()
        .filter_map(|id| project.quizzes.iter().find(|q| &q.id == id))
    {
        text.push_str(&format!("\n{}:", quiz.id));
        for question in &quiz.questions {
            text.push_str(&format!("{},", question.id));
        }
    }
    crate::digest::sha256_hex(text.as_bytes())[..super::suspend::FINGERPRINT_LEN].to_owned()
}

fn policy_step<'a>(
    project: &'a Project,
    policy: &'a Policy,
    index: usize,
    audience: Option<&str>,
) -> Result<PolicyStep<'a>> {
    let prefix = format!("p{}-", index + 1);
    let agreement = policy.agreement_for(audience);
    let view = crate::site::agreement::agreement_views(project, policy)
        .into_iter()
        .find(|v| v.statement == agreement.statement && v.audiences == agreement.audiences);
    let mut toc = table_of_contents(&policy.body.headings);
    prefix_toc(&mut toc, &prefix);
    Ok(PolicyStep {
        id: &policy.id,
        title: &policy.title,
        version: &policy.version,
        owner: policy.owner.as_deref(),
        approved_by: policy.approved_by.as_deref(),
        approved_long: policy.approved.map(|d| d.long()),
        digest: &policy.digest,
        short_digest: policy.short_digest(),
        body: external_links_in_new_tab(&prefix_anchors(&policy.body.html, &prefix)),
        toc,
        prefix,
        ack_response: ack_response(policy),
        statement: agreement.statement,
        fields: view.map(|v| v.fields).unwrap_or_default(),
        changes: changes_since_earlier(project, policy)?,
    })
}

/// The redline from each earlier text of `policy` to its current one, newest first.
fn changes_since_earlier(project: &Project, policy: &Policy) -> Result<Vec<StepChanges>> {
    use crate::site::history::comparable;
    let earlier = crate::site::history::earlier_texts(project, policy);
    if earlier.is_empty() {
        return Ok(Vec::new());
    }
    let current = comparable(policy);
    earlier
        .into_iter()
        .map(|old| {
            let redline =
                crate::history::diff::redline_between(&comparable(old.policy()?), &current);
            Ok(StepChanges {
                from_version: old.version().to_owned(),
                redline: redline.into(),
            })
        })
        .collect()
}

fn prefix_toc(entries: &mut [TocEntry], prefix: &str) {
    for entry in entries {
        entry.anchor = format!("{prefix}{}", entry.anchor);
        prefix_toc(&mut entry.children, prefix);
    }
}

/// Prefixes every `id` and in-page link of a rendered body (headings, footnotes, and any
/// raw HTML the author wrote), keeping links and targets paired.
fn prefix_anchors(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}"))
}

/// Said to screen readers after the text of a link that opens a new tab.
const NEW_TAB_NOTE: &str = "<span class=\"visually-hidden\"> (opens in a new tab)</span>";

/// Makes every link to another site (`http:`, `https:`, `//`) open in a new tab, and says so
/// to screen readers. In an LMS's player frame such a link would navigate the frame away: Moodle
/// then ends the session and the learner has to enter the activity again. Links that already
/// have a `target` are left as they are.
fn external_links_in_new_tab(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = find_link_start(rest) {
        let Some(tag_len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + tag_len];
        out.push_str(&rest[..start]);
        rest = &rest[start + tag_len + 1..];
        if !is_external_link(tag) {
            out.push_str(tag);
            out.push('>');
            continue;
        }
        out.push_str(tag.trim_end_matches('/'));
        out.push_str(" target=\"_blank\" rel=\"noopener\">");
        // ASCII case-insensitive, without lower-casing the rest of the page for every link.
        if let Some(end) = rest
            .as_bytes()
            .windows(4)
            .position(|w| w.eq_ignore_ascii_case(b"</a>"))
        {
            out.push_str(&rest[..end]);
            out.push_str(NEW_TAB_NOTE);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Where the next `<a ` tag starts (any case).
fn find_link_start(html: &str) -> Option<usize> {
    html.char_indices().find_map(|(i, c)| {
        let next = html.get(i + 1..i + 3)?;
        (c == '<'
            && next.len() == 2
            && next.as_bytes()[0].eq_ignore_ascii_case(&b'a')
            && next.as_bytes()[1].is_ascii_whitespace())
        .then_some(i)
    })
}

/// Whether an `<a …` tag (without its `>`) links to another site and has no `target`.
fn is_external_link(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    if lower.contains(" target=") {
        return false;
    }
    let Some(at) = lower.find(" href=") else {
        return false;
    };
    let value = lower[at + 6..].trim_start_matches(['"', '\'']);
    ["http://", "https://", "//"]
        .iter()
        .any(|scheme| value.starts_with(scheme))
}

/// A zip that is the same bytes for the same content: sorted entries, one fixed timestamp
/// (1980-01-01, the earliest a zip can hold), fixed permissions.
pub fn deterministic_zip(entries: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>> {
    zip_with_shared(entries, None)
}

/// A deterministic zip of `own` files and the named shared ones, whose already-compressed
/// entries are copied as they are.
fn zip_with_shared(
    own: Vec<(String, Vec<u8>)>,
    shared: Option<(&SharedFiles, &[String])>,
) -> Result<Vec<u8>> {
    let fail = |e: &dyn std::fmt::Display| Error::Usage(format!("could not write a zip: {e}"));
    let mut names: Vec<(String, Option<Vec<u8>>)> =
        own.into_iter().map(|(n, b)| (n, Some(b))).collect();
    let mut archive = match shared {
        Some((shared, used)) => {
            names.extend(used.iter().map(|n| (n.clone(), None)));
            Some(
                zip::ZipArchive::new(std::io::Cursor::new(shared.zip.as_slice()))
                    .map_err(|e| fail(&e))?,
            )
        }
        None => None,
    };
    names.sort_by(|a, b| a.0.cmp(&b.0));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in names {
        match (bytes, archive.as_mut()) {
            (Some(bytes), _) => {
                writer
                    .start_file(name.as_str(), options)
                    .map_err(|e| fail(&e))?;
                writer.write_all(&bytes).map_err(|e| fail(&e))?;
            }
            (None, Some(archive)) => {
                let entry = archive.by_name(&name).map_err(|e| fail(&e))?;
                writer.raw_copy_file(entry).map_err(|e| fail(&e))?;
            }
            (None, None) => unreachable!("shared names come only with their archive"),
        }
    }
    Ok(writer.finish().map_err(|e| fail(&e))?.into_inner())
}

/// `build/scorm/README.md`: which activity settings make Moodle track these packages right, and
/// how to get the acknowledgements back out.
fn admin_readme(project: &Project) -> String {
    let mut text = format!(
        "# SCORM packages for {org}\n\nBuilt by policybook {version} on {date}. Each module comes twice: \
`<module>-scorm12.zip` (SCORM 1.2, use this one in Moodle) and `<module>-scorm2004.zip` \
(SCORM 2004 4th Edition, for other LMSs).\n\n{settings}{reports}\
## Modules\n\n| Module | Policies | Quiz pass mark | Moodle completion |\n|---|---|---|---|\n",
        org = project.config.organisation,
        version = env!("CARGO_PKG_VERSION"),
        date = project.today,
        settings = README_SETTINGS,
        reports = README_REPORTS,
    );
    for module in &project.modules {
        text.push_str(&module_row(project, module));
    }
    text
}

const README_SETTINGS: &str = "## Moodle activity settings\n\n\
Add an activity → SCORM package, upload the `-scorm12.zip`, then set:\n\n\
- **Appearance → Display package:** Current window (the package also works in a new window). \
Links to other sites open in a new tab, so the learner never leaves the package by accident.\n\
- **Grade → Grading method:** Highest grade. **Maximum grade:** 100. Every module reports a \
score from 0 to 100: a module with a quiz its quiz score, a module without a quiz 100 when the \
learner acknowledges (Moodle grades the raw score, and counts no score as 0).\n\
- **Attempts management → Grade for attempts:** Highest attempt. **Force new attempt:** \
\"When previous attempt completed, passed or failed\". Otherwise Moodle reopens a finished \
attempt in review mode, where nothing is recorded: the package then tells the learner so, and \
how to start a new attempt (tick *Start a new attempt*, then *Enter*).\n\
- **Activity completion:** for a module with a quiz, *Require minimum score* set to its pass \
mark (below), or *Require status: Passed* with *Completed* not ticked: Moodle counts any one of \
the ticked statuses, and a SCORM 2004 package reports *completed* for every learner who \
finishes, passed or not. For a module without a quiz, *Require status: Completed*.\n\
- Keep **Mastery score overrides status** on (the default): the manifest's mastery score is the \
quiz's own pass mark, so Moodle and the package always agree.\n\n\
Learners must pass a module's quiz before they can acknowledge (they may retry as often as they \
need). A module with `require_pass = false` in `policybook.toml` lets them acknowledge after \
failing; that acknowledgement is recorded with `:quiz-failed` at the end, and `policybook acks` \
reports it separately.\n\n\
To update a module after a policy changes, replace the package file in the existing activity \
(Package file → upload): its identifiers never change, so learners' records are kept. Learners \
who acknowledged an earlier version can then be asked to acknowledge again.\n\n\
Course completion is recalculated by Moodle's scheduled task, so it can lag a few minutes \
behind the activity.\n\n";

const README_REPORTS: &str = "## Getting the acknowledgements out of Moodle\n\n\
Each acknowledgement is recorded as `ack:<policy-id>:<version>:sha256:<content digest>`, which \
`policybook acks` reads from Moodle's report downloads as they are (tab-separated text, .xlsx or \
.ods):\n\n\
- **SCORM 1.2 (recommended):** the activity's *Reports → Interactions report*, with *Response* \
shown (the default), then *Download in text format* (a tab-separated `.txt`), *Excel* or \
*ODS*. Run `policybook acks <downloaded file> --roster staff.csv`.\n\
- **SCORM 2004:** Moodle's Interactions report, its download and the per-learner interactions \
view show only SCORM 1.2 responses, so 2004 acknowledgements are not there. The package also \
records each acknowledgement as an objective (`cmi.objectives.n.id`, status *completed*), which \
Moodle's *Objectives report* shows: a column headed by the acknowledgement, *completed* for each \
learner who gave it. Download that report the same way; `policybook acks` reads it. For Moodle, \
the 1.2 package is still the one to use.\n\n";

/// One module's row of the README's table.
fn module_row(project: &Project, module: &Module) -> String {
    let policies: Vec<String> = module
        .policies
        .iter()
        .filter_map(|id| project.policy(id))
        .map(|p| format!("{} (v{})", p.title, p.version))
        .collect();
    let marks: Vec<String> = module
        .quizzes
        .iter()
        .filter_map(|id| project.quizzes.iter().find(|q| &q.id == id))
        .map(|q| format!("{}%", q.pass_mark))
        .collect();
    let lenient = if module.require_pass {
        ""
    } else {
        "; acknowledging without a pass allowed"
    };
    let (pass, completion) = match (marks.as_slice(), module.mastery_score(&project.quizzes)) {
        ([], _) => (
            "none (scores 100 on acknowledgement)".to_owned(),
            "Require status: Completed".to_owned(),
        ),
        (_, Some(mark)) => (
            marks.join(", ") + lenient,
            format!("Require minimum score: {mark}"),
        ),
        _ => (
            marks.join(", ") + " (each quiz)" + lenient,
            "Require status: Passed".to_owned(),
        ),
    };
    format!(
        "| `{}` {} | {} | {} | {} |\n",
        module.id,
        module.title,
        policies.join("; "),
        pass,
        completion
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_entries_are_copied_not_recompressed_and_read_back() {
        use std::io::Read;
        let shared_files = vec![
            ("assets/a.css".to_owned(), b"body{}".repeat(100)),
            ("s.xsd".to_owned(), b"<x/>".to_vec()),
        ];
        let shared = SharedFiles {
            zip: deterministic_zip(shared_files.clone()).unwrap(),
            files: shared_files,
        };
        let used = ["assets/a.css".to_owned(), "s.xsd".to_owned()];
        let zip = zip_with_shared(
            vec![("index.html".into(), b"<p>hi</p>".to_vec())],
            Some((&shared, &used)),
        )
        .unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.clone())).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(names, ["assets/a.css", "index.html", "s.xsd"]);
        let mut css = String::new();
        archive
            .by_name("assets/a.css")
            .unwrap()
            .read_to_string(&mut css)
            .unwrap();
        assert_eq!(css, "body{}".repeat(100));
        // The same bytes as compressing everything afresh.
        let fresh = deterministic_zip(vec![
            ("index.html".into(), b"<p>hi</p>".to_vec()),
            ("assets/a.css".into(), b"body{}".repeat(100)),
            ("s.xsd".into(), b"<x/>".to_vec()),
        ])
        .unwrap();
        assert_eq!(zip, fresh);
    }

    #[test]
    fn zips_are_deterministic_and_sorted() {
        let a = deterministic_zip(vec![
            ("b.txt".into(), b"2".to_vec()),
            ("a.txt".into(), b"1".to_vec()),
        ])
        .unwrap();
        let b = deterministic_zip(vec![
            ("a.txt".into(), b"1".to_vec()),
            ("b.txt".into(), b"2".to_vec()),
        ])
        .unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn external_links_open_in_a_new_tab_and_say_so() {
        let html = r##"<p><a href="https://e.org/">E</a> <a href="#p1-x">in page</a> <A HREF='http://x.org' class="c">X</A><a href="//cdn.org" target="_self">C</a> <a href="mailto:a@b.org">mail</a></p>"##;
        assert_eq!(
            external_links_in_new_tab(html),
            r##"<p><a href="https://e.org/" target="_blank" rel="noopener">E<span class="visually-hidden"> (opens in a new tab)</span></a> <a href="#p1-x">in page</a> <A HREF='http://x.org' class="c" target="_blank" rel="noopener">X<span class="visually-hidden"> (opens in a new tab)</span></A><a href="//cdn.org" target="_self">C</a> <a href="mailto:a@b.org">mail</a></p>"##
        );
        assert_eq!(
            external_links_in_new_tab("<a href=\"https://x"),
            "<a href=\"https://x"
        );
        assert_eq!(
            external_links_in_new_tab("<abbr>é</abbr>"),
            "<abbr>é</abbr>"
        );
    }

    #[test]
    fn anchors_are_prefixed_in_pairs() {
        let html = r##"<h2 id="scope">Scope</h2><p><a href="#scope">x</a> <a href="https://e.org/#a">y</a></p>"##;
        assert_eq!(
            prefix_anchors(html, "p1-"),
            r##"<h2 id="p1-scope">Scope</h2><p><a href="#p1-scope">x</a> <a href="https://e.org/#a">y</a></p>"##
        );
    }
}
