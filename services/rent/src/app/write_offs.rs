//! Write-offs on approval: an officer asks, a manager decides. An approval posts the
//! write-off journal exactly as a manager's WRITE_OFF adjustment does, in the same
//! transaction as the decision; the write-off records who asked and who decided, when and
//! why.

use chrono::{DateTime, Utc};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::money::Pence;
use housing_platform::time;
use uuid::Uuid;

use crate::app::adjustments::{self, Correction, Kind};
use crate::db::accounts::{self, Key};
use crate::db::ledger;
use crate::db::write_offs::{self as store, Filter, NewWriteOff, WriteOff};
use crate::domain::ledger::tenant_account;
use crate::domain::write_offs::{self as rules, Decision, Refusal, Status};

/// An officer's request to give up debt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOffRequest {
    pub request_id: String,
    pub account_id: Uuid,
    pub amount: Pence,
    pub reason: String,
}

/// Records a pending write-off asked for by `by`. A retry with the same request id returns
/// the write-off the first made.
pub async fn request(pool: &Pool, r: &WriteOffRequest, by: &str) -> Result<WriteOff, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(existing) = store::by_request(&mut tx, &r.request_id).await? {
        return Ok(existing);
    }
    let account = accounts::find(&mut tx, Key::Account(r.account_id))
        .await?
        .ok_or_else(|| {
            let mut v = FieldViolations::new();
            v.add("account_id", format!("no rent account {}", r.account_id));
            AppError::Invalid(v)
        })?;
    let balance = ledger::balance(&mut tx, &tenant_account(account.id)).await?;
    rules::check_request(r.amount, balance).map_err(|refusal| {
        let mut v = FieldViolations::new();
        v.add("amount_pence", refusal.to_string());
        AppError::Invalid(v)
    })?;
    let new = NewWriteOff {
        account_id: account.id,
        amount: r.amount,
        reason: &r.reason,
        request_id: &r.request_id,
        requested_by: by,
    };
    let id = match store::insert(&mut tx, &new).await? {
        Some(id) => id,
        // The same request, retried at the same moment, got there first.
        None => {
            return store::by_request(&mut tx, &r.request_id)
                .await?
                .ok_or_else(|| AppError::not_found("write-off for request", &r.request_id));
        }
    };
    let write_off = store::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("write-off", id))?;
    tx.commit().await?;
    Ok(write_off)
}

/// A manager's decision on a pending write-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decide {
    pub write_off_id: Uuid,
    pub decision: Decision,
    /// Required to decline; a note on an approval.
    pub reason: Option<String>,
}

/// Decides a pending write-off for `by`. An approval posts the write-off journal, dated
/// today, in the same transaction; a write-off is decided once.
pub async fn decide(pool: &Pool, d: &Decide, by: &str) -> Result<WriteOff, AppError> {
    let mut tx = pool.begin().await?;
    let write_off = store::find(&mut tx, d.write_off_id)
        .await?
        .ok_or_else(|| AppError::not_found("write-off", d.write_off_id))?;
    // Held until the journal is posted, so the arrears cannot fall in between.
    let account = accounts::find(&mut tx, Key::Account(write_off.account_id))
        .await?
        .ok_or_else(|| AppError::not_found("rent account", write_off.account_id))?;
    let balance = ledger::balance(&mut tx, &tenant_account(account.id)).await?;
    let status = rules::decide(write_off.status, d.decision, write_off.amount, balance)
        .map_err(|refusal| refused(&write_off, refusal))?;
    let journal_id = if status == Status::Approved {
        let correction = Correction {
            kind: Kind::WriteOff,
            amount: write_off.amount,
            effective_date: time::today(),
            reason: &write_off.reason,
            request_id: None,
        };
        let (journal_id, _) = adjustments::post_locked(&mut tx, &account, &correction, by).await?;
        Some(journal_id)
    } else {
        None
    };
    let decision = store::Decision {
        id: write_off.id,
        status,
        by,
        reason: d.reason.as_deref(),
        journal_id,
    };
    store::record_decision(&mut tx, &decision).await?;
    let decided = store::find(&mut tx, write_off.id)
        .await?
        .ok_or_else(|| AppError::not_found("write-off", write_off.id))?;
    tx.commit().await?;
    Ok(decided)
}

fn refused(write_off: &WriteOff, refusal: Refusal) -> AppError {
    match refusal {
        Refusal::AlreadyDecided(status) => AppError::FailedPrecondition(format!(
            "write-off {} was {} already, by {} at {}",
            write_off.id,
            status.as_str(),
            write_off.decided_by.as_deref().unwrap_or("someone"),
            write_off
                .decided_at
                .map(|at| at.to_rfc3339())
                .unwrap_or_default()
        )),
        other => AppError::FailedPrecondition(other.to_string()),
    }
}

/// A page of write-offs asked for: those in `filter` after `after` (when asked for, id),
/// up to `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOffQuery {
    pub filter: Filter,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

/// The page, in the filter's order ([`Filter::oldest_first`]), and whether write-offs
/// follow its last.
pub async fn list(pool: &Pool, q: &WriteOffQuery) -> Result<(Vec<WriteOff>, bool), AppError> {
    let mut conn = pool.acquire().await?;
    // One more than the page, to know whether another follows.
    let mut rows = store::list(&mut conn, &q.filter, q.after, q.limit.saturating_add(1)).await?;
    let more = rows.len() as i64 > q.limit;
    rows.truncate(usize::try_from(q.limit).unwrap_or(0));
    Ok((rows, more))
}
