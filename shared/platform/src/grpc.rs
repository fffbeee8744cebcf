//! The gRPC server every service runs: its own services plus health (NOT_SERVING while
//! draining) and reflection (v1 and v1alpha), trace context taken from incoming metadata,
//! and a graceful stop.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::TcpListenerStream;
use tokio_util::sync::CancellationToken;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic_health::ServingStatus;

use crate::admission::AdmissionLayer;
use crate::screen::ScreenLayer;
use crate::settings::GrpcSettings;
use crate::telemetry::{HeaderCarrier, continue_from};

const BIND_PATIENCE: Duration = Duration::from_secs(10);
const BIND_RETRY: Duration = Duration::from_millis(200);

/// A bound listener: binding first lets tests ask for port 0 and learn the real port.
pub struct Listener {
    listener: TcpListener,
    addr: SocketAddr,
}

impl Listener {
    /// Binds the port, waiting up to ten seconds while it is in use: the platform's ports lie
    /// in Linux's ephemeral range, where another process's passing connection may hold one
    /// for a moment.
    pub async fn bind(settings: &GrpcSettings) -> std::io::Result<Self> {
        let mut waited = Duration::ZERO;
        let listener = loop {
            match TcpListener::bind((settings.host.as_str(), settings.port)).await {
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && waited < BIND_PATIENCE => {
                    if waited.is_zero() {
                        tracing::warn!(port = settings.port, "port in use; waiting for it");
                    }
                    tokio::time::sleep(BIND_RETRY).await;
                    waited += BIND_RETRY;
                }
                other => break other?,
            }
        };
        let addr = listener.local_addr()?;
        Ok(Self { listener, addr })
    }

    /// A second listener on the service's host, e.g. the partner port.
    pub async fn bind_port(settings: &GrpcSettings, port: u16) -> std::io::Result<Self> {
        Self::bind(&GrpcSettings {
            port,
            ..settings.clone()
        })
        .await
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// Mutual TLS: the server's certificate and key, and the authority whose client
/// certificates it accepts; a client without one is refused in the handshake.
pub fn mutual_tls(
    certificate_pem: &[u8],
    key_pem: &[u8],
    client_ca_pem: &[u8],
) -> tonic::transport::ServerTlsConfig {
    tonic::transport::ServerTlsConfig::new()
        .identity(tonic::transport::Identity::from_pem(
            certificate_pem,
            key_pem,
        ))
        .client_ca_root(tonic::transport::Certificate::from_pem(client_ca_pem))
}

/// Serves `routes` until `stop` is cancelled. `service_names` are the full proto names of
/// the services in `routes`, reported by the health service.
pub async fn serve(
    listener: Listener,
    routes: Routes,
    service_names: &[&'static str],
    settings: &GrpcSettings,
    tls: Option<tonic::transport::ServerTlsConfig>,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    let (reporter, health) = tonic_health::server::health_reporter();
    for name in service_names.iter().copied().chain([""]) {
        reporter
            .set_service_status(name, ServingStatus::Serving)
            .await;
    }

    // Each port lists only what it serves (and health): the descriptors hold every
    // service's, and a client of one port has no business with another's.
    let reflection = || {
        service_names
            .iter()
            .copied()
            .chain(["grpc.health.v1.Health"])
            .fold(
                tonic_reflection::server::Builder::configure()
                    .register_encoded_file_descriptor_set(housing_proto::FILE_DESCRIPTOR_SET)
                    .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET),
                |builder, name| builder.with_service_name(name),
            )
    };
    let reflection_v1 = reflection().build_v1()?;
    let reflection_v1alpha = reflection().build_v1alpha()?;

    let drain = Duration::from_secs(settings.drain_seconds);
    let names: Vec<&'static str> = service_names.to_vec();
    let shutdown = async move {
        stop.cancelled().await;
        for name in names.into_iter().chain([""]) {
            reporter
                .set_service_status(name, ServingStatus::NotServing)
                .await;
        }
        tracing::info!(drain_seconds = drain.as_secs(), "draining");
        tokio::time::sleep(drain).await;
    };

    // Connections from our own listener miss tonic's socket options: without no-delay,
    // small replies wait on the peer's delayed ACK (about 40 ms each).
    let incoming = TcpListenerStream::new(listener.listener).map(|stream| {
        if let Ok(stream) = &stream {
            stream.set_nodelay(true)?;
        }
        stream
    });
    tracing::info!(addr = %listener.addr, "gRPC listening");
    let mut server = Server::builder();
    if let Some(tls) = tls {
        server = server.tls_config(tls)?;
    }
    // Admission first: a call beyond the limit is refused before anything reads it.
    server
        .layer(AdmissionLayer::new(
            settings.max_concurrent_calls,
            Duration::from_secs(settings.call_timeout_seconds),
        ))
        .layer(ScreenLayer {
            max_message_bytes: settings.max_message_bytes,
        })
        .trace_fn(|request| {
            let span = tracing::info_span!("grpc", path = %request.uri().path());
            continue_from(&span, &HeaderCarrier(request.headers()));
            span
        })
        .add_routes(routes)
        .add_service(health)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await?;
    Ok(())
}

/// A client channel to another service, connecting lazily so a service starts even while
/// the one it calls is not up yet.
pub fn lazy_channel(url: &str) -> anyhow::Result<tonic::transport::Channel> {
    Ok(tonic::transport::Endpoint::from_shared(url.to_owned())?
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .connect_lazy())
}
