//! Removals and storage of a household's belongings: an officer asks, only a manager
//! approves, and the approval is what the rent service pays on.

use chrono::Utc;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::auth::{Caller, Role};
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::{idempotency, time};
use housing_proto::accommodation::v1 as pb;
use sqlx::PgPool;
use uuid::Uuid;

use crate::db::placements as placements_store;
use crate::db::removals::{self as store, Removal};

pub async fn request(pool: &PgPool, request_id: &str, mut r: Removal) -> Result<Removal, AppError> {
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

/// A manager's approval; approving an approved removal changes nothing.
pub async fn approve(pool: &PgPool, id: Uuid, manager: &Caller) -> Result<Removal, AppError> {
    if !manager.holds(&[Role::Manager]) {
        return Err(AppError::PermissionDenied(
            "only a manager may approve removals and storage".into(),
        ));
    }
    let mut tx = pool.begin().await?;
    let mut removal = store::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("removal", id))?;
    if removal.approved_by.is_some() {
        return Ok(removal);
    }
    let now = Utc::now();
    store::approve(&mut tx, id, &manager.id, now).await?;
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
