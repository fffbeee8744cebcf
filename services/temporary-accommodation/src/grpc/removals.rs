//! Removals and storage of a household's belongings: an officer asks, a manager approves or
//! declines, and both see the queue.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::uuid_field;
use housing_proto::accommodation::v1 as pb;
use tonic::{Request, Response};

use super::{Reply, TA_STAFF, mapping};
use crate::app::removals::{self, Decline, ListRemovals};

pub(super) async fn request_removal(
    pool: &Pool,
    request: Request<pb::RequestRemovalRequest>,
) -> Reply<pb::RequestRemovalResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let r = request.into_inner();
    let removal = mapping::removal(&r, &caller.id)?;
    let removal = removals::request(pool, &r.request_id, removal).await?;
    Ok(Response::new(pb::RequestRemovalResponse {
        removal: Some(mapping::removal_proto(&removal)),
    }))
}

/// TA staff reach the use case, which lets only a manager decide.
pub(super) async fn approve_removal(
    pool: &Pool,
    request: Request<pb::ApproveRemovalRequest>,
) -> Reply<pb::ApproveRemovalResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let id = uuid_field("removal_id", &request.get_ref().removal_id)?;
    let removal = removals::approve(pool, id, &caller).await?;
    Ok(Response::new(pb::ApproveRemovalResponse {
        removal: Some(mapping::removal_proto(&removal)),
    }))
}

/// As for approval: TA staff reach the use case, which lets only a manager decide.
pub(super) async fn decline_removal(
    pool: &Pool,
    request: Request<pb::DeclineRemovalRequest>,
) -> Reply<pb::DeclineRemovalResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let decline = Decline::try_from(request.into_inner())?;
    let removal = removals::decline(pool, &decline, &caller).await?;
    Ok(Response::new(pb::DeclineRemovalResponse {
        removal: Some(mapping::removal_proto(&removal)),
    }))
}

pub(super) async fn list_removals(
    pool: &Pool,
    request: Request<pb::ListRemovalsRequest>,
) -> Reply<pb::ListRemovalsResponse> {
    caller(&request)?.require(TA_STAFF)?;
    let query = ListRemovals::try_from(request.into_inner())?;
    let page = removals::list(pool, &query).await?;
    Ok(Response::new(pb::ListRemovalsResponse {
        next_page_token: mapping::removals_page_token(&page, query.limit),
        removals: page.iter().map(mapping::removal_proto).collect(),
    }))
}
