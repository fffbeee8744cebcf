use std::sync::Arc;

use housing_platform::auth::{Role, caller};
use housing_platform::errors::{FieldViolations, date_field, from_sqlx, uuid_field};
use housing_platform::time::{format_date, parse_date, today};
use housing_proto::accommodation::v1::{
    self as pb, accommodation_service_server::AccommodationService,
};
use sqlx::PgPool;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::mapping;
use crate::ServiceSettings;
use crate::app::vacancies::Vacancies;
use crate::app::{
    concerns, invoices, placements, portfolio, providers, removals, s208, stock, transfers,
};
use crate::db::placements::PlacementRecord;
use crate::domain::matching::rank;
use crate::domain::optimiser::DEFAULT_CANDIDATES;
use crate::domain::provider::Provider;

pub struct Accommodation {
    pub pool: PgPool,
    pub settings: Arc<ServiceSettings>,
    pub vacancies: Vacancies,
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
        v.require("name", &r.name, "the provider's name");
        if !r.contact_email.contains('@') {
            v.add("contact_email", "must be an email address");
        }
        v.into_result(())?;
        let provider = providers::create(
            &self.pool,
            &r.request_id,
            Provider {
                id: Uuid::nil(),
                name: r.name.trim().to_owned(),
                contact_email: r.contact_email.trim().to_owned(),
                landlord: false,
                contacts: vec![],
                agreements: vec![],
            },
        )
        .await?;
        Ok(Response::new(pb::CreateProviderResponse {
            provider: Some(mapping::provider_proto(&provider)),
        }))
    }

    async fn update_provider(
        &self,
        request: Request<pb::UpdateProviderRequest>,
    ) -> Result<Response<pb::UpdateProviderResponse>, Status> {
        caller(&request)?.require(TA_STAFF)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let id = v.uuid("provider_id", &r.provider_id);
        let contacts = mapping::contacts(&r.contacts, &mut v);
        let Some(id) = id else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let provider = providers::update(&self.pool, id, r.landlord, contacts).await?;
        Ok(Response::new(pb::UpdateProviderResponse {
            provider: Some(mapping::provider_proto(&provider)),
        }))
    }

    async fn get_provider(
        &self,
        request: Request<pb::GetProviderRequest>,
    ) -> Result<Response<pb::GetProviderResponse>, Status> {
        caller(&request)?.require(READ)?;
        let id = uuid_field("provider_id", &request.get_ref().provider_id)?;
        let provider = providers::get(&self.pool, id).await?;
        Ok(Response::new(pb::GetProviderResponse {
            provider: Some(mapping::provider_proto(&provider)),
        }))
    }

    async fn add_agreement(
        &self,
        request: Request<pb::AddAgreementRequest>,
    ) -> Result<Response<pb::AddAgreementResponse>, Status> {
        caller(&request)?.require(TA_STAFF)?;
        let r = request.into_inner();
        let provider_id = uuid_field("provider_id", &r.provider_id)?;
        let agreement = mapping::agreement(r.agreement.as_ref())?;
        let provider = providers::add_agreement(&self.pool, provider_id, agreement).await?;
        Ok(Response::new(pb::AddAgreementResponse {
            provider: Some(mapping::provider_proto(&provider)),
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
        let ranking = placements::ranking(&self.pool, &self.vacancies, id).await?;
        let on = ranking.request.needed_from.max(today());
        let need = &ranking.request.need;
        let (ranked, excluded) = rank(need, &ranking.units, on, &self.settings.home_authority);
        let take = if r.page_size == 0 {
            20
        } else {
            r.page_size as usize
        };
        Ok(Response::new(pb::RankUnitsResponse {
            ranked: ranked
                .iter()
                .take(take)
                .map(|r| mapping::ranked_proto(r, need, &self.settings.home_authority))
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
            placement: Some(self.placement_reply(placement).await?),
        }))
    }

    async fn get_placement(
        &self,
        request: Request<pb::GetPlacementRequest>,
    ) -> Result<Response<pb::GetPlacementResponse>, Status> {
        caller(&request)?.require(READ)?;
        let id = uuid_field("placement_id", &request.get_ref().placement_id)?;
        let (placement, history) = placements::get(&self.pool, id).await?;
        Ok(Response::new(pb::GetPlacementResponse {
            placement: Some(mapping::placement_proto(&placement, &history)),
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
            placement: Some(self.placement_reply(placement).await?),
        }))
    }

    async fn transfer_placement(
        &self,
        request: Request<pb::TransferPlacementRequest>,
    ) -> Result<Response<pb::TransferPlacementResponse>, Status> {
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
            &self.pool,
            transfers::Transfer {
                request_id: &r.request_id,
                placement_id,
                unit_id,
                transfer_date,
                reason: r.reason.trim(),
                officer: &caller.id,
                home_authority: &self.settings.home_authority,
            },
        )
        .await?;
        Ok(Response::new(pb::TransferPlacementResponse {
            placement: Some(self.placement_reply(placement).await?),
        }))
    }

    async fn request_removal(
        &self,
        request: Request<pb::RequestRemovalRequest>,
    ) -> Result<Response<pb::RequestRemovalResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(TA_STAFF)?;
        let r = request.into_inner();
        let removal = mapping::removal(&r, &caller.id)?;
        let removal = removals::request(&self.pool, &r.request_id, removal).await?;
        Ok(Response::new(pb::RequestRemovalResponse {
            removal: Some(mapping::removal_proto(&removal)),
        }))
    }

    async fn approve_removal(
        &self,
        request: Request<pb::ApproveRemovalRequest>,
    ) -> Result<Response<pb::ApproveRemovalResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(TA_STAFF)?;
        let id = uuid_field("removal_id", &request.get_ref().removal_id)?;
        let removal = removals::approve(&self.pool, id, &caller).await?;
        Ok(Response::new(pb::ApproveRemovalResponse {
            removal: Some(mapping::removal_proto(&removal)),
        }))
    }

    async fn record_s208_notification(
        &self,
        request: Request<pb::RecordS208NotificationRequest>,
    ) -> Result<Response<pb::RecordS208NotificationResponse>, Status> {
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
        let notice = s208::record_sent(&self.pool, placement_id, sent_on).await?;
        Ok(Response::new(pb::RecordS208NotificationResponse {
            notification: Some(mapping::s208_proto(&notice)),
        }))
    }

    async fn propose_transfers(
        &self,
        request: Request<pb::ProposeTransfersRequest>,
    ) -> Result<Response<pb::ProposeTransfersResponse>, Status> {
        caller(&request)?.require(TA_STAFF)?;
        let r = request.into_inner();
        if !(0..=200).contains(&r.candidates_per_household) {
            let mut v = FieldViolations::new();
            v.add("candidates_per_household", "must be between 0 and 200");
            return Err(v.into_status());
        }
        let per_household = match r.candidates_per_household {
            0 => DEFAULT_CANDIDATES,
            n => n as usize,
        };
        let proposal = portfolio::propose(
            &self.pool,
            today(),
            &self.settings.home_authority,
            per_household,
        )
        .await?;
        Ok(Response::new(pb::ProposeTransfersResponse {
            transfers: proposal
                .transfers
                .iter()
                .map(|t| pb::ProposedTransfer {
                    placement_id: t.placement_id.to_string(),
                    from_unit_id: t.from_unit_id.to_string(),
                    to_unit_id: t.to_unit_id.to_string(),
                    points_before: t.points_before,
                    points_after: t.points_after,
                    parts_before: mapping::score_parts_proto(&t.before),
                    parts_after: mapping::score_parts_proto(&t.after),
                })
                .collect(),
            total_points_now: proposal.total_now,
            total_points_proposed: proposal.total_proposed,
            total_points_greedy: proposal.total_greedy,
        }))
    }

    async fn get_figures(
        &self,
        request: Request<pb::GetFiguresRequest>,
    ) -> Result<Response<pb::GetFiguresResponse>, Status> {
        caller(&request)?.require(READ)?;
        let on = match request.get_ref().on.as_str() {
            "" => today(),
            on => date_field("on", on)?,
        };
        let figures = portfolio::figures(&self.pool, on, &self.settings.home_authority).await?;
        Ok(Response::new(pb::GetFiguresResponse {
            on: format_date(on),
            by_unit_type: figures
                .by_unit_type
                .iter()
                .map(|(t, n)| pb::PlacementsOfType {
                    unit_type: mapping::unit_type_proto(*t) as i32,
                    placements: *n as i32,
                })
                .collect(),
            families_in_bed_and_breakfast_over_six_weeks: figures.families_in_bnb_over_six_weeks
                as i32,
            out_of_district: figures.out_of_district as i32,
            csv: portfolio::csv(&figures),
        }))
    }

    async fn submit_invoice(
        &self,
        request: Request<pb::SubmitInvoiceRequest>,
    ) -> Result<Response<pb::SubmitInvoiceResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(TA_STAFF)?;
        let r = request.into_inner();
        let (invoice, claimed) = mapping::invoice(&r, &caller.id)?;
        let invoice = invoices::submit(&self.pool, &r.request_id, invoice, claimed).await?;
        Ok(Response::new(pb::SubmitInvoiceResponse {
            invoice: Some(mapping::invoice_proto(&invoice)?),
        }))
    }

    async fn approve_invoice(
        &self,
        request: Request<pb::ApproveInvoiceRequest>,
    ) -> Result<Response<pb::ApproveInvoiceResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(TA_STAFF)?;
        let id = uuid_field("invoice_id", &request.get_ref().invoice_id)?;
        let invoice = invoices::approve(&self.pool, id, &caller.id).await?;
        Ok(Response::new(pb::ApproveInvoiceResponse {
            invoice: Some(mapping::invoice_proto(&invoice)?),
        }))
    }

    async fn get_voids(
        &self,
        request: Request<pb::GetVoidsRequest>,
    ) -> Result<Response<pb::GetVoidsResponse>, Status> {
        caller(&request)?.require(READ)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let start = v.date("period_start", &r.period_start);
        let end = v.date("period_end", &r.period_end);
        let (Some(start), Some(end)) = (start, end) else {
            return Err(v.into_status());
        };
        if end <= start {
            v.add(
                "period_end",
                format!("{end} is not after the period start {start}"),
            );
        }
        v.into_result(())?;
        let voids = invoices::voids(&self.pool, start, end).await?;
        // Nights go out in 32 bits: a count beyond them reads as the most they hold.
        let nights = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
        Ok(Response::new(pb::GetVoidsResponse {
            void_nights: nights(voids.nights),
            void_loss_pence: voids.loss_pence.get(),
            units: voids
                .units
                .iter()
                .map(|u| pb::UnitVoid {
                    unit_id: u.unit_id.to_string(),
                    void_nights: nights(u.nights),
                    void_loss_pence: u.loss_pence.get(),
                })
                .collect(),
        }))
    }

    async fn log_concern(
        &self,
        request: Request<pb::LogConcernRequest>,
    ) -> Result<Response<pb::LogConcernResponse>, Status> {
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
            &self.pool,
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

    async fn act_on_concern(
        &self,
        request: Request<pb::ActOnConcernRequest>,
    ) -> Result<Response<pb::ActOnConcernResponse>, Status> {
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
        let concern = concerns::act(&self.pool, id, status, r.note.trim(), &caller.id).await?;
        Ok(Response::new(pb::ActOnConcernResponse {
            concern: Some(mapping::concern_proto(&concern)),
        }))
    }

    async fn list_concerns(
        &self,
        request: Request<pb::ListConcernsRequest>,
    ) -> Result<Response<pb::ListConcernsResponse>, Status> {
        caller(&request)?.require(READ)?;
        let unit_id = uuid_field("unit_id", &request.get_ref().unit_id)?;
        let list = concerns::for_unit(&self.pool, unit_id).await?;
        Ok(Response::new(pb::ListConcernsResponse {
            concerns: list.iter().map(mapping::concern_proto).collect(),
        }))
    }
}

impl Accommodation {
    async fn placement_reply(&self, placement: PlacementRecord) -> Result<pb::Placement, Status> {
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        let history = placements::history(&mut conn, placement.id).await?;
        Ok(mapping::placement_proto(&placement, &history))
    }
}
