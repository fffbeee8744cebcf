//! A search of the register, every bad field named at once.

use chrono::{DateTime, Utc};
use housing_platform::errors::FieldViolations;
use housing_platform::paging;
use housing_proto::register::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use super::status_from_proto;
use crate::db::applications::Search;
use crate::grpc::service::MAX_PAGE;

pub struct SearchApplications {
    pub search: Search,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

impl TryFrom<pb::SearchApplicationsRequest> for SearchApplications {
    type Error = Status;

    fn try_from(r: pb::SearchApplicationsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let non_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let status = status_from_proto(r.status);
        if status.is_none() && r.status != pb::ApplicationStatus::Unspecified as i32 {
            v.add("status", "not an application status");
        }
        let after = paging::decode(&r.page_token).unwrap_or_else(|_| {
            v.add("page_token", paging::NOT_A_TOKEN);
            None
        });
        v.into_result(SearchApplications {
            search: Search {
                reference: non_empty(&r.reference).map(|s| s.to_uppercase()),
                family_name_prefix: non_empty(&r.family_name),
                postcode: non_empty(&r.postcode).map(|s| s.to_uppercase()),
                status,
                band: non_empty(&r.band),
                annual_review_due: r.annual_review_due,
            },
            after,
            limit: paging::size(r.page_size, 50, MAX_PAGE.into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use housing_platform::errors::bad_request_fields;

    use super::*;

    #[test]
    fn an_unknown_status_and_a_forged_page_token_are_both_named() {
        let err = SearchApplications::try_from(pb::SearchApplicationsRequest {
            status: 99,
            page_token: "'; DROP TABLE applications; --".into(),
            annual_review_due: true,
            ..Default::default()
        })
        .err()
        .unwrap();
        assert_eq!(bad_request_fields(&err), ["status", "page_token"]);
    }

    #[test]
    fn the_annual_review_filter_is_kept_with_the_others() {
        let search = SearchApplications::try_from(pb::SearchApplicationsRequest {
            postcode: " n1 2ab ".into(),
            annual_review_due: true,
            ..Default::default()
        })
        .unwrap();
        assert!(search.search.annual_review_due);
        assert_eq!(search.search.postcode.as_deref(), Some("N1 2AB"));
        assert_eq!(search.limit, 50);
    }
}
