//! Rent charges: whole weeks at the weekly rate, a part week prorated by day and rounded
//! half up to the penny.

use chrono::NaiveDate;

/// The charge for the days from `from` up to (not including) `to`.
pub fn charge_for_period(weekly_pence: i64, from: NaiveDate, to: NaiveDate) -> i64 {
    let days = (to - from).num_days().max(0);
    let weeks = days / 7;
    let rest = days % 7;
    weeks * weekly_pence + prorate(weekly_pence, rest)
}

/// What an account is charged each week: the rent and, on top, services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub rent_pence: i64,
    pub service_pence: i64,
}

impl Schedule {
    /// Rent and service charge for the days from `from` up to `to`, each prorated alone.
    pub fn for_period(&self, from: NaiveDate, to: NaiveDate) -> (i64, i64) {
        (
            charge_for_period(self.rent_pence, from, to),
            charge_for_period(self.service_pence, from, to),
        )
    }
}

/// `days` sevenths of a week's charge, half a penny rounded up.
pub fn prorate(weekly_pence: i64, days: i64) -> i64 {
    (2 * weekly_pence * days + 7) / 14
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn two_weeks_cost_two_weekly_charges() {
        assert_eq!(charge_for_period(21_000, d(2), d(16)), 42_000);
    }

    #[test]
    fn a_part_week_is_prorated_by_day_rounding_half_up() {
        // £100.01 a week for 3 days: 4286.142… → 4286p; for 1 day 1428.71… → 1429p.
        assert_eq!(prorate(10_001, 3), 4_286);
        assert_eq!(prorate(10_001, 1), 1_429);
        // 7p a week for half-penny cases: 1 day is exactly 1p.
        assert_eq!(prorate(7, 1), 1);
        assert_eq!(prorate(1, 3), 0);
        assert_eq!(prorate(1, 4), 1);
    }

    #[test]
    fn no_days_no_charge() {
        assert_eq!(charge_for_period(21_000, d(5), d(5)), 0);
        assert_eq!(charge_for_period(21_000, d(5), d(4)), 0);
    }
}
