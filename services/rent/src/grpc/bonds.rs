//! The rent deposit and bond scheme.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::uuid_field;
use housing_platform::paging;
use housing_platform::time::{format_date, timestamp};
use housing_proto::rent::v1 as pb;
use tonic::{Request, Response};

use super::{INCOME, READ, Reply, mapping};
use crate::app::bonds::{self, BondPosition, BondQuery, Claim, Issue, Repayment};
use crate::db::bonds::Event;

pub(super) async fn issue_bond(
    pool: &Pool,
    request: Request<pb::IssueBondRequest>,
) -> Reply<pb::IssueBondResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let issue = Issue::try_from(request.into_inner())?;
    let bond = bonds::issue(pool, &issue, &caller.id).await?;
    Ok(Response::new(pb::IssueBondResponse {
        bond: Some(bond_proto(&bond)),
    }))
}

pub(super) async fn claim_bond(
    pool: &Pool,
    request: Request<pb::ClaimBondRequest>,
) -> Reply<pb::ClaimBondResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let claim = Claim::try_from(request.into_inner())?;
    let bond = bonds::claim(pool, &claim, &caller.id).await?;
    Ok(Response::new(pb::ClaimBondResponse {
        bond: Some(bond_proto(&bond)),
    }))
}

pub(super) async fn record_bond_repayment(
    pool: &Pool,
    request: Request<pb::RecordBondRepaymentRequest>,
) -> Reply<pb::RecordBondRepaymentResponse> {
    let caller = caller(&request)?;
    caller.require(INCOME)?;
    let repayment = Repayment::try_from(request.into_inner())?;
    let bond = bonds::repay(pool, &repayment, &caller.id).await?;
    Ok(Response::new(pb::RecordBondRepaymentResponse {
        bond: Some(bond_proto(&bond)),
    }))
}

pub(super) async fn get_bond(
    pool: &Pool,
    request: Request<pb::GetBondRequest>,
) -> Reply<pb::GetBondResponse> {
    caller(&request)?.require(READ)?;
    let id = uuid_field("bond_id", &request.get_ref().bond_id)?;
    let (bond, history) = bonds::get(pool, id).await?;
    Ok(Response::new(pb::GetBondResponse {
        bond: Some(bond_proto(&bond)),
        history: history.iter().map(event_proto).collect(),
    }))
}

pub(super) async fn list_bonds(
    pool: &Pool,
    request: Request<pb::ListBondsRequest>,
) -> Reply<pb::ListBondsResponse> {
    caller(&request)?.require(READ)?;
    let query = BondQuery::try_from(request.into_inner())?;
    let (page, next) = bonds::list(pool, &query).await?;
    Ok(Response::new(pb::ListBondsResponse {
        bonds: page.iter().map(bond_proto).collect(),
        next_page_token: next
            .map(|(at, id)| paging::encode(at, id))
            .unwrap_or_default(),
    }))
}

fn event_proto(e: &Event) -> pb::BondEvent {
    pb::BondEvent {
        kind: mapping::bond_event_kind_proto(e.kind) as i32,
        amount_pence: e.amount.get(),
        effective_on: format_date(e.effective_on),
        reason: e.reason.clone(),
        recorded_by: e.recorded_by.clone(),
        recorded_at: Some(timestamp(e.recorded_at)),
    }
}

fn bond_proto(p: &BondPosition) -> pb::Bond {
    pb::Bond {
        bond_id: p.bond.id.to_string(),
        application_id: p
            .bond
            .application_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        household_name: p.bond.household_name.clone(),
        landlord: p.bond.landlord.clone(),
        property_address: p.bond.property_address.clone(),
        guaranteed_pence: p.bond.guaranteed_pence.get(),
        issued_on: format_date(p.bond.issued_on),
        claimed_pence: p.bond.claimed_pence.get(),
        debt_pence: p.debt_pence.get(),
        state: mapping::bond_state_proto(p.state()) as i32,
    }
}
