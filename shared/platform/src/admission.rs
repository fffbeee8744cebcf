//! Admission to the housing RPCs: at most so many calls at once across every connection,
//! each within a time limit. A call beyond the limit is refused at once with
//! RESOURCE_EXHAUSTED rather than queued without bound, so an overloaded service sheds load
//! and its clients back off; health and reflection are never held back, so an orchestrator
//! sees a busy service as serving, not dead.

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use tokio::sync::Semaphore;
use tonic::Status;
use tonic::body::Body;
use tower_service::Service;

/// Only the platform's own services are admitted; everything else (health, reflection)
/// passes.
const ADMITTED: &str = "/housing.";

#[derive(Clone)]
pub struct AdmissionLayer {
    permits: Arc<Semaphore>,
    limit: usize,
    timeout: Duration,
}

impl AdmissionLayer {
    pub fn new(limit: usize, timeout: Duration) -> Self {
        let limit = limit.max(1);
        Self {
            permits: Arc::new(Semaphore::new(limit)),
            limit,
            timeout,
        }
    }
}

impl<S> tower_layer::Layer<S> for AdmissionLayer {
    type Service = Admitted<S>;

    fn layer(&self, inner: S) -> Admitted<S> {
        Admitted {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Admitted<S> {
    inner: S,
    layer: AdmissionLayer,
}

impl<S> Service<http::Request<Body>> for Admitted<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        if !request.uri().path().starts_with(ADMITTED) {
            return Box::pin(inner.call(request));
        }
        let path = request.uri().path().to_owned();
        let started = Instant::now();
        let Ok(permit) = self.layer.permits.clone().try_acquire_owned() else {
            tracing::warn!(%path, limit = self.layer.limit, "call shed: at the concurrency limit");
            let status = Status::resource_exhausted(format!(
                "the service is answering its limit of {} calls at once: try again shortly",
                self.layer.limit
            ));
            let reply = status.into_http();
            record(&path, &reply, started);
            return Box::pin(async move { Ok(reply) });
        };
        let timeout = self.layer.timeout;
        Box::pin(async move {
            // The permit is held until the reply's headers leave: a server stream does not
            // hold one for its whole life.
            let _permit = permit;
            let reply = match tokio::time::timeout(timeout, inner.call(request)).await {
                Ok(Ok(reply)) => reply,
                Ok(Err(never)) => match never {},
                Err(_) => Status::deadline_exceeded(format!(
                    "the call took longer than the {} s a call may take",
                    timeout.as_secs()
                ))
                .into_http(),
            };
            record(&path, &reply, started);
            Ok(reply)
        })
    }
}

/// `rpc.server.call.duration` (OpenTelemetry's RPC conventions), to the reply's headers: its
/// count by status code gives the call rate and the errors.
fn record(path: &str, reply: &http::Response<Body>, started: Instant) {
    static DURATION: std::sync::OnceLock<opentelemetry::metrics::Histogram<f64>> =
        std::sync::OnceLock::new();
    let histogram = DURATION.get_or_init(|| {
        crate::metrics::meter()
            .f64_histogram("rpc.server.call.duration")
            .with_unit("s")
            .with_description("Time to answer a call, by method and gRPC status code")
            .with_boundaries(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ])
            .build()
    });
    // A handler's error is the whole reply (trailers only), its code in the headers; a reply
    // without one carries OK in its trailers.
    let code = reply
        .headers()
        .get("grpc-status")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    let (service, method) = path
        .trim_start_matches('/')
        .split_once('/')
        .unwrap_or((path, ""));
    histogram.record(
        started.elapsed().as_secs_f64(),
        &[
            opentelemetry::KeyValue::new("rpc.system", "grpc"),
            opentelemetry::KeyValue::new("rpc.service", service.to_owned()),
            opentelemetry::KeyValue::new("rpc.method", method.to_owned()),
            opentelemetry::KeyValue::new("rpc.grpc.status_code", code),
        ],
    );
}
