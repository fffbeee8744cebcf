//! The council's working days: Monday to Friday, less the bank holidays of England and Wales
//! and any days the council adds (a one-off bank holiday, a day the offices close).

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).
fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

fn weekday_in(year: i32, month: u32, weekday: Weekday, last: bool) -> Option<NaiveDate> {
    if last {
        let next_month = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let mut day = next_month.pred_opt()?;
        while day.weekday() != weekday {
            day = day.pred_opt()?;
        }
        Some(day)
    } else {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, 1)
    }
}

/// The bank holidays of England and Wales in `year` under the standing rules: New Year's
/// Day, Good Friday, Easter Monday, the early May, spring and summer bank holidays,
/// Christmas Day and Boxing Day, each falling at a weekend moved to the next weekday free.
pub fn bank_holidays_england_and_wales(year: i32) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    let weekend = |d: NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    let substitute = |d: NaiveDate, taken: &[NaiveDate]| {
        let mut day = d;
        while weekend(day) || taken.contains(&day) {
            day = day + Days::new(1);
        }
        day
    };
    if let Some(new_year) = NaiveDate::from_ymd_opt(year, 1, 1) {
        days.push(substitute(new_year, &[]));
    }
    if let Some(easter) = easter_sunday(year) {
        days.push(easter - Days::new(2));
        days.push(easter + Days::new(1));
    }
    days.extend(weekday_in(year, 5, Weekday::Mon, false));
    days.extend(weekday_in(year, 5, Weekday::Mon, true));
    days.extend(weekday_in(year, 8, Weekday::Mon, true));
    for (month, day) in [(12, 25), (12, 26)] {
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
            let moved = substitute(date, &days);
            days.push(moved);
        }
    }
    days
}

/// Working days: weekdays that are neither a bank holiday nor one of the council's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingDays {
    extra: BTreeSet<NaiveDate>,
}

impl WorkingDays {
    /// England and Wales, with the council's own closed days added.
    pub fn england_and_wales(extra: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self {
            extra: extra.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
            && !self.extra.contains(&day)
            && !bank_holidays_england_and_wales(day.year()).contains(&day)
    }

    /// The day `days` working days after `from`; a date past the calendar's end is held at
    /// its last day.
    pub fn add(&self, from: NaiveDate, days: u32) -> NaiveDate {
        let mut date = from;
        let mut left = days;
        while left > 0 {
            let Some(next) = date.succ_opt() else {
                return date;
            };
            date = next;
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_bank_holidays_are_those_the_government_publishes() {
        // gov.uk/bank-holidays for England and Wales.
        assert_eq!(
            bank_holidays_england_and_wales(2026),
            vec![
                d(2026, 1, 1),
                d(2026, 4, 3),
                d(2026, 4, 6),
                d(2026, 5, 4),
                d(2026, 5, 25),
                d(2026, 8, 31),
                d(2026, 12, 25),
                d(2026, 12, 28),
            ]
        );
        // Christmas on a Saturday and Boxing Day on a Sunday: the 27th and 28th.
        let y2027 = bank_holidays_england_and_wales(2027);
        assert!(y2027.contains(&d(2027, 3, 26)) && y2027.contains(&d(2027, 3, 29)));
        assert!(y2027.contains(&d(2027, 12, 27)) && y2027.contains(&d(2027, 12, 28)));
        // New Year's Day on a Saturday: Monday 3rd.
        assert!(bank_holidays_england_and_wales(2028).contains(&d(2028, 1, 3)));
        assert!(bank_holidays_england_and_wales(2025).contains(&d(2025, 4, 18)));
    }

    #[test]
    fn working_days_skip_weekends_bank_holidays_and_the_councils_own_days() {
        let days = WorkingDays::england_and_wales([d(2026, 12, 24)]);
        // Wednesday 23 December 2026 plus three working days: Thursday 24th is the
        // council's closed day, Friday 25th Christmas, Monday 28th Boxing Day's substitute;
        // then the 29th, 30th and 31st.
        assert_eq!(days.add(d(2026, 12, 23), 3), d(2026, 12, 31));
        assert_eq!(
            days.add(d(2026, 6, 5), 1),
            d(2026, 6, 8),
            "Friday to Monday"
        );
        assert!(!days.is_working_day(d(2026, 8, 31)));
        assert!(days.is_working_day(d(2026, 9, 1)));
    }
}
