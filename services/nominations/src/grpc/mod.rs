//! Nominations' gRPC API: the staff service and the partner-facing service.

mod core_log;
mod lists;
mod mapping;
mod partner;
mod returns;
mod staff;

use std::sync::Arc;

use housing_events::host::Host;
use housing_platform::calendar::WorkingDays;
use housing_proto::nominations::v1::nominations_service_server::NominationsServiceServer;
use housing_proto::nominations::v1::partner_service_server::PartnerServiceServer;
use housing_proto::nominations::v1::returns_service_server::ReturnsServiceServer;

use crate::app::register::Register;

/// The staff port. Partners are not served here: they connect with mutual TLS to the
/// partner port, and their tokens are refused on this one.
pub const SERVICE_NAMES: &[&str] = &[
    "housing.nominations.v1.NominationsService",
    "housing.nominations.v1.ReturnsService",
];

pub fn routes(
    host: &Host,
    register: Register,
    settings: &crate::ServiceSettings,
) -> tonic::service::Routes {
    let staff = NominationsServiceServer::new(staff::Staff {
        pool: host.pool.clone(),
        register: register.clone(),
        bid_limit: settings.bid_limit,
        incentive_per_bedroom_pence: settings.incentive_per_bedroom_pence,
        home_loss: settings.home_loss.clone(),
        calendar: WorkingDays::england_and_wales(settings.closed_days.iter().copied()),
    })
    .max_decoding_message_size(host.max_message_bytes)
    .max_encoding_message_size(host.max_message_bytes);
    let returns = ReturnsServiceServer::new(returns::Returns {
        pool: host.pool.clone(),
        register,
        council: Arc::new(settings.core.clone()),
    })
    .max_encoding_message_size(host.max_message_bytes);
    let mut routes = tonic::service::RoutesBuilder::default();
    routes.add_service(host.authenticated(staff));
    routes.add_service(host.authenticated(returns));
    routes.routes()
}

pub const PARTNER_SERVICE_NAMES: &[&str] = &["housing.nominations.v1.PartnerService"];

/// The partner service alone, for the mutual TLS port: the client certificate is the
/// credential, so no token is asked for.
pub fn partner_routes(host: &Host, settings: &crate::ServiceSettings) -> tonic::service::Routes {
    let partner = PartnerServiceServer::new(partner::Partners {
        pool: host.pool.clone(),
        stop: host.stop_token(),
        council: Arc::new(settings.core.clone()),
    })
    .max_decoding_message_size(host.max_message_bytes)
    .max_encoding_message_size(host.max_message_bytes);
    let mut routes = tonic::service::RoutesBuilder::default();
    routes.add_service(partner);
    routes.routes()
}
