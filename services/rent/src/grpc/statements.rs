//! Statements of account.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::time::format_date;
use housing_proto::rent::v1 as pb;
use tonic::{Request, Response};

use super::{READ, Reply, mapping};
use crate::app::statements;

pub(super) async fn get_statement(
    pool: &Pool,
    request: Request<pb::GetStatementRequest>,
) -> Reply<pb::GetStatementResponse> {
    caller(&request)?.require(READ)?;
    let (account_id, from, to) = mapping::statement(request.get_ref())?;
    let statement = statements::statement(pool, account_id, from, to).await?;
    Ok(Response::new(pb::GetStatementResponse {
        account_id: statement.account_id.to_string(),
        payment_reference: statement.payment_reference.clone(),
        from_date: format_date(from),
        to_date: format_date(to),
        opening_balance_pence: statement.opening_pence.get(),
        lines: statement
            .lines
            .iter()
            .map(|(line, balance)| pb::StatementLine {
                date: format_date(line.date),
                kind: line.kind.clone(),
                description: line.memo.clone(),
                amount_pence: line.amount_pence.get(),
                balance_pence: balance.get(),
            })
            .collect(),
        closing_balance_pence: statement.closing_pence.get(),
        csv: statement.to_csv(),
    }))
}
