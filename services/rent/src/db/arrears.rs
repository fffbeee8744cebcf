use chrono::{NaiveDate, Utc};
use housing_platform::money::Pence;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::domain::arrears::{Plan, Stage};
use crate::domain::charges::Schedule;

/// An account as the arrears review sees it.
pub struct Position {
    pub account_id: Uuid,
    pub placement_id: Uuid,
    pub application_id: Option<Uuid>,
    /// What the household quotes when paying.
    pub payment_reference: String,
    pub closed: bool,
    pub schedule: Schedule,
    /// Saturated, as every sum read back is.
    pub balance_pence: Pence,
    pub stage: Stage,
    pub plan: Option<(Uuid, Plan)>,
}

/// The next accounts after `after` (by id) that have a balance or a recovery case, locked.
pub async fn positions(
    conn: &mut PgConnection,
    after: Uuid,
    limit: i64,
) -> Result<Vec<Position>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.id, a.placement_id, a.application_id, a.status, a.payment_reference,
                a.weekly_charge_pence, a.weekly_service_charge_pence,
                saturating_pence(coalesce((SELECT sum(p.amount_pence) FROM postings p WHERE p.ledger_account = 'tenant:' || a.id), 0)) AS balance,
                coalesce(c.stage, 'clear') AS stage,
                pp.id AS plan_id, pp.start_date, pp.start_balance_pence, pp.instalment_pence
         FROM rent_accounts a
         LEFT JOIN arrears_cases c ON c.account_id = a.id
         LEFT JOIN payment_plans pp ON pp.account_id = a.id AND pp.status = 'active'
         WHERE a.id > $1
         ORDER BY a.id LIMIT $2
         FOR UPDATE OF a",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let plan_id: Option<Uuid> = r.try_get("plan_id")?;
            let plan = match plan_id {
                Some(id) => Some((
                    id,
                    Plan {
                        start: r.try_get("start_date")?,
                        start_balance_pence: Pence::new(r.try_get("start_balance_pence")?),
                        instalment_pence: Pence::new(r.try_get("instalment_pence")?),
                    },
                )),
                None => None,
            };
            Ok(Position {
                account_id: r.try_get("id")?,
                placement_id: r.try_get("placement_id")?,
                application_id: r.try_get("application_id")?,
                payment_reference: r.try_get("payment_reference")?,
                closed: r.try_get::<String, _>("status")? == "closed",
                schedule: Schedule {
                    rent_pence: Pence::new(r.try_get("weekly_charge_pence")?),
                    service_pence: Pence::new(r.try_get("weekly_service_charge_pence")?),
                },
                balance_pence: Pence::new(r.try_get("balance")?),
                stage: Stage::parse(&r.try_get::<String, _>("stage")?).unwrap_or(Stage::Clear),
                plan,
            })
        })
        .collect()
}

/// A move from one recovery stage to another, as decided by the review.
#[derive(Clone, Copy)]
pub struct StageChange<'a> {
    pub account_id: Uuid,
    pub from: Stage,
    pub to: Stage,
    pub balance_pence: Pence,
    pub on: NaiveDate,
    pub reason: &'a str,
    pub by: &'a str,
}

pub async fn change_stage(conn: &mut PgConnection, c: &StageChange<'_>) -> Result<(), sqlx::Error> {
    let StageChange {
        account_id,
        from,
        to,
        balance_pence,
        on,
        reason,
        by,
    } = *c;
    let now = Utc::now();
    sqlx::query(
        "INSERT INTO arrears_cases (account_id, stage, balance_pence, reviewed_on, changed_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (account_id) DO UPDATE SET stage = $2, balance_pence = $3, reviewed_on = $4, changed_at = $5",
    )
    .bind(account_id)
    .bind(to.as_str())
    .bind(balance_pence.get())
    .bind(on)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO arrears_stage_changes (account_id, from_stage, to_stage, balance_pence, reason, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(account_id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(balance_pence.get())
    .bind(reason)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_plan_status(
    conn: &mut PgConnection,
    plan_id: Uuid,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payment_plans SET status = $2 WHERE id = $1")
        .bind(plan_id)
        .bind(status)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn plan_by_request(
    conn: &mut PgConnection,
    request_id: &str,
) -> Result<Option<(Uuid, Pence)>, sqlx::Error> {
    sqlx::query_as("SELECT id, start_balance_pence FROM payment_plans WHERE request_id = $1")
        .bind(request_id)
        .fetch_optional(conn)
        .await
        .map(|plan| plan.map(|(id, balance)| (id, Pence::new(balance))))
}

pub async fn insert_plan(
    conn: &mut PgConnection,
    account_id: Uuid,
    plan: &Plan,
    request_id: &str,
    by: &str,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO payment_plans (id, account_id, start_date, start_balance_pence, instalment_pence, status, request_id, agreed_by, agreed_at)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8)",
    )
    .bind(id)
    .bind(account_id)
    .bind(plan.start)
    .bind(plan.start_balance_pence.get())
    .bind(plan.instalment_pence.get())
    .bind(request_id)
    .bind(by)
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(id)
}

/// The account's charges (date, amount) and all the credits against it together, for ageing
/// the debt; the credits saturated, as every sum read back is.
pub async fn charges_and_credits(
    conn: &mut PgConnection,
    ledger_account: &str,
) -> Result<(Vec<(NaiveDate, Pence)>, Pence), sqlx::Error> {
    let charges = sqlx::query_as::<_, (NaiveDate, i64)>(
        "SELECT j.effective_date, p.amount_pence FROM postings p JOIN journal_entries j ON j.id = p.journal_id
         WHERE p.ledger_account = $1 AND p.amount_pence > 0",
    )
    .bind(ledger_account)
    .fetch_all(&mut *conn)
    .await?;
    let credits: i64 = sqlx::query_scalar(
        "SELECT saturating_pence(-coalesce(sum(amount_pence), 0)) FROM postings
         WHERE ledger_account = $1 AND amount_pence < 0",
    )
    .bind(ledger_account)
    .fetch_one(conn)
    .await?;
    Ok((
        charges
            .into_iter()
            .map(|(date, pence)| (date, Pence::new(pence)))
            .collect(),
        Pence::new(credits),
    ))
}
