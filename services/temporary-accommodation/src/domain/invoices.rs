//! Paying for nightly-paid and block-booked units: the nights a unit was occupied in a
//! period, what they should cost, and what an empty block-booked unit loses.

use chrono::NaiveDate;

/// Nights in `[start, end)` a stay `[from, to)` covers (an open stay runs on).
pub fn nights_within(
    from: NaiveDate,
    to: Option<NaiveDate>,
    start: NaiveDate,
    end: NaiveDate,
) -> i64 {
    let last = to.map_or(end, |t| t.min(end));
    (last - from.max(start)).num_days().max(0)
}

/// One invoice line checked against the occupied nights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    pub invoiced_nights: i64,
    pub invoiced_pence: i64,
    pub occupied_nights: i64,
    pub expected_pence: i64,
}

impl Reconciled {
    pub fn difference_pence(&self) -> i64 {
        self.invoiced_pence - self.expected_pence
    }

    /// Why the line differs from what the council owes, if it does.
    pub fn difference(&self) -> Option<String> {
        if self.invoiced_nights != self.occupied_nights {
            Some(format!(
                "{} nights invoiced; {} occupied",
                self.invoiced_nights, self.occupied_nights
            ))
        } else if self.invoiced_pence != self.expected_pence {
            Some(format!(
                "£{:.2} invoiced for {} nights at the agreed rate of £{:.2}",
                self.invoiced_pence as f64 / 100.0,
                self.occupied_nights,
                self.expected_pence as f64 / 100.0
            ))
        } else {
            None
        }
    }
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
    fn a_line_differs_on_nights_before_it_differs_on_price() {
        let line = Reconciled {
            invoiced_nights: 7,
            invoiced_pence: 70_000,
            occupied_nights: 5,
            expected_pence: 50_000,
        };
        assert_eq!(line.difference().unwrap(), "7 nights invoiced; 5 occupied");
        assert_eq!(line.difference_pence(), 20_000);
    }
}
