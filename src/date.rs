//! Calendar dates (ISO 8601 `YYYY-MM-DD`) and review intervals such as `12 months`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date with no time or time zone, as policies are approved and reviewed.
///
/// A date may be known to the month only (`2023-07`, as a document says "Review date: July
/// 2023"): it then counts as the month's last day, and is shown as the month ("July 2023").
/// Comparisons look at the day alone.
#[derive(Clone, Copy, Debug)]
pub struct Date {
    day: jiff::civil::Date,
    month_only: bool,
}

impl PartialEq for Date {
    fn eq(&self, other: &Self) -> bool {
        self.day == other.day
    }
}
impl Eq for Date {}
impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Date {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.day.cmp(&other.day)
    }
}
impl std::hash::Hash for Date {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.day.hash(state);
    }
}

pub const DATE_HELP: &str = "write dates as YYYY-MM-DD, for example 2026-03-12";

/// Month names in lower case, January first (also read in LMS reports' dates).
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl Date {
    /// Year, month and day (for a month alone, the day it counts as).
    pub fn ymd(&self) -> (i16, i8, i8) {
        (self.day.year(), self.day.month(), self.day.day())
    }

    fn day(day: jiff::civil::Date) -> Date {
        Date {
            day,
            month_only: false,
        }
    }

    /// A date as a policy's front matter may give it: `YYYY-MM-DD`, or `YYYY-MM` for a month
    /// (counted as its last day). Dates written in words (`July 2023`, `12th May 2022`) are
    /// refused with the ISO form to write instead.
    pub fn parse_policy(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let is_month = text.len() == 7
            && text.bytes().enumerate().all(|(i, b)| match i {
                4 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if is_month {
            let (year, month) = (text[..4].parse::<i16>(), text[5..].parse::<i8>());
            let first = match (year, month) {
                (Ok(y), Ok(m)) => jiff::civil::Date::new(y, m, 1).ok(),
                _ => None,
            };
            return first
                .map(|d| Date {
                    day: d.last_of_month(),
                    month_only: true,
                })
                .ok_or_else(|| format!("`{text}` is not a real calendar month"));
        }
        Date::parse(text).map_err(|e| match suggest_iso(text) {
            Some(iso) => format!(
                "`{text}` is written in words; write `{iso}` (dates are YYYY-MM-DD, or YYYY-MM \
                 for a month)"
            ),
            None => e,
        })
    }

    /// Whether only the month is known.
    pub fn is_month_only(&self) -> bool {
        self.month_only
    }

    /// Parses a strict ISO 8601 calendar date.
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let well_formed = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !well_formed {
            return Err(format!("`{text}` is not a date in the form YYYY-MM-DD"));
        }
        text.parse::<jiff::civil::Date>()
            .map(Date::day)
            .map_err(|_| format!("`{text}` is not a real calendar date"))
    }

    pub fn from_ymd(year: i16, month: i8, day: i8) -> Option<Date> {
        jiff::civil::Date::new(year, month, day).ok().map(Date::day)
    }

    pub fn from_unix_seconds(text: &str) -> Option<Date> {
        let seconds: i64 = text.parse().ok()?;
        let ts = jiff::Timestamp::from_second(seconds).ok()?;
        Some(Date::day(jiff::tz::Offset::UTC.to_datetime(ts).date()))
    }

    pub fn today_utc() -> Date {
        Date::day(
            jiff::tz::Offset::UTC
                .to_datetime(jiff::Timestamp::now())
                .date(),
        )
    }

    pub fn plus(self, interval: Interval) -> Option<Date> {
        let span = match interval.unit {
            Unit::Days => jiff::Span::new().try_days(interval.count).ok()?,
            Unit::Weeks => jiff::Span::new().try_weeks(interval.count).ok()?,
            Unit::Months => jiff::Span::new().try_months(interval.count).ok()?,
            Unit::Years => jiff::Span::new().try_years(interval.count).ok()?,
        };
        // A month-precision date counts as the month's last day; the result is a day.
        self.day.checked_add(span).ok().map(Date::day)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        self.day
            .until(later.day)
            .map(|span| i64::from(span.get_days()))
            .unwrap_or(0)
    }

    pub fn add_days(self, days: i64) -> Option<Date> {
        self.day
            .checked_add(jiff::Span::new().try_days(days).ok()?)
            .ok()
            .map(Date::day)
    }

    /// "12 March 2026", or "July 2023" for a month, for people.
    pub fn long(&self) -> String {
        let format = if self.month_only {
            "%B %Y"
        } else {
            "%-d %B %Y"
        };
        self.day.strftime(format).to_string()
    }
}

impl fmt::Display for Date {
    /// `2026-03-12`, or `2023-07` for a month (as written, and valid in HTML's `datetime`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.month_only {
            write!(f, "{}", self.day.strftime("%Y-%m"))
        } else {
            write!(f, "{}", self.day)
        }
    }
}

/// A date as a UK document writes it, in the form a policy's front matter takes: `12/05/2025`
/// (day first, also with `.` or `-`, and two-digit years as 20xx) → `2025-05-12`, `12th May
/// 2022` → `2022-05-12`, `May 2026` → `2026-05` (a month). `None` when it is not a date.
pub fn iso_from_document(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches('.');
    let numbers: Vec<&str> = text.split(['/', '.', '-']).map(str::trim).collect();
    if numbers.len() == 3
        && numbers
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    {
        let (day, month, year) = (numbers[0], numbers[1], numbers[2]);
        if day.len() > 2 || month.len() > 2 {
            // Already year first (2025-05-12), or not a date at all.
            return Date::parse(text).ok().map(|d| d.to_string());
        }
        let year: i16 = match year.len() {
            2 => 2000 + year.parse::<i16>().ok()?,
            4 => year.parse().ok()?,
            _ => return None,
        };
        return jiff::civil::Date::new(year, month.parse().ok()?, day.parse().ok()?)
            .ok()
            .map(|d| d.to_string());
    }
    suggest_iso(text)
}

/// The ISO form of a date written in words: `July 2023` → `2023-07`, `12th May 2022` or
/// `May 12, 2022` → `2022-05-12`. `None` when the text is not such a date.
fn suggest_iso(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '/' || c == '.')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let month_of = |w: &str| {
        MONTHS
            .iter()
            .position(|m| w.len() >= 3 && m.starts_with(w))
            .map(|i| i + 1)
    };
    let (mut year, mut month, mut day) = (None, None, None);
    let mut pending_number: Option<String> = None;
    for word in &words {
        if let Some(m) = month_of(word) {
            month = Some(m);
        } else if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
            year = word.parse::<i16>().ok();
        } else if matches!(word.as_str(), "st" | "nd" | "rd" | "th") {
            // "12 th May": the suffix as its own word.
        } else {
            let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            pending_number = Some(digits.to_owned());
        }
    }
    if let Some(n) = pending_number {
        day = n.parse::<i8>().ok();
    }
    let (year, month) = (year?, i8::try_from(month?).ok()?);
    match day {
        None => Some(format!("{year:04}-{month:02}")),
        Some(d) => jiff::civil::Date::new(year, month, d)
            .ok()
            .map(|d| d.to_string()),
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // TOML has a native date type (`today = 2026-03-12`); accept it and a quoted string.
        let text = match toml::Value::deserialize(d)? {
            toml::Value::Datetime(dt) => dt.to_string(),
            toml::Value::String(s) => s,
            other => other.to_string(),
        };
        Date::parse(&text).map_err(|e| serde::de::Error::custom(format!("{e}; {DATE_HELP}")))
    }
}

/// How often a policy is reviewed: `12 months`, `1 year`, `26 weeks`, `90 days`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub count: i64,
    pub unit: Unit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

pub const INTERVAL_HELP: &str =
    "write a number and a unit: `12 months`, `1 year`, `26 weeks` or `90 days`";

impl fmt::Display for Interval {
    /// `12 months`, `1 year`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        };
        let s = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {unit}{s}", self.count)
    }
}

impl Interval {
    pub fn parse(text: &str) -> Result<Interval, String> {
        let bad = || format!("`{}` is not a review interval", text.trim());
        let mut words = text.split_whitespace();
        let (Some(count), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return Err(bad());
        };
        let count: i64 = count.parse().map_err(|_| bad())?;
        // Up to 100 weeks, months or years; days may go to ten years' worth.
        let max = if unit.starts_with("day") { 3650 } else { 100 };
        if !(1..=max).contains(&count) {
            return Err(format!("review interval `{}` is out of range", text.trim()));
        }
        let unit = match unit.to_ascii_lowercase().trim_end_matches('s') {
            "day" => Unit::Days,
            "week" => Unit::Weeks,
            "month" => Unit::Months,
            "year" => Unit::Years,
            _ => return Err(bad()),
        };
        Ok(Interval { count, unit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_dates_are_read_day_first() {
        for (text, iso) in [
            ("12/05/2025", Some("2025-05-12")),
            ("1.3.24", Some("2024-03-01")),
            ("14-03-2025", Some("2025-03-14")),
            ("2025-03-14", Some("2025-03-14")),
            ("12th May 2022", Some("2022-05-12")),
            ("May 2026", Some("2026-05")),
            ("31/02/2025", None),
            ("13/13/2025", None),
            ("as needed", None),
        ] {
            assert_eq!(iso_from_document(text).as_deref(), iso, "{text}");
        }
    }

    #[test]
    fn parses_strict_iso_dates_only() {
        assert_eq!(
            Date::parse("2026-03-12").unwrap(),
            Date::from_ymd(2026, 3, 12).unwrap()
        );
        for bad in [
            "2026-3-12",
            "12/03/2026",
            "2026-02-30",
            "2026-13-01",
            "",
            "2026-03-12T00:00",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn adds_calendar_intervals() {
        let d = Date::parse("2026-01-31").unwrap();
        assert_eq!(
            d.plus(Interval::parse("1 month").unwrap())
                .unwrap()
                .to_string(),
            "2026-02-28"
        );
        assert_eq!(
            d.plus(Interval::parse("12 months").unwrap())
                .unwrap()
                .to_string(),
            "2027-01-31"
        );
        assert_eq!(
            d.plus(Interval::parse("2 years").unwrap())
                .unwrap()
                .to_string(),
            "2028-01-31"
        );
        assert_eq!(
            d.plus(Interval::parse("90 days").unwrap())
                .unwrap()
                .to_string(),
            "2026-05-01"
        );
        assert!(Interval::parse("yearly").is_err());
        assert!(Interval::parse("0 months").is_err());
        assert!(Interval::parse("12 fortnights").is_err());
    }

    #[test]
    fn policy_dates_may_give_a_month() {
        let july = Date::parse_policy("2023-07").unwrap();
        assert!(july.is_month_only());
        assert_eq!(july.to_string(), "2023-07");
        assert_eq!(july.long(), "July 2023");
        assert_eq!(july, Date::parse("2023-07-31").unwrap());
        assert_eq!(
            july.plus(Interval::parse("12 months").unwrap())
                .unwrap()
                .to_string(),
            "2024-07-31"
        );
        assert_eq!(
            Date::parse_policy("2024-02").unwrap().long(),
            "February 2024"
        );
        assert!(
            Date::parse("2023-07").is_err(),
            "the strict form stays strict"
        );
        assert!(Date::parse_policy("2023-13").is_err());
        let err = Date::parse_policy("July 2023").unwrap_err();
        assert!(err.contains("write `2023-07`"), "{err}");
        let err = Date::parse_policy("12 th May 2022").unwrap_err();
        assert!(err.contains("write `2022-05-12`"), "{err}");
        let err = Date::parse_policy("12th May 2022").unwrap_err();
        assert!(err.contains("write `2022-05-12`"), "{err}");
        let err = Date::parse_policy("soon").unwrap_err();
        assert_eq!(err, "`soon` is not a date in the form YYYY-MM-DD");
    }

    #[test]
    fn source_date_epoch_is_utc() {
        assert_eq!(
            Date::from_unix_seconds("0").unwrap().to_string(),
            "1970-01-01"
        );
        assert_eq!(
            Date::from_unix_seconds("1795650000").unwrap().to_string(),
            "2026-11-25"
        );
        assert!(Date::from_unix_seconds("soon").is_none());
    }
}
