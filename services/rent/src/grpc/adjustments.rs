//! Corrections: adjustments, refunds, write-offs and reversals.

use housing_platform::auth::{Role, caller};
use housing_platform::db::Pool;
use housing_proto::rent::v1 as pb;
use tonic::{Request, Response};

use super::{INCOME, Reply};
use crate::app::adjustments::{self, Adjustment, Kind, Reversal};

pub(super) async fn post_adjustment(
    pool: &Pool,
    request: Request<pb::PostAdjustmentRequest>,
) -> Reply<pb::PostAdjustmentResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let adjustment = Adjustment::try_from(request.into_inner())?;
    if adjustment.kind == Kind::WriteOff {
        caller.require(&[Role::Manager])?;
    }
    let (journal_id, balance) = adjustments::post(pool, &adjustment, &caller.id).await?;
    Ok(Response::new(pb::PostAdjustmentResponse {
        journal_id,
        balance_pence: balance.get(),
    }))
}

pub(super) async fn reverse_journal(
    pool: &Pool,
    request: Request<pb::ReverseJournalRequest>,
) -> Reply<pb::ReverseJournalResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let reversal = Reversal::try_from(request.into_inner())?;
    let id = adjustments::reverse(pool, &reversal, &caller.id).await?;
    Ok(Response::new(pb::ReverseJournalResponse {
        reversal_journal_id: id,
    }))
}
