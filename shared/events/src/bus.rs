//! The connection to NATS JetStream, with this deployment's subject prefix.

use std::time::Duration;

use async_nats::jetstream::{self, stream};
use housing_platform::settings::NatsSettings;

#[derive(Clone)]
pub struct EventBus {
    client: async_nats::Client,
    jetstream: jetstream::Context,
    prefix: String,
    source: String,
    replicas: usize,
    max_age: Duration,
    max_bytes: i64,
    /// Counts the connections to NATS made so far: each change is a return after an outage.
    connections: tokio::sync::watch::Receiver<u64>,
}

/// The longest a client waits between attempts to reach NATS again: short, so consumers
/// and the relay resume within about a second of the server's return.
const MAX_RECONNECT_DELAY: Duration = Duration::from_millis(500);

impl EventBus {
    /// Connects without waiting for the server: a service starts while NATS is down, and its
    /// events wait in the outbox until NATS is back.
    pub async fn connect(settings: &NatsSettings, service: &str) -> anyhow::Result<Self> {
        let (connected, connections) = tokio::sync::watch::channel(0u64);
        let client = sign_in(settings)
            .await?
            .name(service)
            .retry_on_initial_connect()
            .connection_timeout(Duration::from_secs(5))
            .reconnect_delay_callback(|attempts| {
                Duration::from_millis(50u64.saturating_mul(attempts as u64))
                    .min(MAX_RECONNECT_DELAY)
            })
            .event_callback(move |event| {
                let connected = connected.clone();
                async move {
                    if matches!(event, async_nats::Event::Connected) {
                        connected.send_modify(|n| *n += 1);
                    }
                }
            })
            .connect(settings.url.as_str())
            .await?;
        let mut jetstream = jetstream::new(client.clone());
        jetstream.set_timeout(Duration::from_secs(5));
        Ok(Self {
            client,
            jetstream,
            prefix: settings.subject_prefix.clone(),
            source: format!("/services/{service}"),
            replicas: settings.stream_replicas.max(1),
            max_age: Duration::from_secs(u64::from(settings.stream_max_age_days) * 86_400),
            max_bytes: settings.stream_max_bytes,
            connections,
        })
    }

    /// Changes each time the client reaches NATS again after losing it: consumers and the
    /// relay start over at once rather than waiting for a missed heartbeat or a backoff.
    pub fn reconnections(&self) -> tokio::sync::watch::Receiver<u64> {
        let mut watch = self.connections.clone();
        watch.mark_unchanged();
        watch
    }

    pub fn client(&self) -> &async_nats::Client {
        &self.client
    }

    pub fn jetstream(&self) -> &jetstream::Context {
        &self.jetstream
    }

    /// `ce-source` of the events this service produces.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The subject as published in this deployment.
    pub fn subject(&self, subject: &str) -> String {
        format!("{}{subject}", self.prefix)
    }

    /// The subject as the platform names it, without the deployment's prefix.
    pub fn unprefixed<'a>(&self, subject: &'a str) -> &'a str {
        subject
            .strip_prefix(self.prefix.as_str())
            .unwrap_or(subject)
    }

    /// The stream that holds every event of `area`, e.g. `HOUSING_RENT`.
    pub fn stream_name(&self, area: &str) -> String {
        stream_name(&self.prefix, area)
    }

    /// Creates the stream this service owns (`housing.<area>.>`), or brings an existing one
    /// up to this deployment's settings: a stream first made with one replica gains the
    /// configured replicas, and new age and size limits apply, without losing its events.
    pub async fn ensure_stream(&self, area: &str) -> anyhow::Result<stream::Stream> {
        let wanted = stream::Config {
            name: self.stream_name(area),
            subjects: vec![self.subject(&format!("housing.{area}.>"))],
            storage: stream::StorageType::File,
            // Long enough to cover a relay retrying after NATS was away for a while.
            duplicate_window: Duration::from_secs(600),
            num_replicas: self.replicas,
            max_age: self.max_age,
            max_bytes: self.max_bytes,
            discard: stream::DiscardPolicy::Old,
            ..Default::default()
        };
        let mut stream = self.jetstream.get_or_create_stream(wanted.clone()).await?;
        let have = &stream.info().await?.config;
        let stale = have.num_replicas != wanted.num_replicas
            || have.max_age != wanted.max_age
            || have.max_bytes != wanted.max_bytes
            || have.duplicate_window != wanted.duplicate_window
            || have.subjects != wanted.subjects
            || have.discard != wanted.discard;
        if stale {
            tracing::info!(
                stream = %wanted.name,
                replicas = wanted.num_replicas,
                max_age_days = self.max_age.as_secs() / 86_400,
                max_bytes = wanted.max_bytes,
                "bringing the stream up to its settings"
            );
            self.jetstream.update_stream(&wanted).await?;
            stream = self.jetstream.get_stream(&wanted.name).await?;
        }
        Ok(stream)
    }
}

/// The connection options a secured cluster asks for: who this service is, and the
/// authority its servers' certificates must come from.
async fn sign_in(settings: &NatsSettings) -> anyhow::Result<async_nats::ConnectOptions> {
    let mut options = async_nats::ConnectOptions::new();
    if !settings.user.is_empty() {
        options =
            options.user_and_password(settings.user.clone(), settings.password.expose().to_owned());
    }
    if !settings.credentials_file.is_empty() {
        options = options
            .credentials_file(&settings.credentials_file)
            .await
            .map_err(|e| {
                anyhow::anyhow!("nats.credentials_file {}: {e}", settings.credentials_file)
            })?;
    }
    if !settings.nkey_seed.expose().is_empty() {
        options = options.nkey(settings.nkey_seed.expose().to_owned());
    }
    if !settings.tls_ca_file.is_empty() {
        options = options
            .add_root_certificates(settings.tls_ca_file.clone().into())
            .require_tls(true);
    }
    if !settings.tls_client_certificate_file.is_empty() {
        options = options.add_client_certificate(
            settings.tls_client_certificate_file.clone().into(),
            settings.tls_client_key_file.clone().into(),
        );
    }
    Ok(options)
}

/// Stream names cannot hold dots: a prefix like `t1a2b.` becomes `T1A2B_`.
pub fn stream_name(prefix: &str, area: &str) -> String {
    let prefix: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}HOUSING_{}", area.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    #[test]
    fn stream_names_carry_the_prefix_without_dots() {
        assert_eq!(super::stream_name("", "rent"), "HOUSING_RENT");
        assert_eq!(
            super::stream_name("t1a2.", "accommodation"),
            "T1A2_HOUSING_ACCOMMODATION"
        );
    }
}
