//! Temporary accommodation's gRPC API.

pub mod mapping;
mod service;

use std::sync::Arc;

use housing_events::host::Host;
use housing_proto::accommodation::v1::accommodation_service_server::AccommodationServiceServer;

use crate::ServiceSettings;

pub const SERVICE_NAMES: &[&str] = &["housing.accommodation.v1.AccommodationService"];

pub fn routes(host: &Host, settings: Arc<ServiceSettings>) -> tonic::service::Routes {
    let service = service::Accommodation {
        pool: host.pool.clone(),
        settings,
        vacancies: Default::default(),
    };
    let server = AccommodationServiceServer::new(service)
        .max_decoding_message_size(host.max_message_bytes)
        .max_encoding_message_size(host.max_message_bytes);
    let mut routes = tonic::service::RoutesBuilder::default();
    routes.add_service(host.authenticated(server));
    routes.routes()
}
