//! `policybook status`: the review dashboard. Per owner, which policies are overdue for review,
//! due within a window, or current; drafts; policies without a quiz; roles without duties; and,
//! given acknowledgement records, how many people are on the current version of each policy.
//! Printed as a terminal table, JSON for scripts, or a self-contained HTML page for a board.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::acks::{Reconciliation, Status as AckStatus};
use crate::date::Date;
use crate::ledger::ReleaseState;
use crate::review::ReviewStatus;
use crate::{Policy, Project};

/// The whole dashboard, as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct Dashboard {
    pub organisation: String,
    pub today: String,
    /// "Due" means a review date within this many days.
    pub within_days: u32,
    pub counts: Counts,
    /// By owner, sorted by name; policies without an owner last.
    pub owners: Vec<OwnerGroup>,
    pub drafts: Vec<PolicyRef>,
    pub without_quiz: Vec<PolicyRef>,
    pub roles_without_duties: Vec<RoleRef>,
    /// Present when acknowledgement records were given.
    pub coverage: Option<Vec<Coverage>>,
}

#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub policies: usize,
    pub overdue: usize,
    pub due: usize,
    pub current: usize,
    pub not_set: usize,
    pub drafts: usize,
}

#[derive(Debug, Serialize)]
pub struct OwnerGroup {
    /// `None`: the policies have no `owner`.
    pub owner: Option<String>,
    /// Overdue first (longest overdue first), then due, current and without a date.
    pub policies: Vec<PolicyLine>,
}

#[derive(Debug, Serialize)]
pub struct PolicyLine {
    pub id: String,
    pub title: String,
    pub version: String,
    pub review_due: Option<String>,
    /// `overdue`, `due`, `current` or `not-set`.
    pub state: &'static str,
    /// Days until the review date (negative: overdue by that many).
    pub days: Option<i64>,
    pub draft: bool,
}

#[derive(Debug, Serialize)]
pub struct PolicyRef {
    pub id: String,
    pub title: String,
    pub version: String,
}

#[derive(Debug, Serialize)]
pub struct RoleRef {
    pub id: String,
    pub title: String,
}

/// People on each version of a policy, as `acks` counts them.
#[derive(Debug, Serialize)]
pub struct Coverage {
    pub id: String,
    pub title: String,
    pub version: String,
    /// Acknowledged the current text.
    pub current: usize,
    /// Acknowledged an older version.
    pub older: usize,
    /// No acknowledgement that counts: none at all, the quiz not passed, or expired.
    pub none: usize,
    /// Of `none`: acknowledged, but longer ago than the policy's `reacknowledge`.
    pub expired: usize,
    /// Of `none`: acknowledged without passing the quiz.
    pub quiz_failed: usize,
}

impl Dashboard {
    /// Whether any policy is overdue for review (`--fail-if-overdue`).
    pub fn any_overdue(&self) -> bool {
        self.counts.overdue > 0
    }
}

/// The dashboard of `project` on its `today`, with "due" meaning within `within_days`.
pub fn dashboard(project: &Project, within_days: u32, acks: Option<&Reconciliation>) -> Dashboard {
    let today = project.today;
    let mut counts = Counts {
        policies: project.policies.len(),
        ..Counts::default()
    };
    let mut by_owner: BTreeMap<(bool, String), Vec<PolicyLine>> = BTreeMap::new();
    for policy in &project.policies {
        let line = policy_line(project, policy, today, within_days);
        match line.state {
            "overdue" => counts.overdue += 1,
            "due" => counts.due += 1,
            "current" => counts.current += 1,
            _ => counts.not_set += 1,
        }
        let owner = policy.owner.clone().unwrap_or_default();
        by_owner
            .entry((owner.is_empty(), owner.to_lowercase() + "\u{0}" + &owner))
            .or_default()
            .push(line);
    }
    let owners = by_owner
        .into_iter()
        .map(|((none, key), mut policies)| {
            policies.sort_by_key(|l| (state_rank(l.state), l.days.unwrap_or(i64::MAX)));
            let owner = key.split_once('\u{0}').map(|(_, o)| o.to_owned());
            OwnerGroup {
                owner: if none { None } else { owner },
                policies,
            }
        })
        .collect();
    let drafts: Vec<PolicyRef> = project
        .policies
        .iter()
        .filter(|p| is_draft(project, p))
        .map(policy_ref)
        .collect();
    counts.drafts = drafts.len();
    Dashboard {
        organisation: project.config.organisation.clone(),
        today: today.to_string(),
        within_days,
        counts,
        owners,
        drafts,
        without_quiz: project
            .policies
            .iter()
            .filter(|p| !project.quizzes.iter().any(|q| q.policy == p.id))
            .map(policy_ref)
            .collect(),
        roles_without_duties: roles_without_duties(project),
        coverage: acks.map(coverage),
    }
}

fn policy_line(project: &Project, policy: &Policy, today: Date, within_days: u32) -> PolicyLine {
    let state = match ReviewStatus::of(policy.review_due, today, within_days) {
        ReviewStatus::Overdue => "overdue",
        ReviewStatus::DueSoon => "due",
        ReviewStatus::Current => "current",
        ReviewStatus::NotSet => "not-set",
    };
    PolicyLine {
        id: policy.id.clone(),
        title: policy.title.clone(),
        version: policy.version.clone(),
        review_due: policy.review_due.map(|d| d.to_string()),
        state,
        days: policy.review_due.map(|due| today.days_until(due)),
        draft: is_draft(project, policy),
    }
}

fn state_rank(state: &str) -> u8 {
    match state {
        "overdue" => 0,
        "due" => 1,
        "current" => 2,
        _ => 3,
    }
}

/// Not yet released (with a ledger), or without a version number at all.
fn is_draft(project: &Project, policy: &Policy) -> bool {
    policy.unversioned || project.release_state(policy) == ReleaseState::Draft
}

fn policy_ref(policy: &Policy) -> PolicyRef {
    PolicyRef {
        id: policy.id.clone(),
        title: policy.title.clone(),
        version: policy.version.clone(),
    }
}

/// Roles in the register that no policy gives a duty, directly or through a wider role, and
/// that no policy names in its RACI.
fn roles_without_duties(project: &Project) -> Vec<RoleRef> {
    project
        .roles
        .roles
        .iter()
        .filter(|role| {
            crate::roles::duties_of(&project.roles, role, &project.policies).is_empty()
                && !project
                    .policies
                    .iter()
                    .any(|p| p.raci.iter().any(|r| r.role == role.id))
        })
        .map(|role| RoleRef {
            id: role.id.clone(),
            title: role.title.clone(),
        })
        .collect()
}

fn coverage(acks: &Reconciliation) -> Vec<Coverage> {
    acks.policies
        .iter()
        .enumerate()
        .map(|(index, policy)| {
            let mut row = Coverage {
                id: policy.id.clone(),
                title: policy.title.clone(),
                version: policy.version.clone(),
                current: 0,
                older: 0,
                none: 0,
                expired: 0,
                quiz_failed: 0,
            };
            for person in &acks.people {
                match person.policies.get(index).map(|s| &s.status) {
                    Some(AckStatus::Current { .. }) => row.current += 1,
                    Some(AckStatus::Outdated { .. }) => row.older += 1,
                    Some(AckStatus::Expired { .. }) => {
                        row.none += 1;
                        row.expired += 1;
                    }
                    Some(AckStatus::QuizFailed { .. }) => {
                        row.none += 1;
                        row.quiz_failed += 1;
                    }
                    Some(AckStatus::Missing) => row.none += 1,
                    Some(AckStatus::NotRequired) | None => {}
                }
            }
            row
        })
        .collect()
}

mod render;
pub use render::{html, table};
