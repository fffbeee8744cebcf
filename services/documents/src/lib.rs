//! Documents: evidence and certificates uploaded and reviewed, the checklists they complete,
//! letters written from other services' events and rendered to PDF, and the retention of
//! all of it: destruction on schedule, legal holds, subject access bundles.

pub mod app;
pub mod db;
pub mod domain;
pub mod events;
pub mod grpc;
pub mod storage;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use housing_events::host::{Host, Identity, Running};
use serde::Deserialize;

use crate::app::blobs::Blobs;
use crate::app::templates::Templates;
use crate::domain::retention::Periods;
use crate::storage::StorageSettings;

pub const IDENTITY: Identity = Identity {
    name: "documents",
    area: "documents",
};
pub const DEFAULTS: &str = include_str!("../config/default.yaml");

#[derive(Debug, Clone, Deserialize)]
pub struct ServiceSettings {
    pub blob_root: PathBuf,
    pub storage: StorageSettings,
    pub templates_dir: String,
    pub max_upload_bytes: u64,
    pub retention: RetentionSettings,
    /// The council's name, address and contact details, at the head of every letter.
    #[serde(default)]
    pub council: domain::letters::Council,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RetentionSettings {
    pub periods: Periods,
    pub run_every_hours: u64,
}

pub type Settings = housing_platform::settings::Settings<ServiceSettings>;

pub fn migrators() -> Vec<sqlx::migrate::Migrator> {
    let mut own = sqlx::migrate!("./migrations");
    own.set_ignore_missing(true);
    vec![
        housing_platform::db::migrator(),
        housing_events::migrator(),
        own,
    ]
}

/// Builds the service; broken letter templates or storage settings stop it at start, naming
/// what to fix.
pub async fn build(settings: Settings) -> anyhow::Result<Running> {
    let service = settings.service.clone();
    let templates_dir = Some(service.templates_dir.as_str())
        .filter(|d| !d.is_empty())
        .map(PathBuf::from);
    let templates = Arc::new(Templates::load(templates_dir.as_deref())?);
    let blobs = Blobs::new(service.storage.open(&service.blob_root)?);
    let periods = Arc::new(service.retention.periods.clone());
    let mut host = Host::start(IDENTITY, &settings, &migrators()).await?;
    let writer = events::Writer {
        templates,
        blobs: blobs.clone(),
        council: Arc::new(service.council.clone()),
    };
    host.consume(
        events::placements::spec(),
        events::placements::Placements(writer.clone()),
    );
    host.consume(
        events::placements::s208_spec(),
        events::placements::Placements(writer.clone()),
    );
    host.consume(
        events::register::spec(),
        events::register::Register(writer.clone()),
    );
    host.consume(
        events::nominations::spec(),
        events::nominations::Nominations(writer.clone()),
    );
    host.consume(events::rent::spec(), events::rent::Rent(writer));
    let every = Duration::from_secs(service.retention.run_every_hours.max(1) * 3600);
    let (pool, job_blobs, job_periods) = (host.pool.clone(), blobs.clone(), periods.clone());
    host.spawn("retention", move |stop| async move {
        // The first run waits one interval, so a restart loop cannot destroy in a burst.
        loop {
            tokio::select! {
                _ = stop.cancelled() => return Ok(()),
                _ = tokio::time::sleep(every) => {}
            }
            let today = housing_platform::time::today();
            match app::retention::run(&pool, &job_blobs, &job_periods, today).await {
                Ok(report) => tracing::info!(?report, "retention run"),
                Err(error) => tracing::error!(%error, "retention run failed; next run retries"),
            }
        }
    });
    let routes = grpc::routes(&host, blobs, service.max_upload_bytes, periods);
    Ok(host.serve(routes, grpc::SERVICE_NAMES))
}
