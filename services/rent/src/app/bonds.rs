//! The rent deposit and bond scheme. Issuing a bond moves no money; a paid claim is money
//! out to the landlord and a debt of the household's, recovered like any other.

use chrono::NaiveDate;
use housing_platform::errors::{AppError, FieldViolations};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::db::bonds::{self as store, Bond};
use crate::db::ledger::{self, Entry};
use crate::domain::ledger::{CASH, Journal, bond_debtor};

/// A bond with what it has cost and what is still owed for it.
pub struct BondPosition {
    pub bond: Bond,
    pub debt_pence: i64,
}

async fn position(conn: &mut PgConnection, id: Uuid) -> Result<BondPosition, AppError> {
    let bond = store::find(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("bond", id))?;
    let debt_pence = ledger::balance(conn, &bond_debtor(id)).await?;
    Ok(BondPosition { bond, debt_pence })
}

fn unknown_bond(id: Uuid) -> AppError {
    let mut v = FieldViolations::new();
    v.add("bond_id", format!("no bond {id}"));
    AppError::Invalid(v)
}

pub async fn issue(
    pool: &PgPool,
    request_id: &str,
    mut bond: Bond,
    by: &str,
) -> Result<BondPosition, AppError> {
    let mut tx = pool.begin().await?;
    let id = match store::by_request(&mut tx, request_id).await? {
        Some(id) => id,
        None => {
            bond.id = Uuid::now_v7();
            store::insert(&mut tx, &bond, request_id, by).await?;
            bond.id
        }
    };
    let position = position(&mut tx, id).await?;
    tx.commit().await?;
    Ok(position)
}

/// Pays a landlord's claim, up to what the bond guarantees, and charges it to the household.
pub async fn claim(
    pool: &PgPool,
    request_id: &str,
    bond_id: Uuid,
    amount_pence: i64,
    reason: &str,
    paid_on: NaiveDate,
    by: &str,
) -> Result<BondPosition, AppError> {
    let mut tx = pool.begin().await?;
    let bond = store::find(&mut tx, bond_id)
        .await?
        .ok_or_else(|| unknown_bond(bond_id))?;
    if !store::claim_exists(&mut tx, request_id).await? {
        let left = bond.guaranteed_pence - bond.claimed_pence;
        if amount_pence > left {
            return Err(AppError::FailedPrecondition(format!(
                "a claim of {amount_pence} pence is more than the {left} pence the bond still guarantees"
            )));
        }
        let journal = Journal::transfer(
            format!("bond claim by {}: {reason}", bond.landlord),
            &bond_debtor(bond_id),
            CASH,
            amount_pence,
        )
        .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        let entry = Entry {
            kind: "bond_claim",
            rent_account_id: None,
            effective_date: paid_on,
            created_by: by,
            request_id: Some(request_id),
            reverses: None,
        };
        let journal_id = ledger::post_entry(&mut tx, &entry, &journal).await?;
        store::insert_claim(
            &mut tx,
            bond_id,
            amount_pence,
            reason,
            journal_id,
            request_id,
            by,
        )
        .await?;
    }
    let position = position(&mut tx, bond_id).await?;
    tx.commit().await?;
    Ok(position)
}

/// The household pays back a claim; no more than it owes.
pub async fn repay(
    pool: &PgPool,
    request_id: &str,
    bond_id: Uuid,
    amount_pence: i64,
    received_on: NaiveDate,
    by: &str,
) -> Result<BondPosition, AppError> {
    let mut tx = pool.begin().await?;
    store::find(&mut tx, bond_id)
        .await?
        .ok_or_else(|| unknown_bond(bond_id))?;
    if ledger::by_request(&mut tx, request_id).await?.is_none() {
        let debt = ledger::balance(&mut tx, &bond_debtor(bond_id)).await?;
        if amount_pence > debt {
            return Err(AppError::FailedPrecondition(format!(
                "a repayment of {amount_pence} pence is more than the {debt} pence owed"
            )));
        }
        let journal = Journal::transfer(
            "bond debt repayment",
            CASH,
            &bond_debtor(bond_id),
            amount_pence,
        )
        .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        let entry = Entry {
            kind: "bond_repayment",
            rent_account_id: None,
            effective_date: received_on,
            created_by: by,
            request_id: Some(request_id),
            reverses: None,
        };
        ledger::post_entry(&mut tx, &entry, &journal).await?;
    }
    let position = position(&mut tx, bond_id).await?;
    tx.commit().await?;
    Ok(position)
}

pub async fn get(pool: &PgPool, bond_id: Uuid) -> Result<BondPosition, AppError> {
    let mut tx = pool.begin().await?;
    let position = position(&mut tx, bond_id).await?;
    tx.commit().await?;
    Ok(position)
}
