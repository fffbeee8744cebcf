use chrono::{NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// Serialises work on one payment source for the rest of the transaction.
pub async fn lock(conn: &mut PgConnection, source: &str) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 1))")
        .bind(source)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn exists(conn: &mut PgConnection, source_key: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM payments WHERE source_key = $1)")
        .bind(source_key)
        .fetch_one(conn)
        .await
}

pub async fn insert(
    conn: &mut PgConnection,
    account_id: Uuid,
    journal_id: i64,
    source_key: &str,
    received_on: NaiveDate,
    amount_pence: i64,
    method: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payments (account_id, journal_id, source_key, received_on, amount_pence, method, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(account_id)
    .bind(journal_id)
    .bind(source_key)
    .bind(received_on)
    .bind(amount_pence)
    .bind(method)
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(())
}
