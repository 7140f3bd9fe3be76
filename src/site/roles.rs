//! Role pages, the responsibility matrix and its CSV: who must do what, across all policies.

use std::collections::BTreeMap;
use std::path::Path;

use crate::theme::Templates;
use rayon::prelude::*;
use serde::Serialize;

use super::{SiteView, policy_url, render_page};
use crate::Project;
use crate::content::Policy;
use crate::error::Result;
use crate::output::{push_csv_record, write_file};
use crate::roles::{Role, duties_of, raci_word};

pub fn role_url(id: &str) -> String {
    format!("roles/{id}/index.html")
}

/// Anchor of a policy's group on a role page, the target of matrix cells.
pub fn policy_group_anchor(policy_id: &str) -> String {
    format!("policy-{policy_id}")
}

#[derive(Serialize)]
pub struct RoleLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
}

impl<'a> RoleLink<'a> {
    pub fn of(role: &'a Role) -> Self {
        RoleLink {
            id: &role.id,
            title: &role.title,
            url: role_url(&role.id),
        }
    }
}

#[derive(Serialize)]
struct RoleSummary<'a> {
    #[serde(flatten)]
    link: RoleLink<'a>,
    description: &'a str,
    duty_count: usize,
    policy_count: usize,
    includes: Vec<RoleLink<'a>>,
    included_by: Vec<RoleLink<'a>>,
}

#[derive(Serialize)]
struct RoleGroup<'a> {
    policy_id: &'a str,
    policy_title: &'a str,
    policy_version: &'a str,
    policy_url: String,
    anchor: String,
    raci: Option<RaciView>,
    duties: Vec<DutyView<'a>>,
}

#[derive(Serialize)]
pub struct RaciView {
    pub letters: String,
    /// "Responsible, Accountable".
    pub words: String,
}

impl RaciView {
    pub fn of(letters: &str) -> RaciView {
        let words: Vec<&str> = letters
            .chars()
            .map(raci_word)
            .filter(|w| !w.is_empty())
            .collect();
        RaciView {
            letters: letters.to_owned(),
            words: words.join(", "),
        }
    }
}

#[derive(Serialize)]
struct DutyView<'a> {
    html: &'a str,
    section_title: &'a str,
    /// Relative to the site root: the policy page and the section's anchor.
    url: String,
    via: Option<RoleLink<'a>>,
}

#[derive(Serialize)]
struct MatrixRow<'a> {
    policy_id: &'a str,
    policy_title: &'a str,
    policy_version: &'a str,
    policy_url: String,
    cells: Vec<MatrixCell>,
}

#[derive(Serialize)]
struct MatrixCell {
    raci: Option<RaciView>,
    duties: usize,
    /// The role page's group for this policy, when there is anything to show there.
    url: Option<String>,
}

/// RACI letters a policy gives a role, if any.
pub fn raci_of<'a>(policy: &'a Policy, role: &str) -> Option<&'a str> {
    policy
        .raci
        .iter()
        .find(|r| r.role == role)
        .map(|r| r.letters.as_str())
}

/// Writes roles/index.html, roles/<id>/index.html, matrix/index.html and matrix.csv.
pub fn render_roles(
    project: &Project,
    tera: &Templates,
    site: &SiteView,
    dir: &Path,
) -> Result<usize> {
    let register = &project.roles;
    if register.is_empty() {
        return Ok(0);
    }
    let mut policies: Vec<&Policy> = project.policies.iter().collect();
    policies.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));

    let summaries: Vec<RoleSummary> = register
        .roles
        .iter()
        .map(|role| summary(project, role))
        .collect();
    let index = render_page(tera, "roles", site, "../", |ctx| {
        ctx.insert("roles", &summaries)
    })?;
    write_file(&dir.join("roles/index.html"), &index)?;

    register
        .roles
        .par_iter()
        .zip(summaries.par_iter())
        .try_for_each(|(role, summary)| {
            let groups = groups(project, role, &policies);
            let html = render_page(tera, "role", site, "../../", |ctx| {
                ctx.insert("role", summary);
                ctx.insert("groups", &groups);
            })?;
            write_file(&dir.join(role_url(&role.id)), &html)
        })?;

    let rows = matrix_rows(project, &policies);
    let role_links: Vec<RoleLink> = register.roles.iter().map(RoleLink::of).collect();
    let matrix = render_page(tera, "matrix", site, "../", |ctx| {
        ctx.insert("roles", &role_links);
        ctx.insert("rows", &rows);
    })?;
    write_file(&dir.join("matrix/index.html"), &matrix)?;
    write_file(
        &dir.join("matrix.csv"),
        matrix_csv(&role_links, &rows).as_bytes(),
    )?;
    Ok(register.roles.len() + 2)
}

fn summary<'a>(project: &'a Project, role: &'a Role) -> RoleSummary<'a> {
    let register = &project.roles;
    let duties = duties_of(register, role, &project.policies);
    let raci_policies = project
        .policies
        .iter()
        .filter(|p| raci_of(p, &role.id).is_some() && !duties.contains_key(p.id.as_str()))
        .count();
    RoleSummary {
        link: RoleLink::of(role),
        description: &role.description,
        duty_count: duties.values().map(Vec::len).sum(),
        policy_count: duties.len() + raci_policies,
        includes: role
            .includes
            .iter()
            .filter_map(|id| register.get(id))
            .map(RoleLink::of)
            .collect(),
        included_by: register
            .including(&role.id)
            .into_iter()
            .map(RoleLink::of)
            .collect(),
    }
}

fn groups<'a>(project: &'a Project, role: &'a Role, policies: &[&'a Policy]) -> Vec<RoleGroup<'a>> {
    let mut duties = duties_of(&project.roles, role, &project.policies);
    policies
        .iter()
        .filter_map(|policy| {
            let assignments = duties.remove(policy.id.as_str()).unwrap_or_default();
            let raci = raci_of(policy, &role.id).map(RaciView::of);
            if assignments.is_empty() && raci.is_none() {
                return None;
            }
            Some(RoleGroup {
                policy_id: &policy.id,
                policy_title: &policy.title,
                policy_version: &policy.version,
                policy_url: policy_url(&policy.id),
                anchor: policy_group_anchor(&policy.id),
                raci,
                duties: assignments
                    .into_iter()
                    .map(|a| DutyView {
                        html: &a.duty.html,
                        section_title: &a.duty.section_title,
                        url: format!("{}#{}", policy_url(&policy.id), a.duty.section),
                        via: a.via.map(RoleLink::of),
                    })
                    .collect(),
            })
        })
        .collect()
}

fn matrix_rows<'a>(project: &'a Project, policies: &[&'a Policy]) -> Vec<MatrixRow<'a>> {
    let duties: BTreeMap<&str, BTreeMap<&str, usize>> = project
        .roles
        .roles
        .iter()
        .map(|role| {
            let counts = duties_of(&project.roles, role, &project.policies)
                .into_iter()
                .map(|(p, a)| (p, a.len()))
                .collect();
            (role.id.as_str(), counts)
        })
        .collect();
    policies
        .iter()
        .map(|policy| MatrixRow {
            policy_id: &policy.id,
            policy_title: &policy.title,
            policy_version: &policy.version,
            policy_url: policy_url(&policy.id),
            cells: project
                .roles
                .roles
                .iter()
                .map(|role| {
                    let count = duties[role.id.as_str()]
                        .get(policy.id.as_str())
                        .copied()
                        .unwrap_or(0);
                    let raci = raci_of(policy, &role.id).map(RaciView::of);
                    let url = (count > 0 || raci.is_some()).then(|| {
                        format!("{}#{}", role_url(&role.id), policy_group_anchor(&policy.id))
                    });
                    MatrixCell {
                        raci,
                        duties: count,
                        url,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The matrix as CSV (RFC 4180: CRLF line ends, quoted fields), with a UTF-8 byte order mark
/// so Excel reads accented names correctly.
fn matrix_csv(roles: &[RoleLink], rows: &[MatrixRow]) -> String {
    let mut out = String::from("\u{FEFF}");
    let mut header = vec!["Policy".to_owned(), "Version".to_owned()];
    header.extend(roles.iter().map(|r| r.title.to_owned()));
    push_csv_record(&mut out, &header);
    for row in rows {
        let mut record = vec![row.policy_title.to_owned(), row.policy_version.to_owned()];
        record.extend(row.cells.iter().map(|cell| {
            let mut parts = Vec::new();
            if let Some(raci) = &cell.raci {
                parts.push(raci.letters.clone());
            }
            if cell.duties > 0 {
                parts.push(crate::error::plural(cell.duties, "duty").replace("dutys", "duties"));
            }
            parts.join("; ")
        }));
        push_csv_record(&mut out, &record);
    }
    out
}
