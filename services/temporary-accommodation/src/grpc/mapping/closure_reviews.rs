//! Reviews of closing a placement for rent arrears: decided and listed.

use housing_platform::errors::FieldViolations;
use housing_platform::paging;
use housing_platform::time::{format_date, timestamp};
use housing_proto::accommodation::v1 as pb;
use tonic::Status;

use super::{MAX_PAGE_SIZE, PAGE_SIZE, filter_enum, page_after, to_proto};
use crate::app::closure_reviews::{Decide, ListClosureReviews};
use crate::db::closure_reviews::{ClosureReview, Filter};
use crate::wire::CLOSURE_REVIEW_STATUSES;

impl TryFrom<pb::DecideClosureReviewRequest> for Decide {
    type Error = Status;

    fn try_from(r: pb::DecideClosureReviewRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let review_id = v.uuid("review_id", &r.review_id);
        v.require(
            "reason",
            &r.reason,
            if r.close_placement {
                "why the placement ends"
            } else {
                "why the placement continues"
            },
        );
        let close_on = match (r.close_placement, r.end_date.trim()) {
            (true, "") => {
                v.add("end_date", "required: the placement's last day");
                None
            }
            (true, end) => v.date("end_date", end),
            (false, "") => None,
            (false, _) => {
                v.add("end_date", "only when closing the placement");
                None
            }
        };
        let Some(review_id) = review_id else {
            return Err(v.into_status());
        };
        v.into_result(Decide {
            review_id,
            close_on,
            reason: r.reason.trim().to_owned(),
        })
    }
}

impl TryFrom<pb::ListClosureReviewsRequest> for ListClosureReviews {
    type Error = Status;

    fn try_from(r: pb::ListClosureReviewsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let after = page_after(&r.page_token, &mut v);
        let status = filter_enum(&CLOSURE_REVIEW_STATUSES, r.status, "status", &mut v);
        let placement_id = match r.placement_id.as_str() {
            "" => None,
            id => v.uuid("placement_id", id),
        };
        v.into_result(ListClosureReviews {
            filter: Filter {
                status,
                placement_id,
            },
            after,
            limit: paging::size(r.page_size, PAGE_SIZE, MAX_PAGE_SIZE),
        })
    }
}

/// The token for the page of reviews after `page`, empty after the last.
pub fn closure_reviews_page_token(page: &[ClosureReview], limit: i64) -> String {
    paging::next_token(page, limit, |r| (r.opened_at, r.id))
}

pub fn closure_review_proto(r: &ClosureReview) -> pb::ClosureReview {
    pb::ClosureReview {
        review_id: r.id.to_string(),
        placement_id: r.placement_id.to_string(),
        application_id: r.application_id.map(|a| a.to_string()).unwrap_or_default(),
        rent_account_id: r.rent_account_id.to_string(),
        balance_pence: r.balance_pence,
        weeks_in_arrears: r.weeks_in_arrears,
        opened_on: format_date(r.opened_on),
        status: to_proto(&CLOSURE_REVIEW_STATUSES, r.status) as i32,
        reason: r.reason.clone().unwrap_or_default(),
        decided_by: r.decided_by.clone().unwrap_or_default(),
        decided_at: r.decided_at.map(timestamp),
    }
}
