//! Documents: letters generated from events and rendered to PDF, and the checklists each
//! step needs.

pub mod app;
pub mod db;
pub mod domain;
pub mod events;
pub mod grpc;

use std::path::PathBuf;
use std::sync::Arc;

use housing_events::host::{Host, Identity, Running};
use serde::Deserialize;

use crate::app::blobs::Blobs;
use crate::app::letters::Templates;

pub const IDENTITY: Identity = Identity {
    name: "documents",
    area: "documents",
};
pub const DEFAULTS: &str = include_str!("../config/default.yaml");

#[derive(Debug, Clone, Deserialize)]
pub struct ServiceSettings {
    pub blob_root: PathBuf,
    pub templates_dir: String,
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

/// Builds the service; broken letter templates stop it at start, with their lines.
pub async fn build(settings: Settings) -> anyhow::Result<Running> {
    let templates_dir = Some(settings.service.templates_dir.as_str())
        .filter(|d| !d.is_empty())
        .map(PathBuf::from);
    let templates = Arc::new(Templates::load(templates_dir.as_deref())?);
    let blobs = Blobs::local(&settings.service.blob_root)?;
    let mut host = Host::start(IDENTITY, &settings, &migrators()).await?;
    host.consume(
        events::placements::spec(),
        events::placements::Placements {
            templates,
            blobs: blobs.clone(),
        },
    );
    let routes = grpc::routes(&host, blobs);
    Ok(host.serve(routes, grpc::SERVICE_NAMES))
}
