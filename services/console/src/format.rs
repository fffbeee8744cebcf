//! How the console writes dates and times: the GOV.UK style (5 December 2026, 2:30pm), times
//! in Europe/London.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;
use serde::Deserialize;

use crate::web::FieldError;

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

/// A date as the Design System's date input asks for it: day, month and year in boxes.
#[derive(Debug, Default, Deserialize)]
pub struct DateParts {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub year: String,
}

impl DateParts {
    /// The date as `YYYY-MM-DD`, or the Design System's message for the input `field`
    /// (`label` is what the date is, like "The date received").
    pub fn iso(&self, field: &str, label: &str) -> Result<String, FieldError> {
        let [day, month, year] = [&self.day, &self.month, &self.year].map(|p| p.trim());
        if day.is_empty() && month.is_empty() && year.is_empty() {
            return Err(FieldError::on(
                field,
                format!("Enter {}", lower_first(label)),
            ));
        }
        let parts: Option<(u32, u32, i32)> =
            (|| Some((day.parse().ok()?, month.parse().ok()?, year.parse().ok()?)))();
        parts
            .filter(|(_, _, y)| (1900..=2199).contains(y))
            .and_then(|(d, m, y)| NaiveDate::from_ymd_opt(y, m, d))
            .map(|date| date.format("%Y-%m-%d").to_string())
            .ok_or_else(|| FieldError::on(field, format!("{label} must be a real date")))
    }
}

impl DateParts {
    /// The date as `YYYY-MM-DD`, or empty with its message added to `errors`: for a form
    /// that names every wrong answer at once.
    pub fn read(&self, field: &str, label: &str, errors: &mut Vec<FieldError>) -> String {
        self.iso(field, label)
            .map_err(|e| errors.push(e))
            .unwrap_or_default()
    }
}

/// The dates of a form that asks for more than one, each in boxes whose names carry its
/// prefix (`starts-day`, `starts-month`, `starts-year`), as `forms::date_input` names
/// them. Flattened into the form (`#[serde(default, flatten)]`), it takes every field the
/// form does not name itself.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct PrefixedDates(HashMap<String, String>);

impl PrefixedDates {
    /// The boxes of the date whose names start with `prefix`.
    pub fn get(&self, prefix: &str) -> DateParts {
        let part = |name: &str| {
            self.0
                .get(&format!("{prefix}{name}"))
                .cloned()
                .unwrap_or_default()
        };
        DateParts {
            day: part("day"),
            month: part("month"),
            year: part("year"),
        }
    }
}

/// `text` with a small first letter, to go in the middle of a sentence.
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_in_boxes_is_read_or_named() {
        let parts = |d: &str, m: &str, y: &str| DateParts {
            day: d.into(),
            month: m.into(),
            year: y.into(),
        };
        assert_eq!(
            parts(" 5", "12 ", "2026").iso("on", "The date").unwrap(),
            "2026-12-05"
        );
        let missing = parts("", "", "")
            .iso("on", "The date received")
            .unwrap_err();
        assert_eq!(missing.message, "Enter the date received");
        assert_eq!(missing.field.as_deref(), Some("on"));
        for (d, m, y) in [("31", "2", "2026"), ("x", "1", "2026"), ("1", "1", "26")] {
            let wrong = parts(d, m, y).iso("on", "The date").unwrap_err();
            assert_eq!(wrong.message, "The date must be a real date");
        }
    }

    #[test]
    fn a_forms_dates_are_told_apart_by_their_prefixes() {
        #[derive(Deserialize)]
        struct Form {
            reference: String,
            #[serde(default, flatten)]
            dates: PrefixedDates,
        }
        let form: Form = serde_urlencoded::from_str(
            "reference=R&starts-day=1&starts-month=4&starts-year=2026&ends-day=31&ends-month=3",
        )
        .unwrap();
        assert_eq!(form.reference, "R");
        let mut errors = Vec::new();
        assert_eq!(
            form.dates
                .get("starts-")
                .read("s", "The start", &mut errors),
            "2026-04-01"
        );
        assert_eq!(
            form.dates.get("ends-").read("e", "The end", &mut errors),
            ""
        );
        assert_eq!(form.dates.get("ends-").month, "3");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "The end must be a real date");
    }

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
