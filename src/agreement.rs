//! Audiences and agreements: who a policy applies to (`audience:`), what each audience confirms
//! when acknowledging it (`agreement:`), and the extra fields they fill in.
//!
//! Read from the front matter by [`crate::content`]; audience names are checked against the
//! `[[audience]]` tables of `policybook.toml` by [`validate_audiences`]. Without `agreement:` a
//! policy has one agreement for everyone: [`default_statement`], exactly as before agreements
//! could be written.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::content::Policy;
use crate::error::Diagnostic;

/// Longest field id (it becomes part of a SCORM interaction id).
pub const FIELD_ID_MAX: usize = 40;

/// Most characters a SCORM fill-in response holds in both versions (2004: `CMILangString250`).
pub const RESPONSE_MAX: usize = 250;

/// "I have read and understood the <title>, version <version>.": the statement of a policy
/// without `agreement:`.
pub fn default_statement(title: &str, version: &str) -> String {
    format!("I have read and understood the {title}, version {version}.")
}

/// What the SCORM interaction recording a field's value starts with: `field:<policy>:<field>:`,
/// then the value (so the value can be read from a report's `Response N` column alone).
pub fn field_response_prefix(policy_id: &str, field_id: &str) -> String {
    format!("field:{policy_id}:{field_id}:")
}

/// The SCORM interaction id of a field: printable ASCII without spaces, as 1.2 requires.
pub fn field_interaction_id(policy_id: &str, field_id: &str) -> String {
    format!("ackfield-{policy_id}-{field_id}")
}

/// One agreement of a policy: the statement people confirm, for which audiences, and the extra
/// fields they fill in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Agreement {
    /// Audience ids it is for; empty: everyone no other agreement of the policy names.
    pub audiences: Vec<String>,
    /// The statement, with `{title}` and `{version}` filled in.
    pub statement: String,
    pub fields: Vec<AgreementField>,
}

/// An extra field of an agreement, e.g. "Laptop assigned (serial no.)".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AgreementField {
    /// Stable id used in receipts and SCORM interactions: `id:` or made from the label.
    pub id: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    pub required: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Date,
    Checkbox,
}

impl FieldKind {
    fn parse(text: &str) -> Option<FieldKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "text" => Some(FieldKind::Text),
            "date" => Some(FieldKind::Date),
            "checkbox" => Some(FieldKind::Checkbox),
            _ => None,
        }
    }
}

/// An audience named in a policy's front matter, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AudienceRef {
    pub id: String,
    pub line: usize,
    pub column: usize,
}

impl crate::content::PolicyData {
    /// The agreements people see: those of the front matter, or the default one.
    pub fn agreements(&self) -> Vec<Agreement> {
        if self.agreements.is_empty() {
            let statement = if self.unversioned {
                format!(
                    "I have read and understood the {} (a draft without a version number).",
                    self.title
                )
            } else {
                default_statement(&self.title, &self.version)
            };
            vec![Agreement {
                audiences: Vec::new(),
                statement,
                fields: Vec::new(),
            }]
        } else {
            self.agreements.clone()
        }
    }

    /// The agreement for someone of `audience` (`None`: no audience known): the one naming
    /// it, else the one for everyone, else the first.
    pub fn agreement_for(&self, audience: Option<&str>) -> Agreement {
        let all = self.agreements();
        let named = audience.and_then(|a| all.iter().find(|g| g.audiences.iter().any(|x| x == a)));
        named
            .or_else(|| all.iter().find(|g| g.audiences.is_empty()))
            .unwrap_or(&all[0])
            .clone()
    }

    /// Whether the policy applies to someone in any of `audiences` (a policy without
    /// `audience:` applies to everyone; so does an empty list of audiences).
    pub fn applies_to_any(&self, audiences: &[String]) -> bool {
        self.audience.is_empty()
            || audiences.is_empty()
            || self.audience.iter().any(|a| audiences.contains(&a.id))
    }

    pub fn audience_ids(&self) -> Vec<String> {
        self.audience.iter().map(|a| a.id.clone()).collect()
    }
}

/// `audience: staff` or `audience: [staff, learners]` (a list in either YAML form).
pub(crate) enum Names {
    One(String),
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NamesVisitor;
        impl<'de> Visitor<'de> for NamesVisitor {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name or a list of names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Names, E> {
                Ok(Names::One(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<Spanned<String>>()? {
                    names.push(name);
                }
                Ok(Names::Many(names))
            }
        }
        d.deserialize_any(NamesVisitor)
    }
}

/// Turns `audience:` as written into positioned names (empty entries dropped).
pub(crate) fn audience_refs(raw: Option<&Spanned<Names>>, yaml_line: usize) -> Vec<AudienceRef> {
    let Some(raw) = raw else {
        return Vec::new();
    };
    let at = |s: &Spanned<String>| AudienceRef {
        id: s.value.trim().to_owned(),
        line: s.referenced.line() as usize + yaml_line - 1,
        column: s.referenced.column() as usize,
    };
    let refs = match &raw.value {
        Names::One(name) => vec![AudienceRef {
            id: name.trim().to_owned(),
            line: raw.referenced.line() as usize + yaml_line - 1,
            column: raw.referenced.column() as usize,
        }],
        Names::Many(names) => names.iter().map(at).collect(),
    };
    refs.into_iter().filter(|r| !r.id.is_empty()).collect()
}

/// `approved_by: Board of Directors` or `approved_by: { name: Sam Patel, position: Director }`.
pub(crate) struct Approver {
    pub name: Option<String>,
    pub position: Option<String>,
}

impl<'de> Deserialize<'de> for Approver {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ApproverVisitor;
        impl<'de> Visitor<'de> for ApproverVisitor {
            type Value = Approver;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name, or `name:` and `position:`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Approver, E> {
                Ok(Approver {
                    name: Some(v.to_owned()),
                    position: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Approver, A::Error> {
                let mut approver = Approver {
                    name: None,
                    position: None,
                };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "name" => approver.name = Some(map.next_value()?),
                        "position" => approver.position = Some(map.next_value()?),
                        other => {
                            return Err(de::Error::unknown_field(other, &["name", "position"]));
                        }
                    }
                }
                Ok(approver)
            }
        }
        d.deserialize_any(ApproverVisitor)
    }
}

/// One entry of `agreement:` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAgreement {
    audience: Option<Spanned<Names>>,
    statement: Option<Spanned<String>>,
    #[serde(default)]
    fields: Vec<RawField>,
}

impl RawAgreement {
    pub(crate) fn audience_refs(&self, yaml_line: usize) -> Vec<AudienceRef> {
        audience_refs(self.audience.as_ref(), yaml_line)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    id: Option<Spanned<String>>,
    label: Spanned<String>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    #[serde(default)]
    required: bool,
}

/// Where a problem is: `(line, column, diagnostic)`, the diagnostic without its position.
pub(crate) type Found = (usize, usize, Diagnostic);

/// The agreements of a policy from `agreement:`; problems are returned with their positions.
pub(crate) fn agreements(
    raw: &[Spanned<RawAgreement>],
    title: &str,
    version: &str,
    yaml_line: usize,
    display: &std::path::Path,
) -> (Vec<Agreement>, Vec<Found>) {
    let pos = |l: &serde_saphyr::Location| (l.line() as usize + yaml_line - 1, l.column() as usize);
    let mut found: Vec<Found> = Vec::new();
    let mut list = Vec::new();
    let mut seen_audiences: Vec<String> = Vec::new();
    let mut for_everyone = false;
    for entry in raw {
        let (line, column) = pos(&entry.referenced);
        let audiences: Vec<String> = audience_refs(entry.value.audience.as_ref(), yaml_line)
            .into_iter()
            .map(|a| a.id)
            .collect();
        if audiences.is_empty() {
            if for_everyone {
                found.push((line, column, Diagnostic::error(display, "two agreements without `audience`")
                    .help("give each agreement but one an `audience:`: the one without is for everyone else")));
            }
            for_everyone = true;
        }
        for a in &audiences {
            if seen_audiences.contains(a) {
                found.push((
                    line,
                    column,
                    Diagnostic::error(display, format!("audience `{a}` has two agreements")).help(
                        "each audience confirms one agreement: merge them or name another audience",
                    ),
                ));
            }
            seen_audiences.push(a.clone());
        }
        let statement = match &entry.value.statement {
            Some(s) if s.value.trim().is_empty() => {
                let (l, c) = pos(&s.referenced);
                found.push((
                    l,
                    c,
                    Diagnostic::error(display, "the agreement's `statement` is empty")
                        .help("write what people confirm, e.g. `statement: I have read {title} and agree to follow it.`"),
                ));
                default_statement(title, version)
            }
            Some(s) => fill(s.value.trim(), title, version),
            None => default_statement(title, version),
        };
        let fields = entry
            .value
            .fields
            .iter()
            .filter_map(|f| field(f, &pos, display, &mut found))
            .collect::<Vec<_>>();
        for (i, f) in fields.iter().enumerate() {
            if fields[..i].iter().any(|g| g.id == f.id) {
                found.push((line, column, Diagnostic::error(display, format!("two fields of one agreement have the id `{}`", f.id))
                    .help("give one of them another `id:` (ids name the values in receipts and in the LMS)")));
            }
        }
        list.push(Agreement {
            audiences,
            statement,
            fields,
        });
    }
    (list, found)
}

fn field(
    raw: &RawField,
    pos: &impl Fn(&serde_saphyr::Location) -> (usize, usize),
    display: &std::path::Path,
    found: &mut Vec<Found>,
) -> Option<AgreementField> {
    let (line, column) = pos(&raw.label.referenced);
    let label = raw.label.value.trim().to_owned();
    if label.is_empty() {
        found.push((
            line,
            column,
            Diagnostic::error(display, "a field's `label` is empty")
                .help("write what people fill in, e.g. `label: Laptop assigned (serial no.)`"),
        ));
        return None;
    }
    let kind = match &raw.kind {
        None => FieldKind::Text,
        Some(k) => match FieldKind::parse(&k.value) {
            Some(kind) => kind,
            None => {
                let (l, c) = pos(&k.referenced);
                found.push((
                    l,
                    c,
                    Diagnostic::error(display, format!("`{}` is not a field type", k.value.trim()))
                        .help("use `type: text`, `type: date` or `type: checkbox`"),
                ));
                return None;
            }
        },
    };
    let id = match &raw.id {
        Some(id) => {
            let text = id.value.trim().to_owned();
            if !crate::content::is_valid_id(&text) || text.len() > FIELD_ID_MAX {
                let (l, c) = pos(&id.referenced);
                found.push((
                    l,
                    c,
                    Diagnostic::error(display, format!("`{text}` is not a valid field id"))
                        .help(format!("use up to {FIELD_ID_MAX} lower-case letters, digits and `-`, e.g. `id: laptop-serial`")),
                ));
                return None;
            }
            text
        }
        None => field_id_from(&label),
    };
    Some(AgreementField {
        id,
        label,
        kind,
        required: raw.required,
    })
}

/// A field id made from its label: `Laptop assigned (serial no.)` → `laptop-assigned-serial-no`.
fn field_id_from(label: &str) -> String {
    let slug: String = crate::markdown::slugify(label)
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .take(FIELD_ID_MAX)
        .collect();
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() || slug == "section" {
        "field".to_owned()
    } else {
        slug
    }
}

/// `{title}` and `{version}` in a statement, filled in.
fn fill(statement: &str, title: &str, version: &str) -> String {
    statement
        .replace("{title}", title)
        .replace("{version}", version)
}

/// Every audience a policy names (in `audience:` and in its agreements) must be declared in
/// `policybook.toml`, and an agreement's audiences must be among the policy's.
pub fn validate_audiences(policies: &[Policy], config: &crate::Config) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let declared: Vec<&str> = config.audience_ids().collect();
    let help = |id: &str| match crate::validate::closest(id, declared.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None if declared.is_empty() => format!(
            "declare it in policybook.toml: [[audience]] id = \"{id}\" (and one for each other audience)"
        ),
        None => format!(
            "the audiences declared in policybook.toml are: {}",
            declared.join(", ")
        ),
    };
    for policy in policies {
        let text = &policy.front_matter;
        for a in policy.audience.iter().chain(&policy.agreement_audiences) {
            if !declared.contains(&a.id.as_str()) {
                diags.push(
                    Diagnostic::error(&policy.path, format!("unknown audience `{}`", a.id))
                        .at(text, a.line, a.column)
                        .help(help(&a.id)),
                );
            }
        }
        if policy.audience.is_empty() {
            continue;
        }
        let covered = |id: &str| {
            policy.agreements.iter().any(|g| g.audiences.is_empty())
                || policy
                    .agreements
                    .iter()
                    .any(|g| g.audiences.iter().any(|x| x == id))
        };
        if !policy.agreements.is_empty() {
            let declared_uncovered =
                |a: &&AudienceRef| declared.contains(&a.id.as_str()) && !covered(&a.id);
            for a in policy.audience.iter().filter(declared_uncovered) {
                diags.push(
                    Diagnostic::warning(&policy.path, format!("audience `{}` has no agreement", a.id))
                        .at(text, a.line, a.column)
                        .help("add an agreement for it, or one without `audience` for everyone else; until then they see the first agreement"),
                );
            }
        }
        for a in &policy.agreement_audiences {
            if declared.contains(&a.id.as_str()) && !policy.audience.iter().any(|p| p.id == a.id) {
                diags.push(
                    Diagnostic::error(
                        &policy.path,
                        format!(
                            "this agreement is for `{}`, but the policy's `audience` does not include it",
                            a.id
                        ),
                    )
                    .at(text, a.line, a.column)
                    .help("add it to `audience:`, or take it out of the agreement"),
                );
            }
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_come_from_labels() {
        assert_eq!(
            field_id_from("Laptop assigned (serial no.)"),
            "laptop-assigned-serial-no"
        );
        assert_eq!(field_id_from("!!!"), "field");
        assert!(field_id_from(&"x".repeat(100)).len() <= FIELD_ID_MAX);
    }

    #[test]
    fn statements_fill_in_title_and_version() {
        assert_eq!(
            fill(
                "I agree to the {title} ({version}).",
                "IT Use Policy",
                "2.0"
            ),
            "I agree to the IT Use Policy (2.0)."
        );
    }
}
