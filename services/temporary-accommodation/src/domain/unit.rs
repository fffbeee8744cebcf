//! Units of temporary accommodation and the certificates that let them be offered.

use chrono::NaiveDate;
use housing_platform::money::{Overflow, Pence, Range};
use housing_platform::time::long_date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a unit may cost the council a week: up to £25,000. The dearest temporary
/// accommodation councils in England buy (a large family's nightly-paid house in London)
/// costs a few thousand pounds a week; anything more is a slip of the keyboard, and a year
/// of nights at this for every unit in the country sums far inside 64 bits.
pub const WEEKLY_COST: Range = Range::up_to(Pence::pounds(25_000));
/// What a unit paid by the night may cost the council a night: up to £5,000, for the same
/// reasons (the dearest hotel rooms councils book cost a few hundred pounds).
pub const NIGHTLY_RATE: Range = Range::up_to(Pence::pounds(5_000));
/// What a household may be charged a week, in rent or in service charges: no more than a
/// unit may cost.
pub const WEEKLY_CHARGE: Range = WEEKLY_COST;

/// A unit whose stored cost is too large to reckon with. A unit's costs are held to their
/// ranges when it is registered, so only figures stored before that, or corrupted, can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unit {0}'s cost is out of range: correct it before it is paid for or compared")]
pub struct CostOutOfRange(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitType {
    BedAndBreakfast,
    NightlyPaidSelfContained,
    Hostel,
    PrivateSectorLeased,
    SocialHousingStock,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateKind {
    GasSafety,
    Electrical,
    EnergyPerformance,
    HmoLicence,
    FireRiskAssessment,
}

impl CertificateKind {
    pub fn describe(self) -> &'static str {
        match self {
            CertificateKind::GasSafety => "gas safety record",
            CertificateKind::Electrical => "electrical installation condition report",
            CertificateKind::EnergyPerformance => "energy performance certificate",
            CertificateKind::HmoLicence => "HMO licence",
            CertificateKind::FireRiskAssessment => "fire risk assessment",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub kind: CertificateKind,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
}

impl Location {
    /// Great-circle distance in kilometres.
    pub fn km_to(&self, other: &Location) -> f64 {
        let (lat1, lat2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.longitude - self.longitude).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        6371.0 * 2.0 * a.sqrt().asin()
    }
}

/// What the council pays the provider for a unit: by the night for nightly-paid units,
/// else by the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    Nightly(Pence),
    Weekly(Pence),
}

impl Cost {
    /// The cost of a week, the figure the optimiser compares units by.
    pub fn weekly_pence(self) -> Result<Pence, Overflow> {
        match self {
            Cost::Nightly(night) => night.checked_mul(7),
            Cost::Weekly(week) => Ok(week),
        }
    }

    /// The cost of a week for showing and ranking: a stored rate too large to reckon a week
    /// of reads as the most 64 bits hold, so that the unit still shows, and ranks last.
    pub fn weekly_pence_saturating(self) -> Pence {
        self.weekly_pence().unwrap_or(Pence::new(i64::MAX))
    }

    /// The nightly rate, for a unit paid by the night.
    pub fn nightly_pence(self) -> Option<Pence> {
        match self {
            Cost::Nightly(night) => Some(night),
            Cost::Weekly(_) => None,
        }
    }

    /// The cost as an officer reads it.
    pub fn describe(self) -> String {
        match (self, self.weekly_pence()) {
            (Cost::Nightly(night), Ok(week)) => {
                format!("{night} a night ({week} a week) to the council")
            }
            (Cost::Nightly(night), Err(_)) => format!("{night} a night to the council"),
            (Cost::Weekly(week), _) => format!("{week} a week to the council"),
        }
    }

    /// The cost of `nights`, to the nearest penny (half up: a cost is never negative).
    pub fn for_nights(self, nights: i64) -> Result<Pence, Overflow> {
        match self {
            Cost::Nightly(night) => night.checked_mul(nights),
            Cost::Weekly(week) => week.checked_ratio(nights, 7),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub id: uuid::Uuid,
    pub provider_id: uuid::Uuid,
    pub address: String,
    pub local_authority: String,
    pub location: Location,
    pub unit_type: UnitType,
    pub bedrooms: u32,
    pub max_occupancy: u32,
    pub self_contained: bool,
    pub step_free: bool,
    pub wheelchair_accessible: bool,
    pub lift: bool,
    pub cost: Cost,
    pub weekly_rent_pence: i64,
    pub weekly_service_charge_pence: i64,
    pub block_booked: bool,
    pub certificates: Vec<Certificate>,
}

impl Unit {
    /// The certificates the law asks of this unit: gas, electrical and EPC always; a fire
    /// risk assessment where facilities are shared; an HMO licence for a house in multiple
    /// occupation that must be licensed.
    pub fn required_certificates(&self) -> impl Iterator<Item = CertificateKind> + use<> {
        [
            Some(CertificateKind::GasSafety),
            Some(CertificateKind::Electrical),
            Some(CertificateKind::EnergyPerformance),
            (!self.self_contained).then_some(CertificateKind::FireRiskAssessment),
            self.licensable_hmo().then_some(CertificateKind::HmoLicence),
        ]
        .into_iter()
        .flatten()
    }

    /// Shared facilities for five or more people: a house in multiple occupation that must
    /// be licensed (Licensing of Houses in Multiple Occupation (Prescribed Description)
    /// (England) Order 2018).
    pub fn licensable_hmo(&self) -> bool {
        !self.self_contained && self.max_occupancy >= 5
    }

    /// Each required certificate missing (`None`) or lapsed (its expiry) on `on`.
    pub fn certificate_gaps(
        &self,
        on: NaiveDate,
    ) -> impl Iterator<Item = (CertificateKind, Option<NaiveDate>)> + '_ {
        self.required_certificates().filter_map(move |kind| {
            match self.certificates.iter().find(|c| c.kind == kind) {
                None => Some((kind, None)),
                Some(c) if c.expires_on < on => Some((kind, Some(c.expires_on))),
                Some(_) => None,
            }
        })
    }

    /// Why the unit may not be offered on `on`, one reason per missing or lapsed certificate.
    pub fn compliance_problems(&self, on: NaiveDate) -> Vec<String> {
        self.certificate_gaps(on)
            .map(|(kind, expired)| match expired {
                None => format!("no {} on file", kind.describe()),
                Some(expired) => format!("{} expired on {}", kind.describe(), long_date(expired)),
            })
            .collect()
    }
}

/// What an update changed, field by field, as an officer reads it: "bedrooms: 2 → 3".
pub fn describe_changes(before: &Unit, after: &Unit) -> Vec<String> {
    let money = |pence: i64| Pence::new(pence).to_string();
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    let cost = |c: &Cost| match c {
        Cost::Weekly(week) => format!("{week} a week"),
        Cost::Nightly(night) => format!("{night} a night"),
    };
    let fields: [(&str, String, String); 15] = [
        ("address", before.address.clone(), after.address.clone()),
        (
            "district",
            before.local_authority.clone(),
            after.local_authority.clone(),
        ),
        (
            "location",
            format!(
                "{:.5}, {:.5}",
                before.location.latitude, before.location.longitude
            ),
            format!(
                "{:.5}, {:.5}",
                after.location.latitude, after.location.longitude
            ),
        ),
        (
            "type",
            format!("{:?}", before.unit_type),
            format!("{:?}", after.unit_type),
        ),
        (
            "bedrooms",
            before.bedrooms.to_string(),
            after.bedrooms.to_string(),
        ),
        (
            "most people",
            before.max_occupancy.to_string(),
            after.max_occupancy.to_string(),
        ),
        (
            "self-contained",
            yes_no(before.self_contained),
            yes_no(after.self_contained),
        ),
        (
            "step-free",
            yes_no(before.step_free),
            yes_no(after.step_free),
        ),
        (
            "wheelchair accessible",
            yes_no(before.wheelchair_accessible),
            yes_no(after.wheelchair_accessible),
        ),
        ("lift", yes_no(before.lift), yes_no(after.lift)),
        ("cost", cost(&before.cost), cost(&after.cost)),
        (
            "weekly rent",
            money(before.weekly_rent_pence),
            money(after.weekly_rent_pence),
        ),
        (
            "weekly service charge",
            money(before.weekly_service_charge_pence),
            money(after.weekly_service_charge_pence),
        ),
        (
            "block booked",
            yes_no(before.block_booked),
            yes_no(after.block_booked),
        ),
        (
            "provider",
            before.provider_id.to_string(),
            after.provider_id.to_string(),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, was, now)| was != now)
        .map(|(field, was, now)| format!("{field}: {was} → {now}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn weekly(pence: i64) -> Cost {
        Cost::Weekly(Pence::new(pence))
    }

    fn nightly(pence: i64) -> Cost {
        Cost::Nightly(Pence::new(pence))
    }

    fn pence(cost: Result<Pence, Overflow>) -> Result<i64, Overflow> {
        cost.map(Pence::get)
    }

    #[test]
    fn a_week_of_nights_costs_the_weekly_cost_and_parts_round_to_the_penny() {
        assert_eq!(pence(weekly(70_000).for_nights(7)), Ok(70_000));
        assert_eq!(pence(weekly(10_000).for_nights(1)), Ok(1_429));
        assert_eq!(pence(weekly(10_000).for_nights(3)), Ok(4_286));
        assert_eq!(pence(weekly(10_000).for_nights(0)), Ok(0));
    }

    #[test]
    fn a_unit_paid_by_the_night_costs_its_rate_each_night_and_seven_a_week() {
        assert_eq!(pence(nightly(6_500).for_nights(3)), Ok(19_500));
        assert_eq!(pence(nightly(6_500).weekly_pence()), Ok(45_500));
        assert_eq!(
            nightly(650_000).describe(),
            "£6,500.00 a night (£45,500.00 a week) to the council"
        );
    }

    #[test]
    fn a_stored_cost_beyond_reckoning_says_so_rather_than_wrapping() {
        // 2^62 pence a week: what a block-booked unit was once registered at.
        let absurd = weekly(i64::pow(2, 62));
        assert_eq!(pence(absurd.for_nights(7)), Ok(i64::pow(2, 62)));
        assert_eq!(absurd.for_nights(14), Err(Overflow));
        assert_eq!(nightly(i64::pow(2, 62)).weekly_pence(), Err(Overflow));
        assert_eq!(
            nightly(i64::pow(2, 62)).weekly_pence_saturating(),
            Pence::new(i64::MAX)
        );
        assert_eq!(
            nightly(i64::MAX).describe(),
            "£92,233,720,368,547,758.07 a night to the council"
        );
    }

    proptest! {
        #[test]
        fn the_most_a_unit_may_cost_reckons_for_any_period_of_a_century(
            nights in 0i64..36_525,
        ) {
            let reckons = |c: Cost| c.for_nights(nights).is_ok() && c.weekly_pence().is_ok();
            prop_assert!(reckons(Cost::Weekly(WEEKLY_COST.max)));
            prop_assert!(reckons(Cost::Nightly(NIGHTLY_RATE.max)));
        }

        #[test]
        fn any_rate_for_any_nights_is_exact_or_refused(
            rate in 0i64..=i64::MAX,
            nights in 0i64..1_000_000,
        ) {
            let exact = i128::from(rate).checked_mul(i128::from(nights));
            match nightly(rate).for_nights(nights) {
                Ok(p) => prop_assert_eq!(Some(i128::from(p.get())), exact),
                Err(Overflow) => prop_assert!(exact.and_then(|e| i64::try_from(e).ok()).is_none()),
            }
        }
    }
}
