//! The role register (`content/roles.toml`) and who must do what across all policies.
//!
//! ```toml
//! [[role]]
//! id = "all-staff"
//! title = "All staff"
//! description = "Everyone employed by or working for the organisation."
//! includes = ["trainer", "ict-team"]   # duties of all staff apply to trainers and ICT too
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::{Policy, is_valid_id};
use crate::error::{DependsOn, Diagnostic, Error, Result};
use crate::source::line_col_at;
use crate::validate::closest;

pub const ROLES_FILE: &str = "content/roles.toml";

#[derive(Clone, Debug)]
pub struct Role {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Roles this one includes: its duties apply to them as well.
    pub includes: Vec<String>,
    pub line: usize,
}

/// Every role, in the order of the register (the order of the matrix columns).
#[derive(Clone, Debug, Default)]
pub struct RoleRegister {
    pub roles: Vec<Role>,
    /// How messages name the file, and its text for pointing at lines.
    pub path: PathBuf,
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegister {
    #[serde(default, rename = "role")]
    roles: Vec<toml::Spanned<RawRole>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    id: toml::Spanned<String>,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    includes: Vec<toml::Spanned<String>>,
}

impl RoleRegister {
    /// Reads `content/roles.toml`; a project without one has an empty register.
    pub fn load(root: &Path, display_root: &Path) -> Result<(RoleRegister, Vec<Diagnostic>)> {
        let display = display_root.join(ROLES_FILE);
        let empty = |display| RoleRegister {
            path: display,
            ..RoleRegister::default()
        };
        match crate::source::read_text(root, Path::new(ROLES_FILE), &display) {
            Ok(Some(source)) => Ok(RoleRegister::parse(source, display)),
            Ok(None) => Ok((empty(display), vec![])),
            // Reported with every other problem, not alone.
            Err(Error::Invalid(diagnostics)) => Ok((empty(display), diagnostics)),
            Err(e) => Err(e),
        }
    }

    pub fn parse(source: String, display: PathBuf) -> (RoleRegister, Vec<Diagnostic>) {
        let mut register = RoleRegister {
            roles: Vec::new(),
            path: display,
            source,
        };
        let raw: RawRegister = match toml::from_str(&register.source) {
            Ok(raw) => raw,
            Err(e) => {
                let (line, col) = e
                    .span()
                    .map_or((1, 1), |s| line_col_at(&register.source, s.start));
                let diag = Diagnostic::error(&register.path, e.message().trim().to_owned())
                    .at(&register.source, line, col)
                    .help("each role is a `[[role]]` table with `id`, `title`, and optionally `description` and `includes`");
                return (register, vec![diag]);
            }
        };
        let mut diags = Vec::new();
        for spanned in raw.roles {
            let line = line_col_at(&register.source, spanned.span().start).0;
            let raw = spanned.into_inner();
            let id = raw.id.get_ref().trim().to_owned();
            let (id_line, id_col) = line_col_at(&register.source, raw.id.span().start);
            if !is_valid_id(&id) {
                diags.push(register.error_at(
                    id_line,
                    id_col,
                    format!("`{id}` is not a valid role id"),
                    "use lower-case letters, digits and `-`, e.g. `esafety-lead`",
                ));
                continue;
            }
            if register.get(&id).is_some() {
                diags.push(register.error_at(
                    id_line,
                    id_col,
                    format!("role `{id}` is defined twice"),
                    "remove or rename one of the two `[[role]]` entries",
                ));
                continue;
            }
            let includes = raw
                .includes
                .iter()
                .map(|s| s.get_ref().trim().to_owned())
                .collect();
            register.roles.push(Role {
                id,
                title: raw.title.trim().to_owned(),
                description: raw.description.trim().to_owned(),
                includes,
                line,
            });
            register.check_include_spans(&raw.includes, &mut diags);
        }
        diags.extend(register.check_includes_exist());
        diags.extend(register.check_cycles());
        (register, diags)
    }

    fn error_at(&self, line: usize, col: usize, message: String, help: &str) -> Diagnostic {
        Diagnostic::error(&self.path, message)
            .at(&self.source, line, col)
            .help(help)
    }

    pub fn get(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }

    /// Roles whose duties apply to `id` because they include it, directly or through others,
    /// nearest first. `id` itself is not in the list.
    pub fn including(&self, id: &str) -> Vec<&Role> {
        let mut found: Vec<&Role> = Vec::new();
        let mut frontier = vec![id];
        while let Some(current) = frontier.pop() {
            for role in &self.roles {
                if role.includes.iter().any(|i| i == current)
                    && role.id != id
                    && !found.iter().any(|f| f.id == role.id)
                {
                    found.push(role);
                    frontier.insert(0, &role.id);
                }
            }
        }
        found
    }

    /// Every `includes` entry must at least look like a role id.
    fn check_include_spans(
        &mut self,
        includes: &[toml::Spanned<String>],
        diags: &mut Vec<Diagnostic>,
    ) {
        for inc in includes {
            let name = inc.get_ref().trim();
            if !is_valid_id(name) {
                let (line, col) = line_col_at(&self.source, inc.span().start);
                diags.push(self.error_at(
                    line,
                    col,
                    format!("`{name}` is not a valid role id"),
                    "list the ids of other roles in this file",
                ));
            }
        }
    }

    fn check_includes_exist(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for role in &self.roles {
            for inc in role.includes.iter().filter(|i| is_valid_id(i)) {
                if self.get(inc).is_none() {
                    let (line, col) = self.find_in_role(role, inc);
                    let help = match closest(inc, self.roles.iter().map(|r| r.id.as_str())) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "define the role with its own `[[role]]` entry, or remove it from `includes`".to_owned(),
                    };
                    diags.push(self.error_at(
                        line,
                        col,
                        format!("role `{}` includes `{inc}`, which is not defined", role.id),
                        &help,
                    ));
                }
            }
        }
        diags
    }

    /// An include cycle would make every role in it responsible for everything the others do.
    fn check_cycles(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        let mut reported: BTreeSet<String> = BTreeSet::new();
        for role in &self.roles {
            if let Some(path) = self.cycle_from(&role.id) {
                let members: BTreeSet<String> = path.iter().cloned().collect();
                if members.iter().any(|m| reported.contains(m)) {
                    continue;
                }
                reported.extend(members);
                diags.push(self.error_at(role.line, 1, format!("roles include each other in a cycle: {}", path.join(" → ")), "a role cannot include itself, directly or through other roles: remove one `includes` entry"));
            }
        }
        diags
    }

    /// A path `start → … → start` through `includes`, if there is one.
    fn cycle_from(&self, start: &str) -> Option<Vec<String>> {
        fn walk<'a>(
            reg: &'a RoleRegister,
            start: &str,
            at: &'a str,
            path: &mut Vec<&'a str>,
            seen: &mut BTreeSet<&'a str>,
        ) -> bool {
            let Some(role) = reg.get(at) else {
                return false;
            };
            for next in &role.includes {
                if next == start {
                    path.push(next);
                    return true;
                }
                if seen.insert(next.as_str()) {
                    path.push(next);
                    if walk(reg, start, next, path, seen) {
                        return true;
                    }
                    path.pop();
                }
            }
            false
        }
        let mut path = vec![start];
        let mut seen = BTreeSet::new();
        walk(self, start, start, &mut path, &mut seen)
            .then(|| path.iter().map(|s| s.to_string()).collect())
    }

    fn find_in_role(&self, role: &Role, needle: &str) -> (usize, usize) {
        let quoted = format!("\"{needle}\"");
        self.source
            .lines()
            .enumerate()
            .skip(role.line - 1)
            .find_map(|(i, l)| l.find(&quoted).map(|c| (i + 1, l[..c].chars().count() + 1)))
            .unwrap_or((role.line, 1))
    }
}

/// RACI letters a policy may give a role.
pub const RACI_LETTERS: &str = "RACI";

pub fn raci_word(letter: char) -> &'static str {
    match letter {
        'R' => "Responsible",
        'A' => "Accountable",
        'C' => "Consulted",
        'I' => "Informed",
        _ => "",
    }
}

/// Checks every use of a role in the policies against the register.
pub fn validate_role_use(register: &RoleRegister, policies: &[Policy]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for policy in policies {
        let body = &policy.body;
        let marks = body
            .role_sections
            .iter()
            .map(|s| (&s.roles, s.line, &s.source_line))
            .chain(
                body.role_marks
                    .iter()
                    .map(|m| (&m.roles, m.line, &m.source_line)),
            );
        for (roles, line, source_line) in marks {
            for (role, column) in roles {
                if register.get(role).is_some() {
                    used.insert(role);
                } else {
                    let diag =
                        Diagnostic::error(&policy.path, format!("role `{role}` is not defined"))
                            .at_text(source_line, line, *column)
                            .help(unknown_role_help(register, role));
                    diags.push(diag);
                }
            }
        }
        for raci in &policy.raci {
            if register.get(&raci.role).is_some() {
                used.insert(&raci.role);
            } else {
                diags.push(
                    Diagnostic::error(
                        &policy.path,
                        format!("role `{}` in `raci` is not defined", raci.role),
                    )
                    .at(&policy.front_matter, raci.line, raci.column)
                    .help(unknown_role_help(register, &raci.role)),
                );
            }
            if raci.letters.is_empty() || raci.letters.chars().any(|c| !RACI_LETTERS.contains(c)) {
                diags.push(Diagnostic::error(&policy.path, format!("`{}` is not a RACI letter (role `{}`)", raci.letters, raci.role)).at(&policy.front_matter, raci.line, raci.column).help("use R (responsible), A (accountable), C (consulted) or I (informed), or several such as `RA`"));
            }
        }
        diags.extend(check_accountable(policy));
        diags.extend(check_empty_role_sections(policy));
    }
    diags.extend(unused_roles(register, &used));
    diags
}

/// "Did you mean" for a role the register lacks. A name with spaces is usually a role's title,
/// or its id written as words.
fn unknown_role_help(register: &RoleRegister, role: &str) -> String {
    if !is_valid_id(role) {
        if let Some(r) = register
            .roles
            .iter()
            .find(|r| r.title.eq_ignore_ascii_case(role))
        {
            return format!("write the role's id, not its title: `{{role={}}}`", r.id);
        }
        let slug = crate::markdown::slugify(role);
        return match register.get(&slug) {
            Some(r) => format!(
                "role ids are written in lower case with `-` for spaces: did you mean `{}`?",
                r.id
            ),
            None => format!(
                "role ids are lower-case letters, digits and `-` (e.g. `{slug}`), defined in {ROLES_FILE}; separate several roles with commas"
            ),
        };
    }
    match closest(role, register.roles.iter().map(|r| r.id.as_str())) {
        Some(near) => format!("did you mean `{near}`? Roles are defined in {ROLES_FILE}"),
        None => {
            format!("define it in {ROLES_FILE} with a `[[role]]` entry (id, title, description)")
        }
    }
}

/// A policy that gives duties needs one accountable role, and only one.
fn check_accountable(policy: &Policy) -> Vec<Diagnostic> {
    let accountable: Vec<&crate::content::Raci> = policy
        .raci
        .iter()
        .filter(|r| r.letters.contains('A'))
        .collect();
    if accountable.is_empty() && !policy.body.duties.is_empty() {
        return vec![Diagnostic::warning(&policy.path, "the policy gives duties to roles but names no accountable role").at(&policy.front_matter, 1, 1).help("add `raci:` to the front matter with one role marked `A`, e.g. `raci: { managing-director: A }`")];
    }
    if accountable.len() > 1 {
        let names: Vec<String> = accountable
            .iter()
            .map(|r| format!("`{}`", r.role))
            .collect();
        let second = accountable[1];
        return vec![
            Diagnostic::warning(
                &policy.path,
                format!("{} roles are accountable (`A`) for the policy: {}", accountable.len(), names.join(", ")),
            )
            .at(&policy.front_matter, second.line, second.column)
            .help("one role answers for the policy: keep `A` on one and make the others `R` (responsible) or `C` (consulted)"),
        ];
    }
    Vec::new()
}

/// A heading that names a role but gives it nothing to do is usually a list written as prose.
fn check_empty_role_sections(policy: &Policy) -> Vec<Diagnostic> {
    policy
        .body
        .role_sections
        .iter()
        .filter(|s| s.duty_count == 0)
        .map(|s| {
            let roles: Vec<String> = s.roles.iter().map(|(r, _)| format!("`{r}`")).collect();
            let column = s.roles.first().map_or(1, |(_, c)| *c);
            Diagnostic::warning(
                &policy.path,
                format!("the section \"{}\" names {} but gives no duties", s.title, roles.join(", ")),
            )
            .at_text(&s.source_line, s.line, column)
            .help("write the duties as a list (`- ...`) under the heading, or mark a paragraph with `{role=...}`; if the section only describes the role, remove `{role=...}`")
        })
        .collect()
}

/// Roles no policy names, directly or through a role that includes them. Whether a role is used
/// depends on every policy, so the warning is dropped when one failed to load.
fn unused_roles(register: &RoleRegister, used: &BTreeSet<&str>) -> Vec<Diagnostic> {
    let mut effective: BTreeSet<&str> = used.clone();
    for role in &register.roles {
        if register
            .including(&role.id)
            .iter()
            .any(|r| used.contains(r.id.as_str()))
        {
            effective.insert(&role.id);
        }
    }
    register
        .roles
        .iter()
        .filter(|role| !effective.contains(role.id.as_str()))
        .map(|role| {
            Diagnostic::warning(&register.path, format!("role `{}` is not used by any policy", role.id))
                .at(&register.source, role.line, 1)
                .help("give it duties with a heading such as `## Responsibilities {role=...}`, or remove it")
                .depends_on(DependsOn::EveryPolicy)
        })
        .collect()
}

/// A duty of a role in a policy, for the role pages and the matrix.
#[derive(Clone, Debug)]
pub struct Assignment<'a> {
    pub policy: &'a Policy,
    pub duty: &'a crate::markdown::Duty,
    /// The role the policy names, when the duty reaches this role through an including role.
    pub via: Option<&'a Role>,
}

/// Every duty that applies to `role` (its own, then those of roles that include it), by policy.
pub fn duties_of<'a>(
    register: &'a RoleRegister,
    role: &Role,
    policies: &'a [Policy],
) -> BTreeMap<&'a str, Vec<Assignment<'a>>> {
    let including = register.including(&role.id);
    let mut by_policy: BTreeMap<&str, Vec<Assignment>> = BTreeMap::new();
    for policy in policies {
        for duty in &policy.body.duties {
            let via = if duty.roles.iter().any(|r| r == &role.id) {
                None
            } else if let Some(r) = including.iter().find(|r| duty.roles.contains(&r.id)) {
                Some(*r)
            } else {
                continue;
            };
            by_policy
                .entry(policy.id.as_str())
                .or_default()
                .push(Assignment { policy, duty, via });
        }
    }
    by_policy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (RoleRegister, Vec<String>) {
        let (reg, diags) =
            RoleRegister::parse(text.to_owned(), PathBuf::from("content/roles.toml"));
        (reg, diags.iter().map(ToString::to_string).collect())
    }

    const ROLES: &str = "[[role]]\nid = \"all-staff\"\ntitle = \"All staff\"\nincludes = [\"trainer\", \"managers\"]\n\n[[role]]\nid = \"managers\"\ntitle = \"Managers\"\nincludes = [\"lead\"]\n\n[[role]]\nid = \"trainer\"\ntitle = \"Trainers\"\n\n[[role]]\nid = \"lead\"\ntitle = \"Lead\"\n";

    #[test]
    fn including_roles_are_transitive_nearest_first() {
        let (reg, diags) = parse(ROLES);
        assert!(diags.is_empty(), "{diags:?}");
        let ids = |id| {
            reg.including(id)
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("lead"), ["managers", "all-staff"]);
        assert_eq!(ids("trainer"), ["all-staff"]);
        assert!(ids("all-staff").is_empty());
        assert_eq!(reg.get("managers").unwrap().line, 6);
    }

    #[test]
    fn cycles_and_unknown_includes_are_errors() {
        let (_, diags) = parse(
            "[[role]]\nid = \"a\"\ntitle = \"A\"\nincludes = [\"b\"]\n[[role]]\nid = \"b\"\ntitle = \"B\"\nincludes = [\"a\", \"c\"]\n",
        );
        assert_eq!(
            diags,
            [
                "content/roles.toml:8:18: error: role `b` includes `c`, which is not defined (help: did you mean `a`?)",
                "content/roles.toml:1:1: error: roles include each other in a cycle: a → b → a (help: a role cannot include itself, directly or through other roles: remove one `includes` entry)",
            ]
        );
    }

    #[test]
    fn duplicate_and_malformed_roles() {
        let (_, diags) =
            parse("[[role]]\nid = \"a\"\ntitle = \"A\"\n[[role]]\nid = \"a\"\ntitle = \"Again\"\n");
        assert_eq!(
            diags,
            [
                "content/roles.toml:5:6: error: role `a` is defined twice (help: remove or rename one of the two `[[role]]` entries)"
            ]
        );
        let (_, diags) = parse("[[role]]\nid = \"a\"\nname = \"A\"\n");
        assert!(
            diags[0].starts_with("content/roles.toml:3:1: error: unknown field `name`"),
            "{diags:?}"
        );
    }
}
