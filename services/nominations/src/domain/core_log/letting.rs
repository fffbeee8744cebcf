//! What CORE asks about a home and its tenancy that only the landlord knows, reported with
//! the letting in CORE's own codes (docs/core-lettings-2026.md §2.1–2.3 and §2.8).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub postcode: String,
    pub uprn: String,
    /// Field 11 (1 social rent … 7 specified accommodation).
    pub rent_type: u16,
    /// Field 16.
    pub vacancy_reason: u16,
    /// Field 17; not asked of a first let.
    pub previous_let_type: Option<u16>,
    /// Field 26.
    pub unit_type: u16,
    /// Field 27.
    pub building_type: u16,
    /// Fields 33 to 35.
    pub major_repairs_on: Option<NaiveDate>,
    pub joint_tenancy: bool,
    pub starter_tenancy: bool,
    /// Fields 39 to 41.
    pub tenancy_type: u16,
    pub tenancy_other: String,
    pub tenancy_years: Option<u16>,
    /// Field 123 and the charges for one such period, fields 124 to 127.
    pub rent_period: u16,
    pub basic_rent_pence: i64,
    pub service_charge_pence: i64,
    pub personal_service_charge_pence: i64,
    pub support_charge_pence: i64,
    /// Fields 128 and 129, asked when the household receives housing benefit.
    pub rent_shortfall: Option<u16>,
    pub shortfall_pence: Option<i64>,
    pub tenant_code: String,
    pub property_reference: String,
    /// Field 15: the tenant has seen MHCLG's privacy notice.
    pub privacy_notice_seen: bool,
}

/// The codes CORE accepts for each coded detail, to refuse a bad one when it is reported
/// rather than when the log is sent months later.
pub const RENT_TYPES: &[u16] = &[1, 2, 3, 4, 5, 6, 7];
pub const VACANCY_REASONS: &[u16] = &[
    5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
];
/// Reasons that make the letting a first let, when there was no previous let.
pub const FIRST_LET_REASONS: &[u16] = &[15, 16, 17];
pub const PREVIOUS_LET_TYPES: &[u16] = &[1, 2, 3, 5, 6, 7, 8, 9];
pub const UNIT_TYPES: &[u16] = &[1, 2, 4, 6, 7, 8, 9, 10];
pub const BUILDING_TYPES: &[u16] = &[1, 2];
pub const TENANCY_TYPES: &[u16] = &[2, 3, 4, 5, 6, 7, 8];
/// Fixed-term tenancies, which need a length.
pub const FIXED_TERM_TENANCIES: &[u16] = &[4, 6];
pub const TENANCY_OTHER: u16 = 3;
pub const RENT_PERIODS: &[u16] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
pub const SHORTFALL_ANSWERS: &[u16] = &[1, 2, 3];
