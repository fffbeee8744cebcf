//! Arrears: how old the debt is, how many weeks it comes to, and where the account stands in
//! recovery. Stages move forward while the debt grows and fall away when it is cleared; a
//! payment plan holds the account while it is kept and sends it to referral when broken.

use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Clear,
    Reminder,
    FirstLetter,
    SecondLetter,
    PaymentPlan,
    /// Referred for a review of whether the placement should close (or, for a former
    /// tenant, for debt recovery).
    Referral,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Clear => "clear",
            Stage::Reminder => "reminder",
            Stage::FirstLetter => "first_letter",
            Stage::SecondLetter => "second_letter",
            Stage::PaymentPlan => "payment_plan",
            Stage::Referral => "referral",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Stage::Clear,
            Stage::Reminder,
            Stage::FirstLetter,
            Stage::SecondLetter,
            Stage::PaymentPlan,
            Stage::Referral,
        ]
        .into_iter()
        .find(|stage| stage.as_str() == s)
    }
}

/// Weeks of arrears that move an account to each stage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub reminder_weeks: f64,
    pub first_letter_weeks: f64,
    pub second_letter_weeks: f64,
    pub referral_weeks: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            reminder_weeks: 1.0,
            first_letter_weeks: 2.0,
            second_letter_weeks: 4.0,
            referral_weeks: 8.0,
        }
    }
}

/// An agreement to pay `instalment_pence` a week off the arrears, on top of the charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub start: NaiveDate,
    pub start_balance_pence: i64,
    pub instalment_pence: i64,
}

impl Plan {
    /// The most the balance may be on `on` if the plan is kept: the starting arrears less an
    /// instalment for each whole week, with one instalment's grace.
    pub fn ceiling(&self, on: NaiveDate) -> i64 {
        let weeks = (on - self.start).num_days().max(0) / 7;
        self.start_balance_pence - self.instalment_pence * weeks + self.instalment_pence
    }

    pub fn is_broken(&self, balance_pence: i64, on: NaiveDate) -> bool {
        balance_pence > self.ceiling(on)
    }
}

pub fn weeks_in_arrears(balance_pence: i64, weekly_pence: i64) -> f64 {
    if balance_pence <= 0 || weekly_pence <= 0 {
        0.0
    } else {
        balance_pence as f64 / weekly_pence as f64
    }
}

/// Where the account should stand now.
pub fn next_stage(
    current: Stage,
    balance_pence: i64,
    weekly_pence: i64,
    plan: Option<&Plan>,
    on: NaiveDate,
    t: &Thresholds,
) -> Stage {
    if balance_pence <= 0 {
        return Stage::Clear;
    }
    if let Some(plan) = plan {
        return if plan.is_broken(balance_pence, on) {
            Stage::Referral
        } else {
            Stage::PaymentPlan
        };
    }
    let weeks = weeks_in_arrears(balance_pence, weekly_pence);
    let by_weeks = if weeks >= t.referral_weeks {
        Stage::Referral
    } else if weeks >= t.second_letter_weeks {
        Stage::SecondLetter
    } else if weeks >= t.first_letter_weeks {
        Stage::FirstLetter
    } else if weeks >= t.reminder_weeks {
        Stage::Reminder
    } else {
        Stage::Clear
    };
    // A part payment does not undo a letter already sent: stages only move forward until
    // the debt is cleared. An ended plan falls back to the letters.
    if current == Stage::PaymentPlan {
        by_weeks
    } else {
        by_weeks.max(current)
    }
}

/// The debt split by age, oldest paid first: `[under 4 weeks, 4-8, 8-13, 13 and over]`.
pub fn aged(charges: &[(NaiveDate, i64)], credits_pence: i64, on: NaiveDate) -> [i64; 4] {
    let mut remaining_credit = credits_pence;
    let mut buckets = [0i64; 4];
    let mut sorted = charges.to_vec();
    sorted.sort();
    for (date, amount) in sorted {
        let paid = remaining_credit.min(amount).max(0);
        remaining_credit -= paid;
        let owing = amount - paid;
        let weeks = (on - date).num_days().max(0) / 7;
        let bucket = match weeks {
            0..4 => 0,
            4..8 => 1,
            8..13 => 2,
            _ => 3,
        };
        buckets[bucket] += owing;
    }
    buckets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    const WEEKLY: i64 = 20_000;

    #[test]
    fn stages_follow_the_weeks_of_arrears() {
        let t = Thresholds::default();
        let stage = |balance| next_stage(Stage::Clear, balance, WEEKLY, None, d(11, 23), &t);
        assert_eq!(stage(0), Stage::Clear);
        assert_eq!(stage(19_999), Stage::Clear);
        assert_eq!(stage(20_000), Stage::Reminder);
        assert_eq!(stage(40_000), Stage::FirstLetter);
        assert_eq!(stage(80_000), Stage::SecondLetter);
        assert_eq!(stage(160_000), Stage::Referral);
    }

    #[test]
    fn a_part_payment_does_not_undo_a_letter_but_clearing_the_debt_does() {
        let t = Thresholds::default();
        assert_eq!(
            next_stage(Stage::SecondLetter, 30_000, WEEKLY, None, d(11, 23), &t),
            Stage::SecondLetter
        );
        assert_eq!(
            next_stage(Stage::SecondLetter, 0, WEEKLY, None, d(11, 23), &t),
            Stage::Clear
        );
    }

    #[test]
    fn a_kept_plan_holds_the_account_and_a_broken_one_is_referred() {
        let t = Thresholds::default();
        let plan = Plan {
            start: d(11, 2),
            start_balance_pence: 100_000,
            instalment_pence: 5_000,
        };
        // Three weeks in, kept: 85,000 owed, ceiling 90,000.
        assert_eq!(
            next_stage(
                Stage::SecondLetter,
                85_000,
                WEEKLY,
                Some(&plan),
                d(11, 23),
                &t
            ),
            Stage::PaymentPlan
        );
        // Nothing paid off in three weeks.
        assert_eq!(
            next_stage(
                Stage::PaymentPlan,
                100_000,
                WEEKLY,
                Some(&plan),
                d(11, 23),
                &t
            ),
            Stage::Referral
        );
    }

    #[test]
    fn the_oldest_debt_is_paid_first() {
        let charges = [(d(8, 3), 20_000), (d(10, 26), 20_000), (d(11, 16), 20_000)];
        // 25,000 paid: the August charge is cleared and 5,000 of October's (four weeks old).
        assert_eq!(aged(&charges, 25_000, d(11, 23)), [20_000, 15_000, 0, 0]);
        assert_eq!(aged(&charges, 0, d(11, 23)), [20_000, 20_000, 0, 20_000]);
    }
}
