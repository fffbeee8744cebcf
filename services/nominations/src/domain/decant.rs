//! Decants: what a household moved out for regeneration is owed. A home-loss payment
//! (Land Compensation Act 1973 s.29) goes to a household that lived in the home as its only
//! or main residence for at least a year before it moved; tenants get the prescribed fixed
//! amount, owner-occupiers a share of the market value between the prescribed floor and
//! ceiling. The amounts change each year by regulation, so they are settings with a version.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tenure {
    Tenant,
    OwnerOccupier,
}

/// The prescribed home-loss amounts in force.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HomeLossRules {
    pub version: String,
    pub tenant_pence: i64,
    /// The owner-occupier's share of market value, in per cent.
    pub owner_percent: i64,
    pub owner_minimum_pence: i64,
    pub owner_maximum_pence: i64,
}

impl HomeLossRules {
    /// Every setting that cannot be right, named as in the configuration.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.version.trim().is_empty() {
            problems.push("service.home_loss.version is not set".to_owned());
        }
        if self.tenant_pence <= 0 {
            problems.push("service.home_loss.tenant_pence must be above 0".to_owned());
        }
        if !(1..=100).contains(&self.owner_percent) {
            problems.push("service.home_loss.owner_percent must be 1 to 100".to_owned());
        }
        if self.owner_minimum_pence <= 0 || self.owner_maximum_pence < self.owner_minimum_pence {
            problems.push(
                "service.home_loss.owner_minimum_pence must be above 0 and not above owner_maximum_pence"
                    .to_owned(),
            );
        }
        problems
    }
}

/// The home-loss payment owed to a household that moved on `moved_on`, and why.
pub fn home_loss(
    rules: &HomeLossRules,
    tenure: Tenure,
    occupied_since: NaiveDate,
    moved_on: NaiveDate,
    market_value_pence: i64,
) -> (i64, String) {
    let qualifying = occupied_since + Months::new(12);
    if moved_on < qualifying {
        return (
            0,
            format!(
                "lived there from {occupied_since} and moved on {moved_on}: less than the year \
                 the payment needs (from {qualifying})"
            ),
        );
    }
    match tenure {
        Tenure::Tenant => (
            rules.tenant_pence,
            format!(
                "a tenant of a year or more: the fixed amount ({})",
                rules.version
            ),
        ),
        Tenure::OwnerOccupier => {
            let share = market_value_pence * rules.owner_percent / 100;
            let paid = share.clamp(rules.owner_minimum_pence, rules.owner_maximum_pence);
            let bound = if paid > share {
                ", raised to the minimum"
            } else if paid < share {
                ", capped at the maximum"
            } else {
                ""
            };
            (
                paid,
                format!(
                    "an owner-occupier of a year or more: {}% of the market value{bound} ({})",
                    rules.owner_percent, rules.version
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> HomeLossRules {
        HomeLossRules {
            version: "test".into(),
            tenant_pence: 810_000,
            owner_percent: 10,
            owner_minimum_pence: 810_000,
            owner_maximum_pence: 8_100_000,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_tenant_of_a_year_gets_the_fixed_amount_and_a_day_short_gets_nothing() {
        let since = d(2025, 3, 1);
        assert_eq!(
            home_loss(&rules(), Tenure::Tenant, since, d(2026, 3, 1), 0).0,
            810_000
        );
        let (paid, why) = home_loss(&rules(), Tenure::Tenant, since, d(2026, 2, 28), 0);
        assert_eq!(paid, 0);
        assert!(why.contains("less than the year"), "{why}");
    }

    #[test]
    fn an_owner_occupier_gets_a_tenth_of_the_value_between_the_floor_and_the_ceiling() {
        let (since, moved) = (d(2010, 1, 1), d(2026, 1, 1));
        let owner = |value| home_loss(&rules(), Tenure::OwnerOccupier, since, moved, value);
        assert_eq!(owner(30_000_000).0, 3_000_000);
        assert_eq!(owner(5_000_000).0, 810_000);
        assert!(owner(5_000_000).1.contains("raised to the minimum"));
        assert_eq!(owner(100_000_000).0, 8_100_000);
        assert!(owner(100_000_000).1.contains("capped at the maximum"));
    }

    #[test]
    fn rules_that_cannot_be_right_are_each_named() {
        let broken = HomeLossRules {
            version: String::new(),
            tenant_pence: 0,
            owner_percent: 0,
            owner_minimum_pence: 10,
            owner_maximum_pence: 5,
        };
        assert_eq!(broken.problems().len(), 4);
        assert!(rules().problems().is_empty());
    }
}
