//! Assessment of an application under the scheme: reasonable preference, band and bedroom
//! need, each with the rules that decided it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::household::Household;
use super::scheme::Scheme;

/// What the applicant told us about their housing, as the scheme's conditions read it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Circumstances {
    pub current_bedrooms: u32,
    pub homeless: bool,
    pub owed_homelessness_duty: bool,
    pub medical_need: bool,
    pub needs_to_move_for_hardship: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub band: String,
    pub bedroom_need: u32,
    pub effective_date: NaiveDate,
    /// s.166A(3) categories that apply, e.g. `c_overcrowded`.
    pub reasonable_preference: Vec<String>,
    pub rules_fired: Vec<String>,
    pub scheme_version: String,
}

pub fn assess(
    scheme: &Scheme,
    household: &Household,
    circumstances: &Circumstances,
    on: NaiveDate,
) -> Assessment {
    let need = scheme.bedroom_standard.need(household, on);
    let mut rules_fired: Vec<String> = need
        .rooms
        .iter()
        .map(|room| format!("bedroom standard: one bedroom for {room}"))
        .collect();

    let shortfall = need.bedrooms.saturating_sub(circumstances.current_bedrooms);
    let facts: Vec<&str> = [
        ("homeless", circumstances.homeless),
        (
            "owed_homelessness_duty",
            circumstances.owed_homelessness_duty,
        ),
        ("overcrowded_by_1", shortfall >= 1),
        ("overcrowded_by_2", shortfall >= 2),
        ("medical_need", circumstances.medical_need),
        ("hardship_move", circumstances.needs_to_move_for_hardship),
    ]
    .into_iter()
    .filter_map(|(name, holds)| holds.then_some(name))
    .collect();

    let mut reasonable_preference = Vec::new();
    for (category, holds) in [
        ("a_homeless", circumstances.homeless),
        (
            "b_owed_homelessness_duty",
            circumstances.owed_homelessness_duty,
        ),
        ("c_overcrowded", shortfall >= 1),
        ("d_medical_or_welfare", circumstances.medical_need),
        ("e_hardship_move", circumstances.needs_to_move_for_hardship),
    ] {
        if holds {
            reasonable_preference.push(category.to_owned());
        }
    }

    let rule = scheme
        .bands
        .iter()
        .find(|rule| {
            rule.when_any.is_empty() || rule.when_any.iter().any(|c| facts.contains(&c.as_str()))
        })
        .expect("a valid scheme's last band takes everyone");
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

    Assessment {
        band: rule.band.clone(),
        bedroom_need: need.bedrooms,
        effective_date: on,
        reasonable_preference,
        rules_fired,
        scheme_version: scheme.version.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::household::{Member, Relationship, Sex};

    fn scheme() -> Scheme {
        Scheme::parse(include_str!("../../schemes/banding-example.toml")).unwrap()
    }

    fn adult_couple_with_children(ages: &[u32]) -> Household {
        let person = |age: u32, relationship| Member {
            given_name: "G".into(),
            family_name: "F".into(),
            date_of_birth: NaiveDate::from_ymd_opt(2026 - age as i32, 1, 1).unwrap(),
            sex: Sex::Female,
            relationship,
            pregnant: false,
        };
        let mut members = vec![
            person(35, Relationship::LeadApplicant),
            person(35, Relationship::Partner),
        ];
        members.extend(ages.iter().map(|&a| person(a, Relationship::Child)));
        Household { members }
    }

    fn on() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn owed_a_homelessness_duty_gives_band_b_and_two_categories() {
        let c = Circumstances {
            current_bedrooms: 2,
            homeless: true,
            owed_homelessness_duty: true,
            ..Default::default()
        };
        let a = assess(&scheme(), &adult_couple_with_children(&[12]), &c, on());
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
    fn two_bedrooms_short_gives_band_a_as_overcrowded() {
        let c = Circumstances {
            current_bedrooms: 1,
            ..Default::default()
        };
        let a = assess(&scheme(), &adult_couple_with_children(&[4, 12]), &c, on());
        assert_eq!(a.bedroom_need, 3);
        assert_eq!(a.band, "A");
        assert_eq!(a.reasonable_preference, vec!["c_overcrowded"]);
    }

    #[test]
    fn no_preference_falls_to_the_last_band() {
        let c = Circumstances {
            current_bedrooms: 2,
            ..Default::default()
        };
        let a = assess(&scheme(), &adult_couple_with_children(&[3]), &c, on());
        assert_eq!(a.band, "D");
        assert!(a.reasonable_preference.is_empty());
    }
}
