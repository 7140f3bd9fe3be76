//! The roster: the people who are expected to acknowledge (`--roster staff.csv`).
//!
//! A table with a header row, in any format [`super::table`] reads (CSV with commas or
//! semicolons, tab-separated text, .xlsx, .ods): a `name` column (also `Name`, `Full name`), and
//! optionally `email` (also `Email address`, `E-mail`) and `staff_id` (also `Staff ID`,
//! `ID number`), and `audience` (also `audiences`): the audiences each person belongs to, e.g.
//! `staff` or `staff; learners` (separated by `;`, `,` or spaces; an empty cell or no column:
//! every policy applies to them). Headers are matched ignoring case, spaces, `-` and `_`; other
//! columns are ignored. Blank rows are skipped.

use std::path::Path;

use super::table::{Table, located, parse_delimited, read_table};
use super::{Person, PersonIndex};
use crate::error::{Error, Result};

const NAME: &[&str] = &["name", "fullname"];
const EMAIL: &[&str] = &["email", "emailaddress", "mail"];
const AUDIENCE: &[&str] = &["audience", "audiences"];
const STAFF_ID: &[&str] = &[
    "staffid",
    "idnumber",
    "staffnumber",
    "employeeid",
    "employeenumber",
];

fn header_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads a roster. Errors ([`Error::Usage`]) name the file and line: no `name` column, a row
/// without a name, two rows for the same person.
pub fn load_roster(path: &Path) -> Result<Vec<Person>> {
    roster_people(read_table(path, "roster")?, path, None)
}

/// [`load_roster`], with every audience named checked against those the release declares
/// (`policybook.toml`'s `[[audience]]`s, as the manifest lists them).
pub fn load_roster_with_audiences(path: &Path, audiences: &[String]) -> Result<Vec<Person>> {
    roster_people(read_table(path, "roster")?, path, Some(audiences))
}

/// [`load_roster`] on delimited text already read.
pub fn parse_roster(bytes: &[u8], path: &Path) -> Result<Vec<Person>> {
    roster_people(parse_delimited(bytes, path, "roster")?, path, None)
}

/// The audiences of a roster cell: `staff; learners` → `["staff", "learners"]`.
fn audience_names(cell: &str) -> Vec<String> {
    cell.split(|c: char| c == ';' || c == ',' || c == '|' || c.is_whitespace())
        .filter(|n| !n.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn check_audiences(names: &[String], known: &[String]) -> std::result::Result<(), String> {
    let Some(unknown) = names.iter().find(|n| !known.contains(n)) else {
        return Ok(());
    };
    let known_list = known.join(", ");
    Err(
        match crate::validate::closest(unknown, known.iter().map(String::as_str)) {
            Some(near) => format!("unknown audience `{unknown}` (did you mean `{near}`?)"),
            None if known.is_empty() => format!(
                "unknown audience `{unknown}`: the release declares no audiences (add \
                 [[audience]] tables to policybook.toml and build again)"
            ),
            None => format!("unknown audience `{unknown}` (the release has: {known_list})"),
        },
    )
}

fn roster_people(
    table: Option<Table>,
    path: &Path,
    known: Option<&[String]>,
) -> Result<Vec<Person>> {
    let usage = |line: Option<usize>, message: String| -> Error { located(path, line, message) };
    let Some(table) = table else {
        return Err(usage(
            None,
            "the roster is empty (expected a header row with `name`)".to_owned(),
        ));
    };
    let headers: Vec<String> = table.headers.iter().map(|h| header_key(h)).collect();
    let column = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| headers.iter().position(|h| h == n))
    };
    let Some(name_col) = column(NAME) else {
        return Err(usage(
            Some(1),
            "no `name` column (the roster's header row needs `name`, and may have `email` and \
             `staff_id`)"
                .to_owned(),
        ));
    };
    let (email_col, staff_col) = (column(EMAIL), column(STAFF_ID));
    let audience_col = column(AUDIENCE);

    let mut index = PersonIndex::default();
    let mut lines_of: Vec<usize> = Vec::new();
    for row in &table.rows {
        let cell = |i: Option<usize>| i.and_then(|i| row.cells.get(i)).map(String::as_str);
        let person = Person::new(
            cell(Some(name_col)).unwrap_or(""),
            cell(email_col),
            cell(staff_col),
        );
        if person.name.is_empty() {
            return Err(usage(Some(row.line), "no name in this row".to_owned()));
        }
        let mut person = person;
        person.audiences = audience_names(cell(audience_col).unwrap_or(""));
        if let Some(known) = known {
            check_audiences(&person.audiences, known).map_err(|m| usage(Some(row.line), m))?;
        }
        if let Some((other, _)) = index.matches(&person).first() {
            return Err(usage(
                Some(row.line),
                format!(
                    "{} is already on the roster at line {} ({}); give each person once, with an \
                     email or staff_id to tell people of the same name apart",
                    person.label(),
                    lines_of[*other],
                    index.get(*other).label()
                ),
            ));
        }
        index.push(person);
        lines_of.push(row.line);
    }
    Ok(index.into_people())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster(text: &str) -> Result<Vec<Person>> {
        parse_roster(text.as_bytes(), Path::new("staff.csv"))
    }

    #[test]
    fn reads_names_emails_and_staff_ids_with_any_header_case() {
        let people = roster(
            "\u{FEFF}Staff ID,Name,Email address,Team\r\nS1,Jane  Smith ,JANE@example.org,A\r\n,Bob Carter,,B\r\n\r\n,,,\r\n",
        )
        .unwrap();
        assert_eq!(
            people,
            vec![
                Person::new("Jane Smith", Some("JANE@example.org"), Some("S1")),
                Person::new("Bob Carter", None, None),
            ]
        );
        let people = roster("name,email,staff_id\nAl,a@x.org,7\n").unwrap();
        assert_eq!(people, vec![Person::new("Al", Some("a@x.org"), Some("7"))]);
        let people = roster("NAME\nAl\n").unwrap();
        assert_eq!(people, vec![Person::new("Al", None, None)]);
    }

    #[test]
    fn audiences_are_read_and_checked() {
        let path = Path::new("staff.csv");
        let table = |text: &str| parse_delimited(text.as_bytes(), path, "roster").unwrap();
        let known = ["staff".to_owned(), "learners".to_owned()];
        let people = roster_people(
            table("name,Audience\nAl,Staff; learners\nBo,\n"),
            path,
            Some(&known),
        )
        .unwrap();
        assert_eq!(people[0].audiences, ["staff", "learners"]);
        assert!(people[1].audiences.is_empty());
        let err = roster_people(table("name,audience\nAl,staf\n"), path, Some(&known))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "staff.csv:2: unknown audience `staf` (did you mean `staff`?)"
        );
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = roster("email\na@x.org\n").unwrap_err().to_string();
        assert!(err.starts_with("staff.csv:1: no `name` column"), "{err}");
        let err = roster("name,email\nAl,a@x.org\n,b@x.org\n")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "staff.csv:3: no name in this row");
        let err = roster("name,email\nAl,a@x.org\nAlan,A@X.org\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "staff.csv:3: Alan <A@X.org> is already on the roster at line 2 (Al <a@x.org>)"
            ),
            "{err}"
        );
        let err = roster("name\nJo Bloggs\njo  bloggs\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("staff.csv:3: jo bloggs is already"),
            "{err}"
        );
        // The same name with different e-mails is two people.
        assert_eq!(
            roster("name,email\nJo,a@x.org\nJo,b@x.org\n")
                .unwrap()
                .len(),
            2
        );
        let err = roster("").unwrap_err().to_string();
        assert!(err.starts_with("staff.csv: the roster is empty"), "{err}");
        let err = parse_roster(b"name\nJ\xF6rg\n", Path::new("staff.csv"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("staff.csv:2: not UTF-8"), "{err}");
    }
}
