use std::sync::Arc;

use housing_platform::auth::{Role, caller};
use housing_platform::errors::{FieldViolations, uuid_field};
use housing_platform::time::{parse_date, today};
use housing_proto::accommodation::v1::{
    self as pb, accommodation_service_server::AccommodationService,
};
use sqlx::PgPool;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::mapping;
use crate::ServiceSettings;
use crate::app::{placements, stock};
use crate::domain::matching::rank;

pub struct Accommodation {
    pub pool: PgPool,
    pub settings: Arc<ServiceSettings>,
}

const TA_STAFF: &[Role] = &[Role::TaOfficer, Role::Manager];
const READ: &[Role] = &[
    Role::TaOfficer,
    Role::Manager,
    Role::IncomeOfficer,
    Role::AllocationsOfficer,
    Role::SeniorOfficer,
];

#[tonic::async_trait]
impl AccommodationService for Accommodation {
    async fn create_provider(
        &self,
        request: Request<pb::CreateProviderRequest>,
    ) -> Result<Response<pb::CreateProviderResponse>, Status> {
        caller(&request)?.require(TA_STAFF)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        if r.name.trim().is_empty() {
            v.add("name", "required");
        }
        if !r.contact_email.contains('@') {
            v.add("contact_email", "must be an email address");
        }
        v.into_result(())?;
        let p = stock::create_provider(
            &self.pool,
            &r.request_id,
            r.name.trim(),
            r.contact_email.trim(),
        )
        .await?;
        Ok(Response::new(pb::CreateProviderResponse {
            provider: Some(pb::Provider {
                provider_id: p.id.to_string(),
                name: p.name,
                contact_email: p.contact_email,
            }),
        }))
    }

    async fn create_unit(
        &self,
        request: Request<pb::CreateUnitRequest>,
    ) -> Result<Response<pb::CreateUnitResponse>, Status> {
        caller(&request)?.require(TA_STAFF)?;
        let r = request.into_inner();
        let unit = mapping::unit(r.unit.as_ref())?;
        let unit = stock::create_unit(&self.pool, &r.request_id, unit).await?;
        Ok(Response::new(pb::CreateUnitResponse {
            unit: Some(mapping::unit_proto(&unit)),
        }))
    }

    async fn create_placement_request(
        &self,
        request: Request<pb::CreatePlacementRequestRequest>,
    ) -> Result<Response<pb::CreatePlacementRequestResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(TA_STAFF)?;
        let r = request.into_inner();
        let record = mapping::placement_request(r.placement_request.as_ref())?;
        let record =
            placements::create_request(&self.pool, &r.request_id, record, &caller.id).await?;
        Ok(Response::new(pb::CreatePlacementRequestResponse {
            placement_request: Some(mapping::placement_request_proto(&record)),
        }))
    }

    async fn rank_units(
        &self,
        request: Request<pb::RankUnitsRequest>,
    ) -> Result<Response<pb::RankUnitsResponse>, Status> {
        caller(&request)?.require(TA_STAFF)?;
        let r = request.into_inner();
        let id = uuid_field("placement_request_id", &r.placement_request_id)?;
        if !(0..=1000).contains(&r.page_size) {
            let mut v = FieldViolations::new();
            v.add("page_size", "must be between 0 and 1000");
            return Err(v.into_status());
        }
        let ranking = placements::ranking(&self.pool, id).await?;
        let (ranked, excluded) = rank(
            &ranking.request.need,
            &ranking.units,
            ranking.request.needed_from.max(today()),
            &self.settings.home_authority,
        );
        let take = if r.page_size == 0 {
            20
        } else {
            r.page_size as usize
        };
        Ok(Response::new(pb::RankUnitsResponse {
            ranked: ranked
                .iter()
                .take(take)
                .map(mapping::ranked_proto)
                .collect(),
            excluded: excluded
                .iter()
                .map(|e| pb::ExcludedUnit {
                    unit_id: e.unit.id.to_string(),
                    reasons: e.reasons.clone(),
                })
                .collect(),
        }))
    }

    async fn start_placement(
        &self,
        request: Request<pb::StartPlacementRequest>,
    ) -> Result<Response<pb::StartPlacementResponse>, Status> {
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
        let placement = placements::start(
            &self.pool,
            placements::Start {
                request_id: &r.request_id,
                placement_request_id,
                unit_id,
                start_date,
                reason: r.reason.trim(),
                officer: &caller.id,
                home_authority: &self.settings.home_authority,
            },
        )
        .await?;
        Ok(Response::new(pb::StartPlacementResponse {
            placement: Some(mapping::placement_proto(&placement)),
        }))
    }

    async fn get_placement(
        &self,
        request: Request<pb::GetPlacementRequest>,
    ) -> Result<Response<pb::GetPlacementResponse>, Status> {
        caller(&request)?.require(READ)?;
        let id = uuid_field("placement_id", &request.get_ref().placement_id)?;
        let placement = placements::get(&self.pool, id).await?;
        Ok(Response::new(pb::GetPlacementResponse {
            placement: Some(mapping::placement_proto(&placement)),
        }))
    }

    async fn close_placement(
        &self,
        request: Request<pb::ClosePlacementRequest>,
    ) -> Result<Response<pb::ClosePlacementResponse>, Status> {
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
            placements::close_by_id(&self.pool, id, reason, end, r.note.trim(), &caller.id).await?;
        Ok(Response::new(pb::ClosePlacementResponse {
            placement: Some(mapping::placement_proto(&placement)),
        }))
    }
}
