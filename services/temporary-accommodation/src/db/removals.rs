//! Removals and storage requests and the manager's decision on each.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::stock::{enum_name, parse_enum};
use crate::domain::placement::{RemovalKind, RemovalStatus};

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
    pub status: RemovalStatus,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub declined_by: Option<String>,
    pub declined_at: Option<DateTime<Utc>>,
    pub decline_reason: Option<String>,
}

pub async fn insert(conn: &mut PgConnection, r: &Removal) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO removals (id, placement_id, kind, supplier_name, supplier_reference, amount_pence,
                               requested_by, requested_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::removal_status)",
    )
    .bind(r.id)
    .bind(r.placement_id)
    .bind(enum_name(&r.kind))
    .bind(&r.supplier_name)
    .bind(&r.supplier_reference)
    .bind(r.amount_pence)
    .bind(&r.requested_by)
    .bind(r.requested_at)
    .bind(enum_name(&r.status))
    .execute(conn)
    .await?;
    Ok(())
}

const COLUMNS: &str = "id, placement_id, kind, supplier_name, supplier_reference, amount_pence, requested_by,
    requested_at, status::text AS status, approved_by, approved_at, declined_by, declined_at, decline_reason";

fn from_row(r: &sqlx::postgres::PgRow) -> Result<Removal, sqlx::Error> {
    Ok(Removal {
        id: r.try_get("id")?,
        placement_id: r.try_get("placement_id")?,
        kind: parse_enum(r.try_get("kind")?)?,
        supplier_name: r.try_get("supplier_name")?,
        supplier_reference: r.try_get("supplier_reference")?,
        amount_pence: r.try_get("amount_pence")?,
        requested_by: r.try_get("requested_by")?,
        requested_at: r.try_get("requested_at")?,
        status: parse_enum(r.try_get("status")?)?,
        approved_by: r.try_get("approved_by")?,
        approved_at: r.try_get("approved_at")?,
        declined_by: r.try_get("declined_by")?,
        declined_at: r.try_get("declined_at")?,
        decline_reason: r.try_get("decline_reason")?,
    })
}

/// The removal, locked for a decision.
pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Removal>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM removals WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Which removals a list shows: `None` is any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<RemovalStatus>,
    pub placement_id: Option<Uuid>,
}

/// Up to `limit` removals matching `filter`, oldest request first, after the position
/// `after` (requested at, id).
pub async fn list(
    conn: &mut PgConnection,
    filter: &Filter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Removal>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM removals
         WHERE ($1::text IS NULL OR status = $1::text::removal_status)
           AND ($2::uuid IS NULL OR placement_id = $2)
           AND ($3::timestamptz IS NULL OR (requested_at, id) > ($3, $4::uuid))
         ORDER BY requested_at, id
         LIMIT $5"
    ))
    .bind(filter.status.as_ref().map(enum_name))
    .bind(filter.placement_id)
    .bind(after.map(|(at, _)| at))
    .bind(after.map(|(_, id)| id))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn approve(
    conn: &mut PgConnection,
    id: Uuid,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE removals SET status = 'approved', approved_by = $2, approved_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn decline(
    conn: &mut PgConnection,
    id: Uuid,
    by: &str,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE removals SET status = 'declined', declined_by = $2, declined_at = $3, decline_reason = $4
         WHERE id = $1",
    )
    .bind(id)
    .bind(by)
    .bind(at)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(())
}
