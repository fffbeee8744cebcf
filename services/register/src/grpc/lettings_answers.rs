//! CORE's lettings answers from the proto, every rule between them checked, and back.
//! UNSPECIFIED (and an empty text or message) is "not answered" both ways.

use housing_platform::errors::FieldViolations;
use housing_proto::register::v1 as pb;

use super::mapping::enumerated;
use crate::domain::lettings_answers::{
    Answer, ArmedForces, ArmedForcesService, BenefitShare, EthnicBackground,
    GENDER_DESCRIPTION_MAX, GenderIdentity, HealthCondition, HealthEffect, HouseholdAnswers,
    HousingBenefit, IncomeFrequency, LeavingReason, NET_INCOME_MAX_PENCE, Nationality, NetIncome,
    PersonAnswers, REASON_FOR_LEAVING_OTHER_MAX, ReasonForLeaving, SexRegisteredAtBirth,
    TimeInArea, WorkingSituation, free_text_problem, working_situation_problem,
};
use housing_platform::postcode;

/// A pair of conversions between a proto enum and the domain's: `$from` gives `None` for an
/// unknown number and `Some(None)` for UNSPECIFIED; `$to` gives UNSPECIFIED for `None`.
/// Proto values named after `elsewhere` carry more than the enum and are read by hand.
macro_rules! proto_enum {
    ($from:ident, $to:ident, $proto:ident => $domain:ident
        { $($p:ident => $d:ident),* $(,)? } $(elsewhere $($skip:ident),+)?) => {
        fn $from(value: i32) -> Option<Option<$domain>> {
            Some(Some(match pb::$proto::try_from(value).ok()? {
                pb::$proto::Unspecified => return Some(None),
                $($(pb::$proto::$skip)|+ => return None,)?
                $(pb::$proto::$p => $domain::$d,)*
            }))
        }

        fn $to(value: Option<$domain>) -> i32 {
            value.map_or(pb::$proto::Unspecified, |value| match value {
                $($domain::$d => pb::$proto::$p,)*
            }) as i32
        }
    };
    ($from:ident, $to:ident, $proto:ident => $domain:ident
        { $($v:ident),* $(,)? } $(elsewhere $($skip:ident),+)?) => {
        proto_enum!($from, $to, $proto => $domain { $($v => $v),* } $(elsewhere $($skip),+)?);
    };
}

proto_enum!(sex_registered_at_birth, sex_registered_at_birth_proto,
    SexRegisteredAtBirth => SexRegisteredAtBirth { Female, Male, PrefersNotToSay });
proto_enum!(working_situation, working_situation_proto, WorkingSituation => WorkingSituation {
    FullTime, PartTime, FullTimeStudent, GovernmentTraining, Jobseeker, NotSeekingWork,
    UnableToWork, Retired, ChildUnder16, Other, PrefersNotToSay,
});
proto_enum!(ethnic_background, ethnic_background_proto, EthnicBackground => EthnicBackground {
    WhiteBritish, WhiteIrish, WhiteGypsyOrIrishTraveller, WhiteRoma, WhiteOther,
    MixedWhiteAndBlackCaribbean, MixedWhiteAndBlackAfrican, MixedWhiteAndAsian, MixedOther,
    AsianBangladeshi, AsianChinese, AsianIndian, AsianPakistani, AsianOther, BlackAfrican,
    BlackCaribbean, BlackOther, Arab, Other, PrefersNotToSay,
});
proto_enum!(answer, answer_proto, Answer => Answer { Yes, No, PrefersNotToSay, DontKnow });
proto_enum!(armed_forces_service, armed_forces_service_proto,
ArmedForcesService => ArmedForcesService {
    StillServing, LeftWithin5Years, LeftOver5Years, PrefersNotToSay,
});
proto_enum!(health_effect, health_effect_proto, HealthEffect => HealthEffect {
    Dexterity, LearningOrConcentrating, Hearing, Memory, MentalHealth, Mobility,
    SocialOrBehavioural, StaminaBreathingOrFatigue, Vision, Other,
});
proto_enum!(income_frequency, income_frequency_proto,
    IncomeFrequency => IncomeFrequency { Weekly, Monthly, Yearly });
proto_enum!(housing_benefit, housing_benefit_proto, HousingBenefit => HousingBenefit {
    HousingBenefit, UniversalCreditHousingElement, Neither, DontKnow, PrefersNotToSay,
});
proto_enum!(benefit_share, benefit_share_proto,
    BenefitShare => BenefitShare { All, Some, None, DontKnow });
proto_enum!(reason_for_leaving, reason_for_leaving_proto, ReasonForLeaving => ReasonForLeaving {
    TenancyEndedNoFault, EvictedAntiSocialBehaviour, EvictedRentArrears, EvictedOther,
    PermanentlyDecanted, Refugee, DischargedFromPrison, DischargedFromHospital,
    LossOfTiedAccommodation, LeavingCare, AskedToLeaveByFamilyOrFriends, RelationshipBreakdown,
    DeathOfHouseholdMember, NearerFamilyFriendsOrSchool, NearerWork, DomesticAbuseJointTenancy,
    DomesticAbuseOther, NonDomesticViolence, Cuckooing, RacialHarassment, HateCrime,
    ProblemsWithNeighbours, Repossession, Unaffordable, Overcrowding, IllHealthOrDisability,
    PoorCondition, UnderOccupationWithIncentive, UnderOccupationNoIncentive,
    ToSupportedAccommodation, ToIndependentAccommodation, PrefersNotToSay, DontKnow,
} elsewhere Other);
proto_enum!(time_in_area, time_in_area_proto, TimeInArea => TimeInArea {
    LessThan1Year => LessThan1Year,
    TimeInArea1To2Years => Years1To2,
    TimeInArea2To3Years => Years2To3,
    TimeInArea3To4Years => Years3To4,
    TimeInArea4To5Years => Years4To5,
    TimeInArea5To10Years => Years5To10,
    TimeInArea10YearsOrMore => Years10OrMore,
    DontKnow => DontKnow,
    NotInArea => NotInArea,
});

/// One person's answers, with each bad field under `at` in `v`; `age` is theirs today, when
/// their date of birth reads.
pub fn person(
    m: &pb::HouseholdMember,
    at: &str,
    lead: bool,
    age: Option<u32>,
    v: &mut FieldViolations,
) -> PersonAnswers {
    let field = |name: &str| format!("{at}.{name}");
    let working = enumerated(
        m.working_situation,
        &field("working_situation"),
        working_situation,
        v,
    );
    if let (Some(situation), Some(age)) = (working, age)
        && let Some(problem) = working_situation_problem(situation, lead, age)
    {
        v.add(field("working_situation"), problem);
    }
    PersonAnswers {
        sex_registered_at_birth: enumerated(
            m.sex_registered_at_birth,
            &field("sex_registered_at_birth"),
            sex_registered_at_birth,
            v,
        ),
        gender_identity: gender_identity(m, at, v),
        working_situation: working,
        ethnic_background: enumerated(
            m.ethnic_background,
            &field("ethnic_background"),
            ethnic_background,
            v,
        ),
        nationality: nationality(m.nationality.unwrap_or_default(), at, v),
    }
}

fn gender_identity(
    m: &pb::HouseholdMember,
    at: &str,
    v: &mut FieldViolations,
) -> Option<GenderIdentity> {
    use pb::GenderIdentity as P;
    let field = format!("{at}.gender_description");
    let description = m.gender_description.trim();
    let identity = match P::try_from(m.gender_identity) {
        Err(_) => {
            v.add(
                format!("{at}.gender_identity"),
                format!("unknown value {}", m.gender_identity),
            );
            return None;
        }
        Ok(P::Different) => {
            let problem = match free_text_problem(description, GENDER_DESCRIPTION_MAX) {
                _ if description.is_empty() => Some(
                    "must give the person's gender in their own words, as it is not their sex registered at birth"
                        .to_owned(),
                ),
                problem => problem,
            };
            return match problem {
                Some(problem) => {
                    v.add(field, problem);
                    None
                }
                None => Some(GenderIdentity::Different {
                    description: description.to_owned(),
                }),
            };
        }
        Ok(P::Unspecified) => None,
        Ok(P::SameAsSexRegisteredAtBirth) => Some(GenderIdentity::SameAsSexRegisteredAtBirth),
        Ok(P::PrefersNotToSay) => Some(GenderIdentity::PrefersNotToSay),
    };
    if !description.is_empty() {
        v.add(
            field,
            "is given only when the person's gender is not their sex registered at birth",
        );
    }
    identity
}

fn nationality(n: pb::Nationality, at: &str, v: &mut FieldViolations) -> Option<Nationality> {
    let field = format!("{at}.nationality.country_code");
    match (n.country_code, n.prefers_not_to_say) {
        (0, false) => None,
        (0, true) => Some(Nationality::PrefersNotToSay),
        (_, true) => {
            v.add(field, "not with prefers_not_to_say");
            None
        }
        (code, false) => match u16::try_from(code) {
            Ok(code) if code <= 999 => Some(Nationality::Country(code)),
            _ => {
                v.add(field, "an ISO 3166-1 numeric country code, 1 to 999");
                None
            }
        },
    }
}

/// The household's answers, with each bad field under `details.household_answers` in `v`.
pub fn household(a: Option<&pb::HouseholdAnswers>, v: &mut FieldViolations) -> HouseholdAnswers {
    let empty = pb::HouseholdAnswers::default();
    let a = a.unwrap_or(&empty);
    let last_settled_postcode = match a.last_settled_postcode.trim() {
        "" => None,
        text => postcode::uk(text)
            .map_err(|problem| v.add(field("last_settled_postcode"), problem))
            .ok(),
    };
    HouseholdAnswers {
        armed_forces: armed_forces(a, v),
        pregnancy_prefers_not_to_say: a.pregnancy_prefers_not_to_say,
        health_condition: health_condition(a, v),
        other_access_needs: a.other_access_needs,
        net_income: net_income(a, v),
        housing_benefit: enumerated(
            a.housing_benefit,
            &field("housing_benefit"),
            housing_benefit,
            v,
        ),
        benefit_share: enumerated(a.benefit_share, &field("benefit_share"), benefit_share, v),
        last_settled_postcode,
        reason_for_leaving: leaving_reason(a, v),
        time_in_area: enumerated(a.time_in_area, &field("time_in_area"), time_in_area, v),
    }
}

fn field(name: &str) -> String {
    format!("details.household_answers.{name}")
}

fn armed_forces(a: &pb::HouseholdAnswers, v: &mut FieldViolations) -> Option<ArmedForces> {
    use pb::ArmedForcesLink as P;
    let service = enumerated(
        a.armed_forces_service,
        &field("armed_forces_service"),
        armed_forces_service,
        v,
    );
    let injured = enumerated(
        a.injured_in_service,
        &field("injured_in_service"),
        answer,
        v,
    );
    let Ok(link) = P::try_from(a.armed_forces_link) else {
        v.add(
            field("armed_forces_link"),
            format!("unknown value {}", a.armed_forces_link),
        );
        return None;
    };
    if service.is_some() && link != P::Regular {
        v.add(
            field("armed_forces_service"),
            "is asked only of a regular in the armed forces",
        );
    }
    if injured.is_some() && !matches!(link, P::Regular | P::Reserve) {
        v.add(
            field("injured_in_service"),
            "is asked only of a regular or a reserve in the armed forces",
        );
    }
    Some(match link {
        P::Unspecified => return None,
        P::Regular => ArmedForces::Regular { service, injured },
        P::Reserve => ArmedForces::Reserve { injured },
        P::BereavedOrSeparatedPartner => ArmedForces::BereavedOrSeparatedPartner,
        P::None => ArmedForces::None,
        P::PrefersNotToSay => ArmedForces::PrefersNotToSay,
        P::DontKnow => ArmedForces::DontKnow,
    })
}

fn health_condition(a: &pb::HouseholdAnswers, v: &mut FieldViolations) -> Option<HealthCondition> {
    let condition = enumerated(a.health_condition, &field("health_condition"), answer, v);
    let mut effects = Vec::new();
    for (i, effect) in a.health_effects.iter().enumerate() {
        let at = field(&format!("health_effects[{i}]"));
        match enumerated(*effect, &at, health_effect, v) {
            Some(effect) if effects.contains(&effect) => v.add(at, "given more than once"),
            Some(effect) => effects.push(effect),
            None if *effect == 0 => v.add(at, "must name an effect"),
            None => {}
        }
    }
    if !a.health_effects.is_empty() && condition != Some(Answer::Yes) {
        v.add(
            field("health_effects"),
            "is asked only when someone has a long-term health condition",
        );
    }
    Some(match condition? {
        Answer::Yes => HealthCondition::Yes { effects },
        Answer::No => HealthCondition::No,
        Answer::PrefersNotToSay => HealthCondition::PrefersNotToSay,
        Answer::DontKnow => HealthCondition::DontKnow,
    })
}

fn net_income(a: &pb::HouseholdAnswers, v: &mut FieldViolations) -> Option<NetIncome> {
    let known = enumerated(a.net_income_known, &field("net_income_known"), answer, v);
    let frequency = enumerated(
        a.income_frequency,
        &field("income_frequency"),
        income_frequency,
        v,
    );
    let pence = a.net_income_pence;
    let only_with_yes = "is asked only when the household's income is known";
    if pence < 0 {
        v.add(field("net_income_pence"), "must not be negative");
    } else if pence > NET_INCOME_MAX_PENCE {
        v.add(
            field("net_income_pence"),
            format!("at most {NET_INCOME_MAX_PENCE} pence"),
        );
    } else if pence != 0 && known != Some(Answer::Yes) {
        v.add(field("net_income_pence"), only_with_yes);
    }
    match (known, frequency) {
        (Some(Answer::Yes), None) if a.income_frequency == 0 => v.add(
            field("income_frequency"),
            "is required when the household's income is known",
        ),
        (Some(Answer::Yes), _) | (_, None) => {}
        (_, Some(_)) => v.add(field("income_frequency"), only_with_yes),
    }
    Some(match known? {
        Answer::Yes => NetIncome::Known {
            pence,
            frequency: frequency?,
        },
        Answer::No => NetIncome::No,
        Answer::PrefersNotToSay => NetIncome::PrefersNotToSay,
        Answer::DontKnow => NetIncome::DontKnow,
    })
}

fn leaving_reason(a: &pb::HouseholdAnswers, v: &mut FieldViolations) -> Option<LeavingReason> {
    let other_field = field("reason_for_leaving_other");
    let other = a.reason_for_leaving_other.trim();
    if a.reason_for_leaving == pb::ReasonForLeaving::Other as i32 {
        let problem = match free_text_problem(other, REASON_FOR_LEAVING_OTHER_MAX) {
            _ if other.is_empty() => {
                Some("must say why, when the reason for leaving is 'other'".to_owned())
            }
            problem => problem,
        };
        return match problem {
            Some(problem) => {
                v.add(other_field, problem);
                None
            }
            None => Some(LeavingReason::Other(other.to_owned())),
        };
    }
    if !other.is_empty() {
        v.add(
            other_field,
            "is given only when the reason for leaving is 'other'",
        );
    }
    enumerated(
        a.reason_for_leaving,
        &field("reason_for_leaving"),
        reason_for_leaving,
        v,
    )
    .map(LeavingReason::Listed)
}

/// The person's answers as a `HouseholdMember` holding nothing else.
pub fn person_proto(a: &PersonAnswers) -> pb::HouseholdMember {
    use pb::GenderIdentity as G;
    let (gender_identity, gender_description) = match &a.gender_identity {
        None => (G::Unspecified, ""),
        Some(GenderIdentity::SameAsSexRegisteredAtBirth) => (G::SameAsSexRegisteredAtBirth, ""),
        Some(GenderIdentity::Different { description }) => (G::Different, description.as_str()),
        Some(GenderIdentity::PrefersNotToSay) => (G::PrefersNotToSay, ""),
    };
    pb::HouseholdMember {
        sex_registered_at_birth: sex_registered_at_birth_proto(a.sex_registered_at_birth),
        gender_identity: gender_identity as i32,
        gender_description: gender_description.to_owned(),
        working_situation: working_situation_proto(a.working_situation),
        ethnic_background: ethnic_background_proto(a.ethnic_background),
        nationality: a.nationality.map(|n| match n {
            Nationality::Country(code) => pb::Nationality {
                country_code: code.into(),
                prefers_not_to_say: false,
            },
            Nationality::PrefersNotToSay => pb::Nationality {
                country_code: 0,
                prefers_not_to_say: true,
            },
        }),
        ..Default::default()
    }
}

pub fn household_proto(a: &HouseholdAnswers) -> pb::HouseholdAnswers {
    use pb::ArmedForcesLink as L;
    let (link, service, injured) = match a.armed_forces {
        None => (L::Unspecified, None, None),
        Some(ArmedForces::Regular { service, injured }) => (L::Regular, service, injured),
        Some(ArmedForces::Reserve { injured }) => (L::Reserve, None, injured),
        Some(ArmedForces::BereavedOrSeparatedPartner) => {
            (L::BereavedOrSeparatedPartner, None, None)
        }
        Some(ArmedForces::None) => (L::None, None, None),
        Some(ArmedForces::PrefersNotToSay) => (L::PrefersNotToSay, None, None),
        Some(ArmedForces::DontKnow) => (L::DontKnow, None, None),
    };
    let (health_condition, health_effects) = match &a.health_condition {
        None => (None, &[][..]),
        Some(HealthCondition::Yes { effects }) => (Some(Answer::Yes), effects.as_slice()),
        Some(HealthCondition::No) => (Some(Answer::No), &[][..]),
        Some(HealthCondition::PrefersNotToSay) => (Some(Answer::PrefersNotToSay), &[][..]),
        Some(HealthCondition::DontKnow) => (Some(Answer::DontKnow), &[][..]),
    };
    let (net_income_known, net_income_pence, frequency) = match a.net_income {
        None => (None, 0, None),
        Some(NetIncome::Known { pence, frequency }) => (Some(Answer::Yes), pence, Some(frequency)),
        Some(NetIncome::No) => (Some(Answer::No), 0, None),
        Some(NetIncome::PrefersNotToSay) => (Some(Answer::PrefersNotToSay), 0, None),
        Some(NetIncome::DontKnow) => (Some(Answer::DontKnow), 0, None),
    };
    let (reason_for_leaving, reason_for_leaving_other) = match &a.reason_for_leaving {
        None => (reason_for_leaving_proto(None), String::new()),
        Some(LeavingReason::Listed(reason)) => {
            (reason_for_leaving_proto(Some(*reason)), String::new())
        }
        Some(LeavingReason::Other(text)) => (pb::ReasonForLeaving::Other as i32, text.clone()),
    };
    pb::HouseholdAnswers {
        armed_forces_link: link as i32,
        armed_forces_service: armed_forces_service_proto(service),
        injured_in_service: answer_proto(injured),
        pregnancy_prefers_not_to_say: a.pregnancy_prefers_not_to_say,
        health_condition: answer_proto(health_condition),
        health_effects: health_effects
            .iter()
            .map(|e| health_effect_proto(Some(*e)))
            .collect(),
        other_access_needs: a.other_access_needs,
        net_income_known: answer_proto(net_income_known),
        net_income_pence,
        income_frequency: income_frequency_proto(frequency),
        housing_benefit: housing_benefit_proto(a.housing_benefit),
        benefit_share: benefit_share_proto(a.benefit_share),
        last_settled_postcode: a.last_settled_postcode.clone().unwrap_or_default(),
        reason_for_leaving,
        reason_for_leaving_other,
        time_in_area: time_in_area_proto(a.time_in_area),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(v: FieldViolations) -> Vec<String> {
        let mut fields: Vec<String> = v.fields().map(str::to_owned).collect();
        fields.sort();
        fields
    }

    fn every_answer() -> pb::HouseholdAnswers {
        pb::HouseholdAnswers {
            armed_forces_link: pb::ArmedForcesLink::Regular as i32,
            armed_forces_service: pb::ArmedForcesService::LeftOver5Years as i32,
            injured_in_service: pb::Answer::DontKnow as i32,
            pregnancy_prefers_not_to_say: true,
            health_condition: pb::Answer::Yes as i32,
            health_effects: vec![
                pb::HealthEffect::Vision as i32,
                pb::HealthEffect::Memory as i32,
            ],
            other_access_needs: true,
            net_income_known: pb::Answer::Yes as i32,
            net_income_pence: 0,
            income_frequency: pb::IncomeFrequency::Monthly as i32,
            housing_benefit: pb::HousingBenefit::UniversalCreditHousingElement as i32,
            benefit_share: pb::BenefitShare::Some as i32,
            last_settled_postcode: "E2 7QQ".into(),
            reason_for_leaving: pb::ReasonForLeaving::Other as i32,
            reason_for_leaving_other: "The landlord sold the building".into(),
            time_in_area: pb::TimeInArea::TimeInArea10YearsOrMore as i32,
        }
    }

    #[test]
    fn household_answers_round_trip_exactly_and_none_reads_as_unanswered() {
        let mut v = FieldViolations::new();
        let given = every_answer();
        let read = household(Some(&given), &mut v);
        assert_eq!(v, FieldViolations::new());
        assert_eq!(household_proto(&read), given);
        let read = household(None, &mut v);
        assert_eq!(read, HouseholdAnswers::default());
        assert_eq!(household_proto(&read), pb::HouseholdAnswers::default());
    }

    #[test]
    fn every_enum_value_round_trips() {
        for value in 0..=40 {
            for (from, to) in [
                (answer(value).map(answer_proto), value),
                (time_in_area(value).map(time_in_area_proto), value),
                (working_situation(value).map(working_situation_proto), value),
                (ethnic_background(value).map(ethnic_background_proto), value),
                (housing_benefit(value).map(housing_benefit_proto), value),
            ] {
                assert!(from.is_none_or(|from| from == to), "{value}");
            }
            if value != pb::ReasonForLeaving::Other as i32 {
                let back = reason_for_leaving(value).map(reason_for_leaving_proto);
                assert!(back.is_none_or(|back| back == value), "{value}");
            }
        }
    }

    #[test]
    fn answers_that_follow_another_need_it() {
        let mut v = FieldViolations::new();
        household(
            Some(&pb::HouseholdAnswers {
                armed_forces_link: pb::ArmedForcesLink::Reserve as i32,
                armed_forces_service: pb::ArmedForcesService::StillServing as i32,
                injured_in_service: pb::Answer::No as i32,
                health_condition: pb::Answer::No as i32,
                health_effects: vec![pb::HealthEffect::Vision as i32],
                net_income_known: pb::Answer::PrefersNotToSay as i32,
                net_income_pence: 5,
                income_frequency: pb::IncomeFrequency::Weekly as i32,
                reason_for_leaving: pb::ReasonForLeaving::Refugee as i32,
                reason_for_leaving_other: "Why".into(),
                ..Default::default()
            }),
            &mut v,
        );
        assert_eq!(
            fields(v),
            [
                "details.household_answers.armed_forces_service",
                "details.household_answers.health_effects",
                "details.household_answers.income_frequency",
                "details.household_answers.net_income_pence",
                "details.household_answers.reason_for_leaving_other",
            ]
        );
    }

    #[test]
    fn a_known_income_needs_its_frequency_and_a_bounded_amount() {
        let mut v = FieldViolations::new();
        household(
            Some(&pb::HouseholdAnswers {
                net_income_known: pb::Answer::Yes as i32,
                net_income_pence: NET_INCOME_MAX_PENCE + 1,
                health_condition: pb::Answer::Yes as i32,
                health_effects: vec![0, 1, 1, 99],
                ..Default::default()
            }),
            &mut v,
        );
        assert_eq!(
            fields(v),
            [
                "details.household_answers.health_effects[0]",
                "details.household_answers.health_effects[2]",
                "details.household_answers.health_effects[3]",
                "details.household_answers.income_frequency",
                "details.household_answers.net_income_pence",
            ]
        );
    }

    #[test]
    fn a_persons_answers_are_checked_against_each_other_and_their_age() {
        let mut v = FieldViolations::new();
        let lead = pb::HouseholdMember {
            gender_identity: pb::GenderIdentity::PrefersNotToSay as i32,
            gender_description: "Someone".into(),
            working_situation: pb::WorkingSituation::ChildUnder16 as i32,
            nationality: Some(pb::Nationality {
                country_code: 1000,
                prefers_not_to_say: false,
            }),
            ..Default::default()
        };
        person(&lead, "lead_applicant", true, Some(30), &mut v);
        let child = pb::HouseholdMember {
            gender_identity: pb::GenderIdentity::Different as i32,
            gender_description: "a\nb".into(),
            working_situation: pb::WorkingSituation::ChildUnder16 as i32,
            sex_registered_at_birth: 7,
            nationality: Some(pb::Nationality {
                country_code: 826,
                prefers_not_to_say: true,
            }),
            ..Default::default()
        };
        let read = person(&child, "members[0]", false, Some(15), &mut v);
        assert_eq!(read.working_situation, Some(WorkingSituation::ChildUnder16));
        assert_eq!(
            fields(v),
            [
                "lead_applicant.gender_description",
                "lead_applicant.nationality.country_code",
                "lead_applicant.working_situation",
                "members[0].gender_description",
                "members[0].nationality.country_code",
                "members[0].sex_registered_at_birth",
            ]
        );
    }
}
