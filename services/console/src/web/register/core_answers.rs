//! The questions CORE's lettings log asks that the register keeps for it: the household's
//! and the lead applicant's, each optional, on the answers form; and every answer the
//! register returned, on the application's page. The register decides who is shown the
//! equality answers; the console shows whatever it is given.

use std::collections::HashMap;

use housing_proto::register::v1 as pb;
use serde::Deserialize;

use crate::web::FieldError;

/// A question's choices: the proto enum's number and its words.
type Choices = &'static [(i32, &'static str)];

const SEX_REGISTERED_AT_BIRTH: Choices = &[
    (pb::SexRegisteredAtBirth::Female as i32, "Female"),
    (pb::SexRegisteredAtBirth::Male as i32, "Male"),
    (
        pb::SexRegisteredAtBirth::PrefersNotToSay as i32,
        "Prefers not to say",
    ),
];

const GENDER_IDENTITY: Choices = &[
    (pb::GenderIdentity::SameAsSexRegisteredAtBirth as i32, "Yes"),
    (
        pb::GenderIdentity::Different as i32,
        "No, their gender identity is different",
    ),
    (
        pb::GenderIdentity::PrefersNotToSay as i32,
        "Prefers not to say",
    ),
];

const WORKING_SITUATION: Choices = &[
    (
        pb::WorkingSituation::FullTime as i32,
        "Full-time: 30 hours or more a week",
    ),
    (
        pb::WorkingSituation::PartTime as i32,
        "Part-time: less than 30 hours a week",
    ),
    (
        pb::WorkingSituation::FullTimeStudent as i32,
        "Full-time student",
    ),
    (
        pb::WorkingSituation::GovernmentTraining as i32,
        "In government training into work",
    ),
    (pb::WorkingSituation::Jobseeker as i32, "Jobseeker"),
    (
        pb::WorkingSituation::NotSeekingWork as i32,
        "Not seeking work",
    ),
    (
        pb::WorkingSituation::UnableToWork as i32,
        "Unable to work because of long-term sickness or disability",
    ),
    (pb::WorkingSituation::Retired as i32, "Retired"),
    (pb::WorkingSituation::ChildUnder16 as i32, "Child under 16"),
    (pb::WorkingSituation::Other as i32, "Other"),
    (
        pb::WorkingSituation::PrefersNotToSay as i32,
        "Prefers not to say",
    ),
];

const ETHNIC_BACKGROUND: Choices = &[
    (
        pb::EthnicBackground::WhiteBritish as i32,
        "White: English, Welsh, Scottish, Northern Irish or British",
    ),
    (pb::EthnicBackground::WhiteIrish as i32, "White: Irish"),
    (
        pb::EthnicBackground::WhiteGypsyOrIrishTraveller as i32,
        "White: Gypsy or Irish Traveller",
    ),
    (pb::EthnicBackground::WhiteRoma as i32, "White: Roma"),
    (
        pb::EthnicBackground::WhiteOther as i32,
        "White: any other White background",
    ),
    (
        pb::EthnicBackground::MixedWhiteAndBlackCaribbean as i32,
        "Mixed: White and Black Caribbean",
    ),
    (
        pb::EthnicBackground::MixedWhiteAndBlackAfrican as i32,
        "Mixed: White and Black African",
    ),
    (
        pb::EthnicBackground::MixedWhiteAndAsian as i32,
        "Mixed: White and Asian",
    ),
    (
        pb::EthnicBackground::MixedOther as i32,
        "Mixed: any other mixed or multiple ethnic background",
    ),
    (
        pb::EthnicBackground::AsianBangladeshi as i32,
        "Asian: Bangladeshi",
    ),
    (pb::EthnicBackground::AsianChinese as i32, "Asian: Chinese"),
    (pb::EthnicBackground::AsianIndian as i32, "Asian: Indian"),
    (
        pb::EthnicBackground::AsianPakistani as i32,
        "Asian: Pakistani",
    ),
    (
        pb::EthnicBackground::AsianOther as i32,
        "Asian: any other Asian background",
    ),
    (pb::EthnicBackground::BlackAfrican as i32, "Black: African"),
    (
        pb::EthnicBackground::BlackCaribbean as i32,
        "Black: Caribbean",
    ),
    (
        pb::EthnicBackground::BlackOther as i32,
        "Black: any other Black, African or Caribbean background",
    ),
    (pb::EthnicBackground::Arab as i32, "Arab"),
    (pb::EthnicBackground::Other as i32, "Any other ethnic group"),
    (
        pb::EthnicBackground::PrefersNotToSay as i32,
        "Prefers not to say",
    ),
];

const ANSWER: Choices = &[
    (pb::Answer::Yes as i32, "Yes"),
    (pb::Answer::No as i32, "No"),
    (pb::Answer::PrefersNotToSay as i32, "Prefers not to say"),
    (pb::Answer::DontKnow as i32, "Don't know"),
];

const ARMED_FORCES_LINK: Choices = &[
    (
        pb::ArmedForcesLink::Regular as i32,
        "Yes, a current or former regular",
    ),
    (
        pb::ArmedForcesLink::Reserve as i32,
        "Yes, a current or former reserve",
    ),
    (
        pb::ArmedForcesLink::BereavedOrSeparatedPartner as i32,
        "Yes, a spouse or civil partner bereaved or separated within the last 2 years",
    ),
    (pb::ArmedForcesLink::None as i32, "No"),
    (
        pb::ArmedForcesLink::PrefersNotToSay as i32,
        "Prefers not to say",
    ),
    (pb::ArmedForcesLink::DontKnow as i32, "Don't know"),
];

const ARMED_FORCES_SERVICE: Choices = &[
    (pb::ArmedForcesService::StillServing as i32, "Still serving"),
    (
        pb::ArmedForcesService::LeftWithin5Years as i32,
        "Left up to 5 years ago",
    ),
    (
        pb::ArmedForcesService::LeftOver5Years as i32,
        "Left more than 5 years ago",
    ),
    (
        pb::ArmedForcesService::PrefersNotToSay as i32,
        "Prefers not to say",
    ),
];

const HEALTH_EFFECTS: Choices = &[
    (pb::HealthEffect::Dexterity as i32, "Dexterity"),
    (
        pb::HealthEffect::LearningOrConcentrating as i32,
        "Learning, understanding or concentrating",
    ),
    (pb::HealthEffect::Hearing as i32, "Hearing"),
    (pb::HealthEffect::Memory as i32, "Memory"),
    (pb::HealthEffect::MentalHealth as i32, "Mental health"),
    (pb::HealthEffect::Mobility as i32, "Mobility"),
    (
        pb::HealthEffect::SocialOrBehavioural as i32,
        "Socially or behaviourally",
    ),
    (
        pb::HealthEffect::StaminaBreathingOrFatigue as i32,
        "Stamina, breathing or fatigue",
    ),
    (pb::HealthEffect::Vision as i32, "Vision"),
    (pb::HealthEffect::Other as i32, "In another way"),
];

const INCOME_FREQUENCY: Choices = &[
    (pb::IncomeFrequency::Weekly as i32, "Weekly"),
    (pb::IncomeFrequency::Monthly as i32, "Monthly"),
    (pb::IncomeFrequency::Yearly as i32, "Yearly"),
];

const HOUSING_BENEFIT: Choices = &[
    (pb::HousingBenefit::HousingBenefit as i32, "Housing Benefit"),
    (
        pb::HousingBenefit::UniversalCreditHousingElement as i32,
        "Universal Credit housing element",
    ),
    (pb::HousingBenefit::Neither as i32, "Neither"),
    (pb::HousingBenefit::DontKnow as i32, "Don't know"),
    (
        pb::HousingBenefit::PrefersNotToSay as i32,
        "Prefers not to say",
    ),
];

const BENEFIT_SHARE: Choices = &[
    (pb::BenefitShare::All as i32, "All"),
    (pb::BenefitShare::Some as i32, "Some"),
    (pb::BenefitShare::None as i32, "None"),
    (pb::BenefitShare::DontKnow as i32, "Don't know"),
];

const REASON_FOR_LEAVING: Choices = &[
    (
        pb::ReasonForLeaving::TenancyEndedNoFault as i32,
        "End of assured shorthold tenancy, no fault",
    ),
    (
        pb::ReasonForLeaving::EvictedAntiSocialBehaviour as i32,
        "Eviction for anti-social behaviour",
    ),
    (
        pb::ReasonForLeaving::EvictedRentArrears as i32,
        "Eviction for rent arrears",
    ),
    (
        pb::ReasonForLeaving::EvictedOther as i32,
        "Eviction for another reason",
    ),
    (
        pb::ReasonForLeaving::PermanentlyDecanted as i32,
        "Permanently decanted from another property",
    ),
    (
        pb::ReasonForLeaving::Refugee as i32,
        "Left home country as a refugee",
    ),
    (
        pb::ReasonForLeaving::DischargedFromPrison as i32,
        "Discharged from prison or another institution",
    ),
    (
        pb::ReasonForLeaving::DischargedFromHospital as i32,
        "Discharged from long-stay hospital",
    ),
    (
        pb::ReasonForLeaving::LossOfTiedAccommodation as i32,
        "Loss of tied accommodation",
    ),
    (
        pb::ReasonForLeaving::LeavingCare as i32,
        "Leaving foster care or a children's home",
    ),
    (
        pb::ReasonForLeaving::AskedToLeaveByFamilyOrFriends as i32,
        "Asked to leave by family or friends",
    ),
    (
        pb::ReasonForLeaving::RelationshipBreakdown as i32,
        "Relationship breakdown with a partner",
    ),
    (
        pb::ReasonForLeaving::DeathOfHouseholdMember as i32,
        "Death of a household member in the last settled home",
    ),
    (
        pb::ReasonForLeaving::NearerFamilyFriendsOrSchool as i32,
        "To move nearer to family, friends or school",
    ),
    (
        pb::ReasonForLeaving::NearerWork as i32,
        "To move nearer to work",
    ),
    (
        pb::ReasonForLeaving::DomesticAbuseJointTenancy as i32,
        "Domestic abuse, from a joint tenancy",
    ),
    (
        pb::ReasonForLeaving::DomesticAbuseOther as i32,
        "Domestic abuse, other",
    ),
    (
        pb::ReasonForLeaving::NonDomesticViolence as i32,
        "Violence or harassment other than domestic abuse",
    ),
    (pb::ReasonForLeaving::Cuckooing as i32, "Cuckooing"),
    (
        pb::ReasonForLeaving::RacialHarassment as i32,
        "Racial harassment",
    ),
    (pb::ReasonForLeaving::HateCrime as i32, "Other hate crime"),
    (
        pb::ReasonForLeaving::ProblemsWithNeighbours as i32,
        "Problems with neighbours",
    ),
    (pb::ReasonForLeaving::Repossession as i32, "Repossession"),
    (
        pb::ReasonForLeaving::Unaffordable as i32,
        "Could not afford the rent or mortgage",
    ),
    (pb::ReasonForLeaving::Overcrowding as i32, "Overcrowding"),
    (
        pb::ReasonForLeaving::IllHealthOrDisability as i32,
        "The home was unsuitable because of ill health or disability",
    ),
    (
        pb::ReasonForLeaving::PoorCondition as i32,
        "The home was in poor condition",
    ),
    (
        pb::ReasonForLeaving::UnderOccupationWithIncentive as i32,
        "Under-occupation, offered an incentive to downsize",
    ),
    (
        pb::ReasonForLeaving::UnderOccupationNoIncentive as i32,
        "Under-occupation, no incentive",
    ),
    (
        pb::ReasonForLeaving::ToSupportedAccommodation as i32,
        "To move to accommodation with support",
    ),
    (
        pb::ReasonForLeaving::ToIndependentAccommodation as i32,
        "To move to independent accommodation",
    ),
    (pb::ReasonForLeaving::Other as i32, "Another reason"),
    (
        pb::ReasonForLeaving::PrefersNotToSay as i32,
        "Prefers not to say",
    ),
    (pb::ReasonForLeaving::DontKnow as i32, "Don't know"),
];

const TIME_IN_AREA: Choices = &[
    (
        pb::TimeInArea::NotInArea as i32,
        "Moving into the area with this letting",
    ),
    (pb::TimeInArea::LessThan1Year as i32, "Less than 1 year"),
    (
        pb::TimeInArea::TimeInArea1To2Years as i32,
        "1 year but under 2 years",
    ),
    (
        pb::TimeInArea::TimeInArea2To3Years as i32,
        "2 years but under 3 years",
    ),
    (
        pb::TimeInArea::TimeInArea3To4Years as i32,
        "3 years but under 4 years",
    ),
    (
        pb::TimeInArea::TimeInArea4To5Years as i32,
        "4 years but under 5 years",
    ),
    (
        pb::TimeInArea::TimeInArea5To10Years as i32,
        "5 years but under 10 years",
    ),
    (
        pb::TimeInArea::TimeInArea10YearsOrMore as i32,
        "10 years or more",
    ),
    (pb::TimeInArea::DontKnow as i32, "Don't know"),
];

/// One question asked with radios: the register's field (the id errors link to), the
/// form's name, the question, the answer given and the choices.
pub struct Radios {
    pub id: &'static str,
    pub name: &'static str,
    pub legend: &'static str,
    pub value: String,
    pub choices: Vec<(String, &'static str)>,
}

/// The questions asked with radios, each by name: the templates' macros take them one at a
/// time, not from a loop.
pub struct Questions {
    pub sex_registered_at_birth: Radios,
    pub gender_identity: Radios,
    pub working_situation: Radios,
    pub armed_forces_link: Radios,
    pub armed_forces_service: Radios,
    pub injured_in_service: Radios,
    pub health_condition: Radios,
    pub net_income_known: Radios,
    pub income_frequency: Radios,
    pub housing_benefit: Radios,
    pub benefit_share: Radios,
    pub time_in_area: Radios,
}

/// A tick box of the health condition's effects: its form name and words, and whether ticked.
pub struct Effect {
    pub name: String,
    pub label: &'static str,
    pub ticked: bool,
}

/// The CORE part of the answers form, as posted and as shown again. Each choice is posted
/// as the proto enum's number; a number the form does not offer reads as unanswered.
#[derive(Debug, Default, Deserialize)]
pub struct CoreForm {
    #[serde(default)]
    sex_registered_at_birth: String,
    #[serde(default)]
    gender_identity: String,
    #[serde(default)]
    pub gender_description: String,
    #[serde(default)]
    working_situation: String,
    #[serde(default)]
    pub ethnic_background: String,
    #[serde(default)]
    pub nationality: String,
    #[serde(default)]
    pub nationality_prefers_not_to_say: Option<String>,
    #[serde(default)]
    armed_forces_link: String,
    #[serde(default)]
    armed_forces_service: String,
    #[serde(default)]
    injured_in_service: String,
    #[serde(default)]
    pub pregnancy_prefers_not_to_say: Option<String>,
    #[serde(default)]
    health_condition: String,
    #[serde(default)]
    pub other_access_needs: Option<String>,
    #[serde(default)]
    net_income_known: String,
    #[serde(default)]
    pub net_income: String,
    #[serde(default)]
    income_frequency: String,
    #[serde(default)]
    housing_benefit: String,
    #[serde(default)]
    benefit_share: String,
    #[serde(default)]
    pub last_settled_postcode: String,
    #[serde(default)]
    pub reason_for_leaving: String,
    #[serde(default)]
    pub reason_for_leaving_other: String,
    #[serde(default)]
    time_in_area: String,
    /// `health_effect-N`, ticked, for each effect N of the health condition; and
    /// `members-I-question` for each question asked of the household's member I (the
    /// register's `members[I]`, everyone but the lead).
    #[serde(flatten)]
    ticked: HashMap<String, String>,
}

fn shown(value: i32) -> String {
    if value == 0 {
        String::new()
    } else {
        value.to_string()
    }
}

fn chosen(text: &str, choices: Choices) -> i32 {
    text.trim()
        .parse()
        .ok()
        .filter(|n| choices.iter().any(|(c, _)| c == n))
        .unwrap_or(0)
}

fn offered(choices: Choices) -> Vec<(String, &'static str)> {
    choices
        .iter()
        .map(|(n, words)| (n.to_string(), *words))
        .collect()
}

fn words(value: i32, choices: Choices) -> Option<&'static str> {
    choices.iter().find(|(n, _)| *n == value).map(|(_, w)| *w)
}

fn yes(ticked: bool) -> Option<String> {
    ticked.then(|| "yes".to_owned())
}

impl CoreForm {
    pub fn from_application(
        lead: &pb::HouseholdMember,
        members: &[pb::HouseholdMember],
        a: &pb::HouseholdAnswers,
    ) -> Self {
        let nationality = lead.nationality.unwrap_or_default();
        let mut form = Self {
            sex_registered_at_birth: shown(lead.sex_registered_at_birth),
            gender_identity: shown(lead.gender_identity),
            gender_description: lead.gender_description.clone(),
            working_situation: shown(lead.working_situation),
            ethnic_background: shown(lead.ethnic_background),
            nationality: shown(nationality.country_code),
            nationality_prefers_not_to_say: yes(nationality.prefers_not_to_say),
            armed_forces_link: shown(a.armed_forces_link),
            armed_forces_service: shown(a.armed_forces_service),
            injured_in_service: shown(a.injured_in_service),
            pregnancy_prefers_not_to_say: yes(a.pregnancy_prefers_not_to_say),
            health_condition: shown(a.health_condition),
            other_access_needs: yes(a.other_access_needs),
            net_income_known: shown(a.net_income_known),
            net_income: if a.net_income_known == pb::Answer::Yes as i32 {
                super::answers::pounds(Some(a.net_income_pence))
            } else {
                String::new()
            },
            income_frequency: shown(a.income_frequency),
            housing_benefit: shown(a.housing_benefit),
            benefit_share: shown(a.benefit_share),
            last_settled_postcode: a.last_settled_postcode.clone(),
            reason_for_leaving: shown(a.reason_for_leaving),
            reason_for_leaving_other: a.reason_for_leaving_other.clone(),
            time_in_area: shown(a.time_in_area),
            ticked: a
                .health_effects
                .iter()
                .map(|e| (format!("health_effect-{e}"), "yes".to_owned()))
                .collect(),
        };
        for (i, m) in members.iter().enumerate() {
            let answers = PersonAnswers::from_member(m);
            form.ticked.extend(answers.fields(&member_prefix(i)));
        }
        form
    }

    /// Member `i`'s answers (the register's `members[i]`) as the form gives them.
    pub fn member(&self, i: usize) -> PersonAnswers {
        PersonAnswers::from_fields(&self.ticked, &member_prefix(i))
    }

    /// The questions asked of each of `members`, with the answers given and the register's
    /// problems with them.
    pub fn member_questions(
        &self,
        members: &[pb::HouseholdMember],
        errors: &[FieldError],
    ) -> Vec<PersonQuestions> {
        members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let name = format!("{} {}", m.given_name, m.family_name);
                self.member(i).questions(
                    &member_prefix(i),
                    &Who::named(&name),
                    format!("About {name}"),
                    errors,
                )
            })
            .collect()
    }

    /// The lead applicant's, the other members' and the household's answers as the form gives
    /// them; what the console itself cannot read is named in `errors`, the rest is for the
    /// register to check. `members` are those the register returned, in its order: each keeps
    /// what the form does not ask, and what it was not shown goes back unanswered, which the
    /// register reads as keeping what it has.
    pub fn apply(
        &self,
        lead: &mut pb::HouseholdMember,
        members: &mut [pb::HouseholdMember],
        a: &mut pb::HouseholdAnswers,
        errors: &mut Vec<FieldError>,
    ) {
        for (i, m) in members.iter_mut().enumerate() {
            self.member(i).apply(m);
        }
        lead.sex_registered_at_birth =
            chosen(&self.sex_registered_at_birth, SEX_REGISTERED_AT_BIRTH);
        lead.gender_identity = chosen(&self.gender_identity, GENDER_IDENTITY);
        lead.gender_description = self.gender_description.trim().to_owned();
        lead.working_situation = chosen(&self.working_situation, WORKING_SITUATION);
        lead.ethnic_background = chosen(&self.ethnic_background, ETHNIC_BACKGROUND);
        let country_code = super::answers::optional(
            &self.nationality,
            |t| t.parse().ok(),
            "lead_applicant.nationality.country_code",
            "Enter the nationality as a country's number, like 826 for the United Kingdom",
            errors,
        )
        .unwrap_or(0);
        let prefers_not_to_say = self.nationality_prefers_not_to_say.is_some();
        lead.nationality = (country_code != 0 || prefers_not_to_say).then_some(pb::Nationality {
            country_code,
            prefers_not_to_say,
        });
        a.armed_forces_link = chosen(&self.armed_forces_link, ARMED_FORCES_LINK);
        a.armed_forces_service = chosen(&self.armed_forces_service, ARMED_FORCES_SERVICE);
        a.injured_in_service = chosen(&self.injured_in_service, ANSWER);
        a.pregnancy_prefers_not_to_say = self.pregnancy_prefers_not_to_say.is_some();
        a.health_condition = chosen(&self.health_condition, ANSWER);
        a.health_effects = HEALTH_EFFECTS
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| self.ticked.contains_key(&format!("health_effect-{n}")))
            .collect();
        a.other_access_needs = self.other_access_needs.is_some();
        a.net_income_known = chosen(&self.net_income_known, ANSWER);
        a.net_income_pence = super::answers::optional(
            &self.net_income,
            super::answers::parse_pounds,
            "details.household_answers.net_income_pence",
            "Enter the household's income after tax in pounds, like 412.50",
            errors,
        )
        .unwrap_or(0);
        a.income_frequency = chosen(&self.income_frequency, INCOME_FREQUENCY);
        a.housing_benefit = chosen(&self.housing_benefit, HOUSING_BENEFIT);
        a.benefit_share = chosen(&self.benefit_share, BENEFIT_SHARE);
        a.last_settled_postcode = self.last_settled_postcode.trim().to_ascii_uppercase();
        a.reason_for_leaving = chosen(&self.reason_for_leaving, REASON_FOR_LEAVING);
        a.reason_for_leaving_other = self.reason_for_leaving_other.trim().to_owned();
        a.time_in_area = chosen(&self.time_in_area, TIME_IN_AREA);
    }

    fn radios(
        id: &'static str,
        name: &'static str,
        legend: &'static str,
        value: &str,
        choices: Choices,
    ) -> Radios {
        Radios {
            id,
            name,
            legend,
            value: value.to_owned(),
            choices: offered(choices),
        }
    }

    /// The questions asked with radios, with the answers given.
    pub fn questions(&self) -> Questions {
        Questions {
            sex_registered_at_birth: Self::radios(
                "lead_applicant-sex_registered_at_birth",
                "sex_registered_at_birth",
                "The lead applicant's sex, as registered at birth",
                &self.sex_registered_at_birth,
                SEX_REGISTERED_AT_BIRTH,
            ),
            gender_identity: Self::radios(
                "lead_applicant-gender_identity",
                "gender_identity",
                "Is the gender the lead applicant identifies with the same as their sex registered at birth?",
                &self.gender_identity,
                GENDER_IDENTITY,
            ),
            working_situation: Self::radios(
                "lead_applicant-working_situation",
                "working_situation",
                "Which of these best describes the lead applicant's working situation?",
                &self.working_situation,
                WORKING_SITUATION,
            ),
            armed_forces_link: Self::radios(
                "details-household_answers-armed_forces_link",
                "armed_forces_link",
                "Does anybody in the household have links to the UK armed forces?",
                &self.armed_forces_link,
                ARMED_FORCES_LINK,
            ),
            armed_forces_service: Self::radios(
                "details-household_answers-armed_forces_service",
                "armed_forces_service",
                "If a regular: are they still serving in the UK armed forces?",
                &self.armed_forces_service,
                ARMED_FORCES_SERVICE,
            ),
            injured_in_service: Self::radios(
                "details-household_answers-injured_in_service",
                "injured_in_service",
                "If a regular or reserve: were they seriously injured or ill as a result of serving?",
                &self.injured_in_service,
                ANSWER,
            ),
            health_condition: Self::radios(
                "details-household_answers-health_condition",
                "health_condition",
                "Does anybody in the household have a physical or mental health condition (or other illness) expected to last 12 months or more?",
                &self.health_condition,
                ANSWER,
            ),
            net_income_known: Self::radios(
                "details-household_answers-net_income_known",
                "net_income_known",
                "Do you know the household's combined total income after tax?",
                &self.net_income_known,
                ANSWER,
            ),
            income_frequency: Self::radios(
                "details-household_answers-income_frequency",
                "income_frequency",
                "If known: how often does the household receive that income?",
                &self.income_frequency,
                INCOME_FREQUENCY,
            ),
            housing_benefit: Self::radios(
                "details-household_answers-housing_benefit",
                "housing_benefit",
                "Is the household likely to be receiving any of these housing-related benefits?",
                &self.housing_benefit,
                HOUSING_BENEFIT,
            ),
            benefit_share: Self::radios(
                "details-household_answers-benefit_share",
                "benefit_share",
                "How much of the household's income is from Universal Credit, state pensions or benefits?",
                &self.benefit_share,
                BENEFIT_SHARE,
            ),
            time_in_area: Self::radios(
                "details-household_answers-time_in_area",
                "time_in_area",
                "How long has the household continuously lived in the council's area?",
                &self.time_in_area,
                TIME_IN_AREA,
            ),
        }
    }

    pub fn health_effects(&self) -> Vec<Effect> {
        HEALTH_EFFECTS
            .iter()
            .map(|(n, label)| {
                let name = format!("health_effect-{n}");
                Effect {
                    ticked: self.ticked.contains_key(&name),
                    name,
                    label,
                }
            })
            .collect()
    }

    pub fn ethnic_backgrounds() -> Vec<(String, &'static str)> {
        offered(ETHNIC_BACKGROUND)
    }

    pub fn reasons_for_leaving() -> Vec<(String, &'static str)> {
        offered(REASON_FOR_LEAVING)
    }
}

/// The form fields of the register's `members[i]`: `members-i`.
pub fn member_prefix(i: usize) -> String {
    format!("members-{i}")
}

/// The questions of CORE's asked of each person other than the lead applicant: as one
/// person's part of a form, posted and shown again. Each choice is posted as the proto
/// enum's number; a number the form does not offer reads as unanswered.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PersonAnswers {
    pub sex_registered_at_birth: String,
    pub gender_identity: String,
    pub gender_description: String,
    pub working_situation: String,
}

/// The questions asked of each person, by the part of their form field's name after the
/// person's prefix (which is the register's field name too).
const PERSON_QUESTIONS: [&str; 4] = [
    "sex_registered_at_birth",
    "gender_identity",
    "gender_description",
    "working_situation",
];

/// Whom a person's questions are about, in the words of the questions.
pub struct Who {
    /// "Kofi Osei", or "The person joining".
    pub name: String,
    /// "Kofi Osei's", or "their".
    pub whose: String,
    /// "Kofi Osei", or "they".
    pub subject: String,
}

impl Who {
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            whose: format!("{name}'s"),
            subject: name.to_owned(),
        }
    }

    pub fn joining() -> Self {
        Self {
            name: "The person joining".into(),
            whose: "their".into(),
            subject: "they".into(),
        }
    }
}

/// One radio of a question.
pub struct Choice {
    pub id: String,
    pub value: String,
    pub words: &'static str,
    pub checked: bool,
    /// The question's follow-up is for this choice, and is shown under it. It is not hidden
    /// until chosen: the Design System's conditional reveal marks the radio
    /// `aria-expanded`, which ARIA does not allow a radio and the console's accessibility
    /// checks refuse.
    pub follow_up: bool,
}

/// A free-text follow-up to a question asked with radios.
pub struct FollowUp {
    pub id: String,
    pub name: String,
    pub label: String,
    pub value: String,
    pub error: Option<String>,
}

/// A question of a person's asked with radios, with its choices built for its form fields;
/// `id` is the register's field, as errors link to it.
pub struct Asked {
    pub id: String,
    pub name: String,
    pub legend: String,
    pub hint: &'static str,
    pub choices: Vec<Choice>,
    pub error: Option<String>,
    pub follow_up: Option<FollowUp>,
}

/// One person's questions, each optional, for a form.
pub struct PersonQuestions {
    pub heading: String,
    pub questions: Vec<Asked>,
}

impl PersonAnswers {
    pub fn from_member(m: &pb::HouseholdMember) -> Self {
        Self {
            sex_registered_at_birth: shown(m.sex_registered_at_birth),
            gender_identity: shown(m.gender_identity),
            gender_description: m.gender_description.clone(),
            working_situation: shown(m.working_situation),
        }
    }

    /// The answers posted in the fields named `{prefix}-{question}`.
    pub fn from_fields(fields: &HashMap<String, String>, prefix: &str) -> Self {
        let field = |q: &str| {
            fields
                .get(&format!("{prefix}-{q}"))
                .cloned()
                .unwrap_or_default()
        };
        Self {
            sex_registered_at_birth: field("sex_registered_at_birth"),
            gender_identity: field("gender_identity"),
            gender_description: field("gender_description"),
            working_situation: field("working_situation"),
        }
    }

    /// The fields `{prefix}-{question}` that show these answers.
    pub fn fields(&self, prefix: &str) -> Vec<(String, String)> {
        PERSON_QUESTIONS
            .iter()
            .zip([
                &self.sex_registered_at_birth,
                &self.gender_identity,
                &self.gender_description,
                &self.working_situation,
            ])
            .filter(|(_, v)| !v.is_empty())
            .map(|(q, v)| (format!("{prefix}-{q}"), v.clone()))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        [
            &self.sex_registered_at_birth,
            &self.gender_identity,
            &self.gender_description,
            &self.working_situation,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }

    /// These answers onto `m`, keeping the rest of what the register has of them. A question
    /// left blank goes unanswered: for equality data the register did not show, it keeps
    /// what it has.
    pub fn apply(&self, m: &mut pb::HouseholdMember) {
        m.sex_registered_at_birth = chosen(&self.sex_registered_at_birth, SEX_REGISTERED_AT_BIRTH);
        m.gender_identity = chosen(&self.gender_identity, GENDER_IDENTITY);
        m.gender_description = self.gender_description.trim().to_owned();
        m.working_situation = chosen(&self.working_situation, WORKING_SITUATION);
    }

    /// The questions for the fields named `{prefix}-{question}`, about `who`, with the
    /// answers given and each field's problem in `errors`.
    pub fn questions(
        &self,
        prefix: &str,
        who: &Who,
        heading: String,
        errors: &[FieldError],
    ) -> PersonQuestions {
        let error = |field: &str| crate::web::error_for(errors, field).map(str::to_owned);
        let asked = |question: &str,
                     legend: String,
                     hint: &'static str,
                     value: &str,
                     choices: Choices,
                     follow_up_on: i32,
                     follow_up: Option<FollowUp>| {
            let id = format!("{prefix}-{question}");
            Asked {
                choices: choices
                    .iter()
                    .enumerate()
                    .map(|(k, (n, words))| Choice {
                        id: if k == 0 {
                            id.clone()
                        } else {
                            format!("{id}-{n}")
                        },
                        value: n.to_string(),
                        words,
                        checked: value == n.to_string(),
                        follow_up: *n == follow_up_on,
                    })
                    .collect(),
                error: error(&id),
                name: id.clone(),
                id,
                legend,
                hint,
                follow_up,
            }
        };
        let description = format!("{prefix}-gender_description");
        let subject = &who.subject;
        let whose = &who.whose;
        let capital_whose = crate::web::sentence(whose);
        PersonQuestions {
            heading,
            questions: vec![
                asked(
                    "sex_registered_at_birth",
                    format!("{capital_whose} sex, as registered at birth"),
                    "Optional",
                    &self.sex_registered_at_birth,
                    SEX_REGISTERED_AT_BIRTH,
                    -1,
                    None,
                ),
                asked(
                    "gender_identity",
                    format!(
                        "Is the gender {subject} {} with the same as their sex registered at birth?",
                        if subject == "they" {
                            "identify"
                        } else {
                            "identifies"
                        }
                    ),
                    "Optional",
                    &self.gender_identity,
                    GENDER_IDENTITY,
                    pb::GenderIdentity::Different as i32,
                    Some(FollowUp {
                        error: error(&description),
                        id: description.clone(),
                        name: description,
                        label: format!("If different: {whose} gender, in their own words"),
                        value: self.gender_description.clone(),
                    }),
                ),
                asked(
                    "working_situation",
                    format!("Which of these best describes {whose} working situation?"),
                    "Optional. Child under 16 is only for someone under 16",
                    &self.working_situation,
                    WORKING_SITUATION,
                    -1,
                    None,
                ),
            ],
        }
    }
}

/// The register's refusal with each problem of a person's answers put to the form: the
/// register names them `members[i].question` (the form's `members-i-question`, dots as
/// dashes), and `place(i)` says whom the register's `members[i]` is and under which prefix
/// the form asks their questions, if it does. A problem with a question the form does not
/// ask of them keeps no field; each is worded with the person's name.
pub fn placed(
    errors: Vec<FieldError>,
    place: impl Fn(usize) -> Option<(Who, Option<String>)>,
) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| {
            let Some((i, question)) = e.field.as_deref().and_then(member_field) else {
                return e;
            };
            let Some((who, prefix)) = place(i) else {
                return e;
            };
            let field = prefix
                .filter(|_| PERSON_QUESTIONS.contains(&question.as_str()))
                .map(|p| format!("{p}-{question}"));
            let said = e.message.to_lowercase();
            let message = match question.as_str() {
                "working_situation" if said.contains("under 16") => format!(
                    "{} is 16 or over: choose a working situation other than child under 16",
                    who.name
                ),
                "gender_description" if said.starts_with("must give") => format!(
                    "Enter {} gender in their own words, or choose another answer",
                    who.whose
                ),
                _ => {
                    let mut chars = e.message.chars();
                    let lower: String = chars
                        .next()
                        .map(|c| c.to_lowercase().chain(chars).collect())
                        .unwrap_or_default();
                    format!(
                        "{}: {} {lower}",
                        who.name,
                        question.replace(['_', '-'], " ")
                    )
                }
            };
            FieldError { field, message }
        })
        .collect()
}

/// `members[3]-working_situation` as 3 and `working_situation`.
fn member_field(field: &str) -> Option<(usize, String)> {
    let rest = field.strip_prefix("members[")?;
    let (i, question) = rest.split_once("]-")?;
    Some((i.parse().ok()?, question.to_owned()))
}

/// Every CORE answer the register returned, in words, a row each: the household's people
/// first (by their place in it, each member other than the lead by name), then the
/// household's. Unanswered questions are left out.
pub fn summary(people: &[&pb::HouseholdMember], a: &pb::HouseholdAnswers) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut row = |key: String, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            rows.push((key, value));
        }
    };
    for (i, m) in people.iter().enumerate() {
        let name = format!("{} {}", m.given_name, m.family_name);
        let who = if i == 0 {
            "Lead applicant".to_owned()
        } else if name.trim().is_empty() {
            format!("Household member {}", i + 1)
        } else {
            name.trim().to_owned()
        };
        let nationality = m.nationality.map(|n| {
            if n.prefers_not_to_say {
                "Prefers not to say".to_owned()
            } else {
                format!("Country {}", n.country_code)
            }
        });
        let gender = words(m.gender_identity, GENDER_IDENTITY).map(|w| {
            if m.gender_description.is_empty() {
                w.to_owned()
            } else {
                format!("{w}: {}", m.gender_description)
            }
        });
        row(
            format!("{who}: sex registered at birth"),
            words(m.sex_registered_at_birth, SEX_REGISTERED_AT_BIRTH).map(str::to_owned),
        );
        row(
            format!("{who}: gender the same as sex registered at birth"),
            gender,
        );
        row(
            format!("{who}: working situation"),
            words(m.working_situation, WORKING_SITUATION).map(str::to_owned),
        );
        row(
            format!("{who}: ethnic background"),
            words(m.ethnic_background, ETHNIC_BACKGROUND).map(str::to_owned),
        );
        row(format!("{who}: nationality"), nationality);
    }
    let answer = |value: i32, choices: Choices| words(value, choices).map(str::to_owned);
    let ticked = |on: bool| on.then(|| "Yes".to_owned());
    row(
        "Links to the UK armed forces".into(),
        answer(a.armed_forces_link, ARMED_FORCES_LINK),
    );
    row(
        "Still serving".into(),
        answer(a.armed_forces_service, ARMED_FORCES_SERVICE),
    );
    row(
        "Injured or ill as a result of serving".into(),
        answer(a.injured_in_service, ANSWER),
    );
    row(
        "Pregnancy: prefers not to say".into(),
        ticked(a.pregnancy_prefers_not_to_say),
    );
    row(
        "Long-term health condition".into(),
        answer(a.health_condition, ANSWER),
    );
    row(
        "How the condition affects them".into(),
        Some(
            a.health_effects
                .iter()
                .filter_map(|e| words(*e, HEALTH_EFFECTS))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    );
    row(
        "Other disabled access needs".into(),
        ticked(a.other_access_needs),
    );
    row(
        "Income after tax known".into(),
        answer(a.net_income_known, ANSWER),
    );
    row(
        "Income after tax".into(),
        (a.net_income_known == pb::Answer::Yes as i32).then(|| {
            format!(
                "£{} {}",
                super::answers::pounds(Some(a.net_income_pence)),
                words(a.income_frequency, INCOME_FREQUENCY)
                    .unwrap_or_default()
                    .to_lowercase()
            )
        }),
    );
    row(
        "Housing-related benefits".into(),
        answer(a.housing_benefit, HOUSING_BENEFIT),
    );
    row(
        "Income from Universal Credit, state pensions or benefits".into(),
        answer(a.benefit_share, BENEFIT_SHARE),
    );
    row(
        "Postcode of the last settled home".into(),
        Some(a.last_settled_postcode.clone()),
    );
    row(
        "Reason for leaving the last settled home".into(),
        answer(a.reason_for_leaving, REASON_FOR_LEAVING).map(|w| {
            if a.reason_for_leaving_other.is_empty() {
                w
            } else {
                format!("{w}: {}", a.reason_for_leaving_other)
            }
        }),
    );
    row(
        "Time in the council's area".into(),
        answer(a.time_in_area, TIME_IN_AREA),
    );
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_form_shows_it_posts_back_unchanged() {
        let lead = pb::HouseholdMember {
            sex_registered_at_birth: pb::SexRegisteredAtBirth::Female as i32,
            gender_identity: pb::GenderIdentity::Different as i32,
            gender_description: "Non-binary".into(),
            working_situation: pb::WorkingSituation::Retired as i32,
            ethnic_background: pb::EthnicBackground::Arab as i32,
            nationality: Some(pb::Nationality {
                country_code: 826,
                prefers_not_to_say: false,
            }),
            ..Default::default()
        };
        let answers = pb::HouseholdAnswers {
            armed_forces_link: pb::ArmedForcesLink::Regular as i32,
            armed_forces_service: pb::ArmedForcesService::StillServing as i32,
            health_condition: pb::Answer::Yes as i32,
            health_effects: vec![
                pb::HealthEffect::Hearing as i32,
                pb::HealthEffect::Vision as i32,
            ],
            net_income_known: pb::Answer::Yes as i32,
            net_income_pence: 41_250,
            income_frequency: pb::IncomeFrequency::Weekly as i32,
            last_settled_postcode: "E2 7QQ".into(),
            reason_for_leaving: pb::ReasonForLeaving::Other as i32,
            reason_for_leaving_other: "Flood".into(),
            time_in_area: pb::TimeInArea::TimeInArea1To2Years as i32,
            ..Default::default()
        };
        let form = CoreForm::from_application(&lead, &[], &answers);
        let (mut lead_back, mut answers_back) = Default::default();
        let mut errors = Vec::new();
        form.apply(&mut lead_back, &mut [], &mut answers_back, &mut errors);
        assert!(errors.is_empty());
        assert_eq!((lead_back, answers_back), (lead, answers));
    }

    #[test]
    fn an_unoffered_choice_is_unanswered_and_an_unreadable_amount_is_named() {
        let form = CoreForm {
            working_situation: "999".into(),
            net_income: "lots".into(),
            ..Default::default()
        };
        let (mut lead, mut answers) = Default::default();
        let mut errors = Vec::new();
        form.apply(&mut lead, &mut [], &mut answers, &mut errors);
        assert_eq!(lead.working_situation, 0);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].field.as_deref(),
            Some("details-household_answers-net_income_pence")
        );
    }

    #[test]
    fn every_choice_asked_with_radios_is_offered() {
        let q = CoreForm::default().questions();
        for (radios, table) in [
            (q.sex_registered_at_birth, SEX_REGISTERED_AT_BIRTH),
            (q.gender_identity, GENDER_IDENTITY),
            (q.working_situation, WORKING_SITUATION),
            (q.armed_forces_link, ARMED_FORCES_LINK),
            (q.armed_forces_service, ARMED_FORCES_SERVICE),
            (q.injured_in_service, ANSWER),
            (q.health_condition, ANSWER),
            (q.net_income_known, ANSWER),
            (q.income_frequency, INCOME_FREQUENCY),
            (q.housing_benefit, HOUSING_BENEFIT),
            (q.benefit_share, BENEFIT_SHARE),
            (q.time_in_area, TIME_IN_AREA),
        ] {
            assert_eq!(radios.choices.len(), table.len(), "{}", radios.id);
        }
    }

    fn kofi() -> pb::HouseholdMember {
        pb::HouseholdMember {
            given_name: "Kofi".into(),
            family_name: "Osei".into(),
            date_of_birth: "2019-09-30".into(),
            sex_registered_at_birth: pb::SexRegisteredAtBirth::Male as i32,
            gender_identity: pb::GenderIdentity::Different as i32,
            gender_description: "Non-binary".into(),
            working_situation: pb::WorkingSituation::ChildUnder16 as i32,
            ethnic_background: pb::EthnicBackground::BlackAfrican as i32,
            nationality: Some(pb::Nationality {
                country_code: 288,
                prefers_not_to_say: false,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn what_the_form_shows_of_each_member_it_posts_back_unchanged() {
        let ama = pb::HouseholdMember {
            given_name: "Ama".into(),
            working_situation: pb::WorkingSituation::FullTimeStudent as i32,
            ..Default::default()
        };
        let members = [kofi(), ama];
        let lead = pb::HouseholdMember::default();
        let answers = pb::HouseholdAnswers::default();
        let form = CoreForm::from_application(&lead, &members, &answers);
        assert_eq!(form.member(0), PersonAnswers::from_member(&members[0]));
        // Posted as the browser would: each shown field by its name.
        let body = serde_urlencoded::to_string(form.ticked.iter().collect::<Vec<_>>()).unwrap();
        let posted: CoreForm = serde_urlencoded::from_str(&body).unwrap();
        // The register's own copies, as the answers form starts from them.
        let mut back = members.clone();
        let (mut lead_back, mut answers_back) = Default::default();
        let mut errors = Vec::new();
        posted.apply(&mut lead_back, &mut back, &mut answers_back, &mut errors);
        assert!(errors.is_empty());
        assert_eq!(back, members);
    }

    #[test]
    fn a_members_unoffered_choice_is_unanswered_and_what_they_were_not_asked_is_kept() {
        let posted: CoreForm = serde_urlencoded::from_str(
            "members-0-working_situation=999&members-0-sex_registered_at_birth=2\
             &members-0-gender_identity=&members-0-gender_description=",
        )
        .unwrap();
        // The register withheld Kofi's equality answers: he comes back without them.
        let mut members = vec![pb::HouseholdMember {
            sex_registered_at_birth: 0,
            gender_identity: 0,
            gender_description: String::new(),
            ethnic_background: 0,
            nationality: None,
            ..kofi()
        }];
        let (mut lead, mut answers) = Default::default();
        let mut errors = Vec::new();
        posted.apply(&mut lead, &mut members, &mut answers, &mut errors);
        assert!(errors.is_empty());
        let m = &members[0];
        assert_eq!(m.working_situation, 0, "999 is no working situation");
        assert_eq!(
            m.sex_registered_at_birth,
            pb::SexRegisteredAtBirth::Male as i32
        );
        // Blank: sent unanswered, for the register to keep what it has.
        assert_eq!(
            (m.gender_identity, m.ethnic_background, m.nationality),
            (0, 0, None)
        );
        assert_eq!(
            (m.given_name.as_str(), m.date_of_birth.as_str()),
            ("Kofi", "2019-09-30")
        );
    }

    #[test]
    fn each_members_questions_are_asked_by_their_own_fields() {
        let members = [kofi()];
        let form = CoreForm::from_application(&Default::default(), &members, &Default::default());
        let errors = [FieldError::on("members-0-gender_description", "Enter it")];
        let asked = form.member_questions(&members, &errors);
        assert_eq!(asked.len(), 1);
        assert_eq!(asked[0].heading, "About Kofi Osei");
        let ids: Vec<_> = asked[0].questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "members-0-sex_registered_at_birth",
                "members-0-gender_identity",
                "members-0-working_situation"
            ]
        );
        let gender = &asked[0].questions[1];
        let different = gender.choices.iter().find(|c| c.follow_up).unwrap();
        assert!(different.checked);
        assert_eq!(different.words, "No, their gender identity is different");
        let follow_up = gender.follow_up.as_ref().unwrap();
        assert_eq!(follow_up.value, "Non-binary");
        assert_eq!(follow_up.error.as_deref(), Some("Enter it"));
        let working = &asked[0].questions[2];
        assert_eq!(working.choices.len(), WORKING_SITUATION.len());
        assert_eq!(working.choices[0].id, "members-0-working_situation");
        assert!(
            working
                .choices
                .iter()
                .any(|c| c.checked && c.words == "Child under 16")
        );
        assert!(
            asked[0]
                .questions
                .iter()
                .all(|q| q.hint.starts_with("Optional"))
        );
    }

    #[test]
    fn the_registers_problem_with_a_members_answer_links_to_its_field() {
        let errors = vec![
            FieldError::on(
                "members[1]-working_situation",
                "Can be 'child under 16' only for someone under 16 today",
            ),
            FieldError::on("members[0]-nationality-country_code", "An ISO code"),
            FieldError::on("lead_applicant-working_situation", "Lead's"),
        ];
        let placed = placed(errors, |i| {
            let name = ["Kofi Osei", "Ama Osei"][i];
            Some((Who::named(name), Some(member_prefix(i))))
        });
        let shown: Vec<_> = placed
            .iter()
            .map(|e| (e.field.as_deref(), e.message.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    Some("members-1-working_situation"),
                    "Ama Osei is 16 or over: choose a working situation other than child under 16"
                ),
                (None, "Kofi Osei: nationality country code an ISO code"),
                (Some("lead_applicant-working_situation"), "Lead's"),
            ]
        );
    }

    #[test]
    fn only_answers_given_are_summarised() {
        let lead = pb::HouseholdMember {
            working_situation: pb::WorkingSituation::FullTime as i32,
            ..Default::default()
        };
        let child = pb::HouseholdMember {
            given_name: "Kofi".into(),
            family_name: "Osei".into(),
            working_situation: pb::WorkingSituation::ChildUnder16 as i32,
            ..Default::default()
        };
        let rows = summary(&[&lead, &child], &pb::HouseholdAnswers::default());
        assert_eq!(
            rows,
            [
                (
                    "Lead applicant: working situation".to_owned(),
                    "Full-time: 30 hours or more a week".to_owned()
                ),
                (
                    "Kofi Osei: working situation".to_owned(),
                    "Child under 16".to_owned()
                )
            ]
        );
    }
}
