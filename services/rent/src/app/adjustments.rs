//! Corrections to a tenant's account: credits, debits, refunds, write-offs and reversals.
//! Nothing is edited: each is a journal of its own, with who made it and why.

use chrono::NaiveDate;
use housing_platform::errors::{AppError, FieldViolations};
use sqlx::PgPool;
use uuid::Uuid;

use crate::db::accounts::{self as store, Key};
use crate::db::ledger::{self, Entry};
use crate::domain::ledger::{ADJUSTMENTS, CASH, Journal, WRITE_OFFS, tenant_account};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Credit,
    Debit,
    Refund,
    WriteOff,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Credit => "credit",
            Kind::Debit => "debit",
            Kind::Refund => "refund",
            Kind::WriteOff => "write_off",
        }
    }
}

pub struct Adjustment<'a> {
    pub request_id: &'a str,
    pub account_id: Uuid,
    pub kind: Kind,
    pub amount_pence: i64,
    pub effective_date: NaiveDate,
    pub reason: &'a str,
    pub by: &'a str,
}

/// Posts the adjustment; returns its journal and the balance after it.
pub async fn post(pool: &PgPool, a: Adjustment<'_>) -> Result<(i64, i64), AppError> {
    let mut tx = pool.begin().await?;
    let account = store::find(&mut tx, Key::Account(a.account_id))
        .await?
        .ok_or_else(|| {
            let mut v = FieldViolations::new();
            v.add("account_id", format!("no rent account {}", a.account_id));
            AppError::Invalid(v)
        })?;
    let tenant = tenant_account(account.id);
    if let Some(journal_id) = ledger::by_request(&mut tx, a.request_id).await? {
        let balance = ledger::balance(&mut tx, &tenant).await?;
        return Ok((journal_id, balance));
    }
    let balance = ledger::balance(&mut tx, &tenant).await?;
    match a.kind {
        Kind::WriteOff if a.amount_pence > balance => {
            return Err(AppError::FailedPrecondition(format!(
                "a write-off of {} pence is more than the arrears of {} pence",
                a.amount_pence,
                balance.max(0)
            )));
        }
        Kind::Refund if a.amount_pence > -balance => {
            return Err(AppError::FailedPrecondition(format!(
                "a refund of {} pence is more than the credit of {} pence",
                a.amount_pence,
                (-balance).max(0)
            )));
        }
        _ => {}
    }
    let (debit, credit) = match a.kind {
        Kind::Credit => (ADJUSTMENTS.to_owned(), tenant.clone()),
        Kind::Debit => (tenant.clone(), ADJUSTMENTS.to_owned()),
        Kind::Refund => (tenant.clone(), CASH.to_owned()),
        Kind::WriteOff => (WRITE_OFFS.to_owned(), tenant.clone()),
    };
    let journal = Journal::transfer(
        format!("{}: {}", a.kind.name().replace('_', "-"), a.reason),
        &debit,
        &credit,
        a.amount_pence,
    )
    .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
    let entry = Entry {
        kind: a.kind.name(),
        rent_account_id: Some(account.id),
        effective_date: a.effective_date,
        created_by: a.by,
        request_id: Some(a.request_id),
        reverses: None,
    };
    let journal_id = ledger::post_entry(&mut tx, &entry, &journal).await?;
    let balance = ledger::balance(&mut tx, &tenant).await?;
    tx.commit().await?;
    Ok((journal_id, balance))
}

/// Posts the equal and opposite of a journal. A journal is reversed at most once, and a
/// reversal is not itself reversed (post a new entry instead).
pub async fn reverse(
    pool: &PgPool,
    request_id: &str,
    journal_id: i64,
    reason: &str,
    by: &str,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) = ledger::by_request(&mut tx, request_id).await? {
        return Ok(id);
    }
    // Serialise reversals of the same journal; the unique index is the backstop.
    sqlx::query("SELECT id FROM journal_entries WHERE id = $1 FOR UPDATE")
        .bind(journal_id)
        .execute(&mut *tx)
        .await?;
    let stored = ledger::find(&mut tx, journal_id).await?.ok_or_else(|| {
        let mut v = FieldViolations::new();
        v.add("journal_id", format!("no journal {journal_id}"));
        AppError::Invalid(v)
    })?;
    if let Some(by_id) = stored.reversed_by {
        return Err(AppError::FailedPrecondition(format!(
            "journal {journal_id} was already reversed by journal {by_id}"
        )));
    }
    if stored.kind == "reversal" {
        return Err(AppError::FailedPrecondition(format!(
            "journal {journal_id} is a reversal; post a new entry instead"
        )));
    }
    let mut reversal = stored.journal.reversal();
    reversal.memo = format!("{} ({reason})", reversal.memo);
    let entry = Entry {
        kind: "reversal",
        rent_account_id: stored.rent_account_id,
        effective_date: housing_platform::time::today().max(stored.effective_date),
        created_by: by,
        request_id: Some(request_id),
        reverses: Some(journal_id),
    };
    let id = ledger::post_entry(&mut tx, &entry, &reversal).await?;
    tx.commit().await?;
    Ok(id)
}
