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
/// The school, GP and health visitors of a child placed in TA are to be notified within 14
/// days of the placement (s.213AA).
pub const S213AA_DAYS: u64 = 14;
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
    on.signed_duration_since(since).num_days()
}

/// The last first night of a B&B run that has reached `day` on `on`: a run has reached it
/// exactly when it began on or before this date. Before the calendar's first day it is held
/// there.
pub fn bnb_reached_by(day: u32, on: NaiveDate) -> NaiveDate {
    on.checked_sub_days(Days::new(day.into()))
        .unwrap_or(NaiveDate::MIN)
}

pub fn bnb_stage(since: NaiveDate, on: NaiveDate) -> BnbStage {
    match bnb_days(since, on) {
        d if d >= BNB_LIMIT_DAYS => BnbStage::Breach,
        d if d >= BNB_WARNING_DAYS => BnbStage::Warning,
        _ => BnbStage::Within,
    }
}

/// A date beyond the last the calendar holds never comes: it is held at the last.
fn days_after(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

pub fn bnb_limit_date(since: NaiveDate) -> NaiveDate {
    days_after(since, BNB_LIMIT_DAYS.unsigned_abs())
}

pub fn s208_due(placed_on: NaiveDate) -> NaiveDate {
    days_after(placed_on, S208_DAYS)
}

/// The last expiry date warned of on `on`: a certificate expiring from `on` to this day is
/// in its warning window; one that expired before `on` has lapsed.
pub fn certificate_warned_until(on: NaiveDate) -> NaiveDate {
    days_after(on, CERTIFICATE_WARNING_DAYS.unsigned_abs())
}

/// Where a unit's certificates stand, as the worst of them: by the earliest expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitCompliance {
    Expiring,
    Lapsed,
    ExpiringOrLapsed,
}

impl UnitCompliance {
    /// The earliest expiry among a unit's certificates that stands so on `on`: from and to,
    /// both inclusive, either open.
    pub fn earliest_expiry(self, on: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let last_lapsed = on.pred_opt();
        let warned_until = Some(certificate_warned_until(on));
        match self {
            UnitCompliance::Expiring => (Some(on), warned_until),
            UnitCompliance::Lapsed => (None, last_lapsed.or(Some(NaiveDate::MIN))),
            UnitCompliance::ExpiringOrLapsed => (None, warned_until),
        }
    }
}

/// An s.208 notice not yet recorded as sent while its placement is open: outstanding from
/// the placement, overdue after the day it was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S208Standing {
    Outstanding,
    Overdue,
}

pub fn s213aa_due(placed_on: NaiveDate) -> NaiveDate {
    days_after(placed_on, S213AA_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: u64) -> NaiveDate {
        days_after(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), n)
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
    fn a_run_has_reached_a_day_exactly_when_it_began_by_that_days_date() {
        let on = day(100);
        for d in [0u32, 1, 35, 41, 42, 43, 100] {
            let by = bnb_reached_by(d, on);
            for since in 0..=100 {
                let since = day(since);
                assert_eq!(
                    bnb_days(since, on) >= i64::from(d),
                    since <= by,
                    "day {d}, run from {since}"
                );
            }
        }
        assert_eq!(bnb_reached_by(1, NaiveDate::MIN), NaiveDate::MIN);
    }

    #[test]
    fn the_s208_notice_is_due_fourteen_days_after_the_placement() {
        assert_eq!(s208_due(day(3)), day(17));
    }

    #[test]
    fn a_units_earliest_expiry_places_it_in_the_sweeps_warning_window_or_lapsed() {
        let on = day(100);
        let standing = |earliest: NaiveDate| {
            [
                UnitCompliance::Expiring,
                UnitCompliance::Lapsed,
                UnitCompliance::ExpiringOrLapsed,
            ]
            .map(|c| {
                let (from, to) = c.earliest_expiry(on);
                from.is_none_or(|f| earliest >= f) && to.is_none_or(|t| earliest <= t)
            })
        };
        assert_eq!(standing(day(99)), [false, true, true]);
        assert_eq!(standing(day(100)), [true, false, true]);
        assert_eq!(standing(day(130)), [true, false, true]);
        assert_eq!(standing(day(131)), [false, false, false]);
    }

    #[test]
    fn a_clock_running_past_the_end_of_the_calendar_stops_there() {
        assert_eq!(s208_due(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(bnb_limit_date(NaiveDate::MAX), NaiveDate::MAX);
    }
}
