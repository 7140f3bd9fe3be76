//! Review status: is a policy current, due for review soon, or overdue?

use serde::Serialize;

use crate::date::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    Current,
    DueSoon,
    Overdue,
    NotSet,
}

impl ReviewStatus {
    /// Overdue once the review date has passed; due soon within `warning_days` of it.
    pub fn of(review_due: Option<Date>, today: Date, warning_days: u32) -> ReviewStatus {
        let Some(due) = review_due else {
            return ReviewStatus::NotSet;
        };
        if due < today {
            ReviewStatus::Overdue
        } else if today
            .add_days(i64::from(warning_days))
            .is_none_or(|limit| due <= limit)
        {
            ReviewStatus::DueSoon
        } else {
            ReviewStatus::Current
        }
    }

    /// Words for people; the status is never shown by colour alone.
    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::Current => "Current",
            ReviewStatus::DueSoon => "Review due soon",
            ReviewStatus::Overdue => "Review overdue",
            ReviewStatus::NotSet => "No review date",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ReviewStatus::Current => "current",
            ReviewStatus::DueSoon => "due-soon",
            ReviewStatus::Overdue => "overdue",
            ReviewStatus::NotSet => "not-set",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_by_window() {
        let today = Date::parse("2026-11-26").unwrap();
        let of = |d: &str| ReviewStatus::of(Some(Date::parse(d).unwrap()), today, 60);
        assert_eq!(of("2026-11-25"), ReviewStatus::Overdue);
        assert_eq!(of("2026-11-26"), ReviewStatus::DueSoon);
        assert_eq!(of("2027-01-25"), ReviewStatus::DueSoon);
        assert_eq!(of("2027-01-26"), ReviewStatus::Current);
        assert_eq!(ReviewStatus::of(None, today, 60), ReviewStatus::NotSet);
    }
}
