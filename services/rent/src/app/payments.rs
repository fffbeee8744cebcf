//! Money received: single payments, and payment files matched to accounts by reference.
//! A payment arriving twice (a retried request, a file imported again) is posted once.

use chrono::NaiveDate;
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::money::Pence;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::accounts::{self as store, Key};
use crate::db::{ledger, payments};
use crate::domain::ledger::{BENEFIT_PAID_DIRECT, CASH, Journal, tenant_account};
use crate::domain::payments::{LineError, parse_file};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Tenant,
    HousingBenefit,
    UniversalCredit,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Tenant => "tenant",
            Method::HousingBenefit => "housing_benefit",
            Method::UniversalCredit => "universal_credit",
        }
    }
}

/// Posts a payment unless one with `source_key` was posted before; `true` if posted now.
async fn post(
    conn: &mut PgConnection,
    account_id: Uuid,
    amount: Pence,
    received_on: NaiveDate,
    method: Method,
    source_key: &str,
    by: &str,
) -> Result<bool, AppError> {
    if payments::exists(conn, source_key).await? {
        return Ok(false);
    }
    let memo = format!("payment ({})", method.as_str());
    let received_into = match method {
        Method::Tenant => CASH,
        Method::HousingBenefit | Method::UniversalCredit => BENEFIT_PAID_DIRECT,
    };
    let journal = Journal::transfer(memo, received_into, &tenant_account(account_id), amount)
        .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
    let journal_id =
        ledger::post(conn, "payment", &journal, Some(account_id), received_on, by).await?;
    payments::insert(
        conn,
        account_id,
        journal_id,
        source_key,
        received_on,
        amount.get(),
        method.as_str(),
    )
    .await?;
    Ok(true)
}

/// A payment an officer records.
pub struct Payment {
    pub request_id: String,
    pub account_id: Uuid,
    pub amount: Pence,
    pub received_on: NaiveDate,
    pub method: Method,
}

pub async fn record(pool: &Pool, p: &Payment, by: &str) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    store::find(&mut tx, Key::Account(p.account_id))
        .await?
        .ok_or_else(|| {
            let mut v = FieldViolations::new();
            v.add("account_id", format!("no rent account {}", p.account_id));
            AppError::Invalid(v)
        })?;
    let source_key = format!("request:{}", p.request_id);
    payments::lock(&mut tx, &source_key).await?;
    let posted = post(
        &mut tx,
        p.account_id,
        p.amount,
        p.received_on,
        p.method,
        &source_key,
        by,
    )
    .await?;
    tx.commit().await?;
    Ok(posted)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub posted: Vec<usize>,
    /// Lines posted by an earlier import of the same file.
    pub already_posted: Vec<usize>,
    /// Lines whose reference matches no account: not posted, for an officer to resolve.
    pub unmatched: Vec<LineError>,
}

/// A payment file, and how the payments in it were made.
pub struct PaymentFile {
    pub content: String,
    pub method: Method,
}

/// Imports a payment file. A malformed file changes nothing and names every bad line.
pub async fn import(pool: &Pool, file: &PaymentFile, by: &str) -> Result<ImportReport, AppError> {
    let PaymentFile {
        content: file,
        method,
    } = file;
    let method = *method;
    let lines = parse_file(file).map_err(|errors| {
        let mut v = FieldViolations::new();
        for e in errors {
            v.add(format!("content.line[{}]", e.line), e.message);
        }
        AppError::Invalid(v)
    })?;
    let hash: String = Sha256::digest(file.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut report = ImportReport::default();
    let mut tx = pool.begin().await?;
    // Two imports of one file at once: the second waits, then finds every line posted.
    payments::lock(&mut tx, &format!("file:{hash}")).await?;
    for line in lines {
        let Some(account) =
            store::find(&mut tx, Key::PaymentReference(line.reference.clone())).await?
        else {
            report.unmatched.push(LineError {
                line: line.line,
                message: format!("no account with reference {}", line.reference),
            });
            continue;
        };
        let key = format!("file:{hash}:{}", line.line);
        if post(
            &mut tx,
            account.id,
            line.amount_pence,
            line.received_on,
            method,
            &key,
            by,
        )
        .await?
        {
            report.posted.push(line.line);
        } else {
            report.already_posted.push(line.line);
        }
    }
    tx.commit().await?;
    Ok(report)
}
