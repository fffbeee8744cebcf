//! What the council owes suppliers. Another service approves (temporary accommodation an
//! invoice or a removal, nominations an incentive or a decant's payments); the approval arrives as an event and is
//! booked here, once; an income officer records the payment.

use chrono::NaiveDate;
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::money::Pence;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::ledger::{self, Entry};
use crate::db::payables::{self as store, NewPayable, Payable};
use crate::domain::ledger::{CASH, Journal, expense_account, payable_account};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NightlyPaidInvoice,
    RemovalsAndStorage,
    MobilityIncentive,
    DecantPayment,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NightlyPaidInvoice => "nightly_paid_invoice",
            Kind::RemovalsAndStorage => "removals_and_storage",
            Kind::MobilityIncentive => "mobility_incentive",
            Kind::DecantPayment => "decant_payment",
        }
    }
}

pub struct Approval<'a> {
    pub event_id: Uuid,
    pub kind: Kind,
    pub payee: &'a str,
    pub reference: &'a str,
    pub amount: Pence,
    pub approved_by: &'a str,
    pub approved_on: NaiveDate,
}

/// Books an approved payable in the consumer's transaction; a redelivered approval books
/// nothing more.
pub async fn book(conn: &mut PgConnection, a: &Approval<'_>) -> Result<(), AppError> {
    // No upper bound here: an approved invoice sums many lines, each held to its range
    // where it was sent, and posting it is checked.
    if a.amount <= Pence::ZERO {
        return Err(AppError::FailedPrecondition(format!(
            "an approved amount of {}",
            a.amount
        )));
    }
    if store::exists_for_event(conn, a.event_id).await? {
        return Ok(());
    }
    let memo = format!(
        "{} {}: {}",
        a.kind.as_str().replace('_', " "),
        a.reference,
        a.payee
    );
    let journal = Journal::transfer(
        memo,
        &expense_account(a.kind.as_str()),
        &payable_account(a.payee),
        a.amount,
    )
    .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
    let entry = Entry {
        kind: "payable",
        rent_account_id: None,
        effective_date: a.approved_on,
        created_by: a.approved_by,
        request_id: None,
        reverses: None,
    };
    let journal_id = ledger::post_entry(conn, &entry, &journal).await?;
    let payable = NewPayable {
        kind: a.kind.as_str(),
        payee: a.payee,
        reference: a.reference,
        amount_pence: a.amount.get(),
        source_event_id: a.event_id,
        approved_by: a.approved_by,
        approval_journal: journal_id,
    };
    store::insert(conn, &payable).await?;
    Ok(())
}

/// An income officer's record that a payable was paid.
pub struct Pay {
    pub request_id: String,
    pub payable_id: Uuid,
    pub paid_on: NaiveDate,
}

/// Records the payment of a payable; paying it again changes nothing.
pub async fn pay(pool: &Pool, p: &Pay, by: &str) -> Result<Payable, AppError> {
    let Pay {
        request_id,
        payable_id: id,
        paid_on,
    } = p;
    let (id, paid_on) = (*id, *paid_on);
    let mut tx = pool.begin().await?;
    let payable = store::find(&mut tx, id).await?.ok_or_else(|| {
        let mut v = FieldViolations::new();
        v.add("payable_id", format!("no payable {id}"));
        AppError::Invalid(v)
    })?;
    if payable.paid_on.is_none() {
        let journal = Journal::transfer(
            format!("paid {}: {}", payable.reference, payable.payee),
            &payable_account(&payable.payee),
            CASH,
            Pence::new(payable.amount_pence),
        )
        .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        let entry = Entry {
            kind: "payable_payment",
            rent_account_id: None,
            effective_date: paid_on,
            created_by: by,
            request_id: Some(request_id.as_str()),
            reverses: None,
        };
        let journal_id = ledger::post_entry(&mut tx, &entry, &journal).await?;
        store::mark_paid(&mut tx, id, paid_on, journal_id).await?;
    }
    let payable = store::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("payable", id))?;
    tx.commit().await?;
    Ok(payable)
}
