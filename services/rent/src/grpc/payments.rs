//! Payments received: one at a time, or a file of them.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_proto::rent::v1 as pb;
use tonic::{Request, Response};

use super::{INCOME, Reply};
use crate::app::accounts;
use crate::app::payments::{self, Payment, PaymentFile};
use crate::db::accounts::Key;

pub(super) async fn record_payment(
    pool: &Pool,
    request: Request<pb::RecordPaymentRequest>,
) -> Reply<pb::RecordPaymentResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let payment = Payment::try_from(request.into_inner())?;
    let posted = payments::record(pool, &payment, &caller.id).await?;
    let (_, balance) = accounts::get(pool, Key::Account(payment.account_id)).await?;
    Ok(Response::new(pb::RecordPaymentResponse {
        posted,
        balance_pence: balance.get(),
    }))
}

pub(super) async fn import_payments(
    pool: &Pool,
    request: Request<pb::ImportPaymentsRequest>,
) -> Reply<pb::ImportPaymentsResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let file = PaymentFile::try_from(request.into_inner())?;
    let report = payments::import(pool, &file, &caller.id).await?;
    let lines = |l: Vec<usize>| l.into_iter().map(line_number).collect();
    Ok(Response::new(pb::ImportPaymentsResponse {
        posted_lines: lines(report.posted),
        already_posted_lines: lines(report.already_posted),
        unmatched: report
            .unmatched
            .into_iter()
            .map(|e| pb::LineProblem {
                line: line_number(e.line),
                message: e.message,
            })
            .collect(),
    }))
}

/// A line of a file a message could carry has a number that fits.
fn line_number(line: usize) -> i32 {
    i32::try_from(line).unwrap_or(i32::MAX)
}
