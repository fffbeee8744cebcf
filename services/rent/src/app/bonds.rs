//! The rent deposit and bond scheme. Issuing a bond moves no money; a paid claim is money
//! out to the landlord and a debt of the household's, recovered like any other.

use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::money::Pence;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::accounts::{self, Key};
use crate::db::bonds::{self as store, Bond, Event, Filter};
use crate::db::ledger::{self, Entry};
use crate::domain::bonds::State;
use crate::domain::ledger::{CASH, Journal, bond_debtor};

/// A bond with what it has cost and what is still owed for it.
pub struct BondPosition {
    pub bond: Bond,
    pub debt_pence: Pence,
}

impl BondPosition {
    pub fn state(&self) -> State {
        State::of(self.bond.claimed_pence, self.debt_pence)
    }
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

/// A bond an officer issues; its id is assigned here.
pub struct Issue {
    pub request_id: String,
    pub bond: Bond,
}

pub async fn issue(pool: &Pool, i: &Issue, by: &str) -> Result<BondPosition, AppError> {
    let mut tx = pool.begin().await?;
    let id = match store::by_request(&mut tx, &i.request_id).await? {
        Some(id) => id,
        None => {
            let bond = Bond {
                id: Uuid::now_v7(),
                ..i.bond.clone()
            };
            store::insert(&mut tx, &bond, &i.request_id, by).await?;
            bond.id
        }
    };
    let position = position(&mut tx, id).await?;
    tx.commit().await?;
    Ok(position)
}

/// A landlord's claim on a bond.
pub struct Claim {
    pub request_id: String,
    pub bond_id: Uuid,
    pub amount: Pence,
    pub reason: String,
    pub paid_on: NaiveDate,
}

/// Pays a landlord's claim, up to what the bond guarantees, and charges it to the household.
pub async fn claim(pool: &Pool, c: &Claim, by: &str) -> Result<BondPosition, AppError> {
    let Claim {
        request_id,
        bond_id,
        amount,
        reason,
        paid_on,
    } = c;
    let (bond_id, amount) = (*bond_id, *amount);
    let mut tx = pool.begin().await?;
    let bond = store::find(&mut tx, bond_id)
        .await?
        .ok_or_else(|| unknown_bond(bond_id))?;
    if !store::claim_exists(&mut tx, request_id).await? {
        // Claims paid beyond the guarantee (only a corrupted store holds them) leave nothing.
        let left = bond
            .guaranteed_pence
            .checked_sub(bond.claimed_pence)
            .unwrap_or(Pence::ZERO);
        if amount > left {
            return Err(AppError::FailedPrecondition(format!(
                "a claim of {amount} is more than the {left} the bond still guarantees"
            )));
        }
        let journal = Journal::transfer(
            format!("bond claim by {}: {reason}", bond.landlord),
            &bond_debtor(bond_id),
            CASH,
            amount,
        )
        .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        let entry = Entry {
            kind: "bond_claim",
            rent_account_id: None,
            effective_date: *paid_on,
            created_by: by,
            request_id: Some(request_id.as_str()),
            reverses: None,
        };
        let journal_id = ledger::post_entry(&mut tx, &entry, &journal).await?;
        store::insert_claim(&mut tx, bond_id, amount, reason, journal_id, request_id, by).await?;
    }
    let position = position(&mut tx, bond_id).await?;
    tx.commit().await?;
    Ok(position)
}

/// What a household pays back of a claim.
pub struct Repayment {
    pub request_id: String,
    pub bond_id: Uuid,
    pub amount: Pence,
    pub received_on: NaiveDate,
}

/// The household pays back a claim; no more than it owes.
pub async fn repay(pool: &Pool, r: &Repayment, by: &str) -> Result<BondPosition, AppError> {
    let Repayment {
        request_id,
        bond_id,
        amount,
        received_on,
    } = r;
    let (bond_id, amount) = (*bond_id, *amount);
    let mut tx = pool.begin().await?;
    store::find(&mut tx, bond_id)
        .await?
        .ok_or_else(|| unknown_bond(bond_id))?;
    if ledger::by_request(&mut tx, request_id).await?.is_none() {
        let debt = ledger::balance(&mut tx, &bond_debtor(bond_id)).await?;
        if amount > debt {
            return Err(AppError::FailedPrecondition(format!(
                "a repayment of {amount} is more than the {debt} owed"
            )));
        }
        let journal = Journal::transfer("bond debt repayment", CASH, &bond_debtor(bond_id), amount)
            .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        let entry = Entry {
            kind: "bond_repayment",
            rent_account_id: None,
            effective_date: *received_on,
            created_by: by,
            request_id: Some(request_id.as_str()),
            reverses: None,
        };
        ledger::post_entry(&mut tx, &entry, &journal).await?;
    }
    let position = position(&mut tx, bond_id).await?;
    tx.commit().await?;
    Ok(position)
}

/// The bond with its history.
pub async fn get(pool: &Pool, bond_id: Uuid) -> Result<(BondPosition, Vec<Event>), AppError> {
    let mut tx = pool.begin().await?;
    let position = position(&mut tx, bond_id).await?;
    let history = store::history(&mut tx, bond_id).await?;
    tx.commit().await?;
    Ok((position, history))
}

/// Whose bonds a list takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// The household of this rent account: its housing application's bonds.
    Account(Uuid),
    Application(Uuid),
}

/// A page of bonds asked for: the holder's (or everyone's) in `state` (or any), after
/// `after` (when issued, id), up to `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BondQuery {
    pub holder: Option<Holder>,
    pub state: Option<State>,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

/// The page, the most recently issued first, and where the next page starts when another
/// follows.
pub async fn list(
    pool: &Pool,
    q: &BondQuery,
) -> Result<(Vec<BondPosition>, Option<(DateTime<Utc>, Uuid)>), AppError> {
    let mut tx = pool.begin().await?;
    let application_id = match q.holder {
        None => None,
        Some(Holder::Application(id)) => Some(id),
        Some(Holder::Account(id)) => {
            let account = accounts::find(&mut tx, Key::Account(id))
                .await?
                .ok_or_else(|| {
                    let mut v = FieldViolations::new();
                    v.add("account_id", format!("no rent account {id}"));
                    AppError::Invalid(v)
                })?;
            // An account of no application has no household to have bonds.
            match account.application_id {
                Some(application_id) => Some(application_id),
                None => return Ok((Vec::new(), None)),
            }
        }
    };
    let filter = Filter {
        application_id,
        state: q.state,
    };
    // One more than the page, to know whether another follows.
    let mut rows = store::list(&mut tx, &filter, q.after, q.limit.saturating_add(1)).await?;
    tx.commit().await?;
    let more = rows.len() as i64 > q.limit;
    rows.truncate(usize::try_from(q.limit).unwrap_or(0));
    let next = rows
        .last()
        .filter(|_| more)
        .map(|last| (last.issued_at, last.bond.id));
    let positions = rows
        .into_iter()
        .map(|listed| BondPosition {
            bond: listed.bond,
            debt_pence: listed.debt_pence,
        })
        .collect();
    Ok((positions, next))
}
