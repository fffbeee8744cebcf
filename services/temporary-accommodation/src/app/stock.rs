use chrono::Utc;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::idempotency;
use sqlx::PgPool;
use uuid::Uuid;

use crate::db::stock as store;
use crate::domain::unit::Unit;

/// Registers a unit of the provider's; the unit's id is assigned here.
pub async fn create_unit(
    pool: &PgPool,
    request_id: &str,
    mut unit: Unit,
) -> Result<Unit, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "accommodation.CreateUnit", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        return store::find_unit(&mut tx, id)
            .await?
            .ok_or_else(|| AppError::not_found("unit", id));
    }
    if store::provider_name(&mut tx, unit.provider_id)
        .await?
        .is_none()
    {
        let mut v = FieldViolations::new();
        v.add(
            "unit.provider_id",
            format!("no provider {}", unit.provider_id),
        );
        return Err(AppError::Invalid(v));
    }
    unit.id = Uuid::now_v7();
    store::insert_unit(&mut tx, &unit, Utc::now()).await?;
    idempotency::record(
        &mut tx,
        "accommodation.CreateUnit",
        request_id,
        &unit.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(unit)
}
