//! Removals and storage requests and their approval.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::stock::{enum_name, parse_enum};
use crate::domain::placement::RemovalKind;

#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    pub id: Uuid,
    pub placement_id: Uuid,
    pub kind: RemovalKind,
    pub supplier_name: String,
    pub supplier_reference: String,
    pub amount_pence: i64,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
}

pub async fn insert(conn: &mut PgConnection, r: &Removal) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO removals (id, placement_id, kind, supplier_name, supplier_reference, amount_pence,
                               requested_by, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(r.id)
    .bind(r.placement_id)
    .bind(enum_name(&r.kind))
    .bind(&r.supplier_name)
    .bind(&r.supplier_reference)
    .bind(r.amount_pence)
    .bind(&r.requested_by)
    .bind(r.requested_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Removal>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM removals WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        Ok(Removal {
            id: r.try_get("id")?,
            placement_id: r.try_get("placement_id")?,
            kind: parse_enum(r.try_get("kind")?)?,
            supplier_name: r.try_get("supplier_name")?,
            supplier_reference: r.try_get("supplier_reference")?,
            amount_pence: r.try_get("amount_pence")?,
            requested_by: r.try_get("requested_by")?,
            requested_at: r.try_get("requested_at")?,
            approved_by: r.try_get("approved_by")?,
            approved_at: r.try_get("approved_at")?,
        })
    })
    .transpose()
}

pub async fn approve(
    conn: &mut PgConnection,
    id: Uuid,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE removals SET approved_by = $2, approved_at = $3 WHERE id = $1")
        .bind(id)
        .bind(by)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}
