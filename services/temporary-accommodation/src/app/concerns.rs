//! Concerns and complaints about a unit: logged, actioned, escalated, each step recorded.

use chrono::Utc;
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::idempotency;
use uuid::Uuid;

use crate::db::concerns::{self as store, Action, Concern};
use crate::db::stock;
use crate::domain::concern::{ConcernSource, ConcernStatus};

pub async fn log(
    pool: &Pool,
    request_id: &str,
    unit_id: Uuid,
    source: ConcernSource,
    description: &str,
    by: &str,
) -> Result<Concern, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "accommodation.LogConcern", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        return one(&mut tx, id).await;
    }
    if stock::find_unit(&mut tx, unit_id).await?.is_none() {
        let mut v = FieldViolations::new();
        v.add("unit_id", format!("no unit {unit_id}"));
        return Err(AppError::Invalid(v));
    }
    let now = Utc::now();
    let concern = Concern {
        id: Uuid::now_v7(),
        unit_id,
        source,
        description: description.to_owned(),
        status: ConcernStatus::Open,
        actions: vec![Action {
            status: ConcernStatus::Open,
            note: "logged".into(),
            taken_by: by.to_owned(),
            taken_at: now,
        }],
    };
    store::insert(&mut tx, &concern, by, now).await?;
    idempotency::record(
        &mut tx,
        "accommodation.LogConcern",
        request_id,
        &concern.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(concern)
}

pub async fn act(
    pool: &Pool,
    id: Uuid,
    status: ConcernStatus,
    note: &str,
    by: &str,
) -> Result<Concern, AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT 1 FROM concerns WHERE id = $1 FOR UPDATE")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let before = one(&mut tx, id).await?;
    store::record(
        &mut tx,
        before.id,
        &Action {
            status,
            note: note.to_owned(),
            taken_by: by.to_owned(),
            taken_at: Utc::now(),
        },
    )
    .await?;
    let after = one(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn for_unit(pool: &Pool, unit_id: Uuid) -> Result<Vec<Concern>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(store::list(&mut conn, None, Some(unit_id)).await?)
}

async fn one(conn: &mut sqlx::PgConnection, id: Uuid) -> Result<Concern, AppError> {
    store::list(conn, Some(id), None)
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("concern", id))
}
