//! The proto enums are the wire's words for the API and the events alike: the use cases that
//! publish events and the gRPC mapping share them, so `app` needs nothing from `grpc`.

use housing_proto::nominations::v1 as pb;

/// Each refusal reason as recorded, and on the wire.
pub const REFUSAL_REASONS: [(&str, pb::RefusalReason); 7] = [
    ("location", pb::RefusalReason::Location),
    ("size", pb::RefusalReason::Size),
    ("condition", pb::RefusalReason::Condition),
    ("accessibility", pb::RefusalReason::Accessibility),
    ("health", pb::RefusalReason::Health),
    ("schools_or_work", pb::RefusalReason::SchoolsOrWork),
    ("other", pb::RefusalReason::Other),
];

/// A recorded refusal reason on the wire.
pub fn refusal_reason_proto(reason: &str) -> pb::RefusalReason {
    REFUSAL_REASONS
        .iter()
        .find(|(text, _)| *text == reason)
        .map_or(pb::RefusalReason::Unspecified, |(_, r)| *r)
}
