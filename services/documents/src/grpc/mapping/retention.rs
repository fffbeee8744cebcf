//! Legal holds on an application's records, every bad field named.

use housing_platform::errors::FieldViolations;
use housing_proto::documents::v1 as pb;
use uuid::Uuid;

/// An application's records kept beyond their retention period, and why.
pub struct PlaceLegalHold {
    pub application_id: Uuid,
    pub reason: String,
}

impl TryFrom<pb::PlaceLegalHoldRequest> for PlaceLegalHold {
    type Error = tonic::Status;

    fn try_from(r: pb::PlaceLegalHoldRequest) -> Result<Self, tonic::Status> {
        let mut v = FieldViolations::new();
        let application_id = v.uuid("application_id", &r.application_id);
        v.require("reason", &r.reason, "why the records must be kept");
        let Some(application_id) = application_id else {
            return Err(v.into_status());
        };
        v.into_result(PlaceLegalHold {
            application_id,
            reason: r.reason.trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use housing_platform::errors::bad_request_fields;

    use super::*;

    #[test]
    fn a_hold_needs_its_reason() {
        let hold = PlaceLegalHold::try_from(pb::PlaceLegalHoldRequest {
            application_id: Uuid::now_v7().to_string(),
            reason: " ".into(),
        });
        assert_eq!(bad_request_fields(&hold.err().unwrap()), ["reason"]);

        let hold = PlaceLegalHold::try_from(pb::PlaceLegalHoldRequest {
            application_id: Uuid::now_v7().to_string(),
            reason: " Tribunal pending ".into(),
        })
        .unwrap();
        assert_eq!(hold.reason, "Tribunal pending");
    }
}
