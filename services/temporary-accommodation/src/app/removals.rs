//! Removals and storage of a household's belongings: an officer asks, only a manager
//! approves or declines, once, and the approval is what the rent service pays on.

use chrono::{DateTime, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::auth::{Caller, Role};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::{idempotency, time};
use housing_proto::accommodation::v1 as pb;
use uuid::Uuid;

use crate::db::placements as placements_store;
use crate::db::removals::{self as store, Filter, Removal};
use crate::domain::placement::RemovalStatus;

pub async fn request(pool: &Pool, request_id: &str, mut r: Removal) -> Result<Removal, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "accommodation.RequestRemoval", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        return store::find(&mut tx, id)
            .await?
            .ok_or_else(|| AppError::not_found("removal", id));
    }
    if placements_store::find(&mut tx, r.placement_id)
        .await?
        .is_none()
    {
        let mut v = FieldViolations::new();
        v.add("placement_id", format!("no placement {}", r.placement_id));
        return Err(AppError::Invalid(v));
    }
    r.id = Uuid::now_v7();
    r.requested_at = Utc::now();
    store::insert(&mut tx, &r).await?;
    idempotency::record(
        &mut tx,
        "accommodation.RequestRemoval",
        request_id,
        &r.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

fn only_a_manager(caller: &Caller, action: &str) -> Result<(), AppError> {
    if caller.holds(&[Role::Manager]) {
        Ok(())
    } else {
        Err(AppError::PermissionDenied(format!(
            "only a manager may {action} removals and storage"
        )))
    }
}

/// A manager's approval; approving an approved removal changes nothing, and a declined one
/// is never approved.
pub async fn approve(pool: &Pool, id: Uuid, manager: &Caller) -> Result<Removal, AppError> {
    only_a_manager(manager, "approve")?;
    let mut tx = pool.begin().await?;
    let mut removal = store::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("removal", id))?;
    match removal.status {
        RemovalStatus::Approved => return Ok(removal),
        RemovalStatus::Declined => return Err(already_declined(&removal, "approved")),
        RemovalStatus::AwaitingApproval => {}
    }
    let now = Utc::now();
    store::approve(&mut tx, id, &manager.id, now).await?;
    removal.status = RemovalStatus::Approved;
    removal.approved_by = Some(manager.id.clone());
    removal.approved_at = Some(now);
    let event = pb::RemovalApproved {
        removal_id: id.to_string(),
        placement_id: removal.placement_id.to_string(),
        supplier_name: removal.supplier_name.clone(),
        supplier_reference: removal.supplier_reference.clone(),
        amount_pence: removal.amount_pence,
        approved_by: manager.id.clone(),
        approved_at: Some(time::timestamp(now)),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new("housing.accommodation.removal.approved.v1", id, &event),
    )
    .await?;
    tx.commit().await?;
    Ok(removal)
}

fn already_declined(removal: &Removal, then: &str) -> AppError {
    AppError::FailedPrecondition(format!(
        "removal {} was declined on {}: it cannot be {then}",
        removal.id,
        removal
            .declined_at
            .map(|at| time::format_date(time::council_date(at)))
            .unwrap_or_default()
    ))
}

/// A manager's refusal to pay for a removal or storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decline {
    pub removal_id: Uuid,
    /// Why it is not paid; never blank.
    pub reason: String,
}

/// Declines a removal awaiting approval, recording who, when and why. Declining it again
/// with the same reason (a retry) changes nothing; any other decision on a decided removal
/// is refused.
pub async fn decline(pool: &Pool, d: &Decline, manager: &Caller) -> Result<Removal, AppError> {
    only_a_manager(manager, "decline")?;
    let mut tx = pool.begin().await?;
    let mut removal = store::find(&mut tx, d.removal_id)
        .await?
        .ok_or_else(|| AppError::not_found("removal", d.removal_id))?;
    match removal.status {
        RemovalStatus::Declined if removal.decline_reason.as_deref() == Some(d.reason.as_str()) => {
            return Ok(removal);
        }
        RemovalStatus::Declined => return Err(already_declined(&removal, "declined again")),
        RemovalStatus::Approved => {
            return Err(AppError::FailedPrecondition(format!(
                "removal {} was approved for payment: it cannot be declined",
                removal.id
            )));
        }
        RemovalStatus::AwaitingApproval => {}
    }
    let now = Utc::now();
    store::decline(&mut tx, removal.id, &manager.id, now, &d.reason).await?;
    tx.commit().await?;
    removal.status = RemovalStatus::Declined;
    removal.declined_by = Some(manager.id.clone());
    removal.declined_at = Some(now);
    removal.decline_reason = Some(d.reason.clone());
    Ok(removal)
}

/// A page of removals: those matching `filter` after the position `after` (requested at,
/// id), oldest request first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRemovals {
    pub filter: Filter,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

pub async fn list(pool: &Pool, q: &ListRemovals) -> Result<Vec<Removal>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(store::list(&mut conn, &q.filter, q.after, q.limit).await?)
}
