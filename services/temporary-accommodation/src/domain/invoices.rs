//! Paying for nightly-paid and block-booked units: the nights a unit was occupied in a
//! period, what they should cost, and what an empty block-booked unit loses.

use std::collections::HashMap;

use chrono::NaiveDate;
use housing_platform::money::{Overflow, Pence};
use housing_platform::words::count;
use uuid::Uuid;

/// Nights in `[start, end)` a stay `[from, to)` covers (an open stay runs on).
pub fn nights_within(
    from: NaiveDate,
    to: Option<NaiveDate>,
    start: NaiveDate,
    end: NaiveDate,
) -> i64 {
    let last = to.map_or(end, |t| t.min(end));
    last.signed_duration_since(from.max(start))
        .num_days()
        .max(0)
}

/// Nights each unit was occupied in `[start, end)`, from its stays (unit, from, to).
pub fn occupied_nights(
    stays: &[(Uuid, NaiveDate, Option<NaiveDate>)],
    start: NaiveDate,
    end: NaiveDate,
) -> Result<HashMap<Uuid, i64>, Overflow> {
    let mut nights: HashMap<Uuid, i64> = HashMap::new();
    for &(unit, from, to) in stays {
        let total = nights.entry(unit).or_default();
        *total = total
            .checked_add(nights_within(from, to, start, end))
            .ok_or(Overflow)?;
    }
    Ok(nights)
}

/// The nights of `[start, end)` a unit the council held stood empty, given those it was
/// occupied: the council holds a unit from the day it was registered (`held`) until the day
/// it was withdrawn (`released`), and loses nothing on the nights outside.
pub fn empty_nights(
    held: (NaiveDate, Option<NaiveDate>),
    start: NaiveDate,
    end: NaiveDate,
    occupied: i64,
) -> Result<i64, Overflow> {
    let (held, released) = held;
    let nights = nights_within(held, released, start, end);
    // A stay recorded outside the held nights leaves none of them empty, rather than fewer
    // than none.
    nights
        .checked_sub(occupied)
        .map(|n| n.max(0))
        .ok_or(Overflow)
}

/// Where an invoice stands: it is approved once, for what the occupied nights cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceStatus {
    AwaitingApproval,
    Approved,
}

/// One invoice line checked against the occupied nights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    pub invoiced_nights: i64,
    pub invoiced_pence: Pence,
    pub occupied_nights: i64,
    pub expected_pence: Pence,
}

impl Reconciled {
    /// Why the line differs from what the council owes, if it does.
    pub fn difference(&self) -> Option<String> {
        if self.invoiced_nights != self.occupied_nights {
            Some(format!(
                "{} invoiced; {} occupied",
                count(self.invoiced_nights, "night"),
                self.occupied_nights
            ))
        } else if self.invoiced_pence != self.expected_pence {
            Some(format!(
                "{} invoiced for {} at the agreed rate of {}",
                self.invoiced_pence,
                count(self.occupied_nights, "night"),
                self.expected_pence
            ))
        } else {
            None
        }
    }
}

/// What a set of lines comes to: invoiced and expected.
pub fn totals(lines: impl IntoIterator<Item = Reconciled>) -> Result<(Pence, Pence), Overflow> {
    lines
        .into_iter()
        .try_fold((Pence::ZERO, Pence::ZERO), |(invoiced, expected), l| {
            Ok((
                invoiced.checked_add(l.invoiced_pence)?,
                expected.checked_add(l.expected_pence)?,
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn nights_are_counted_inside_the_period_only() {
        assert_eq!(nights_within(d(1), Some(d(10)), d(5), d(20)), 5);
        assert_eq!(nights_within(d(1), None, d(5), d(20)), 15);
        assert_eq!(nights_within(d(21), None, d(5), d(20)), 0);
        assert_eq!(nights_within(d(1), Some(d(3)), d(5), d(20)), 0);
    }

    #[test]
    fn a_unit_stays_of_one_period_add_up_and_the_rest_is_empty() {
        let unit = Uuid::now_v7();
        let stays = [(unit, d(1), Some(d(8))), (unit, d(10), None)];
        let occupied = occupied_nights(&stays, d(5), d(15)).unwrap();
        assert_eq!(occupied[&unit], 3 + 5);
        assert_eq!(
            empty_nights((d(1), None), d(5), d(15), occupied[&unit]),
            Ok(2)
        );
    }

    #[test]
    fn only_the_nights_a_unit_was_held_can_be_empty() {
        // Registered on the 8th and withdrawn on the 12th: 4 of the period's 10 nights held.
        assert_eq!(empty_nights((d(8), Some(d(12))), d(5), d(15), 1), Ok(3));
        // Registered after the period: nothing held, nothing lost.
        assert_eq!(empty_nights((d(20), None), d(5), d(15), 0), Ok(0));
        assert_eq!(empty_nights((d(8), Some(d(12))), d(5), d(15), 6), Ok(0));
    }

    #[test]
    fn a_line_differs_on_nights_before_it_differs_on_price() {
        let line = Reconciled {
            invoiced_nights: 7,
            invoiced_pence: Pence::new(70_000),
            occupied_nights: 5,
            expected_pence: Pence::new(50_000),
        };
        assert_eq!(line.difference().unwrap(), "7 nights invoiced; 5 occupied");
        let priced = Reconciled {
            occupied_nights: 7,
            expected_pence: Pence::new(350_000),
            ..line
        };
        assert_eq!(
            priced.difference().unwrap(),
            "£700.00 invoiced for 7 nights at the agreed rate of £3,500.00"
        );
    }

    #[test]
    fn totals_that_would_overflow_say_so() {
        let line = |pence| Reconciled {
            invoiced_nights: 7,
            invoiced_pence: Pence::new(pence),
            occupied_nights: 7,
            expected_pence: Pence::new(pence),
        };
        assert_eq!(
            totals([line(5), line(7)]),
            Ok((Pence::new(12), Pence::new(12)))
        );
        assert_eq!(totals([line(i64::MAX), line(1)]), Err(Overflow));
    }
}
