//! What a partner is told about a nominated household, and no more: the lead applicant by
//! name, everyone else by relationship and age, the home it needs, and the support needs and
//! risks the applicant agreed to share (UK GDPR: data minimisation, art. 5(1)(c)).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub lead_name: String,
    /// The lead applicant first.
    pub occupants: Vec<Occupant>,
    pub bedrooms_needed: i32,
    pub access: Access,
    pub shared: Shared,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occupant {
    pub relationship: Relationship,
    /// Whole years on the day of the nomination.
    pub age: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    LeadApplicant,
    Partner,
    Child,
    OtherRelative,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Unknown,
    GeneralNeeds,
    StepFree,
    WheelchairPartial,
    WheelchairThroughout,
}

/// Support needs and risks, only ever held with the applicant's agreement to share them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    pub support_needs: Vec<String>,
    pub risks: Vec<String>,
    pub applicant_agreed: bool,
}

/// At most this many support needs, and as many risks.
pub const MAX_SHARED: usize = 20;
/// The longest one support need or risk may be, in characters.
pub const MAX_SHARED_CHARS: usize = 500;

/// A person as the register holds them; only their relationship and age leave it.
pub struct Person<'a> {
    pub relationship: Relationship,
    pub date_of_birth: &'a NaiveDate,
}

/// The household a partner is told of, on the day of nomination `on`.
pub fn for_partner(
    lead_name: String,
    people: &[Person<'_>],
    bedrooms_needed: i32,
    access: Access,
    shared: Shared,
    on: NaiveDate,
) -> Household {
    Household {
        lead_name,
        occupants: people
            .iter()
            .map(|p| Occupant {
                relationship: p.relationship,
                age: on.years_since(*p.date_of_birth).unwrap_or(0),
            })
            .collect(),
        bedrooms_needed,
        access,
        shared,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relationships_and_ages_on_the_day_leave_the_register() {
        let born: NaiveDate = "2016-12-07".parse().unwrap();
        let lead: NaiveDate = "1988-01-01".parse().unwrap();
        let household = for_partner(
            "Ann Bidder".into(),
            &[
                Person {
                    relationship: Relationship::LeadApplicant,
                    date_of_birth: &lead,
                },
                Person {
                    relationship: Relationship::Child,
                    date_of_birth: &born,
                },
            ],
            2,
            Access::StepFree,
            Shared::default(),
            "2026-12-06".parse().unwrap(),
        );
        assert_eq!(
            household.occupants,
            [
                Occupant {
                    relationship: Relationship::LeadApplicant,
                    age: 38
                },
                // Ten tomorrow.
                Occupant {
                    relationship: Relationship::Child,
                    age: 9
                }
            ]
        );
    }
}
