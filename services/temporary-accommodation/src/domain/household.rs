//! A placement request's household, taken from the register application rather than
//! retyped: what the register says fills what the officer left blank, and what the officer
//! said differently is named so that someone confirms it before a unit is matched to it.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::matching::Need;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub date_of_birth: NaiveDate,
    pub lead: bool,
    pub pregnant: bool,
}

/// How accessible a home the register says the household needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mobility {
    Wheelchair,
    StepFree,
    GeneralNeeds,
    /// The register does not say.
    Unknown,
}

/// The household as the register application holds it.
#[derive(Debug, Clone)]
pub struct RegisterHousehold {
    pub reference: String,
    /// Lead applicant first.
    pub people: Vec<Person>,
    /// The register's bedroom need, once the application has been assessed.
    pub bedroom_need: Option<u32>,
    pub mobility: Mobility,
}

/// Under this age on the day the household needs to move in, a person counts as a child.
const ADULT_AGE: u32 = 18;

impl RegisterHousehold {
    fn has_children_on(&self, on: NaiveDate) -> bool {
        self.people.iter().any(|p| {
            on.years_since(p.date_of_birth)
                .is_some_and(|age| age < ADULT_AGE)
        })
    }

    fn lead_name(&self) -> Option<&str> {
        self.people.iter().find(|p| p.lead).map(|p| p.name.as_str())
    }
}

/// One answer of the officer's that the register contradicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The request's field.
    pub field: &'static str,
    /// What the register says and what the request says, in words.
    pub words: String,
}

/// Fills `lead_name` and `need` from the register where the officer left them blank, and
/// returns each answer the officer gave that the register contradicts. A need the register
/// records is never dropped for the officer's silence (a `false` cannot say "no"); a need
/// the officer adds that the register lacks is a difference to confirm.
pub fn reconcile(
    register: &RegisterHousehold,
    lead_name: &mut String,
    need: &mut Need,
    needed_from: NaiveDate,
) -> Vec<Difference> {
    let r = &register.reference;
    let mut differences = Vec::new();
    let mut differ = |field, words: String| differences.push(Difference { field, words });

    if let Some(name) = register.lead_name() {
        if lead_name.trim().is_empty() {
            *lead_name = name.to_owned();
        } else if !lead_name.trim().eq_ignore_ascii_case(name.trim()) {
            differ(
                "lead_name",
                format!(
                    "the register application {r} names the lead applicant {name}; the request says {lead_name}"
                ),
            );
        }
    }

    let people = u32::try_from(register.people.len()).unwrap_or(u32::MAX);
    if need.household_size == 0 {
        need.household_size = people;
    } else if need.household_size != people {
        differ(
            "household_size",
            format!(
                "the register application {r} lists {}; the request says {}",
                count(people, "person", "people"),
                count(need.household_size, "person", "people")
            ),
        );
    }

    if let Some(bedrooms) = register.bedroom_need {
        if need.bedrooms_needed == 0 {
            need.bedrooms_needed = bedrooms;
        } else if need.bedrooms_needed != bedrooms {
            differ(
                "bedrooms_needed",
                format!(
                    "the register assessed application {r} as needing {}; the request says {}",
                    count(bedrooms, "bedroom", "bedrooms"),
                    count(need.bedrooms_needed, "bedroom", "bedrooms")
                ),
            );
        }
    }

    let children = register.has_children_on(needed_from);
    let pregnant = register.people.iter().any(|p| p.pregnant);
    let wheelchair = register.mobility == Mobility::Wheelchair;
    let step_free = wheelchair || register.mobility == Mobility::StepFree;
    let known = register.mobility != Mobility::Unknown;
    let mut flag = |field, asked: &mut bool, holds: bool, checkable: bool, what: &str| {
        if holds {
            *asked = true;
        } else if *asked && checkable {
            differ(
                field,
                format!("the register application {r} does not record {what}; the request does"),
            );
        }
    };
    flag(
        "has_children",
        &mut need.has_children,
        children,
        true,
        &format!("a child under {ADULT_AGE} on {}", uk_date(needed_from)),
    );
    flag(
        "pregnant",
        &mut need.pregnant,
        pregnant,
        true,
        "a pregnancy",
    );
    flag(
        "needs_wheelchair_access",
        &mut need.needs_wheelchair_access,
        wheelchair,
        known,
        "a need for wheelchair access",
    );
    flag(
        "needs_step_free",
        &mut need.needs_step_free,
        step_free,
        known,
        "a need for step-free access",
    );
    differences
}

fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn uk_date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn person(name: &str, born: &str, lead: bool) -> Person {
        Person {
            name: name.into(),
            date_of_birth: date(born),
            lead,
            pregnant: false,
        }
    }

    fn family() -> RegisterHousehold {
        RegisterHousehold {
            reference: "HR-0000012".into(),
            people: vec![
                person("Amina Yusuf", "1990-03-01", true),
                person("Idris Yusuf", "2015-06-30", false),
                person("Sami Yusuf", "2008-12-10", false),
            ],
            bedroom_need: Some(2),
            mobility: Mobility::StepFree,
        }
    }

    fn blank() -> Need {
        Need {
            household_size: 0,
            bedrooms_needed: 0,
            has_children: false,
            pregnant: false,
            needs_step_free: false,
            needs_lift: false,
            needs_wheelchair_access: false,
            weekly_income_pence: None,
            anchors: vec![],
        }
    }

    #[test]
    fn a_blank_request_takes_the_whole_household_from_the_register() {
        let mut name = String::new();
        let mut need = blank();
        let differences = reconcile(&family(), &mut name, &mut need, date("2026-06-01"));
        assert!(differences.is_empty(), "{differences:?}");
        assert_eq!(name, "Amina Yusuf");
        assert_eq!(need.household_size, 3);
        assert_eq!(need.bedrooms_needed, 2);
        assert!(need.has_children);
        assert!(need.needs_step_free);
        assert!(!need.needs_wheelchair_access);
        assert!(!need.pregnant);
    }

    #[test]
    fn children_are_counted_on_the_day_the_household_moves_in() {
        // Sami turns 18 on 10 December 2026; Idris is still a child.
        let mut household = family();
        household.people.remove(1);
        let mut need = blank();
        reconcile(
            &household,
            &mut String::new(),
            &mut need,
            date("2026-12-09"),
        );
        assert!(need.has_children);
        let mut need = blank();
        reconcile(
            &household,
            &mut String::new(),
            &mut need,
            date("2026-12-10"),
        );
        assert!(!need.has_children);
    }

    #[test]
    fn each_answer_the_register_contradicts_is_named() {
        let mut name = "Amina Jones".to_owned();
        let mut need = Need {
            household_size: 2,
            bedrooms_needed: 3,
            pregnant: true,
            needs_wheelchair_access: true,
            ..blank()
        };
        let differences = reconcile(&family(), &mut name, &mut need, date("2026-06-01"));
        let fields: Vec<_> = differences.iter().map(|d| d.field).collect();
        assert_eq!(
            fields,
            [
                "lead_name",
                "household_size",
                "bedrooms_needed",
                "pregnant",
                "needs_wheelchair_access"
            ]
        );
        assert_eq!(
            differences[1].words,
            "the register application HR-0000012 lists 3 people; the request says 2 people"
        );
        // The officer's answers stand until confirmed or changed: nothing is overwritten.
        assert_eq!((need.household_size, need.bedrooms_needed), (2, 3));
        assert_eq!(name, "Amina Jones");
    }

    #[test]
    fn matching_answers_and_a_differently_cased_name_are_not_differences() {
        let mut name = "amina yusuf".to_owned();
        let mut need = Need {
            household_size: 3,
            bedrooms_needed: 2,
            has_children: true,
            needs_step_free: true,
            ..blank()
        };
        assert!(reconcile(&family(), &mut name, &mut need, date("2026-06-01")).is_empty());
    }

    #[test]
    fn an_unassessed_application_or_unknown_mobility_leaves_the_officers_answer() {
        let mut household = family();
        household.bedroom_need = None;
        household.mobility = Mobility::Unknown;
        let mut need = Need {
            bedrooms_needed: 1,
            needs_wheelchair_access: true,
            ..blank()
        };
        let differences = reconcile(
            &household,
            &mut String::new(),
            &mut need,
            date("2026-06-01"),
        );
        assert!(differences.is_empty(), "{differences:?}");
        assert_eq!(need.bedrooms_needed, 1);
        assert!(need.needs_wheelchair_access);
    }
}
