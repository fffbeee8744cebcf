//! Who lives in the household.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::lettings_answers::PersonAnswers;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    LeadApplicant,
    Partner,
    Child,
    OtherRelative,
    Other,
}

/// The age in whole years on `on` of someone born on `born`.
pub fn age_on(born: NaiveDate, on: NaiveDate) -> u32 {
    let mut age = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub relationship: Relationship,
    pub pregnant: bool,
    /// Flattened so that a change of circumstances names them as the API does
    /// (`household.members[1].working_situation`).
    #[serde(flatten)]
    pub answers: PersonAnswers,
}

impl Member {
    /// Age in whole years on `on`.
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        age_on(self.date_of_birth, on)
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }

    fn same_person(&self, other: &Member) -> bool {
        (&self.given_name, &self.family_name, self.date_of_birth)
            == (&other.given_name, &other.family_name, other.date_of_birth)
    }
}

/// The household: the lead applicant first, then everyone who will live with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub members: Vec<Member>,
}

impl Household {
    pub fn lead(&self) -> &Member {
        &self.members[0]
    }

    /// The household as a role without the need for equality data is shown it.
    pub fn without_equality_data(&self) -> Self {
        Self {
            members: self
                .members
                .iter()
                .map(|m| Member {
                    answers: m.answers.without_equality_data(),
                    ..m.clone()
                })
                .collect(),
        }
    }

    /// This household, each person keeping the equality answers they had in `before` where
    /// this one leaves them unanswered. People are matched by name and date of birth, as
    /// someone joining or leaving moves everyone after them in the list.
    pub fn keeping_equality_data_of(self, before: &Household) -> Self {
        Self {
            members: self
                .members
                .into_iter()
                .map(
                    |m| match before.members.iter().find(|b| b.same_person(&m)) {
                        Some(b) => Member {
                            answers: m.answers.keeping_equality_data_of(&b.answers),
                            ..m
                        },
                        None => m,
                    },
                )
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn born(y: i32, m: u32, d: u32) -> Member {
        Member {
            given_name: "A".into(),
            family_name: "B".into(),
            date_of_birth: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            sex: Sex::Female,
            relationship: Relationship::Child,
            pregnant: false,
            answers: PersonAnswers::default(),
        }
    }

    #[test]
    fn age_turns_over_on_the_birthday_not_before() {
        let m = born(2016, 6, 15);
        assert_eq!(m.age_on(NaiveDate::from_ymd_opt(2026, 6, 14).unwrap()), 9);
        assert_eq!(m.age_on(NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()), 10);
    }

    #[test]
    fn members_stored_before_the_lettings_answers_read_unanswered() {
        let old = r#"{"given_name":"A","family_name":"B","date_of_birth":"2016-06-15",
                      "sex":"female","relationship":"child","pregnant":false}"#;
        let member: Member = serde_json::from_str(old).unwrap();
        assert_eq!(member.answers, PersonAnswers::default());
    }
}
