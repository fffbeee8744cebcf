//! Admission to the housing RPCs: at most so many calls at once across every connection,
//! each within a time limit. A call beyond the limit is refused at once with
//! RESOURCE_EXHAUSTED rather than queued without bound, so an overloaded service sheds load
//! and its clients back off; health and reflection are never held back, so an orchestrator
//! sees a busy service as serving, not dead.

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

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
        let Ok(permit) = self.layer.permits.clone().try_acquire_owned() else {
            tracing::warn!(path = %request.uri().path(), limit = self.layer.limit, "call shed: at the concurrency limit");
            let status = Status::resource_exhausted(format!(
                "the service is answering its limit of {} calls at once: try again shortly",
                self.layer.limit
            ));
            return Box::pin(async move { Ok(status.into_http()) });
        };
        let timeout = self.layer.timeout;
        Box::pin(async move {
            // The permit is held until the reply's headers leave: a server stream does not
            // hold one for its whole life.
            let _permit = permit;
            match tokio::time::timeout(timeout, inner.call(request)).await {
                Ok(reply) => reply,
                Err(_) => Ok(Status::deadline_exceeded(format!(
                    "the call took longer than the {} s a call may take",
                    timeout.as_secs()
                ))
                .into_http()),
            }
        })
    }
}
