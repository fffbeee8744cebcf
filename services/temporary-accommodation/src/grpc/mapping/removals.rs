//! Removals and storage of a household's belongings: asked for, decided by a manager, and
//! listed.

use housing_platform::errors::FieldViolations;
use housing_platform::money::Range;
use housing_platform::paging;
use housing_platform::time::timestamp;
use housing_proto::accommodation::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use super::{MAX_PAGE_SIZE, PAGE_SIZE, filter_enum, from_proto, page_after, to_proto};
use crate::app::removals::{Decline, ListRemovals};
use crate::db::removals::{Filter, Removal};
use crate::domain::placement::{RemovalKind, RemovalStatus};
use crate::wire::REMOVAL_STATUSES;

/// A removal or storage: above zero, up to the most any one amount may be.
const REMOVAL: Range = Range::AMOUNT;

const REMOVAL_KINDS: [(RemovalKind, pb::RemovalKind); 2] = [
    (RemovalKind::Removal, pb::RemovalKind::Removal),
    (RemovalKind::Storage, pb::RemovalKind::Storage),
];

pub fn removal_kind(value: i32) -> Result<RemovalKind, String> {
    from_proto(&REMOVAL_KINDS, value)
        .ok_or_else(|| "required: REMOVAL_KIND_REMOVAL or REMOVAL_KIND_STORAGE".into())
}

/// A removal as an officer asks for it, for `requested_by`: every bad field named.
pub fn removal(r: &pb::RequestRemovalRequest, requested_by: &str) -> Result<Removal, Status> {
    let mut v = FieldViolations::new();
    let placement_id = v.uuid("placement_id", &r.placement_id);
    let kind = removal_kind(r.kind).map_err(|e| v.add("kind", e)).ok();
    v.require("supplier_name", &r.supplier_name, "who is paid");
    v.require(
        "supplier_reference",
        &r.supplier_reference,
        "the supplier's quote or invoice",
    );
    let amount = v.pence("amount_pence", r.amount_pence, REMOVAL);
    let (Some(placement_id), Some(kind), Some(amount)) = (placement_id, kind, amount) else {
        return Err(v.into_status());
    };
    v.into_result(Removal {
        id: Uuid::nil(),
        placement_id,
        kind,
        supplier_name: r.supplier_name.trim().to_owned(),
        supplier_reference: r.supplier_reference.trim().to_owned(),
        amount_pence: amount.get(),
        requested_by: requested_by.to_owned(),
        requested_at: chrono::Utc::now(),
        status: RemovalStatus::AwaitingApproval,
        approved_by: None,
        approved_at: None,
        declined_by: None,
        declined_at: None,
        decline_reason: None,
    })
}

impl TryFrom<pb::DeclineRemovalRequest> for Decline {
    type Error = Status;

    fn try_from(r: pb::DeclineRemovalRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let removal_id = v.uuid("removal_id", &r.removal_id);
        v.require("reason", &r.reason, "why it is not paid");
        let Some(removal_id) = removal_id else {
            return Err(v.into_status());
        };
        v.into_result(Decline {
            removal_id,
            reason: r.reason.trim().to_owned(),
        })
    }
}

impl TryFrom<pb::ListRemovalsRequest> for ListRemovals {
    type Error = Status;

    fn try_from(r: pb::ListRemovalsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let after = page_after(&r.page_token, &mut v);
        let status = filter_enum(&REMOVAL_STATUSES, r.status, "status", &mut v);
        let placement_id = match r.placement_id.as_str() {
            "" => None,
            id => v.uuid("placement_id", id),
        };
        v.into_result(ListRemovals {
            filter: Filter {
                status,
                placement_id,
            },
            after,
            limit: paging::size(r.page_size, PAGE_SIZE, MAX_PAGE_SIZE),
        })
    }
}

/// The token for the page of removals after `page`, empty after the last.
pub fn removals_page_token(page: &[Removal], limit: i64) -> String {
    paging::next_token(page, limit, |r| (r.requested_at, r.id))
}

pub fn removal_proto(r: &Removal) -> pb::Removal {
    pb::Removal {
        removal_id: r.id.to_string(),
        placement_id: r.placement_id.to_string(),
        kind: to_proto(&REMOVAL_KINDS, r.kind) as i32,
        supplier_name: r.supplier_name.clone(),
        supplier_reference: r.supplier_reference.clone(),
        amount_pence: r.amount_pence,
        requested_by: r.requested_by.clone(),
        requested_at: Some(timestamp(r.requested_at)),
        status: to_proto(&REMOVAL_STATUSES, r.status) as i32,
        approved_by: r.approved_by.clone().unwrap_or_default(),
        approved_at: r.approved_at.map(timestamp),
        declined_by: r.declined_by.clone().unwrap_or_default(),
        declined_at: r.declined_at.map(timestamp),
        decline_reason: r.decline_reason.clone().unwrap_or_default(),
    }
}
