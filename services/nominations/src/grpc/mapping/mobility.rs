//! Mobility requests read into commands: incentives to move, the measures of lettings over
//! a period and a scheme's quota, every bad field named.

use chrono::NaiveDate;
use housing_platform::errors::FieldViolations;
use housing_proto::nominations::v1 as pb;
use tonic::Status;
use uuid::Uuid;

/// A manager's approval of an incentive for a household moving to a smaller home.
pub struct ApproveIncentive {
    pub request_id: String,
    pub application_id: Uuid,
    pub payee_name: String,
    pub bedrooms_released: i32,
}

impl TryFrom<pb::ApproveIncentiveRequest> for ApproveIncentive {
    type Error = Status;

    fn try_from(r: pb::ApproveIncentiveRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let application_id = v.uuid("application_id", &r.application_id);
        v.require("payee_name", &r.payee_name, "who is paid");
        // The move itself says how many were released; a figure given must agree with it.
        if !(0..=6).contains(&r.bedrooms_released) {
            v.add("bedrooms_released", "must be 0 (from the move) to 6");
        }
        let Some(application_id) = application_id else {
            return Err(v.into_status());
        };
        v.into_result(ApproveIncentive {
            request_id: r.request_id,
            application_id,
            payee_name: r.payee_name.trim().to_owned(),
            bedrooms_released: r.bedrooms_released,
        })
    }
}

/// The days a report covers, `from` to `to`.
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl TryFrom<pb::GetMeasuresRequest> for Period {
    type Error = Status;

    fn try_from(r: pb::GetMeasuresRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let period = period(&r.from, &r.to, &mut v);
        match period {
            Some(period) if v.is_empty() => Ok(period),
            _ => Err(v.into_status()),
        }
    }
}

/// A mobility scheme's quota asked for over a period.
pub struct MobilityQuota {
    pub scheme_id: Uuid,
    pub period: Period,
}

impl TryFrom<pb::GetMobilityQuotaRequest> for MobilityQuota {
    type Error = Status;

    fn try_from(r: pb::GetMobilityQuotaRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let scheme_id = v.uuid("scheme_id", &r.scheme_id);
        let period = period(&r.from, &r.to, &mut v);
        match (scheme_id, period) {
            (Some(scheme_id), Some(period)) if v.is_empty() => {
                Ok(MobilityQuota { scheme_id, period })
            }
            _ => Err(v.into_status()),
        }
    }
}

/// The dates `from` to `to` inclusive, each named if it is not a date or `to` comes first.
pub(in crate::grpc) fn period(from: &str, to: &str, v: &mut FieldViolations) -> Option<Period> {
    let from = v.date("from", from);
    let to = v.date("to", to);
    let (Some(from), Some(to)) = (from, to) else {
        return None;
    };
    if to < from {
        v.add("to", "must not be before from");
        return None;
    }
    Some(Period { from, to })
}

#[cfg(test)]
mod tests {
    use housing_platform::errors::{bad_request_fields, bad_request_violations};

    use super::*;

    #[test]
    fn every_bad_field_of_an_incentive_is_named_at_once() {
        let err = ApproveIncentive::try_from(pb::ApproveIncentiveRequest {
            application_id: "nope".into(),
            payee_name: "  ".into(),
            bedrooms_released: 7,
            ..Default::default()
        })
        .err()
        .unwrap();
        assert_eq!(
            bad_request_fields(&err),
            ["application_id", "payee_name", "bedrooms_released"]
        );

        let id = Uuid::now_v7();
        let approval = ApproveIncentive::try_from(pb::ApproveIncentiveRequest {
            request_id: "r-1".into(),
            application_id: id.to_string(),
            payee_name: " A Tenant ".into(),
            bedrooms_released: 2,
        })
        .unwrap();
        assert_eq!(
            (approval.application_id, approval.payee_name.as_str()),
            (id, "A Tenant")
        );
    }

    #[test]
    fn a_period_ending_before_it_starts_is_refused_with_the_scheme_named_too() {
        let err = MobilityQuota::try_from(pb::GetMobilityQuotaRequest {
            scheme_id: "nope".into(),
            from: "2026-04-01".into(),
            to: "2026-03-31".into(),
        })
        .err()
        .unwrap();
        assert_eq!(
            bad_request_violations(&err),
            [
                ("scheme_id".to_owned(), "must be a UUID".to_owned()),
                ("to".to_owned(), "must not be before from".to_owned()),
            ]
        );

        let err = Period::try_from(pb::GetMeasuresRequest {
            from: "April".into(),
            to: String::new(),
        })
        .err()
        .unwrap();
        assert_eq!(bad_request_fields(&err), ["from", "to"]);

        let period = Period::try_from(pb::GetMeasuresRequest {
            from: "2026-04-01".into(),
            to: "2026-04-01".into(),
        })
        .unwrap();
        assert_eq!(period.from, period.to);
    }
}
