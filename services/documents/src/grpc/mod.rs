//! The documents service's gRPC API.

mod chunks;
pub mod mapping;
mod service;

use std::sync::Arc;

use housing_events::host::Host;
use housing_proto::documents::v1::documents_service_server::DocumentsServiceServer;

use crate::app::blobs::Blobs;
use crate::domain::retention::Periods;

pub const SERVICE_NAMES: &[&str] = &["housing.documents.v1.DocumentsService"];

pub fn routes(
    host: &Host,
    blobs: Blobs,
    max_upload_bytes: u64,
    periods: Arc<Periods>,
) -> tonic::service::Routes {
    let server = DocumentsServiceServer::new(service::Documents {
        pool: host.pool.clone(),
        blobs,
        max_upload_bytes,
        periods,
    })
    .max_decoding_message_size(host.max_message_bytes)
    .max_encoding_message_size(host.max_message_bytes);
    let mut routes = tonic::service::RoutesBuilder::default();
    routes.add_service(host.authenticated(server));
    routes.routes()
}
