//! Temporary accommodation's gRPC API. Each area's handlers live in a file of their own and
//! stay thin: the caller's roles, the request checked and mapped ([`mapping`]), the use case,
//! the reply.

mod closure_reviews;
mod figures;
mod invoices;
pub mod mapping;
mod matching;
mod placements;
mod providers;
mod removals;
mod returns;
mod stock;

use std::sync::Arc;

use housing_events::host::Host;
use housing_platform::auth::Role;
use housing_platform::db::Pool;
use housing_proto::accommodation::v1::{
    self as pb,
    accommodation_service_server::{AccommodationService, AccommodationServiceServer},
};
use tonic::{Request, Response, Status};

use crate::ServiceSettings;
use crate::app::vacancies::Vacancies;
use housing_platform::register::Register;

pub const SERVICE_NAMES: &[&str] = &[
    "housing.accommodation.v1.AccommodationService",
    "housing.accommodation.v1.ReturnsService",
];

pub fn routes(
    host: &Host,
    settings: Arc<ServiceSettings>,
    register: Option<Register>,
) -> tonic::service::Routes {
    let returns = pb::returns_service_server::ReturnsServiceServer::new(returns::Returns {
        pool: host.pool.clone(),
        settings: settings.clone(),
    })
    .max_decoding_message_size(host.max_message_bytes)
    .max_encoding_message_size(host.max_message_bytes);
    let service = Accommodation {
        pool: host.pool.clone(),
        vacancies: Vacancies::new(&settings.home_authority),
        settings,
        register,
    };
    let server = AccommodationServiceServer::new(service)
        .max_decoding_message_size(host.max_message_bytes)
        .max_encoding_message_size(host.max_message_bytes);
    let mut routes = tonic::service::RoutesBuilder::default();
    routes.add_service(host.authenticated(server));
    routes.add_service(host.authenticated(returns));
    routes.routes()
}

struct Accommodation {
    pool: Pool,
    settings: Arc<ServiceSettings>,
    vacancies: Vacancies,
    register: Option<Register>,
}

const TA_STAFF: &[Role] = &[Role::TaOfficer, Role::Manager];
const READ: &[Role] = &[
    Role::TaOfficer,
    Role::Manager,
    Role::IncomeOfficer,
    Role::AllocationsOfficer,
    Role::SeniorOfficer,
];

type Reply<T> = Result<Response<T>, Status>;

#[tonic::async_trait]
impl AccommodationService for Accommodation {
    async fn create_provider(
        &self,
        r: Request<pb::CreateProviderRequest>,
    ) -> Reply<pb::CreateProviderResponse> {
        providers::create_provider(&self.pool, r).await
    }

    async fn update_provider(
        &self,
        r: Request<pb::UpdateProviderRequest>,
    ) -> Reply<pb::UpdateProviderResponse> {
        providers::update_provider(&self.pool, r).await
    }

    async fn get_provider(
        &self,
        r: Request<pb::GetProviderRequest>,
    ) -> Reply<pb::GetProviderResponse> {
        providers::get_provider(&self.pool, r).await
    }

    async fn add_agreement(
        &self,
        r: Request<pb::AddAgreementRequest>,
    ) -> Reply<pb::AddAgreementResponse> {
        providers::add_agreement(&self.pool, r).await
    }

    async fn list_providers(
        &self,
        r: Request<pb::ListProvidersRequest>,
    ) -> Reply<pb::ListProvidersResponse> {
        providers::list_providers(&self.pool, r).await
    }

    async fn create_unit(
        &self,
        r: Request<pb::CreateUnitRequest>,
    ) -> Reply<pb::CreateUnitResponse> {
        stock::create_unit(&self.pool, r).await
    }

    async fn create_placement_request(
        &self,
        r: Request<pb::CreatePlacementRequestRequest>,
    ) -> Reply<pb::CreatePlacementRequestResponse> {
        matching::create_placement_request(&self.pool, self.register.as_ref(), r).await
    }

    async fn rank_units(&self, r: Request<pb::RankUnitsRequest>) -> Reply<pb::RankUnitsResponse> {
        matching::rank_units(
            &self.pool,
            &self.vacancies,
            &self.settings.home_authority,
            r,
        )
        .await
    }

    async fn start_placement(
        &self,
        r: Request<pb::StartPlacementRequest>,
    ) -> Reply<pb::StartPlacementResponse> {
        placements::start_placement(
            &self.pool,
            &self.settings.home_authority,
            &self.vacancies,
            r,
        )
        .await
    }

    async fn get_placement(
        &self,
        r: Request<pb::GetPlacementRequest>,
    ) -> Reply<pb::GetPlacementResponse> {
        placements::get_placement(&self.pool, r).await
    }

    async fn list_placements(
        &self,
        r: Request<pb::ListPlacementsRequest>,
    ) -> Reply<pb::ListPlacementsResponse> {
        placements::list_placements(&self.pool, r).await
    }

    async fn close_placement(
        &self,
        r: Request<pb::ClosePlacementRequest>,
    ) -> Reply<pb::ClosePlacementResponse> {
        placements::close_placement(&self.pool, r).await
    }

    async fn transfer_placement(
        &self,
        r: Request<pb::TransferPlacementRequest>,
    ) -> Reply<pb::TransferPlacementResponse> {
        placements::transfer_placement(
            &self.pool,
            &self.settings.home_authority,
            &self.vacancies,
            r,
        )
        .await
    }

    async fn request_removal(
        &self,
        r: Request<pb::RequestRemovalRequest>,
    ) -> Reply<pb::RequestRemovalResponse> {
        removals::request_removal(&self.pool, r).await
    }

    async fn approve_removal(
        &self,
        r: Request<pb::ApproveRemovalRequest>,
    ) -> Reply<pb::ApproveRemovalResponse> {
        removals::approve_removal(&self.pool, r).await
    }

    async fn decline_removal(
        &self,
        r: Request<pb::DeclineRemovalRequest>,
    ) -> Reply<pb::DeclineRemovalResponse> {
        removals::decline_removal(&self.pool, r).await
    }

    async fn list_removals(
        &self,
        r: Request<pb::ListRemovalsRequest>,
    ) -> Reply<pb::ListRemovalsResponse> {
        removals::list_removals(&self.pool, r).await
    }

    async fn record_s208_notification(
        &self,
        r: Request<pb::RecordS208NotificationRequest>,
    ) -> Reply<pb::RecordS208NotificationResponse> {
        placements::record_s208_notification(&self.pool, r).await
    }

    async fn propose_transfers(
        &self,
        r: Request<pb::ProposeTransfersRequest>,
    ) -> Reply<pb::ProposeTransfersResponse> {
        matching::propose_transfers(&self.pool, &self.settings.home_authority, r).await
    }

    async fn get_figures(
        &self,
        r: Request<pb::GetFiguresRequest>,
    ) -> Reply<pb::GetFiguresResponse> {
        figures::get_figures(&self.pool, &self.settings.home_authority, r).await
    }

    async fn submit_invoice(
        &self,
        r: Request<pb::SubmitInvoiceRequest>,
    ) -> Reply<pb::SubmitInvoiceResponse> {
        invoices::submit_invoice(&self.pool, r).await
    }

    async fn approve_invoice(
        &self,
        r: Request<pb::ApproveInvoiceRequest>,
    ) -> Reply<pb::ApproveInvoiceResponse> {
        invoices::approve_invoice(&self.pool, r).await
    }

    async fn list_invoices(
        &self,
        r: Request<pb::ListInvoicesRequest>,
    ) -> Reply<pb::ListInvoicesResponse> {
        invoices::list_invoices(&self.pool, r).await
    }

    async fn get_invoice(
        &self,
        r: Request<pb::GetInvoiceRequest>,
    ) -> Reply<pb::GetInvoiceResponse> {
        invoices::get_invoice(&self.pool, r).await
    }

    async fn get_voids(&self, r: Request<pb::GetVoidsRequest>) -> Reply<pb::GetVoidsResponse> {
        invoices::get_voids(&self.pool, r).await
    }

    async fn log_concern(
        &self,
        r: Request<pb::LogConcernRequest>,
    ) -> Reply<pb::LogConcernResponse> {
        stock::log_concern(&self.pool, r).await
    }

    async fn act_on_concern(
        &self,
        r: Request<pb::ActOnConcernRequest>,
    ) -> Reply<pb::ActOnConcernResponse> {
        stock::act_on_concern(&self.pool, r).await
    }

    async fn list_concerns(
        &self,
        r: Request<pb::ListConcernsRequest>,
    ) -> Reply<pb::ListConcernsResponse> {
        stock::list_concerns(&self.pool, r).await
    }

    async fn list_closure_reviews(
        &self,
        r: Request<pb::ListClosureReviewsRequest>,
    ) -> Reply<pb::ListClosureReviewsResponse> {
        closure_reviews::list_closure_reviews(&self.pool, r).await
    }

    async fn decide_closure_review(
        &self,
        r: Request<pb::DecideClosureReviewRequest>,
    ) -> Reply<pb::DecideClosureReviewResponse> {
        closure_reviews::decide_closure_review(&self.pool, r).await
    }

    async fn record_s213aa_consent(
        &self,
        r: Request<pb::RecordS213aaConsentRequest>,
    ) -> Reply<pb::RecordS213aaConsentResponse> {
        placements::record_s213aa_consent(&self.pool, &self.settings.home_authority, r).await
    }

    async fn get_unit(&self, r: Request<pb::GetUnitRequest>) -> Reply<pb::GetUnitResponse> {
        stock::get_unit(&self.pool, r).await
    }

    async fn list_units(&self, r: Request<pb::ListUnitsRequest>) -> Reply<pb::ListUnitsResponse> {
        stock::list_units(&self.pool, r).await
    }

    async fn update_unit(
        &self,
        r: Request<pb::UpdateUnitRequest>,
    ) -> Reply<pb::UpdateUnitResponse> {
        stock::update_unit(&self.pool, r).await
    }

    async fn renew_certificate(
        &self,
        r: Request<pb::RenewCertificateRequest>,
    ) -> Reply<pb::RenewCertificateResponse> {
        stock::renew_certificate(&self.pool, r).await
    }

    async fn withdraw_unit(
        &self,
        r: Request<pb::WithdrawUnitRequest>,
    ) -> Reply<pb::WithdrawUnitResponse> {
        stock::withdraw_unit(&self.pool, r).await
    }
}
