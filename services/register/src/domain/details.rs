//! What the applicant tells the council beyond who is in the household: their home now,
//! local connection, immigration status, money, access needs and what they want. Every
//! answer the assessment needs is checked for on submission.

use serde::{Deserialize, Serialize};

use super::lettings_answers::HouseholdAnswers;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tenure {
    PrivateRented,
    CouncilTenant,
    HousingAssociationTenant,
    OwnerOccupier,
    WithFamilyOrFriends,
    TemporaryAccommodation,
    SupportedHousing,
    NoFixedAbode,
}

/// The lead applicant's immigration status, as the eligibility rules of s.160ZA read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Immigration {
    BritishOrIrishCitizen,
    SettledStatus,
    PreSettledStatusWorker,
    PreSettledStatusNotWorking,
    RefugeeOrHumanitarianProtection,
    SubjectToImmigrationControl,
}

/// Mobility categories, from the most accessible home to general needs. A home of a
/// category meets the need of its own category and every one after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mobility {
    WheelchairThroughout = 1,
    WheelchairPartial = 2,
    StepFree = 3,
    GeneralNeeds = 4,
}

impl Mobility {
    pub fn level(self) -> i16 {
        self as i16
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PropertyType {
    Flat,
    House,
    Bungalow,
    Maisonette,
    Sheltered,
}

impl PropertyType {
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyType::Flat => "flat",
            PropertyType::House => "house",
            PropertyType::Bungalow => "bungalow",
            PropertyType::Maisonette => "maisonette",
            PropertyType::Sheltered => "sheltered",
        }
    }
}

/// The home the household lives in now and the facts that give reasonable preference.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Circumstances {
    /// Bedrooms the household has now (0 when it has none of its own).
    pub current_bedrooms: Option<u32>,
    pub tenure: Option<Tenure>,
    pub address: String,
    pub homeless: bool,
    pub owed_homelessness_duty: bool,
    pub medical_need: bool,
    pub needs_to_move_for_hardship: bool,
    /// Insanitary or otherwise unsatisfactory conditions, e.g. a category 1 hazard.
    pub unsatisfactory_conditions: bool,
    pub owns_a_home: bool,
    pub rent_arrears_pence: i64,
    pub armed_forces: bool,
    /// A senior officer's finding of exceptional circumstances.
    pub exceptional_circumstances: bool,
    /// Looked after by a local authority as a child.
    pub care_leaver: bool,
    /// A victim of domestic abuse.
    pub domestic_abuse: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LocalConnection {
    pub years_resident: Option<u32>,
    pub works_in_area: bool,
    pub close_family_in_area: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Finances {
    pub annual_income_pence: Option<i64>,
    pub savings_pence: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Details {
    pub circumstances: Circumstances,
    pub local_connection: LocalConnection,
    pub immigration: Option<Immigration>,
    pub finances: Finances,
    pub mobility: Option<Mobility>,
    /// Areas the household would live in; empty for anywhere in the district.
    pub areas_wanted: Vec<String>,
    /// Kinds of home the household would take; empty for any.
    pub property_types: Vec<PropertyType>,
    /// What CORE's lettings log asks; none of it bears on the assessment.
    pub household_answers: HouseholdAnswers,
}

impl Details {
    /// The details as a role without the need for equality data is shown them.
    pub fn without_equality_data(&self) -> Self {
        Self {
            household_answers: self.household_answers.without_equality_data(),
            ..self.clone()
        }
    }

    /// These details, keeping the equality answers of `before` they leave unanswered.
    pub fn keeping_equality_data_of(self, before: &Details) -> Self {
        Self {
            household_answers: self
                .household_answers
                .keeping_equality_data_of(&before.household_answers),
            ..self
        }
    }

    /// Where letters reach the household: the address a line each (as given, split at
    /// commas), then the postcode; empty when it has no fixed abode or no address is held,
    /// and letters go care of the council.
    pub fn postal_address(&self, postcode: &str) -> Vec<String> {
        let c = &self.circumstances;
        if c.tenure == Some(Tenure::NoFixedAbode) || c.address.trim().is_empty() {
            return Vec::new();
        }
        let mut lines: Vec<String> = c
            .address
            .split([',', '\n'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let postcode = postcode.trim();
        let already = lines.last().is_some_and(|l| {
            l.to_ascii_uppercase()
                .ends_with(&postcode.to_ascii_uppercase())
        });
        if !postcode.is_empty() && !already {
            lines.push(postcode.to_ascii_uppercase());
        }
        lines
    }

    /// Every answer still missing before the application can be assessed, named as the
    /// API's fields so an officer can ask for exactly those.
    pub fn missing(&self) -> Vec<String> {
        let c = &self.circumstances;
        let checks = [
            (
                "details.circumstances.current_bedrooms",
                c.current_bedrooms.is_none(),
            ),
            ("details.circumstances.tenure", c.tenure.is_none()),
            (
                "details.circumstances.address",
                c.address.trim().is_empty() && c.tenure != Some(Tenure::NoFixedAbode),
            ),
            (
                "details.local_connection.years_resident",
                self.local_connection.years_resident.is_none(),
            ),
            ("details.immigration_status", self.immigration.is_none()),
            (
                "details.finances.annual_income_pence",
                self.finances.annual_income_pence.is_none(),
            ),
            (
                "details.finances.savings_pence",
                self.finances.savings_pence.is_none(),
            ),
            ("details.mobility", self.mobility.is_none()),
        ];
        checks
            .into_iter()
            .filter(|&(_, missing)| missing)
            .map(|(field, _)| field.to_owned())
            .collect()
    }

    pub fn mobility_need(&self) -> Mobility {
        self.mobility.unwrap_or(Mobility::GeneralNeeds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_application_lists_every_missing_answer() {
        let missing = Details::default().missing();
        assert_eq!(missing.len(), 8, "{missing:?}");
        assert!(missing.contains(&"details.immigration_status".to_owned()));
    }

    #[test]
    fn a_postal_address_is_a_line_each_with_the_postcode_last_and_none_for_no_fixed_abode() {
        let mut details = Details::default();
        details.circumstances.address = "Flat 2, 5 Hill Road,\nExample Town".into();
        assert_eq!(
            details.postal_address("n1 1aa"),
            ["Flat 2", "5 Hill Road", "Example Town", "N1 1AA"]
        );
        details.circumstances.address = "5 Hill Road, Example Town N1 1AA".into();
        assert_eq!(
            details.postal_address("N1 1AA"),
            ["5 Hill Road", "Example Town N1 1AA"]
        );
        details.circumstances.tenure = Some(Tenure::NoFixedAbode);
        assert!(details.postal_address("N1 1AA").is_empty());
    }

    #[test]
    fn a_household_with_no_fixed_abode_needs_no_address() {
        let mut details = Details::default();
        details.circumstances.tenure = Some(Tenure::NoFixedAbode);
        assert!(
            !details
                .missing()
                .contains(&"details.circumstances.address".to_owned())
        );
    }

    #[test]
    fn details_stored_before_these_answers_existed_still_read() {
        let old = r#"{"circumstances":{"current_bedrooms":2,"homeless":true}}"#;
        let details: Details = serde_json::from_str(old).unwrap();
        assert_eq!(details.circumstances.current_bedrooms, Some(2));
        assert!(details.immigration.is_none());
    }
}
