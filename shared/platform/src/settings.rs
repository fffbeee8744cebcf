//! Layered configuration: built-in defaults, then `config/<environment>.yaml`, then
//! `HOUSING__SECTION__KEY` environment variables. The same keys work locally and in
//! Kubernetes, where they arrive as environment variables from a ConfigMap and a Secret.

use std::path::PathBuf;

use config::{Config, Environment, File, FileFormat};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Defaults every service shares; a service adds its own section under `service`.
const PLATFORM_DEFAULTS: &str = include_str!("../config/default.yaml");

/// Everything a service is configured with. `S` is the service's own section.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings<S> {
    pub environment: String,
    pub grpc: GrpcSettings,
    pub database: DatabaseSettings,
    pub nats: NatsSettings,
    pub telemetry: TelemetrySettings,
    pub auth: AuthSettings,
    pub service: S,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GrpcSettings {
    pub host: String,
    pub port: u16,
    pub max_message_bytes: usize,
    /// How long a draining server answers NOT_SERVING before it stops taking calls, so load
    /// balancers move traffic away first.
    pub drain_seconds: u64,
}

#[derive(Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
    /// Run migrations at start; off where a migration Job runs them.
    pub migrate_on_start: bool,
}

impl std::fmt::Debug for DatabaseSettings {
    // The URL may carry a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &"<redacted>")
            .field("max_connections", &self.max_connections)
            .field("migrate_on_start", &self.migrate_on_start)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct NatsSettings {
    pub url: String,
    /// Put before every subject and stream name; empty in production, unique per test.
    pub subject_prefix: String,
    /// Copies JetStream keeps of this service's stream: 3 on a three-server cluster, so a
    /// stream stays available while one server is down.
    pub stream_replicas: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TelemetrySettings {
    pub log_filter: String,
    pub log_format: LogFormat,
    /// OTLP/gRPC collector endpoint, e.g. `http://otel-collector:4317`; empty for none.
    pub otlp_endpoint: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Clone, Deserialize)]
pub struct AuthSettings {
    /// HMAC key that staff tokens are signed with.
    pub jwt_secret: String,
    pub jwt_issuer: String,
}

impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("jwt_secret", &"<redacted>")
            .field("jwt_issuer", &self.jwt_issuer)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct SettingsError(#[from] config::ConfigError);

/// Where the layers come from; tests point these elsewhere.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The service's own defaults (YAML), embedded in its binary.
    pub service_defaults: &'static str,
    /// Folder holding `<environment>.yaml`; `HOUSING_CONFIG_DIR` or `./config`.
    pub config_dir: PathBuf,
    /// `HOUSING_ENVIRONMENT` or `local`.
    pub environment: String,
    /// Environment variables to read instead of the process's (for tests).
    pub env_override: Option<std::collections::HashMap<String, String>>,
}

impl Sources {
    pub fn from_process(service_defaults: &'static str) -> Self {
        Self {
            service_defaults,
            config_dir: std::env::var_os("HOUSING_CONFIG_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("config")),
            environment: std::env::var("HOUSING_ENVIRONMENT").unwrap_or_else(|_| "local".into()),
            env_override: None,
        }
    }
}

pub fn load<S: DeserializeOwned>(sources: &Sources) -> Result<Settings<S>, SettingsError> {
    let env = Environment::with_prefix("HOUSING")
        .prefix_separator("__")
        .separator("__")
        .try_parsing(true)
        .source(sources.env_override.clone());
    let settings = Config::builder()
        .add_source(File::from_str(PLATFORM_DEFAULTS, FileFormat::Yaml))
        .add_source(File::from_str(sources.service_defaults, FileFormat::Yaml))
        .set_override("environment", sources.environment.clone())?
        .add_source(
            File::from(
                sources
                    .config_dir
                    .join(format!("{}.yaml", sources.environment)),
            )
            .format(FileFormat::Yaml)
            .required(false),
        )
        .add_source(env)
        .build()?;
    Ok(settings.try_deserialize()?)
}
