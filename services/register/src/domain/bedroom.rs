//! Bedroom need by the bedroom standard: one bedroom for each couple, each person at or over
//! the adult age, each pair of same-sex people from the sharing age up to the adult age and
//! each pair of children under the sharing age. Someone left over from the sharing age up
//! shares, where that is possible, with a child under the sharing age of the same sex;
//! anyone still left over has a room. The ages are the scheme's.

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

        // By sex (female, male): people from the sharing age up to the adult age, and
        // children under the sharing age.
        let mut older = [0u32; 2];
        let mut young = [0u32; 2];
        for (age, sex) in rest {
            if age >= self.adult_age {
                rooms.push(format!("a person aged {age}"));
            } else if age >= self.same_sex_sharing_age {
                older[sex as usize] += 1;
            } else {
                young[sex as usize] += 1;
            }
        }
        // The odd one out of a sex from the sharing age up may share with a child of the same
        // sex, which takes that child out of the children's own pairs. Whether that saves a
        // room depends on how the children then pair, so each choice is counted and the
        // fewest rooms kept (preferring fewer such shares when it makes no difference).
        let children = young[0] + young[1];
        let mixed = [[false, false], [true, false], [false, true], [true, true]]
            .into_iter()
            .filter(|mixed| (0..2).all(|s| !mixed[s] || (older[s] % 2 == 1 && young[s] > 0)))
            .min_by_key(|mixed| {
                let shares = mixed.iter().filter(|m| **m).count() as u32;
                (children - shares).div_ceil(2)
            })
            .unwrap_or([false, false]);
        let (lower, upper) = (self.same_sex_sharing_age, self.adult_age - 1);
        for (s, (person, child)) in [("female", "girl"), ("male", "boy")]
            .into_iter()
            .enumerate()
        {
            for _ in 0..older[s] / 2 {
                rooms.push(format!("two {person}s aged {lower}-{upper}"));
            }
            if older[s] % 2 == 1 {
                rooms.push(if mixed[s] {
                    format!("a {person} aged {lower}-{upper} and a {child} under {lower}")
                } else {
                    format!("a {person} aged {lower}-{upper} left over")
                });
            }
        }
        let unpaired = children - mixed.iter().filter(|m| **m).count() as u32;
        for _ in 0..unpaired / 2 {
            rooms.push(format!("two children under {lower}"));
        }
        if unpaired % 2 == 1 {
            rooms.push(format!("a child under {lower} left over"));
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
            answers: Default::default(),
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

    #[test]
    fn a_teenager_left_over_shares_with_a_child_of_the_same_sex() {
        // The standard's own example: a woman of 42 with sons of 19 and 1.
        let household = vec![
            person(42, Sex::Female, Relationship::LeadApplicant),
            person(19, Sex::Male, Relationship::Child),
            person(1, Sex::Male, Relationship::Child),
        ];
        let need = BedroomStandard::default().need(&Household { members: household }, today());
        assert_eq!(need.bedrooms, 2);
        assert!(
            need.rooms
                .contains(&"a male aged 10-20 and a boy under 10".to_owned())
        );
    }

    #[test]
    fn a_teenager_does_not_share_with_a_child_of_the_other_sex() {
        let household = vec![
            person(42, Sex::Female, Relationship::LeadApplicant),
            person(19, Sex::Male, Relationship::Child),
            person(1, Sex::Female, Relationship::Child),
        ];
        assert_eq!(need(household), 3);
    }

    #[test]
    fn children_split_to_share_with_a_teenage_sister_and_brother() {
        // Pairing the two young children together would leave both teenagers a room each.
        let household = vec![
            person(42, Sex::Female, Relationship::LeadApplicant),
            person(15, Sex::Female, Relationship::Child),
            person(13, Sex::Male, Relationship::Child),
            person(5, Sex::Female, Relationship::Child),
            person(3, Sex::Male, Relationship::Child),
        ];
        assert_eq!(need(household), 3);
    }

    /// The standard read as a matching problem, independently of the implementation: every
    /// way of putting people into rooms of one or two where each pair is one the standard
    /// allows, and the fewest rooms of any.
    fn fewest_rooms_by_search(members: &[Member], on: NaiveDate, standard: BedroomStandard) -> u32 {
        #[derive(Clone, Copy)]
        struct Sleeper {
            age: u32,
            sex: Sex,
            in_couple: bool,
        }
        let may_share = |a: Sleeper, b: Sleeper| {
            if a.in_couple || b.in_couple {
                return a.in_couple && b.in_couple;
            }
            let band = |age: u32| {
                if age >= standard.adult_age {
                    2
                } else if age >= standard.same_sex_sharing_age {
                    1
                } else {
                    0
                }
            };
            match (band(a.age), band(b.age)) {
                (0, 0) => true,
                (1, 1) | (0, 1) | (1, 0) => a.sex == b.sex,
                _ => false,
            }
        };
        fn fewest(people: &[Sleeper], may_share: &dyn Fn(Sleeper, Sleeper) -> bool) -> u32 {
            let Some((first, rest)) = people.split_first() else {
                return 0;
            };
            let mut best = 1 + fewest(rest, may_share);
            for i in 0..rest.len() {
                if may_share(*first, rest[i]) {
                    let mut others = rest.to_vec();
                    others.remove(i);
                    best = best.min(1 + fewest(&others, may_share));
                }
            }
            best
        }
        let has_partner = members
            .iter()
            .any(|m| m.relationship == Relationship::Partner);
        let people: Vec<Sleeper> = members
            .iter()
            .map(|m| Sleeper {
                age: m.age_on(on),
                sex: m.sex,
                in_couple: has_partner
                    && matches!(
                        m.relationship,
                        Relationship::LeadApplicant | Relationship::Partner
                    ),
            })
            .collect();
        fewest(&people, &may_share)
    }

    fn arb_age() -> impl Strategy<Value = u32> {
        prop_oneof![0u32..10, 10u32..21, 21u32..90]
    }

    fn arb_sex() -> impl Strategy<Value = Sex> {
        prop_oneof![Just(Sex::Female), Just(Sex::Male)]
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
        fn need_is_the_fewest_rooms_of_any_legal_sharing(
            lead in (arb_age(), arb_sex()),
            partner in prop::option::of((arb_age(), arb_sex())),
            others in prop::collection::vec((arb_age(), arb_sex(), prop_oneof![Just(Relationship::Child), Just(Relationship::OtherRelative)]), 0..8),
            adult_age in prop_oneof![Just(16u32), Just(18), Just(21)],
            sharing_age in 5u32..12,
        ) {
            let standard = BedroomStandard { adult_age, same_sex_sharing_age: sharing_age.min(adult_age - 1) };
            let mut members = vec![person(lead.0, lead.1, Relationship::LeadApplicant)];
            members.extend(partner.map(|(age, sex)| person(age, sex, Relationship::Partner)));
            members.extend(others.into_iter().map(|(age, sex, rel)| person(age, sex, rel)));
            let need = standard.need(&Household { members: members.clone() }, today());
            prop_assert_eq!(need.bedrooms, fewest_rooms_by_search(&members, today(), standard));
            prop_assert_eq!(need.bedrooms as usize, need.rooms.len());
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
