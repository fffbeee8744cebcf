//! How the console writes dates, times and money: the GOV.UK style (5 December 2026,
//! 2:30pm), times in Europe/London, money in pounds and pence.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;

/// `2026-12-05` as "5 December 2026"; anything else as it came.
pub fn date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
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

/// Pence as pounds: 123456 as "£1,234.56", -500 as "-£5.00".
pub fn money(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let pence = pence.unsigned_abs();
    let pounds = (pence / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in pounds.chars().enumerate() {
        if i > 0 && (pounds.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}£{grouped}.{:02}", pence % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_times_and_money_read_as_gov_uk_writes_them() {
        assert_eq!(date("2026-12-05"), "5 December 2026");
        assert_eq!(date("not a date"), "not a date");
        // 14:30 UTC in summer is 3:30pm in London.
        let summer = prost_types::Timestamp {
            seconds: 1_783_002_600,
            nanos: 0,
        };
        assert_eq!(timestamp(Some(&summer)), "2 July 2026 at 3:30pm");
        assert_eq!(money(123_456), "£1,234.56");
        assert_eq!(money(-500), "-£5.00");
        assert_eq!(money(5), "£0.05");
        assert_eq!(money(100_000_000), "£1,000,000.00");
    }
}
