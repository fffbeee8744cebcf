//! Decants for regeneration: a household moved out of a home that is to be rebuilt is
//! rehoused by a decant offer, may have the right to return, and is paid for the loss of
//! its home and the costs of moving once it has moved.

use chrono::{NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::{idempotency, time};
use housing_proto::nominations::v1 as pb;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::decants::{self as store, Decant, DisturbanceItem};
use crate::domain::decant::{HomeLossRules, home_loss};

pub async fn create(pool: &Pool, request_id: &str, decant: Decant) -> Result<Decant, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "nominations.CreateDecant", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        return load(&mut tx, id).await;
    }
    if let Some(existing) = store::awaiting_move(&mut tx, decant.application_id).await? {
        return Err(AppError::FailedPrecondition(format!(
            "application {} already has decant {} awaiting its move",
            decant.application_id, existing.id
        )));
    }
    store::insert(&mut tx, &decant, Utc::now()).await?;
    idempotency::record(
        &mut tx,
        "nominations.CreateDecant",
        request_id,
        &decant.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(decant)
}

pub async fn get(pool: &Pool, id: Uuid) -> Result<Decant, AppError> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await
}

async fn load(conn: &mut PgConnection, id: Uuid) -> Result<Decant, AppError> {
    store::find(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("decant", id))
}

/// A decant offer may only go to a household waiting to be decanted.
pub async fn require_awaiting(conn: &mut PgConnection, application: Uuid) -> Result<(), AppError> {
    match store::awaiting_move(conn, application).await? {
        Some(_) => Ok(()),
        None => Err(AppError::FailedPrecondition(format!(
            "application {application} has no decant awaiting its move; create the decant first"
        ))),
    }
}

/// The household's tenancy in its new home has started: it has moved.
pub async fn on_letting(
    conn: &mut PgConnection,
    application: Uuid,
    tenancy_start: NaiveDate,
) -> Result<(), AppError> {
    if let Some(decant) = store::awaiting_move(conn, application).await? {
        store::set_moved(conn, decant.id, tenancy_start).await?;
    }
    Ok(())
}

/// Approves the home-loss payment the rules give and the disturbance costs accepted, and
/// tells the rent service to pay them.
pub async fn approve_payments(
    pool: &Pool,
    id: Uuid,
    disturbance: Vec<DisturbanceItem>,
    rules: &HomeLossRules,
    by: &str,
) -> Result<Decant, AppError> {
    let mut tx = pool.begin().await?;
    let mut decant = load(&mut tx, id).await?;
    let moved_on = match (decant.status.as_str(), decant.moved_on) {
        ("moved", Some(on)) => on,
        ("payments_approved", _) => {
            return Err(AppError::FailedPrecondition(format!(
                "decant {id}'s payments were approved by {} already",
                decant.approved_by.as_deref().unwrap_or("someone")
            )));
        }
        _ => {
            return Err(AppError::FailedPrecondition(format!(
                "decant {id} has not moved yet: payments follow the move"
            )));
        }
    };
    let (paid, reason) = home_loss(
        rules,
        decant.tenure,
        decant.occupied_since,
        moved_on,
        decant.market_value_pence,
    );
    let now = Utc::now();
    decant.status = "payments_approved".into();
    decant.home_loss_pence = Some(paid);
    decant.home_loss_reason = Some(reason);
    decant.rules_version = Some(rules.version.clone());
    decant.disturbance = disturbance;
    decant.approved_by = Some(by.to_owned());
    decant.approved_at = Some(now);
    store::approve(&mut tx, &decant).await?;
    // Nothing to pay, nothing to tell the rent service.
    if paid + decant.disturbance_pence() > 0 {
        let approved = pb::DecantPaymentsApproved {
            decant_id: id.to_string(),
            application_id: decant.application_id.to_string(),
            payee_name: decant.payee_name.clone(),
            scheme: decant.scheme.clone(),
            home_loss_pence: paid,
            disturbance_pence: decant.disturbance_pence(),
            approved_by: by.to_owned(),
            approved_at: Some(time::timestamp(now)),
            home_loss_reason: decant.home_loss_reason.clone().unwrap_or_default(),
        };
        outbox::enqueue(
            &mut tx,
            &OutgoingEvent::new(
                "housing.nominations.decant.payments_approved.v1",
                id,
                &approved,
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(decant)
}
