//! Every request is screened against its proto before any handler sees it: strings hold
//! valid UTF-8 with no control characters and stay within their field's length, amounts
//! and page sizes within bounds no handler may see exceeded, reals are finite, and the
//! bytes form a message at all. What fails is INVALID_ARGUMENT naming each field, where
//! prost would have answered INTERNAL or a handler stored it. One layer in front of every
//! service, so no RPC can forget it. Each service's mapping then holds every field to its
//! own domain (an enum's values, a household's size) and names all that is wrong at once.

pub mod rules;
pub mod schema;
mod stream;
pub mod wire;

use std::convert::Infallible;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::future::BoxFuture;
use http_body_util::{BodyExt, Full, Limited};
use tonic::Status;
use tonic::body::Body;
use tower_service::Service;

use crate::errors::FieldViolations;
use schema::Schema;

/// The gRPC frame header: a compression flag and a four-byte length.
const FRAME_HEADER: usize = 5;

/// Whether one whole gRPC request body for `path` may reach the handler: `Ok` when the
/// path is not a housing RPC (health, reflection) or the message passes.
pub fn check_body(schema: &Schema, path: &str, body: &[u8]) -> Result<(), Status> {
    let Some(method) = schema.method(path) else {
        return Ok(());
    };
    let malformed = |why: &str| Status::invalid_argument(format!("malformed request: {why}"));
    let mut rest = body;
    while !rest.is_empty() {
        let Some((header, after)) = rest.split_at_checked(FRAME_HEADER) else {
            return Err(malformed("a frame header is cut short"));
        };
        if header[0] != 0 {
            // Compression is not offered, so tonic refuses this itself.
            return Ok(());
        }
        let length = u32::from_be_bytes([header[1], header[2], header[3], header[4]]);
        let Some((message, after)) = usize::try_from(length)
            .ok()
            .and_then(|n| after.split_at_checked(n))
        else {
            return Err(malformed("a message is shorter than its frame says"));
        };
        let mut violations = FieldViolations::new();
        if let Err(bad) = wire::check(schema, &method.input, message, &mut violations) {
            violations.add(
                if bad.field.is_empty() {
                    "request"
                } else {
                    &bad.field
                },
                format!("malformed: {}", bad.reason),
            );
        }
        if !violations.is_empty() {
            return Err(violations.into_status());
        }
        rest = after;
    }
    Ok(())
}

/// `inner`, reached only by requests that pass [`check_body`]. Client streams (uploads)
/// are screened message by message as they flow to the handler.
#[derive(Clone)]
pub struct Screened<S> {
    inner: S,
    max_body_bytes: usize,
}

impl<S> Screened<S> {
    pub fn new(inner: S, max_message_bytes: usize) -> Self {
        Self {
            inner,
            max_body_bytes: max_message_bytes.saturating_add(FRAME_HEADER),
        }
    }
}

/// Wraps each service a server runs in [`Screened`].
#[derive(Clone, Copy)]
pub struct ScreenLayer {
    pub max_message_bytes: usize,
}

impl<S> tower_layer::Layer<S> for ScreenLayer {
    type Service = Screened<S>;

    fn layer(&self, inner: S) -> Screened<S> {
        Screened::new(inner, self.max_message_bytes)
    }
}

impl<S> Service<http::Request<Body>> for Screened<S>
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
        let schema = Schema::housing();
        let Some(method) = schema.method(request.uri().path()) else {
            return Box::pin(inner.call(request));
        };
        if method.client_streaming {
            let (parts, body) = request.into_parts();
            let body = Body::new(stream::ScreenedStream::new(body, parts.uri.path()));
            return Box::pin(inner.call(http::Request::from_parts(parts, body)));
        }
        let limit = self.max_body_bytes;
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let bytes: Bytes = match Limited::new(body, limit).collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(error) => {
                    let status = if error.is::<http_body_util::LengthLimitError>() {
                        Status::resource_exhausted(format!(
                            "the request is larger than the {limit} bytes a call may carry"
                        ))
                    } else {
                        Status::cancelled("the request was not received whole")
                    };
                    return Ok(status.into_http());
                }
            };
            if let Err(status) = check_body(schema, parts.uri.path(), &bytes) {
                tracing::info!(path = %parts.uri.path(), fields = %status.message(), "request refused by the screen");
                return Ok(status.into_http());
            }
            inner
                .call(http::Request::from_parts(
                    parts,
                    Body::new(Full::new(bytes)),
                ))
                .await
        })
    }
}

#[cfg(test)]
mod tests {
    use housing_proto::register::v1 as pb;
    use prost::Message;

    use super::*;
    use crate::errors::bad_request_fields;

    fn framed(message: &[u8]) -> Vec<u8> {
        let mut body = vec![0];
        body.extend(u32::try_from(message.len()).unwrap().to_be_bytes());
        body.extend(message);
        body
    }

    const GET: &str = "/housing.register.v1.RegisterService/GetApplication";

    #[test]
    fn a_framed_request_is_screened_and_other_paths_pass() {
        let schema = Schema::housing();
        let good = pb::GetApplicationRequest {
            application_id: "0190d0c8-0000-7000-8000-000000000000".into(),
        };
        assert!(check_body(schema, GET, &framed(&good.encode_to_vec())).is_ok());
        let nul = pb::GetApplicationRequest {
            application_id: "a\0b".into(),
        };
        let refused = check_body(schema, GET, &framed(&nul.encode_to_vec())).unwrap_err();
        assert_eq!(refused.code(), tonic::Code::InvalidArgument);
        assert_eq!(bad_request_fields(&refused), ["application_id"]);
        assert!(check_body(schema, "/grpc.health.v1.Health/Check", b"\x00garbage").is_ok());
    }

    #[test]
    fn broken_framing_is_invalid_not_internal() {
        let schema = Schema::housing();
        for body in [&b"\x00\x00"[..], b"\x00\x00\x00\x00\x09abc"] {
            let refused = check_body(schema, GET, body).unwrap_err();
            assert_eq!(refused.code(), tonic::Code::InvalidArgument);
        }
        let truncated = check_body(schema, GET, &framed(&[0x0a, 40, b'x'])).unwrap_err();
        assert_eq!(bad_request_fields(&truncated), ["application_id"]);
    }
}
