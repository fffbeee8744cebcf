//! Providers with their contacts and agreements.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::stock::{enum_name, parse_enum};
use crate::domain::provider::{Agreement, Contact, Provider};

pub async fn insert(
    conn: &mut PgConnection,
    p: &Provider,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO providers (id, name, contact_email, created_at, landlord, contacts)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(p.id)
    .bind(&p.name)
    .bind(&p.contact_email)
    .bind(at)
    .bind(p.landlord)
    .bind(Json(&p.contacts))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    landlord: bool,
    contacts: &[Contact],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE providers SET landlord = $2, contacts = $3 WHERE id = $1")
        .bind(id)
        .bind(landlord)
        .bind(Json(contacts))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_agreement(
    conn: &mut PgConnection,
    provider_id: Uuid,
    a: &Agreement,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO agreements (id, provider_id, kind, reference, starts_on, ends_on)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(a.id)
    .bind(provider_id)
    .bind(enum_name(&a.kind))
    .bind(&a.reference)
    .bind(a.starts_on)
    .bind(a.ends_on)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Provider>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT id, name, contact_email, landlord, contacts FROM providers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let mut agreements = agreements_of(conn, &[id]).await?;
    provider_from_row(&row, &mut agreements).map(Some)
}

/// Providers in the order they were registered, after the position `after`, with the time
/// each was registered; only those whose name contains `name_contains` when it is given.
pub async fn list(
    conn: &mut PgConnection,
    name_contains: Option<&str>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<(DateTime<Utc>, Provider)>, sqlx::Error> {
    // strpos rather than LIKE: what the officer typed is text, never a pattern.
    let rows = sqlx::query(
        "SELECT id, name, contact_email, landlord, contacts, created_at FROM providers
         WHERE ($1::text IS NULL OR strpos(lower(name), lower($1)) > 0)
           AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
         ORDER BY created_at, id
         LIMIT $4",
    )
    .bind(name_contains)
    .bind(after.map(|(at, _)| at))
    .bind(after.map(|(_, id)| id))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = rows
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    let mut agreements = agreements_of(conn, &ids).await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("created_at")?,
                provider_from_row(row, &mut agreements)?,
            ))
        })
        .collect()
}

/// The agreements of the providers `ids`, each provider's earliest first.
async fn agreements_of(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Agreement>>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT provider_id, id, kind, reference, starts_on, ends_on FROM agreements
         WHERE provider_id = ANY($1) ORDER BY starts_on, reference",
    )
    .bind(ids)
    .fetch_all(conn)
    .await?;
    let mut by_provider: HashMap<Uuid, Vec<Agreement>> = HashMap::new();
    for a in &rows {
        by_provider
            .entry(a.try_get("provider_id")?)
            .or_default()
            .push(Agreement {
                id: a.try_get("id")?,
                kind: parse_enum(a.try_get("kind")?)?,
                reference: a.try_get("reference")?,
                starts_on: a.try_get("starts_on")?,
                ends_on: a.try_get("ends_on")?,
            });
    }
    Ok(by_provider)
}

fn provider_from_row(
    row: &PgRow,
    agreements: &mut HashMap<Uuid, Vec<Agreement>>,
) -> Result<Provider, sqlx::Error> {
    let id = row.try_get("id")?;
    Ok(Provider {
        id,
        name: row.try_get("name")?,
        contact_email: row.try_get("contact_email")?,
        landlord: row.try_get("landlord")?,
        contacts: row.try_get::<Json<_>, _>("contacts")?.0,
        agreements: agreements.remove(&id).unwrap_or_default(),
    })
}
