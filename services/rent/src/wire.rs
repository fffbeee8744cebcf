//! The proto enums are the wire's words for the API and the events alike, so the use cases
//! that publish events and the gRPC mapping share one table per enum and `app` needs nothing
//! from `grpc`.

use housing_proto::rent::v1 as pb;

use crate::domain::arrears::Stage;

pub fn stage_from_proto(stage: pb::ArrearsStage) -> Option<Stage> {
    match stage {
        pb::ArrearsStage::Unspecified => None,
        pb::ArrearsStage::Clear => Some(Stage::Clear),
        pb::ArrearsStage::Reminder => Some(Stage::Reminder),
        pb::ArrearsStage::FirstLetter => Some(Stage::FirstLetter),
        pb::ArrearsStage::SecondLetter => Some(Stage::SecondLetter),
        pb::ArrearsStage::PaymentPlan => Some(Stage::PaymentPlan),
        pb::ArrearsStage::Referral => Some(Stage::Referral),
    }
}

pub fn stage_proto(stage: Stage) -> pb::ArrearsStage {
    match stage {
        Stage::Clear => pb::ArrearsStage::Clear,
        Stage::Reminder => pb::ArrearsStage::Reminder,
        Stage::FirstLetter => pb::ArrearsStage::FirstLetter,
        Stage::SecondLetter => pb::ArrearsStage::SecondLetter,
        Stage::PaymentPlan => pb::ArrearsStage::PaymentPlan,
        Stage::Referral => pb::ArrearsStage::Referral,
    }
}
