use chrono::Utc;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::idempotency;
use sqlx::PgPool;
use uuid::Uuid;

use crate::db::stock as store;
use crate::domain::unit::Unit;

pub struct Provider {
    pub id: Uuid,
    pub name: String,
    pub contact_email: String,
}

pub async fn create_provider(
    pool: &PgPool,
    request_id: &str,
    name: &str,
    email: &str,
) -> Result<Provider, AppError> {
    let mut tx = pool.begin().await?;
    let id =
        match idempotency::replay::<String>(&mut tx, "accommodation.CreateProvider", request_id)
            .await?
        {
            Some(id) => {
                Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?
            }
            None => {
                let id = Uuid::now_v7();
                store::insert_provider(&mut tx, id, name, email, Utc::now()).await?;
                idempotency::record(
                    &mut tx,
                    "accommodation.CreateProvider",
                    request_id,
                    &id.to_string(),
                )
                .await?;
                id
            }
        };
    let (name, contact_email) = store::provider_name(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("provider", id))?;
    tx.commit().await?;
    Ok(Provider {
        id,
        name,
        contact_email,
    })
}

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
