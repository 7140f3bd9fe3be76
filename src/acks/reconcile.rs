//! Reconciling acknowledgement records against the current release.
//!
//! People are matched by e-mail (case-insensitive) when both sides have one, else by staff id
//! when both have one, else by name (case- and whitespace-insensitive). When a record matches
//! several people, the strongest kind of match wins (e-mail, then staff id, then name); a tie is
//! reported as ambiguous and not counted.
//!
//! With a roster, the people reported on are exactly the roster's; records of anyone else are
//! listed as "not on the roster". Without one, they are everyone who has a record.
//!
//! For each person and current policy: the records for that policy whose digest is the current
//! digest win (the latest of them, and one made after passing the quiz over one made after
//! failing it); otherwise the latest record decides. Records of policies not in the release are
//! listed separately.
//!
//! A policy with an `audience` is expected only of people whose roster audiences include one of
//! them (`not_required` otherwise; people without audiences are expected to acknowledge every
//! policy). A policy with `reacknowledge` makes an acknowledgement of the current text expire:
//! from the "as of" date given to [`reconcile_on`], an expired one counts as `expired`.

use crate::date::{Date, Interval};
use crate::output::push_csv_record;
use std::collections::HashSet;
use std::fmt::Write as _;

use super::{AckRecord, Invalid, Person, PersonIndex};
use crate::error::plural;

/// A policy of the current release, as the manifest lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CurrentPolicy {
    pub id: String,
    pub title: String,
    pub version: String,
    /// 64 lower-case hex digits.
    pub digest: String,
    /// Its earlier released versions (from the manifest's `archived` list), with the page
    /// showing what changed since each.
    pub earlier: Vec<EarlierVersion>,
    /// The audience ids it applies to; empty: everyone.
    pub audience: Vec<String>,
    /// How long an acknowledgement of it lasts.
    pub reacknowledge: Option<Interval>,
    /// Labels of its agreements' extra fields, by id (to name the values LMS reports carry).
    pub field_labels: Vec<(String, String)>,
}

/// An earlier released version of a current policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EarlierVersion {
    pub version: String,
    pub digest: String,
    /// The "changes since" page, relative to the build folder
    /// (`site/policies/<id>/changes-<version>-to-<current>.html`).
    pub changes_page: String,
}

impl CurrentPolicy {
    /// The current policies of a release, each with its earlier versions.
    pub fn from_manifest(manifest: &crate::release::ReleaseManifest) -> Vec<CurrentPolicy> {
        manifest
            .policies
            .iter()
            .map(|p| CurrentPolicy {
                id: p.id.clone(),
                title: p.title.clone(),
                version: p.version.clone(),
                digest: p.digest.clone(),
                audience: p.audience.clone(),
                reacknowledge: p
                    .reacknowledge
                    .as_deref()
                    .and_then(|i| Interval::parse(i).ok()),
                field_labels: p
                    .agreements
                    .iter()
                    .flat_map(|a| &a.fields)
                    .map(|f| (f.id.clone(), f.label.clone()))
                    .collect(),
                earlier: manifest
                    .archived
                    .iter()
                    .filter(|a| a.id == p.id && !(a.version == p.version && a.digest == p.digest))
                    .map(|a| EarlierVersion {
                        version: a.version.clone(),
                        digest: a.digest.clone(),
                        changes_page: format!(
                            "{}/{}",
                            crate::site::SITE_DIR,
                            crate::site::history::changes_url(&p.id, &a.version, &p.version)
                        ),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The page to read before re-acknowledging, for someone who acknowledged `version` with
    /// `digest`: matched by digest, else by version (an LMS record may carry only the version).
    pub fn changes_since(&self, version: &str, digest: &str) -> Option<&str> {
        let earlier = |v: &&EarlierVersion| v.digest.eq_ignore_ascii_case(digest);
        self.earlier
            .iter()
            .find(earlier)
            .or_else(|| self.earlier.iter().find(|v| v.version == version))
            .map(|v| v.changes_page.as_str())
    }
}

/// One person's standing on one policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Acknowledged the current text (the digest is the current digest).
    Current { date: String },
    /// The latest acknowledgement is of another text: `version` and `digest` are what was
    /// acknowledged.
    Outdated {
        version: String,
        digest: String,
        date: String,
        /// What changed since that version, when the release publishes it.
        changes_page: Option<String>,
    },
    /// Acknowledged the current text, but without passing the module's quiz (the LMS record says
    /// so): not counted as current.
    QuizFailed { date: String },
    /// No record for this policy.
    Missing,
    /// Acknowledged the current text on `date`, but that was longer ago than the policy's
    /// `reacknowledge` interval: due again since `due`.
    Expired { date: String, due: String },
    /// The policy is for other audiences than the person's.
    NotRequired,
}

impl Status {
    /// The word used in the CSV's `status` column.
    pub fn code(&self) -> &'static str {
        match self {
            Status::Current { .. } => "current",
            Status::Outdated { .. } => "outdated",
            Status::QuizFailed { .. } => "quiz_failed",
            Status::Missing => "missing",
            Status::Expired { .. } => "expired",
            Status::NotRequired => "not_required",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyStatus {
    pub policy_id: String,
    pub status: Status,
    /// The record that decided the status (none when missing).
    pub record: Option<AckRecord>,
    /// For a policy with `reacknowledge`: when the current acknowledgement is due again.
    pub due: Option<Date>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonReport {
    pub person: Person,
    /// One per current policy, in the order of [`Reconciliation::policies`].
    pub policies: Vec<PolicyStatus>,
}

/// A record that matches more than one person equally well.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ambiguous {
    pub record: AckRecord,
    pub candidates: Vec<Person>,
}

/// The outcome: per person and policy, plus every record that could not be counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    /// The current policies, sorted by id.
    pub policies: Vec<CurrentPolicy>,
    /// Sorted by name (case-insensitive), then e-mail, then staff id.
    pub people: Vec<PersonReport>,
    /// Whether a roster decided who is reported on.
    pub roster: bool,
    /// Records of policies that are not in the current release.
    pub unknown_policy: Vec<AckRecord>,
    /// With a roster: records of people who are not on it.
    pub not_on_roster: Vec<AckRecord>,
    pub ambiguous: Vec<Ambiguous>,
    /// Invalid receipts and responses, as [`super::load_records`] returned them (added with
    /// [`Reconciliation::with_invalid`]); shown and counted, never used.
    pub invalid: Vec<Invalid>,
}

/// How many person × policy pairs are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub current: usize,
    pub outdated: usize,
    pub quiz_failed: usize,
    pub missing: usize,
    pub expired: usize,
    pub not_required: usize,
}

/// Reconciles `records` against the current `policies`; see the module documentation. No
/// acknowledgement expires (see [`reconcile_on`]).
pub fn reconcile(
    policies: &[CurrentPolicy],
    records: &[AckRecord],
    roster: Option<&[Person]>,
) -> Reconciliation {
    reconcile_on(policies, records, roster, None)
}

/// [`reconcile`] as of a date: acknowledgements of policies with `reacknowledge` that are due
/// again on or before `as_of` are [`Status::Expired`].
pub fn reconcile_on(
    policies: &[CurrentPolicy],
    records: &[AckRecord],
    roster: Option<&[Person]>,
    as_of: Option<Date>,
) -> Reconciliation {
    let mut policies = policies.to_vec();
    policies.sort_by(|a, b| a.id.cmp(&b.id));
    let known: HashSet<&str> = policies.iter().map(|p| p.id.as_str()).collect();

    let mut people = PersonIndex::new(roster.unwrap_or_default());
    let mut assigned: Vec<Vec<&AckRecord>> = vec![Vec::new(); roster.map_or(0, <[Person]>::len)];
    let mut unknown_policy = Vec::new();
    let mut not_on_roster = Vec::new();
    let mut ambiguous = Vec::new();

    // Records that identify people best come first, so that without a roster the people are
    // made from them and a name-only record can be matched against all of them.
    let mut order: Vec<&AckRecord> = records.iter().collect();
    order.sort_by(|a, b| {
        let richness = |r: &AckRecord| (r.person.email.is_none(), r.person.staff_id.is_none());
        (richness(a), &a.source).cmp(&(richness(b), &b.source))
    });
    for record in order {
        let matches = people.matches(&record.person);
        let best = matches.iter().map(|(_, m)| *m).max();
        let top: Vec<usize> = matches
            .iter()
            .filter(|(_, m)| Some(*m) == best)
            .map(|(i, _)| *i)
            .collect();
        let index = match top.as_slice() {
            [] if roster.is_some() => {
                if known.contains(record.policy_id.as_str()) {
                    not_on_roster.push(record.clone());
                } else {
                    unknown_policy.push(record.clone());
                }
                continue;
            }
            [] => {
                assigned.push(Vec::new());
                people.push(record.person.clone())
            }
            [one] => *one,
            several => {
                let mut candidates: Vec<Person> =
                    several.iter().map(|i| people.get(*i).clone()).collect();
                candidates.sort_by_key(Person::sort_key);
                ambiguous.push(Ambiguous {
                    record: record.clone(),
                    candidates,
                });
                continue;
            }
        };
        if known.contains(record.policy_id.as_str()) {
            assigned[index].push(record);
        } else {
            unknown_policy.push(record.clone());
        }
    }

    let mut reports: Vec<PersonReport> = people
        .into_people()
        .into_iter()
        .zip(assigned)
        .map(|(person, records)| PersonReport {
            policies: policies
                .iter()
                .map(|p| standing(p, &records, &person, as_of))
                .collect(),
            person,
        })
        .collect();
    reports.sort_by_cached_key(|r| r.person.sort_key());
    let by_person_then_policy = |a: &AckRecord, b: &AckRecord| {
        (a.person.sort_key(), &a.policy_id, &a.source).cmp(&(
            b.person.sort_key(),
            &b.policy_id,
            &b.source,
        ))
    };
    unknown_policy.sort_by(by_person_then_policy);
    not_on_roster.sort_by(by_person_then_policy);
    ambiguous.sort_by(|a, b| by_person_then_policy(&a.record, &b.record));

    Reconciliation {
        policies,
        people: reports,
        roster: roster.is_some(),
        unknown_policy,
        not_on_roster,
        ambiguous,
        invalid: Vec::new(),
    }
}

fn standing(
    policy: &CurrentPolicy,
    records: &[&AckRecord],
    person: &Person,
    as_of: Option<Date>,
) -> PolicyStatus {
    let applies = policy.audience.is_empty()
        || person.audiences.is_empty()
        || policy.audience.iter().any(|a| person.audiences.contains(a));
    if !applies {
        return PolicyStatus {
            policy_id: policy.id.clone(),
            status: Status::NotRequired,
            record: None,
            due: None,
        };
    }
    let mut status = acknowledged(policy, records);
    // An acknowledgement of the current text lasts `reacknowledge` from the day it was made.
    if let (Status::Current { date }, Some(interval), Some(record)) =
        (&status.status, policy.reacknowledge, &status.record)
    {
        status.due = record
            .when
            .and_then(|w| Date::from_ymd(w.year(), w.month(), w.day()))
            .and_then(|d| d.plus(interval));
        if let (Some(due), Some(today)) = (status.due, as_of)
            && due <= today
        {
            status.status = Status::Expired {
                date: date.clone(),
                due: due.to_string(),
            };
        }
    }
    status
}

fn acknowledged(policy: &CurrentPolicy, records: &[&AckRecord]) -> PolicyStatus {
    let latest = |current: bool| {
        records
            .iter()
            .filter(|r| r.policy_id == policy.id)
            .filter(|r| !current || r.digest.eq_ignore_ascii_case(&policy.digest))
            // A record made after passing the quiz wins over any made after failing it.
            .max_by(|a, b| (!a.quiz_failed, a.chronology()).cmp(&(!b.quiz_failed, b.chronology())))
            .copied()
    };
    let (status, record) = match (latest(true), latest(false)) {
        (Some(r), _) if r.quiz_failed => (Status::QuizFailed { date: r.date() }, Some(r)),
        (Some(r), _) => (Status::Current { date: r.date() }, Some(r)),
        (None, Some(r)) => (
            Status::Outdated {
                version: r.version.clone(),
                digest: r.digest.clone(),
                date: r.date(),
                changes_page: policy
                    .changes_since(&r.version, &r.digest)
                    .map(str::to_owned),
            },
            Some(r),
        ),
        (None, None) => (Status::Missing, None),
    };
    PolicyStatus {
        policy_id: policy.id.clone(),
        status,
        record: record.cloned(),
        due: None,
    }
}

const CSV_HEADER: [&str; 10] = [
    "name",
    "email",
    "staff_id",
    "policy",
    "policy_version",
    "status",
    "acknowledged_version",
    "acknowledged_on",
    "source",
    "changes_page",
];

impl Reconciliation {
    /// Adds the invalid records that [`super::load_records`] returned, so they are shown and
    /// counted.
    pub fn with_invalid(mut self, mut invalid: Vec<Invalid>) -> Self {
        invalid.sort();
        self.invalid = invalid;
        self
    }

    pub fn policy(&self, id: &str) -> Option<&CurrentPolicy> {
        self.policies.iter().find(|p| p.id == id)
    }

    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for status in self.people.iter().flat_map(|p| &p.policies) {
            match status.status {
                Status::Current { .. } => counts.current += 1,
                Status::Outdated { .. } => counts.outdated += 1,
                Status::QuizFailed { .. } => counts.quiz_failed += 1,
                Status::Missing => counts.missing += 1,
                Status::Expired { .. } => counts.expired += 1,
                Status::NotRequired => counts.not_required += 1,
            }
        }
        counts
    }

    /// Whether anyone must acknowledge something: a policy acknowledged in another version,
    /// without passing its quiz, or not at all.
    pub fn needs_action(&self) -> bool {
        let counts = self.counts();
        counts.outdated > 0 || counts.quiz_failed > 0 || counts.missing > 0 || counts.expired > 0
    }

    /// One line, e.g. `12 current, 3 must re-acknowledge (older version), 5 not acknowledged,
    /// 1 invalid record`; the records not counted for other reasons are added when there are any.
    pub fn summary(&self) -> String {
        let counts = self.counts();
        let mut parts = vec![
            format!("{} current", counts.current),
            format!("{} must re-acknowledge (older version)", counts.outdated),
        ];
        if counts.expired > 0 {
            parts.push(format!(
                "{} due again (acknowledgement expired)",
                counts.expired
            ));
        }
        if counts.quiz_failed > 0 {
            parts.push(format!(
                "{} acknowledged without passing the quiz",
                counts.quiz_failed
            ));
        }
        parts.push(format!("{} not acknowledged", counts.missing));
        if counts.not_required > 0 {
            parts.push(format!(
                "{} not required (other audience)",
                counts.not_required
            ));
        }
        if !self.invalid.is_empty() {
            let n = self.invalid.len();
            parts.push(format!(
                "{n} invalid {}",
                if n == 1 { "record" } else { "records" }
            ));
        }
        if !self.unknown_policy.is_empty() {
            parts.push(format!(
                "{} of policies not in this release",
                plural(self.unknown_policy.len(), "record")
            ));
        }
        if !self.not_on_roster.is_empty() {
            parts.push(format!(
                "{} from people not on the roster",
                plural(self.not_on_roster.len(), "record")
            ));
        }
        if !self.ambiguous.is_empty() {
            parts.push(format!(
                "{} matching more than one person",
                plural(self.ambiguous.len(), "record")
            ));
        }
        parts.join(", ")
    }

    /// A table for a terminal: per person, per policy, then the records not counted.
    pub fn table(&self) -> String {
        let mut rows: Vec<[String; 3]> = Vec::new();
        for report in &self.people {
            for (i, (status, policy)) in report.policies.iter().zip(&self.policies).enumerate() {
                let person = if i == 0 {
                    report.person.label()
                } else {
                    String::new()
                };
                rows.push([
                    person,
                    format!("{} {}", policy.title, policy.version),
                    describe(status, policy),
                ]);
            }
        }
        let mut out = String::new();
        if rows.is_empty() {
            out.push_str(if self.policies.is_empty() {
                "No policies in the current release.\n"
            } else {
                "No one to report on: no acknowledgements, and no roster.\n"
            });
        } else {
            let header = ["Person", "Policy", "Status"].map(str::to_owned);
            out.push_str(&aligned_columns(&header, &rows));
        }
        let section = |out: &mut String, title: &str, lines: Vec<String>| {
            if !lines.is_empty() {
                let _ = writeln!(out, "\n{title}");
                for line in lines {
                    let _ = writeln!(out, "  {line}");
                }
            }
        };
        section(
            &mut out,
            "Details given with the acknowledgements",
            self.details_given(),
        );
        section(
            &mut out,
            "Before re-acknowledging, read what changed since the version acknowledged",
            self.changes_to_read(),
        );
        section(
            &mut out,
            "Not counted: acknowledgements of policies that are not in this release",
            self.unknown_policy.iter().map(record_line).collect(),
        );
        section(
            &mut out,
            "Not counted: acknowledgements by people who are not on the roster",
            self.not_on_roster.iter().map(record_line).collect(),
        );
        section(
            &mut out,
            "Not counted: acknowledgements that match more than one person",
            self.ambiguous
                .iter()
                .map(|a| {
                    let candidates: Vec<String> = a.candidates.iter().map(short_label).collect();
                    format!(
                        "{} (matches {})",
                        record_line(&a.record),
                        candidates.join("; ")
                    )
                })
                .collect(),
        );
        section(
            &mut out,
            "Invalid, not counted",
            self.invalid.iter().map(Invalid::to_string).collect(),
        );
        out
    }

    /// One line per acknowledgement that carries agreement fields (a laptop's serial number…):
    /// `Jane Smith <jane@example.org>, IT Use Policy 2.0: Laptop serial no.: LT-0042`.
    fn details_given(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for report in &self.people {
            for (status, policy) in report.policies.iter().zip(&self.policies) {
                if let Some(record) = status.record.as_ref().filter(|r| !r.fields.is_empty()) {
                    lines.push(format!(
                        "{}, {} {}: {}",
                        short_label(&report.person),
                        policy.title,
                        record.version,
                        fields_text(record, policy)
                    ));
                }
            }
        }
        lines
    }

    /// One line per (policy, version acknowledged) that people must re-read from: the page
    /// showing what changed since, and how many people it is for.
    fn changes_to_read(&self) -> Vec<String> {
        // Keyed by policy position (sorted by id), then version and page.
        let mut pages: std::collections::BTreeMap<(usize, &str, &str), usize> = Default::default();
        for report in &self.people {
            for (index, status) in report.policies.iter().enumerate() {
                if let Status::Outdated {
                    version,
                    changes_page: Some(page),
                    ..
                } = &status.status
                {
                    *pages
                        .entry((index, version.as_str(), page.as_str()))
                        .or_default() += 1;
                }
            }
        }
        pages
            .into_iter()
            .map(|((index, version, page), people)| {
                let policy = &self.policies[index];
                format!(
                    "{} {version} → {}: {page} ({})",
                    policy.title,
                    policy.version,
                    plural(people, "person").replace("persons", "people")
                )
            })
            .collect()
    }

    /// RFC 4180 CSV (CRLF line ends, fields quoted when needed), starting with a UTF-8 byte
    /// order mark so spreadsheets read accented names correctly. Header: `name,email,staff_id,
    /// policy,policy_version,status,acknowledged_version,acknowledged_on,source,changes_page`
    /// (`changes_page`: for `outdated`, the page of what changed since the version acknowledged,
    /// relative to the build folder, when the release has it). One row per
    /// person and current policy (`status` `current`, `outdated`, `quiz_failed` or `missing`), and one per
    /// record not counted (`unknown_policy`, `not_on_roster`, `ambiguous`), all sorted by person,
    /// then policy id. `policy` is the policy id; `acknowledged_on` is `YYYY-MM-DD` when the date
    /// could be read, else the date as recorded. Cells starting with `=`, `+`, `-` or `@` get a
    /// leading `'` so they cannot run as formulas.
    ///
    /// When a policy of the release has `reacknowledge`, a column `due_on` follows (when the
    /// acknowledgement is or was due again; `status` is then also `expired`), and when one has
    /// agreement fields, a column `fields` (`Label: value; …`). `not_required` rows are for a
    /// policy meant for other audiences.
    pub fn to_csv(&self) -> String {
        type Row = ((String, String, String, String), String, usize, Vec<String>);
        let with_due = self.policies.iter().any(|p| p.reacknowledge.is_some());
        let with_fields = self.policies.iter().any(|p| !p.field_labels.is_empty());
        let mut rows: Vec<Row> = Vec::new();
        let mut push = |person: &Person,
                        policy_id: &str,
                        rank: usize,
                        fields: [String; 10],
                        extra: [String; 2]| {
            let mut cells = fields.to_vec();
            let [due, values] = extra;
            if with_due {
                cells.push(due);
            }
            if with_fields {
                cells.push(values);
            }
            rows.push((person.sort_key(), policy_id.to_owned(), rank, cells));
        };
        let person_fields = |p: &Person| {
            [
                p.name.clone(),
                p.email.clone().unwrap_or_default(),
                p.staff_id.clone().unwrap_or_default(),
            ]
        };
        let ack_fields = |r: Option<&AckRecord>| match r {
            Some(r) => [r.version.clone(), r.date(), r.source.to_string()],
            None => Default::default(),
        };
        for report in &self.people {
            for (status, policy) in report.policies.iter().zip(&self.policies) {
                let [name, email, staff] = person_fields(&report.person);
                let [version, date, source] = ack_fields(status.record.as_ref());
                push(
                    &report.person,
                    &policy.id,
                    0,
                    [
                        name,
                        email,
                        staff,
                        policy.id.clone(),
                        policy.version.clone(),
                        status.status.code().to_owned(),
                        version,
                        date,
                        source,
                        match &status.status {
                            Status::Outdated { changes_page, .. } => {
                                changes_page.clone().unwrap_or_default()
                            }
                            _ => String::new(),
                        },
                    ],
                    [
                        match &status.status {
                            Status::Expired { due, .. } => due.clone(),
                            _ => status.due.map(|d| d.to_string()).unwrap_or_default(),
                        },
                        status
                            .record
                            .as_ref()
                            .map(|r| fields_text(r, policy))
                            .unwrap_or_default(),
                    ],
                );
            }
        }
        let extras = self
            .unknown_policy
            .iter()
            .map(|r| (r, "unknown_policy", 1))
            .chain(self.not_on_roster.iter().map(|r| (r, "not_on_roster", 2)))
            .chain(self.ambiguous.iter().map(|a| (&a.record, "ambiguous", 3)));
        for (record, code, rank) in extras {
            let [name, email, staff] = person_fields(&record.person);
            let [version, date, source] = ack_fields(Some(record));
            let current_version = self
                .policy(&record.policy_id)
                .map(|p| p.version.clone())
                .unwrap_or_default();
            push(
                &record.person,
                &record.policy_id,
                rank,
                [
                    name,
                    email,
                    staff,
                    record.policy_id.clone(),
                    current_version,
                    code.to_owned(),
                    version,
                    date,
                    source,
                    String::new(),
                ],
                Default::default(),
            );
        }
        rows.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));

        let mut out = String::from("\u{FEFF}");
        let mut header = CSV_HEADER.to_vec();
        if with_due {
            header.push("due_on");
        }
        if with_fields {
            header.push("fields");
        }
        push_csv_record(&mut out, header);
        for (_, _, _, fields) in &rows {
            push_csv_record(&mut out, fields.iter().map(String::as_str));
        }
        out
    }
}

/// Widest each column of the terminal table gets (person, policy, status); longer cells are cut
/// short with `…` there (the CSV keeps them whole). Without a cap a name of 65,536 characters made
/// the width argument of `format!` overflow, and `acks` panicked.
const MAX_COLUMN_WIDTHS: [usize; 3] = [60, 60, 160];

/// The table's lines: each column padded to its widest cell (at most [`MAX_COLUMN_WIDTHS`]), a
/// rule under the header.
fn aligned_columns(header: &[String; 3], rows: &[[String; 3]]) -> String {
    let cells: Vec<[String; 3]> = std::iter::once(header)
        .chain(rows)
        .map(|row| {
            let [a, b, c] = row;
            [
                shortened(a, MAX_COLUMN_WIDTHS[0]),
                shortened(b, MAX_COLUMN_WIDTHS[1]),
                shortened(c, MAX_COLUMN_WIDTHS[2]),
            ]
        })
        .collect();
    let width = |col: usize| {
        cells
            .iter()
            .map(|row| row[col].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    let rule = widths.map(|w| "-".repeat(w));
    let mut out = String::new();
    for row in [&cells[0], &rule].into_iter().chain(&cells[1..]) {
        let mut line = String::new();
        for (col, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if col < 2 {
                let pad = widths[col] - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `text` cut to `max` characters, the last being `…`, when it is longer.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max - 1).collect();
    short.push('…');
    short
}

/// A person's label, cut short like the table's person column.
fn short_label(person: &Person) -> String {
    shortened(&person.label(), MAX_COLUMN_WIDTHS[0])
}

/// The status column of the table.
fn describe(standing: &PolicyStatus, policy: &CurrentPolicy) -> String {
    let mut text = describe_status(&standing.status, policy);
    if let Some(due) = standing.due
        && matches!(standing.status, Status::Current { .. })
    {
        text.push_str(&format!(", due again {due}"));
    }
    text
}

/// `Laptop serial no.: LT-0042; Old laptop returned: no`: a record's field values, named by
/// their labels (from the receipt, else from the release).
fn fields_text(record: &AckRecord, policy: &CurrentPolicy) -> String {
    record
        .fields
        .iter()
        .map(|f| {
            let label = if f.label.is_empty() {
                policy
                    .field_labels
                    .iter()
                    .find(|(id, _)| *id == f.id)
                    .map_or(f.id.as_str(), |(_, l)| l.as_str())
            } else {
                f.label.as_str()
            };
            let value = if f.value.is_empty() { "—" } else { &f.value };
            format!("{label}: {value}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn describe_status(status: &Status, policy: &CurrentPolicy) -> String {
    let on = |date: &str| {
        if date.is_empty() {
            String::new()
        } else {
            format!(" on {date}")
        }
    };
    match status {
        Status::Current { date } => format!("acknowledged{}", on(date)),
        Status::Outdated {
            version,
            digest,
            date,
            ..
        } => {
            let what = if *version == policy.version {
                format!(
                    "{version} with other text (digest {})",
                    digest.get(..crate::digest::SHORT_LEN).unwrap_or(digest)
                )
            } else {
                version.clone()
            };
            format!("must re-acknowledge: acknowledged {what}{}", on(date))
        }
        Status::QuizFailed { date } => format!(
            "must retake the quiz: acknowledged without passing it{}",
            on(date)
        ),
        Status::Missing => "not acknowledged".to_owned(),
        Status::Expired { date, due } => {
            format!("must re-acknowledge: the acknowledgement of {date} expired on {due}")
        }
        Status::NotRequired => format!("not required (for {} only)", policy.audience.join(", ")),
    }
}

/// `Jane Smith <jane@example.org>: old-policy 1.0 on 2026-01-05 (receipts/jane.json)`.
fn record_line(record: &AckRecord) -> String {
    let date = record.date();
    let on = if date.is_empty() {
        String::new()
    } else {
        format!(" on {date}")
    };
    format!(
        "{}: {} {}{on} ({})",
        short_label(&record.person),
        record.policy_id,
        record.version,
        record.source
    )
}
