//! Arrears: the review, payment plans, an account's arrears.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::date_field;
use housing_proto::rent::v1 as pb;
use tonic::{Request, Response};

use super::{INCOME, READ, Reply, mapping};
use crate::app::arrears::{self, NewPlan};
use crate::domain::arrears::Thresholds;

pub(super) async fn review_arrears(
    pool: &Pool,
    thresholds: &Thresholds,
    request: Request<pb::ReviewArrearsRequest>,
) -> Reply<pb::ReviewArrearsResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let on = date_field("as_of", &request.get_ref().as_of)?;
    let report = arrears::review(pool, on, thresholds, &caller.id).await?;
    Ok(Response::new(pb::ReviewArrearsResponse {
        accounts_reviewed: report.reviewed,
        stages_changed: report.changed,
    }))
}

pub(super) async fn create_payment_plan(
    pool: &Pool,
    request: Request<pb::CreatePaymentPlanRequest>,
) -> Reply<pb::CreatePaymentPlanResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let plan = NewPlan::try_from(request.into_inner())?;
    let (plan_id, balance) = arrears::create_plan(pool, &plan, &caller.id).await?;
    Ok(Response::new(pb::CreatePaymentPlanResponse {
        plan_id: plan_id.to_string(),
        start_balance_pence: balance.get(),
    }))
}

pub(super) async fn get_arrears(
    pool: &Pool,
    request: Request<pb::GetArrearsRequest>,
) -> Reply<pb::GetArrearsResponse> {
    caller(&request)?.require(READ)?;
    let (account_id, on) = mapping::arrears(request.get_ref())?;
    let view = arrears::view(pool, account_id, on).await?;
    let [under_4, from_4_to_8, from_8_to_13, over_13] = view.aged.map(|p| p.get());
    Ok(Response::new(pb::GetArrearsResponse {
        stage: view.stage.as_str().into(),
        balance_pence: view.balance_pence.get(),
        weeks_in_arrears: view.weeks,
        under_4_weeks_pence: under_4,
        weeks_4_to_8_pence: from_4_to_8,
        weeks_8_to_13_pence: from_8_to_13,
        over_13_weeks_pence: over_13,
        has_active_plan: view.has_plan,
    }))
}
