//! Nominations and mobility: partner providers report vacancies, the council shortlists from
//! the register and nominates, partners answer and report lettings.

pub mod app;
pub mod db;
pub mod domain;
pub mod events;
pub mod grpc;
pub mod wire;

use housing_events::host::{Host, Identity, Running};
use housing_platform::auth::ServiceTokens;
use serde::Deserialize;

use crate::app::register::Register;

pub const IDENTITY: Identity = Identity {
    name: "nominations",
    area: "nominations",
};
pub const DEFAULTS: &str = include_str!("../config/default.yaml");

#[derive(Debug, Clone, Deserialize)]
pub struct ServiceSettings {
    pub register_url: String,
    pub register_audience: String,
    /// Live bids an applicant may hold at once in choice-based lettings.
    pub bid_limit: i64,
    /// The under-occupation incentive for each bedroom released.
    pub incentive_per_bedroom_pence: i64,
    /// The prescribed home-loss amounts for decanted households.
    pub home_loss: domain::decant::HomeLossRules,
    /// The port partners connect to with mutual TLS; none when not set.
    #[serde(default)]
    pub partner_tls: Option<PartnerTls>,
    /// Days the council's offices close beyond weekends and the bank holidays of England
    /// and Wales (a one-off bank holiday, say): partners' deadlines skip them too.
    #[serde(default)]
    pub closed_days: Vec<chrono::NaiveDate>,
    /// What the council tells CORE about itself in every lettings log.
    pub core: domain::core_log::build::Council,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PartnerTls {
    pub port: u16,
    pub certificate_file: std::path::PathBuf,
    pub key_file: std::path::PathBuf,
    /// The authority that issues partners' client certificates.
    pub client_ca_file: std::path::PathBuf,
}

impl PartnerTls {
    fn server_config(&self) -> anyhow::Result<tonic::transport::ServerTlsConfig> {
        let read = |path: &std::path::Path| {
            std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
        };
        Ok(housing_platform::grpc::mutual_tls(
            &read(&self.certificate_file)?,
            &read(&self.key_file)?,
            &read(&self.client_ca_file)?,
        ))
    }
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
    let problems = settings.service.home_loss.problems();
    anyhow::ensure!(problems.is_empty(), "{}", problems.join("; "));
    let mut host = Host::start(IDENTITY, &settings, &migrators()).await?;
    host.consume(
        events::applications::spec(),
        events::applications::ApplicationHoused,
    );
    let pool = host.pool.clone();
    host.spawn("overdue-nominations", move |stop| {
        app::overdue::run(pool, stop)
    });
    let problems = ServiceTokens::problems(&settings.auth);
    anyhow::ensure!(problems.is_empty(), "{}", problems.join("; "));
    let register = Register::new(
        housing_platform::grpc::lazy_channel(&settings.service.register_url)?,
        ServiceTokens::new(&settings.auth),
        settings.service.register_audience.clone(),
    );
    if let Some(tls) = &settings.service.partner_tls {
        host.serve_also(
            "partners",
            tls.port,
            grpc::partner_routes(&host, &settings.service),
            grpc::PARTNER_SERVICE_NAMES,
            Some(tls.server_config()?),
        )
        .await?;
    }
    let routes = grpc::routes(&host, register, &settings.service);
    Ok(host.serve(routes, grpc::SERVICE_NAMES))
}
