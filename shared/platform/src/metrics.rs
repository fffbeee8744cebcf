//! Metrics in OpenTelemetry's semantic conventions, from every instrument the platform
//! records through the global meter: exported over OTLP when a collector is configured, and
//! read by Prometheus from the admin port's `/metrics` in its text format.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock, Weak};
use std::time::Duration;

use opentelemetry::KeyValue;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, MetricData, ResourceMetrics};
use opentelemetry_sdk::metrics::reader::MetricReader;
use opentelemetry_sdk::metrics::{
    InstrumentKind, ManualReader, Pipeline, SdkMeterProvider, Temporality,
};

/// What Prometheus reads: cumulative totals, collected on each scrape.
static SCRAPED: OnceLock<Arc<ManualReader>> = OnceLock::new();

/// The reader the meter provider owns, shared with the scrape endpoint.
#[derive(Debug, Clone)]
struct Shared(Arc<ManualReader>);

impl MetricReader for Shared {
    fn register_pipeline(&self, pipeline: Weak<Pipeline>) {
        self.0.register_pipeline(pipeline)
    }
    fn collect(&self, rm: &mut ResourceMetrics) -> OTelSdkResult {
        self.0.collect(rm)
    }
    fn force_flush(&self) -> OTelSdkResult {
        self.0.force_flush()
    }
    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.0.shutdown_with_timeout(timeout)
    }
    fn temporality(&self, kind: InstrumentKind) -> Temporality {
        self.0.temporality(kind)
    }
}

/// Installs the global meter provider once per process: the scrape reader, and the OTLP
/// exporter when `otlp_endpoint` is set.
pub fn install(service: &'static str, otlp_endpoint: &str) -> anyhow::Result<()> {
    if SCRAPED.get().is_some() {
        return Ok(());
    }
    let reader = Arc::new(
        ManualReader::builder()
            .with_temporality(Temporality::Cumulative)
            .build(),
    );
    let mut builder = SdkMeterProvider::builder()
        .with_resource(
            opentelemetry_sdk::Resource::builder()
                .with_service_name(service)
                .build(),
        )
        .with_reader(Shared(reader.clone()));
    if !otlp_endpoint.is_empty() {
        let exporter = opentelemetry_otlp::MetricExporter::builder()
            .with_tonic()
            .with_endpoint(otlp_endpoint.to_owned())
            .build()?;
        builder = builder.with_periodic_exporter(exporter);
    }
    if SCRAPED.set(reader).is_ok() {
        opentelemetry::global::set_meter_provider(builder.build());
    }
    Ok(())
}

/// The platform's meter.
pub fn meter() -> opentelemetry::metrics::Meter {
    opentelemetry::global::meter("housing")
}

/// Every metric now, in Prometheus's text format; empty before [`install`].
pub fn render() -> String {
    let Some(reader) = SCRAPED.get() else {
        return String::new();
    };
    let mut collected = ResourceMetrics::default();
    if let Err(error) = reader.collect(&mut collected) {
        tracing::warn!(%error, "metrics could not be collected");
        return String::new();
    }
    let mut out = String::new();
    for scope in collected.scope_metrics() {
        for metric in scope.metrics() {
            let name = prometheus_name(metric.name(), metric.unit());
            match metric.data() {
                AggregatedMetrics::F64(data) => {
                    write_metric(&mut out, &name, metric.description(), data)
                }
                AggregatedMetrics::U64(data) => {
                    write_metric(&mut out, &name, metric.description(), data)
                }
                AggregatedMetrics::I64(data) => {
                    write_metric(&mut out, &name, metric.description(), data)
                }
            }
        }
    }
    out
}

/// `rpc.server.call.duration` in seconds becomes `rpc_server_call_duration_seconds`.
fn prometheus_name(name: &str, unit: &str) -> String {
    let mut out = sanitise(name);
    let suffix = match unit {
        "s" => "_seconds",
        "By" => "_bytes",
        _ => "",
    };
    if !out.ends_with(suffix) {
        out.push_str(suffix);
    }
    out
}

fn sanitise(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn labels<'a>(
    attributes: impl Iterator<Item = &'a KeyValue>,
    extra: Option<(&str, String)>,
) -> String {
    let mut pairs: Vec<String> = attributes
        .map(|kv| {
            let value = kv
                .value
                .as_str()
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n");
            format!("{}=\"{value}\"", sanitise(kv.key.as_str()))
        })
        .collect();
    if let Some((key, value)) = extra {
        pairs.push(format!("{key}=\"{value}\""));
    }
    if pairs.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", pairs.join(","))
    }
}

fn write_metric<T: Copy + std::fmt::Display>(
    out: &mut String,
    name: &str,
    help: &str,
    data: &MetricData<T>,
) {
    if !help.is_empty() {
        let _ = writeln!(out, "# HELP {name} {}", help.replace('\n', " "));
    }
    match data {
        MetricData::Gauge(gauge) => {
            let _ = writeln!(out, "# TYPE {name} gauge");
            for point in gauge.data_points() {
                let _ = writeln!(
                    out,
                    "{name}{} {}",
                    labels(point.attributes(), None),
                    point.value()
                );
            }
        }
        MetricData::Sum(sum) => {
            let (kind, series) = if sum.is_monotonic() {
                ("counter", format!("{name}_total"))
            } else {
                ("gauge", name.to_owned())
            };
            let _ = writeln!(out, "# TYPE {series} {kind}");
            for point in sum.data_points() {
                let _ = writeln!(
                    out,
                    "{series}{} {}",
                    labels(point.attributes(), None),
                    point.value()
                );
            }
        }
        MetricData::Histogram(histogram) => {
            let _ = writeln!(out, "# TYPE {name} histogram");
            for point in histogram.data_points() {
                let mut cumulative = 0u64;
                let bounds: Vec<f64> = point.bounds().collect();
                for (i, count) in point.bucket_counts().enumerate() {
                    cumulative += count;
                    let le = bounds.get(i).map_or("+Inf".to_owned(), |b| b.to_string());
                    let _ = writeln!(
                        out,
                        "{name}_bucket{} {cumulative}",
                        labels(point.attributes(), Some(("le", le)))
                    );
                }
                let _ = writeln!(
                    out,
                    "{name}_sum{} {}",
                    labels(point.attributes(), None),
                    point.sum()
                );
                let _ = writeln!(
                    out,
                    "{name}_count{} {}",
                    labels(point.attributes(), None),
                    point.count()
                );
            }
        }
        MetricData::ExponentialHistogram(_) => {}
    }
}

/// Serves `/metrics` on `listener` until `stop`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    stop: tokio_util::sync::CancellationToken,
) -> anyhow::Result<()> {
    let app = axum::Router::new().route(
        "/metrics",
        axum::routing::get(|| async {
            (
                [(
                    http::header::CONTENT_TYPE,
                    "text/plain; version=0.0.4; charset=utf-8",
                )],
                render(),
            )
        }),
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async move { stop.cancelled().await })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_prometheus_conventions() {
        assert_eq!(
            prometheus_name("rpc.server.call.duration", "s"),
            "rpc_server_call_duration_seconds"
        );
        assert_eq!(
            prometheus_name("housing.outbox.pending", "{event}"),
            "housing_outbox_pending"
        );
    }
}
