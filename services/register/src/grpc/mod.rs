//! The register's gRPC API: proto to domain and back, errors to status codes.

mod lettings_answers;
mod mapping;
mod returns;
mod service;

use std::sync::Arc;

use housing_events::host::Host;
use housing_proto::register::v1::register_service_server::RegisterServiceServer;
use housing_proto::register::v1::returns_service_server::ReturnsServiceServer;

use crate::domain::scheme::Scheme;

pub const SERVICE_NAMES: &[&str] = &[
    "housing.register.v1.RegisterService",
    "housing.register.v1.ReturnsService",
];

pub fn routes(host: &Host, scheme: Arc<Scheme>) -> tonic::service::Routes {
    let service = service::Register {
        pool: host.pool.clone(),
        scheme,
    };
    let server = RegisterServiceServer::new(service)
        .max_decoding_message_size(host.max_message_bytes)
        .max_encoding_message_size(host.max_message_bytes);
    let returns = ReturnsServiceServer::new(returns::Returns {
        pool: host.pool.clone(),
    })
    .max_decoding_message_size(host.max_message_bytes)
    .max_encoding_message_size(host.max_message_bytes);
    let mut routes = tonic::service::RoutesBuilder::default();
    routes.add_service(host.authenticated(server));
    routes.add_service(host.authenticated(returns));
    routes.routes()
}
