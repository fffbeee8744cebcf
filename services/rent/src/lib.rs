//! Rent and income for temporary accommodation: rent accounts opened and closed by
//! placements, on a double-entry ledger in integer pence.

pub mod app;
pub mod db;
pub mod domain;
pub mod events;
pub mod grpc;
pub mod wire;

use housing_events::host::{Host, Identity, Running};
use serde::Deserialize;

pub const IDENTITY: Identity = Identity {
    name: "rent",
    area: "rent",
};
pub const DEFAULTS: &str = include_str!("../config/default.yaml");

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSettings {
    /// Weeks of arrears at which an account reaches each stage of recovery.
    #[serde(default)]
    pub arrears: domain::arrears::Thresholds,
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

pub async fn build(settings: Settings) -> anyhow::Result<Running> {
    // Thresholds out of order would send letters in the wrong order: refuse to start.
    settings
        .service
        .arrears
        .check()
        .map_err(anyhow::Error::msg)?;
    let mut host = Host::start(IDENTITY, &settings, &migrators()).await?;
    host.consume(events::placements::spec(), events::placements::Placements);
    host.consume(
        events::payables::accommodation_spec(),
        events::payables::Payables,
    );
    host.consume(
        events::payables::nominations_spec(),
        events::payables::Payables,
    );
    host.consume(events::payables::decants_spec(), events::payables::Payables);
    let routes = grpc::routes(&host, settings.service.arrears);
    Ok(host.serve(routes, grpc::SERVICE_NAMES))
}
