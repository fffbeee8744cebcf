//! Write-offs asked for and decided; each read with the account's reference and balance.

use chrono::{DateTime, Utc};
use housing_platform::money::Pence;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::domain::write_offs::Status;

#[derive(Debug, Clone)]
pub struct WriteOff {
    pub id: Uuid,
    pub account_id: Uuid,
    pub payment_reference: String,
    pub amount: Pence,
    pub reason: String,
    pub status: Status,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    pub journal_id: Option<i64>,
    /// The account's balance now; saturated, as every sum read back is.
    pub account_balance: Pence,
}

const SELECT: &str = "SELECT w.id, w.account_id, a.payment_reference, w.amount_pence, w.reason,
        w.status::text AS status, w.requested_by, w.requested_at, w.decided_by, w.decided_at,
        w.decision_reason, w.journal_id, saturating_pence(q.balance_pence) AS balance
    FROM write_offs w
    JOIN rent_accounts a ON a.id = w.account_id
    JOIN account_queue q ON q.account_id = w.account_id";

fn from_row(r: &PgRow) -> Result<WriteOff, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(WriteOff {
        id: r.try_get("id")?,
        account_id: r.try_get("account_id")?,
        payment_reference: r.try_get("payment_reference")?,
        amount: Pence::new(r.try_get("amount_pence")?),
        reason: r.try_get("reason")?,
        status: Status::parse(&status).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: "status".into(),
            source: format!("no write-off status {status:?}").into(),
        })?,
        requested_by: r.try_get("requested_by")?,
        requested_at: r.try_get("requested_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        decision_reason: r.try_get("decision_reason")?,
        journal_id: r.try_get("journal_id")?,
        account_balance: Pence::new(r.try_get("balance")?),
    })
}

/// The write-off, locked for the rest of the transaction.
pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<WriteOff>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE w.id = $1 FOR UPDATE OF w"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| from_row(&r)).transpose()
}

/// The write-off a request id made, if any.
pub async fn by_request(
    conn: &mut PgConnection,
    request_id: &str,
) -> Result<Option<WriteOff>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE w.request_id = $1"))
        .bind(request_id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| from_row(&r)).transpose()
}

pub struct NewWriteOff<'a> {
    pub account_id: Uuid,
    pub amount: Pence,
    pub reason: &'a str,
    pub request_id: &'a str,
    pub requested_by: &'a str,
}

/// Records a pending write-off; `None` when one with the request id is already there.
pub async fn insert(
    conn: &mut PgConnection,
    w: &NewWriteOff<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO write_offs (id, account_id, amount_pence, reason, status, request_id, requested_by, requested_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7)
         ON CONFLICT (request_id) DO NOTHING
         RETURNING id",
    )
    .bind(Uuid::now_v7())
    .bind(w.account_id)
    .bind(w.amount.get())
    .bind(w.reason)
    .bind(w.request_id)
    .bind(w.requested_by)
    .bind(Utc::now())
    .fetch_optional(conn)
    .await
}

/// A manager's decision on a pending write-off.
pub struct Decision<'a> {
    pub id: Uuid,
    pub status: Status,
    pub by: &'a str,
    pub reason: Option<&'a str>,
    /// The journal an approval posted.
    pub journal_id: Option<i64>,
}

pub async fn record_decision(conn: &mut PgConnection, d: &Decision<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE write_offs
         SET status = $2::write_off_status, decided_by = $3, decided_at = $4, decision_reason = $5, journal_id = $6
         WHERE id = $1",
    )
    .bind(d.id)
    .bind(d.status.as_str())
    .bind(d.by)
    .bind(Utc::now())
    .bind(d.reason)
    .bind(d.journal_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Which write-offs a list takes; each filter left out takes them all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<Status>,
    pub account_id: Option<Uuid>,
}

impl Filter {
    /// Pending write-offs are a queue, worked oldest first; everything else is history,
    /// read newest first.
    pub fn oldest_first(&self) -> bool {
        self.status == Some(Status::Pending)
    }
}

/// Write-offs in `filter` after `after` (when asked for, id), in the filter's order.
pub async fn list(
    conn: &mut PgConnection,
    filter: &Filter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<WriteOff>, sqlx::Error> {
    let mut q = QueryBuilder::<Postgres>::new(SELECT);
    q.push(" WHERE true");
    if let Some(status) = filter.status {
        q.push(" AND w.status = ")
            .push_bind(status.as_str())
            .push("::write_off_status");
    }
    if let Some(account_id) = filter.account_id {
        q.push(" AND w.account_id = ").push_bind(account_id);
    }
    let (beyond, order) = if filter.oldest_first() {
        (">", "ASC")
    } else {
        ("<", "DESC")
    };
    if let Some((at, id)) = after {
        q.push(format!(" AND (w.requested_at, w.id) {beyond} ("))
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(format!(
        " ORDER BY w.requested_at {order}, w.id {order} LIMIT "
    ))
    .push_bind(limit);
    let rows = q.build().fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}
