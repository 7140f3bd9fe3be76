//! Views of a policy's agreements (the acknowledgement form, the paper form, the SCORM step) and
//! of its audiences and document control.

use serde::Serialize;

use crate::Project;
use crate::agreement::{self, Agreement, FieldKind};
use crate::content::Policy;

/// One agreement as a form shows it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct AgreementView {
    /// Position among the policy's agreements; form element ids use it.
    pub index: usize,
    pub statement: String,
    /// Who it is for, e.g. "Staff" or "Learners and apprentices"; empty when for everyone.
    pub for_label: String,
    /// Audience ids it is for (empty: everyone no other agreement names).
    pub audiences: Vec<String>,
    /// The built-in statement (no `agreement:`): the paper form adds its usual sentence.
    pub default: bool,
    pub fields: Vec<FieldView>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct FieldView {
    pub id: String,
    pub label: String,
    /// `text`, `date` or `checkbox`.
    pub kind: &'static str,
    pub required: bool,
    /// Longest value that still fits a SCORM response with its prefix.
    pub max_length: usize,
    /// What the SCORM interaction's response starts with: `field:<policy>:<field>:`.
    pub response_prefix: String,
    /// SCORM interaction id (printable ASCII, no spaces).
    pub interaction_id: String,
}

/// A choice of "who I am" when a policy has several agreements.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ChoiceView {
    /// The audience id, or empty for "anyone else" (the agreement for everyone).
    pub audience: String,
    pub title: String,
    /// Index of the agreement it selects.
    pub agreement: usize,
}

/// The audience titles of the config, joined: "Staff; Learners and apprentices" (titles may
/// contain "and" themselves).
pub(crate) fn audience_titles(project: &Project, ids: &[String]) -> String {
    let titles: Vec<&str> = ids
        .iter()
        .map(|id| {
            project
                .config
                .audience(id)
                .map_or(id.as_str(), |a| a.title())
        })
        .collect();
    titles.join("; ")
}

pub(crate) fn agreement_views(project: &Project, policy: &Policy) -> Vec<AgreementView> {
    let default = policy.agreements.is_empty();
    policy
        .agreements()
        .iter()
        .enumerate()
        .map(|(index, a)| agreement_view(project, policy, a, index, default))
        .collect()
}

fn agreement_view(
    project: &Project,
    policy: &Policy,
    a: &Agreement,
    index: usize,
    default: bool,
) -> AgreementView {
    AgreementView {
        index,
        statement: a.statement.clone(),
        for_label: audience_titles(project, &a.audiences),
        audiences: a.audiences.clone(),
        default,
        fields: a
            .fields
            .iter()
            .map(|f| {
                let response_prefix = agreement::field_response_prefix(&policy.id, &f.id);
                FieldView {
                    id: f.id.clone(),
                    label: f.label.clone(),
                    kind: match f.kind {
                        FieldKind::Text => "text",
                        FieldKind::Date => "date",
                        FieldKind::Checkbox => "checkbox",
                    },
                    required: f.required,
                    max_length: agreement::RESPONSE_MAX.saturating_sub(response_prefix.len()),
                    interaction_id: agreement::field_interaction_id(&policy.id, &f.id),
                    response_prefix,
                }
            })
            .collect(),
    }
}

/// The "I am acknowledging as" choices: every audience an agreement names, in the config's
/// order, then "anyone else" when one agreement is for everyone. Empty with one agreement.
pub(crate) fn choices(project: &Project, agreements: &[AgreementView]) -> Vec<ChoiceView> {
    if agreements.len() < 2 {
        return Vec::new();
    }
    let mut choices: Vec<ChoiceView> = project
        .config
        .audience_ids()
        .filter_map(|id| {
            let a = agreements
                .iter()
                .find(|a| a.audiences.iter().any(|x| x == id))?;
            Some(ChoiceView {
                audience: id.to_owned(),
                title: audience_titles(project, &[id.to_owned()]),
                agreement: a.index,
            })
        })
        .collect();
    if let Some(rest) = agreements.iter().find(|a| a.audiences.is_empty()) {
        choices.push(ChoiceView {
            audience: String::new(),
            title: "Someone else".to_owned(),
            agreement: rest.index,
        });
    }
    choices
}

/// Document control beyond version and approval: shown on the policy page.
#[derive(Serialize)]
pub(crate) struct DocControlView<'a> {
    pub approver_position: Option<&'a str>,
    pub last_reviewed: Option<String>,
    pub last_reviewed_long: Option<String>,
    pub reviewed_by: Option<&'a str>,
    pub published_in: &'a [String],
    /// "Staff and learners"; empty when the policy applies to everyone.
    pub audience: String,
    /// "every 12 months" when acknowledgements expire.
    pub reacknowledge: Option<String>,
    pub unversioned: bool,
}

pub(crate) fn doc_control<'a>(project: &Project, p: &'a Policy) -> DocControlView<'a> {
    DocControlView {
        approver_position: p.approver_position.as_deref(),
        last_reviewed: p.last_reviewed.map(|d| d.to_string()),
        last_reviewed_long: p.last_reviewed.map(|d| d.long()),
        reviewed_by: p.reviewed_by.as_deref(),
        published_in: &p.published_in,
        audience: audience_titles(project, &p.audience_ids()),
        reacknowledge: p.reacknowledge.map(|i| format!("every {i}")),
        unversioned: p.unversioned,
    }
}
