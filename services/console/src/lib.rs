//! The officer console: server-rendered pages in the GOV.UK Design System over the five
//! services' gRPC APIs. Officers sign in through the council's OpenID provider; every call
//! to a service carries the officer's own token, so the services record the person. The
//! console keeps no housing data: its database holds sign-ins and sessions only.

pub mod format;
pub mod services;
pub mod session;
pub mod signin;
pub mod web;

use std::net::SocketAddr;
use std::path::PathBuf;

use housing_platform::db;
use serde::Deserialize;
use sqlx::migrate::Migrator;
use tokio_util::sync::CancellationToken;

pub const DEFAULTS: &str = include_str!("../config/default.yaml");

#[derive(Debug, Clone, Deserialize)]
pub struct ServiceSettings {
    pub host: String,
    pub port: u16,
    /// The address officers' browsers use; the provider returns them here after sign-in.
    pub public_url: String,
    /// The folder holding `govuk-frontend` and `@ministryofjustice/frontend`.
    pub assets_dir: PathBuf,
    pub idle_minutes: i64,
    pub services: services::Endpoints,
}

pub type Settings = housing_platform::settings::Settings<ServiceSettings>;

pub fn migrator() -> Migrator {
    sqlx::migrate!("./migrations")
}

/// A running console.
pub struct Running {
    addr: SocketAddr,
    stop: CancellationToken,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        self.stop.cancel();
        self.server.await??;
        Ok(())
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        housing_platform::shutdown::signal().await;
        tracing::info!("stopping");
        self.stop().await
    }
}

/// Connects to the console's database (migrating it if configured), checks the settings and
/// starts serving.
pub async fn build(settings: Settings) -> anyhow::Result<Running> {
    let mut problems = settings.web_problems();
    problems.extend(housing_platform::auth::ServiceTokens::problems(
        &settings.auth,
    ));
    anyhow::ensure!(
        problems.is_empty(),
        "cannot start the console: {}",
        problems.join("; ")
    );
    let pool = db::connect(&settings.database).await?;
    if settings.database.migrate_on_start {
        db::migrate(&pool, &[migrator()]).await?;
    }
    let state = web::State::new(pool, &settings)?;
    let listener =
        tokio::net::TcpListener::bind((settings.service.host.as_str(), settings.service.port))
            .await?;
    let addr = listener.local_addr()?;
    let stop = CancellationToken::new();
    let app = web::router(state, &settings.service.assets_dir);
    let until = stop.clone();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move { until.cancelled().await })
            .await
    });
    tracing::info!(%addr, "console listening");
    Ok(Running { addr, stop, server })
}
