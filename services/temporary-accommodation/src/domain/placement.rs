//! Placements: a household in a unit under a duty, and how a placement ends.

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
