//! Rent accounts.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::money::Pence;
use housing_platform::time::{format_date, format_optional_date};
use housing_proto::rent::v1 as pb;
use tonic::{Request, Response};

use super::{READ, Reply, mapping};
use crate::app::accounts::{self, AccountQuery};
use crate::db::accounts::{AccountStatus, RentAccount};

pub(super) async fn get_account(
    pool: &Pool,
    request: Request<pb::GetAccountRequest>,
) -> Reply<pb::GetAccountResponse> {
    caller(&request)?.require(READ)?;
    let key = mapping::account_key(request.get_ref().key.as_ref())?;
    let (account, balance) = accounts::get(pool, key).await?;
    Ok(Response::new(pb::GetAccountResponse {
        account: Some(account_proto(&account, balance)),
    }))
}

pub(super) async fn list_accounts(
    pool: &Pool,
    request: Request<pb::ListAccountsRequest>,
) -> Reply<pb::ListAccountsResponse> {
    caller(&request)?.require(READ)?;
    let query = AccountQuery::try_from(request.into_inner())?;
    let page = accounts::list(pool, &query).await?;
    let next_page_token = match page.accounts.last() {
        Some(last) if page.more => mapping::account_page_token(&last.position, &query.filter),
        _ => String::new(),
    };
    Ok(Response::new(pb::ListAccountsResponse {
        accounts: page
            .accounts
            .iter()
            .map(|listed| pb::AccountSummary {
                account: Some(account_proto(&listed.account, listed.balance)),
                arrears_stage: mapping::stage_proto(listed.stage) as i32,
                has_active_plan: listed.has_active_plan,
            })
            .collect(),
        next_page_token,
        stage_counts: page
            .stage_counts
            .iter()
            .map(|&(stage, accounts)| pb::StageCount {
                stage: mapping::stage_proto(stage) as i32,
                accounts,
            })
            .collect(),
    }))
}

fn account_proto(account: &RentAccount, balance: Pence) -> pb::RentAccount {
    pb::RentAccount {
        account_id: account.id.to_string(),
        placement_id: account.placement_id.to_string(),
        application_id: account
            .application_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        status: match account.status {
            AccountStatus::Open => pb::AccountStatus::Open,
            AccountStatus::Closed => pb::AccountStatus::Closed,
        } as i32,
        weekly_charge_pence: account.weekly_charge_pence,
        balance_pence: balance.get(),
        opened_on: format_date(account.opened_on),
        closed_on: format_optional_date(account.closed_on),
        payment_reference: account.payment_reference.clone(),
        weekly_service_charge_pence: account.weekly_service_charge_pence,
    }
}
