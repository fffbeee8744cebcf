//! How the console writes dates and times: the GOV.UK style (5 December 2026, 2:30pm), times
//! in Europe/London.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;

/// `2026-12-05` as "5 December 2026"; anything else as it came.
pub fn date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(housing_platform::time::long_date)
        .unwrap_or_else(|_| iso.to_owned())
}

/// An instant as the date and time in London: "5 December 2026 at 2:30pm".
pub fn timestamp(at: Option<&prost_types::Timestamp>) -> String {
    let Some(at) = at else {
        return String::new();
    };
    let Some(utc) = DateTime::<Utc>::from_timestamp(at.seconds, at.nanos.max(0) as u32) else {
        return String::new();
    };
    let local = utc.with_timezone(&London);
    format!(
        "{} at {}",
        local.format("%-d %B %Y"),
        local.format("%-I:%M%P")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_read_as_gov_uk_writes_them() {
        assert_eq!(date("2026-12-05"), "5 December 2026");
        assert_eq!(date("not a date"), "not a date");
        // 14:30 UTC in summer is 3:30pm in London.
        let summer = prost_types::Timestamp {
            seconds: 1_783_002_600,
            nanos: 0,
        };
        assert_eq!(timestamp(Some(&summer)), "2 July 2026 at 3:30pm");
    }
}
