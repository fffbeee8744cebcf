//! The stock: units as registered, and concerns raised about them.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::{FieldViolations, uuid_field};
use housing_platform::paging;
use housing_platform::time::{format_date, format_optional_date, today};
use housing_proto::accommodation::v1 as pb;
use tonic::{Request, Response};

use super::{READ, Reply, TA_STAFF, mapping};
use crate::app::{concerns, stock};

pub(super) async fn create_unit(
    pool: &Pool,
    request: Request<pb::CreateUnitRequest>,
) -> Reply<pb::CreateUnitResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let r = request.into_inner();
    let unit = mapping::unit(r.unit.as_ref())?;
    let unit = stock::create_unit(pool, &r.request_id, unit, &caller.id).await?;
    Ok(Response::new(pb::CreateUnitResponse {
        unit: Some(mapping::unit_proto(&unit)),
    }))
}

pub(super) async fn get_unit(
    pool: &Pool,
    request: Request<pb::GetUnitRequest>,
) -> Reply<pb::GetUnitResponse> {
    caller(&request)?.require(READ)?;
    let id = uuid_field("unit_id", &request.get_ref().unit_id)?;
    let found = stock::get_unit(pool, id).await?;
    Ok(Response::new(pb::GetUnitResponse {
        unit: Some(mapping::unit_proto(&found.unit)),
        history: found
            .history
            .iter()
            .map(mapping::unit_change_proto)
            .collect(),
        withdrawn_on: format_optional_date(found.withdrawn_on),
        occupied: found.occupied,
    }))
}

pub(super) async fn list_units(
    pool: &Pool,
    request: Request<pb::ListUnitsRequest>,
) -> Reply<pb::ListUnitsResponse> {
    caller(&request)?.require(READ)?;
    let query = stock::ListUnits::try_from(request.into_inner())?;
    let page = stock::list_units(pool, &query, today()).await?;
    Ok(Response::new(pb::ListUnitsResponse {
        next_page_token: paging::next_token(&page, query.limit, |(at, u)| (*at, u.id)),
        units: page.iter().map(|(_, u)| mapping::unit_proto(u)).collect(),
    }))
}

pub(super) async fn update_unit(
    pool: &Pool,
    request: Request<pb::UpdateUnitRequest>,
) -> Reply<pb::UpdateUnitResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let update = stock::Update::try_from(request.into_inner())?;
    let unit = stock::update_unit(pool, update, &caller.id).await?;
    Ok(Response::new(pb::UpdateUnitResponse {
        unit: Some(mapping::unit_proto(&unit)),
    }))
}

pub(super) async fn renew_certificate(
    pool: &Pool,
    request: Request<pb::RenewCertificateRequest>,
) -> Reply<pb::RenewCertificateResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let renewal = stock::Renewal::try_from(request.into_inner())?;
    let unit = stock::renew_certificate_by(pool, &renewal, &caller.id).await?;
    Ok(Response::new(pb::RenewCertificateResponse {
        unit: Some(mapping::unit_proto(&unit)),
    }))
}

pub(super) async fn withdraw_unit(
    pool: &Pool,
    request: Request<pb::WithdrawUnitRequest>,
) -> Reply<pb::WithdrawUnitResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let withdrawal = stock::Withdrawal::try_from(request.into_inner())?;
    let (unit, on) = stock::withdraw_unit(pool, &withdrawal, &caller.id).await?;
    Ok(Response::new(pb::WithdrawUnitResponse {
        unit: Some(mapping::unit_proto(&unit)),
        withdrawn_on: format_date(on),
    }))
}

pub(super) async fn log_concern(
    pool: &Pool,
    request: Request<pb::LogConcernRequest>,
) -> Reply<pb::LogConcernResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let r = request.into_inner();
    let mut v = FieldViolations::new();
    let unit_id = v.uuid("unit_id", &r.unit_id);
    let source = mapping::concern_source(r.source)
        .map_err(|e| v.add("source", e))
        .ok();
    v.require("description", &r.description, "what the concern is");
    let (Some(unit_id), Some(source)) = (unit_id, source) else {
        return Err(v.into_status());
    };
    v.into_result(())?;
    let concern = concerns::log(
        pool,
        &r.request_id,
        unit_id,
        source,
        r.description.trim(),
        &caller.id,
    )
    .await?;
    Ok(Response::new(pb::LogConcernResponse {
        concern: Some(mapping::concern_proto(&concern)),
    }))
}

pub(super) async fn act_on_concern(
    pool: &Pool,
    request: Request<pb::ActOnConcernRequest>,
) -> Reply<pb::ActOnConcernResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let r = request.into_inner();
    let mut v = FieldViolations::new();
    let id = v.uuid("concern_id", &r.concern_id);
    let status = mapping::concern_step(r.status)
        .map_err(|e| v.add("status", e))
        .ok();
    v.require("note", &r.note, "what was done, or why it is escalated");
    let (Some(id), Some(status)) = (id, status) else {
        return Err(v.into_status());
    };
    v.into_result(())?;
    let concern = concerns::act(pool, id, status, r.note.trim(), &caller.id).await?;
    Ok(Response::new(pb::ActOnConcernResponse {
        concern: Some(mapping::concern_proto(&concern)),
    }))
}

pub(super) async fn list_concerns(
    pool: &Pool,
    request: Request<pb::ListConcernsRequest>,
) -> Reply<pb::ListConcernsResponse> {
    caller(&request)?.require(READ)?;
    let unit_id = uuid_field("unit_id", &request.get_ref().unit_id)?;
    let list = concerns::for_unit(pool, unit_id).await?;
    Ok(Response::new(pb::ListConcernsResponse {
        concerns: list.iter().map(mapping::concern_proto).collect(),
    }))
}
