use chrono::{NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::money::Pence;
use housing_platform::time;
use housing_proto::rent::v1 as pb;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::accounts::{
    self as store, AccountStatus, Filter, Key, Listed, Position, RentAccount,
};
use crate::db::{charges, ledger};
use crate::domain::arrears::Stage;
use crate::domain::charges::Schedule;
use crate::domain::ledger::{charge, tenant_account};

/// Opens the rent account for a new placement. A second start for the same placement is a
/// no-op: the account already exists.
pub async fn open(
    conn: &mut PgConnection,
    placement_id: Uuid,
    application_id: Option<Uuid>,
    schedule: Schedule,
    start: NaiveDate,
) -> Result<RentAccount, AppError> {
    let account = RentAccount {
        id: Uuid::now_v7(),
        placement_id,
        application_id,
        status: AccountStatus::Open,
        weekly_charge_pence: schedule.rent_pence.get(),
        weekly_service_charge_pence: schedule.service_pence.get(),
        opened_on: start,
        closed_on: None,
        charged_through: start,
        payment_reference: String::new(),
    };
    let Some(account) = store::insert(conn, &account, Utc::now()).await? else {
        return store::find(conn, Key::Placement(placement_id))
            .await?
            .ok_or_else(|| AppError::not_found("rent account of placement", placement_id));
    };
    let event = pb::AccountOpened {
        account_id: account.id.to_string(),
        placement_id: placement_id.to_string(),
        application_id: application_id.map(|a| a.to_string()).unwrap_or_default(),
        weekly_charge_pence: schedule.rent_pence.get(),
        opened_on: time::format_date(start),
        weekly_service_charge_pence: schedule.service_pence.get(),
        payment_reference: account.payment_reference.clone(),
    };
    outbox::enqueue(
        conn,
        &OutgoingEvent::new("housing.rent.account.opened.v1", account.id, &event),
    )
    .await?;
    Ok(account)
}

/// Charges the account's schedule for the days it has not been charged up to `to`, and
/// moves its charged-through date there.
async fn charge_up_to(
    conn: &mut PgConnection,
    account: &RentAccount,
    to: NaiveDate,
    by: &str,
) -> Result<(), AppError> {
    if to <= account.charged_through {
        return Ok(());
    }
    let (rent, service) = account
        .schedule()
        .for_period(account.charged_through, to)
        .map_err(|_| out_of_range(account))?;
    let total = rent
        .checked_add(service)
        .map_err(|_| out_of_range(account))?;
    if total > Pence::ZERO {
        let memo = format!(
            "rent and charges {} to {}",
            account.charged_through,
            to.pred_opt().unwrap_or(to)
        );
        let journal = charge(memo, &tenant_account(account.id), rent, service)
            .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        let journal_id = ledger::post(
            conn,
            "charge",
            &journal,
            Some(account.id),
            account.charged_through,
            by,
        )
        .await?;
        charges::record(
            conn,
            account.id,
            account.charged_through,
            to,
            total,
            journal_id,
        )
        .await?;
    }
    charges::advance(conn, &[account.id], to).await?;
    Ok(())
}

/// Charges the days not yet charged up to the end of the placement, closes the account and
/// reports its final balance.
pub async fn close(
    conn: &mut PgConnection,
    placement_id: Uuid,
    end: NaiveDate,
    by: &str,
) -> Result<(RentAccount, Pence), AppError> {
    let account = store::find(conn, Key::Placement(placement_id))
        .await?
        .ok_or_else(|| AppError::not_found("rent account for placement", placement_id))?;
    let tenant = tenant_account(account.id);
    if account.status == AccountStatus::Closed {
        let balance = ledger::balance(conn, &tenant).await?;
        return Ok((account, balance));
    }
    charge_up_to(conn, &account, end, by).await?;
    store::close(conn, account.id, end).await?;
    let balance = ledger::balance(conn, &tenant).await?;
    let charged = ledger::total_debits(conn, &tenant).await?;
    let event = pb::AccountClosed {
        account_id: account.id.to_string(),
        placement_id: placement_id.to_string(),
        closed_on: time::format_date(end),
        final_balance_pence: balance.get(),
        total_charged_pence: charged.get(),
        application_id: account
            .application_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        payment_reference: account.payment_reference.clone(),
    };
    outbox::enqueue(
        conn,
        &OutgoingEvent::new("housing.rent.account.closed.v1", account.id, &event),
    )
    .await?;
    let closed = store::find(conn, Key::Account(account.id))
        .await?
        .ok_or_else(|| AppError::not_found("rent account", account.id))?;
    Ok((closed, balance))
}

/// A transfer to another unit changes the charges from `from`. Days before it are charged
/// at the old rates; days after it already charged at the old rates (the weekly run may
/// have gone past the transfer date) are put right with a repricing journal.
pub async fn reprice(
    conn: &mut PgConnection,
    placement_id: Uuid,
    from: NaiveDate,
    new: Schedule,
    reason: &str,
    by: &str,
) -> Result<(), AppError> {
    let account = store::find(conn, Key::Placement(placement_id))
        .await?
        .ok_or_else(|| AppError::not_found("rent account for placement", placement_id))?;
    if account.status == AccountStatus::Closed {
        return Err(AppError::FailedPrecondition(format!(
            "rent account {} is closed",
            account.id
        )));
    }
    if from > account.charged_through {
        charge_up_to(conn, &account, from, by).await?;
    } else {
        let (rent, service) = new
            .more_than(&account.schedule(), from, account.charged_through)
            .map_err(|_| out_of_range(&account))?;
        if rent != Pence::ZERO || service != Pence::ZERO {
            let memo = format!(
                "repricing {} to {}: {reason}",
                from,
                account.charged_through.pred_opt().unwrap_or(from)
            );
            let journal = charge(memo, &tenant_account(account.id), rent, service)
                .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
            ledger::post(conn, "repricing", &journal, Some(account.id), from, by).await?;
        }
    }
    store::record_charge_change(conn, &account, from, new, reason, by).await?;
    store::set_schedule(conn, account.id, new).await?;
    Ok(())
}

/// The account's stored weekly charges come to more than can be charged.
fn out_of_range(account: &RentAccount) -> AppError {
    AppError::FailedPrecondition(format!(
        "rent account {}'s weekly charges of {} pence rent and {} pence services are out of range",
        account.id, account.weekly_charge_pence, account.weekly_service_charge_pence
    ))
}

pub async fn get(pool: &Pool, key: Key) -> Result<(RentAccount, Pence), AppError> {
    let mut tx = pool.begin().await?;
    let account = store::find(&mut tx, key)
        .await?
        .ok_or_else(|| AppError::not_found("rent account", "requested"))?;
    let balance = ledger::balance(&mut tx, &tenant_account(account.id)).await?;
    tx.commit().await?;
    Ok((account, balance))
}

/// A page of the accounts queue, and how many accounts stand at each stage under the
/// filter's other conditions.
pub struct AccountPage {
    pub accounts: Vec<Listed>,
    /// Whether accounts follow the page's last.
    pub more: bool,
    pub stage_counts: Vec<(Stage, i64)>,
}

/// A page of the accounts queue asked for: the accounts in `filter` after `after`, up to
/// `limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountQuery {
    pub filter: Filter,
    pub after: Option<Position>,
    pub limit: i64,
}

/// The page, the highest balance first, and the counts, read from one snapshot.
pub async fn list(pool: &Pool, q: &AccountQuery) -> Result<AccountPage, AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    // One more than the page, to know whether another follows.
    let mut accounts = store::list(&mut tx, &q.filter, q.after, q.limit.saturating_add(1)).await?;
    let more = accounts.len() as i64 > q.limit;
    accounts.truncate(usize::try_from(q.limit).unwrap_or(0));
    let stage_counts = store::count_by_stage(&mut tx, &q.filter).await?;
    tx.commit().await?;
    Ok(AccountPage {
        accounts,
        more,
        stage_counts,
    })
}
