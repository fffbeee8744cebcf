//! The arrears review and payment plans.

use chrono::NaiveDate;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::money::Pence;
use housing_platform::time::format_date;
use housing_proto::rent::v1 as pb;
use uuid::Uuid;

use crate::db::accounts::{self as store, Key};
use crate::db::{arrears, ledger};
use crate::domain::arrears::{Plan, Stage, Thresholds, aged, next_stage, weeks_in_arrears};
use crate::domain::ledger::tenant_account;
use crate::wire::stage_proto;

const BATCH: i64 = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewReport {
    pub reviewed: i64,
    pub changed: i64,
}

/// Reviews every account as of `on`, batch by batch.
pub async fn review(
    pool: &Pool,
    on: NaiveDate,
    thresholds: &Thresholds,
    by: &str,
) -> Result<ReviewReport, AppError> {
    let mut report = ReviewReport {
        reviewed: 0,
        changed: 0,
    };
    let mut after = Uuid::nil();
    loop {
        let mut tx = pool.begin().await?;
        let positions = arrears::positions(&mut tx, after, BATCH).await?;
        let Some(last) = positions.last() else { break };
        after = last.account_id;
        for p in &positions {
            report.reviewed += 1;
            let plan = p.plan.as_ref().map(|(_, plan)| plan);
            let to = next_stage(p.stage, p.balance_pence, &p.schedule, plan, on, thresholds)
                .map_err(|_| plan_out_of_range(p.account_id))?;
            if let Some((plan_id, plan)) = &p.plan {
                if p.balance_pence <= Pence::ZERO {
                    arrears::set_plan_status(&mut tx, *plan_id, "completed").await?;
                } else if plan
                    .is_broken(p.balance_pence, on)
                    .map_err(|_| plan_out_of_range(p.account_id))?
                {
                    arrears::set_plan_status(&mut tx, *plan_id, "broken").await?;
                }
            }
            if to == p.stage {
                continue;
            }
            let weeks = weeks_in_arrears(p.balance_pence, &p.schedule);
            let reason = match (plan, to) {
                (Some(_), Stage::Referral) => "payment plan broken".to_owned(),
                (_, Stage::Clear) => "arrears cleared".to_owned(),
                _ => format!("{weeks:.1} weeks of arrears"),
            };
            let change = arrears::StageChange {
                account_id: p.account_id,
                from: p.stage,
                to,
                balance_pence: p.balance_pence,
                on,
                reason: &reason,
                by,
            };
            arrears::change_stage(&mut tx, &change).await?;
            let event = pb::ArrearsStageChanged {
                account_id: p.account_id.to_string(),
                placement_id: p.placement_id.to_string(),
                application_id: p.application_id.map(|a| a.to_string()).unwrap_or_default(),
                payment_reference: p.payment_reference.clone(),
                from: stage_proto(p.stage) as i32,
                to: stage_proto(to) as i32,
                #[allow(deprecated)]
                from_stage: p.stage.as_str().into(),
                #[allow(deprecated)]
                to_stage: to.as_str().into(),
                balance_pence: p.balance_pence.get(),
                weeks_in_arrears: weeks,
                former_tenant: p.closed,
                reviewed_on: format_date(on),
            };
            outbox::enqueue(
                &mut tx,
                &OutgoingEvent::new(
                    "housing.rent.arrears.stage_changed.v1",
                    p.account_id,
                    &event,
                ),
            )
            .await?;
            report.changed += 1;
        }
        tx.commit().await?;
    }
    Ok(report)
}

fn plan_out_of_range(account_id: Uuid) -> AppError {
    AppError::FailedPrecondition(format!(
        "account {account_id}'s payment plan has figures out of range"
    ))
}

/// A plan an officer agrees with the household.
pub struct NewPlan {
    pub request_id: String,
    pub account_id: Uuid,
    pub instalment: Pence,
    pub start: NaiveDate,
}

/// Agrees a plan for the arrears owed now; one active plan per account.
pub async fn create_plan(pool: &Pool, p: &NewPlan, by: &str) -> Result<(Uuid, Pence), AppError> {
    let NewPlan {
        request_id,
        account_id,
        instalment,
        start,
    } = p;
    let mut tx = pool.begin().await?;
    if let Some(existing) = arrears::plan_by_request(&mut tx, request_id).await? {
        return Ok(existing);
    }
    let account = store::find(&mut tx, Key::Account(*account_id))
        .await?
        .ok_or_else(|| {
            let mut v = FieldViolations::new();
            v.add("account_id", format!("no rent account {account_id}"));
            AppError::Invalid(v)
        })?;
    let balance = ledger::balance(&mut tx, &tenant_account(account.id)).await?;
    if balance <= Pence::ZERO {
        return Err(AppError::FailedPrecondition(format!(
            "account {account_id} has no arrears to plan for"
        )));
    }
    let plan = Plan {
        start: *start,
        start_balance_pence: balance,
        instalment_pence: *instalment,
    };
    // The review reckons the plan's ceiling every week. Its first is its highest, and later
    // ones come down by instalments held to their range: if the first can be reckoned, all can.
    if plan.ceiling(plan.start).is_err() {
        return Err(AppError::FailedPrecondition(format!(
            "arrears of {balance} are out of range for a payment plan"
        )));
    }
    let id = arrears::insert_plan(&mut tx, account.id, &plan, request_id, by)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(ref db)
                if db.constraint() == Some("payment_plans_one_active") =>
            {
                AppError::FailedPrecondition(format!(
                    "account {account_id} already has an active payment plan"
                ))
            }
            other => other.into(),
        })?;
    tx.commit().await?;
    Ok((id, balance))
}

/// An account's arrears as read back: saturated, as every sum read back is.
pub struct ArrearsView {
    pub stage: Stage,
    pub balance_pence: Pence,
    pub weeks: f64,
    pub aged: [Pence; 4],
    pub has_plan: bool,
}

pub async fn view(pool: &Pool, account_id: Uuid, on: NaiveDate) -> Result<ArrearsView, AppError> {
    let mut tx = pool.begin().await?;
    let account = store::find(&mut tx, Key::Account(account_id))
        .await?
        .ok_or_else(|| AppError::not_found("rent account", account_id))?;
    let ledger_account = tenant_account(account.id);
    let balance = ledger::balance(&mut tx, &ledger_account).await?;
    let (charges, credits) = arrears::charges_and_credits(&mut tx, &ledger_account).await?;
    let stage: Option<String> =
        sqlx::query_scalar("SELECT stage FROM arrears_cases WHERE account_id = $1")
            .bind(account.id)
            .fetch_optional(&mut *tx)
            .await?;
    let has_plan: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM payment_plans WHERE account_id = $1 AND status = 'active')",
    )
    .bind(account.id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(ArrearsView {
        stage: stage
            .as_deref()
            .and_then(Stage::parse)
            .unwrap_or(Stage::Clear),
        balance_pence: balance,
        weeks: weeks_in_arrears(balance, &account.schedule()),
        aged: aged(&charges, credits, on),
        has_plan,
    })
}
