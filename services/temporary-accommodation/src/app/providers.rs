//! Providers and landlords, and the agreements their units are taken under.

use chrono::{DateTime, Utc};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::idempotency;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::providers as store;
use crate::domain::provider::{Agreement, Contact, Provider};

pub async fn create(
    pool: &Pool,
    request_id: &str,
    mut provider: Provider,
) -> Result<Provider, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "accommodation.CreateProvider", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        return one(&mut tx, id).await;
    }
    provider.id = Uuid::now_v7();
    store::insert(&mut tx, &provider, Utc::now()).await?;
    idempotency::record(
        &mut tx,
        "accommodation.CreateProvider",
        request_id,
        &provider.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(provider)
}

/// Records an agreement; a provider's references are its own and are not reused.
pub async fn add_agreement(
    pool: &Pool,
    provider_id: Uuid,
    mut agreement: Agreement,
) -> Result<Provider, AppError> {
    let mut tx = pool.begin().await?;
    let provider = one(&mut tx, provider_id).await?;
    if provider
        .agreements
        .iter()
        .any(|a| a.reference == agreement.reference)
    {
        return Err(AppError::FailedPrecondition(format!(
            "provider {provider_id} already has an agreement {}",
            agreement.reference
        )));
    }
    agreement.id = Uuid::now_v7();
    store::insert_agreement(&mut tx, provider_id, &agreement).await?;
    let provider = one(&mut tx, provider_id).await?;
    tx.commit().await?;
    Ok(provider)
}

pub async fn update(
    pool: &Pool,
    id: Uuid,
    landlord: bool,
    contacts: Vec<Contact>,
) -> Result<Provider, AppError> {
    let mut tx = pool.begin().await?;
    one(&mut tx, id).await?;
    store::update(&mut tx, id, landlord, &contacts).await?;
    let provider = one(&mut tx, id).await?;
    tx.commit().await?;
    Ok(provider)
}

/// A page of providers: those whose name contains `name_contains`, when given, after
/// the position `after`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListProviders {
    pub name_contains: Option<String>,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

pub async fn list(
    pool: &Pool,
    q: &ListProviders,
) -> Result<Vec<(DateTime<Utc>, Provider)>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(store::list(&mut conn, q.name_contains.as_deref(), q.after, q.limit).await?)
}

pub async fn get(pool: &Pool, id: Uuid) -> Result<Provider, AppError> {
    one(&mut *pool.acquire().await?, id).await
}

async fn one(conn: &mut PgConnection, id: Uuid) -> Result<Provider, AppError> {
    store::find(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("provider", id))
}
