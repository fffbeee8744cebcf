//! What the council owes suppliers.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::from_sqlx;
use housing_platform::paging;
use housing_platform::time::format_optional_date;
use housing_proto::rent::v1 as pb;
use tonic::{Request, Response};

use super::{INCOME, Reply};
use crate::app::payables::{self, Pay};
use crate::db::payables::{self as store, Payable};

pub(super) async fn list_payables(
    pool: &Pool,
    request: Request<pb::ListPayablesRequest>,
) -> Reply<pb::ListPayablesResponse> {
    caller(&request)?.require(INCOME)?;
    let r = request.into_inner();
    let after = paging::decode(&r.page_token)?;
    let limit = paging::size(r.page_size, 50, 500);
    let mut conn = pool.acquire().await.map_err(from_sqlx)?;
    let rows = store::list(&mut conn, r.unpaid_only, after, limit)
        .await
        .map_err(from_sqlx)?;
    let next_page_token = paging::next_token(&rows, limit, |r| (r.created_at, r.id));
    Ok(Response::new(pb::ListPayablesResponse {
        payables: rows.iter().map(payable_proto).collect(),
        next_page_token,
    }))
}

pub(super) async fn pay_payable(
    pool: &Pool,
    request: Request<pb::PayPayableRequest>,
) -> Reply<pb::PayPayableResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let pay = Pay::try_from(request.into_inner())?;
    let payable = payables::pay(pool, &pay, &caller.id).await?;
    Ok(Response::new(pb::PayPayableResponse {
        payable: Some(payable_proto(&payable)),
    }))
}

fn payable_proto(p: &Payable) -> pb::Payable {
    pb::Payable {
        payable_id: p.id.to_string(),
        kind: match p.kind.as_str() {
            "nightly_paid_invoice" => pb::PayableKind::NightlyPaidInvoice,
            "removals_and_storage" => pb::PayableKind::RemovalsAndStorage,
            "mobility_incentive" => pb::PayableKind::MobilityIncentive,
            "decant_payment" => pb::PayableKind::DecantPayment,
            _ => pb::PayableKind::Unspecified,
        } as i32,
        payee: p.payee.clone(),
        reference: p.reference.clone(),
        amount_pence: p.amount_pence,
        paid: p.paid_on.is_some(),
        paid_on: format_optional_date(p.paid_on),
    }
}
