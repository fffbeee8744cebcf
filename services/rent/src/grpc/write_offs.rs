//! Write-offs on approval: asked for by an income officer or manager, decided by a manager.

use housing_platform::auth::{Role, caller};
use housing_platform::db::Pool;
use housing_platform::paging;
use housing_platform::time::timestamp;
use housing_proto::rent::v1 as pb;
use tonic::{Request, Response};

use super::{INCOME, Reply, mapping};
use crate::app::write_offs::{self, Decide, WriteOffQuery, WriteOffRequest};
use crate::db::write_offs::WriteOff;

pub(super) async fn request_write_off(
    pool: &Pool,
    request: Request<pb::RequestWriteOffRequest>,
) -> Reply<pb::RequestWriteOffResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let asked = WriteOffRequest::try_from(request.into_inner())?;
    let write_off = write_offs::request(pool, &asked, &caller.id).await?;
    Ok(Response::new(pb::RequestWriteOffResponse {
        write_off: Some(write_off_proto(&write_off)),
    }))
}

pub(super) async fn list_write_offs(
    pool: &Pool,
    request: Request<pb::ListWriteOffsRequest>,
) -> Reply<pb::ListWriteOffsResponse> {
    caller(&request)?.require(INCOME)?;
    let query = WriteOffQuery::try_from(request.into_inner())?;
    let (rows, more) = write_offs::list(pool, &query).await?;
    let next_page_token = match rows.last() {
        Some(last) if more => paging::encode(last.requested_at, last.id),
        _ => String::new(),
    };
    Ok(Response::new(pb::ListWriteOffsResponse {
        write_offs: rows.iter().map(write_off_proto).collect(),
        next_page_token,
    }))
}

pub(super) async fn decide_write_off(
    pool: &Pool,
    request: Request<pb::DecideWriteOffRequest>,
) -> Reply<pb::DecideWriteOffResponse> {
    let caller = caller(&request)?;
    caller.require(&[Role::Manager])?;
    let decide = Decide::try_from(request.into_inner())?;
    let write_off = write_offs::decide(pool, &decide, &caller.id).await?;
    Ok(Response::new(pb::DecideWriteOffResponse {
        write_off: Some(write_off_proto(&write_off)),
    }))
}

fn write_off_proto(w: &WriteOff) -> pb::WriteOff {
    pb::WriteOff {
        write_off_id: w.id.to_string(),
        account_id: w.account_id.to_string(),
        payment_reference: w.payment_reference.clone(),
        amount_pence: w.amount.get(),
        reason: w.reason.clone(),
        status: mapping::write_off_status_proto(w.status) as i32,
        requested_by: w.requested_by.clone(),
        requested_at: Some(timestamp(w.requested_at)),
        decided_by: w.decided_by.clone().unwrap_or_default(),
        decided_at: w.decided_at.map(timestamp),
        decision_reason: w.decision_reason.clone().unwrap_or_default(),
        journal_id: w.journal_id.unwrap_or_default(),
        account_balance_pence: w.account_balance.get(),
    }
}
