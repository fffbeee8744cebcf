//! The stock: units as registered, and concerns raised about them.

use housing_platform::auth::caller;
use housing_platform::errors::{FieldViolations, uuid_field};
use housing_proto::accommodation::v1 as pb;
use sqlx::PgPool;
use tonic::{Request, Response};

use super::{READ, Reply, TA_STAFF, mapping};
use crate::app::{concerns, stock};

pub(super) async fn create_unit(
    pool: &PgPool,
    request: Request<pb::CreateUnitRequest>,
) -> Reply<pb::CreateUnitResponse> {
    caller(&request)?.require(TA_STAFF)?;
    let r = request.into_inner();
    let unit = mapping::unit(r.unit.as_ref())?;
    let unit = stock::create_unit(pool, &r.request_id, unit).await?;
    Ok(Response::new(pb::CreateUnitResponse {
        unit: Some(mapping::unit_proto(&unit)),
    }))
}

pub(super) async fn log_concern(
    pool: &PgPool,
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
    pool: &PgPool,
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
    pool: &PgPool,
    request: Request<pb::ListConcernsRequest>,
) -> Reply<pb::ListConcernsResponse> {
    caller(&request)?.require(READ)?;
    let unit_id = uuid_field("unit_id", &request.get_ref().unit_id)?;
    let list = concerns::for_unit(pool, unit_id).await?;
    Ok(Response::new(pb::ListConcernsResponse {
        concerns: list.iter().map(mapping::concern_proto).collect(),
    }))
}
