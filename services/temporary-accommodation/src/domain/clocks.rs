//! The law's clocks on a placement: six weeks in bed and breakfast for a family (Homelessness
//! (Suitability of Accommodation) (England) Order 2003), and the s.208 notice to the council
//! whose district the household is placed in.

use chrono::{Days, NaiveDate};

/// A family may not spend more than six weeks in B&B: the 42nd day is a breach.
pub const BNB_LIMIT_DAYS: i64 = 42;
/// A week's warning gives officers time to move the family.
pub const BNB_WARNING_DAYS: i64 = 35;
/// The receiving council is to be notified within 14 days of the placement.
pub const S208_DAYS: u64 = 14;
/// Certificates are warned of this many days before they expire.
pub const CERTIFICATE_WARNING_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BnbStage {
    Within,
    Warning,
    Breach,
}

/// Days in B&B on `on` for a run that began `since` (the first night is day 0).
pub fn bnb_days(since: NaiveDate, on: NaiveDate) -> i64 {
    (on - since).num_days()
}

pub fn bnb_stage(since: NaiveDate, on: NaiveDate) -> BnbStage {
    match bnb_days(since, on) {
        d if d >= BNB_LIMIT_DAYS => BnbStage::Breach,
        d if d >= BNB_WARNING_DAYS => BnbStage::Warning,
        _ => BnbStage::Within,
    }
}

pub fn bnb_limit_date(since: NaiveDate) -> NaiveDate {
    since + Days::new(BNB_LIMIT_DAYS as u64)
}

pub fn s208_due(placed_on: NaiveDate) -> NaiveDate {
    placed_on + Days::new(S208_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(n)
    }

    #[test]
    fn the_bnb_clock_warns_in_the_sixth_week_and_breaches_on_day_42() {
        assert_eq!(bnb_stage(day(0), day(34)), BnbStage::Within);
        assert_eq!(bnb_stage(day(0), day(35)), BnbStage::Warning);
        assert_eq!(bnb_stage(day(0), day(41)), BnbStage::Warning);
        assert_eq!(bnb_stage(day(0), day(42)), BnbStage::Breach);
        assert_eq!(bnb_limit_date(day(0)), day(42));
    }

    #[test]
    fn the_s208_notice_is_due_fourteen_days_after_the_placement() {
        assert_eq!(s208_due(day(3)), day(17));
    }
}
