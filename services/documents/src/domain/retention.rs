//! How long records are kept. Each record falls into a retention class when its case ends;
//! each class has a period in configuration. Certificates are kept for their class's
//! period after they expire.

use chrono::{Days, NaiveDate};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    WithdrawnApplication,
    ClosedApplication,
    ClosedTaCase,
    FinancialRecords,
    PropertyRecords,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::WithdrawnApplication => "withdrawn_application",
            Class::ClosedApplication => "closed_application",
            Class::ClosedTaCase => "closed_ta_case",
            Class::FinancialRecords => "financial_records",
            Class::PropertyRecords => "property_records",
        }
    }
}

/// Days each class is kept, from configuration.
#[derive(Debug, Clone, Deserialize)]
pub struct Periods {
    pub withdrawn_application_days: u64,
    pub closed_application_days: u64,
    pub closed_ta_case_days: u64,
    pub financial_records_days: u64,
    pub property_records_days: u64,
}

impl Periods {
    pub fn days(&self, class: Class) -> u64 {
        match class {
            Class::WithdrawnApplication => self.withdrawn_application_days,
            Class::ClosedApplication => self.closed_application_days,
            Class::ClosedTaCase => self.closed_ta_case_days,
            Class::FinancialRecords => self.financial_records_days,
            Class::PropertyRecords => self.property_records_days,
        }
    }
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closure {
    Withdrawn,
    Closed,
    Housed,
}

impl Closure {
    pub fn as_str(self) -> &'static str {
        match self {
            Closure::Withdrawn => "withdrawn",
            Closure::Closed => "closed",
            Closure::Housed => "housed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Closure::Withdrawn, Closure::Closed, Closure::Housed]
            .into_iter()
            .find(|c| c.as_str() == text)
    }
}

/// What the retention rules need to know about one record.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub case_kind: &'a str,
    /// Money matters (income evidence, benefit claims, rent and arrears letters).
    pub financial: bool,
    /// A certificate's expiry.
    pub expires_on: Option<NaiveDate>,
}

/// The class a record falls into and the day its clock started, once it has one.
pub fn class(record: Record, closed: Option<(Closure, NaiveDate)>) -> Option<(Class, NaiveDate)> {
    if let Some(expires_on) = record.expires_on {
        return Some((Class::PropertyRecords, expires_on));
    }
    let (closure, closed_on) = closed?;
    let class = if record.financial {
        Class::FinancialRecords
    } else {
        match (record.case_kind, closure) {
            ("application", Closure::Withdrawn) => Class::WithdrawnApplication,
            ("application", _) => Class::ClosedApplication,
            ("placement", _) => Class::ClosedTaCase,
            ("account", _) => Class::FinancialRecords,
            _ => Class::PropertyRecords,
        }
    };
    Some((class, closed_on))
}

/// The class of a record that is due for destruction on `today`, if it is.
pub fn due(
    record: Record,
    closed: Option<(Closure, NaiveDate)>,
    periods: &Periods,
    today: NaiveDate,
) -> Option<Class> {
    let (class, from) = class(record, closed)?;
    let until = from.checked_add_days(Days::new(periods.days(class)))?;
    (today >= until).then_some(class)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn periods() -> Periods {
        Periods {
            withdrawn_application_days: 365,
            closed_application_days: 730,
            closed_ta_case_days: 2190,
            financial_records_days: 2555,
            property_records_days: 2190,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn record(case_kind: &str, financial: bool) -> Record<'_> {
        Record {
            case_kind,
            financial,
            expires_on: None,
        }
    }

    #[test]
    fn an_open_case_is_kept() {
        assert_eq!(
            due(
                record("application", false),
                None,
                &periods(),
                day(2040, 1, 1)
            ),
            None
        );
    }

    #[test]
    fn a_withdrawn_application_is_destroyed_after_its_period_and_not_before() {
        let closed = Some((Closure::Withdrawn, day(2026, 1, 10)));
        let r = record("application", false);
        assert_eq!(due(r, closed, &periods(), day(2027, 1, 9)), None);
        assert_eq!(
            due(r, closed, &periods(), day(2027, 1, 10)),
            Some(Class::WithdrawnApplication)
        );
    }

    #[test]
    fn money_is_kept_as_a_financial_record_whatever_the_case() {
        let closed = Some((Closure::Withdrawn, day(2026, 1, 10)));
        assert_eq!(
            class(record("application", true), closed).unwrap().0,
            Class::FinancialRecords
        );
        assert_eq!(
            due(
                record("application", true),
                closed,
                &periods(),
                day(2027, 6, 1)
            ),
            None
        );
    }

    #[test]
    fn a_certificate_is_kept_from_its_expiry() {
        let cert = Record {
            case_kind: "unit",
            financial: false,
            expires_on: Some(day(2026, 3, 1)),
        };
        assert_eq!(
            class(cert, None),
            Some((Class::PropertyRecords, day(2026, 3, 1)))
        );
    }

    #[test]
    fn a_closed_ta_case_has_its_own_class() {
        let closed = Some((Closure::Closed, day(2026, 1, 1)));
        assert_eq!(
            class(record("placement", false), closed).unwrap().0,
            Class::ClosedTaCase
        );
    }
}
