//! Temporary accommodation (Part VII): stock and its compliance, matching households to
//! units, placements and their closure.

pub mod app;
#[cfg(feature = "bench")]
pub mod bench;
pub mod db;
pub mod domain;
pub mod events;
pub mod grpc;
pub mod wire;

use std::sync::Arc;

use housing_events::host::{Host, Identity, Running};
use housing_platform::auth::ServiceTokens;
use housing_platform::register::Register;
use serde::Deserialize;

pub const IDENTITY: Identity = Identity {
    name: "temporary-accommodation",
    area: "accommodation",
};
pub const DEFAULTS: &str = include_str!("../config/default.yaml");

#[derive(Debug, Clone, Deserialize)]
pub struct ServiceSettings {
    pub home_authority: String,
    /// The certificate, B&B and s.208 sweeps; off only where something else runs them.
    pub run_daily_jobs: bool,
    /// Days of notice a household in temporary accommodation is given when refusing a
    /// suitable final offer ends the duty.
    pub duty_end_notice_days: u32,
    /// The register service, asked for a placement request's household; empty where the
    /// council's register is another system, and officers type the household in.
    pub register_url: String,
    /// The register's audience at the OpenID provider, for this service's own tokens.
    pub register_audience: String,
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
    let mut host = Host::start(IDENTITY, &settings, &migrators()).await?;
    host.consume(events::lettings::spec(), events::lettings::LettingCompleted);
    host.consume(
        events::refusals::spec(),
        events::refusals::OfferRefused {
            notice_days: settings.service.duty_end_notice_days,
        },
    );
    host.consume(events::arrears::spec(), events::arrears::ArrearsReferred);
    host.consume(
        events::certificates::spec(),
        events::certificates::CertificateVerified,
    );
    host.consume(
        events::checklists::spec(),
        events::checklists::ChecklistCompleted,
    );
    if settings.service.run_daily_jobs {
        let pool = host.pool.clone();
        host.spawn("daily-sweeps", move |stop| app::daily::run(pool, stop));
    }
    let register = if settings.service.register_url.is_empty() {
        None
    } else {
        let problems = ServiceTokens::problems(&settings.auth);
        anyhow::ensure!(problems.is_empty(), "{}", problems.join("; "));
        Some(Register::new(
            housing_platform::grpc::lazy_channel(&settings.service.register_url)?,
            ServiceTokens::new(&settings.auth),
            settings.service.register_audience.clone(),
        ))
    };
    let routes = grpc::routes(&host, Arc::new(settings.service), register);
    Ok(host.serve(routes, grpc::SERVICE_NAMES))
}
