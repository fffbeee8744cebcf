//! Reviews of closing a placement for rent arrears, and the officer's decision on each.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::stock::{enum_name, parse_enum};
use crate::domain::placement::ClosureReviewStatus;

#[derive(Debug, Clone, PartialEq)]
pub struct ClosureReview {
    pub id: Uuid,
    pub placement_id: Uuid,
    pub application_id: Option<Uuid>,
    pub rent_account_id: Uuid,
    pub balance_pence: i64,
    pub weeks_in_arrears: f64,
    pub opened_on: NaiveDate,
    pub opened_at: DateTime<Utc>,
    pub status: ClosureReviewStatus,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// Opens the review unless the placement has one open already; whether it was opened.
pub async fn open(conn: &mut PgConnection, r: &ClosureReview) -> Result<bool, sqlx::Error> {
    let opened = sqlx::query(
        "INSERT INTO closure_reviews (id, placement_id, rent_account_id, balance_pence,
                                      weeks_in_arrears, opened_on, opened_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (placement_id) WHERE status = 'open' DO NOTHING",
    )
    .bind(r.id)
    .bind(r.placement_id)
    .bind(r.rent_account_id)
    .bind(r.balance_pence)
    .bind(r.weeks_in_arrears)
    .bind(r.opened_on)
    .bind(r.opened_at)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(opened == 1)
}

const COLUMNS: &str = "r.id, r.placement_id, p.application_id, r.rent_account_id, r.balance_pence,
    r.weeks_in_arrears, r.opened_on, r.opened_at, r.status::text AS status, r.reason, r.decided_by,
    r.decided_at";

fn from_row(r: &sqlx::postgres::PgRow) -> Result<ClosureReview, sqlx::Error> {
    Ok(ClosureReview {
        id: r.try_get("id")?,
        placement_id: r.try_get("placement_id")?,
        application_id: r.try_get("application_id")?,
        rent_account_id: r.try_get("rent_account_id")?,
        balance_pence: r.try_get("balance_pence")?,
        weeks_in_arrears: r.try_get("weeks_in_arrears")?,
        opened_on: r.try_get("opened_on")?,
        opened_at: r.try_get("opened_at")?,
        status: parse_enum(r.try_get("status")?)?,
        reason: r.try_get("reason")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
    })
}

/// The review, locked for a decision.
pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<ClosureReview>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM closure_reviews r JOIN placements p ON p.id = r.placement_id
         WHERE r.id = $1 FOR UPDATE OF r"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Which reviews a list shows: `None` is any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<ClosureReviewStatus>,
    pub placement_id: Option<Uuid>,
}

/// Up to `limit` reviews matching `filter`, the first opened first, after the position
/// `after` (opened at, id).
pub async fn list(
    conn: &mut PgConnection,
    filter: &Filter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<ClosureReview>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM closure_reviews r JOIN placements p ON p.id = r.placement_id
         WHERE ($1::text IS NULL OR r.status = $1::text::closure_review_status)
           AND ($2::uuid IS NULL OR r.placement_id = $2)
           AND ($3::timestamptz IS NULL OR (r.opened_at, r.id) > ($3, $4::uuid))
         ORDER BY r.opened_at, r.id
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

pub async fn decide(
    conn: &mut PgConnection,
    id: Uuid,
    status: ClosureReviewStatus,
    reason: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE closure_reviews
         SET status = $2::text::closure_review_status, reason = $3, decided_by = $4, decided_at = $5
         WHERE id = $1",
    )
    .bind(id)
    .bind(enum_name(&status))
    .bind(reason)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}
