//! Placements: a household in a unit under a duty, and how a placement ends.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    Interim,
    Main,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementStatus {
    /// Moved in; the sign-up checklist is outstanding.
    Offered,
    /// Signed up: the documents service reported the sign-up checklist complete.
    Active,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureReason {
    DutyDischargedFinalOfferAccepted,
    DutyDischargedFinalOfferRefused,
    PrivateRentedOffer,
    AbandonmentVerified,
    AntiSocialBehaviour,
    Arrears,
    MovedOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalKind {
    Removal,
    Storage,
}

/// Where a request for removals or storage stands: a manager decides it once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalStatus {
    AwaitingApproval,
    Approved,
    Declined,
}

/// Where a review of closing a placement for rent arrears stands: an officer decides it once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureReviewStatus {
    Open,
    PlacementKept,
    PlacementClosed,
}

/// The parent's answer to notifying a child's school, GP and health visitors (s.213AA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum S213aaConsent {
    Pending,
    Given,
    Refused,
}

/// Nights a placement has run by `on`, or ran if it ended before: the first night is day 0,
/// and a placement that has not started yet has run none.
pub fn days_in_placement(start: NaiveDate, end: Option<NaiveDate>, on: NaiveDate) -> i64 {
    let last = end.map_or(on, |end| end.min(on));
    last.signed_duration_since(start).num_days().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn a_placement_counts_its_nights_to_today_or_to_its_end() {
        assert_eq!(days_in_placement(date(1), None, date(1)), 0);
        assert_eq!(days_in_placement(date(1), None, date(15)), 14);
        assert_eq!(days_in_placement(date(1), Some(date(8)), date(15)), 7);
        // Closed from a date still to come: the nights so far.
        assert_eq!(days_in_placement(date(1), Some(date(20)), date(15)), 14);
        // Not started yet.
        assert_eq!(days_in_placement(date(10), None, date(5)), 0);
    }
}
