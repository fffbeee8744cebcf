//! Tracing for every service: logs to stdout, spans to an OTLP collector when one is set,
//! and W3C trace context carried across gRPC calls and NATS events.

use std::sync::OnceLock;

use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::settings::{LogFormat, TelemetrySettings};

/// Flushes spans still in the exporter's buffer when dropped at shutdown.
pub struct TelemetryGuard {
    provider: SdkTracerProvider,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Err(error) = self.provider.shutdown() {
            eprintln!("telemetry shutdown: {error}");
        }
    }
}

/// Installs the global subscriber once per process; later calls (tests that start several
/// services in one process) get `None` and share the first.
pub fn init(
    service: &'static str,
    settings: &TelemetrySettings,
) -> anyhow::Result<Option<TelemetryGuard>> {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    if INSTALLED.set(()).is_err() {
        return Ok(None);
    }
    crate::metrics::install(service, &settings.otlp_endpoint)?;

    // Spans always get real trace ids, so `traceparent` is carried even with no collector.
    let mut builder = SdkTracerProvider::builder().with_resource(
        opentelemetry_sdk::Resource::builder()
            .with_service_name(service)
            .build(),
    );
    if !settings.otlp_endpoint.is_empty() {
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_tonic()
            .with_endpoint(settings.otlp_endpoint.clone())
            .build()?;
        builder = builder.with_batch_exporter(exporter);
    }
    let provider = builder.build();
    let tracer = provider.tracer(service);
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());

    // The log filter applies to logs only: spans are always made, so the trace context is
    // carried into events even when logs are quiet.
    let filter = EnvFilter::try_new(&settings.log_filter)?;
    let otel = tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_filter(LevelFilter::INFO);
    let registry = tracing_subscriber::registry().with(otel);
    let result = match settings.log_format {
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_filter(filter),
            )
            .try_init(),
        // Colour only for a person at a terminal: a log file or collector gets plain text.
        LogFormat::Pretty => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
                    .with_filter(filter),
            )
            .try_init(),
    };
    // Another subscriber (a test harness's) may already be installed: keep it.
    if result.is_err() {
        return Ok(None);
    }
    Ok(Some(TelemetryGuard { provider }))
}

/// Writes the current span's context as `traceparent` (and `tracestate`) into a carrier.
pub fn inject_current(carrier: &mut dyn Injector) {
    let context = Span::current().context();
    TraceContextPropagator::new().inject_context(&context, carrier);
}

/// Makes `span` a child of the trace context found in a carrier, if any.
pub fn continue_from(span: &Span, carrier: &dyn Extractor) {
    let parent = TraceContextPropagator::new().extract(carrier);
    // A carrier without a valid context leaves the span a root; nothing to report.
    let _ = span.set_parent(parent);
}

/// The current span's `traceparent`, for storing beside an outbox row.
pub fn current_traceparent() -> Option<String> {
    let mut map = std::collections::HashMap::new();
    inject_current(&mut map);
    map.remove("traceparent")
}

/// gRPC metadata as a propagation carrier.
pub struct HeaderCarrier<'a>(pub &'a http::HeaderMap);

impl Extractor for HeaderCarrier<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }
    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}

/// Outgoing gRPC metadata as a propagation carrier.
pub struct MetadataInjector<'a>(pub &'a mut tonic::metadata::MetadataMap);

impl Injector for MetadataInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        if let (Ok(key), Ok(value)) = (
            tonic::metadata::MetadataKey::from_bytes(key.as_bytes()),
            value.parse(),
        ) {
            self.0.insert(key, value);
        }
    }
}

/// Adds the current trace context to an outgoing request, so the callee's spans join it.
pub fn propagate<T>(mut request: tonic::Request<T>) -> tonic::Request<T> {
    inject_current(&mut MetadataInjector(request.metadata_mut()));
    request
}
