//! An officer's override of an assessment, every bad field named.

use housing_platform::errors::FieldViolations;
use housing_proto::register::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use crate::domain::overrides::Overrides;

/// A band or bedroom need set by hand, with the reason for the audit.
pub struct OverrideAssessment {
    pub application_id: Uuid,
    pub change: Overrides,
    pub reason: String,
}

impl TryFrom<pb::OverrideAssessmentRequest> for OverrideAssessment {
    type Error = Status;

    fn try_from(r: pb::OverrideAssessmentRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let application_id = v.uuid("application_id", &r.application_id);
        if r.band.trim().is_empty() && r.bedroom_need == 0 {
            v.add("band", "give a band or a bedroom need to override");
        }
        if !(0..=10).contains(&r.bedroom_need) {
            v.add("bedroom_need", "must be between 1 and 10, or 0 to leave it");
        }
        v.require(
            "reason",
            &r.reason,
            "an override needs its reason, for the audit",
        );
        let Some(application_id) = application_id else {
            return Err(v.into_status());
        };
        v.into_result(OverrideAssessment {
            application_id,
            change: Overrides {
                band: Some(r.band.trim().to_owned()).filter(|b| !b.is_empty()),
                bedroom_need: (r.bedroom_need > 0).then_some(r.bedroom_need as u32),
            },
            reason: r.reason.trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use housing_platform::errors::bad_request_fields;

    use super::*;

    #[test]
    fn every_bad_field_of_an_override_is_named_at_once() {
        let err = OverrideAssessment::try_from(pb::OverrideAssessmentRequest {
            application_id: "nope".into(),
            band: String::new(),
            bedroom_need: 0,
            reason: String::new(),
        })
        .err()
        .unwrap();
        assert_eq!(
            bad_request_fields(&err),
            ["application_id", "band", "reason"]
        );

        let err = OverrideAssessment::try_from(pb::OverrideAssessmentRequest {
            application_id: Uuid::now_v7().to_string(),
            bedroom_need: 11,
            reason: "Overcrowded".into(),
            ..Default::default()
        })
        .err()
        .unwrap();
        assert_eq!(bad_request_fields(&err), ["bedroom_need"]);
    }

    #[test]
    fn an_override_leaves_what_was_not_given() {
        let command = OverrideAssessment::try_from(pb::OverrideAssessmentRequest {
            application_id: Uuid::now_v7().to_string(),
            band: " ".into(),
            bedroom_need: 3,
            reason: " Overcrowded ".into(),
        })
        .unwrap();
        assert_eq!(command.change.band, None);
        assert_eq!(command.change.bedroom_need, Some(3));
        assert_eq!(command.reason, "Overcrowded");
    }
}
