//! Corrections to a tenant's account: credits, debits, refunds, write-offs and reversals.
//! Nothing is edited: each is a journal of its own, with who made it and why.

use chrono::NaiveDate;
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::money::Pence;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::accounts::{self as store, Key, RentAccount};
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

/// A correction an officer asks for; the kind says which way it goes.
pub struct Adjustment {
    pub request_id: String,
    pub account_id: Uuid,
    pub kind: Kind,
    pub amount: Pence,
    pub effective_date: NaiveDate,
    pub reason: String,
}

/// Posts the adjustment for `by`; returns its journal and the balance after it.
pub async fn post(pool: &Pool, a: &Adjustment, by: &str) -> Result<(i64, Pence), AppError> {
    let mut tx = pool.begin().await?;
    let account = store::find(&mut tx, Key::Account(a.account_id))
        .await?
        .ok_or_else(|| {
            let mut v = FieldViolations::new();
            v.add("account_id", format!("no rent account {}", a.account_id));
            AppError::Invalid(v)
        })?;
    if let Some(journal_id) = ledger::by_request(&mut tx, &a.request_id).await? {
        let balance = ledger::balance(&mut tx, &tenant_account(account.id)).await?;
        return Ok((journal_id, balance));
    }
    let correction = Correction {
        kind: a.kind,
        amount: a.amount,
        effective_date: a.effective_date,
        reason: &a.reason,
        request_id: Some(&a.request_id),
    };
    let posted = post_locked(&mut tx, &account, &correction, by).await?;
    tx.commit().await?;
    Ok(posted)
}

/// An adjustment as posted, by an officer's request or by an approval.
pub(crate) struct Correction<'a> {
    pub kind: Kind,
    pub amount: Pence,
    pub effective_date: NaiveDate,
    pub reason: &'a str,
    /// What makes a journal posted for a client's request unique.
    pub request_id: Option<&'a str>,
}

/// Posts `c` to `account`, locked in `conn`'s transaction, for `by`: a write-off of no more
/// than the arrears, a refund of no more than the credit. Returns the journal and the
/// balance after it.
pub(crate) async fn post_locked(
    conn: &mut PgConnection,
    account: &RentAccount,
    c: &Correction<'_>,
    by: &str,
) -> Result<(i64, Pence), AppError> {
    let tenant = tenant_account(account.id);
    let balance = ledger::balance(conn, &tenant).await?;
    // A credit is a negative balance; the most negative balance has no opposite in 64 bits,
    // and is more credit than any refund.
    let in_credit = balance.checked_neg().unwrap_or(Pence::new(i64::MAX));
    match c.kind {
        Kind::WriteOff if c.amount > balance => {
            return Err(AppError::FailedPrecondition(format!(
                "a write-off of {} is more than the arrears of {}",
                c.amount,
                balance.max(Pence::ZERO)
            )));
        }
        Kind::Refund if c.amount > in_credit => {
            return Err(AppError::FailedPrecondition(format!(
                "a refund of {} is more than the credit of {}",
                c.amount,
                in_credit.max(Pence::ZERO)
            )));
        }
        _ => {}
    }
    let (debit, credit) = match c.kind {
        Kind::Credit => (ADJUSTMENTS.to_owned(), tenant.clone()),
        Kind::Debit => (tenant.clone(), ADJUSTMENTS.to_owned()),
        Kind::Refund => (tenant.clone(), CASH.to_owned()),
        Kind::WriteOff => (WRITE_OFFS.to_owned(), tenant.clone()),
    };
    let journal = Journal::transfer(
        format!("{}: {}", c.kind.name().replace('_', "-"), c.reason),
        &debit,
        &credit,
        c.amount,
    )
    .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
    let entry = Entry {
        kind: c.kind.name(),
        rent_account_id: Some(account.id),
        effective_date: c.effective_date,
        created_by: by,
        request_id: c.request_id,
        reverses: None,
    };
    let journal_id = ledger::post_entry(conn, &entry, &journal).await?;
    let balance = ledger::balance(conn, &tenant).await?;
    Ok((journal_id, balance))
}

/// An officer's request to undo a journal.
pub struct Reversal {
    pub request_id: String,
    pub journal_id: i64,
    pub reason: String,
}

/// Posts the equal and opposite of a journal for `by`. A journal is reversed at most once,
/// and a reversal is not itself reversed (post a new entry instead).
pub async fn reverse(pool: &Pool, r: &Reversal, by: &str) -> Result<i64, AppError> {
    let Reversal {
        request_id,
        journal_id,
        reason,
    } = r;
    let journal_id = *journal_id;
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
    let mut reversal = stored
        .journal
        .reversal()
        .map_err(|e| AppError::FailedPrecondition(format!("journal {journal_id}: {e}")))?;
    reversal.memo = format!("{} ({reason})", reversal.memo);
    let entry = Entry {
        kind: "reversal",
        rent_account_id: stored.rent_account_id,
        effective_date: housing_platform::time::today().max(stored.effective_date),
        created_by: by,
        request_id: Some(request_id.as_str()),
        reverses: Some(journal_id),
    };
    let id = ledger::post_entry(&mut tx, &entry, &reversal).await?;
    tx.commit().await?;
    Ok(id)
}
