//! Reviews of closing a placement for rent arrears: the officers' queue and their decision.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_proto::accommodation::v1 as pb;
use tonic::{Request, Response};

use super::{Reply, TA_STAFF, mapping};
use crate::app::closure_reviews::{self, Decide, ListClosureReviews};

pub(super) async fn list_closure_reviews(
    pool: &Pool,
    request: Request<pb::ListClosureReviewsRequest>,
) -> Reply<pb::ListClosureReviewsResponse> {
    caller(&request)?.require(TA_STAFF)?;
    let query = ListClosureReviews::try_from(request.into_inner())?;
    let page = closure_reviews::list(pool, &query).await?;
    Ok(Response::new(pb::ListClosureReviewsResponse {
        next_page_token: mapping::closure_reviews_page_token(&page, query.limit),
        reviews: page.iter().map(mapping::closure_review_proto).collect(),
    }))
}

pub(super) async fn decide_closure_review(
    pool: &Pool,
    request: Request<pb::DecideClosureReviewRequest>,
) -> Reply<pb::DecideClosureReviewResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let decide = Decide::try_from(request.into_inner())?;
    let (review, placement, history) = closure_reviews::decide(pool, &decide, &caller.id).await?;
    Ok(Response::new(pb::DecideClosureReviewResponse {
        review: Some(mapping::closure_review_proto(&review)),
        placement: Some(mapping::placement_proto(&placement, &history)),
    }))
}
