//! The weekly charge run.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::{date_field, from_sqlx, not_found};
use housing_platform::time::format_date;
use housing_proto::rent::v1 as pb;
use tonic::{Request, Response};

use super::{INCOME, Reply};
use crate::app::charge_run;
use crate::db::charges;

pub(super) async fn run_weekly_charges(
    pool: &Pool,
    request: Request<pb::RunWeeklyChargesRequest>,
) -> Reply<pb::RunWeeklyChargesResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let week_start = date_field("week_start", &request.get_ref().week_start)?;
    let report = charge_run::run_week(pool, week_start, &caller.id, charge_run::BATCH).await?;
    Ok(Response::new(pb::RunWeeklyChargesResponse {
        week_start: format_date(week_start),
        accounts_charged: report.accounts_charged,
        total_charged_pence: report.total_pence,
    }))
}

pub(super) async fn get_charge_run(
    pool: &Pool,
    request: Request<pb::GetChargeRunRequest>,
) -> Reply<pb::GetChargeRunResponse> {
    caller(&request)?.require(INCOME)?;
    let week_start = date_field("week_start", &request.get_ref().week_start)?;
    let mut conn = pool.acquire().await.map_err(from_sqlx)?;
    let state = charges::run_state(&mut conn, week_start)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("charge run for the week of", &format_date(week_start)))?;
    Ok(Response::new(pb::GetChargeRunResponse {
        week_start: format_date(week_start),
        accounts_charged: state.accounts_charged,
        total_charged_pence: state.total_pence,
        accounts_remaining: state.accounts_remaining,
        finished: state.finished,
        run_by: state.run_by,
    }))
}
