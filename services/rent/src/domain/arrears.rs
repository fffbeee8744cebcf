//! Arrears: how old the debt is, how many weeks it comes to, and where the account stands in
//! recovery. Stages move forward while the debt grows and fall away when it is cleared; a
//! payment plan holds the account while it is kept and sends it to referral when broken.

use chrono::NaiveDate;
use housing_platform::money::{Overflow, Pence};

use super::charges::Schedule;

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
    /// Every stage, in the order of recovery.
    pub const ALL: [Stage; 6] = [
        Stage::Clear,
        Stage::Reminder,
        Stage::FirstLetter,
        Stage::SecondLetter,
        Stage::PaymentPlan,
        Stage::Referral,
    ];

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
        Stage::ALL.into_iter().find(|stage| stage.as_str() == s)
    }
}

/// Weeks of arrears that move an account to each stage: the council's own, in the service's
/// configuration (`service.arrears`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
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

impl Thresholds {
    /// Thresholds the stages can follow: each a positive number of weeks, each beyond the
    /// one before.
    pub fn check(&self) -> Result<(), String> {
        let steps = [
            ("reminder_weeks", self.reminder_weeks),
            ("first_letter_weeks", self.first_letter_weeks),
            ("second_letter_weeks", self.second_letter_weeks),
            ("referral_weeks", self.referral_weeks),
        ];
        let mut before = ("zero", 0.0);
        for (name, weeks) in steps {
            if !weeks.is_finite() || weeks <= before.1 {
                return Err(format!(
                    "service.arrears.{name} is {weeks}: it must be more than {} ({})",
                    before.1, before.0
                ));
            }
            before = (name, weeks);
        }
        Ok(())
    }
}

/// An agreement to pay `instalment_pence` a week off the arrears, on top of the charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub start: NaiveDate,
    pub start_balance_pence: Pence,
    pub instalment_pence: Pence,
}

impl Plan {
    /// The most the balance may be on `on` if the plan is kept: the starting arrears less an
    /// instalment for each whole week, with one instalment's grace.
    pub fn ceiling(&self, on: NaiveDate) -> Result<Pence, Overflow> {
        let weeks = on.signed_duration_since(self.start).num_days().max(0) / 7;
        let due = self.instalment_pence.checked_mul(weeks.saturating_sub(1))?;
        self.start_balance_pence.checked_sub(due)
    }

    pub fn is_broken(&self, balance: Pence, on: NaiveDate) -> Result<bool, Overflow> {
        Ok(balance > self.ceiling(on)?)
    }
}

/// The balance in weeks of the charge. A float, for reading and for the thresholds: it
/// cannot overflow whatever the ledger holds.
pub fn weeks_in_arrears(balance: Pence, weekly: &Schedule) -> f64 {
    let weekly = weekly.weekly_total();
    if balance <= Pence::ZERO || weekly <= 0.0 {
        0.0
    } else {
        balance.get() as f64 / weekly
    }
}

/// Where the account should stand now; [`Overflow`] only from a plan whose stored figures
/// are out of range.
pub fn next_stage(
    current: Stage,
    balance: Pence,
    weekly: &Schedule,
    plan: Option<&Plan>,
    on: NaiveDate,
    t: &Thresholds,
) -> Result<Stage, Overflow> {
    if balance <= Pence::ZERO {
        return Ok(Stage::Clear);
    }
    if let Some(plan) = plan {
        return Ok(if plan.is_broken(balance, on)? {
            Stage::Referral
        } else {
            Stage::PaymentPlan
        });
    }
    let weeks = weeks_in_arrears(balance, weekly);
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
    Ok(if current == Stage::PaymentPlan {
        by_weeks
    } else {
        by_weeks.max(current)
    })
}

/// The debt split by age, oldest paid first: `[under 4 weeks, 4-8, 8-13, 13 and over]`.
/// `charges` are the debits (date, amount), `credits` all the credits together. A read: the
/// buckets saturate rather than fail.
pub fn aged(charges: &[(NaiveDate, Pence)], credits: Pence, on: NaiveDate) -> [Pence; 4] {
    let mut remaining_credit = credits;
    let mut buckets = [Pence::ZERO; 4];
    let mut sorted = charges.to_vec();
    sorted.sort();
    for (date, amount) in sorted {
        let paid = remaining_credit.min(amount).max(Pence::ZERO);
        remaining_credit = remaining_credit.saturating_sub(paid);
        let owing = amount.saturating_sub(paid);
        let weeks = on.signed_duration_since(date).num_days().max(0) / 7;
        let bucket = match weeks {
            0..4 => 0,
            4..8 => 1,
            8..13 => 2,
            _ => 3,
        };
        buckets[bucket] = buckets[bucket].saturating_add(owing);
    }
    buckets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_must_rise_stage_by_stage() {
        assert!(Thresholds::default().check().is_ok());
        let muddled = Thresholds {
            second_letter_weeks: 1.5,
            ..Thresholds::default()
        };
        let why = muddled.check().unwrap_err();
        assert!(why.contains("second_letter_weeks is 1.5"), "{why}");
        let nan = Thresholds {
            referral_weeks: f64::NAN,
            ..Thresholds::default()
        };
        assert!(nan.check().is_err());
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn p(pence: i64) -> Pence {
        Pence::new(pence)
    }

    const WEEKLY: Schedule = Schedule {
        rent_pence: Pence::new(18_000),
        service_pence: Pence::new(2_000),
    };

    #[test]
    fn stages_follow_the_weeks_of_arrears() {
        let t = Thresholds::default();
        let stage =
            |balance| next_stage(Stage::Clear, p(balance), &WEEKLY, None, d(11, 23), &t).unwrap();
        assert_eq!(stage(0), Stage::Clear);
        assert_eq!(stage(19_999), Stage::Clear);
        assert_eq!(stage(20_000), Stage::Reminder);
        assert_eq!(stage(40_000), Stage::FirstLetter);
        assert_eq!(stage(80_000), Stage::SecondLetter);
        assert_eq!(stage(160_000), Stage::Referral);
        assert_eq!(stage(i64::MAX), Stage::Referral);
    }

    #[test]
    fn a_part_payment_does_not_undo_a_letter_but_clearing_the_debt_does() {
        let t = Thresholds::default();
        let stage = |balance| {
            next_stage(
                Stage::SecondLetter,
                p(balance),
                &WEEKLY,
                None,
                d(11, 23),
                &t,
            )
            .unwrap()
        };
        assert_eq!(stage(30_000), Stage::SecondLetter);
        assert_eq!(stage(0), Stage::Clear);
    }

    #[test]
    fn a_kept_plan_holds_the_account_and_a_broken_one_is_referred() {
        let t = Thresholds::default();
        let plan = Plan {
            start: d(11, 2),
            start_balance_pence: p(100_000),
            instalment_pence: p(5_000),
        };
        let stage = |current, balance| {
            next_stage(current, p(balance), &WEEKLY, Some(&plan), d(11, 23), &t).unwrap()
        };
        // Three weeks in, kept: 85,000 owed, ceiling 90,000.
        assert_eq!(plan.ceiling(d(11, 23)), Ok(p(90_000)));
        assert_eq!(plan.ceiling(d(11, 2)), Ok(p(105_000)));
        assert_eq!(stage(Stage::SecondLetter, 85_000), Stage::PaymentPlan);
        // Nothing paid off in three weeks.
        assert_eq!(stage(Stage::PaymentPlan, 100_000), Stage::Referral);
    }

    #[test]
    fn a_plan_whose_stored_figures_overflow_says_so() {
        let plan = Plan {
            start: d(1, 5),
            start_balance_pence: p(0),
            instalment_pence: p(i64::MAX / 2),
        };
        assert_eq!(plan.ceiling(d(11, 23)), Err(Overflow));
        let t = Thresholds::default();
        let stage = next_stage(Stage::Clear, p(1), &WEEKLY, Some(&plan), d(11, 23), &t);
        assert_eq!(stage, Err(Overflow));
    }

    #[test]
    fn the_oldest_debt_is_paid_first() {
        let charges = [
            (d(8, 3), p(20_000)),
            (d(10, 26), p(20_000)),
            (d(11, 16), p(20_000)),
        ];
        // 25,000 paid: the August charge is cleared and 5,000 of October's (four weeks old).
        assert_eq!(
            aged(&charges, p(25_000), d(11, 23)),
            [p(20_000), p(15_000), p(0), p(0)]
        );
        assert_eq!(
            aged(&charges, p(0), d(11, 23)),
            [p(20_000), p(20_000), p(0), p(20_000)]
        );
    }

    #[test]
    fn ageing_an_absurd_ledger_saturates_rather_than_fails() {
        let charges = [(d(11, 16), p(i64::MAX)), (d(11, 17), p(20_000))];
        assert_eq!(
            aged(&charges, p(0), d(11, 23)),
            [p(i64::MAX), p(0), p(0), p(0)]
        );
        assert_eq!(
            aged(&charges, p(i64::MAX), d(11, 23)),
            [p(20_000), p(0), p(0), p(0)]
        );
        assert!(weeks_in_arrears(p(i64::MAX), &WEEKLY) > 1e14);
    }
}
