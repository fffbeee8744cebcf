//! The gRPC middleware that authenticates every call to a service before its handler runs.
//! It is asynchronous (a tonic interceptor is not) because a token naming a new key makes
//! it read the provider's key set.

use std::convert::Infallible;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use tonic::body::Body;
use tonic::server::NamedService;
use tower_service::Service;

use super::Authenticator;

static DENIALS_SO_FAR: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many calls this process has refused as unauthenticated or not permitted, as the
/// `housing.rpc.denials` counter reports them.
pub fn denials() -> u64 {
    DENIALS_SO_FAR.load(std::sync::atomic::Ordering::Relaxed)
}

/// Every refusal is logged and counted, so a platform team sees probing and misconfigured
/// roles: who (the subject, never a name), which RPC, and why. The handlers' reasons name
/// roles and states, not people.
fn denied(rpc: &str, code: tonic::Code, subject: Option<&str>, reason: &str) {
    DENIALS_SO_FAR.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tracing::warn!(
        target: "housing::audit",
        rpc,
        code = ?code,
        subject = subject.unwrap_or("-"),
        reason,
        "call denied"
    );
    static DENIALS: std::sync::OnceLock<opentelemetry::metrics::Counter<u64>> =
        std::sync::OnceLock::new();
    DENIALS
        .get_or_init(|| {
            opentelemetry::global::meter("housing")
                .u64_counter("housing.rpc.denials")
                .with_description("Calls refused as unauthenticated or not permitted")
                .build()
        })
        .add(
            1,
            &[
                opentelemetry::KeyValue::new("rpc.method", rpc.to_owned()),
                opentelemetry::KeyValue::new("rpc.grpc.status_code", code as i64),
            ],
        );
}

/// `inner`, answering only callers that `auth` accepts; the [`super::Caller`] is in each
/// request's extensions.
#[derive(Clone)]
pub struct Authenticated<S> {
    inner: S,
    auth: Authenticator,
}

impl<S> Authenticated<S> {
    pub fn new(inner: S, auth: Authenticator) -> Self {
        Self { inner, auth }
    }
}

impl<S: NamedService> NamedService for Authenticated<S> {
    const NAME: &'static str = S::NAME;
}

impl<S> Service<http::Request<Body>> for Authenticated<S>
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

    fn call(&mut self, mut request: http::Request<Body>) -> Self::Future {
        // The clone that was made ready is the one that serves this call.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let auth = self.auth.clone();
        Box::pin(async move {
            let authorization = request
                .headers()
                .get(http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok());
            let rpc = request.uri().path().to_owned();
            match auth.authenticate(authorization).await {
                Ok(caller) => {
                    let subject = caller.id.clone();
                    request.extensions_mut().insert(caller);
                    let response = inner.call(request).await?;
                    // tonic puts a handler's error in the response headers (trailers-only).
                    if let Some(status) = tonic::Status::from_header_map(response.headers())
                        && status.code() == tonic::Code::PermissionDenied
                    {
                        denied(&rpc, status.code(), Some(&subject), status.message());
                    }
                    Ok(response)
                }
                Err(status) => {
                    denied(&rpc, status.code(), None, status.message());
                    Ok(status.into_http())
                }
            }
        })
    }
}
