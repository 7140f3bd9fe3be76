//! `policybook.toml`: read strictly (unknown keys are errors) and resolved into what a build needs.

use std::path::Path;

use serde::Deserialize;

use crate::date::Date;
use crate::error::{Diagnostic, Error, Result};
use crate::source::line_col_at;

pub const CONFIG_FILE: &str = "policybook.toml";

/// Longest `organisation` or `title`: it heads every page and goes into the signed comment of
/// every release, which minisign caps at a few kilobytes.
pub const NAME_MAX_CHARS: usize = 200;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The organisation the policies belong to, shown on every page.
    pub organisation: String,
    /// Title of the website (the "All Policies" index).
    #[serde(default = "default_title")]
    pub title: String,
    /// Where the site is published, e.g. `https://example.org/policies/`. Links stay relative;
    /// this is only shown to readers of printed or offline copies.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Theme name: the embedded `default`, or a folder `themes/<name>/` overriding parts of it.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// A policy whose review date is within this many days is shown as "review due soon".
    #[serde(default = "default_review_warning_days")]
    pub review_warning_days: u32,
    /// Titles of associated policies kept outside this site (no warning when a policy lists them).
    #[serde(default)]
    pub external_policies: Vec<String>,
    /// SCORM modules that combine several policies and quizzes (`[[module]]` tables). Every
    /// policy also gets a module of its own.
    #[serde(default, rename = "module")]
    pub modules: Vec<toml::Spanned<ModuleConfig>>,
    /// Who policies can apply to (`[[audience]]` tables: staff, learners, contractors, …), in
    /// the order they are shown. Policies name them in `audience:`, rosters in `audience`.
    #[serde(default, rename = "audience")]
    pub audiences: Vec<toml::Spanned<AudienceConfig>>,
    /// The config's text and how messages name it, for pointing at lines after parsing.
    #[serde(skip)]
    pub source: String,
    #[serde(skip)]
    pub path: std::path::PathBuf,
    /// Secret key to sign releases with, relative to the project (`--sign` and
    /// `POLICYBOOK_SIGN_KEY` take precedence). Keep it outside content/ and the output.
    #[serde(default)]
    pub sign_key: Option<std::path::PathBuf>,
    /// Fixed date for review status; `--today` and `SOURCE_DATE_EPOCH` take precedence.
    #[serde(default)]
    pub today: Option<Date>,
    /// Whether to typeset a PDF of every policy and the register (`build/pdf/`); default true.
    #[serde(default = "default_pdf")]
    pub pdf: bool,
    /// The review interval `policybook new` writes into a new policy (default "12 months").
    #[serde(default)]
    pub review_interval: Option<String>,
}

/// An induction module: several policies and quizzes in one SCORM package.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleConfig {
    /// Becomes the package's file name and the stable identifier Moodle tracks learners by.
    pub id: String,
    pub title: String,
    /// Policy ids, in the order the learner reads them.
    pub policies: Vec<String>,
    /// Quiz ids; by default every quiz of the module's policies.
    #[serde(default)]
    pub quizzes: Option<Vec<String>>,
    /// Whether the quizzes must be passed before the learner can acknowledge (default true).
    /// When false, an acknowledgement after a failed quiz is recorded as such
    /// (`ack:…:quiz-failed`) and `policybook acks` reports it separately.
    #[serde(default)]
    pub require_pass: Option<bool>,
    /// The audience the module is for (an `[[audience]]` id): each policy shows the agreement
    /// for that audience.
    #[serde(default)]
    pub audience: Option<String>,
}

/// A group of people a policy can apply to, e.g. `id = "learners"`, `title = "Learners and
/// apprentices"`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceConfig {
    /// What policies and rosters call it: lower-case letters, digits, `-` and `_`.
    pub id: String,
    /// How pages name it (default: the id).
    #[serde(default)]
    pub title: Option<String>,
}

impl AudienceConfig {
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.id)
    }
}

impl Config {
    /// The declared audience `id`, if any.
    pub fn audience(&self, id: &str) -> Option<&AudienceConfig> {
        self.audiences
            .iter()
            .map(toml::Spanned::get_ref)
            .find(|a| a.id == id)
    }

    /// The ids of the declared audiences, in their order.
    pub fn audience_ids(&self) -> impl Iterator<Item = &str> {
        self.audiences.iter().map(|a| a.get_ref().id.as_str())
    }
}

fn default_pdf() -> bool {
    true
}
fn default_title() -> String {
    "All Policies".to_owned()
}
fn default_theme() -> String {
    "default".to_owned()
}
fn default_review_warning_days() -> u32 {
    60
}

impl Config {
    /// Reads `policybook.toml` from the project root; `display_path` is how messages name it.
    pub fn load(root: &Path, display_path: &Path) -> Result<Config> {
        let Some(text) = crate::source::read_text(root, Path::new(CONFIG_FILE), display_path)?
        else {
            return Err(Error::Usage(format!(
                "no {CONFIG_FILE} in {}: run policybook in a project folder, pass --root DIR, \
                 or create one with `policybook init DIR`",
                root.display()
            )));
        };
        Config::parse(&text, display_path)
    }

    pub fn parse(text: &str, display_path: &Path) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let mut diag = Diagnostic::error(display_path, e.message().trim().to_owned());
            if let Some(span) = e.span() {
                let (line, col) = line_col_at(text, span.start);
                diag = diag.at(text, line, col);
            }
            if e.message().contains("unknown field") {
                diag = diag.help(
                    "known keys: organisation, title, base_url, theme, review_warning_days, review_interval, external_policies, sign_key, today, pdf, and [[module]] and [[audience]] tables",
                );
            }
            Error::Invalid(vec![diag])
        })?;
        config.validate(display_path, text)?;
        config.source = text.to_owned();
        config.path = display_path.to_path_buf();
        Ok(config)
    }

    fn validate(&self, display_path: &Path, text: &str) -> Result<()> {
        let mut problems = Vec::new();
        let at_key = |key: &str, diag: Diagnostic| match key_line(text, key) {
            Some(line) => diag.at(text, line, 1),
            None => diag,
        };
        if !is_safe_name(&self.theme) {
            problems.push(at_key(
                "theme",
                Diagnostic::error(display_path, format!("invalid theme name `{}`", self.theme))
                    .help("a theme name is a folder name under themes/: letters, digits, `-`, `_`"),
            ));
        }
        if self.organisation.trim().is_empty() {
            problems.push(at_key(
                "organisation",
                Diagnostic::error(display_path, "`organisation` is empty")
                    .help("name the organisation these policies belong to"),
            ));
        }
        for (key, value) in [("organisation", &self.organisation), ("title", &self.title)] {
            let length = value.chars().count();
            if length > NAME_MAX_CHARS {
                problems.push(at_key(
                    key,
                    Diagnostic::error(
                        display_path,
                        format!("`{key}` is {length} characters long; at most {NAME_MAX_CHARS} fit"),
                    )
                    .help("it heads every page and is signed into every release: use the short name people know"),
                ));
            }
        }
        if let Some(interval) = &self.review_interval
            && let Err(e) = crate::date::Interval::parse(interval)
        {
            problems.push(at_key(
                "review_interval",
                Diagnostic::error(display_path, format!("`review_interval`: {e}"))
                    .help("write a number and a unit, for example review_interval = \"12 months\" or \"2 years\""),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for spanned in &self.audiences {
            let audience = spanned.get_ref();
            let (line, _) = line_col_at(text, spanned.span().start);
            let problem = if !crate::content::is_valid_id(&audience.id) {
                Some(format!("`{}` is not a valid audience id", audience.id))
            } else if !seen.insert(audience.id.as_str()) {
                Some(format!("audience `{}` is declared twice", audience.id))
            } else {
                None
            };
            if let Some(message) = problem {
                problems.push(
                    Diagnostic::error(display_path, message)
                        .at(text, line, 1)
                        .help("each [[audience]] needs its own id of lower-case letters, digits and `-`, e.g. `id = \"learners\"`"),
                );
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(problems))
        }
    }
}

/// Picks the date that review status is computed against, most explicit first:
/// the `--today` flag, then `SOURCE_DATE_EPOCH`, then `today` in the config, then the clock (UTC).
pub fn resolve_today(flag: Option<Date>, config: &Config) -> Result<Date> {
    if let Some(date) = flag {
        return Ok(date);
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        return Date::from_unix_seconds(epoch.trim()).ok_or_else(|| {
            Error::Usage(format!(
                "SOURCE_DATE_EPOCH={epoch:?} is not a number of seconds since 1970-01-01"
            ))
        });
    }
    Ok(config.today.unwrap_or_else(Date::today_utc))
}

/// A name that is safe as one path component.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}
