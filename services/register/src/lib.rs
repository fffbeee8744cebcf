//! The housing register (Part VI): applications, their assessment under the council's
//! allocations scheme, and shortlists for lettings.

pub mod app;
#[cfg(feature = "bench")]
pub mod bench;
pub mod db;
pub mod domain;
pub mod events;
pub mod grpc;
pub mod wire;

use std::path::PathBuf;
use std::sync::Arc;

use housing_events::host::{Host, Identity, Running};
use serde::Deserialize;

use crate::domain::scheme::Scheme;

pub const IDENTITY: Identity = Identity {
    name: "register",
    area: "register",
};
pub const DEFAULTS: &str = include_str!("../config/default.yaml");

#[derive(Debug, Clone, Deserialize)]
pub struct ServiceSettings {
    pub scheme_file: PathBuf,
    /// Suspensions, birthdays and annual reviews; off only where something else runs them
    /// (tests that drive the days themselves).
    pub run_daily_jobs: bool,
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

/// Builds and starts the register: the scheme is checked before anything else, so a bad
/// scheme file stops the service at start rather than being half-applied. A new scheme
/// version starts the re-assessment of every live application in the background.
pub async fn build(settings: Settings) -> anyhow::Result<Running> {
    let scheme = Arc::new(Scheme::load(&settings.service.scheme_file)?);
    let mut host = Host::start(IDENTITY, &settings, &migrators()).await?;
    host.consume(events::lettings::spec(), events::lettings::LettingCompleted);
    host.consume(
        events::evidence::spec(),
        events::evidence::EvidenceReported {
            scheme: scheme.clone(),
        },
    );
    host.consume(
        events::offers::spec(),
        events::offers::OfferRefused {
            scheme: scheme.clone(),
        },
    );
    let (pool, reassessing) = (host.pool.clone(), scheme.clone());
    host.spawn("reassessment", move |stop| async move {
        app::reassessment::run(&pool, &reassessing, &stop).await?;
        Ok(())
    });
    if settings.service.run_daily_jobs {
        let (pool, daily) = (host.pool.clone(), scheme.clone());
        host.spawn("daily-jobs", move |stop| app::daily::run(pool, daily, stop));
    }
    let routes = grpc::routes(&host, scheme);
    Ok(host.serve(routes, grpc::SERVICE_NAMES))
}
