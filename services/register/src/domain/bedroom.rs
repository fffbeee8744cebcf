//! Bedroom need by the bedroom standard: one bedroom for each couple, each person at or over
//! the adult age, each pair of same-sex people from the sharing age up to the adult age,
//! each pair of children under the sharing age, and one for anyone left over. The ages are
//! the scheme's.

use chrono::NaiveDate;
use serde::Deserialize;

use super::household::{Household, Relationship, Sex};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct BedroomStandard {
    pub adult_age: u32,
    pub same_sex_sharing_age: u32,
}

impl Default for BedroomStandard {
    fn default() -> Self {
        Self {
            adult_age: 21,
            same_sex_sharing_age: 10,
        }
    }
}

/// The need, and the rooms that make it up, for the assessment's explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BedroomNeed {
    pub bedrooms: u32,
    pub rooms: Vec<String>,
}

impl BedroomStandard {
    pub fn need(&self, household: &Household, on: NaiveDate) -> BedroomNeed {
        let mut rooms = Vec::new();
        let mut rest: Vec<(u32, Sex)> = Vec::new();
        let has_partner = household
            .members
            .iter()
            .any(|m| m.relationship == Relationship::Partner);
        let mut couple_counted = false;
        for member in &household.members {
            let in_couple = has_partner
                && matches!(
                    member.relationship,
                    Relationship::LeadApplicant | Relationship::Partner
                );
            if in_couple {
                if !couple_counted {
                    rooms.push("a couple".to_owned());
                    couple_counted = true;
                }
                continue;
            }
            rest.push((member.age_on(on), member.sex));
        }

        let mut older = [0u32; 2];
        let mut young = 0u32;
        for (age, sex) in rest {
            if age >= self.adult_age {
                rooms.push(format!("a person aged {age}"));
            } else if age >= self.same_sex_sharing_age {
                older[sex as usize] += 1;
            } else {
                young += 1;
            }
        }
        for (count, sex) in older.iter().zip(["female", "male"]) {
            for _ in 0..count / 2 {
                rooms.push(format!(
                    "two {sex}s aged {}-{}",
                    self.same_sex_sharing_age,
                    self.adult_age - 1
                ));
            }
            if count % 2 == 1 {
                rooms.push(format!(
                    "a {sex} aged {}-{} left over",
                    self.same_sex_sharing_age,
                    self.adult_age - 1
                ));
            }
        }
        for _ in 0..young / 2 {
            rooms.push(format!("two children under {}", self.same_sex_sharing_age));
        }
        if young % 2 == 1 {
            rooms.push(format!(
                "a child under {} left over",
                self.same_sex_sharing_age
            ));
        }
        BedroomNeed {
            bedrooms: rooms.len() as u32,
            rooms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::household::Member;
    use proptest::prelude::*;

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
    }

    fn person(age: u32, sex: Sex, relationship: Relationship) -> Member {
        Member {
            given_name: "X".into(),
            family_name: "Y".into(),
            date_of_birth: NaiveDate::from_ymd_opt(TODAY.0 - age as i32, 1, 1).unwrap(),
            sex,
            relationship,
            pregnant: false,
        }
    }

    fn need(members: Vec<Member>) -> u32 {
        BedroomStandard::default()
            .need(&Household { members }, today())
            .bedrooms
    }

    #[test]
    fn a_couple_shares_one_bedroom() {
        assert_eq!(
            need(vec![
                person(30, Sex::Female, Relationship::LeadApplicant),
                person(31, Sex::Male, Relationship::Partner)
            ]),
            1
        );
    }

    #[test]
    fn two_children_under_ten_share_whatever_their_sex() {
        let kids = vec![
            person(30, Sex::Female, Relationship::LeadApplicant),
            person(4, Sex::Male, Relationship::Child),
            person(7, Sex::Female, Relationship::Child),
        ];
        assert_eq!(need(kids), 2);
    }

    #[test]
    fn children_of_different_sexes_either_side_of_ten_do_not_share() {
        // The journey's household: two adults, a boy of 4 and a girl of 11.
        let household = vec![
            person(35, Sex::Female, Relationship::LeadApplicant),
            person(36, Sex::Male, Relationship::Partner),
            person(4, Sex::Male, Relationship::Child),
            person(11, Sex::Female, Relationship::Child),
        ];
        assert_eq!(need(household), 3);
    }

    #[test]
    fn two_same_sex_teenagers_share() {
        let household = vec![
            person(40, Sex::Male, Relationship::LeadApplicant),
            person(12, Sex::Male, Relationship::Child),
            person(19, Sex::Male, Relationship::Child),
        ];
        assert_eq!(need(household), 2);
    }

    #[test]
    fn each_adult_outside_the_couple_has_a_room() {
        let household = vec![
            person(40, Sex::Male, Relationship::LeadApplicant),
            person(22, Sex::Male, Relationship::Child),
            person(70, Sex::Female, Relationship::OtherRelative),
        ];
        assert_eq!(need(household), 3);
    }

    #[test]
    fn a_council_can_lower_the_adult_age() {
        let household = Household {
            members: vec![
                person(40, Sex::Male, Relationship::LeadApplicant),
                person(17, Sex::Male, Relationship::Child),
                person(18, Sex::Male, Relationship::Child),
            ],
        };
        let sixteen = BedroomStandard {
            adult_age: 16,
            same_sex_sharing_age: 10,
        };
        assert_eq!(sixteen.need(&household, today()).bedrooms, 3);
        assert_eq!(
            BedroomStandard::default()
                .need(&household, today())
                .bedrooms,
            2
        );
    }

    fn arb_member() -> impl Strategy<Value = Member> {
        (
            0u32..90,
            any::<bool>(),
            prop_oneof![
                Just(Relationship::Child),
                Just(Relationship::OtherRelative),
                Just(Relationship::Partner)
            ],
        )
            .prop_map(|(age, female, rel)| {
                person(age, if female { Sex::Female } else { Sex::Male }, rel)
            })
    }

    proptest! {
        #[test]
        fn adding_a_person_never_lowers_need(mut others in prop::collection::vec(arb_member(), 0..8), extra in arb_member()) {
            let mut members = vec![person(30, Sex::Female, Relationship::LeadApplicant)];
            members.append(&mut others);
            let before = need(members.clone());
            let mut extra = extra;
            // A second partner would re-pair the couple; an extra person is anyone else.
            if extra.relationship == Relationship::Partner { extra.relationship = Relationship::OtherRelative; }
            members.push(extra);
            prop_assert!(need(members) >= before);
        }

        #[test]
        fn need_is_at_least_one_and_at_most_one_per_person(others in prop::collection::vec(arb_member(), 0..8)) {
            let mut members = vec![person(30, Sex::Female, Relationship::LeadApplicant)];
            members.extend(others);
            let n = need(members.clone());
            prop_assert!(n >= 1);
            prop_assert!(n as usize <= members.len());
        }
    }
}
