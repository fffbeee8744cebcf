//! The rent deposit and bond scheme.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::uuid_field;
use housing_platform::time::format_date;
use housing_proto::rent::v1 as pb;
use tonic::{Request, Response};

use super::{INCOME, READ, Reply};
use crate::app::bonds::{self, BondPosition, Claim, Issue, Repayment};

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
    let bond = bonds::get(pool, id).await?;
    Ok(Response::new(pb::GetBondResponse {
        bond: Some(bond_proto(&bond)),
    }))
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
    }
}
