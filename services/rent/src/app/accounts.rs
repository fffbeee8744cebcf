use chrono::{NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::errors::AppError;
use housing_platform::time;
use housing_proto::rent::v1 as pb;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::db::accounts::{self as store, AccountStatus, Key, RentAccount};
use crate::db::{charges, ledger};
use crate::domain::charges::charge_for_period;
use crate::domain::ledger::{Journal, RENT_INCOME, tenant_account};

/// Opens the rent account for a new placement. A second start for the same placement is a
/// no-op: the account already exists.
pub async fn open(
    conn: &mut PgConnection,
    placement_id: Uuid,
    application_id: Option<Uuid>,
    weekly_charge_pence: i64,
    start: NaiveDate,
) -> Result<RentAccount, AppError> {
    if let Some(existing) = store::find(conn, Key::Placement(placement_id)).await? {
        return Ok(existing);
    }
    let account = RentAccount {
        id: Uuid::now_v7(),
        placement_id,
        application_id,
        status: AccountStatus::Open,
        weekly_charge_pence,
        opened_on: start,
        closed_on: None,
        charged_through: start,
        payment_reference: String::new(),
    };
    store::insert(conn, &account, Utc::now()).await?;
    let account = store::find(conn, Key::Account(account.id))
        .await?
        .ok_or_else(|| AppError::not_found("rent account", account.id))?;
    let event = pb::AccountOpened {
        account_id: account.id.to_string(),
        placement_id: placement_id.to_string(),
        application_id: application_id.map(|a| a.to_string()).unwrap_or_default(),
        weekly_charge_pence,
        opened_on: time::format_date(start),
    };
    outbox::enqueue(
        conn,
        &OutgoingEvent::new("housing.rent.account.opened.v1", account.id, &event),
    )
    .await?;
    Ok(account)
}

/// Charges the days not yet charged up to the end of the placement, closes the account and
/// reports its final balance.
pub async fn close(
    conn: &mut PgConnection,
    placement_id: Uuid,
    end: NaiveDate,
    by: &str,
) -> Result<(RentAccount, i64), AppError> {
    let account = store::find(conn, Key::Placement(placement_id))
        .await?
        .ok_or_else(|| AppError::not_found("rent account for placement", placement_id))?;
    let tenant = tenant_account(account.id);
    if account.status == AccountStatus::Closed {
        let balance = ledger::balance(conn, &tenant).await?;
        return Ok((account, balance));
    }
    let due = charge_for_period(account.weekly_charge_pence, account.charged_through, end);
    if due > 0 {
        let memo = format!(
            "rent {} to {}",
            account.charged_through,
            end.pred_opt().unwrap_or(end)
        );
        let journal = Journal::transfer(memo, &tenant, RENT_INCOME, due)
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
            end,
            due,
            journal_id,
        )
        .await?;
    }
    store::close(conn, account.id, end).await?;
    let balance = ledger::balance(conn, &tenant).await?;
    let charged = ledger::total_debits(conn, &tenant).await?;
    let event = pb::AccountClosed {
        account_id: account.id.to_string(),
        placement_id: placement_id.to_string(),
        closed_on: time::format_date(end),
        final_balance_pence: balance,
        total_charged_pence: charged,
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

/// A transfer to another unit changes the weekly charge from `from`. Days before it are
/// charged at the old rate; days after it already charged at the old rate (the weekly run may
/// have gone past the transfer date) are put right with a repricing journal.
pub async fn reprice(
    conn: &mut PgConnection,
    placement_id: Uuid,
    from: NaiveDate,
    new_weekly_pence: i64,
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
    let tenant = tenant_account(account.id);
    if from > account.charged_through {
        let due = charge_for_period(account.weekly_charge_pence, account.charged_through, from);
        if due > 0 {
            let memo = format!(
                "rent {} to {}",
                account.charged_through,
                from.pred_opt().unwrap_or(from)
            );
            let journal = Journal::transfer(memo, &tenant, RENT_INCOME, due)
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
                from,
                due,
                journal_id,
            )
            .await?;
        }
        sqlx::query("UPDATE rent_accounts SET charged_through = $2 WHERE id = $1")
            .bind(account.id)
            .bind(from)
            .execute(&mut *conn)
            .await?;
    } else {
        let difference = charge_for_period(new_weekly_pence, from, account.charged_through)
            - charge_for_period(account.weekly_charge_pence, from, account.charged_through);
        if difference != 0 {
            let memo = format!(
                "repricing {} to {}: {reason}",
                from,
                account.charged_through.pred_opt().unwrap_or(from)
            );
            let (debit, credit) = if difference > 0 {
                (tenant.as_str(), RENT_INCOME)
            } else {
                (RENT_INCOME, tenant.as_str())
            };
            let journal = Journal::transfer(memo, debit, credit, difference.abs())
                .map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
            ledger::post(conn, "repricing", &journal, Some(account.id), from, by).await?;
        }
    }
    store::record_charge_change(conn, &account, from, new_weekly_pence, reason, by).await?;
    store::set_weekly_charge(conn, account.id, new_weekly_pence).await?;
    Ok(())
}

pub async fn get(pool: &PgPool, key: Key) -> Result<(RentAccount, i64), AppError> {
    let mut tx = pool.begin().await?;
    let account = store::find(&mut tx, key)
        .await?
        .ok_or_else(|| AppError::not_found("rent account", "requested"))?;
    let balance = ledger::balance(&mut tx, &tenant_account(account.id)).await?;
    tx.commit().await?;
    Ok((account, balance))
}
