//! Units of temporary accommodation and the certificates that let them be offered.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

/// What the council pays the provider for a unit, in pence: by the night for nightly-paid
/// units, else by the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    Nightly(i64),
    Weekly(i64),
}

impl Cost {
    /// The cost of a week, the figure matching and the optimiser compare units by.
    pub fn weekly_pence(self) -> i64 {
        match self {
            Cost::Nightly(night) => night * 7,
            Cost::Weekly(week) => week,
        }
    }

    /// The nightly rate, for a unit paid by the night.
    pub fn nightly_pence(self) -> Option<i64> {
        match self {
            Cost::Nightly(night) => Some(night),
            Cost::Weekly(_) => None,
        }
    }

    /// The cost as an officer reads it.
    pub fn describe(self) -> String {
        let pounds = |pence: i64| pence as f64 / 100.0;
        match self {
            Cost::Nightly(night) => format!(
                "£{:.2} a night (£{:.2} a week) to the council",
                pounds(night),
                pounds(night * 7)
            ),
            Cost::Weekly(week) => format!("£{:.2} a week to the council", pounds(week)),
        }
    }

    /// The cost of `nights`, to the nearest penny.
    pub fn for_nights(self, nights: i64) -> i64 {
        match self {
            Cost::Nightly(night) => night * nights,
            Cost::Weekly(week) => (week * nights * 2 + 7) / 14,
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
                Some(expired) => format!("{} expired on {expired}", kind.describe()),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Cost;

    #[test]
    fn a_week_of_nights_costs_the_weekly_cost_and_parts_round_to_the_penny() {
        assert_eq!(Cost::Weekly(70_000).for_nights(7), 70_000);
        assert_eq!(Cost::Weekly(10_000).for_nights(1), 1_429);
        assert_eq!(Cost::Weekly(10_000).for_nights(3), 4_286);
        assert_eq!(Cost::Weekly(10_000).for_nights(0), 0);
    }

    #[test]
    fn a_unit_paid_by_the_night_costs_its_rate_each_night_and_seven_a_week() {
        assert_eq!(Cost::Nightly(6_500).for_nights(3), 19_500);
        assert_eq!(Cost::Nightly(6_500).weekly_pence(), 45_500);
    }
}
