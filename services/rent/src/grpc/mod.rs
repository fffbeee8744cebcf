//! The rent service's gRPC API. Each area's handlers live in a file of their own and stay
//! thin: the caller's roles, the request mapped to a typed command ([`mapping`]), the use
//! case, the reply.

mod accounts;
mod adjustments;
mod arrears;
mod bonds;
mod charges;
mod figures;
mod mapping;
mod payables;
mod payments;
mod returns;
mod statements;
mod write_offs;

use crate::domain::arrears::Thresholds;
use housing_events::host::Host;
use housing_platform::auth::Role;
use housing_platform::db::Pool;
use housing_proto::rent::v1::{
    self as pb,
    rent_service_server::{RentService, RentServiceServer},
};
use tonic::{Request, Response, Status};

pub const SERVICE_NAMES: &[&str] = &[
    "housing.rent.v1.RentService",
    "housing.rent.v1.ReturnsService",
];

pub fn routes(host: &Host, thresholds: Thresholds) -> tonic::service::Routes {
    let server = RentServiceServer::new(Rent {
        pool: host.pool.clone(),
        thresholds,
    })
    .max_decoding_message_size(host.max_message_bytes)
    .max_encoding_message_size(host.max_message_bytes);
    let returns = pb::returns_service_server::ReturnsServiceServer::new(returns::Returns {
        pool: host.pool.clone(),
    })
    .max_decoding_message_size(host.max_message_bytes)
    .max_encoding_message_size(host.max_message_bytes);
    let mut routes = tonic::service::RoutesBuilder::default();
    routes.add_service(host.authenticated(server));
    routes.add_service(host.authenticated(returns));
    routes.routes()
}

struct Rent {
    pool: Pool,
    thresholds: Thresholds,
}

const READ: &[Role] = &[Role::IncomeOfficer, Role::TaOfficer, Role::Manager];
const INCOME: &[Role] = &[Role::IncomeOfficer, Role::Manager];

type Reply<T> = Result<Response<T>, Status>;

#[tonic::async_trait]
impl RentService for Rent {
    async fn get_account(
        &self,
        r: Request<pb::GetAccountRequest>,
    ) -> Reply<pb::GetAccountResponse> {
        accounts::get_account(&self.pool, r).await
    }

    async fn run_weekly_charges(
        &self,
        r: Request<pb::RunWeeklyChargesRequest>,
    ) -> Reply<pb::RunWeeklyChargesResponse> {
        charges::run_weekly_charges(&self.pool, r).await
    }

    async fn get_charge_run(
        &self,
        r: Request<pb::GetChargeRunRequest>,
    ) -> Reply<pb::GetChargeRunResponse> {
        charges::get_charge_run(&self.pool, r).await
    }

    async fn record_payment(
        &self,
        r: Request<pb::RecordPaymentRequest>,
    ) -> Reply<pb::RecordPaymentResponse> {
        payments::record_payment(&self.pool, r).await
    }

    async fn import_payments(
        &self,
        r: Request<pb::ImportPaymentsRequest>,
    ) -> Reply<pb::ImportPaymentsResponse> {
        payments::import_payments(&self.pool, r).await
    }

    async fn get_statement(
        &self,
        r: Request<pb::GetStatementRequest>,
    ) -> Reply<pb::GetStatementResponse> {
        statements::get_statement(&self.pool, r).await
    }

    async fn post_adjustment(
        &self,
        r: Request<pb::PostAdjustmentRequest>,
    ) -> Reply<pb::PostAdjustmentResponse> {
        adjustments::post_adjustment(&self.pool, r).await
    }

    async fn reverse_journal(
        &self,
        r: Request<pb::ReverseJournalRequest>,
    ) -> Reply<pb::ReverseJournalResponse> {
        adjustments::reverse_journal(&self.pool, r).await
    }

    async fn review_arrears(
        &self,
        r: Request<pb::ReviewArrearsRequest>,
    ) -> Reply<pb::ReviewArrearsResponse> {
        arrears::review_arrears(&self.pool, &self.thresholds, r).await
    }

    async fn create_payment_plan(
        &self,
        r: Request<pb::CreatePaymentPlanRequest>,
    ) -> Reply<pb::CreatePaymentPlanResponse> {
        arrears::create_payment_plan(&self.pool, r).await
    }

    async fn get_arrears(
        &self,
        r: Request<pb::GetArrearsRequest>,
    ) -> Reply<pb::GetArrearsResponse> {
        arrears::get_arrears(&self.pool, r).await
    }

    async fn get_income_figures(
        &self,
        r: Request<pb::GetIncomeFiguresRequest>,
    ) -> Reply<pb::GetIncomeFiguresResponse> {
        figures::get_income_figures(&self.pool, r).await
    }

    async fn issue_bond(&self, r: Request<pb::IssueBondRequest>) -> Reply<pb::IssueBondResponse> {
        bonds::issue_bond(&self.pool, r).await
    }

    async fn claim_bond(&self, r: Request<pb::ClaimBondRequest>) -> Reply<pb::ClaimBondResponse> {
        bonds::claim_bond(&self.pool, r).await
    }

    async fn record_bond_repayment(
        &self,
        r: Request<pb::RecordBondRepaymentRequest>,
    ) -> Reply<pb::RecordBondRepaymentResponse> {
        bonds::record_bond_repayment(&self.pool, r).await
    }

    async fn get_bond(&self, r: Request<pb::GetBondRequest>) -> Reply<pb::GetBondResponse> {
        bonds::get_bond(&self.pool, r).await
    }

    async fn list_bonds(&self, r: Request<pb::ListBondsRequest>) -> Reply<pb::ListBondsResponse> {
        bonds::list_bonds(&self.pool, r).await
    }

    async fn list_payables(
        &self,
        r: Request<pb::ListPayablesRequest>,
    ) -> Reply<pb::ListPayablesResponse> {
        payables::list_payables(&self.pool, r).await
    }

    async fn pay_payable(
        &self,
        r: Request<pb::PayPayableRequest>,
    ) -> Reply<pb::PayPayableResponse> {
        payables::pay_payable(&self.pool, r).await
    }

    async fn list_accounts(
        &self,
        r: Request<pb::ListAccountsRequest>,
    ) -> Reply<pb::ListAccountsResponse> {
        accounts::list_accounts(&self.pool, r).await
    }

    async fn request_write_off(
        &self,
        r: Request<pb::RequestWriteOffRequest>,
    ) -> Reply<pb::RequestWriteOffResponse> {
        write_offs::request_write_off(&self.pool, r).await
    }

    async fn list_write_offs(
        &self,
        r: Request<pb::ListWriteOffsRequest>,
    ) -> Reply<pb::ListWriteOffsResponse> {
        write_offs::list_write_offs(&self.pool, r).await
    }

    async fn decide_write_off(
        &self,
        r: Request<pb::DecideWriteOffRequest>,
    ) -> Reply<pb::DecideWriteOffResponse> {
        write_offs::decide_write_off(&self.pool, r).await
    }
}
