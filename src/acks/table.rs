//! One reader per format for the tables `acks` reads (LMS reports and rosters), each giving the
//! same [`Table`]: the header row, then the other rows with their line or row numbers.
//!
//! - **Delimited text** (`.csv`, `.tsv`, `.txt`): Moodle's "Download in text format" is
//!   tab-separated with no byte order mark (PHP's `fputcsv` with a tab, quoting fields that hold
//!   a space); a spreadsheet re-saved as CSV may use commas or, in many locales, semicolons. The
//!   delimiter is the one of tab, semicolon and comma that the header row uses most (outside
//!   quotes). UTF-8 with or without a byte order mark, and UTF-16 with one (Excel's "Unicode
//!   text"), are read.
//! - **Spreadsheets** (`.xlsx`, `.ods`): Moodle's "Download in Excel format" and "Download in ODS
//!   format", read with calamine: the first sheet, whose first non-blank row is the header.
//!   Numbers become text as written (`1`, not `1.0`); Excel date cells become ISO 8601 text.
//!
//! Blank rows are left out.

use std::path::Path;

use super::{LineCounter, display_path, strip_bom};
use crate::error::{Error, Result};

/// A table as read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    /// The 1-based line of a text file on which the row starts, or the sheet's row number.
    pub line: usize,
    pub cells: Vec<String>,
}

/// The formats read, by file name extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Delimited,
    Xlsx,
    Ods,
}

impl Format {
    /// `.csv`, `.tsv`, `.txt`, `.xlsx` or `.ods` (any case).
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Delimited),
            "xlsx" => Some(Format::Xlsx),
            "ods" => Some(Format::Ods),
            _ => None,
        }
    }
}

/// The extensions of [`Format::of`], for messages.
pub const TABLE_EXTENSIONS: &str = ".csv, .tsv, .txt, .xlsx or .ods";

/// Reads a table; `what` names it in messages ("report", "roster"). `None` when the file has no
/// non-blank row. Errors name the file and, where there is one, the line.
pub fn read_table(path: &Path, what: &str) -> Result<Option<Table>> {
    let bytes = super::read_regular_file(path)?;
    match Format::of(path) {
        Some(Format::Xlsx) => read_spreadsheet::<calamine::Xlsx<_>>(bytes, path, what),
        Some(Format::Ods) => read_spreadsheet::<calamine::Ods<_>>(bytes, path, what),
        _ => parse_delimited(&bytes, path, what),
    }
}

/// Reads delimited text (see the module documentation).
pub fn parse_delimited(bytes: &[u8], path: &Path, what: &str) -> Result<Option<Table>> {
    let utf16;
    let data = match decode_utf16(bytes) {
        Some(text) => {
            utf16 = text;
            utf16.as_bytes()
        }
        None => strip_bom(bytes),
    };
    let mut lines = LineCounter::new(data);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(data))
        .from_reader(data);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, &mut lines, e, what))?;
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        rows.push(TableRow { line, cells });
    }
    Ok(into_table(rows))
}

/// Text with a UTF-16 byte order mark, decoded; `None` for anything else.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let (rest, little_endian) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (rest, true),
        [0xFE, 0xFF, rest @ ..] => (rest, false),
        _ => return None,
    };
    let units: Vec<u16> = rest
        .chunks_exact(2)
        .map(|pair| match little_endian {
            true => u16::from_le_bytes([pair[0], pair[1]]),
            false => u16::from_be_bytes([pair[0], pair[1]]),
        })
        .collect();
    Some(String::from_utf16_lossy(&units))
}

/// The delimiter the header row uses most, outside quotes: tab, then semicolon, then comma on a
/// tie; comma when the row has none (a single column).
fn detect_delimiter(data: &[u8]) -> u8 {
    let mut counts = [(b'\t', 0usize), (b';', 0), (b',', 0)];
    let mut quoted = false;
    for &byte in data {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(count) = counts.iter_mut().find(|(d, _)| *d == byte) {
                    count.1 += 1;
                }
            }
            _ => {}
        }
    }
    // The first of the most used, in the order above (`max_by_key` would take the last).
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    counts
        .iter()
        .find(|(_, n)| most > 0 && *n == most)
        .map_or(b',', |(d, _)| *d)
}

fn csv_error(path: &Path, lines: &mut LineCounter, error: csv::Error, what: &str) -> Error {
    let message = match error.kind() {
        csv::ErrorKind::Utf8 { .. } => format!(
            "not UTF-8 text (save or download the {what} as CSV or text with UTF-8 encoding, or \
             as .xlsx)"
        ),
        _ => error.to_string(),
    };
    located(path, lines.error_line(&error), message)
}

/// `file:line: message`, or `file: message`, with the file name cleaned for a terminal.
pub fn located(path: &Path, line: Option<usize>, message: String) -> Error {
    Error::Usage(match line {
        Some(line) => format!("{}:{line}: {message}", display_path(path)),
        None => format!("{}: {message}", display_path(path)),
    })
}

/// The first sheet of a workbook.
fn read_spreadsheet<R>(bytes: Vec<u8>, path: &Path, what: &str) -> Result<Option<Table>>
where
    R: calamine::Reader<std::io::Cursor<Vec<u8>>>,
    R::Error: std::fmt::Display,
{
    let unreadable = |e: &dyn std::fmt::Display| {
        located(
            path,
            None,
            format!("cannot be read as a spreadsheet ({e}); download the {what} again"),
        )
    };
    let mut workbook: R =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let range = match workbook.worksheet_range_at(0) {
        None => return Ok(None),
        Some(range) => range.map_err(|e| unreadable(&e))?,
    };
    let Some((first_row, first_col)) = range.start() else {
        return Ok(None);
    };
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| TableRow {
            line: first_row as usize + i + 1,
            cells: std::iter::repeat_n(String::new(), first_col as usize)
                .chain(cells.iter().map(cell_text))
                .collect(),
        })
        .collect();
    Ok(into_table(rows))
}

/// A cell as the text a person sees in it.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) if d.is_datetime() => excel_date_text(d.as_f64()),
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// `1`, `80`, `12.5`: whole numbers without a fraction.
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

/// An Excel date serial (days since 1899-12-30, the fraction being the time of day) as
/// `YYYY-MM-DD HH:MM:SS`, or `YYYY-MM-DD` when there is no time.
fn excel_date_text(serial: f64) -> String {
    let epoch = jiff::civil::date(1899, 12, 30).to_datetime(jiff::civil::Time::midnight());
    let seconds = (serial * 86_400.0).round();
    let Some(when) = jiff::SignedDuration::try_from_secs_f64(seconds)
        .ok()
        .and_then(|d| epoch.checked_add(d).ok())
    else {
        return number_text(serial);
    };
    if when.time() == jiff::civil::Time::midnight() {
        when.date().to_string()
    } else {
        when.strftime("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// The first non-blank row is the header; other blank rows are dropped.
fn into_table(rows: Vec<TableRow>) -> Option<Table> {
    let mut rows = rows
        .into_iter()
        .filter(|row| row.cells.iter().any(|c| !c.trim().is_empty()));
    let header = rows.next()?;
    Some(Table {
        headers: header.cells,
        rows: rows.collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &[u8]) -> Table {
        parse_delimited(text, Path::new("t.txt"), "report")
            .unwrap()
            .unwrap()
    }

    #[test]
    fn the_delimiter_is_the_one_the_header_uses_most() {
        assert_eq!(
            detect_delimiter(b"Name\tEmail address\tResponse 0\n"),
            b'\t'
        );
        assert_eq!(detect_delimiter(b"Name;Email;\"a,b,c\"\n"), b';');
        assert_eq!(detect_delimiter(b"Name,Email\n"), b',');
        assert_eq!(detect_delimiter(b"Name\n"), b',');
        // A tie goes to tab, then semicolon, then comma.
        assert_eq!(detect_delimiter(b"Name, first\tEmail\n"), b'\t');
        assert_eq!(detect_delimiter(b"Name,x;Email\n"), b';');
        // A comma inside a quoted tab-separated date does not count.
        assert_eq!(
            detect_delimiter(b"\"Tuesday, 24 November 2026, 1:15 AM\"\tx\n"),
            b'\t'
        );
    }

    #[test]
    fn tab_separated_text_as_moodle_writes_it() {
        let t = table(b"Name\tResponse 0\n\"Jane Smith\"\t\"ack:a:1:sha256:x\"\n\n\t\nBob\t\n");
        assert_eq!(t.headers, ["Name", "Response 0"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells, ["Jane Smith", "ack:a:1:sha256:x"]);
        assert_eq!((t.rows[0].line, t.rows[1].line), (2, 5));
    }

    #[test]
    fn utf16_text_with_a_byte_order_mark_is_read() {
        let text = "Name\tResponse 0\r\nSiobhán\tx\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let t = table(&bytes);
        assert_eq!(t.rows[0].cells, ["Siobhán", "x"]);
        assert_eq!(t.rows[0].line, 2);
    }

    #[test]
    fn an_empty_file_has_no_table() {
        assert_eq!(
            parse_delimited(b"\n\n", Path::new("t.csv"), "report").unwrap(),
            None
        );
    }

    #[test]
    fn excel_serial_dates_and_numbers_read_as_people_see_them() {
        assert_eq!(excel_date_text(46350.0), "2026-11-24");
        assert_eq!(
            excel_date_text(46350.0 + 13.25 / 24.0),
            "2026-11-24 13:15:00"
        );
        assert_eq!(number_text(1.0), "1");
        assert_eq!(number_text(12.5), "12.5");
        assert_eq!(excel_date_text(f64::MAX), number_text(f64::MAX));
    }
}
