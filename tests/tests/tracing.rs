//! One trace end to end, as an OTLP collector receives it: the officer's gRPC call to
//! temporary accommodation, the publication of the event it wrote to the outbox, and the
//! rent service consuming it, each the child of the one before. The collector is a real
//! OTLP/gRPC receiver built from OpenTelemetry's proto definitions.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{as_role, place_a_household, start_accommodation, start_rent};
use housing_platform::auth::Role;
use housing_platform::settings::{LogFormat, TelemetrySettings};
use housing_proto::accommodation::v1::accommodation_service_client::AccommodationServiceClient;
use housing_testkit::{eventually, servers, unique_prefix};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::trace::v1::Span;

#[derive(Clone, Default)]
struct Collector {
    spans: Arc<Mutex<Vec<Span>>>,
}

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let spans = request
            .into_inner()
            .resource_spans
            .into_iter()
            .flat_map(|r| r.scope_spans)
            .flat_map(|s| s.spans);
        self.spans.lock().unwrap().extend(spans);
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}

fn attribute<'a>(span: &'a Span, key: &str) -> Option<&'a str> {
    span.attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| match kv.value.as_ref()?.value.as_ref()? {
            Value::StringValue(s) => Some(s.as_str()),
            _ => None,
        })
}

#[tokio::test]
async fn a_call_its_event_and_the_consumers_work_are_one_trace() {
    let collector = Collector::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(TraceServiceServer::new(collector.clone()))
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener)),
    );
    // The process's telemetry, installed first: every service started here exports to it.
    let _telemetry = housing_platform::telemetry::init(
        "journeys",
        &TelemetrySettings {
            log_filter: "warn".into(),
            log_format: LogFormat::Pretty,
            otlp_endpoint: endpoint,
        },
    )
    .unwrap()
    .expect("this test's process installs telemetry first");

    let prefix = unique_prefix();
    let accommodation = start_accommodation(servers::nats_url(), &prefix, None).await;
    let rent_service = start_rent(servers::nats_url(), &prefix).await;
    let mut client =
        AccommodationServiceClient::new(as_role(&accommodation, Role::TaOfficer).await);
    place_a_household(&mut client).await;

    let (call, publish, consume) = eventually(
        Duration::from_secs(40),
        "the call, the publication and the consumer's work exported",
        || async {
            let spans = collector.spans.lock().unwrap().clone();
            let call = spans.iter().find(|s| {
                s.name == "grpc"
                    && attribute(s, "path").is_some_and(|p| p.ends_with("/StartPlacement"))
            })?;
            let publish = spans.iter().find(|s| {
                s.name == "publish"
                    && attribute(s, "subject") == Some("housing.accommodation.placement.started.v1")
            })?;
            let consume = spans.iter().find(|s| {
                s.name == "consume" && attribute(s, "consumer") == Some("rent-placements")
            })?;
            Some((call.clone(), publish.clone(), consume.clone()))
        },
    )
    .await;
    assert_eq!(
        publish.trace_id, call.trace_id,
        "the publication joins the call's trace"
    );
    assert_eq!(
        publish.parent_span_id, call.span_id,
        "published within the call"
    );
    assert_eq!(
        consume.trace_id, call.trace_id,
        "the consumer's work joins it too"
    );
    assert_eq!(
        consume.parent_span_id, publish.span_id,
        "consumed from that publication"
    );

    // The rent account's own event carries the same trace on to its consumers.
    let pool = rent_service.db.pool().await;
    let traceparent: String = sqlx::query_scalar(
        "SELECT traceparent FROM outbox WHERE subject = 'housing.rent.account.opened.v1'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let trace_hex: String = call.trace_id.iter().map(|b| format!("{b:02x}")).collect();
    assert!(
        traceparent.contains(&trace_hex),
        "{traceparent} is not in trace {trace_hex}"
    );
    accommodation.running.stop().await.unwrap();
    rent_service.running.stop().await.unwrap();
}
