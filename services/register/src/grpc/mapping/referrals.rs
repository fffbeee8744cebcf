//! Referrals to a panel: asked for and decided, every bad field named, and shown back.

use housing_platform::errors::FieldViolations;
use housing_platform::time::timestamp;
use housing_proto::register::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use crate::db::referrals::{Panel, Referral};

/// An application referred to a panel with a question.
pub struct ReferApplication {
    pub application_id: Uuid,
    pub panel: Panel,
    pub question: String,
}

impl TryFrom<pb::ReferApplicationRequest> for ReferApplication {
    type Error = Status;

    fn try_from(r: pb::ReferApplicationRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let application_id = v.uuid("application_id", &r.application_id);
        let panel = panel_from_proto(r.panel);
        if panel.is_none() {
            v.add("panel", "required: the panel to refer to");
        }
        v.require("question", &r.question, "what the panel is asked");
        let (Some(application_id), Some(panel)) = (application_id, panel) else {
            return Err(v.into_status());
        };
        v.into_result(ReferApplication {
            application_id,
            panel,
            question: r.question.trim().to_owned(),
        })
    }
}

/// What a panel found on a referral.
pub struct RecordReferralOutcome {
    pub referral_id: Uuid,
    pub accepted: bool,
    pub findings: String,
}

impl TryFrom<pb::RecordReferralOutcomeRequest> for RecordReferralOutcome {
    type Error = Status;

    fn try_from(r: pb::RecordReferralOutcomeRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let referral_id = v.uuid("referral_id", &r.referral_id);
        v.require("findings", &r.findings, "what the panel found");
        let Some(referral_id) = referral_id else {
            return Err(v.into_status());
        };
        v.into_result(RecordReferralOutcome {
            referral_id,
            accepted: r.accepted,
            findings: r.findings.trim().to_owned(),
        })
    }
}

fn panel_from_proto(value: i32) -> Option<Panel> {
    match pb::ReferralPanel::try_from(value).ok()? {
        pb::ReferralPanel::Unspecified => None,
        pb::ReferralPanel::MedicalWelfare => Some(Panel::MedicalWelfare),
        pb::ReferralPanel::PrivateSectorHousing => Some(Panel::PrivateSectorHousing),
        pb::ReferralPanel::SeniorOfficer => Some(Panel::SeniorOfficer),
    }
}

pub fn referral_proto(r: &Referral) -> pb::Referral {
    pb::Referral {
        referral_id: r.id.to_string(),
        application_id: r.application_id.to_string(),
        panel: pb::ReferralPanel::from(r.panel) as i32,
        question: r.question.clone(),
        status: r.status.clone(),
        findings: r.findings.clone().unwrap_or_default(),
        referred_by: r.referred_by.clone(),
        referred_at: Some(timestamp(r.referred_at)),
        decided_by: r.decided_by.clone().unwrap_or_default(),
        decided_at: r.decided_at.map(timestamp),
        application_reference: r.application_reference.clone(),
    }
}

#[cfg(test)]
mod tests {
    use housing_platform::errors::bad_request_fields;

    use super::*;

    #[test]
    fn every_bad_field_of_a_referral_and_its_outcome_is_named_at_once() {
        let err = ReferApplication::try_from(pb::ReferApplicationRequest {
            application_id: "nope".into(),
            panel: 99,
            question: " ".into(),
        })
        .err()
        .unwrap();
        assert_eq!(
            bad_request_fields(&err),
            ["application_id", "panel", "question"]
        );

        let err = RecordReferralOutcome::try_from(pb::RecordReferralOutcomeRequest {
            referral_id: String::new(),
            accepted: true,
            findings: String::new(),
        })
        .err()
        .unwrap();
        assert_eq!(bad_request_fields(&err), ["referral_id", "findings"]);
    }

    #[test]
    fn a_referral_keeps_its_question_trimmed() {
        let id = Uuid::now_v7();
        let referral = ReferApplication::try_from(pb::ReferApplicationRequest {
            application_id: id.to_string(),
            panel: pb::ReferralPanel::MedicalWelfare as i32,
            question: " Is the home unsuitable? ".into(),
        })
        .unwrap();
        assert_eq!(referral.application_id, id);
        assert!(matches!(referral.panel, Panel::MedicalWelfare));
        assert_eq!(referral.question, "Is the home unsuitable?");
    }
}
