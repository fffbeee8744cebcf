//! Assessment of an application under the scheme: eligibility, qualification, reasonable
//! preference, band or points, bedroom need and effective date, each with the rules that
//! decided it.

use chrono::NaiveDate;

use super::application::Status;
use super::details::{Details, Tenure};
use super::eligibility;
use super::household::Household;
use super::qualification::Applicant;
use super::scheme::{Scheme, SchemeKind, TieBreak};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Active,
    NotEligible,
    NotQualifying,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Active => "active",
            Outcome::NotEligible => "not_eligible",
            Outcome::NotQualifying => "not_qualifying",
        }
    }

    pub fn status(self) -> Status {
        match self {
            Outcome::Active => Status::Active,
            Outcome::NotEligible => Status::NotEligible,
            Outcome::NotQualifying => Status::NotQualifying,
        }
    }
}

impl std::str::FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        [
            Outcome::Active,
            Outcome::NotEligible,
            Outcome::NotQualifying,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
        .ok_or_else(|| format!("unknown outcome {s}"))
    }
}

/// What led to an assessment: recorded with it, and carried on its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Submitted,
    Officer,
    ChangeOfCircumstances,
    Override,
    SchemeChange,
    Birthday,
    ReferralOutcome,
    ReviewDecision,
    EvidenceVerified,
    EvidenceRejected,
}

impl Trigger {
    pub const ALL: [Trigger; 10] = [
        Trigger::Submitted,
        Trigger::Officer,
        Trigger::ChangeOfCircumstances,
        Trigger::Override,
        Trigger::SchemeChange,
        Trigger::Birthday,
        Trigger::ReferralOutcome,
        Trigger::ReviewDecision,
        Trigger::EvidenceVerified,
        Trigger::EvidenceRejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Submitted => "submitted",
            Trigger::Officer => "officer",
            Trigger::ChangeOfCircumstances => "change_of_circumstances",
            Trigger::Override => "override",
            Trigger::SchemeChange => "scheme_change",
            Trigger::Birthday => "birthday",
            Trigger::ReferralOutcome => "referral_outcome",
            Trigger::ReviewDecision => "review_decision",
            Trigger::EvidenceVerified => "evidence_verified",
            Trigger::EvidenceRejected => "evidence_rejected",
        }
    }
}

impl std::str::FromStr for Trigger {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Trigger::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("unknown assessment trigger {s}"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub outcome: Outcome,
    /// The band under a banding scheme; empty under a points scheme or when not active.
    pub band: String,
    /// The points total under a points scheme.
    pub points: Option<u32>,
    pub bedroom_need: u32,
    pub effective_date: NaiveDate,
    /// s.166A(3) categories that apply, e.g. `c_overcrowded`.
    pub reasonable_preference: Vec<String>,
    /// Additional preference (s.166A(3), last part): reasonable preference and an urgent
    /// need the scheme names, e.g. armed forces under the 2012 regulations.
    pub additional_preference: bool,
    /// An existing social tenant (council or housing association) seeking a transfer, whom
    /// statutory returns count apart from the waiting list.
    pub transfer: bool,
    /// Eligibility and qualification rules that failed.
    pub reason_codes: Vec<String>,
    /// Qualification rules an exemption or a review waived, e.g. `residence: armed_forces`.
    pub exemptions: Vec<String>,
    pub rules_fired: Vec<String>,
    pub scheme_version: String,
}

impl Assessment {
    /// Whether a shortlist would see a difference: outcome, band, points or need.
    pub fn priority_differs(&self, other: &Assessment) -> bool {
        (self.outcome, &self.band, self.points, self.bedroom_need)
            != (other.outcome, &other.band, other.points, other.bedroom_need)
    }
}

/// Everything about an application the assessment reads.
pub struct Case<'a> {
    pub household: &'a Household,
    pub details: &'a Details,
    pub registered_on: NaiveDate,
    /// Qualification rules a decision review waived for this applicant.
    pub waived: &'a [String],
    /// The assessment in force, whose effective date carries over if priority is unchanged.
    pub previous: Option<&'a Assessment>,
}

pub fn assess(scheme: &Scheme, case: &Case<'_>, on: NaiveDate) -> Assessment {
    let details = case.details;
    let c = &details.circumstances;
    let need = scheme.bedroom_standard.need(case.household, on);
    let mut rules_fired: Vec<String> = need
        .rooms
        .iter()
        .map(|room| format!("bedroom standard: one bedroom for {room}"))
        .collect();

    let mut reason_codes = Vec::new();
    match eligibility::check(details.immigration) {
        Ok(rule) => rules_fired.push(rule.to_owned()),
        Err((code, _)) if case.waived.iter().any(|w| w == code) => {
            rules_fired.push(format!("eligible: found so on review ({code})"));
        }
        Err((code, rule)) => {
            reason_codes.push(code.to_owned());
            rules_fired.push(rule.to_owned());
        }
    }

    let lead_age = case.household.lead().age_on(on);
    let exempting_facts = [
        ("aged_55_or_over", lead_age >= 55),
        ("medical_need", c.medical_need),
        ("homeless", c.homeless),
        ("owed_homelessness_duty", c.owed_homelessness_duty),
        ("armed_forces", c.armed_forces),
        ("care_leaver_under_25", c.care_leaver && lead_age < 25),
        ("domestic_abuse", c.domestic_abuse),
        ("works_in_area", details.local_connection.works_in_area),
        (
            "close_family_in_area",
            details.local_connection.close_family_in_area,
        ),
    ]
    .into_iter()
    .filter_map(|(fact, holds)| holds.then_some(fact))
    .collect();
    let qualification = scheme.qualification.check(&Applicant {
        years_resident: details.local_connection.years_resident.unwrap_or(0),
        annual_income_pence: details.finances.annual_income_pence.unwrap_or(0),
        savings_pence: details.finances.savings_pence.unwrap_or(0),
        owns_a_home: c.owns_a_home,
        rent_arrears_pence: c.rent_arrears_pence,
        exempting_facts,
        waived: case.waived.to_vec(),
    });
    rules_fired.extend(qualification.rules_fired);
    let eligible = reason_codes.is_empty();
    reason_codes.extend(qualification.failed);
    let outcome = match (eligible, reason_codes.is_empty()) {
        (false, _) => Outcome::NotEligible,
        (true, false) => Outcome::NotQualifying,
        (true, true) => Outcome::Active,
    };

    let shortfall = need
        .bedrooms
        .saturating_sub(c.current_bedrooms.unwrap_or(0));
    let facts: Vec<&str> = [
        ("homeless", c.homeless),
        ("owed_homelessness_duty", c.owed_homelessness_duty),
        ("overcrowded_by_1", shortfall >= 1),
        ("overcrowded_by_2", shortfall >= 2),
        ("unsatisfactory_conditions", c.unsatisfactory_conditions),
        ("medical_need", c.medical_need),
        ("hardship_move", c.needs_to_move_for_hardship),
        ("armed_forces", c.armed_forces),
        ("exceptional_circumstances", c.exceptional_circumstances),
    ]
    .into_iter()
    .filter_map(|(name, holds)| holds.then_some(name))
    .collect();

    let reasonable_preference: Vec<String> = [
        ("a_homeless", c.homeless),
        ("b_owed_homelessness_duty", c.owed_homelessness_duty),
        ("c_overcrowded", shortfall >= 1),
        ("c_unsatisfactory_conditions", c.unsatisfactory_conditions),
        ("d_medical_or_welfare", c.medical_need),
        ("e_hardship_move", c.needs_to_move_for_hardship),
    ]
    .into_iter()
    .filter(|&(_, holds)| holds)
    .map(|(category, _)| category.to_owned())
    .collect();

    let additional_preference = !reasonable_preference.is_empty()
        && scheme
            .additional_preference
            .iter()
            .any(|fact| facts.contains(&fact.as_str()));
    let transfer = matches!(
        c.tenure,
        Some(Tenure::CouncilTenant | Tenure::HousingAssociationTenant)
    );

    let (band, points) = if outcome != Outcome::Active {
        rules_fired.push(format!(
            "no band or points: {}",
            outcome.as_str().replace('_', " ")
        ));
        (String::new(), None)
    } else {
        match scheme.kind {
            SchemeKind::Banding => (band(scheme, &facts, &mut rules_fired), None),
            SchemeKind::Points => (
                String::new(),
                Some(points(scheme, &facts, &mut rules_fired)),
            ),
        }
    };

    let effective_date = match (scheme.tie_break, case.previous) {
        (TieBreak::RegistrationDate, _) => case.registered_on,
        (TieBreak::PriorityDate, Some(previous))
            if previous.outcome == outcome
                && previous.band == band
                && previous.points == points =>
        {
            previous.effective_date
        }
        (TieBreak::PriorityDate, _) => on,
    };

    Assessment {
        outcome,
        band,
        points,
        bedroom_need: need.bedrooms,
        effective_date,
        reasonable_preference,
        additional_preference,
        transfer,
        reason_codes,
        exemptions: qualification.exemptions,
        rules_fired,
        scheme_version: scheme.version.clone(),
    }
}

fn band(scheme: &Scheme, facts: &[&str], rules_fired: &mut Vec<String>) -> String {
    let rule = scheme
        .bands
        .iter()
        .find(|rule| {
            rule.when_any.is_empty() || rule.when_any.iter().any(|c| facts.contains(&c.as_str()))
        })
        .expect("a valid banding scheme's last band takes everyone");
    let matched: Vec<&str> = rule
        .when_any
        .iter()
        .map(String::as_str)
        .filter(|c| facts.contains(c))
        .collect();
    rules_fired.push(if matched.is_empty() {
        format!("band {}: no higher band's conditions met", rule.band)
    } else {
        format!("band {}: {}", rule.band, matched.join(", "))
    });
    rule.band.clone()
}

fn points(scheme: &Scheme, facts: &[&str], rules_fired: &mut Vec<String>) -> u32 {
    let mut total = 0;
    for rule in &scheme.points {
        if facts.contains(&rule.condition.as_str()) {
            total += rule.points;
            rules_fired.push(format!("points: {} +{}", rule.condition, rule.points));
        }
    }
    rules_fired.push(format!("points: {total} in all"));
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::details::{Immigration, Mobility};
    use crate::domain::household::{Member, Relationship, Sex};

    fn banding() -> Scheme {
        Scheme::parse(include_str!("../../schemes/banding-example.toml")).unwrap()
    }

    fn points_scheme() -> Scheme {
        Scheme::parse(include_str!("../../schemes/points-example.toml")).unwrap()
    }

    /// Two adults and their children, a boy first and then girl and boy in turn, so that
    /// children either side of ten do not share a bedroom.
    fn couple_with_children(ages: &[u32]) -> Household {
        let person = |age: u32, sex, relationship| Member {
            given_name: "G".into(),
            family_name: "F".into(),
            date_of_birth: NaiveDate::from_ymd_opt(2026 - age as i32, 1, 1).unwrap(),
            sex,
            relationship,
            pregnant: false,
            answers: Default::default(),
        };
        let mut members = vec![
            person(35, Sex::Female, Relationship::LeadApplicant),
            person(35, Sex::Male, Relationship::Partner),
        ];
        members.extend(ages.iter().enumerate().map(|(i, &a)| {
            let sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
            person(a, sex, Relationship::Child)
        }));
        Household { members }
    }

    /// A complete, eligible and qualifying application with no preference.
    fn details(current_bedrooms: u32) -> Details {
        let mut d = Details::default();
        d.circumstances.current_bedrooms = Some(current_bedrooms);
        d.circumstances.tenure = Some(Tenure::PrivateRented);
        d.circumstances.address = "1 High Street".into();
        d.local_connection.years_resident = Some(5);
        d.immigration = Some(Immigration::BritishOrIrishCitizen);
        d.finances.annual_income_pence = Some(2_000_000);
        d.finances.savings_pence = Some(100_000);
        d.mobility = Some(Mobility::GeneralNeeds);
        d
    }

    fn on() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn run(scheme: &Scheme, household: &Household, details: &Details) -> Assessment {
        assess(
            scheme,
            &Case {
                household,
                details,
                registered_on: NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
                waived: &[],
                previous: None,
            },
            on(),
        )
    }

    #[test]
    fn category_a_homeless_gives_reasonable_preference() {
        let mut d = details(2);
        d.circumstances.homeless = true;
        let a = run(&banding(), &couple_with_children(&[12]), &d);
        assert_eq!(a.reasonable_preference, vec!["a_homeless"]);
        assert_eq!(a.band, "C");
    }

    #[test]
    fn category_b_owed_a_homelessness_duty_gives_band_b() {
        let mut d = details(2);
        d.circumstances.homeless = true;
        d.circumstances.owed_homelessness_duty = true;
        let a = run(&banding(), &couple_with_children(&[12]), &d);
        assert_eq!(a.band, "B");
        assert_eq!(
            a.reasonable_preference,
            vec!["a_homeless", "b_owed_homelessness_duty"]
        );
        assert_eq!(a.scheme_version, "2026.1");
        assert!(
            a.rules_fired
                .iter()
                .any(|r| r == "band B: owed_homelessness_duty")
        );
    }

    #[test]
    fn category_c_two_bedrooms_short_gives_band_a_as_overcrowded() {
        let a = run(&banding(), &couple_with_children(&[4, 12]), &details(1));
        assert_eq!(a.bedroom_need, 3);
        assert_eq!(a.band, "A");
        assert_eq!(a.reasonable_preference, vec!["c_overcrowded"]);
    }

    #[test]
    fn category_c_unsatisfactory_conditions_gives_reasonable_preference() {
        let mut d = details(2);
        d.circumstances.unsatisfactory_conditions = true;
        let a = run(&banding(), &couple_with_children(&[3]), &d);
        assert_eq!(a.reasonable_preference, vec!["c_unsatisfactory_conditions"]);
        assert_eq!(a.band, "B");
    }

    #[test]
    fn category_d_medical_or_welfare_gives_band_a() {
        let mut d = details(2);
        d.circumstances.medical_need = true;
        let a = run(&banding(), &couple_with_children(&[3]), &d);
        assert_eq!(a.reasonable_preference, vec!["d_medical_or_welfare"]);
        assert_eq!(a.band, "A");
    }

    #[test]
    fn category_e_hardship_move_gives_reasonable_preference() {
        let mut d = details(2);
        d.circumstances.needs_to_move_for_hardship = true;
        let a = run(&banding(), &couple_with_children(&[3]), &d);
        assert_eq!(a.reasonable_preference, vec!["e_hardship_move"]);
        assert_eq!(a.band, "C");
    }

    #[test]
    fn several_categories_apply_at_once() {
        let mut d = details(1);
        d.circumstances.medical_need = true;
        d.circumstances.needs_to_move_for_hardship = true;
        let a = run(&banding(), &couple_with_children(&[4, 12]), &d);
        assert_eq!(
            a.reasonable_preference,
            vec!["c_overcrowded", "d_medical_or_welfare", "e_hardship_move"]
        );
    }

    #[test]
    fn no_preference_falls_to_the_last_band() {
        let a = run(&banding(), &couple_with_children(&[3]), &details(2));
        assert_eq!(a.band, "D");
        assert!(a.reasonable_preference.is_empty());
        assert_eq!(a.outcome, Outcome::Active);
    }

    #[test]
    fn an_applicant_subject_to_immigration_control_is_not_eligible() {
        let mut d = details(2);
        d.immigration = Some(Immigration::SubjectToImmigrationControl);
        let a = run(&banding(), &couple_with_children(&[3]), &d);
        assert_eq!(a.outcome, Outcome::NotEligible);
        assert_eq!(a.reason_codes, vec!["subject_to_immigration_control"]);
        assert_eq!(a.band, "");
    }

    #[test]
    fn a_care_leaver_qualifies_without_local_connection_until_25_and_a_victim_of_abuse_always() {
        let mut d = details(2);
        d.local_connection.years_resident = Some(0);
        d.circumstances.care_leaver = true;
        // couple_with_children's lead is 35: too old for the care leaver's exemption.
        let a = run(&banding(), &couple_with_children(&[3]), &d);
        assert_eq!(a.reason_codes, vec!["residence"]);
        let mut young = couple_with_children(&[3]);
        young.members[0].date_of_birth = NaiveDate::from_ymd_opt(2002, 1, 1).unwrap();
        let a = run(&banding(), &young, &d);
        assert_eq!(a.outcome, Outcome::Active, "{:?}", a.rules_fired);
        assert_eq!(a.exemptions, vec!["residence: care_leaver_under_25"]);

        d.circumstances.care_leaver = false;
        d.circumstances.domestic_abuse = true;
        let a = run(&banding(), &couple_with_children(&[3]), &d);
        assert_eq!(a.outcome, Outcome::Active, "{:?}", a.rules_fired);
        assert_eq!(a.exemptions, vec!["residence: domestic_abuse"]);
    }

    #[test]
    fn a_short_residence_does_not_qualify_and_says_so() {
        let mut d = details(2);
        d.local_connection.years_resident = Some(1);
        let a = run(&banding(), &couple_with_children(&[3]), &d);
        assert_eq!(a.outcome, Outcome::NotQualifying);
        assert_eq!(a.reason_codes, vec!["residence"]);
        assert!(
            a.rules_fired
                .iter()
                .any(|r| r == "does not qualify: 1 year's residence against 2 required"),
            "{:?}",
            a.rules_fired
        );
    }

    #[test]
    fn an_applicant_aged_55_or_over_is_exempt_from_the_savings_cap() {
        let mut household = couple_with_children(&[]);
        household.members[0].date_of_birth = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap();
        let mut d = details(1);
        d.finances.savings_pence = Some(5_000_000);
        let a = run(&banding(), &household, &d);
        assert_eq!(a.outcome, Outcome::Active);
        assert_eq!(a.exemptions, vec!["savings: aged_55_or_over"]);
    }

    #[test]
    fn a_points_scheme_adds_the_points_of_every_condition() {
        let mut d = details(1);
        d.circumstances.homeless = true;
        d.circumstances.medical_need = true;
        let a = run(&points_scheme(), &couple_with_children(&[4, 12]), &d);
        // homeless 50 + overcrowded by 1 and by 2 (50 + 50) + medical 150
        assert_eq!(a.points, Some(300));
        assert_eq!(a.band, "");
        assert!(a.rules_fired.iter().any(|r| r == "points: 300 in all"));
    }

    #[test]
    fn under_registration_date_tie_break_the_effective_date_is_the_registration() {
        let a = run(&points_scheme(), &couple_with_children(&[3]), &details(2));
        assert_eq!(
            a.effective_date,
            NaiveDate::from_ymd_opt(2025, 1, 2).unwrap()
        );
    }

    #[test]
    fn an_unchanged_band_keeps_its_effective_date() {
        let scheme = banding();
        let household = couple_with_children(&[3]);
        let d = details(2);
        let mut previous = run(&scheme, &household, &d);
        previous.effective_date = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let again = assess(
            &scheme,
            &Case {
                household: &household,
                details: &d,
                registered_on: on(),
                waived: &[],
                previous: Some(&previous),
            },
            on(),
        );
        assert_eq!(again.effective_date, previous.effective_date);

        let mut moved = d.clone();
        moved.circumstances.medical_need = true;
        let promoted = assess(
            &scheme,
            &Case {
                household: &household,
                details: &moved,
                registered_on: on(),
                waived: &[],
                previous: Some(&previous),
            },
            on(),
        );
        assert_eq!(promoted.band, "A");
        assert_eq!(promoted.effective_date, on());
    }

    #[test]
    fn armed_forces_with_reasonable_preference_gives_additional_preference() {
        let mut d = details(2);
        d.circumstances.armed_forces = true;
        let household = couple_with_children(&[]);
        assert!(!run(&banding(), &household, &d).additional_preference);
        d.circumstances.owed_homelessness_duty = true;
        assert!(run(&banding(), &household, &d).additional_preference);
    }

    #[test]
    fn social_tenants_are_transfers() {
        let household = couple_with_children(&[]);
        let mut d = details(2);
        assert!(!run(&banding(), &household, &d).transfer);
        for tenure in [Tenure::CouncilTenant, Tenure::HousingAssociationTenant] {
            d.circumstances.tenure = Some(tenure);
            assert!(run(&banding(), &household, &d).transfer);
        }
    }
}
