//! The register, asked over gRPC: this service keeps no copy of applications.

use chrono::NaiveDate;
use housing_platform::errors::AppError;
pub use housing_platform::register::Register;
use housing_platform::time;
use housing_proto::register::v1 as pb;

use crate::db::vacancies::Vacancy;
use crate::domain::core_log::household::{
    Answers, Code, Household, MAX_PEOPLE, Person, SexAtBirth,
};

/// Who a home fits, as the register filters: its size, area, access and kind. Adverts add
/// their own rules to it.
pub fn fits_home(vacancy: &Vacancy, page_size: i32) -> pb::ListShortlistRequest {
    use pb::{MobilityCategory as M, PropertyType as T};
    pb::ListShortlistRequest {
        bedrooms: vacancy.bedrooms,
        area: vacancy.area.clone(),
        page_size,
        mobility: if vacancy.wheelchair_accessible {
            M::WheelchairThroughout
        } else if vacancy.step_free {
            M::StepFree
        } else {
            M::GeneralNeeds
        } as i32,
        property_type: match vacancy.property_type.as_str() {
            "flat" => T::Flat,
            "house" => T::House,
            "bungalow" => T::Bungalow,
            "maisonette" => T::Maisonette,
            "sheltered" => T::Sheltered,
            _ => T::Unspecified,
        } as i32,
        ..Default::default()
    }
}

/// The household part of CORE's log from the register's application, in CORE's codes
/// (docs/core-lettings-2026.md §2.4–2.7). Unanswered questions stay unanswered.
pub fn core_household(application: &pb::Application) -> Result<Household, AppError> {
    let details = application.details.clone().unwrap_or_default();
    let circumstances = details.circumstances.clone().unwrap_or_default();
    let answers = details.household_answers.clone().unwrap_or_default();
    let everyone: Vec<&pb::HouseholdMember> = application
        .lead_applicant
        .iter()
        .chain(&application.members)
        .collect();
    let people = everyone
        .iter()
        .take(MAX_PEOPLE)
        .map(|m| core_person(m, &application.reference))
        .collect::<Result<Vec<_>, AppError>>()?;
    let preference = application
        .assessment
        .as_ref()
        .map(|a| a.reasonable_preference.as_slice())
        .unwrap_or_default();
    let mut reasonable_preference: Vec<usize> = preference
        .iter()
        .filter_map(|category| match category.as_str() {
            "a_homeless" | "b_owed_homelessness_duty" => Some(107),
            "c_overcrowded" | "c_unsatisfactory_conditions" => Some(108),
            "d_medical_or_welfare" => Some(109),
            "e_hardship_move" => Some(110),
            _ => None,
        })
        .collect();
    reasonable_preference.sort_unstable();
    reasonable_preference.dedup();
    let answered = |a: pb::Answer| match a {
        pb::Answer::Yes => Some(1),
        pb::Answer::No => Some(2),
        pb::Answer::PrefersNotToSay => Some(3),
        pb::Answer::DontKnow | pb::Answer::Unspecified => None,
    };
    Ok(Household {
        people,
        registered_on: application
            .submitted_at
            .as_ref()
            .and_then(|t| chrono::DateTime::from_timestamp(t.seconds, 0))
            .map_or_else(time::today, |t| t.date_naive()),
        answers: Answers {
            armed_forces: {
                use pb::ArmedForcesLink as L;
                match answers.armed_forces_link() {
                    L::Regular => Some(1),
                    L::Reserve => Some(4),
                    L::BereavedOrSeparatedPartner => Some(5),
                    L::None => Some(2),
                    L::PrefersNotToSay => Some(3),
                    L::DontKnow => Some(6),
                    L::Unspecified => None,
                }
            },
            armed_forces_service: {
                use pb::ArmedForcesService as S;
                match answers.armed_forces_service() {
                    S::StillServing => Some(6),
                    S::LeftWithin5Years => Some(4),
                    S::LeftOver5Years => Some(5),
                    S::PrefersNotToSay => Some(3),
                    S::Unspecified => None,
                }
            },
            injured_in_service: answered(answers.injured_in_service()),
            pregnancy: if everyone.iter().any(|m| m.pregnant) {
                Some(1)
            } else if answers.pregnancy_prefers_not_to_say {
                Some(3)
            } else {
                Some(2)
            },
            access_needs: access_needs(details.mobility(), answers.other_access_needs),
            health_condition: answered(answers.health_condition()),
            health_effects: answers
                .health_effects()
                .filter_map(|e| {
                    use pb::HealthEffect as E;
                    match e {
                        E::Dexterity => Some(86),
                        E::LearningOrConcentrating => Some(87),
                        E::Hearing => Some(88),
                        E::Memory => Some(89),
                        E::MentalHealth => Some(90),
                        E::Mobility => Some(91),
                        E::SocialOrBehavioural => Some(92),
                        E::StaminaBreathingOrFatigue => Some(93),
                        E::Vision => Some(94),
                        E::Other => Some(95),
                        E::Unspecified => None,
                    }
                })
                .collect(),
            time_in_area: {
                use pb::TimeInArea as T;
                match answers.time_in_area() {
                    T::NotInArea => Some(1),
                    T::LessThan1Year => Some(2),
                    T::TimeInArea1To2Years => Some(7),
                    T::TimeInArea2To3Years => Some(8),
                    T::TimeInArea3To4Years => Some(9),
                    T::TimeInArea4To5Years => Some(10),
                    T::TimeInArea5To10Years => Some(11),
                    T::TimeInArea10YearsOrMore => Some(12),
                    T::DontKnow => Some(6),
                    T::Unspecified => None,
                }
            },
            reason_for_leaving: reason_for_leaving(answers.reason_for_leaving()),
            reason_for_leaving_other: answers.reason_for_leaving_other.clone(),
            previous_tenure: {
                use pb::Tenure as T;
                match circumstances.tenure() {
                    T::PrivateRented => Some(3),
                    T::CouncilTenant => Some(31),
                    T::HousingAssociationTenant => Some(33),
                    T::OwnerOccupier => Some(26),
                    T::WithFamilyOrFriends => Some(28),
                    T::TemporaryAccommodation => Some(18),
                    T::SupportedHousing => Some(6),
                    // No fixed abode is most often moving between friends and family; an
                    // officer corrects a rough sleeper's tenure before the log is sent.
                    T::NoFixedAbode => Some(39),
                    T::Unspecified => None,
                }
            },
            homeless: reasonable_preference.contains(&107),
            last_settled_postcode: Some(answers.last_settled_postcode.trim())
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
            reasonable_preference,
            council_tenant: circumstances.tenure() == pb::Tenure::CouncilTenant,
            income_known: match answers.net_income_known() {
                pb::Answer::Yes => Some(1),
                pb::Answer::No | pb::Answer::DontKnow => Some(2),
                pb::Answer::PrefersNotToSay => Some(3),
                pb::Answer::Unspecified => None,
            },
            income_frequency: match answers.income_frequency() {
                pb::IncomeFrequency::Weekly => Some(1),
                pb::IncomeFrequency::Monthly => Some(2),
                pb::IncomeFrequency::Yearly => Some(3),
                pb::IncomeFrequency::Unspecified => None,
            },
            net_income_pence: (answers.net_income_known() == pb::Answer::Yes)
                .then_some(answers.net_income_pence),
            housing_benefit: {
                use pb::HousingBenefit as B;
                match answers.housing_benefit() {
                    B::HousingBenefit => Some(1),
                    B::UniversalCreditHousingElement => Some(6),
                    B::Neither => Some(9),
                    B::DontKnow => Some(3),
                    B::PrefersNotToSay => Some(10),
                    B::Unspecified => None,
                }
            },
            benefit_share: {
                use pb::BenefitShare as B;
                match answers.benefit_share() {
                    B::All => Some(1),
                    B::Some => Some(2),
                    B::None => Some(3),
                    B::DontKnow => Some(4),
                    B::Unspecified => None,
                }
            },
        },
    })
}

/// A member's date of birth as the register holds it; one it cannot read is the register's
/// fault, not the caller's.
pub fn date_of_birth(m: &pb::HouseholdMember, reference: &str) -> Result<NaiveDate, AppError> {
    time::parse_date(&m.date_of_birth).map_err(|e| {
        AppError::FailedPrecondition(format!(
            "the register application {reference} has a date of birth this service cannot read: {e}"
        ))
    })
}

fn core_person(m: &pb::HouseholdMember, reference: &str) -> Result<Person, AppError> {
    let born = date_of_birth(m, reference)?;
    use pb::{EthnicBackground as E, GenderIdentity as G, WorkingSituation as W};
    Ok(Person {
        partner: m.relationship() == pb::Relationship::Partner,
        born,
        sex_at_birth: match m.sex_registered_at_birth() {
            pb::SexRegisteredAtBirth::Female => Some(SexAtBirth::Female),
            pb::SexRegisteredAtBirth::Male => Some(SexAtBirth::Male),
            pb::SexRegisteredAtBirth::PrefersNotToSay => Some(SexAtBirth::PrefersNotToSay),
            pb::SexRegisteredAtBirth::Unspecified => None,
        },
        gender_same_as_sex: match m.gender_identity() {
            G::SameAsSexRegisteredAtBirth => Some(1),
            G::Different => Some(2),
            G::PrefersNotToSay => Some(3),
            G::Unspecified => None,
        },
        gender_description: m.gender_description.clone(),
        working: match m.working_situation() {
            W::FullTime => Some(1),
            W::PartTime => Some(2),
            W::FullTimeStudent => Some(7),
            W::GovernmentTraining => Some(3),
            W::Jobseeker => Some(4),
            W::NotSeekingWork => Some(6),
            W::UnableToWork => Some(8),
            W::Retired => Some(5),
            W::ChildUnder16 => Some(9),
            W::Other => Some(0),
            W::PrefersNotToSay => Some(10),
            W::Unspecified => None,
        },
        ethnic: match m.ethnic_background() {
            E::WhiteBritish => Some(1),
            E::WhiteIrish => Some(2),
            E::WhiteGypsyOrIrishTraveller => Some(18),
            E::WhiteRoma => Some(20),
            E::WhiteOther => Some(3),
            E::MixedWhiteAndBlackCaribbean => Some(4),
            E::MixedWhiteAndBlackAfrican => Some(5),
            E::MixedWhiteAndAsian => Some(6),
            E::MixedOther => Some(7),
            E::AsianBangladeshi => Some(10),
            E::AsianChinese => Some(15),
            E::AsianIndian => Some(8),
            E::AsianPakistani => Some(9),
            E::AsianOther => Some(11),
            E::BlackAfrican => Some(13),
            E::BlackCaribbean => Some(12),
            E::BlackOther => Some(14),
            E::Arab => Some(19),
            E::Other => Some(16),
            E::PrefersNotToSay => Some(17),
            E::Unspecified => None,
        },
        nationality: m.nationality.as_ref().and_then(|n| {
            if n.prefers_not_to_say {
                Some(0)
            } else {
                u16::try_from(n.country_code).ok().filter(|&c| c > 0)
            }
        }),
    })
}

/// Fields 79 to 84 from the mobility category the register assessed and any other need.
fn access_needs(mobility: pb::MobilityCategory, other: bool) -> Vec<usize> {
    use pb::MobilityCategory as M;
    let mut ticked: Vec<usize> = match mobility {
        M::WheelchairThroughout => vec![79],
        M::WheelchairPartial => vec![80],
        M::StepFree => vec![81],
        M::GeneralNeeds | M::Unspecified => vec![],
    };
    if other {
        ticked.push(82);
    }
    if ticked.is_empty() {
        // No need at all, or none known.
        ticked.push(if mobility == M::GeneralNeeds { 83 } else { 84 });
    }
    ticked
}

fn reason_for_leaving(reason: pb::ReasonForLeaving) -> Code {
    use pb::ReasonForLeaving as R;
    Some(match reason {
        R::TenancyEndedNoFault => 50,
        R::EvictedAntiSocialBehaviour => 51,
        R::EvictedRentArrears => 52,
        R::EvictedOther => 53,
        R::PermanentlyDecanted => 1,
        R::Refugee => 2,
        R::DischargedFromPrison => 45,
        R::DischargedFromHospital => 46,
        R::LossOfTiedAccommodation => 4,
        R::LeavingCare => 55,
        R::AskedToLeaveByFamilyOrFriends => 9,
        R::RelationshipBreakdown => 8,
        R::DeathOfHouseholdMember => 44,
        R::NearerFamilyFriendsOrSchool => 16,
        R::NearerWork => 17,
        R::DomesticAbuseJointTenancy => 48,
        R::DomesticAbuseOther => 49,
        R::NonDomesticViolence => 56,
        R::Cuckooing => 57,
        R::RacialHarassment => 10,
        R::HateCrime => 31,
        R::ProblemsWithNeighbours => 11,
        R::Repossession => 34,
        R::Unaffordable => 54,
        R::Overcrowding => 12,
        R::IllHealthOrDisability => 13,
        R::PoorCondition => 14,
        R::UnderOccupationWithIncentive => 29,
        R::UnderOccupationNoIncentive => 30,
        R::ToSupportedAccommodation => 18,
        R::ToIndependentAccommodation => 19,
        R::PrefersNotToSay => 47,
        R::Other => 20,
        R::DontKnow => 28,
        R::Unspecified => return None,
    })
}
