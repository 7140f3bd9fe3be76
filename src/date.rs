//! Calendar dates (ISO 8601 `YYYY-MM-DD`) and review intervals such as `12 months`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date with no time or time zone, as policies are approved and reviewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

pub const DATE_HELP: &str = "write dates as YYYY-MM-DD, for example 2026-03-12";

impl Date {
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
            .map(Date)
            .map_err(|_| format!("`{text}` is not a real calendar date"))
    }

    pub fn from_ymd(year: i16, month: i8, day: i8) -> Option<Date> {
        jiff::civil::Date::new(year, month, day).ok().map(Date)
    }

    pub fn from_unix_seconds(text: &str) -> Option<Date> {
        let seconds: i64 = text.parse().ok()?;
        let ts = jiff::Timestamp::from_second(seconds).ok()?;
        Some(Date(jiff::tz::Offset::UTC.to_datetime(ts).date()))
    }

    pub fn today_utc() -> Date {
        Date(
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
        self.0.checked_add(span).ok().map(Date)
    }

    pub fn add_days(self, days: i64) -> Option<Date> {
        self.0
            .checked_add(jiff::Span::new().try_days(days).ok()?)
            .ok()
            .map(Date)
    }

    /// "12 March 2026", for people.
    pub fn long(&self) -> String {
        self.0.strftime("%-d %B %Y").to_string()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
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
