use chrono::NaiveDate;
use housing_platform::money::Pence;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::domain::charges::Schedule;

pub async fn record(
    conn: &mut PgConnection,
    account_id: Uuid,
    start: NaiveDate,
    end: NaiveDate,
    amount: Pence,
    journal_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO charges (account_id, period_start, period_end, amount_pence, journal_id) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(account_id)
    .bind(start)
    .bind(end)
    .bind(amount.get())
    .bind(journal_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// An open account not yet charged up to the end of the week being run.
pub struct Due {
    pub account_id: Uuid,
    pub schedule: Schedule,
    pub charged_through: NaiveDate,
}

/// The next batch of accounts to charge, locked; others running side by side skip them.
pub async fn due(
    conn: &mut PgConnection,
    week_end: NaiveDate,
    limit: i64,
) -> Result<Vec<Due>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, weekly_charge_pence, weekly_service_charge_pence, charged_through FROM rent_accounts
         WHERE status = 'open' AND charged_through < $1
         ORDER BY charged_through, id LIMIT $2 FOR UPDATE SKIP LOCKED",
    )
    .bind(week_end)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Due {
                account_id: r.try_get("id")?,
                schedule: Schedule {
                    rent_pence: Pence::new(r.try_get("weekly_charge_pence")?),
                    service_pence: Pence::new(r.try_get("weekly_service_charge_pence")?),
                },
                charged_through: r.try_get("charged_through")?,
            })
        })
        .collect()
}

/// One account's charge in a weekly run: from when, and how much rent and service charge.
pub struct BatchCharge {
    pub account_id: Uuid,
    pub from: NaiveDate,
    pub rent_pence: Pence,
    pub service_pence: Pence,
}

/// Posts one charge journal per account in one statement per table: the weekly run's
/// batch. Each journal debits the tenant and credits rent and service-charge income.
pub async fn post_batch(
    conn: &mut PgConnection,
    charges: &[BatchCharge],
    period_end: NaiveDate,
    by: &str,
) -> Result<(), sqlx::Error> {
    if charges.is_empty() {
        return Ok(());
    }
    let accounts: Vec<Uuid> = charges.iter().map(|c| c.account_id).collect();
    let starts: Vec<NaiveDate> = charges.iter().map(|c| c.from).collect();
    let rents: Vec<i64> = charges.iter().map(|c| c.rent_pence.get()).collect();
    let services: Vec<i64> = charges.iter().map(|c| c.service_pence.get()).collect();
    sqlx::query(
        "WITH input AS (
             SELECT *, rent + service AS amount
             FROM unnest($1::uuid[], $2::date[], $3::bigint[], $6::bigint[]) AS t(account_id, period_start, rent, service)
         ), journals AS (
             INSERT INTO journal_entries (kind, memo, rent_account_id, effective_date, created_by, created_at)
             SELECT 'charge', 'rent and charges ' || period_start || ' to ' || ($4::date - 1), account_id, period_start, $5, now()
             FROM input
             RETURNING id, rent_account_id
         ), postings AS (
             -- Both sides in one statement: the balance check runs once over the batch.
             INSERT INTO postings (journal_id, ledger_account, amount_pence)
             SELECT j.id, 'tenant:' || i.account_id, i.amount FROM journals j JOIN input i ON i.account_id = j.rent_account_id
             UNION ALL
             SELECT j.id, 'income:rent', -i.rent FROM journals j JOIN input i ON i.account_id = j.rent_account_id
             WHERE i.rent <> 0
             UNION ALL
             SELECT j.id, 'income:service_charges', -i.service FROM journals j JOIN input i ON i.account_id = j.rent_account_id
             WHERE i.service <> 0
         )
         INSERT INTO charges (account_id, period_start, period_end, amount_pence, journal_id)
         SELECT i.account_id, i.period_start, $4, i.amount, j.id FROM journals j JOIN input i ON i.account_id = j.rent_account_id",
    )
    .bind(&accounts)
    .bind(&starts)
    .bind(&rents)
    .bind(period_end)
    .bind(by)
    .bind(&services)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn advance(
    conn: &mut PgConnection,
    accounts: &[Uuid],
    through: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE rent_accounts SET charged_through = $2 WHERE id = ANY($1)")
        .bind(accounts)
        .bind(through)
        .execute(conn)
        .await?;
    Ok(())
}

pub struct RunProgress {
    pub accounts_charged: i64,
    pub total_pence: i64,
    pub finished: bool,
}

pub async fn start_run(
    conn: &mut PgConnection,
    week_start: NaiveDate,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO charge_runs (week_start, started_at, run_by) VALUES ($1, now(), $2)
         ON CONFLICT (week_start) DO UPDATE SET finished_at = NULL",
    )
    .bind(week_start)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn add_progress(
    conn: &mut PgConnection,
    week_start: NaiveDate,
    accounts: i64,
    pence: Pence,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE charge_runs SET accounts_charged = accounts_charged + $2, total_pence = total_pence + $3 WHERE week_start = $1",
    )
    .bind(week_start)
    .bind(accounts as i32)
    .bind(pence.get())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn finish_run(
    conn: &mut PgConnection,
    week_start: NaiveDate,
) -> Result<RunProgress, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE charge_runs SET finished_at = now() WHERE week_start = $1
         RETURNING accounts_charged, total_pence, finished_at IS NOT NULL AS finished",
    )
    .bind(week_start)
    .fetch_one(conn)
    .await?;
    Ok(RunProgress {
        accounts_charged: row.try_get::<i32, _>("accounts_charged")? as i64,
        total_pence: row.try_get("total_pence")?,
        finished: row.try_get("finished")?,
    })
}

pub struct RunState {
    pub accounts_charged: i64,
    pub total_pence: i64,
    pub accounts_remaining: i64,
    pub finished: bool,
    pub run_by: String,
}

pub async fn run_state(
    conn: &mut PgConnection,
    week_start: NaiveDate,
) -> Result<Option<RunState>, sqlx::Error> {
    let week_end = week_start + chrono::Days::new(7);
    let row = sqlx::query(
        "SELECT accounts_charged, total_pence, finished_at IS NOT NULL AS finished, run_by,
                (SELECT count(*) FROM rent_accounts WHERE status = 'open' AND charged_through < $2) AS remaining
         FROM charge_runs WHERE week_start = $1",
    )
    .bind(week_start)
    .bind(week_end)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(RunState {
            accounts_charged: r.try_get::<i32, _>("accounts_charged")? as i64,
            total_pence: r.try_get("total_pence")?,
            accounts_remaining: r.try_get("remaining")?,
            finished: r.try_get("finished")?,
            run_by: r.try_get("run_by")?,
        })
    })
    .transpose()
}
