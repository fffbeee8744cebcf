//! Dates on the wire are ISO 8601 strings; this is where they are read and written.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};

/// The dates the platform takes: nothing in housing reaches before 1900 (the oldest
/// applicant's birth) or past 2199 (the longest lease), and date arithmetic near chrono's
/// own limits would overflow.
const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a real date");
const LATEST: NaiveDate = NaiveDate::from_ymd_opt(2199, 12, 31).expect("a real date");

pub fn parse_date(value: &str) -> Result<NaiveDate, String> {
    if value.is_empty() {
        return Err("required (YYYY-MM-DD)".into());
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("{} is not a date (YYYY-MM-DD)", crate::errors::quote(value)))?;
    if !(EARLIEST..=LATEST).contains(&date) {
        return Err(format!("must be from {EARLIEST} to {LATEST}"));
    }
    Ok(date)
}

pub fn format_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A date as people read it in the UK and in the GOV.UK style: "5 December 2026". For
/// explanations, messages and letters; the wire keeps ISO 8601.
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

pub fn format_optional_date(date: Option<NaiveDate>) -> String {
    date.map(format_date).unwrap_or_default()
}

pub fn timestamp(at: DateTime<Utc>) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: at.timestamp(),
        nanos: at.timestamp_subsec_nanos() as i32,
    }
}

/// The day an instant falls on in the council's calendar (Europe/London): a placement made
/// at 00:30 BST on 1 June (23:30 UTC on 31 May) is on 1 June, and every clock that counts
/// from a recorded instant counts from this day.
pub fn council_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&chrono_tz::Europe::London).date_naive()
}

/// The instant `day` begins in the council's calendar (Europe/London). Clocks change at
/// 01:00 or 02:00, so midnight always exists and is never repeated.
pub fn council_midnight(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    midnight
        .and_local_timezone(chrono_tz::Europe::London)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| midnight.and_utc())
}

/// Now, to the microsecond PostgreSQL keeps: a reply made from what a call has just written
/// then says what a later read of it will.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Today in the council's calendar. England's local date differs from UTC for an hour
/// around midnight in summer; decisions that turn on a day use this one function.
pub fn today() -> NaiveDate {
    council_date(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_council_day_is_londons_in_summer_and_in_winter() {
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc)
        };
        // 00:30 BST on 1 June is 23:30 UTC on 31 May.
        assert_eq!(
            council_date(at("2026-05-31T23:30:00Z")),
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
        );
        // In winter London is on UTC.
        assert_eq!(
            council_date(at("2026-12-31T23:30:00Z")),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        // The night the clocks go back: 00:30 BST and 00:30 GMT are the same day.
        assert_eq!(
            council_date(at("2026-10-24T23:30:00Z")),
            NaiveDate::from_ymd_opt(2026, 10, 25).unwrap()
        );
    }
}
