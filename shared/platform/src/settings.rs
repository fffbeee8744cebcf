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
    pub housekeeping: HousekeepingSettings,
    pub admin: AdminSettings,
    pub service: S,
}

/// The admin port: `/metrics` for Prometheus, apart from the gRPC port so network policy
/// can let monitoring in and nothing else.
#[derive(Debug, Clone, Deserialize)]
pub struct AdminSettings {
    /// 0 for any free port (logged at start), as each service on one machine needs its own.
    pub port: u16,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GrpcSettings {
    pub host: String,
    pub port: u16,
    pub max_message_bytes: usize,
    /// How long a draining server answers NOT_SERVING before it stops taking calls, so load
    /// balancers move traffic away first.
    pub drain_seconds: u64,
    /// Calls answered at once across every connection; one more is refused at once with
    /// RESOURCE_EXHAUSTED (health and reflection are never refused).
    pub max_concurrent_calls: usize,
    /// The longest a call may take before it is answered DEADLINE_EXCEEDED.
    pub call_timeout_seconds: u64,
}

/// A setting that must never be printed (a password, a key, a URL carrying a password): its
/// `Debug` shows `<redacted>`, so settings can be logged whole.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// May carry a password.
    pub url: Secret,
    pub max_connections: u32,
    /// Run migrations at start; off where a migration Job runs them.
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NatsSettings {
    pub url: String,
    /// Put before every subject and stream name; empty in production, unique per test.
    pub subject_prefix: String,
    /// Copies JetStream keeps of this service's stream: 3 on a three-server cluster, so a
    /// stream stays available while one server is down.
    pub stream_replicas: usize,
    /// Events older than this leave the stream: every consumer must have read them by then.
    pub stream_max_age_days: u32,
    /// The most the stream may hold, the oldest events going first beyond it; -1 for no
    /// limit. JetStream reserves it from the server's storage.
    pub stream_max_bytes: i64,
    /// Sign-in to the NATS cluster: a user and password, a creds file (JWT and nkey seed),
    /// or an nkey seed; empty for none.
    pub user: String,
    pub password: Secret,
    pub credentials_file: String,
    pub nkey_seed: Secret,
    /// TLS: the authority that signed the servers' certificates (a `tls://` URL, or this,
    /// requires TLS), and a client certificate and key where the cluster asks for one.
    pub tls_ca_file: String,
    pub tls_client_certificate_file: String,
    pub tls_client_key_file: String,
}

impl NatsSettings {
    /// What is inconsistent in the sign-in and TLS settings, naming each.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let ways = [
            !self.user.is_empty(),
            !self.credentials_file.is_empty(),
            !self.nkey_seed.expose().is_empty(),
        ];
        if ways.iter().filter(|&&w| w).count() > 1 {
            problems.push(
                "nats.user, nats.credentials_file and nats.nkey_seed are alternatives: set one"
                    .into(),
            );
        }
        if self.user.is_empty() != self.password.expose().is_empty() {
            problems.push(
                "nats.user (HOUSING__NATS__USER) and nats.password (HOUSING__NATS__PASSWORD) go together".into(),
            );
        }
        if self.tls_client_certificate_file.is_empty() != self.tls_client_key_file.is_empty() {
            problems.push(
                "nats.tls_client_certificate_file and nats.tls_client_key_file go together".into(),
            );
        }
        problems
    }
}

/// How long the records that make delivery exactly-once are kept before a daily job prunes
/// them: published outbox rows, inbox rows and idempotency keys.
#[derive(Debug, Clone, Deserialize)]
pub struct HousekeepingSettings {
    /// Must be at least the stream's age limit, or an event still in the stream could be
    /// handled a second time once its inbox row is gone.
    pub keep_days: u32,
    /// Off only where a test drives it.
    pub run_daily: bool,
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

/// How bearer tokens are checked: against the council's OpenID provider, or (tests and
/// benchmarks only) not at all.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    Oidc,
    /// Every call is let through as one caller holding every staff role. Refused outside the
    /// `test` environment; benchmarks use it to measure what verification costs.
    Off,
}

/// One of the provider's role values and the role it means here.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct RoleMapping {
    pub claim: String,
    pub role: crate::auth::Role,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    pub mode: AuthMode,
    /// The provider's issuer URL, exactly as its tokens name it; discovery is read from
    /// `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    /// This service's audience: tokens for any other are refused.
    pub audience: String,
    /// The claim that carries roles, as a dotted path: `roles` (Entra ID app roles),
    /// `groups`, `realm_access.roles` (Keycloak).
    pub roles_claim: String,
    /// The claim with the person's display name.
    pub name_claim: String,
    /// The provider's role values and ours; values not listed grant nothing.
    pub role_map: Vec<RoleMapping>,
    /// Clock difference tolerated on expiry and not-before.
    pub leeway_seconds: u64,
    /// How often the provider's key set is read again, so a withdrawn key stops working.
    pub jwks_refresh_seconds: u64,
    /// A token naming an unknown key makes the service read the key set again at most this
    /// often, so junk tokens cannot make it hammer the provider.
    pub jwks_min_refetch_seconds: u64,
    /// This service's own client at the provider, for calling other services.
    pub client_id: String,
    pub client_secret: Secret,
    /// The `scope` sent with a client-credentials request, `{audience}` standing for the
    /// service called: `{audience}/.default` for Entra ID; empty sends `resource` alone.
    pub token_scope: String,
}

impl<S> Settings<S> {
    /// Everything that stops a gRPC service starting, each naming the setting: the
    /// authentication settings anywhere, and in production every development-only value.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = self.web_problems();
        problems.extend(self.nats.problems());
        if self.housekeeping.keep_days < self.nats.stream_max_age_days {
            problems.push(format!(
                "housekeeping.keep_days ({}) is less than nats.stream_max_age_days ({}): an event still in the stream could be handled twice once its inbox row is pruned",
                self.housekeeping.keep_days, self.nats.stream_max_age_days
            ));
        }
        if self.environment == "production" {
            let defaults = defaults();
            if self.grpc.host == default_of(&defaults, "grpc.host") {
                problems.push(format!(
                    "grpc.host (HOUSING__GRPC__HOST) is the development default {}: name the address to listen on",
                    self.grpc.host
                ));
            }
            if self.nats.url == default_of(&defaults, "nats.url") {
                problems.push(
                    "nats.url (HOUSING__NATS__URL) is the development default: name the NATS cluster".into(),
                );
            }
        }
        problems
    }

    /// The same for an application that serves no gRPC and publishes no events (the
    /// console): authentication, and in production its database and client secret.
    pub fn web_problems(&self) -> Vec<String> {
        let mut problems = self.auth.problems(&self.environment);
        if self.environment != "production" {
            return problems;
        }
        if self.database.url.expose() == default_of(&defaults(), "database.url") {
            problems.push(
                "database.url (HOUSING__DATABASE__URL) is the development default: name the service's own database".into(),
            );
        }
        if self.auth.mode == AuthMode::Oidc && !self.auth.client_id.is_empty() {
            let secret = self.auth.client_secret.expose();
            if secret.trim().is_empty() {
                problems.push(format!(
                    "auth.client_secret (HOUSING__AUTH__CLIENT_SECRET) is empty: set client {}'s secret from the provider",
                    self.auth.client_id
                ));
            } else if secret.starts_with(LOCAL_SECRET_PREFIX) {
                problems.push(
                    "auth.client_secret (HOUSING__AUTH__CLIENT_SECRET) is the local provider's published development secret".into(),
                );
            }
        }
        problems
    }
}

fn default_of(defaults: &Config, key: &str) -> String {
    defaults.get_string(key).unwrap_or_default()
}

/// Every client secret of the repository's local OpenID provider (deploy/oidc/realm.json)
/// starts so; they are public, so production refuses them.
const LOCAL_SECRET_PREFIX: &str = "local-";

/// The built-in defaults alone, to tell a development value left in place.
fn defaults() -> Config {
    Config::builder()
        .add_source(File::from_str(PLATFORM_DEFAULTS, FileFormat::Yaml))
        .build()
        .unwrap_or_default()
}

impl AuthSettings {
    /// What is wrong with these settings in `environment`, each naming the setting.
    pub fn problems(&self, environment: &str) -> Vec<String> {
        let mut problems = Vec::new();
        if self.mode == AuthMode::Off {
            if environment != "test" {
                problems.push(format!(
                    "auth.mode (HOUSING__AUTH__MODE) is off, which only the test environment allows, not {environment}"
                ));
            }
            return problems;
        }
        if self.issuer.trim().is_empty() {
            problems.push("auth.issuer (HOUSING__AUTH__ISSUER) is not set: name the OpenID provider's issuer URL".into());
        } else if environment == "production" && !self.issuer.starts_with("https://") {
            problems.push(format!(
                "auth.issuer (HOUSING__AUTH__ISSUER) must be https in production, not {}",
                self.issuer
            ));
        }
        if self.audience.trim().is_empty() {
            problems.push("auth.audience (HOUSING__AUTH__AUDIENCE) is not set: name this service's audience at the provider".into());
        }
        if self.roles_claim.trim().is_empty() {
            problems.push("auth.roles_claim (HOUSING__AUTH__ROLES_CLAIM) is not set".into());
        }
        if self.role_map.is_empty() {
            problems.push("auth.role_map maps no provider role to ours".into());
        }
        problems
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn secrets_are_read_as_given_and_never_printed() {
        let env = HashMap::from([
            (
                "HOUSING__DATABASE__URL".to_owned(),
                "postgres://app:pa55word@db/housing".to_owned(),
            ),
            ("HOUSING__AUTH__CLIENT_SECRET".to_owned(), "k3y".to_owned()),
        ]);
        let settings: Settings<serde::de::IgnoredAny> = load(&Sources {
            service_defaults: "service: {}",
            config_dir: std::env::temp_dir().join("platform-settings-no-config"),
            environment: "test".into(),
            env_override: Some(env),
        })
        .expect("settings load");
        assert_eq!(
            settings.database.url.expose(),
            "postgres://app:pa55word@db/housing"
        );
        assert_eq!(settings.auth.client_secret.expose(), "k3y");
        let printed = format!("{settings:?}");
        assert!(
            !printed.contains("pa55word") && !printed.contains("k3y"),
            "{printed}"
        );
        assert!(printed.contains("url: \"<redacted>\""), "{printed}");
    }
}
