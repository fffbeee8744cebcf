//! The household part of a CORE log, taken from the register when the household is
//! nominated and kept in CORE's own codes: the register's answers mean what CORE's questions
//! ask, so coding them once, at nomination, keeps the export a plain copy.
//!
//! Ages and the time on the waiting list depend on the tenancy start, so dates are kept and
//! the figures worked out when the log is built.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A CORE answer code; `None` when the applicant did not answer, which CORE's checks then
/// report as a question to answer.
pub type Code = Option<u16>;

/// Sex registered at birth, written as CORE's letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SexAtBirth {
    Female,
    Male,
    PrefersNotToSay,
}

impl SexAtBirth {
    pub fn code(self) -> &'static str {
        match self {
            Self::Female => "F",
            Self::Male => "M",
            Self::PrefersNotToSay => "R",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The lead applicant's partner (CORE asks only that of persons 2 to 8).
    pub partner: bool,
    pub born: NaiveDate,
    pub sex_at_birth: Option<SexAtBirth>,
    /// Fields 130 onwards: 1 same as sex registered at birth, 2 different, 3 not said.
    pub gender_same_as_sex: Code,
    pub gender_description: String,
    /// Fields 46, 50, …: the working situation code.
    pub working: Code,
    /// Field 44 (asked of the lead tenant only).
    pub ethnic: Code,
    /// Field 45: ISO 3166-1 numeric, 0 when the person prefers not to say.
    pub nationality: Code,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    /// Fields 75, 76, 77.
    pub armed_forces: Code,
    pub armed_forces_service: Code,
    pub injured_in_service: Code,
    /// Field 78.
    pub pregnancy: Code,
    /// The fields among 79 to 84 that are ticked.
    pub access_needs: Vec<usize>,
    /// Field 85 and the ticked fields among 86 to 95.
    pub health_condition: Code,
    pub health_effects: Vec<usize>,
    /// Field 96.
    pub time_in_area: Code,
    /// Fields 98 and 99.
    pub reason_for_leaving: Code,
    pub reason_for_leaving_other: String,
    /// Field 100: where the household lived immediately before.
    pub previous_tenure: Code,
    /// Field 101: assessed by the council as homeless.
    pub homeless: bool,
    /// Fields 102 to 104; `None` when not known.
    pub last_settled_postcode: Option<String>,
    /// The ticked fields among 107 to 110; empty for no reasonable preference.
    pub reasonable_preference: Vec<usize>,
    /// Leaving a council tenancy for another council home: CORE's internal transfer.
    pub council_tenant: bool,
    /// Fields 117 to 121.
    pub income_known: Code,
    pub income_frequency: Code,
    pub net_income_pence: Option<i64>,
    pub housing_benefit: Code,
    pub benefit_share: Code,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    /// The lead applicant first. CORE records eight people; the ninth onwards are counted by
    /// no field, so they are not kept.
    pub people: Vec<Person>,
    /// The day the application joined the register, for the time on the waiting list.
    pub registered_on: NaiveDate,
    pub answers: Answers,
}

/// People CORE records in one log.
pub const MAX_PEOPLE: usize = 8;
