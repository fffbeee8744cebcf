//! Reviews of the council's decisions on an application: asked for by the applicant,
//! decided by a senior officer, every bad field named, and shown back.

use housing_platform::errors::FieldViolations;
use housing_platform::time::{format_date, timestamp};
use housing_proto::register::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use crate::app::decision_reviews::{Decision, Finding};
use crate::db::reviews::DecisionReview;
use crate::domain::scheme::Scheme;

/// A review of one decision, on the applicant's grounds.
pub struct RequestDecisionReview {
    pub application_id: Uuid,
    pub decision: Decision,
    pub grounds: String,
}

impl TryFrom<pb::RequestDecisionReviewRequest> for RequestDecisionReview {
    type Error = Status;

    fn try_from(r: pb::RequestDecisionReviewRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let application_id = v.uuid("application_id", &r.application_id);
        let decision = decision_from_proto(r.decision);
        if decision.is_none() {
            v.add("decision", "required: the decision to review");
        }
        v.require(
            "grounds",
            &r.grounds,
            "the applicant's grounds for the review",
        );
        let (Some(application_id), Some(decision)) = (application_id, decision) else {
            return Err(v.into_status());
        };
        v.into_result(RequestDecisionReview {
            application_id,
            decision,
            grounds: r.grounds.trim().to_owned(),
        })
    }
}

/// The reviewer's finding on a review.
pub struct DecideDecisionReview {
    pub review_id: Uuid,
    pub finding: Finding,
}

/// The finding as a request gives it. A band given must be one of `scheme`'s, so it is
/// checked here with the other fields rather than by a `TryFrom`.
pub fn decide_decision_review(
    r: pb::DecideDecisionReviewRequest,
    scheme: &Scheme,
) -> Result<DecideDecisionReview, Status> {
    let mut v = FieldViolations::new();
    let review_id = v.uuid("review_id", &r.review_id);
    v.require(
        "reason",
        &r.reason,
        "the reviewer's reasons, which the applicant is told",
    );
    let band = Some(r.band.trim().to_owned()).filter(|b| !b.is_empty());
    if let Some(band) = &band
        && !scheme.knows_band(band)
    {
        v.add("band", format!("unknown band {band:?}"));
    }
    let Some(review_id) = review_id else {
        return Err(v.into_status());
    };
    v.into_result(DecideDecisionReview {
        review_id,
        finding: Finding {
            overturned: r.overturned,
            reason: r.reason.trim().to_owned(),
            band,
        },
    })
}

fn decision_from_proto(value: i32) -> Option<Decision> {
    use pb::ReviewableDecision as P;
    match P::try_from(value).ok()? {
        P::Unspecified => None,
        P::Eligibility => Some(Decision::Eligibility),
        P::Qualification => Some(Decision::Qualification),
        P::Suspension => Some(Decision::Suspension),
        P::Priority => Some(Decision::Priority),
    }
}

pub fn decision_review_proto(r: &DecisionReview) -> pb::DecisionReview {
    pb::DecisionReview {
        review_id: r.id.to_string(),
        application_id: r.application_id.to_string(),
        decision: Decision::parse(&r.decision)
            .map_or(pb::ReviewableDecision::Unspecified, Decision::proto) as i32,
        grounds: r.grounds.clone(),
        requested_by: r.requested_by.clone(),
        requested_at: Some(timestamp(r.requested_at)),
        outcome: r.outcome.clone(),
        reason: r.reason.clone().unwrap_or_default(),
        decided_by: r.decided_by.clone().unwrap_or_default(),
        decided_at: r.decided_at.map(timestamp),
        application_reference: r.application_reference.clone(),
        decide_by: format_date(r.decide_by),
    }
}

#[cfg(test)]
mod tests {
    use housing_platform::errors::{bad_request_fields, bad_request_violations};

    use super::*;

    fn scheme() -> Scheme {
        Scheme::parse(include_str!("../../../schemes/banding-example.toml")).unwrap()
    }

    #[test]
    fn every_bad_field_of_a_review_request_is_named_at_once() {
        let err = RequestDecisionReview::try_from(pb::RequestDecisionReviewRequest {
            application_id: "nope".into(),
            decision: pb::ReviewableDecision::Unspecified as i32,
            grounds: String::new(),
        })
        .err()
        .unwrap();
        assert_eq!(
            bad_request_fields(&err),
            ["application_id", "decision", "grounds"]
        );
    }

    #[test]
    fn a_finding_names_a_band_the_scheme_does_not_have_with_the_other_fields() {
        let err = decide_decision_review(
            pb::DecideDecisionReviewRequest {
                review_id: "nope".into(),
                band: " Z ".into(),
                ..Default::default()
            },
            &scheme(),
        )
        .err()
        .unwrap();
        assert_eq!(bad_request_fields(&err), ["review_id", "reason", "band"]);
        assert_eq!(
            bad_request_violations(&err)[2].1,
            "unknown band \"Z\"".to_owned()
        );

        let decided = decide_decision_review(
            pb::DecideDecisionReviewRequest {
                review_id: Uuid::now_v7().to_string(),
                overturned: true,
                reason: " Medical evidence was missed ".into(),
                band: " A ".into(),
            },
            &scheme(),
        )
        .unwrap();
        assert_eq!(decided.finding.reason, "Medical evidence was missed");
        assert_eq!(decided.finding.band.as_deref(), Some("A"));
    }
}
