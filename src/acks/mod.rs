//! Acknowledgement records: reading them, checking them, and reconciling them against the
//! current release (`policybook acks`).
//!
//! Two kinds of record are read:
//! - **website receipts** ([`receipt`]): JSON files of type `policybook-acknowledgement/1`, each
//!   carrying a `receipt_hash` over its canonical JSON ([`canonical`]). A receipt that is
//!   malformed, of another type, or whose hash does not match its content is [`Invalid`] and never
//!   counted;
//! - **LMS reports** ([`report`]): what Moodle's SCORM Interactions and Objectives reports
//!   download (tab-separated text, .xlsx or .ods, read by [`table`]), or another LMS's export
//!   mapped with [`Columns`], in which every cell of the form
//!   `ack:<policy-id>:<version>:sha256:<digest>` is one acknowledgement.
//!
//! [`reconcile()`] then gives, per person and current policy, whether the person acknowledged the
//! current text, an older one, or nothing; optionally against a roster of the people expected to
//! acknowledge ([`roster`]).

pub mod canonical;
pub mod receipt;
pub mod reconcile;
pub mod report;
pub mod roster;
pub mod table;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use canonical::{canonical_json, receipt_hash};
pub use reconcile::{
    Ambiguous, Counts, CurrentPolicy, EarlierVersion, PersonReport, PolicyStatus, Reconciliation,
    Status, reconcile, reconcile_on,
};
pub use report::Columns;
pub use roster::{load_roster, load_roster_with_audiences};

/// Someone who acknowledges, or is expected to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Person {
    pub name: String,
    pub email: Option<String>,
    pub staff_id: Option<String>,
    /// The audiences the roster gives (e.g. `staff`); empty: unknown, so every policy applies.
    pub audiences: Vec<String>,
}

impl Person {
    /// Turns control characters into spaces (so that no record can put terminal escapes in the
    /// table), collapses runs of white space to one space and trims every field; an empty email
    /// or staff id becomes `None`.
    pub fn new(name: &str, email: Option<&str>, staff_id: Option<&str>) -> Person {
        let clean = |v: Option<&str>| v.map(collapse_whitespace).filter(|v| !v.is_empty());
        Person {
            name: collapse_whitespace(name),
            email: clean(email),
            staff_id: clean(staff_id),
            audiences: Vec::new(),
        }
    }

    /// `Jane Smith <jane@example.org>`, `Jane Smith (S123)`, or the name alone.
    pub fn label(&self) -> String {
        let mut label = self.name.clone();
        if let Some(email) = &self.email {
            label.push_str(&format!(" <{email}>"));
        }
        if let Some(id) = &self.staff_id {
            label.push_str(&format!(" ({id})"));
        }
        label
    }

    pub(crate) fn name_key(&self) -> String {
        collapse_whitespace(&self.name).to_lowercase()
    }

    pub(crate) fn email_key(&self) -> Option<String> {
        self.email.as_deref().map(|e| e.trim().to_lowercase())
    }

    pub(crate) fn staff_key(&self) -> Option<String> {
        self.staff_id.as_deref().map(|s| s.trim().to_lowercase())
    }

    /// Sort key: name (case-insensitive), then e-mail, then staff id.
    pub(crate) fn sort_key(&self) -> (String, String, String, String) {
        (
            self.name_key(),
            self.email_key().unwrap_or_default(),
            self.staff_key().unwrap_or_default(),
            self.name.clone(),
        )
    }
}

/// How strongly two people were matched; stronger wins when a record matches several people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Match {
    Name,
    StaffId,
    Email,
}

/// Whether `a` and `b` are the same person: by e-mail (case-insensitive) when both have one,
/// else by staff id (case-insensitive) when both have one, else by name (case- and
/// whitespace-insensitive).
pub(crate) fn same_person(a: &Person, b: &Person) -> Option<Match> {
    if let (Some(x), Some(y)) = (a.email_key(), b.email_key()) {
        return (x == y).then_some(Match::Email);
    }
    if let (Some(x), Some(y)) = (a.staff_key(), b.staff_key()) {
        return (x == y).then_some(Match::StaffId);
    }
    let name = a.name_key();
    (!name.is_empty() && name == b.name_key()).then_some(Match::Name)
}

/// People indexed by e-mail, staff id and name, so that matching a record does not compare it
/// with everyone.
#[derive(Default)]
pub(crate) struct PersonIndex {
    people: Vec<Person>,
    by_key: std::collections::HashMap<(Match, String), Vec<usize>>,
}

impl PersonIndex {
    pub(crate) fn new(people: &[Person]) -> Self {
        let mut index = PersonIndex::default();
        for person in people {
            index.push(person.clone());
        }
        index
    }

    /// Adds a person; returns their index.
    pub(crate) fn push(&mut self, person: Person) -> usize {
        let i = self.people.len();
        for key in Self::keys(&person) {
            self.by_key.entry(key).or_default().push(i);
        }
        self.people.push(person);
        i
    }

    fn keys(person: &Person) -> Vec<(Match, String)> {
        let mut keys = vec![(Match::Name, person.name_key())];
        keys.extend(person.email_key().map(|e| (Match::Email, e)));
        keys.extend(person.staff_key().map(|s| (Match::StaffId, s)));
        keys
    }

    pub(crate) fn get(&self, i: usize) -> &Person {
        &self.people[i]
    }

    pub(crate) fn into_people(self) -> Vec<Person> {
        self.people
    }

    /// Everyone [`same_person`] matches with `person`, in index order, with how.
    pub(crate) fn matches(&self, person: &Person) -> Vec<(usize, Match)> {
        let mut candidates: Vec<usize> = Self::keys(person)
            .iter()
            .filter_map(|key| self.by_key.get(key))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .filter_map(|i| same_person(&self.people[i], person).map(|m| (i, m)))
            .collect()
    }
}

fn collapse_whitespace(text: &str) -> String {
    without_controls(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with control characters turned into spaces (tabs and line breaks included), for text
/// from records that is shown on a terminal or written to CSV.
pub(crate) fn without_controls(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Where a record came from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Source {
    pub file: PathBuf,
    /// For reports: the 1-based line on which the row starts (the header is line 1; the same as
    /// the spreadsheet row number unless a cell holds a line break), or the sheet's row number.
    pub row: Option<usize>,
    /// For reports: the header of the column the acknowledgement was found in.
    pub column: Option<String>,
}

impl Source {
    pub fn file(file: impl Into<PathBuf>) -> Source {
        Source {
            file: file.into(),
            row: None,
            column: None,
        }
    }
}

impl fmt::Display for Source {
    /// `receipts/jane.json` or `moodle.csv:4`: the form of the CSV output's `source` column.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", display_path(&self.file))?;
        if let Some(row) = self.row {
            write!(f, ":{row}")?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordKind {
    /// A receipt downloaded from the website, its hash checked.
    Receipt,
    /// A response in an LMS report (SCORM package).
    Report,
}

/// One acknowledgement: a person, the exact policy text (id, version, digest), and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckRecord {
    pub person: Person,
    pub policy_id: String,
    pub version: String,
    /// 64 lower-case hex digits: the policy's content digest.
    pub digest: String,
    /// Acknowledged without passing the module's quiz (an LMS record marked `:quiz-failed`).
    pub quiz_failed: bool,
    /// When, as recorded: the receipt's `acknowledged_at`, or the LMS's date text as-is (e.g.
    /// `Tuesday, 24 November 2026, 1:15 AM`). Empty when the report has no date column.
    pub acknowledged_at: String,
    /// `acknowledged_at` parsed, when it could be: wall-clock time as written (UTC for receipts
    /// ending in `Z`, the LMS site's time zone for reports).
    pub when: Option<jiff::civil::DateTime>,
    pub kind: RecordKind,
    pub source: Source,
    /// The audience the person acknowledged as (a receipt's `audience`), when they chose one.
    pub audience: Option<String>,
    /// Values of the agreement's extra fields: a receipt's `fields`, or the `field:` responses
    /// of the same report row.
    pub fields: Vec<FieldValue>,
}

/// One extra field of an agreement, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldValue {
    pub id: String,
    /// As the receipt gives it; empty from an LMS report (the manifest names it).
    pub label: String,
    /// The text entered, `yes`/`no` for a checkbox, empty when left blank.
    pub value: String,
}

impl AckRecord {
    /// The date as `YYYY-MM-DD` when known, otherwise the recorded text.
    pub fn date(&self) -> String {
        match self.when {
            Some(when) => when.date().to_string(),
            None => self.acknowledged_at.clone(),
        }
    }

    /// Order for "the latest": by time (unknown first), then by where it was read.
    pub(crate) fn chronology(&self) -> (Option<jiff::civil::DateTime>, &Source) {
        (self.when, &self.source)
    }
}

/// A record that was not counted, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Invalid {
    pub source: Source,
    pub reason: String,
}

impl fmt::Display for Invalid {
    /// `receipts/jane.json: receipt_hash does not match the receipt's content`, or
    /// `moodle.csv:4: column `Response 2`: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.source)?;
        if let Some(column) = &self.source.column {
            write!(f, "column `{column}`: ")?;
        }
        f.write_str(&self.reason)
    }
}

/// Reads every input: a `.json` receipt, a report (`.csv`, `.tsv`, `.txt`, `.xlsx`, `.ods`), or a
/// folder, searched recursively for receipts and reports (in path order; names starting with `.`
/// and symbolic links are skipped). Returns the valid records, in input order, and the invalid
/// ones.
///
/// Receipts that cannot be used are [`Invalid`]; an input of another kind, anything that is not a
/// regular file or folder (a FIFO would block forever), and a report that cannot be read or lacks
/// the columns needed, are errors ([`Error::Usage`]), as are I/O failures ([`Error::Io`]).
pub fn load_records(
    inputs: &[PathBuf],
    columns: Option<&Columns>,
) -> Result<(Vec<AckRecord>, Vec<Invalid>)> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| Error::io(input, e))?;
        if meta.is_dir() {
            files.extend(walk(input)?);
            continue;
        }
        check_regular(input, &meta)?;
        match input_kind(input) {
            Some(kind) => files.push((input.clone(), kind)),
            None => {
                return Err(Error::Usage(format!(
                    "{}: not an acknowledgement input (give .json receipts, reports as {}, or \
                     folders of them)",
                    display_path(input),
                    table::TABLE_EXTENSIONS
                )));
            }
        }
    }
    let mut records = Vec::new();
    let mut invalid = Vec::new();
    for (file, kind) in files {
        match kind {
            InputKind::Receipt => match receipt::read_receipt(&file)? {
                Ok(record) => records.push(record),
                Err(reason) => invalid.push(Invalid {
                    source: Source::file(&file),
                    reason,
                }),
            },
            InputKind::Report => {
                let (mut found, mut bad) = report::read_report(&file, columns)?;
                records.append(&mut found);
                invalid.append(&mut bad);
            }
        }
    }
    Ok((records, invalid))
}

/// The date an LMS report was downloaded, from Moodle's file name
/// (`<course> <activity>-20261124_0115-tab_separated.txt`): the latest among `records`' reports.
/// `acks` counts expiry as of this date unless told otherwise, so a report gives the same result
/// whenever it is reconciled.
pub fn report_download_date(records: &[AckRecord]) -> Option<crate::Date> {
    records
        .iter()
        .filter(|r| r.kind == RecordKind::Report)
        .filter_map(|r| download_date_in_name(&r.source.file))
        .max()
}

fn download_date_in_name(path: &Path) -> Option<crate::Date> {
    let name = path.file_name()?.to_str()?;
    let bytes = name.as_bytes();
    // `-YYYYMMDD_HHMM-`: 15 bytes; the last such run in the name.
    (0..bytes.len().saturating_sub(14)).rev().find_map(|i| {
        let run = &bytes[i..i + 15];
        let digits = |r: std::ops::Range<usize>| run[r].iter().all(u8::is_ascii_digit);
        let shape = run[0] == b'-' && run[9] == b'_' && run[14] == b'-';
        if !(shape && digits(1..9) && digits(10..14)) {
            return None;
        }
        let text = &name[i + 1..i + 9];
        crate::Date::parse(&format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..])).ok()
    })
}

/// Reads a file that must be a regular file: a FIFO, device or socket is refused before it is
/// opened, since reading one can block forever.
pub fn read_regular_file(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    check_regular(path, &meta)?;
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

fn check_regular(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    if meta.is_file() {
        return Ok(());
    }
    let what = if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file (a pipe, device or socket)"
    };
    Err(Error::Usage(format!(
        "{}: {what}; give a file saved on disk",
        display_path(path)
    )))
}

/// A path as shown on a terminal or in CSV: control characters (terminal escapes) turned into
/// spaces, as in every other text that comes from records.
pub fn display_path(path: &Path) -> String {
    without_controls(&path.display().to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum InputKind {
    Receipt,
    Report,
}

fn input_kind(path: &Path) -> Option<InputKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if ext == "json" {
        return Some(InputKind::Receipt);
    }
    table::Format::of(path).map(|_| InputKind::Report)
}

/// In a folder, a `.txt` file is a report only when its first line has a tab, as Moodle's text
/// download does: other text files there are notes, not reports.
fn is_plain_text_note(path: &Path) -> bool {
    use std::io::Read as _;
    let is_txt = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    if !is_txt {
        return false;
    }
    let mut start = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut start));
    let first_line = start.split(|b| *b == b'\n').next().unwrap_or_default();
    // UTF-16 text has a tab as the bytes 09 00 or 00 09: the byte 09 is there either way.
    read.is_ok() && !first_line.contains(&b'\t')
}

fn walk(dir: &Path) -> Result<Vec<(PathBuf, InputKind)>> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            let io = e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("file system loop"));
            Error::io(path, io)
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        if let Some(kind) = input_kind(entry.path())
            && (kind == InputKind::Receipt || !is_plain_text_note(entry.path()))
        {
            files.push((entry.into_path(), kind));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Line numbers of CSV records. The `csv` crate's own `Position::line` is one short after a CRLF
/// line end (the record is said to start at the `\n`), so lines are counted here from the byte
/// offset: the record's first line is the first after its offset that is not a line end.
pub(crate) struct LineCounter<'a> {
    data: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    /// `data` must be the bytes the CSV reader was given.
    pub(crate) fn new(data: &'a [u8]) -> Self {
        LineCounter {
            data,
            pos: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record that starts at `byte`.
    pub(crate) fn line_at(&mut self, byte: u64) -> usize {
        let mut start = (byte as usize).min(self.data.len());
        while start < self.data.len() && matches!(self.data[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += self.data[self.pos..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.pos = start;
        self.line
    }

    /// The line of a CSV error, when it has a position.
    pub(crate) fn error_line(&mut self, error: &csv::Error) -> Option<usize> {
        error.position().map(|p| self.line_at(p.byte()))
    }
}
