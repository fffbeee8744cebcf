use chrono::{NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::ledger::Journal;

/// Writes a balanced journal; the database checks the balance again at commit.
pub async fn post(
    conn: &mut PgConnection,
    kind: &str,
    journal: &Journal,
    rent_account_id: Option<Uuid>,
    effective_date: NaiveDate,
    by: &str,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO journal_entries (kind, memo, rent_account_id, effective_date, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind)
    .bind(&journal.memo)
    .bind(rent_account_id)
    .bind(effective_date)
    .bind(by)
    .bind(Utc::now())
    .fetch_one(&mut *conn)
    .await?;
    let accounts: Vec<&str> = journal
        .postings
        .iter()
        .map(|p| p.account.as_str())
        .collect();
    let amounts: Vec<i64> = journal.postings.iter().map(|p| p.amount_pence).collect();
    sqlx::query(
        "INSERT INTO postings (journal_id, ledger_account, amount_pence)
         SELECT $1, a, m FROM unnest($2::text[], $3::bigint[]) AS t(a, m)",
    )
    .bind(id)
    .bind(&accounts)
    .bind(&amounts)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// The sum of an account's postings: debit positive.
pub async fn balance(conn: &mut PgConnection, ledger_account: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT coalesce(sum(amount_pence), 0)::bigint FROM postings WHERE ledger_account = $1",
    )
    .bind(ledger_account)
    .fetch_one(conn)
    .await
}

/// Debits to an account: what it has been charged.
pub async fn total_debits(
    conn: &mut PgConnection,
    ledger_account: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT coalesce(sum(amount_pence), 0)::bigint FROM postings WHERE ledger_account = $1 AND amount_pence > 0",
    )
    .bind(ledger_account)
    .fetch_one(conn)
    .await
}
