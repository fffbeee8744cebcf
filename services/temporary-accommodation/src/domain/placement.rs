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
