//! Providers with their contacts and agreements.

use chrono::{DateTime, Utc};
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
    let agreements = sqlx::query(
        "SELECT id, kind, reference, starts_on, ends_on FROM agreements
         WHERE provider_id = $1 ORDER BY starts_on, reference",
    )
    .bind(id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|a| {
        Ok(Agreement {
            id: a.try_get("id")?,
            kind: parse_enum(a.try_get("kind")?)?,
            reference: a.try_get("reference")?,
            starts_on: a.try_get("starts_on")?,
            ends_on: a.try_get("ends_on")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(Some(Provider {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        contact_email: row.try_get("contact_email")?,
        landlord: row.try_get("landlord")?,
        contacts: row.try_get::<Json<_>, _>("contacts")?.0,
        agreements,
    }))
}
