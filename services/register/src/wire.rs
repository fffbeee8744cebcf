//! The proto enums are the wire's words for the API and the events alike: the use cases that
//! publish events and the gRPC mapping share them, so `app` needs nothing from `grpc`.

use housing_proto::register::v1 as pb;

use crate::domain::application::Status;
use crate::domain::assessment::{Outcome, Trigger};

pub fn status_proto(status: Status) -> pb::ApplicationStatus {
    use pb::ApplicationStatus as P;
    match status {
        Status::Draft => P::Draft,
        Status::Submitted => P::Submitted,
        Status::AwaitingInformation => P::AwaitingInformation,
        Status::Active => P::Active,
        Status::Suspended => P::Suspended,
        Status::Housed => P::Housed,
        Status::Withdrawn => P::Withdrawn,
        Status::Cancelled => P::Cancelled,
        Status::Closed => P::Closed,
        Status::NotEligible => P::NotEligible,
        Status::NotQualifying => P::NotQualifying,
    }
}

pub fn outcome_proto(outcome: Outcome) -> pb::AssessmentOutcome {
    match outcome {
        Outcome::Active => pb::AssessmentOutcome::Active,
        Outcome::NotEligible => pb::AssessmentOutcome::NotEligible,
        Outcome::NotQualifying => pb::AssessmentOutcome::NotQualifying,
    }
}

pub fn trigger_proto(trigger: Trigger) -> pb::AssessmentTrigger {
    use pb::AssessmentTrigger as P;
    match trigger {
        Trigger::Submitted => P::Submitted,
        Trigger::Officer => P::Officer,
        Trigger::ChangeOfCircumstances => P::ChangeOfCircumstances,
        Trigger::Override => P::Override,
        Trigger::SchemeChange => P::SchemeChange,
        Trigger::Birthday => P::Birthday,
        Trigger::ReferralOutcome => P::ReferralOutcome,
        Trigger::ReviewDecision => P::ReviewDecision,
        Trigger::EvidenceVerified => P::EvidenceVerified,
        Trigger::EvidenceRejected => P::EvidenceRejected,
    }
}
