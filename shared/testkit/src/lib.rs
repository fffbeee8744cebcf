//! Test isolation on real servers. Every test gets a fresh PostgreSQL database cloned from a
//! migrated template and a NATS subject prefix of its own; nothing is mocked.
//!
//! Servers: `HOUSING_TEST_DATABASE_URL` / `HOUSING_TEST_NATS_URL` when set, else the ones on
//! 127.0.0.1:5432 / 4222, else private ones started under the system's temp folder.

pub mod database;
pub mod fuzz;
pub mod memory;
pub mod nats;
pub mod oidc;
pub mod pdf;
pub mod pki;
pub mod postgres;
pub mod sample;
pub mod servers;
pub mod tls;

pub use database::TestDatabase;
pub use nats::{PrivateNats, unique_prefix};
pub use sample::Lcg;

use std::collections::HashMap;

use housing_platform::settings::{Settings, Sources, load};
use serde::de::DeserializeOwned;

/// What a service needs to start inside a test.
#[derive(Debug, Clone)]
pub struct TestEnv {
    pub database_url: String,
    pub nats_url: String,
    pub subject_prefix: String,
}

impl TestEnv {
    /// Settings as the service would load them, pointed at this test's database, NATS and
    /// prefix, on a free port. `extra` are further `HOUSING__…` variables.
    pub fn settings<S: DeserializeOwned>(
        &self,
        service_defaults: &'static str,
        extra: &[(&str, &str)],
    ) -> Settings<S> {
        let mut env: HashMap<String, String> = [
            ("HOUSING__DATABASE__URL", self.database_url.as_str()),
            ("HOUSING__DATABASE__MAX_CONNECTIONS", "5"),
            ("HOUSING__NATS__URL", self.nats_url.as_str()),
            (
                "HOUSING__NATS__SUBJECT_PREFIX",
                self.subject_prefix.as_str(),
            ),
            ("HOUSING__GRPC__HOST", "127.0.0.1"),
            ("HOUSING__GRPC__PORT", "0"),
            ("HOUSING__GRPC__DRAIN_SECONDS", "0"),
            ("HOUSING__TELEMETRY__LOG_FILTER", "warn"),
            ("HOUSING__AUTH__ISSUER", oidc::issuer()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let mut settings: Settings<S> = load(&Sources {
            service_defaults,
            config_dir: std::env::temp_dir().join("housing-testkit-no-config"),
            environment: "test".into(),
            env_override: Some(env),
        })
        .expect("test settings load");
        // The service's own client at the local provider, as the stack command sets it.
        if settings.auth.client_secret.is_empty() && !settings.auth.client_id.is_empty() {
            settings.auth.client_secret = housing_platform::settings::Secret::new(
                oidc::client_secret(&settings.auth.client_id),
            );
        }
        settings
    }
}

/// A channel to a service started in the test.
pub async fn channel(addr: std::net::SocketAddr) -> tonic::transport::Channel {
    tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .expect("valid address")
        .connect()
        .await
        .expect("service answers")
}

/// Polls `check` until it returns `Some`, or panics after `within`.
pub async fn eventually<T, F, Fut>(within: std::time::Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out waiting for {what}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

impl TestEnv {
    /// The test's database on the shared NATS server, under a prefix of its own.
    pub fn for_database(db: &TestDatabase) -> Self {
        Self {
            database_url: db.url.clone(),
            nats_url: servers::nats_url().to_owned(),
            subject_prefix: unique_prefix(),
        }
    }

    /// A bus under this test's prefix, for standing in for another service.
    pub async fn bus(&self) -> housing_events::EventBus {
        bus(&self.nats_url, &self.subject_prefix).await
    }
}

/// A bus on `nats_url` under `prefix`, for a test standing in for another service.
pub async fn bus(nats_url: &str, prefix: &str) -> housing_events::EventBus {
    let settings = housing_platform::settings::NatsSettings {
        url: nats_url.to_owned(),
        subject_prefix: prefix.to_owned(),
        stream_replicas: 1,
        stream_max_age_days: 30,
        // No size limit: JetStream would reserve it from the shared server for each test.
        stream_max_bytes: -1,
        ..Default::default()
    };
    housing_events::EventBus::connect(&settings, "test")
        .await
        .expect("connect to NATS")
}

/// Publishes `message` as another service would, with the event id `event_id`. Each call
/// gets a fresh `Nats-Msg-Id`, so publishing one event id twice is a redelivery JetStream
/// does not de-duplicate.
pub async fn publish_as<M: prost::Message + prost::Name>(
    bus: &housing_events::EventBus,
    event_id: uuid::Uuid,
    subject: &str,
    aggregate: &str,
    message: &M,
) {
    let mut headers = housing_events::envelope::headers(
        event_id,
        &M::full_name(),
        "/services/test",
        aggregate,
        chrono::Utc::now(),
        None,
    );
    headers.insert(
        async_nats::header::NATS_MESSAGE_ID,
        uuid::Uuid::now_v7().to_string().as_str(),
    );
    bus.jetstream()
        .publish_with_headers(
            bus.subject(subject),
            headers,
            message.encode_to_vec().into(),
        )
        .await
        .expect("publish")
        .await
        .expect("JetStream acknowledges");
}
