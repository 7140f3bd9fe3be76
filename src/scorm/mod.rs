//! SCORM packages for Moodle and other LMSs: one module per policy (the policy, its quiz, the
//! acknowledgement), plus the `[[module]]`s of `policybook.toml`, each as a SCORM 1.2 and a
//! SCORM 2004 4th Edition zip in `build/scorm/`.
//!
//! What Moodle's player and parser really do is in `docs/scorm.md`; the rules that follow from
//! it are enforced here: stable identifiers, raw UTF-8 manifests with the exact prefixes,
//! every file listed, schemas at the package root, deterministic zips, and a build-time check
//! that saved progress (`cmi.suspend_data`) fits SCORM 1.2's 4,096 characters.

mod manifest;
mod package;
mod suspend;

use std::collections::BTreeSet;

use rayon::prelude::*;

use crate::config::{Config, ModuleConfig};
use crate::content::{Policy, is_valid_id};
use crate::error::{DependsOn, Diagnostic};
use crate::quiz::Quiz;
use crate::source::line_col_at;
use crate::validate::closest;

pub use package::{SCORM_DIR, write_packages};

/// The two packagings of every module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    Scorm12,
    Scorm2004,
}

impl Version {
    pub const ALL: [Version; 2] = [Version::Scorm12, Version::Scorm2004];

    /// Suffix of the package's file name: `<module>-scorm12.zip`.
    pub fn suffix(self) -> &'static str {
        match self {
            Version::Scorm12 => "scorm12",
            Version::Scorm2004 => "scorm2004",
        }
    }

    /// Most characters of `cmi.suspend_data` every LMS keeps for this version.
    pub fn suspend_data_limit(self) -> usize {
        match self {
            Version::Scorm12 => 4096,
            Version::Scorm2004 => 64000,
        }
    }
}

/// A module: what one SCORM package holds, resolved against the project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    pub id: String,
    pub title: String,
    /// Ids of the policies, in reading order.
    pub policies: Vec<String>,
    /// Ids of the quizzes, in the order they are taken.
    pub quizzes: Vec<String>,
    /// Whether every quiz must be passed before the learner can acknowledge (the default; a
    /// module without a quiz has nothing to pass).
    pub require_pass: bool,
    /// The audience the module is for: picks each policy's agreement for that audience. `None`:
    /// each policy's agreement for everyone (or its only one).
    pub audience: Option<String>,
}

impl Module {
    /// The pass mark the LMS may apply itself (`adlcp:masteryscore`): only for a single quiz,
    /// where "score ≥ pass mark" is exactly how the module decides passed or failed. With
    /// several quizzes each must be passed at its own mark, which no single score expresses.
    pub fn mastery_score(&self, quizzes: &[Quiz]) -> Option<u8> {
        match self.quizzes.as_slice() {
            [only] => quizzes.iter().find(|q| &q.id == only).map(|q| q.pass_mark),
            _ => None,
        }
    }
}

/// Every module of the project: one per policy (named after it), then the configured ones.
pub fn plan_modules(
    config: &Config,
    policies: &[Policy],
    quizzes: &[Quiz],
) -> (Vec<Module>, Vec<Diagnostic>) {
    let mut modules: Vec<Module> = policies
        .iter()
        .flat_map(|p| policy_modules(config, p, quizzes))
        .collect();
    let mut diags = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for module in &modules {
        if !taken.insert(module.id.clone()) {
            diags.push(
                Diagnostic::error(
                    &config.path,
                    format!("two SCORM modules would be called `{}`", module.id),
                )
                .help("a policy with agreements for several audiences gets a module per audience, `<policy>-<audience>`: rename the policy or the audience that clashes"),
            );
        }
    }
    let mut config_lines = std::collections::HashMap::new();
    let by_id: suspend::PolicyIndex = policies.iter().map(|p| (p.id.as_str(), p)).collect();
    for spanned in &config.modules {
        let line = line_col_at(&config.source, spanned.span().start).0;
        let error = |message: String, help: String| {
            Diagnostic::error(&config.path, message)
                .at(&config.source, line, 1)
                .help(help)
        };
        match configured_module(spanned.get_ref(), config, policies, quizzes) {
            Err((message, help)) => {
                let mut diag = error(message, help);
                if let Some(missing) = missing_policy(spanned.get_ref(), policies) {
                    diag = diag.depends_on(DependsOn::Policy(missing));
                }
                diags.push(diag);
            }
            Ok(module) if !taken.insert(module.id.clone()) => diags.push(error(
                format!(
                    "module id `{}` is already used by a policy or another module",
                    module.id
                ),
                "every policy has a module named after its id; give this one another id".to_owned(),
            )),
            Ok(module) => {
                config_lines.insert(module.id.clone(), line);
                modules.push(module);
            }
        }
    }
    // On all cores: at 10,000 modules this was a fifth of what `serve` does on a save.
    let per_module: Vec<Vec<Diagnostic>> = modules
        .par_iter()
        .map(|module| {
            let config_line = config_lines.get(&module.id).copied();
            let budget = suspend::check_budget(module, quizzes, &by_id, config, config_line);
            budget
                .into_iter()
                .chain(question_id_clash(module, quizzes, config))
                .collect()
        })
        .collect();
    diags.extend(per_module.into_iter().flatten());
    (modules, diags)
}

/// The modules of one policy: one, or one per agreement when its audiences confirm different
/// agreements (`<policy>-<audience>`, "<title> (<audience>)"), since each LMS course is usually
/// for one audience.
fn policy_modules(config: &Config, p: &Policy, quizzes: &[Quiz]) -> Vec<Module> {
    let quiz_ids: Vec<String> = quizzes
        .iter()
        .filter(|q| q.policy == p.id)
        .map(|q| q.id.clone())
        .collect();
    let module = |id: String, title: String, audience: Option<String>| Module {
        id,
        title,
        policies: vec![p.id.clone()],
        quizzes: quiz_ids.clone(),
        require_pass: true,
        audience,
    };
    if p.agreements.len() < 2 {
        return vec![module(p.id.clone(), p.title.clone(), None)];
    }
    p.agreements
        .iter()
        .map(|a| match a.audiences.first() {
            None => module(p.id.clone(), p.title.clone(), None),
            Some(first) => {
                let titles: Vec<&str> = a
                    .audiences
                    .iter()
                    .map(|id| config.audience(id).map_or(id.as_str(), |x| x.title()))
                    .collect();
                module(
                    format!("{}-{}", p.id, a.audiences.join("-")),
                    format!("{} ({})", p.title, titles.join(", ")),
                    Some(first.clone()),
                )
            }
        })
        .collect()
}

/// Question ids become SCORM interaction ids: within one module they must be unique, or the
/// LMS's report could not tell two questions apart.
fn question_id_clash(module: &Module, quizzes: &[Quiz], config: &Config) -> Option<Diagnostic> {
    let mut seen: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for quiz in module
        .quizzes
        .iter()
        .filter_map(|id| quizzes.iter().find(|q| &q.id == id))
    {
        for question in &quiz.questions {
            // (Duplicates within one quiz are reported by the quiz's own checks.)
            if let Some(first) = seen.insert(&question.id, &quiz.id)
                && first != quiz.id
            {
                let message = format!(
                    "module `{}`: quizzes `{first}` and `{}` both have a question `{}`",
                    module.id, quiz.id, question.id
                );
                let help = "question ids become SCORM interaction ids, so they must differ within a module: rename one";
                return Some(Diagnostic::error(&config.path, message).help(help));
            }
        }
    }
    None
}

/// The first policy a valid module names that is not loaded: the problem [`configured_module`]
/// reports first, and one that disappears once that policy loads.
fn missing_policy(config: &ModuleConfig, policies: &[Policy]) -> Option<String> {
    if !is_valid_id(config.id.trim()) {
        return None;
    }
    config
        .policies
        .iter()
        .find(|wanted| !policies.iter().any(|p| &&p.id == wanted))
        .cloned()
}

fn configured_module(
    config: &ModuleConfig,
    project_config: &Config,
    policies: &[Policy],
    quizzes: &[Quiz],
) -> Result<Module, (String, String)> {
    let id = config.id.trim();
    if !is_valid_id(id) {
        return Err((
            format!("`{id}` is not a valid module id"),
            "use lower-case letters, digits and `-`, e.g. `new-staff-induction`".to_owned(),
        ));
    }
    if config.policies.is_empty() {
        return Err((
            format!("module `{id}` has no policies"),
            "list at least one policy id in `policies`".to_owned(),
        ));
    }
    let policy_ids = policies.iter().map(|p| p.id.as_str());
    for wanted in &config.policies {
        if !policies.iter().any(|p| &p.id == wanted) {
            return Err((
                format!("module `{id}`: no policy has id `{wanted}`"),
                did_you_mean(wanted, policy_ids),
            ));
        }
    }
    let quiz_ids = match &config.quizzes {
        Some(list) => {
            for wanted in list {
                let Some(quiz) = quizzes.iter().find(|q| &q.id == wanted) else {
                    return Err((
                        format!("module `{id}`: no quiz has id `{wanted}`"),
                        did_you_mean(wanted, quizzes.iter().map(|q| q.id.as_str())),
                    ));
                };
                if !config.policies.contains(&quiz.policy) {
                    return Err((
                        format!(
                            "module `{id}`: quiz `{wanted}` tests policy `{}`, which is not in the module",
                            quiz.policy
                        ),
                        "add the policy to `policies`, or take the quiz out".to_owned(),
                    ));
                }
            }
            list.clone()
        }
        None => config
            .policies
            .iter()
            .flat_map(|p| {
                quizzes
                    .iter()
                    .filter(move |q| &q.policy == p)
                    .map(|q| q.id.clone())
            })
            .collect(),
    };
    let audience = config.audience.as_deref().map(str::trim);
    check_module_audience(id, audience, &config.policies, project_config, policies)?;
    Ok(Module {
        id: id.to_owned(),
        title: config.title.trim().to_owned(),
        policies: config.policies.clone(),
        quizzes: quiz_ids,
        require_pass: config.require_pass.unwrap_or(true),
        audience: audience.map(str::to_owned),
    })
}

/// A module's `audience` must be declared and apply to each of its policies; without one, no
/// policy may have agreements for several audiences (which one would the learner confirm?).
fn check_module_audience(
    id: &str,
    audience: Option<&str>,
    wanted: &[String],
    config: &Config,
    policies: &[Policy],
) -> Result<(), (String, String)> {
    let policy = |w: &String| policies.iter().find(|p| &p.id == w);
    let Some(audience) = audience else {
        if let Some(p) = wanted
            .iter()
            .filter_map(policy)
            .find(|p| p.agreements.len() > 1)
        {
            return Err((
                format!(
                    "module `{id}`: policy `{}` has an agreement for each of several audiences",
                    p.id
                ),
                "say which audience this module is for, e.g. `audience = \"staff\"`".to_owned(),
            ));
        }
        return Ok(());
    };
    if config.audience(audience).is_none() {
        return Err((
            format!("module `{id}`: unknown audience `{audience}`"),
            did_you_mean_audience(audience, config),
        ));
    }
    if let Some(p) = wanted
        .iter()
        .filter_map(policy)
        .find(|p| !p.applies_to_any(&[audience.to_owned()]))
    {
        return Err((
            format!(
                "module `{id}` is for `{audience}`, but policy `{}` does not apply to them",
                p.id
            ),
            "take the policy out of the module, or add the audience to its `audience:`".to_owned(),
        ));
    }
    Ok(())
}

fn did_you_mean_audience(word: &str, config: &Config) -> String {
    match closest(word, config.audience_ids()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "declare it in policybook.toml with an [[audience]] table".to_owned(),
    }
}

fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    match closest(word, candidates) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "check the id against the files in content/ and quizzes/".to_owned(),
    }
}
