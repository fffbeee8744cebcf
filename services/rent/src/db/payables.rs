use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Payable {
    pub id: Uuid,
    pub kind: String,
    pub payee: String,
    pub reference: String,
    pub amount_pence: i64,
    pub paid_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

pub struct NewPayable<'a> {
    pub kind: &'a str,
    pub payee: &'a str,
    pub reference: &'a str,
    pub amount_pence: i64,
    pub source_event_id: Uuid,
    pub approved_by: &'a str,
    pub approval_journal: i64,
}

pub async fn insert(conn: &mut PgConnection, p: &NewPayable<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payables (id, kind, payee, reference, amount_pence, source_event_id, approved_by, approval_journal, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(Uuid::now_v7())
    .bind(p.kind)
    .bind(p.payee)
    .bind(p.reference)
    .bind(p.amount_pence)
    .bind(p.source_event_id)
    .bind(p.approved_by)
    .bind(p.approval_journal)
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn exists_for_event(
    conn: &mut PgConnection,
    event_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM payables WHERE source_event_id = $1)")
        .bind(event_id)
        .fetch_one(conn)
        .await
}

const COLUMNS: &str = "id, kind, payee, reference, amount_pence, paid_on, created_at";

fn from_row(r: &sqlx::postgres::PgRow) -> Result<Payable, sqlx::Error> {
    Ok(Payable {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        payee: r.try_get("payee")?,
        reference: r.try_get("reference")?,
        amount_pence: r.try_get("amount_pence")?,
        paid_on: r.try_get("paid_on")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Payable>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM payables WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| from_row(&r)).transpose()
}

pub async fn mark_paid(
    conn: &mut PgConnection,
    id: Uuid,
    on: NaiveDate,
    journal: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payables SET paid_on = $2, payment_journal = $3 WHERE id = $1")
        .bind(id)
        .bind(on)
        .bind(journal)
        .execute(conn)
        .await?;
    Ok(())
}

/// Oldest first, after the keyset `after` (created_at, id).
pub async fn list(
    conn: &mut PgConnection,
    unpaid_only: bool,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Payable>, sqlx::Error> {
    let (at, id) = after.unzip();
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM payables
         WHERE (NOT $1 OR paid_on IS NULL) AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3))
         ORDER BY created_at, id LIMIT $4"
    ))
    .bind(unpaid_only)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}
