//! Matching a household to units: hard constraints exclude, then a suitability score ranks
//! what is left (lower is better). Every exclusion and every score part says why.

use chrono::NaiveDate;
use housing_platform::time::long_date;
use housing_platform::words::count;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::unit::{Location, Unit, UnitType};

/// What the household needs, from its placement request.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub household_size: u32,
    pub bedrooms_needed: u32,
    pub has_children: bool,
    pub pregnant: bool,
    pub needs_step_free: bool,
    /// Cannot manage stairs: a lift or step-free access will do.
    pub needs_lift: bool,
    pub needs_wheelchair_access: bool,
    /// Weekly income in pence, when known.
    pub weekly_income_pence: Option<i64>,
    pub anchors: Vec<Anchor>,
}

/// A place the household's life is tied to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    pub kind: Option<AnchorKind>,
    pub location: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorKind {
    School,
    Work,
    Care,
    MedicalSupport,
}

impl AnchorKind {
    pub fn describe(self) -> &'static str {
        match self {
            AnchorKind::School => "school",
            AnchorKind::Work => "work",
            AnchorKind::Care => "care",
            AnchorKind::MedicalSupport => "medical support",
        }
    }
}

impl Need {
    /// Children or a pregnant member: the household B&B is unsuitable for beyond six weeks.
    pub fn is_family(&self) -> bool {
        self.has_children || self.pregnant
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScorePart {
    pub name: &'static str,
    pub value: f64,
    pub explanation: String,
}

/// A unit that passed, with its score; [`score_parts`] explains it for those shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<'a> {
    pub unit: &'a Unit,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Excluded<'a> {
    pub unit: &'a Unit,
    pub reasons: Vec<String>,
}

/// Scoring weights, in points: a pound a week of cost is one point.
const POINTS_PER_KM: f64 = 10.0;
const POINTS_OUT_OF_DISTRICT: f64 = 150.0;
const POINTS_PER_SPARE_BEDROOM: f64 = 40.0;
/// Each pound a week the household pays beyond a third of its income.
const POINTS_PER_UNAFFORDABLE_POUND: f64 = 2.0;

/// Ranks `units` (those not occupied) for `need` on `on`; `home_authority` is the district.
pub fn rank<'a>(
    need: &Need,
    units: &'a [Unit],
    on: NaiveDate,
    home_authority: &str,
) -> (Vec<Ranked<'a>>, Vec<Excluded<'a>>) {
    let mut passing = Vec::new();
    let mut excluded = Vec::new();
    for unit in units {
        if fits(need, unit, on) {
            passing.push(unit);
        } else {
            let reasons = hard_constraints(need, unit, on);
            excluded.push(Excluded { unit, reasons });
        }
    }

    // Bed and breakfast is for a family only when nothing else will do.
    if need.is_family()
        && passing
            .iter()
            .any(|u| u.unit_type != UnitType::BedAndBreakfast)
    {
        let (bnb, other): (Vec<&Unit>, Vec<&Unit>) = passing
            .into_iter()
            .partition(|u| u.unit_type == UnitType::BedAndBreakfast);
        passing = other;
        excluded.extend(bnb.into_iter().map(|unit| Excluded {
            unit,
            reasons: vec![BNB_FOR_A_FAMILY.into()],
        }));
    }

    let mut ranked: Vec<Ranked> = passing
        .into_iter()
        .map(|unit| Ranked {
            unit,
            score: score(need, unit, home_authority),
        })
        .collect();
    ranked.sort_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then_with(|| a.unit.id.cmp(&b.unit.id))
    });
    (ranked, excluded)
}

const BNB_FOR_A_FAMILY: &str =
    "bed and breakfast is unsuitable for a family while other units are available";

/// Where one unit stands for a household: its place in [`rank`] (1 is best), of how many.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub rank: usize,
    pub of: usize,
    pub score: f64,
}

/// Where `unit` would stand in [`rank`] of `others` and `unit` together, or why it may not
/// house `need`. A placement needs only this, so nothing is sorted and no other unit's
/// exclusion is spelt out: one pass over the stock, for every placement made. `others` are
/// scanned for the same `home_authority`.
pub fn standing<'a>(
    need: &Need,
    unit: &Unit,
    others: impl IntoIterator<Item = &'a Scan>,
    on: NaiveDate,
    home_authority: &str,
) -> Result<Standing, Vec<String>> {
    let scan = Scan::of(unit, home_authority);
    if !scan.fits(need, on) {
        return Err(hard_constraints(need, unit, on));
    }
    let key = (scan.score(need), unit.id);
    let ahead = |other: &Scan| {
        let theirs = (other.score(need), other.id);
        theirs.0.total_cmp(&key.0).then(theirs.1.cmp(&key.1)) == std::cmp::Ordering::Less
    };
    // Passing units, and those ahead of `unit`, counted apart for bed and breakfast and
    // the rest, as [`rank`] may set bed and breakfast aside for a family.
    let (mut bnb, mut bnb_ahead, mut other, mut other_ahead) = (0_usize, 0_usize, 0_usize, 0_usize);
    for u in others.into_iter().filter(|u| u.fits(need, on)) {
        let is_ahead = usize::from(ahead(u));
        if u.bed_and_breakfast {
            bnb = bnb.saturating_add(1);
            bnb_ahead = bnb_ahead.saturating_add(is_ahead);
        } else {
            other = other.saturating_add(1);
            other_ahead = other_ahead.saturating_add(is_ahead);
        }
    }
    let is_bnb = unit.unit_type == UnitType::BedAndBreakfast;
    // `unit` itself is the one more counted in each.
    if need.is_family() && (other > 0 || !is_bnb) {
        if is_bnb {
            return Err(vec![BNB_FOR_A_FAMILY.into()]);
        }
        return Ok(Standing {
            rank: other_ahead.saturating_add(1),
            of: other.saturating_add(1),
            score: key.0,
        });
    }
    Ok(Standing {
        rank: bnb_ahead.saturating_add(other_ahead).saturating_add(1),
        of: bnb.saturating_add(other).saturating_add(1),
        score: key.0,
    })
}

/// One way a unit falls short of what a household needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shortfall {
    Bedrooms,
    Occupancy,
    StepFree,
    Lift,
    Wheelchair,
    Certificates,
}

/// What the hard constraints and the score read of a unit, worked out once when the stock
/// is read. A placement weighs its unit against every other vacant unit; reading each one's
/// certificates and strings afresh for every placement took a tenth of a service's time
/// under load.
#[derive(Debug, Clone)]
pub struct Scan {
    pub id: Uuid,
    bed_and_breakfast: bool,
    bedrooms: u32,
    max_occupancy: u32,
    step_free: bool,
    lift: bool,
    wheelchair_accessible: bool,
    /// The last day every certificate the law asks of the unit is in date; `None` when one
    /// is not on file.
    certified_through: Option<NaiveDate>,
    location: Location,
    /// What the council pays a week, in pounds.
    weekly_cost_pounds: f64,
    /// What the household pays a week, as [`charge`] gives it.
    charge: f64,
    /// In `home_authority`'s district, for which the scan was made.
    in_district: bool,
}

impl Scan {
    /// `unit` as scanned for placements by `home_authority`.
    pub fn of(unit: &Unit, home_authority: &str) -> Self {
        // The first certificate on file of each kind, as `Unit::certificate_gaps` reads them.
        let certified_through = unit
            .required_certificates()
            .map(|kind| {
                unit.certificates
                    .iter()
                    .find(|c| c.kind == kind)
                    .map(|c| c.expires_on)
            })
            .try_fold(NaiveDate::MAX, |through, expires| {
                expires.map(|e| through.min(e))
            });
        Self {
            id: unit.id,
            bed_and_breakfast: unit.unit_type == UnitType::BedAndBreakfast,
            bedrooms: unit.bedrooms,
            max_occupancy: unit.max_occupancy,
            step_free: unit.step_free,
            lift: unit.lift,
            wheelchair_accessible: unit.wheelchair_accessible,
            certified_through,
            location: unit.location,
            weekly_cost_pounds: unit.cost.weekly_pence_saturating().get() as f64 / 100.0,
            charge: charge(unit),
            in_district: unit.local_authority == home_authority,
        }
    }

    /// Every shortfall of the unit for `need` on `on`, the one statement of the hard
    /// constraints.
    fn shortfalls(&self, need: &Need, on: NaiveDate) -> impl Iterator<Item = Shortfall> {
        [
            (self.bedrooms < need.bedrooms_needed).then_some(Shortfall::Bedrooms),
            (self.max_occupancy < need.household_size).then_some(Shortfall::Occupancy),
            (need.needs_step_free && !self.step_free).then_some(Shortfall::StepFree),
            (need.needs_lift && !self.lift && !self.step_free).then_some(Shortfall::Lift),
            (need.needs_wheelchair_access && !self.wheelchair_accessible)
                .then_some(Shortfall::Wheelchair),
            self.certified_through
                .is_none_or(|through| through < on)
                .then_some(Shortfall::Certificates),
        ]
        .into_iter()
        .flatten()
    }

    /// Whether the unit may house `need` on `on`, without spelling out why not.
    pub fn fits(&self, need: &Need, on: NaiveDate) -> bool {
        self.shortfalls(need, on).next().is_none()
    }

    pub fn score(&self, need: &Need) -> f64 {
        let mut total = 0.0;
        self.score_terms(need, |_, value| total += value);
        total
    }

    /// The score of the unit for `need`, each term (lower is better) handed to `term` in
    /// turn: the one statement of how units are scored. Handed over rather than listed, as
    /// every placement scores the whole vacant stock.
    fn score_terms(&self, need: &Need, mut term: impl FnMut(&'static str, f64)) {
        term("cost", self.weekly_cost_pounds);
        if !need.anchors.is_empty() {
            term("distance", mean_km(need, &self.location) * POINTS_PER_KM);
        }
        if let Some(income) = need.weekly_income_pence {
            let beyond_a_third = (self.charge - a_third(income)).max(0.0);
            term(
                "affordability",
                beyond_a_third / 100.0 * POINTS_PER_UNAFFORDABLE_POUND,
            );
        }
        if !self.in_district {
            term("out_of_district", POINTS_OUT_OF_DISTRICT);
        }
        let spare = self.bedrooms.saturating_sub(need.bedrooms_needed);
        if spare > 0 {
            term(
                "spare_bedrooms",
                f64::from(spare) * POINTS_PER_SPARE_BEDROOM,
            );
        }
    }
}

/// Whether `unit` may house `need` on `on`, without spelling out why not.
pub fn fits(need: &Need, unit: &Unit, on: NaiveDate) -> bool {
    // Where the unit is has no bearing on whether it may be offered.
    Scan::of(unit, &unit.local_authority).fits(need, on)
}

/// Why `unit` may not house `need` on `on`; empty when it may.
pub fn hard_constraints(need: &Need, unit: &Unit, on: NaiveDate) -> Vec<String> {
    let mut reasons = Vec::new();
    for shortfall in Scan::of(unit, &unit.local_authority).shortfalls(need, on) {
        match shortfall {
            Shortfall::Bedrooms => reasons.push(format!(
                "{}; the household needs {}",
                count(unit.bedrooms, "bedroom"),
                need.bedrooms_needed
            )),
            Shortfall::Occupancy => reasons.push(format!(
                "sleeps {}; the household is {}",
                unit.max_occupancy, need.household_size
            )),
            Shortfall::StepFree => reasons.push("not step-free".into()),
            Shortfall::Lift => reasons.push("stairs with no lift".into()),
            Shortfall::Wheelchair => reasons.push("not wheelchair accessible".into()),
            Shortfall::Certificates => reasons.extend(unit.compliance_problems(on)),
        }
    }
    reasons
}

/// How `unit`, which passed the hard constraints, meets each for `need`: the other half of
/// the explanation of a unit that is offered.
pub fn constraints_met(need: &Need, unit: &Unit) -> Vec<String> {
    let mut met = vec![
        format!(
            "{}; the household needs {}",
            count(unit.bedrooms, "bedroom"),
            need.bedrooms_needed
        ),
        format!(
            "sleeps {}; the household is {}",
            unit.max_occupancy, need.household_size
        ),
    ];
    if need.needs_step_free {
        met.push("step-free".into());
    }
    if need.needs_lift {
        met.push(if unit.lift { "a lift" } else { "step-free" }.into());
    }
    if need.needs_wheelchair_access {
        met.push("wheelchair accessible".into());
    }
    for kind in unit.required_certificates() {
        if let Some(c) = unit.certificates.iter().find(|c| c.kind == kind) {
            met.push(format!(
                "{} valid until {}",
                kind.describe(),
                long_date(c.expires_on)
            ));
        }
    }
    if need.is_family() && unit.unit_type == UnitType::BedAndBreakfast {
        met.push("bed and breakfast for a family: no other unit is available".into());
    }
    met
}

/// What the household pays a week in pence: rent and service charge. A float, as scores
/// are: it cannot overflow whatever a unit has stored.
fn charge(unit: &Unit) -> f64 {
    unit.weekly_rent_pence as f64 + unit.weekly_service_charge_pence as f64
}

/// How far `location` is from the household's anchors, on average; only for a household
/// with anchors.
fn mean_km(need: &Need, location: &Location) -> f64 {
    need.anchors
        .iter()
        .map(|a| a.location.km_to(location))
        .sum::<f64>()
        / need.anchors.len() as f64
}

/// A third of a weekly income in whole pence, the most a household should pay.
fn a_third(income_pence: i64) -> f64 {
    (income_pence / 3) as f64
}

pub fn score(need: &Need, unit: &Unit, home_authority: &str) -> f64 {
    Scan::of(unit, home_authority).score(need)
}

/// The score of `unit` for `need`, each part explained: for the units an officer is shown.
pub fn score_parts(need: &Need, unit: &Unit, home_authority: &str) -> Vec<ScorePart> {
    let mut parts = Vec::new();
    Scan::of(unit, home_authority).score_terms(need, |name, value| {
        parts.push(ScorePart {
            name,
            value,
            explanation: explain(name, need, unit, home_authority),
        });
    });
    parts
}

fn explain(term: &str, need: &Need, unit: &Unit, home_authority: &str) -> String {
    match term {
        "cost" => unit.cost.describe(),
        "distance" => {
            let each: Vec<String> = need
                .anchors
                .iter()
                .map(|a| {
                    let what = a.kind.map_or("an anchor", AnchorKind::describe);
                    format!("{:.1} km from {what}", a.location.km_to(&unit.location))
                })
                .collect();
            format!(
                "{:.1} km on average: {}",
                mean_km(need, &unit.location),
                each.join(", ")
            )
        }
        "affordability" => {
            let income = need.weekly_income_pence.unwrap_or(1);
            format!(
                "£{:.2} a week in rent and service charge is {:.0}% of the household's income{}",
                charge(unit) / 100.0,
                charge(unit) * 100.0 / income as f64,
                if charge(unit) > a_third(income) {
                    ", more than a third"
                } else {
                    ""
                }
            )
        }
        "out_of_district" => format!("in {}, outside {home_authority}", unit.local_authority),
        _ => format!(
            "{} bedroom(s) more than the household needs",
            unit.bedrooms.saturating_sub(need.bedrooms_needed)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::unit::{Certificate, CertificateKind, Cost};
    use housing_platform::money::Pence;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn unit(bedrooms: u32, unit_type: UnitType, cost: i64) -> Unit {
        let cert = |kind| Certificate {
            kind,
            issued_on: NaiveDate::from_ymd_opt(2026, 10, 24).unwrap(),
            expires_on: NaiveDate::from_ymd_opt(2027, 9, 19).unwrap(),
        };
        Unit {
            id: uuid::Uuid::now_v7(),
            provider_id: uuid::Uuid::nil(),
            address: "1 High St".into(),
            local_authority: "Home".into(),
            location: Location {
                latitude: 51.5,
                longitude: -0.1,
            },
            unit_type,
            bedrooms,
            max_occupancy: bedrooms.saturating_mul(2),
            self_contained: true,
            step_free: false,
            wheelchair_accessible: false,
            lift: false,
            cost: Cost::Weekly(Pence::new(cost)),
            weekly_rent_pence: cost / 2,
            weekly_service_charge_pence: 0,
            block_booked: false,
            certificates: vec![
                cert(CertificateKind::GasSafety),
                cert(CertificateKind::Electrical),
                cert(CertificateKind::EnergyPerformance),
            ],
        }
    }

    fn family(bedrooms: u32) -> Need {
        Need {
            household_size: 4,
            bedrooms_needed: bedrooms,
            has_children: true,
            pregnant: false,
            needs_step_free: false,
            needs_lift: false,
            needs_wheelchair_access: false,
            weekly_income_pence: None,
            anchors: vec![],
        }
    }

    #[test]
    fn a_unit_too_small_is_excluded_with_the_reason() {
        let units = [unit(2, UnitType::PrivateSectorLeased, 30000)];
        let (ranked, excluded) = rank(&family(3), &units, today(), "Home");
        assert!(ranked.is_empty());
        assert_eq!(
            excluded[0].reasons,
            vec!["2 bedrooms; the household needs 3"]
        );
    }

    #[test]
    fn an_expired_gas_certificate_keeps_a_unit_from_being_offered() {
        let mut u = unit(3, UnitType::PrivateSectorLeased, 30000);
        u.certificates[0].expires_on = today().pred_opt().unwrap();
        let units = [u];
        let (ranked, excluded) = rank(&family(3), &units, today(), "Home");
        assert!(ranked.is_empty());
        assert_eq!(
            excluded[0].reasons,
            vec!["gas safety record expired on 22 November 2026"]
        );
    }

    /// A scan summarises a unit's certificates as the last day all are in date; it must pass
    /// and fail exactly the units whose certificates the officer is told are missing or
    /// lapsed, whatever the kinds, their order, and a second certificate of one kind.
    #[test]
    fn a_scan_passes_exactly_the_units_with_their_certificates_in_date() {
        let day = |offset: i64| today() + chrono::Duration::days(offset);
        let mut units = Vec::new();
        for expiries in [[30, 30, 30], [0, 30, 30], [30, -1, 30], [30, 30, -400]] {
            let mut u = unit(2, UnitType::PrivateSectorLeased, 30000);
            for (c, days) in u.certificates.iter_mut().zip(expiries) {
                c.expires_on = day(days);
            }
            units.push(u);
        }
        let mut missing = unit(2, UnitType::PrivateSectorLeased, 30000);
        missing.certificates.remove(1);
        units.push(missing);
        // The first of two gas safety records is the one read, lapsed or not.
        for first in [-1, 30] {
            let mut twice = unit(2, UnitType::PrivateSectorLeased, 30000);
            twice.certificates.insert(
                0,
                Certificate {
                    kind: CertificateKind::GasSafety,
                    issued_on: day(-400),
                    expires_on: day(first),
                },
            );
            twice.certificates[1].expires_on = day(-first);
            units.push(twice);
        }
        // Shared facilities for five or more ask a fire risk assessment and an HMO licence.
        let mut hmo = unit(3, UnitType::Hostel, 30000);
        hmo.self_contained = false;
        units.push(hmo);

        let passing: Vec<bool> = units.iter().map(|u| fits(&family(2), u, today())).collect();
        assert_eq!(
            passing,
            [true, true, false, false, false, false, true, false]
        );
        for u in &units {
            assert_eq!(
                fits(&family(2), u, today()),
                hard_constraints(&family(2), u, today()).is_empty(),
                "{:?}",
                u.certificates
            );
        }
    }

    #[test]
    fn a_household_that_cannot_manage_stairs_gets_a_lift_or_step_free_access() {
        let mut need = family(2);
        need.needs_lift = true;
        let stairs = unit(2, UnitType::PrivateSectorLeased, 30000);
        let mut lift = stairs.clone();
        lift.lift = true;
        let mut level = stairs.clone();
        level.step_free = true;
        assert_eq!(
            hard_constraints(&need, &stairs, today()),
            vec!["stairs with no lift"]
        );
        assert!(constraints_met(&need, &lift).contains(&"a lift".to_owned()));
        assert!(constraints_met(&need, &level).contains(&"step-free".to_owned()));
        assert!(fits(&need, &lift, today()) && fits(&need, &level, today()));
    }

    #[test]
    fn shared_housing_for_five_or_more_needs_an_hmo_licence_and_a_fire_risk_assessment() {
        let mut u = unit(3, UnitType::Hostel, 30000);
        u.self_contained = false;
        let units = [u];
        let (ranked, excluded) = rank(&family(3), &units, today(), "Home");
        assert!(ranked.is_empty());
        assert_eq!(
            excluded[0].reasons,
            vec!["no fire risk assessment on file", "no HMO licence on file"]
        );
    }

    #[test]
    fn bed_and_breakfast_is_excluded_for_a_family_unless_nothing_else_is_available() {
        let units = [
            unit(3, UnitType::BedAndBreakfast, 10000),
            unit(3, UnitType::PrivateSectorLeased, 40000),
        ];
        let (ranked, excluded) = rank(&family(3), &units, today(), "Home");
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].unit.unit_type, UnitType::PrivateSectorLeased);
        assert!(excluded[0].reasons[0].contains("bed and breakfast"));

        let only_bnb = [unit(3, UnitType::BedAndBreakfast, 10000)];
        assert_eq!(rank(&family(3), &only_bnb, today(), "Home").0.len(), 1);
    }

    #[test]
    fn a_unit_costing_the_household_more_than_a_third_of_its_income_scores_worse() {
        let mut need = family(3);
        need.weekly_income_pence = Some(45_000);
        let units = [
            unit(3, UnitType::PrivateSectorLeased, 30_000),
            unit(3, UnitType::PrivateSectorLeased, 34_000),
        ];
        let (ranked, _) = rank(&need, &units, today(), "Home");
        let affordability = |r: &Ranked| {
            score_parts(&need, r.unit, "Home")
                .into_iter()
                .find(|p| p.name == "affordability")
                .unwrap()
        };
        // Rent is half the cost: £150 is a third of £450, £170 is £20 beyond it.
        assert_eq!(affordability(&ranked[0]).value, 0.0);
        assert_eq!(affordability(&ranked[1]).value, 40.0);
        assert_eq!(
            affordability(&ranked[1]).explanation,
            "£170.00 a week in rent and service charge is 38% of the household's income, more than a third"
        );
    }

    #[test]
    fn cheaper_in_district_units_rank_first_and_explain_their_score() {
        let mut far = unit(3, UnitType::PrivateSectorLeased, 30000);
        far.local_authority = "Elsewhere".into();
        let near = unit(3, UnitType::PrivateSectorLeased, 35000);
        let units = [far, near];
        let (ranked, _) = rank(&family(3), &units, today(), "Home");
        assert_eq!(ranked[0].unit.local_authority, "Home");
        assert!(
            score_parts(&family(3), ranked[1].unit, "Home")
                .iter()
                .any(|p| p.name == "out_of_district")
        );
        assert_eq!(ranked[0].score, 350.0);
    }

    #[test]
    fn a_units_standing_is_its_place_in_the_full_ranking() {
        let mut units = Vec::new();
        for (i, unit_type) in [
            UnitType::BedAndBreakfast,
            UnitType::PrivateSectorLeased,
            UnitType::Hostel,
            UnitType::PrivateSectorLeased,
        ]
        .into_iter()
        .cycle()
        .take(24)
        .enumerate()
        {
            let i = i as u32;
            let mut u = unit(1 + i % 4, unit_type, 20_000 + i64::from(i % 5) * 1_000);
            if i.is_multiple_of(7) {
                u.local_authority = "Elsewhere".into();
            }
            units.push(u);
        }
        let mut single = family(1);
        single.has_children = false;
        let only_bnb = [
            unit(2, UnitType::BedAndBreakfast, 10_000),
            unit(2, UnitType::BedAndBreakfast, 9_000),
        ];
        for (need, units) in [
            (family(2), &units[..]),
            (family(3), &units[..]),
            (single, &units[..]),
            (family(2), &only_bnb[..]),
        ] {
            let (ranked, excluded) = rank(&need, units, today(), "Home");
            let scans: Vec<Scan> = units.iter().map(|u| Scan::of(u, "Home")).collect();
            for u in units {
                let others = scans.iter().filter(|o| o.id != u.id);
                let standing = standing(&need, u, others, today(), "Home");
                match ranked.iter().position(|r| r.unit.id == u.id) {
                    Some(at) => assert_eq!(
                        standing,
                        Ok(Standing {
                            rank: at + 1,
                            of: ranked.len(),
                            score: ranked[at].score,
                        })
                    ),
                    None => {
                        let why = excluded.iter().find(|e| e.unit.id == u.id).unwrap();
                        assert_eq!(standing, Err(why.reasons.clone()));
                    }
                }
            }
        }
    }
}
