//! Under-occupation moves: a tenant who moves to a smaller home frees bedrooms for a
//! family; the council pays an incentive for each one, which the rent service pays out.

use housing_events::{OutgoingEvent, outbox};
use housing_platform::errors::AppError;
use housing_platform::{idempotency, time};
use housing_proto::nominations::v1 as pb;
use sqlx::PgPool;
use uuid::Uuid;

use crate::db::measures;

pub async fn approve_incentive(
    pool: &PgPool,
    request_id: &str,
    application: Uuid,
    payee: &str,
    bedrooms_released: i32,
    per_bedroom_pence: i64,
    by: &str,
) -> Result<(Uuid, i64), AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "nominations.ApproveIncentive", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        let amount = measures::incentive_amount(&mut tx, id).await?;
        return Ok((id, amount));
    }
    let id = Uuid::now_v7();
    let amount = per_bedroom_pence * i64::from(bedrooms_released);
    measures::insert_incentive(
        &mut tx,
        id,
        application,
        payee,
        bedrooms_released,
        amount,
        by,
    )
    .await?;
    let approved = pb::IncentiveApproved {
        move_id: id.to_string(),
        application_id: application.to_string(),
        payee_name: payee.to_owned(),
        bedrooms_released,
        amount_pence: amount,
        approved_by: by.to_owned(),
        approved_at: Some(time::timestamp(chrono::Utc::now())),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new("housing.nominations.incentive.approved.v1", id, &approved),
    )
    .await?;
    idempotency::record(
        &mut tx,
        "nominations.ApproveIncentive",
        request_id,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok((id, amount))
}
