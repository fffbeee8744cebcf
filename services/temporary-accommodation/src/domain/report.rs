//! Temporary accommodation's section of the council's management report: households in TA
//! at the period's end by type and what they cost a week, families in B&B and those past
//! the six weeks the Suitability Order allows, and the void nights of units the council
//! held.

use chrono::NaiveDate;
use housing_platform::money::Pence;
use housing_platform::returns::{Figure, Period};
use uuid::Uuid;

use super::clocks::{BnbStage, bnb_stage};
use super::hclic::{TYPES, accommodation_type};
use super::unit::{Cost, CostOutOfRange, UnitType};

/// One stay of a placement in one unit; `to` is the day the household left (none while
/// there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay {
    pub unit_id: Uuid,
    pub unit_type: UnitType,
    pub cost: Cost,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// A placement with a stay in the period, its stays in the order lived in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Children or a pregnant member: the household the B&B limit protects.
    pub family: bool,
    pub stays: Vec<Stay>,
}

/// The void nights and what they cost, worked out as `GetVoids` works them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voids {
    pub nights: i64,
    pub loss: Pence,
}

const AT_END: &str = "households in TA at the period end";
const WEEKLY_COST: &str = "weekly cost at the period end";
const ALL: &str = "all types";

/// The stay a placement was in on the night of `day`, if any.
fn stay_on(placement: &Placement, day: NaiveDate) -> Option<&Stay> {
    placement
        .stays
        .iter()
        .find(|s| s.from <= day && s.to.is_none_or(|to| to > day))
}

/// The placement's runs of nights in B&B, a run going on across B&B after B&B as the
/// clock counts it: first night, and the day it ended (none while it goes on).
fn bnb_runs(placement: &Placement) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let mut runs: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
    for stay in placement
        .stays
        .iter()
        .filter(|s| s.unit_type == UnitType::BedAndBreakfast && s.to != Some(s.from))
    {
        match runs.last_mut() {
            Some((_, until)) if *until == Some(stay.from) => *until = stay.to,
            _ => runs.push((stay.from, stay.to)),
        }
    }
    runs
}

/// Whether a family spent a night of `period` in B&B, and whether on one of those nights
/// it had been there six weeks or more.
fn in_bnb(placement: &Placement, period: Period) -> (bool, bool) {
    let mut there = false;
    let mut beyond = false;
    for (since, until) in bnb_runs(placement) {
        let last_night = until
            .and_then(|u| u.pred_opt())
            .map_or(period.end, |l| l.min(period.end));
        if since > period.end || last_night < period.start || last_night < since {
            continue;
        }
        there = true;
        beyond |= bnb_stage(since, last_night) == BnbStage::Breach;
    }
    (there, beyond)
}

/// The section's figures. Every accommodation type is listed, with none in it as zero, so
/// the table keeps its shape from one period to the next.
pub fn figures(
    period: Period,
    placements: &[Placement],
    voids: Voids,
) -> Result<Vec<Figure>, CostOutOfRange> {
    let mut by_type: Vec<(UnitType, i64, Pence)> =
        TYPES.iter().map(|t| (*t, 0, Pence::ZERO)).collect();
    let mut cost = Pence::ZERO;
    let mut families = 0_i64;
    let mut beyond_six_weeks = 0_i64;
    for placement in placements {
        if let Some(stay) = stay_on(placement, period.end)
            && let Some(entry) = by_type.iter_mut().find(|(t, _, _)| *t == stay.unit_type)
        {
            let out_of_range = |_| CostOutOfRange(stay.unit_id);
            let week = stay.cost.weekly_pence().map_err(out_of_range)?;
            entry.1 = entry.1.saturating_add(1);
            entry.2 = entry.2.checked_add(week).map_err(out_of_range)?;
            cost = cost.checked_add(week).map_err(out_of_range)?;
        }
        if placement.family {
            let (there, beyond) = in_bnb(placement, period);
            families = families.saturating_add(i64::from(there));
            beyond_six_weeks = beyond_six_weeks.saturating_add(i64::from(beyond));
        }
    }
    let households = by_type
        .iter()
        .fold(0_i64, |all, (_, n, _)| all.saturating_add(*n));
    let mut figures: Vec<Figure> = by_type
        .iter()
        .map(|(t, n, _)| Figure::new(AT_END, accommodation_type(*t), *n, "households"))
        .collect();
    figures.push(Figure::new(AT_END, ALL, households, "households"));
    for (t, _, week) in &by_type {
        figures.push(Figure::new(
            WEEKLY_COST,
            accommodation_type(*t),
            week.get(),
            "pence",
        ));
    }
    figures.push(
        Figure::new(WEEKLY_COST, ALL, cost.get(), "pence")
            .noting("what the council pays providers a week; a nightly rate counts seven times"),
    );
    figures.push(
        Figure::new("families in B&B in the period", "", families, "households")
            .noting("households with children or a pregnant member"),
    );
    figures.push(
        Figure::new(
            "families in B&B beyond six weeks in the period",
            "",
            beyond_six_weeks,
            "households",
        )
        .noting("six weeks or more in one run of B&B, the limit of the Suitability Order 2003"),
    );
    let held = "block-booked units, on the nights between registration and withdrawal";
    figures.push(Figure::new("void nights", "", voids.nights, "nights").noting(held));
    figures.push(Figure::new("void loss", "", voids.loss.get(), "pence").noting(held));
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .checked_add_days(chrono::Days::new(u64::from(day)))
            .unwrap()
    }

    fn stay(unit_type: UnitType, from: u32, to: Option<u32>) -> Stay {
        Stay {
            unit_id: Uuid::nil(),
            unit_type,
            cost: Cost::Nightly(Pence::new(5_000)),
            from: d(from),
            to: to.map(d),
        }
    }

    fn family(stays: Vec<Stay>) -> Placement {
        Placement {
            family: true,
            stays,
        }
    }

    const BNB: UnitType = UnitType::BedAndBreakfast;

    fn period(start: u32, end: u32) -> Period {
        Period {
            start: d(start),
            end: d(end),
        }
    }

    #[test]
    fn six_weeks_are_counted_across_b_and_b_after_b_and_b() {
        // Nights 0 to 41 in one B&B and on in another: day 42 is the 43rd night.
        let moved = family(vec![stay(BNB, 0, Some(20)), stay(BNB, 20, None)]);
        assert_eq!(in_bnb(&moved, period(41, 41)), (true, false));
        assert_eq!(in_bnb(&moved, period(30, 42)), (true, true));
        // Out of B&B for a while and back: the clock starts again.
        let back = family(vec![
            stay(BNB, 0, Some(30)),
            stay(UnitType::Hostel, 30, Some(40)),
            stay(BNB, 40, None),
        ]);
        assert_eq!(in_bnb(&back, period(0, 75)), (true, false));
        assert_eq!(in_bnb(&back, period(0, 82)), (true, true));
    }

    #[test]
    fn a_family_that_left_b_and_b_before_the_period_is_not_counted() {
        let left = family(vec![
            stay(BNB, 0, Some(50)),
            stay(UnitType::Hostel, 50, None),
        ]);
        assert_eq!(in_bnb(&left, period(50, 60)), (false, false));
        // The breach happened before the period, but the family was still there in it.
        assert_eq!(in_bnb(&left, period(49, 60)), (true, true));
    }

    #[test]
    fn households_and_weekly_cost_are_those_in_ta_on_the_last_night() {
        let placements = [
            family(vec![stay(BNB, 0, None)]),
            Placement {
                family: false,
                stays: vec![Stay {
                    cost: Cost::Weekly(Pence::new(21_000)),
                    ..stay(UnitType::Hostel, 0, Some(10))
                }],
            },
        ];
        let voids = Voids {
            nights: 3,
            loss: Pence::new(900),
        };
        let figures = figures(period(0, 10), &placements, voids).unwrap();
        let value = |measure: &str, breakdown: &str| {
            figures
                .iter()
                .find(|f| f.measure == measure && f.breakdown == breakdown)
                .and_then(|f| f.value)
        };
        // The hostel stay ended on day 10: not there on its night.
        assert_eq!(value(AT_END, "hostel"), Some(0));
        assert_eq!(value(AT_END, "bed and breakfast"), Some(1));
        assert_eq!(value(AT_END, ALL), Some(1));
        assert_eq!(value(WEEKLY_COST, "bed and breakfast"), Some(35_000));
        assert_eq!(value(WEEKLY_COST, ALL), Some(35_000));
        assert_eq!(value("void loss", ""), Some(900));
    }

    #[test]
    fn a_weekly_cost_beyond_counting_names_its_unit() {
        let unit = Uuid::now_v7();
        let placement = Placement {
            family: false,
            stays: vec![Stay {
                unit_id: unit,
                cost: Cost::Nightly(Pence::new(i64::MAX)),
                ..stay(UnitType::Hostel, 0, None)
            }],
        };
        let voids = Voids {
            nights: 0,
            loss: Pence::ZERO,
        };
        assert_eq!(
            figures(period(0, 1), &[placement], voids),
            Err(CostOutOfRange(unit))
        );
    }
}
