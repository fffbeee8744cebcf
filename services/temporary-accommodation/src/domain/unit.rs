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
    pub weekly_cost_pence: i64,
    pub weekly_rent_pence: i64,
    pub weekly_service_charge_pence: i64,
    pub block_booked: bool,
    pub certificates: Vec<Certificate>,
}

impl Unit {
    /// The certificates the law asks of this unit: gas, electrical and EPC always; a fire
    /// risk assessment where facilities are shared.
    pub fn required_certificates(&self) -> Vec<CertificateKind> {
        let mut required = vec![
            CertificateKind::GasSafety,
            CertificateKind::Electrical,
            CertificateKind::EnergyPerformance,
        ];
        if !self.self_contained {
            required.push(CertificateKind::FireRiskAssessment);
        }
        required
    }

    /// Why the unit may not be offered on `on`, one reason per missing or lapsed certificate.
    pub fn compliance_problems(&self, on: NaiveDate) -> Vec<String> {
        self.required_certificates()
            .into_iter()
            .filter_map(
                |kind| match self.certificates.iter().find(|c| c.kind == kind) {
                    None => Some(format!("no {} on file", kind.describe())),
                    Some(c) if c.expires_on < on => {
                        Some(format!("{} expired on {}", kind.describe(), c.expires_on))
                    }
                    Some(_) => None,
                },
            )
            .collect()
    }
}
