//! Rent charges: whole weeks at the weekly rate, a part week prorated by day and rounded
//! half up to the penny.

use chrono::NaiveDate;
use housing_platform::money::{Overflow, Pence};

/// The charge for the days from `from` up to (not including) `to`: a seventh of the weekly
/// rate a day. Whole weeks come to whole weekly charges; a part week is rounded to the
/// penny, half up (a charge is never negative, so half away from zero is half up).
pub fn charge_for_period(weekly: Pence, from: NaiveDate, to: NaiveDate) -> Result<Pence, Overflow> {
    let days = to.signed_duration_since(from).num_days().max(0);
    weekly.checked_ratio(days, 7)
}

/// What an account is charged each week: the rent and, on top, services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub rent_pence: Pence,
    pub service_pence: Pence,
}

impl Schedule {
    /// Rent and service charge for the days from `from` up to `to`, each prorated alone.
    pub fn for_period(&self, from: NaiveDate, to: NaiveDate) -> Result<(Pence, Pence), Overflow> {
        Ok((
            charge_for_period(self.rent_pence, from, to)?,
            charge_for_period(self.service_pence, from, to)?,
        ))
    }

    /// What the days from `from` up to `to` cost at these rates more than at the `old`
    /// ones: rent and service charge, each either way.
    pub fn more_than(
        &self,
        old: &Schedule,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Pence, Pence), Overflow> {
        let (rent, service) = self.for_period(from, to)?;
        let (old_rent, old_service) = old.for_period(from, to)?;
        Ok((
            rent.checked_sub(old_rent)?,
            service.checked_sub(old_service)?,
        ))
    }

    /// Rent and service charge together, as weeks of arrears are counted in. A float: it
    /// only divides a balance, and cannot overflow whatever is stored.
    pub fn weekly_total(&self) -> f64 {
        self.rent_pence.get() as f64 + self.service_pence.get() as f64
    }
}

/// The share of what was charged that was collected, in basis points (10,000 is all of
/// it), rounded to the nearest. A figure for reading: beyond what 64 bits hold it reads as
/// the most they hold.
pub fn collection_rate_basis_points(charged: Pence, collected: Pence) -> i64 {
    if charged <= Pence::ZERO {
        return 0;
    }
    collected
        .checked_ratio(10_000, charged.get())
        .map_or(i64::MAX, Pence::get)
}

#[cfg(test)]
// The expected figures are worked out in plain arithmetic, in 128 bits where they must be.
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    fn charge(weekly: i64, from: u32, to: u32) -> Result<i64, Overflow> {
        charge_for_period(Pence::new(weekly), d(from), d(to)).map(Pence::get)
    }

    #[test]
    fn two_weeks_cost_two_weekly_charges() {
        assert_eq!(charge(21_000, 2, 16), Ok(42_000));
    }

    #[test]
    fn a_part_week_is_prorated_by_day_rounding_half_up() {
        // £100.01 a week for 3 days: 4286.142… → 4286p; for 1 day 1428.71… → 1429p.
        assert_eq!(charge(10_001, 2, 5), Ok(4_286));
        assert_eq!(charge(10_001, 2, 3), Ok(1_429));
        // 7p a week: 1 day is exactly 1p.
        assert_eq!(charge(7, 2, 3), Ok(1));
        assert_eq!(charge(1, 2, 5), Ok(0));
        assert_eq!(charge(1, 2, 6), Ok(1));
        // A week and three days: a whole week's charge and three sevenths of one.
        assert_eq!(charge(10_001, 2, 12), Ok(10_001 + 4_286));
    }

    #[test]
    fn no_days_no_charge() {
        assert_eq!(charge(21_000, 5, 5), Ok(0));
        assert_eq!(charge(21_000, 5, 4), Ok(0));
    }

    #[test]
    fn a_charge_too_large_for_64_bits_is_refused_not_wrapped() {
        assert_eq!(charge(i64::MAX, 2, 16), Err(Overflow));
        assert_eq!(charge(i64::MAX, 2, 9), Ok(i64::MAX));
        let absurd = Schedule {
            rent_pence: Pence::new(i64::MAX / 2),
            service_pence: Pence::new(i64::MAX),
        };
        assert_eq!(absurd.for_period(d(2), d(23)), Err(Overflow));
        assert!(absurd.weekly_total() > 1e19);
    }

    #[test]
    fn a_repricing_is_what_the_days_cost_more_at_the_new_rates_either_way() {
        let schedule = |rent, service| Schedule {
            rent_pence: Pence::new(rent),
            service_pence: Pence::new(service),
        };
        let old = schedule(21_000, 1_400);
        let more = schedule(28_000, 700).more_than(&old, d(2), d(12));
        // Ten days: a week and three sevenths of each difference.
        assert_eq!(more, Ok((Pence::new(10_000), Pence::new(-1_000))));
        let absurd = schedule(i64::MAX, 0).more_than(&old, d(2), d(23));
        assert_eq!(absurd, Err(Overflow));
    }

    #[test]
    fn the_collection_rate_is_in_basis_points_and_never_overflows() {
        let rate = |charged, collected| {
            collection_rate_basis_points(Pence::new(charged), Pence::new(collected))
        };
        assert_eq!(rate(40_000, 30_000), 7_500);
        assert_eq!(rate(0, 30_000), 0);
        assert_eq!(rate(3, 1), 3_333);
        assert_eq!(rate(1, i64::MAX), i64::MAX);
        assert_eq!(rate(i64::MAX, i64::MAX), 10_000);
    }

    proptest! {
        #[test]
        fn any_weekly_charge_over_any_span_is_exact_or_refused(
            weekly in 0i64..=i64::MAX,
            days in 0i64..3_000_000,
        ) {
            let from = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
            let to = from + chrono::Days::new(days.unsigned_abs());
            // Whole weeks at the weekly rate, the rest prorated half up: in 128 bits, exactly.
            let exact = (i128::from(weekly) * i128::from(days) * 2 + 7) / 14;
            match charge_for_period(Pence::new(weekly), from, to) {
                Ok(pence) => prop_assert_eq!(i128::from(pence.get()), exact),
                Err(Overflow) => prop_assert!(exact > i128::from(i64::MAX)),
            }
        }
    }
}
