//! Nominations and mobility: partner providers report vacancies, the council shortlists from
//! the register and nominates, partners answer and report lettings.

pub mod app;
pub mod db;
pub mod domain;
pub mod events;
pub mod grpc;

use housing_events::host::{Host, Identity, Running};
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
    /// Live bids an applicant may hold at once in choice-based lettings.
    pub bid_limit: i64,
    /// The under-occupation incentive for each bedroom released.
    pub incentive_per_bedroom_pence: i64,
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
    host.consume(
        events::applications::spec(),
        events::applications::ApplicationHoused,
    );
    let pool = host.pool.clone();
    host.spawn("overdue-nominations", move |stop| {
        app::overdue::run(pool, stop)
    });
    let register = Register::new(
        housing_platform::grpc::lazy_channel(&settings.service.register_url)?,
        host.auth.clone(),
    );
    let routes = grpc::routes(&host, register, &settings.service);
    Ok(host.serve(routes, grpc::SERVICE_NAMES))
}
