//! H-CLIC's temporary accommodation part for one quarter: a record for each household in
//! temporary accommodation at any time in the quarter, the tables councils publish against,
//! and the checks that can be made without the field specification MHCLG gives councils.
//! `services/temporary-accommodation/docs/hclic.md` maps each field for a council to match
//! against the specification it holds.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use housing_platform::returns::{Period, csv_table};
use housing_platform::time::format_date;

use super::unit::UnitType;

/// Under this age on a day, a person is a child.
const ADULT_AGE: u32 = 18;
/// Six weeks: the longest a family may be in bed and breakfast (Suitability Order 2003).
const BNB_LIMIT_DAYS: i64 = 42;

/// A local authority district of England, as ONS names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub code: String,
    pub name: String,
    pub region: String,
}

/// England's districts and their regions (ONS, Open Government Licence), from
/// `data/english-local-authorities.csv`.
pub fn authorities() -> &'static [Authority] {
    static ALL: OnceLock<Vec<Authority>> = OnceLock::new();
    ALL.get_or_init(|| {
        let data = include_str!("../../data/english-local-authorities.csv");
        csv::Reader::from_reader(data.as_bytes())
            .records()
            .filter_map(Result::ok)
            .map(|r| Authority {
                code: r[0].to_owned(),
                name: r[1].to_owned(),
                region: r[3].to_owned(),
            })
            .collect()
    })
}

/// The district named `name` (any case), if ONS knows it by that name.
pub fn authority(name: &str) -> Option<&'static Authority> {
    let name = name.trim();
    authorities()
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
}

/// H-CLIC's accommodation types.
pub fn accommodation_type(unit: UnitType) -> &'static str {
    match unit {
        UnitType::BedAndBreakfast => "bed and breakfast",
        UnitType::NightlyPaidSelfContained => "nightly paid, privately managed, self-contained",
        UnitType::Hostel => "hostel",
        UnitType::PrivateSectorLeased => "private sector leased",
        UnitType::SocialHousingStock => "local authority or housing association stock",
        UnitType::Other => "other",
    }
}

pub const TYPES: [UnitType; 6] = [
    UnitType::BedAndBreakfast,
    UnitType::NightlyPaidSelfContained,
    UnitType::Hostel,
    UnitType::PrivateSectorLeased,
    UnitType::SocialHousingStock,
    UnitType::Other,
];

/// One stay of a placement in one unit; `to` is the day the household left (none while
/// there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub unit_type: UnitType,
    pub local_authority: String,
}

/// A placement as temporary accommodation holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub reference: String,
    pub application_id: Option<String>,
    pub household_size: i32,
    pub has_children: bool,
    pub pregnant: bool,
    /// Every person's date of birth, lead first, when the household came from the register;
    /// empty when it was typed in.
    pub dates_of_birth: Vec<NaiveDate>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// In the order lived in.
    pub stays: Vec<Stay>,
}

/// A problem to put right before the return is sent: the placement, the field, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub reference: String,
    pub field: &'static str,
    pub reason: String,
}

/// The quarter's return: records, tables and problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Return {
    pub quarter: Period,
    pub records: Vec<Record>,
    pub tables: Tables,
    pub problems: Vec<Problem>,
}

/// A household's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub reference: String,
    pub application_id: String,
    pub household_size: i32,
    /// Dates of birth of those under 18 at the end of the quarter (or when they left).
    pub children: Vec<NaiveDate>,
    pub pregnant: bool,
    /// The accommodation at the end of the quarter, or when the household left.
    pub accommodation: UnitType,
    pub start: NaiveDate,
    /// When the household left, if within the quarter.
    pub end: Option<NaiveDate>,
    pub in_district: bool,
    pub destination: String,
    pub destination_code: String,
    pub destination_region: String,
    /// Nights a household with children or expecting one spent in B&B in the quarter.
    pub family_bnb_nights: i64,
}

/// The aggregate tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tables {
    /// Households in TA at the end of the quarter, by accommodation type: all, and those
    /// with children.
    pub by_type: BTreeMap<&'static str, (i64, i64)>,
    pub households: i64,
    pub households_with_children: i64,
    pub children: i64,
    /// Children in TA at the end of the quarter by age: 0–4, 5–10, 11–15, 16–17.
    pub children_by_age: [i64; 4],
    /// Households placed in another district at the end of the quarter, by its region.
    pub out_of_area_by_region: BTreeMap<String, i64>,
    pub out_of_area: i64,
    pub families_in_bnb: i64,
    pub families_in_bnb_over_six_weeks: i64,
    pub started_in_quarter: i64,
    pub ended_in_quarter: i64,
}

fn age_on(born: NaiveDate, on: NaiveDate) -> u32 {
    let years = on.year().saturating_sub(born.year());
    let before_birthday = (on.month(), on.day()) < (born.month(), born.day());
    u32::try_from(years.saturating_sub(i32::from(before_birthday))).unwrap_or(0)
}

/// Counts stay far below overflow; saturating keeps the domain's no-wrap rule.
fn add(count: &mut i64, by: i64) {
    *count = count.saturating_add(by);
}

/// Nights of `stay` within `quarter` (the night of a day counts to that day).
fn nights_within(stay: &Stay, quarter: Period) -> i64 {
    let first = stay.from.max(quarter.start);
    let after = stay
        .to
        .unwrap_or(quarter.end.succ_opt().unwrap_or(quarter.end))
        .min(quarter.end.succ_opt().unwrap_or(quarter.end));
    after.signed_duration_since(first).num_days().max(0)
}

/// Builds the quarter's return from the placements that overlap it; `home` is the council's
/// own district.
pub fn build(quarter: Period, home: &str, placements: &[Placement]) -> Return {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut tables = Tables::default();
    for t in TYPES {
        tables.by_type.insert(accommodation_type(t), (0, 0));
    }
    let after_quarter = quarter.end.succ_opt().unwrap_or(quarter.end);
    for p in placements {
        let mut problem = |field: &'static str, reason: String| {
            problems.push(Problem {
                reference: p.reference.clone(),
                field,
                reason,
            })
        };
        // Stays the household actually lived in, overlapping the quarter.
        let stays: Vec<&Stay> = p
            .stays
            .iter()
            .filter(|s| s.to.is_none_or(|to| to > s.from))
            .filter(|s| s.from <= quarter.end && s.to.is_none_or(|to| to > quarter.start))
            .collect();
        let Some(last) = stays.last() else {
            continue;
        };
        if let Some(end) = p.end
            && end < p.start
        {
            problem(
                "end_date",
                format!(
                    "{} is before the placement began on {}",
                    format_date(end),
                    format_date(p.start)
                ),
            );
        }
        let left = p.end.filter(|end| *end <= quarter.end);
        let counted_on = left.unwrap_or(quarter.end);
        let family = p.has_children || p.pregnant;
        let mut children = Vec::new();
        if p.dates_of_birth.is_empty() {
            if p.has_children {
                problem(
                    "children",
                    "the children's dates of birth are not held: the household was typed in, \
                     not taken from the register"
                        .into(),
                );
            }
        } else {
            for (i, born) in p.dates_of_birth.iter().enumerate() {
                if *born > counted_on {
                    problem(
                        "date_of_birth",
                        format!(
                            "person {}: born {} is after the count",
                            i.saturating_add(1),
                            format_date(*born)
                        ),
                    );
                } else if age_on(*born, counted_on) > 120 {
                    problem(
                        "date_of_birth",
                        format!(
                            "person {}: born {} is over 120 years ago",
                            i.saturating_add(1),
                            format_date(*born)
                        ),
                    );
                } else if i > 0 && age_on(*born, counted_on) < ADULT_AGE {
                    children.push(*born);
                }
            }
            if p.has_children && children.is_empty() {
                problem(
                    "children",
                    "the placement says there are children but no one in the household is under 18"
                        .into(),
                );
            }
        }
        if p.household_size < 1 {
            problem("household_size", "must be at least 1".into());
        }
        let in_district = last
            .local_authority
            .trim()
            .eq_ignore_ascii_case(home.trim());
        let destination = if in_district {
            None
        } else {
            let found = authority(&last.local_authority);
            if found.is_none() {
                problem(
                    "destination",
                    format!(
                        "{:?} is not an English district as ONS names it: give the council's name as ONS spells it",
                        last.local_authority
                    ),
                );
            }
            found
        };
        let family_bnb_nights = if family {
            stays
                .iter()
                .filter(|s| s.unit_type == UnitType::BedAndBreakfast)
                .map(|s| nights_within(s, quarter))
                .fold(0_i64, i64::saturating_add)
        } else {
            0
        };
        let record = Record {
            reference: p.reference.clone(),
            application_id: p.application_id.clone().unwrap_or_default(),
            household_size: p.household_size,
            children,
            pregnant: p.pregnant,
            accommodation: last.unit_type,
            start: p.start,
            end: left,
            in_district,
            destination: last.local_authority.clone(),
            destination_code: destination.map(|a| a.code.clone()).unwrap_or_default(),
            destination_region: destination.map(|a| a.region.clone()).unwrap_or_default(),
            family_bnb_nights,
        };

        if quarter.start <= p.start && p.start <= quarter.end {
            add(&mut tables.started_in_quarter, 1);
        }
        if left.is_some() {
            add(&mut tables.ended_in_quarter, 1);
        }
        let there_at_end = last.from <= quarter.end && last.to.is_none_or(|to| to >= after_quarter);
        if there_at_end {
            add(&mut tables.households, 1);
            let with_children = !record.children.is_empty() || p.has_children;
            add(
                &mut tables.households_with_children,
                i64::from(with_children),
            );
            let entry = tables
                .by_type
                .entry(accommodation_type(record.accommodation))
                .or_default();
            add(&mut entry.0, 1);
            add(&mut entry.1, i64::from(with_children));
            for born in &record.children {
                add(&mut tables.children, 1);
                let band = match age_on(*born, quarter.end) {
                    0..=4 => 0,
                    5..=10 => 1,
                    11..=15 => 2,
                    _ => 3,
                };
                add(&mut tables.children_by_age[band], 1);
            }
            if !in_district {
                add(&mut tables.out_of_area, 1);
                let region = if record.destination_region.is_empty() {
                    "not known".to_owned()
                } else {
                    record.destination_region.clone()
                };
                add(tables.out_of_area_by_region.entry(region).or_default(), 1);
            }
            if family && record.accommodation == UnitType::BedAndBreakfast {
                add(&mut tables.families_in_bnb, 1);
                // The six weeks count across every B&B of the placement, as the clock does.
                let since = p
                    .stays
                    .iter()
                    .rev()
                    .take_while(|s| s.unit_type == UnitType::BedAndBreakfast)
                    .map(|s| s.from)
                    .last()
                    .unwrap_or(last.from);
                if after_quarter.signed_duration_since(since).num_days() > BNB_LIMIT_DAYS {
                    add(&mut tables.families_in_bnb_over_six_weeks, 1);
                }
            }
        }
        records.push(record);
    }
    records.sort_by(|a, b| a.reference.cmp(&b.reference));
    Return {
        quarter,
        records,
        tables,
        problems,
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "Y" } else { "N" }
}

impl Return {
    /// The household records as CSV, one row each.
    pub fn records_csv(&self) -> String {
        let rows = self.records.iter().map(|r| {
            vec![
                r.reference.clone(),
                r.application_id.clone(),
                r.household_size.to_string(),
                r.children.len().to_string(),
                r.children
                    .iter()
                    .map(|d| format_date(*d))
                    .collect::<Vec<_>>()
                    .join(";"),
                yes_no(r.pregnant).to_owned(),
                accommodation_type(r.accommodation).to_owned(),
                format_date(r.start),
                r.end.map(format_date).unwrap_or_default(),
                yes_no(r.in_district).to_owned(),
                if r.in_district {
                    String::new()
                } else {
                    r.destination.clone()
                },
                r.destination_code.clone(),
                r.destination_region.clone(),
                r.family_bnb_nights.to_string(),
            ]
        });
        csv_table(
            &[
                "placement_reference",
                "household_id",
                "household_size",
                "children",
                "children_dates_of_birth",
                "pregnant",
                "accommodation_type",
                "start_date",
                "end_date",
                "in_district",
                "destination_council",
                "destination_council_code",
                "destination_region",
                "family_bnb_nights_in_quarter",
            ],
            rows,
        )
    }

    /// The aggregate tables, a figure a line: table, line, figure.
    pub fn figures(&self) -> Vec<(String, String, i64)> {
        let t = &self.tables;
        let mut rows = Vec::new();
        let mut line = |table: &str, what: &str, figure: i64| {
            rows.push((table.to_owned(), what.to_owned(), figure))
        };
        line(
            "households in TA at the end of the quarter",
            "all",
            t.households,
        );
        line(
            "households in TA at the end of the quarter",
            "with children",
            t.households_with_children,
        );
        for (kind, (all, children)) in &t.by_type {
            line("by accommodation type", kind, *all);
            line("by accommodation type, with children", kind, *children);
        }
        line(
            "children in TA at the end of the quarter",
            "all",
            t.children,
        );
        for (band, figure) in [
            "aged 0 to 4",
            "aged 5 to 10",
            "aged 11 to 15",
            "aged 16 or 17",
        ]
        .iter()
        .zip(t.children_by_age)
        {
            line("children in TA at the end of the quarter", band, figure);
        }
        line("placed in another district", "all", t.out_of_area);
        for (region, figure) in &t.out_of_area_by_region {
            line("placed in another district, by region", region, *figure);
        }
        line("families in bed and breakfast", "all", t.families_in_bnb);
        line(
            "families in bed and breakfast",
            "over six weeks",
            t.families_in_bnb_over_six_weeks,
        );
        line("placements", "started in the quarter", t.started_in_quarter);
        line("placements", "ended in the quarter", t.ended_in_quarter);
        rows
    }

    /// The aggregate tables as CSV.
    pub fn tables_csv(&self) -> String {
        let rows = self
            .figures()
            .into_iter()
            .map(|(table, line, figure)| vec![table, line, figure.to_string()]);
        csv_table(&["table", "line", "figure"], rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn quarter() -> Period {
        // October to December 2026.
        Period::quarter(2027, 3).unwrap()
    }

    fn stay(from: NaiveDate, to: Option<NaiveDate>, unit_type: UnitType, la: &str) -> Stay {
        Stay {
            from,
            to,
            unit_type,
            local_authority: la.into(),
        }
    }

    fn placement(reference: &str, stays: Vec<Stay>, born: Vec<NaiveDate>) -> Placement {
        Placement {
            reference: reference.into(),
            application_id: Some(format!("app-{reference}")),
            household_size: born.len().max(1) as i32,
            has_children: born.len() > 1,
            pregnant: false,
            dates_of_birth: born,
            start: stays[0].from,
            end: stays.last().and_then(|s| s.to),
            stays,
        }
    }

    #[test]
    fn england_has_296_districts_each_in_a_region() {
        assert_eq!(authorities().len(), 296);
        assert_eq!(authority("bristol, city of").unwrap().region, "South West");
        assert_eq!(
            authority("Westmorland and Furness").unwrap().code,
            "E06000064"
        );
        assert!(authority("Harrogate").is_none());
    }

    #[test]
    fn a_family_moved_between_bed_and_breakfasts_counts_its_six_weeks_across_both() {
        let p = placement(
            "TAP-1",
            vec![
                stay(
                    d(2026, 10, 1),
                    Some(d(2026, 10, 21)),
                    UnitType::BedAndBreakfast,
                    "Home",
                ),
                stay(d(2026, 10, 21), None, UnitType::BedAndBreakfast, "Luton"),
            ],
            vec![d(1990, 1, 1), d(2023, 6, 1), d(2014, 12, 31)],
        );
        let r = build(quarter(), "Home", &[p]);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let record = &r.records[0];
        assert_eq!(record.family_bnb_nights, 92);
        assert_eq!(record.destination_region, "East of England");
        assert_eq!(record.children.len(), 2);
        let t = &r.tables;
        assert_eq!(
            (t.families_in_bnb, t.families_in_bnb_over_six_weeks),
            (1, 1)
        );
        // Aged 3 and 12 on 31 December 2026 (the elder born 31 December 2014).
        assert_eq!(t.children_by_age, [1, 0, 1, 0]);
        assert_eq!(t.out_of_area_by_region.get("East of England"), Some(&1));
    }

    #[test]
    fn a_household_that_left_in_the_quarter_has_a_record_but_is_not_in_the_tables() {
        let p = placement(
            "TAP-2",
            vec![stay(
                d(2026, 9, 1),
                Some(d(2026, 11, 15)),
                UnitType::Hostel,
                "Home",
            )],
            vec![d(1980, 5, 5)],
        );
        let r = build(quarter(), "Home", &[p]);
        assert_eq!(r.records.len(), 1);
        assert_eq!(r.records[0].end, Some(d(2026, 11, 15)));
        assert_eq!(r.tables.households, 0);
        assert_eq!(r.tables.ended_in_quarter, 1);
        assert_eq!(r.tables.started_in_quarter, 0);
    }

    #[test]
    fn what_cannot_be_right_is_named_by_placement_and_field() {
        let mut typed_in = placement(
            "TAP-3",
            vec![stay(
                d(2026, 10, 1),
                None,
                UnitType::PrivateSectorLeased,
                "Atlantis",
            )],
            vec![],
        );
        typed_in.has_children = true;
        let mut backwards = placement(
            "TAP-4",
            vec![stay(d(2026, 10, 5), None, UnitType::Hostel, "Home")],
            vec![d(2027, 2, 1)],
        );
        backwards.end = Some(d(2026, 10, 1));
        let r = build(quarter(), "Home", &[typed_in, backwards]);
        let named: Vec<(&str, &str)> = r
            .problems
            .iter()
            .map(|p| (p.reference.as_str(), p.field))
            .collect();
        assert_eq!(
            named,
            vec![
                ("TAP-3", "children"),
                ("TAP-3", "destination"),
                ("TAP-4", "end_date"),
                ("TAP-4", "date_of_birth"),
            ]
        );
    }

    #[test]
    fn a_placement_outside_the_quarter_or_never_lived_in_has_no_record() {
        let before = placement(
            "TAP-5",
            vec![stay(
                d(2026, 8, 1),
                Some(d(2026, 9, 30)),
                UnitType::Hostel,
                "Home",
            )],
            vec![d(1980, 1, 1)],
        );
        let withdrawn = placement(
            "TAP-6",
            vec![stay(
                d(2026, 11, 1),
                Some(d(2026, 11, 1)),
                UnitType::Hostel,
                "Home",
            )],
            vec![d(1980, 1, 1)],
        );
        let r = build(quarter(), "Home", &[before, withdrawn]);
        assert!(r.records.is_empty());
    }
}
