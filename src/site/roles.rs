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
use crate::markdown::{Duty, DutyKind};
use crate::output::push_csv_record;
use crate::roles::{Assignment, Role, duties_of, raci_word};

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
    /// The role's own duties, prohibitions included.
    duty_count: usize,
    /// Of those, prohibitions.
    must_not_count: usize,
    /// Duties it has through roles that include it (all staff, …), counted apart.
    inherited_count: usize,
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
    /// The role's own duties, by section.
    own: Vec<SectionView<'a>>,
    /// Duties that reach the role through a role that includes it, by that role.
    inherited: Vec<InheritedView<'a>>,
}

/// The duties one section of a policy gives, each section once.
#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    /// Relative to the site root: the policy page and the section's anchor.
    url: String,
    #[serde(skip)]
    anchor: &'a str,
    blocks: Vec<BlockView<'a>>,
}

/// Duties of one kind that share a lead-in: shown as one list.
#[derive(Serialize)]
struct BlockView<'a> {
    lead_in: Option<&'a str>,
    must_not: bool,
    duties: Vec<&'a str>,
    #[serde(skip)]
    lead_line: Option<usize>,
}

#[derive(Serialize)]
struct InheritedView<'a> {
    via: RoleLink<'a>,
    sections: Vec<SectionView<'a>>,
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
    /// The role's own duties, prohibitions and inherited duties in the policy.
    duties: usize,
    must_not: usize,
    inherited: usize,
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
    writer: &super::UnitWriter,
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
    writer.write(&dir.join("roles/index.html"), &index)?;

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
            writer.write(&dir.join(role_url(&role.id)), &html)
        })?;

    let rows = matrix_rows(project, &policies);
    let role_links: Vec<RoleLink> = register.roles.iter().map(RoleLink::of).collect();
    let matrix = render_page(tera, "matrix", site, "../", |ctx| {
        ctx.insert("roles", &role_links);
        ctx.insert("rows", &rows);
    })?;
    writer.write(&dir.join("matrix/index.html"), &matrix)?;
    writer.write(
        &dir.join("matrix.csv"),
        matrix_csv(&role_links, &rows).as_bytes(),
    )?;
    Ok(register.roles.len() + 2)
}

fn summary<'a>(project: &'a Project, role: &'a Role) -> RoleSummary<'a> {
    let register = &project.roles;
    let duties = duties_of(register, role, &project.policies);
    let counts = Counts::of(duties.values().flatten());
    let raci_policies = project
        .policies
        .iter()
        .filter(|p| raci_of(p, &role.id).is_some() && !duties.contains_key(p.id.as_str()))
        .count();
    RoleSummary {
        link: RoleLink::of(role),
        description: &role.description,
        duty_count: counts.duties + counts.must_not,
        must_not_count: counts.must_not,
        inherited_count: counts.inherited,
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

/// A role's duties in one policy or all: its own (to do, not to do) and inherited ones.
#[derive(Default)]
struct Counts {
    duties: usize,
    must_not: usize,
    inherited: usize,
}

impl Counts {
    fn of<'a>(assignments: impl Iterator<Item = &'a Assignment<'a>>) -> Counts {
        let mut counts = Counts::default();
        for a in assignments {
            match (a.via, a.duty.kind) {
                (Some(_), _) => counts.inherited += 1,
                (None, DutyKind::Must) => counts.duties += 1,
                (None, DutyKind::MustNot) => counts.must_not += 1,
            }
        }
        counts
    }
}

fn groups<'a>(project: &'a Project, role: &'a Role, policies: &[&'a Policy]) -> Vec<RoleGroup<'a>> {
    let mut duties = duties_of(&project.roles, role, &project.policies);
    let including = project.roles.including(&role.id);
    policies
        .iter()
        .filter_map(|policy| {
            let assignments = duties.remove(policy.id.as_str()).unwrap_or_default();
            let raci = raci_of(policy, &role.id).map(RaciView::of);
            if assignments.is_empty() && raci.is_none() {
                return None;
            }
            let own: Vec<&Duty> = assignments
                .iter()
                .filter(|a| a.via.is_none())
                .map(|a| a.duty)
                .collect();
            let inherited = including
                .iter()
                .filter_map(|via| {
                    let duties: Vec<&Duty> = assignments
                        .iter()
                        .filter(|a| a.via.is_some_and(|v| v.id == via.id))
                        .map(|a| a.duty)
                        .collect();
                    (!duties.is_empty()).then(|| InheritedView {
                        via: RoleLink::of(via),
                        sections: sections(policy, &duties),
                    })
                })
                .collect();
            Some(RoleGroup {
                policy_id: &policy.id,
                policy_title: &policy.title,
                policy_version: &policy.version,
                policy_url: policy_url(&policy.id),
                anchor: policy_group_anchor(&policy.id),
                raci,
                own: sections(policy, &own),
                inherited,
            })
        })
        .collect()
}

/// Duties (in document order) grouped by section, then by lead-in and kind, so a section's
/// title and a lead-in sentence are each shown once.
fn sections<'a>(policy: &Policy, duties: &[&'a Duty]) -> Vec<SectionView<'a>> {
    let mut out: Vec<SectionView> = Vec::new();
    for duty in duties {
        if out.last().is_none_or(|s| s.anchor != duty.section) {
            let url = match duty.section.as_str() {
                "" => policy_url(&policy.id),
                anchor => format!("{}#{anchor}", policy_url(&policy.id)),
            };
            out.push(SectionView {
                title: match duty.section_title.as_str() {
                    "" => "Introduction",
                    title => title,
                },
                url,
                anchor: &duty.section,
                blocks: Vec::new(),
            });
        }
        let Some(section) = out.last_mut() else {
            continue;
        };
        let lead_line = duty.lead_in.as_ref().map(|l| l.line);
        let must_not = duty.kind == DutyKind::MustNot;
        match section.blocks.last_mut() {
            Some(b) if b.lead_line == lead_line && b.must_not == must_not => {
                b.duties.push(&duty.html);
            }
            _ => section.blocks.push(BlockView {
                lead_in: duty.lead_in.as_ref().map(|l| l.html.as_str()),
                must_not,
                duties: vec![&duty.html],
                lead_line,
            }),
        }
    }
    out
}

fn matrix_rows<'a>(project: &'a Project, policies: &[&'a Policy]) -> Vec<MatrixRow<'a>> {
    let counts: BTreeMap<&str, BTreeMap<&str, Counts>> = project
        .roles
        .roles
        .iter()
        .map(|role| {
            let by_policy = duties_of(&project.roles, role, &project.policies)
                .into_iter()
                .map(|(p, a)| (p, Counts::of(a.iter())))
                .collect();
            (role.id.as_str(), by_policy)
        })
        .collect();
    let none = Counts::default();
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
                    let c = counts[role.id.as_str()]
                        .get(policy.id.as_str())
                        .unwrap_or(&none);
                    let raci = raci_of(policy, &role.id).map(RaciView::of);
                    let any = c.duties + c.must_not + c.inherited > 0;
                    let url = (any || raci.is_some()).then(|| {
                        format!("{}#{}", role_url(&role.id), policy_group_anchor(&policy.id))
                    });
                    MatrixCell {
                        raci,
                        duties: c.duties,
                        must_not: c.must_not,
                        inherited: c.inherited,
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
                parts.push(crate::error::plural(cell.duties, "duty"));
            }
            if cell.must_not > 0 {
                parts.push(format!("{} must not", cell.must_not));
            }
            if cell.inherited > 0 {
                parts.push(format!("{} inherited", cell.inherited));
            }
            parts.join("; ")
        }));
        push_csv_record(&mut out, &record);
    }
    out
}
