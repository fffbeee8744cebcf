use chrono::{NaiveDate, Utc};
use housing_platform::money::Pence;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::domain::ledger::{Journal, Posting};

/// How a journal is filed: what it is, whose account it concerns, when it takes effect,
/// who made it, and (for requests and reversals) what makes it unique.
pub struct Entry<'a> {
    pub kind: &'a str,
    pub rent_account_id: Option<Uuid>,
    pub effective_date: NaiveDate,
    pub created_by: &'a str,
    pub request_id: Option<&'a str>,
    pub reverses: Option<i64>,
}

/// Writes a balanced journal; the database checks the balance again at commit.
pub async fn post(
    conn: &mut PgConnection,
    kind: &str,
    journal: &Journal,
    rent_account_id: Option<Uuid>,
    effective_date: NaiveDate,
    by: &str,
) -> Result<i64, sqlx::Error> {
    let entry = Entry {
        kind,
        rent_account_id,
        effective_date,
        created_by: by,
        request_id: None,
        reverses: None,
    };
    post_entry(conn, &entry, journal).await
}

pub async fn post_entry(
    conn: &mut PgConnection,
    entry: &Entry<'_>,
    journal: &Journal,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO journal_entries (kind, memo, rent_account_id, effective_date, created_by, created_at, request_id, reverses)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(entry.kind)
    .bind(&journal.memo)
    .bind(entry.rent_account_id)
    .bind(entry.effective_date)
    .bind(entry.created_by)
    .bind(Utc::now())
    .bind(entry.request_id)
    .bind(entry.reverses)
    .fetch_one(&mut *conn)
    .await?;
    let accounts: Vec<&str> = journal
        .postings
        .iter()
        .map(|p| p.account.as_str())
        .collect();
    let amounts: Vec<i64> = journal
        .postings
        .iter()
        .map(|p| p.amount_pence.get())
        .collect();
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

/// The journal posted for a request id, if any.
pub async fn by_request(
    conn: &mut PgConnection,
    request_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM journal_entries WHERE request_id = $1")
        .bind(request_id)
        .fetch_optional(conn)
        .await
}

pub struct Stored {
    pub kind: String,
    pub rent_account_id: Option<Uuid>,
    pub effective_date: NaiveDate,
    pub journal: Journal,
    pub reversed_by: Option<i64>,
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<Stored>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT kind, memo, rent_account_id, effective_date,
                (SELECT r.id FROM journal_entries r WHERE r.reverses = j.id) AS reversed_by
         FROM journal_entries j WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let postings = sqlx::query(
        "SELECT ledger_account, amount_pence FROM postings WHERE journal_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|p| {
        Ok(Posting {
            account: p.try_get("ledger_account")?,
            amount_pence: Pence::new(p.try_get("amount_pence")?),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(Stored {
        kind: row.try_get("kind")?,
        rent_account_id: row.try_get("rent_account_id")?,
        effective_date: row.try_get("effective_date")?,
        journal: Journal {
            memo: row.try_get("memo")?,
            postings,
        },
        reversed_by: row.try_get("reversed_by")?,
    }))
}

/// The sum of an account's postings: debit positive. Saturated, as every sum read back is.
pub async fn balance(conn: &mut PgConnection, ledger_account: &str) -> Result<Pence, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT saturating_pence(coalesce(sum(amount_pence), 0)) FROM postings WHERE ledger_account = $1",
    )
    .bind(ledger_account)
    .fetch_one(conn)
    .await
    .map(Pence::new)
}

/// Debits to an account: what it has been charged.
pub async fn total_debits(
    conn: &mut PgConnection,
    ledger_account: &str,
) -> Result<Pence, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT saturating_pence(coalesce(sum(amount_pence), 0)) FROM postings WHERE ledger_account = $1 AND amount_pence > 0",
    )
    .bind(ledger_account)
    .fetch_one(conn)
    .await
    .map(Pence::new)
}
