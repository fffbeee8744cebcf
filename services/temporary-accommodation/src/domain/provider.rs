//! Providers and landlords of temporary accommodation: who to call, and on what terms their
//! units are taken.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    BlockBooking,
    SpotPurchase,
    Lease,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub id: Uuid,
    pub kind: AgreementKind,
    pub reference: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub id: Uuid,
    pub name: String,
    pub contact_email: String,
    /// A landlord letting directly, rather than an agent or a hotel.
    pub landlord: bool,
    pub contacts: Vec<Contact>,
    pub agreements: Vec<Agreement>,
}
