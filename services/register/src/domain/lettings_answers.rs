//! What the government's CORE lettings log asks of a household that the register's own
//! assessment does not need. The meaning of every answer is CORE's
//! (services/nominations/docs/core-lettings-2026.md, sections 2.4 to 2.7). The applicant may
//! leave any of them unanswered (`None`), and an answer that only makes sense after another
//! one lives inside it, so "how long since they left" cannot exist without a regular's link
//! to the armed forces.
//!
//! Some answers are equality data (protected characteristics under the Equality Act 2010):
//! only the roles that monitor equality or build statutory returns read them, and
//! [`PersonAnswers::without_equality_data`] and [`HouseholdAnswers::without_equality_data`]
//! are what everyone else is shown.

use serde::{Deserialize, Serialize};

/// The longest gender description CORE takes, in characters.
pub const GENDER_DESCRIPTION_MAX: usize = 100;
/// The longest "other" reason for leaving CORE takes, in characters.
pub const REASON_FOR_LEAVING_OTHER_MAX: usize = 200;
/// £100,000,000, far above any household's income: a figure beyond it is a typing mistake.
pub const NET_INCOME_MAX_PENCE: i64 = 10_000_000_000;
/// Whether a caller is shown equality data: the roles that monitor equality and make the
/// statutory returns are; every other reader of an application is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EqualityData {
    Shown,
    Withheld,
}

/// The people CORE asks about as children, working situation "child under 16".
pub const CHILD_AGE_BELOW: u32 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SexRegisteredAtBirth {
    Female,
    Male,
    PrefersNotToSay,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GenderIdentity {
    SameAsSexRegisteredAtBirth,
    /// In the person's own words.
    Different {
        description: String,
    },
    PrefersNotToSay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkingSituation {
    FullTime,
    PartTime,
    FullTimeStudent,
    GovernmentTraining,
    Jobseeker,
    NotSeekingWork,
    UnableToWork,
    Retired,
    ChildUnder16,
    Other,
    PrefersNotToSay,
}

/// The 2021 census categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EthnicBackground {
    WhiteBritish,
    WhiteIrish,
    WhiteGypsyOrIrishTraveller,
    WhiteRoma,
    WhiteOther,
    MixedWhiteAndBlackCaribbean,
    MixedWhiteAndBlackAfrican,
    MixedWhiteAndAsian,
    MixedOther,
    AsianBangladeshi,
    AsianChinese,
    AsianIndian,
    AsianPakistani,
    AsianOther,
    BlackAfrican,
    BlackCaribbean,
    BlackOther,
    Arab,
    Other,
    PrefersNotToSay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nationality {
    /// ISO 3166-1 numeric, 1 to 999 (826 is the United Kingdom).
    Country(u16),
    PrefersNotToSay,
}

/// A yes-or-no answer the applicant may decline or not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    PrefersNotToSay,
    DontKnow,
}

/// Anyone in the household's link to the UK armed forces; CORE's follow-up questions are
/// asked only of regulars (still serving) and of regulars and reserves (injured).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArmedForces {
    Regular {
        service: Option<ArmedForcesService>,
        injured: Option<Answer>,
    },
    Reserve {
        injured: Option<Answer>,
    },
    /// The spouse or civil partner of a member, bereaved or separated within two years.
    BereavedOrSeparatedPartner,
    None,
    PrefersNotToSay,
    DontKnow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArmedForcesService {
    StillServing,
    #[serde(rename = "left_within_5_years")]
    LeftWithin5Years,
    #[serde(rename = "left_over_5_years")]
    LeftOver5Years,
    PrefersNotToSay,
}

/// Anyone with a physical or mental health condition expected to last 12 months or more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthCondition {
    /// How it affects them, each at most once; empty when not said.
    Yes {
        effects: Vec<HealthEffect>,
    },
    No,
    PrefersNotToSay,
    DontKnow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthEffect {
    Dexterity,
    LearningOrConcentrating,
    Hearing,
    Memory,
    MentalHealth,
    Mobility,
    SocialOrBehavioural,
    StaminaBreathingOrFatigue,
    Vision,
    Other,
}

/// Whether the household's combined income after tax is known, and if so what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetIncome {
    Known {
        pence: i64,
        frequency: IncomeFrequency,
    },
    No,
    PrefersNotToSay,
    DontKnow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeFrequency {
    Weekly,
    Monthly,
    Yearly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HousingBenefit {
    HousingBenefit,
    UniversalCreditHousingElement,
    Neither,
    DontKnow,
    PrefersNotToSay,
}

/// How much of the household's income is from Universal Credit, state pensions or benefits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenefitShare {
    All,
    Some,
    None,
    DontKnow,
}

/// The main reason the household left its last settled home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeavingReason {
    Listed(ReasonForLeaving),
    /// None of CORE's, in the applicant's words.
    Other(String),
}

/// CORE's 2026 list of reasons for leaving the last settled home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonForLeaving {
    TenancyEndedNoFault,
    EvictedAntiSocialBehaviour,
    EvictedRentArrears,
    EvictedOther,
    PermanentlyDecanted,
    Refugee,
    DischargedFromPrison,
    DischargedFromHospital,
    LossOfTiedAccommodation,
    LeavingCare,
    AskedToLeaveByFamilyOrFriends,
    RelationshipBreakdown,
    DeathOfHouseholdMember,
    NearerFamilyFriendsOrSchool,
    NearerWork,
    DomesticAbuseJointTenancy,
    DomesticAbuseOther,
    NonDomesticViolence,
    Cuckooing,
    RacialHarassment,
    HateCrime,
    ProblemsWithNeighbours,
    Repossession,
    Unaffordable,
    Overcrowding,
    IllHealthOrDisability,
    PoorCondition,
    UnderOccupationWithIncentive,
    UnderOccupationNoIncentive,
    ToSupportedAccommodation,
    ToIndependentAccommodation,
    PrefersNotToSay,
    DontKnow,
}

/// How long the household has lived in the council's area without a break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeInArea {
    #[serde(rename = "less_than_1_year")]
    LessThan1Year,
    #[serde(rename = "1_to_2_years")]
    Years1To2,
    #[serde(rename = "2_to_3_years")]
    Years2To3,
    #[serde(rename = "3_to_4_years")]
    Years3To4,
    #[serde(rename = "4_to_5_years")]
    Years4To5,
    #[serde(rename = "5_to_10_years")]
    Years5To10,
    #[serde(rename = "10_years_or_more")]
    Years10OrMore,
    DontKnow,
    /// Moving into the area with the letting.
    NotInArea,
}

/// CORE's questions of each person in the household.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonAnswers {
    pub sex_registered_at_birth: Option<SexRegisteredAtBirth>,
    pub gender_identity: Option<GenderIdentity>,
    pub working_situation: Option<WorkingSituation>,
    pub ethnic_background: Option<EthnicBackground>,
    pub nationality: Option<Nationality>,
}

impl PersonAnswers {
    /// What a role without the need for equality data is shown: the working situation.
    pub fn without_equality_data(&self) -> Self {
        Self {
            working_situation: self.working_situation,
            ..Self::default()
        }
    }

    /// These answers, with each equality answer they leave unanswered taken from `before`:
    /// what a role that is never shown equality data sends back cannot mean to erase it.
    pub fn keeping_equality_data_of(self, before: &Self) -> Self {
        Self {
            sex_registered_at_birth: self
                .sex_registered_at_birth
                .or(before.sex_registered_at_birth),
            gender_identity: self
                .gender_identity
                .or_else(|| before.gender_identity.clone()),
            working_situation: self.working_situation,
            ethnic_background: self.ethnic_background.or(before.ethnic_background),
            nationality: self.nationality.or(before.nationality),
        }
    }
}

/// CORE's questions of the household as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HouseholdAnswers {
    pub armed_forces: Option<ArmedForces>,
    /// Someone is pregnant and the applicant declined to say so; a member's `pregnant` is
    /// the yes.
    pub pregnancy_prefers_not_to_say: bool,
    pub health_condition: Option<HealthCondition>,
    /// Disabled access needs beyond the mobility category.
    pub other_access_needs: bool,
    pub net_income: Option<NetIncome>,
    pub housing_benefit: Option<HousingBenefit>,
    pub benefit_share: Option<BenefitShare>,
    /// Normalised as the application's own postcode is.
    pub last_settled_postcode: Option<String>,
    pub reason_for_leaving: Option<LeavingReason>,
    pub time_in_area: Option<TimeInArea>,
}

impl HouseholdAnswers {
    /// What a role without the need for equality data is shown: all but the health answers.
    pub fn without_equality_data(&self) -> Self {
        Self {
            health_condition: None,
            ..self.clone()
        }
    }

    /// As [`PersonAnswers::keeping_equality_data_of`].
    pub fn keeping_equality_data_of(self, before: &Self) -> Self {
        Self {
            health_condition: self
                .health_condition
                .or_else(|| before.health_condition.clone()),
            ..self
        }
    }
}

/// Why a working situation cannot be someone's, if it cannot: CORE keeps "child under 16"
/// for children other than the lead tenant.
pub fn working_situation_problem(
    situation: WorkingSituation,
    lead: bool,
    age: u32,
) -> Option<&'static str> {
    match situation {
        WorkingSituation::ChildUnder16 if lead => {
            Some("cannot be 'child under 16' for the lead applicant")
        }
        WorkingSituation::ChildUnder16 if age >= CHILD_AGE_BELOW => {
            Some("can be 'child under 16' only for someone under 16 today")
        }
        _ => None,
    }
}

/// Why free text cannot be taken as an answer of at most `max` characters, if it cannot.
pub fn free_text_problem(text: &str, max: usize) -> Option<String> {
    if text.chars().count() > max {
        Some(format!("at most {max} characters"))
    } else if text.chars().any(char::is_control) {
        Some("must not contain control characters".to_owned())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn everything() -> (PersonAnswers, HouseholdAnswers) {
        (
            PersonAnswers {
                sex_registered_at_birth: Some(SexRegisteredAtBirth::Female),
                gender_identity: Some(GenderIdentity::Different {
                    description: "Non-binary".into(),
                }),
                working_situation: Some(WorkingSituation::PartTime),
                ethnic_background: Some(EthnicBackground::AsianBangladeshi),
                nationality: Some(Nationality::Country(826)),
            },
            HouseholdAnswers {
                armed_forces: Some(ArmedForces::Regular {
                    service: Some(ArmedForcesService::LeftWithin5Years),
                    injured: Some(Answer::No),
                }),
                health_condition: Some(HealthCondition::Yes {
                    effects: vec![HealthEffect::Mobility],
                }),
                net_income: Some(NetIncome::Known {
                    pence: 125_000,
                    frequency: IncomeFrequency::Weekly,
                }),
                last_settled_postcode: Some("E2 7QQ".into()),
                reason_for_leaving: Some(LeavingReason::Other("Flood".into())),
                time_in_area: Some(TimeInArea::Years1To2),
                ..HouseholdAnswers::default()
            },
        )
    }

    #[test]
    fn only_equality_data_is_cleared() {
        let (person, household) = everything();
        assert_eq!(
            person.without_equality_data(),
            PersonAnswers {
                working_situation: Some(WorkingSituation::PartTime),
                ..PersonAnswers::default()
            }
        );
        let cleared = household.without_equality_data();
        assert_eq!(cleared.health_condition, None);
        assert_eq!(
            HouseholdAnswers {
                health_condition: household.health_condition.clone(),
                ..cleared
            },
            household
        );
    }

    #[test]
    fn equality_data_a_caller_cannot_see_survives_what_it_sends_back() {
        let (person, household) = everything();
        let sent_back = person.without_equality_data();
        assert_eq!(sent_back.keeping_equality_data_of(&person), person);
        let mut changed = household.without_equality_data();
        changed.time_in_area = Some(TimeInArea::Years2To3);
        let kept = changed.clone().keeping_equality_data_of(&household);
        assert_eq!(kept.health_condition, household.health_condition);
        assert_eq!(kept.time_in_area, Some(TimeInArea::Years2To3));
    }

    #[test]
    fn answers_round_trip_through_their_stored_form_and_old_rows_read_unanswered() {
        let (person, household) = everything();
        let json = serde_json::to_value(&household).unwrap();
        assert_eq!(json["time_in_area"], "1_to_2_years");
        assert_eq!(
            serde_json::from_value::<HouseholdAnswers>(json).unwrap(),
            household
        );
        let json = serde_json::to_string(&person).unwrap();
        assert_eq!(
            serde_json::from_str::<PersonAnswers>(&json).unwrap(),
            person
        );
        assert_eq!(
            serde_json::from_str::<HouseholdAnswers>("{}").unwrap(),
            HouseholdAnswers::default()
        );
    }

    #[test]
    fn child_under_16_is_for_children_other_than_the_lead() {
        let child = WorkingSituation::ChildUnder16;
        assert!(working_situation_problem(child, false, 15).is_none());
        assert!(working_situation_problem(child, false, 16).is_some());
        assert!(working_situation_problem(child, true, 10).is_some());
        assert!(working_situation_problem(WorkingSituation::Retired, true, 70).is_none());
    }

    #[test]
    fn free_text_is_bounded_in_characters_and_free_of_control_characters() {
        assert!(free_text_problem(&"é".repeat(100), 100).is_none());
        assert!(free_text_problem(&"é".repeat(101), 100).is_some());
        assert!(free_text_problem("a\u{7}b", 100).is_some());
    }
}
