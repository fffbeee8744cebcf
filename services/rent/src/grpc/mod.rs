//! The rent service's gRPC API.

use housing_events::host::Host;
use housing_platform::auth::{Role, caller};
use housing_platform::errors::FieldViolations;
use housing_platform::time::{format_date, format_optional_date};
use housing_proto::rent::v1::{
    self as pb,
    get_account_request::Key as PbKey,
    rent_service_server::{RentService, RentServiceServer},
};
use sqlx::PgPool;
use tonic::service::interceptor::InterceptedService;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use crate::app::accounts;
use crate::db::accounts::{AccountStatus, Key};

pub const SERVICE_NAMES: &[&str] = &["housing.rent.v1.RentService"];

pub fn routes(host: &Host) -> tonic::service::Routes {
    let server = RentServiceServer::new(Rent {
        pool: host.pool.clone(),
    })
    .max_decoding_message_size(host.max_message_bytes)
    .max_encoding_message_size(host.max_message_bytes);
    let mut routes = tonic::service::RoutesBuilder::default();
    routes.add_service(InterceptedService::new(server, host.auth.interceptor()));
    routes.routes()
}

struct Rent {
    pool: PgPool,
}

const READ: &[Role] = &[Role::IncomeOfficer, Role::TaOfficer, Role::Manager];

#[tonic::async_trait]
impl RentService for Rent {
    async fn get_account(
        &self,
        request: Request<pb::GetAccountRequest>,
    ) -> Result<Response<pb::GetAccountResponse>, Status> {
        caller(&request)?.require(READ)?;
        let mut v = FieldViolations::new();
        let key = match &request.get_ref().key {
            Some(PbKey::AccountId(id)) => Uuid::parse_str(id)
                .map(Key::Account)
                .map_err(|_| v.add("account_id", "must be a UUID"))
                .ok(),
            Some(PbKey::PlacementId(id)) => Uuid::parse_str(id)
                .map(Key::Placement)
                .map_err(|_| v.add("placement_id", "must be a UUID"))
                .ok(),
            None => {
                v.add("key", "account_id or placement_id is required");
                None
            }
        };
        let Some(key) = key else {
            return Err(v.into_status());
        };
        let (account, balance) = accounts::get(&self.pool, key).await?;
        Ok(Response::new(pb::GetAccountResponse {
            account: Some(pb::RentAccount {
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
                balance_pence: balance,
                opened_on: format_date(account.opened_on),
                closed_on: format_optional_date(account.closed_on),
            }),
        }))
    }
}
