//! Who lives in the household.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub relationship: Relationship,
    pub pregnant: bool,
}

impl Member {
    /// Age in whole years on `on`.
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        let mut age = on.year() - self.date_of_birth.year();
        if (on.month(), on.day()) < (self.date_of_birth.month(), self.date_of_birth.day()) {
            age -= 1;
        }
        age.max(0) as u32
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
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
        }
    }

    #[test]
    fn age_turns_over_on_the_birthday_not_before() {
        let m = born(2016, 6, 15);
        assert_eq!(m.age_on(NaiveDate::from_ymd_opt(2026, 6, 14).unwrap()), 9);
        assert_eq!(m.age_on(NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()), 10);
    }
}
