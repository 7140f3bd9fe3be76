//! LMS reports: what Moodle's SCORM Interactions and Objectives reports download (as
//! tab-separated text, .xlsx or .ods; any delimited text or spreadsheet is read, see
//! [`super::table`]), or another LMS's export described with [`Columns`].
//!
//! Every cell of every row whose value (after HTML un-escaping and trimming) has the form
//! `ack:<policy-id>:<version>:sha256:<64 hex digest>` is one acknowledgement by the row's person
//! (the Interactions report's `Response N` columns, where SCORM 1.2 packages record them). So is
//! every `completed` or `passed` cell of a column whose header has that form (the Objectives
//! report, where SCORM 2004 packages record them: Moodle shows no 2004 interaction responses).
//! The policy id never contains `:`, the version may: the response is parsed from both ends; a
//! trailing `:quiz-failed` marks an acknowledgement given without passing the quiz. A cell that
//! starts with `ack:` but does not have that form is reported as [`Invalid`].
//!
//! Moodle's layout: `Name`, the site's identity columns (e.g. `Email address`, `ID number`),
//! `Attempt`, `Started on`, `Last accessed on`, `Score`, a column per SCO, then `Response N` (and
//! optionally `Question N`, `Right answer N`, `Result N`) per interaction, or one column per
//! objective. Values are HTML-escaped.

use std::path::Path;
use std::str::FromStr;

use super::receipt::is_digest;
use super::table::{Table, located, parse_delimited, read_table};
use super::{AckRecord, FieldValue, Invalid, Person, RecordKind, Source, without_controls};
use crate::error::{Error, Result};

/// Which columns of a report hold the person and the date, for LMS exports that are not laid out
/// as Moodle's. Parsed from `name=Full name,email=Email,staff_id=Employee no,date=Completed`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    pub name: String,
    pub email: Option<String>,
    pub staff_id: Option<String>,
    pub date: Option<String>,
}

const COLUMN_KEYS: &str = "name, email, staff_id and date";
const COLUMNS_EXAMPLE: &str = "name=Full name,email=Email,date=Completed";

impl Columns {
    /// Parses `key=Header` pairs separated by commas. Keys: `name` (required), `email`,
    /// `staff_id`, `date`. Headers are matched exactly, or else ignoring case.
    pub fn parse(spec: &str) -> Result<Columns> {
        let usage = |message: String| Error::Usage(format!("--columns: {message}"));
        let (mut name, mut email, mut staff_id, mut date) = (None, None, None, None);
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, header)) = part.split_once('=') else {
                return Err(usage(format!(
                    "`{part}` is not `key=Header` (for example `{COLUMNS_EXAMPLE}`)"
                )));
            };
            let (key, header) = (key.trim(), header.trim());
            if header.is_empty() {
                return Err(usage(format!("`{key}=` names no column")));
            }
            let slot = match key.to_ascii_lowercase().as_str() {
                "name" => &mut name,
                "email" => &mut email,
                "staff_id" => &mut staff_id,
                "date" => &mut date,
                _ => {
                    return Err(usage(format!(
                        "unknown key `{key}` (the keys are {COLUMN_KEYS}, for example \
                         `{COLUMNS_EXAMPLE}`)"
                    )));
                }
            };
            if slot.is_some() {
                return Err(usage(format!("`{key}` is given twice")));
            }
            *slot = Some(header.to_owned());
        }
        let Some(name) = name else {
            return Err(usage(format!(
                "`name=` is required: the column with each person's name (for example \
                 `{COLUMNS_EXAMPLE}`)"
            )));
        };
        Ok(Columns {
            name,
            email,
            staff_id,
            date,
        })
    }
}

impl FromStr for Columns {
    type Err = Error;

    fn from_str(spec: &str) -> Result<Columns> {
        Columns::parse(spec)
    }
}

/// Where the person and the date are, as column indexes.
#[derive(Debug, PartialEq, Eq)]
struct Layout {
    name: NameColumns,
    email: Option<usize>,
    staff_id: Option<usize>,
    date: Option<usize>,
}

#[derive(Debug, PartialEq, Eq)]
enum NameColumns {
    Full(usize),
    /// First name and last name, joined with a space.
    Split(usize, usize),
}

fn find(headers: &[String], wanted: &str) -> Option<usize> {
    let wanted = wanted.trim();
    headers
        .iter()
        .position(|h| h == wanted)
        .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(wanted)))
        .or_else(|| {
            let wanted = wanted.to_lowercase();
            headers.iter().position(|h| h.to_lowercase() == wanted)
        })
}

fn find_any(headers: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| find(headers, n))
}

const STAFF_ID_HEADERS: &[&str] = &[
    "ID number",
    "idnumber",
    "Staff ID",
    "staff_id",
    "Staff number",
    "Employee ID",
    "Employee number",
];

impl Layout {
    fn resolve(headers: &[String], columns: Option<&Columns>) -> Result<Layout, String> {
        match columns {
            Some(columns) => Layout::mapped(headers, columns),
            None => Layout::moodle(headers),
        }
    }

    fn mapped(headers: &[String], columns: &Columns) -> Result<Layout, String> {
        let mut missing = Vec::new();
        let mut lookup = |header: Option<&String>| -> Option<usize> {
            let header = header?;
            let found = find(headers, header);
            if found.is_none() {
                missing.push(format!("`{header}`"));
            }
            found
        };
        let name = lookup(Some(&columns.name));
        let email = lookup(columns.email.as_ref());
        let staff_id = lookup(columns.staff_id.as_ref());
        let date = lookup(columns.date.as_ref());
        match name {
            Some(name) if missing.is_empty() => Ok(Layout {
                name: NameColumns::Full(name),
                email,
                staff_id,
                date,
            }),
            _ => Err(format!(
                "--columns names {} not in this file (its columns are {})",
                if missing.len() == 1 {
                    format!("column {}, which is", missing[0])
                } else {
                    format!("columns {}, which are", missing.join(", "))
                },
                list_headers(headers)
            )),
        }
    }

    fn moodle(headers: &[String]) -> Result<Layout, String> {
        let name = match find_any(headers, &["Name", "Full name", "Fullname"]) {
            Some(i) => NameColumns::Full(i),
            None => match (
                find(headers, "First name"),
                find_any(headers, &["Last name", "Surname"]),
            ) {
                (Some(first), Some(last)) => NameColumns::Split(first, last),
                _ => {
                    return Err(format!(
                        "no `Name` column, so the people in it cannot be told apart (its columns \
                         are {}); if this is not Moodle's Interactions report, map its columns \
                         with --columns, for example `--columns \"{COLUMNS_EXAMPLE}\"`",
                        list_headers(headers)
                    ));
                }
            },
        };
        // Identity columns come before `Attempt` (or whatever starts the attempt's columns): a
        // SCO titled "Email etiquette" must not be taken for an e-mail column.
        let end = headers
            .iter()
            .position(|h| is_attempt_column(h))
            .unwrap_or(headers.len());
        let identity = |i: &usize| match name {
            NameColumns::Full(n) => *i != n,
            NameColumns::Split(first, last) => *i != first && *i != last,
        };
        let email = (0..end)
            .filter(identity)
            .find(|i| headers[*i].to_lowercase().contains("mail"));
        let staff_id = (0..end).filter(identity).find(|i| {
            STAFF_ID_HEADERS
                .iter()
                .any(|h| headers[*i].eq_ignore_ascii_case(h))
        });
        let date = find_any(headers, &["Last accessed on", "Started on"]);
        Ok(Layout {
            name,
            email,
            staff_id,
            date,
        })
    }

    fn person(&self, cells: &[String]) -> Person {
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
        let name = match self.name {
            NameColumns::Full(i) => cell(i).to_owned(),
            NameColumns::Split(first, last) => format!("{} {}", cell(first), cell(last)),
        };
        Person::new(&name, self.email.map(cell), self.staff_id.map(cell))
    }
}

/// `Attempt`, the dates, `Score`, and the per-interaction columns: where Moodle's identity columns
/// end.
fn is_attempt_column(header: &str) -> bool {
    let lower = header.to_lowercase();
    let numbered = |prefix: &str| {
        lower
            .strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    ["attempt", "started on", "last accessed on", "score"].contains(&lower.as_str())
        || ["response ", "question ", "right answer ", "result "]
            .iter()
            .any(|p| numbered(p))
}

fn list_headers(headers: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut list: Vec<String> = headers
        .iter()
        .take(SHOWN)
        .map(|h| format!("`{h}`"))
        .collect();
    if headers.len() > SHOWN {
        list.push(format!("and {} more", headers.len() - SHOWN));
    }
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.join(", ")
    }
}

/// Un-escapes HTML character references: every named entity of HTML5 and decimal and hex
/// numeric references (`&amp;`, `&#039;`, `&#x27;`, `&eacute;` …). Unknown names stay as written.
pub fn unescape_html(text: &str) -> String {
    html_escape::decode_html_entities(text).into_owned()
}

/// Reads one report (tab-separated text, CSV, .xlsx or .ods: see [`super::table`]): the
/// acknowledgements found, and the cells that looked like one but were not. Errors
/// ([`Error::Usage`]) name the file and line when the report cannot be read or lacks the columns
/// needed.
pub fn read_report(
    path: &Path,
    columns: Option<&Columns>,
) -> Result<(Vec<AckRecord>, Vec<Invalid>)> {
    let table = read_table(path, "report")?;
    report_records(table, path, columns)
}

/// [`read_report`] on delimited text already read.
pub fn parse_report(
    bytes: &[u8],
    path: &Path,
    columns: Option<&Columns>,
) -> Result<(Vec<AckRecord>, Vec<Invalid>)> {
    let table = parse_delimited(bytes, path, "report")?;
    report_records(table, path, columns)
}

/// The acknowledgements in a table: every cell that is an `ack:` response (the Interactions
/// report), and every status cell of a column headed by one (the Objectives report, where SCORM
/// 2004 packages record acknowledgements as objectives: the header is the objective's id, the
/// cell its status).
fn report_records(
    table: Option<Table>,
    path: &Path,
    columns: Option<&Columns>,
) -> Result<(Vec<AckRecord>, Vec<Invalid>)> {
    let Some(table) = table else {
        return Err(located(
            path,
            None,
            "the report is empty (expected a header row)".to_owned(),
        ));
    };
    let headers: Vec<String> = table
        .headers
        .iter()
        .map(|h| without_controls(&unescape_html(h)).trim().to_owned())
        .collect();
    let layout =
        Layout::resolve(&headers, columns).map_err(|message| located(path, None, message))?;
    let objective_columns: Vec<Option<AckResponse>> =
        headers.iter().map(|h| objective_ack(h)).collect();

    let mut found = Found::default();
    for row in &table.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|c| unescape_html(c).trim().to_owned())
            .collect();
        let context = RowContext::new(&layout, &cells, path, row.line);
        let first = found.records.len();
        let mut fields = Vec::new();
        for (index, cell) in cells.iter().enumerate() {
            if let Some(field) = parse_field_response(cell) {
                fields.push(field);
                continue;
            }
            let column = column_name(&headers, index);
            if let Some(parsed) = parse_ack_response(cell) {
                found.push(&context, column, parsed);
            } else if let Some(Some(ack)) = objective_columns.get(index)
                && is_acknowledged_status(cell)
            {
                found.push(&context, column, Ok(ack.clone()));
            }
        }
        // A field's value belongs to the acknowledgement of its policy in the same attempt.
        for record in &mut found.records[first..] {
            record.fields = fields
                .iter()
                .filter(|(policy, _)| *policy == record.policy_id)
                .map(|(_, value)| value.clone())
                .collect();
        }
    }
    Ok((found.records, found.invalid))
}

/// A `field:<policy-id>:<field-id>:<value>` response (an agreement's extra field, as SCORM
/// packages record it): the policy id and the value.
pub fn parse_field_response(text: &str) -> Option<(String, FieldValue)> {
    let rest = text.trim_start().strip_prefix("field:")?;
    let (policy, rest) = rest.split_once(':')?;
    let (id, value) = rest.split_once(':')?;
    if !crate::content::is_valid_id(policy) || !crate::content::is_valid_id(id) {
        return None;
    }
    Some((
        policy.to_owned(),
        FieldValue {
            id: id.to_owned(),
            label: String::new(),
            value: without_controls(value).trim().to_owned(),
        },
    ))
}

/// The person and date of one row, and where it is.
struct RowContext<'a> {
    person: Person,
    date_text: String,
    when: Option<jiff::civil::DateTime>,
    path: &'a Path,
    line: usize,
}

impl<'a> RowContext<'a> {
    fn new(layout: &Layout, cells: &[String], path: &'a Path, line: usize) -> Self {
        let (date_text, when) = match layout.date.and_then(|i| cells.get(i)) {
            Some(text) => (without_controls(text), parse_lms_date(text)),
            None => (String::new(), None),
        };
        RowContext {
            person: layout.person(cells),
            date_text,
            when,
            path,
            line,
        }
    }
}

#[derive(Default)]
struct Found {
    records: Vec<AckRecord>,
    invalid: Vec<Invalid>,
}

impl Found {
    fn push(&mut self, row: &RowContext, column: String, parsed: Result<AckResponse, String>) {
        let source = Source {
            file: row.path.to_path_buf(),
            row: Some(row.line),
            column: Some(column),
        };
        let parsed = parsed.and_then(|ack| {
            if row.person.name.is_empty() {
                Err("an acknowledgement in a row with no name".to_owned())
            } else {
                Ok(ack)
            }
        });
        match parsed {
            Ok(ack) => self.records.push(AckRecord {
                person: row.person.clone(),
                policy_id: ack.policy_id,
                version: ack.version,
                digest: ack.digest,
                quiz_failed: ack.quiz_failed,
                acknowledged_at: row.date_text.clone(),
                when: row.when,
                kind: RecordKind::Report,
                source,
                audience: None,
                fields: Vec::new(),
            }),
            Err(reason) => self.invalid.push(Invalid { source, reason }),
        }
    }
}

fn column_name(headers: &[String], index: usize) -> String {
    headers
        .get(index)
        .filter(|h| !h.is_empty())
        .cloned()
        .unwrap_or_else(|| format!("column {}", index + 1))
}

/// The acknowledgement a column of the Objectives report stands for: its header is the
/// objective's id (an `ack:` response), followed by ` Status` or ` Score` when the report shows
/// scores too. An id has no white space, so the first word is the id.
fn objective_ack(header: &str) -> Option<AckResponse> {
    let id = header.split_whitespace().next()?;
    parse_ack_response(id)?.ok()
}

/// An objective's status that means it was achieved: `completed` (what SCORM 2004 packages set,
/// and what Moodle's Objectives report shows for 2004), or `passed`.
fn is_acknowledged_status(cell: &str) -> bool {
    cell.eq_ignore_ascii_case("completed") || cell.eq_ignore_ascii_case("passed")
}

/// The parts of an `ack:` response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckResponse {
    pub policy_id: String,
    pub version: String,
    pub digest: String,
    /// Acknowledged after failing the module's quiz (the response ends in [`QUIZ_FAILED`]).
    pub quiz_failed: bool,
}

/// What a package appends to the response when the learner acknowledged without passing the
/// quiz (only possible where a module allows it with `require_pass = false`).
pub const QUIZ_FAILED: &str = ":quiz-failed";

/// `None` when `text` does not start with `ack:`; otherwise the parsed response, or why it is
/// not of the form `ack:<policy-id>:<version>:sha256:<64 hex digest>`, optionally followed by
/// `:quiz-failed`.
pub fn parse_ack_response(text: &str) -> Option<Result<AckResponse, String>> {
    let rest = text.trim().strip_prefix("ack:")?;
    let (rest, quiz_failed) = match rest.strip_suffix(QUIZ_FAILED) {
        Some(rest) => (rest, true),
        None => (rest, false),
    };
    Some(parse_ack_parts(rest, text.trim()).map(|ack| AckResponse { quiz_failed, ..ack }))
}

fn parse_ack_parts(rest: &str, text: &str) -> Result<AckResponse, String> {
    let form = || {
        format!(
            "`{}` is not of the form ack:<policy-id>:<version>:sha256:<digest>",
            without_controls(text)
        )
    };
    let (policy_id, tail) = rest.split_once(':').ok_or_else(form)?;
    let (before, digest) = tail.rsplit_once(':').ok_or_else(form)?;
    let version = before.strip_suffix(":sha256").ok_or_else(form)?;
    if !crate::content::is_valid_id(policy_id) {
        return Err(format!(
            "{}: `{}` is not a policy id",
            form(),
            without_controls(policy_id)
        ));
    }
    if version.trim().is_empty() {
        return Err(format!("{}: the version is empty", form()));
    }
    let digest = digest.to_ascii_lowercase();
    if !is_digest(&digest) {
        return Err(format!(
            "{}: the digest is not 64 hex digits (was the response cut short?)",
            form()
        ));
    }
    Ok(AckResponse {
        policy_id: policy_id.to_owned(),
        version: without_controls(version),
        digest,
        quiz_failed: false,
    })
}

/// Parses an LMS's date text: ISO 8601 (`2026-11-24`, `2026-11-24 13:15`, `2026-11-24T13:15:00`)
/// or a date with an English month name in any order, with an optional time (`Tuesday, 24
/// November 2026, 1:15 AM`, `Nov 24, 2026 13:15`). `None` when it cannot.
pub fn parse_lms_date(text: &str) -> Option<jiff::civil::DateTime> {
    let text = text.trim();
    if let Some(iso) = text.get(..10)
        && crate::date::Date::parse(iso).is_ok()
        && let Ok(date) = iso.parse::<jiff::civil::Date>()
    {
        let rest = text[10..].trim_start_matches(['T', 't', ' ']);
        let time = parse_time(
            rest.split(|c: char| !(c.is_ascii_digit() || c == ':'))
                .next()?,
            None,
        )
        .unwrap_or(jiff::civil::Time::midnight());
        return Some(date.to_datetime(time));
    }
    let tokens: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == ':'))
        .filter(|t| !t.is_empty())
        .collect();
    let mut month = None;
    let mut day = None;
    let mut year = None;
    let mut time = None;
    for (i, token) in tokens.iter().enumerate() {
        let lower = token.to_lowercase();
        if token.contains(':') {
            if time.is_none() {
                let meridiem = tokens.get(i + 1).map(|t| t.to_lowercase());
                time = parse_time(token, meridiem.as_deref());
            }
        } else if let Some(m) = month_number(&lower) {
            month = month.or(Some(m));
        } else if token.len() == 4 && token.bytes().all(|b| b.is_ascii_digit()) {
            year = year.or(token.parse::<i16>().ok());
        } else {
            let digits = lower.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
            if (1..=2).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && day.is_none()
            {
                day = digits.parse::<i8>().ok();
            }
        }
    }
    let date = jiff::civil::Date::new(year?, month?, day?).ok()?;
    Some(date.to_datetime(time.unwrap_or(jiff::civil::Time::midnight())))
}

/// `13:15`, `1:15` + `pm`, `01:15:30` + `am`, `1:15pm`.
fn parse_time(token: &str, next: Option<&str>) -> Option<jiff::civil::Time> {
    let lower = token.to_lowercase();
    let (clock, attached) = match lower
        .strip_suffix("am")
        .or_else(|| lower.strip_suffix("pm"))
    {
        Some(clock) => (clock.to_owned(), Some(lower[clock.len()..].to_owned())),
        None => (lower.clone(), None),
    };
    let meridiem =
        attached.or_else(|| next.filter(|n| *n == "am" || *n == "pm").map(str::to_owned));
    let mut parts = clock.split(':');
    let mut hour: i8 = parts.next()?.parse().ok()?;
    let minute: i8 = parts.next()?.parse().ok()?;
    let second: i8 = parts
        .next()
        .map_or(Some(0), |s| s.get(..2).unwrap_or(s).parse().ok())?;
    match meridiem.as_deref() {
        Some("am") if hour == 12 => hour = 0,
        Some("pm") if hour < 12 => hour += 12,
        _ => {}
    }
    jiff::civil::Time::new(hour, minute, second, 0).ok()
}

fn month_number(token: &str) -> Option<i8> {
    if token.len() < 3 {
        return None;
    }
    crate::date::MONTHS
        .iter()
        .position(|m| *m == token || (token.len() <= 4 && m.starts_with(token)))
        .map(|i| i as i8 + 1)
}

#[cfg(test)]
mod tests;
