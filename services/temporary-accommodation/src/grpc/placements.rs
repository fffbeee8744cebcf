//! Placements: started, listed, moved, closed, and notified to the receiving authority.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::{FieldViolations, from_sqlx, uuid_field};
use housing_platform::time::{parse_date, today};
use housing_proto::accommodation::v1 as pb;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::{READ, Reply, TA_STAFF, mapping};
use crate::app::placements::ListPlacements;
use crate::app::vacancies::Vacancies;
use crate::app::{placements, s208, s213aa, transfers};
use crate::db::placements::PlacementRecord;

pub(super) async fn start_placement(
    pool: &Pool,
    home_authority: &str,
    vacancies: &Vacancies,
    request: Request<pb::StartPlacementRequest>,
) -> Reply<pb::StartPlacementResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let r = request.into_inner();
    let mut v = FieldViolations::new();
    let placement_request_id = Uuid::parse_str(&r.placement_request_id)
        .map_err(|_| v.add("placement_request_id", "must be a UUID"))
        .ok();
    let unit_id = Uuid::parse_str(&r.unit_id)
        .map_err(|_| v.add("unit_id", "must be a UUID"))
        .ok();
    let start_date = parse_date(&r.start_date)
        .map_err(|e| v.add("start_date", e))
        .ok();
    if r.reason.trim().is_empty() {
        v.add("reason", "required: why this unit was chosen");
    }
    let (Some(placement_request_id), Some(unit_id), Some(start_date)) =
        (placement_request_id, unit_id, start_date)
    else {
        return Err(v.into_status());
    };
    v.into_result(())?;
    let (placement, history) = placements::start(
        pool,
        placements::Start {
            request_id: &r.request_id,
            placement_request_id,
            unit_id,
            start_date,
            reason: r.reason.trim(),
            officer: &caller.id,
            home_authority,
            vacancies,
        },
    )
    .await?;
    Ok(Response::new(pb::StartPlacementResponse {
        placement: Some(mapping::placement_proto(&placement, &history)),
    }))
}

pub(super) async fn get_placement(
    pool: &Pool,
    request: Request<pb::GetPlacementRequest>,
) -> Reply<pb::GetPlacementResponse> {
    caller(&request)?.require(READ)?;
    let id = uuid_field("placement_id", &request.get_ref().placement_id)?;
    let (placement, history) = placements::get(pool, id).await?;
    Ok(Response::new(pb::GetPlacementResponse {
        placement: Some(mapping::placement_proto(&placement, &history)),
    }))
}

pub(super) async fn list_placements(
    pool: &Pool,
    request: Request<pb::ListPlacementsRequest>,
) -> Reply<pb::ListPlacementsResponse> {
    caller(&request)?.require(READ)?;
    let query = ListPlacements::try_from(request.into_inner())?;
    let page = placements::list(pool, &query, today()).await?;
    Ok(Response::new(pb::ListPlacementsResponse {
        next_page_token: mapping::placements_page_token(&page, query.limit),
        placements: page.iter().map(mapping::placement_summary_proto).collect(),
    }))
}

pub(super) async fn close_placement(
    pool: &Pool,
    request: Request<pb::ClosePlacementRequest>,
) -> Reply<pb::ClosePlacementResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let r = request.into_inner();
    let mut v = FieldViolations::new();
    let id = Uuid::parse_str(&r.placement_id)
        .map_err(|_| v.add("placement_id", "must be a UUID"))
        .ok();
    let reason = mapping::closure_reason(r.reason)
        .map_err(|e| v.add("reason", e))
        .ok();
    let end = parse_date(&r.end_date)
        .map_err(|e| v.add("end_date", e))
        .ok();
    let (Some(id), Some(reason), Some(end)) = (id, reason, end) else {
        return Err(v.into_status());
    };
    let placement =
        placements::close_by_id(pool, id, reason, end, r.note.trim(), &caller.id).await?;
    Ok(Response::new(pb::ClosePlacementResponse {
        placement: Some(placement_reply(pool, placement).await?),
    }))
}

pub(super) async fn transfer_placement(
    pool: &Pool,
    home_authority: &str,
    vacancies: &Vacancies,
    request: Request<pb::TransferPlacementRequest>,
) -> Reply<pb::TransferPlacementResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let r = request.into_inner();
    let mut v = FieldViolations::new();
    let placement_id = v.uuid("placement_id", &r.placement_id);
    let unit_id = v.uuid("unit_id", &r.unit_id);
    let transfer_date = v.date("transfer_date", &r.transfer_date);
    v.require("reason", &r.reason, "why the household moves");
    let (Some(placement_id), Some(unit_id), Some(transfer_date)) =
        (placement_id, unit_id, transfer_date)
    else {
        return Err(v.into_status());
    };
    v.into_result(())?;
    let placement = transfers::transfer(
        pool,
        transfers::Transfer {
            request_id: &r.request_id,
            placement_id,
            unit_id,
            transfer_date,
            reason: r.reason.trim(),
            officer: &caller.id,
            home_authority,
            vacancies,
        },
    )
    .await?;
    Ok(Response::new(pb::TransferPlacementResponse {
        placement: Some(placement_reply(pool, placement).await?),
    }))
}

pub(super) async fn record_s208_notification(
    pool: &Pool,
    request: Request<pb::RecordS208NotificationRequest>,
) -> Reply<pb::RecordS208NotificationResponse> {
    caller(&request)?.require(TA_STAFF)?;
    let r = request.into_inner();
    let mut v = FieldViolations::new();
    let placement_id = v.uuid("placement_id", &r.placement_id);
    let sent_on = v.date("sent_on", &r.sent_on);
    if let Some(sent_on) = sent_on.filter(|d| *d > today()) {
        v.add("sent_on", format!("{sent_on} is in the future"));
    }
    let (Some(placement_id), Some(sent_on)) = (placement_id, sent_on) else {
        return Err(v.into_status());
    };
    v.into_result(())?;
    let notice = s208::record_sent(pool, placement_id, sent_on).await?;
    Ok(Response::new(pb::RecordS208NotificationResponse {
        notification: Some(mapping::s208_proto(&notice)),
    }))
}

async fn placement_reply(pool: &Pool, placement: PlacementRecord) -> Result<pb::Placement, Status> {
    let mut conn = pool.acquire().await.map_err(from_sqlx)?;
    let history = placements::history(&mut conn, placement.id).await?;
    Ok(mapping::placement_proto(&placement, &history))
}

pub(super) async fn record_s213aa_consent(
    pool: &Pool,
    placing_authority: &str,
    request: Request<pb::RecordS213aaConsentRequest>,
) -> Reply<pb::RecordS213aaConsentResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let consent = s213aa::Consent::try_from(request.into_inner())?;
    let notification =
        s213aa::record_consent(pool, &consent, &caller.id, placing_authority).await?;
    Ok(Response::new(pb::RecordS213aaConsentResponse {
        notification: Some(mapping::s213aa_proto(&notification)),
    }))
}
