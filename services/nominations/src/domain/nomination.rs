//! A nomination's life: pending with the partner, accepted or rejected, then let.

use chrono::{Datelike, NaiveDate, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Accepted,
    Rejected,
    Let,
    Withdrawn,
    Refused,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Let => "let",
            Status::Withdrawn => "withdrawn",
            Status::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Status::Pending,
            Status::Accepted,
            Status::Rejected,
            Status::Let,
            Status::Withdrawn,
            Status::Refused,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// The date a partner must answer by: `days` working days (Monday to Friday) after `from`.
pub fn respond_by(from: NaiveDate, days: u32) -> NaiveDate {
    let mut date = from;
    let mut left = days;
    while left > 0 {
        date = date.succ_opt().expect("dates stay in range");
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    date
}

/// A share of `count` lets, rounded up: 5 % of 30 lets is two lets, not one and a half.
pub fn share_of(count: i64, percent: i32) -> i64 {
    (count * i64::from(percent) + 99) / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_response_deadline_skips_weekends() {
        let friday = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(
            respond_by(friday, 1),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        assert_eq!(
            respond_by(friday, 5),
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
        );
    }
}
