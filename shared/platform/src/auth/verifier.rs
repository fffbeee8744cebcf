//! Verifying the provider's access tokens: asymmetric signatures only, checked with the key
//! the token names from the provider's published key set, then issuer, audience, expiry and
//! not-before. The key set is cached, read again on a schedule so withdrawn keys stop
//! working, and at once (rate-limited) when a token names a key not yet seen, so the
//! provider can rotate keys with no restart here.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind};
use serde_json::Value;
use tokio::sync::{Mutex, RwLock};
use tonic::Status;

use super::{Caller, Role, discovery};
use crate::settings::{AuthMode, AuthSettings};

/// Asymmetric algorithms only: a symmetric one would let anyone holding the verification
/// key mint tokens.
const ACCEPTED: &[(&str, Algorithm)] = &[
    ("RS256", Algorithm::RS256),
    ("RS384", Algorithm::RS384),
    ("RS512", Algorithm::RS512),
    ("PS256", Algorithm::PS256),
    ("PS384", Algorithm::PS384),
    ("PS512", Algorithm::PS512),
    ("ES256", Algorithm::ES256),
    ("ES384", Algorithm::ES384),
    ("EdDSA", Algorithm::EdDSA),
];

fn refused(why: impl std::fmt::Display) -> Status {
    Status::unauthenticated(format!("invalid token: {why}"))
}

/// How a service authenticates its callers.
#[derive(Clone)]
pub enum Authenticator {
    Oidc(Arc<Verifier>),
    /// Authentication switched off (test environment only): every call is one caller with
    /// every staff role.
    Off,
}

impl Authenticator {
    /// From settings already checked with [`AuthSettings::problems`].
    pub fn new(settings: &AuthSettings) -> Self {
        match settings.mode {
            AuthMode::Oidc => Self::Oidc(Arc::new(Verifier::new(settings))),
            AuthMode::Off => Self::Off,
        }
    }

    /// The caller presenting `authorization`, or why not.
    pub async fn authenticate(&self, authorization: Option<&str>) -> Result<Caller, Status> {
        match self {
            Self::Off => Ok(Caller {
                id: "authentication-off".into(),
                name: "Authentication switched off".into(),
                roles: Role::STAFF.to_vec(),
            }),
            Self::Oidc(verifier) => {
                let token = authorization
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .ok_or_else(|| Status::unauthenticated("missing bearer token"))?;
                verifier.verify(token.trim()).await
            }
        }
    }

    /// Reads the provider's keys, so the first call need not wait for them; a provider not
    /// yet up is only logged.
    pub async fn warm_up(&self) {
        if let Self::Oidc(verifier) = self
            && let Err(error) = verifier.refresh().await
        {
            tracing::warn!(%error, "the OpenID provider's keys could not be read yet");
        }
    }
}

struct Key {
    algorithm: Algorithm,
    key: DecodingKey,
}

struct Verified {
    caller: Caller,
    expires: u64,
    kid: String,
}

/// Verified tokens remembered at most; past it the memory starts afresh.
const VERIFIED_MAX: usize = 10_000;

#[derive(Default)]
struct Keys {
    by_kid: HashMap<String, Arc<Key>>,
    fetched: Option<Instant>,
}

pub struct Verifier {
    issuer: String,
    audience: String,
    roles_claim: Vec<String>,
    name_claim: String,
    role_map: HashMap<String, Role>,
    leeway: u64,
    refresh_every: Duration,
    min_refetch: Duration,
    http: reqwest::Client,
    keys: RwLock<Keys>,
    /// Held while reading the key set, so concurrent calls read it once; remembers when the
    /// last read was tried, successful or not.
    fetching: Mutex<Option<Instant>>,
    /// Tokens already verified, by their whole text, with their expiry and key: a caller
    /// presents the same token on every call for its lifetime, and checking the signature
    /// again each time would cost more than the call itself.
    verified: std::sync::Mutex<HashMap<String, Verified>>,
    /// Where newly seen subjects and names go to be recorded, and those already sent.
    directory: std::sync::OnceLock<tokio::sync::mpsc::Sender<(String, String)>>,
    sent: std::sync::Mutex<HashMap<String, String>>,
}

impl Verifier {
    pub fn new(settings: &AuthSettings) -> Self {
        Self {
            issuer: settings.issuer.trim_end_matches('/').to_owned(),
            audience: settings.audience.clone(),
            roles_claim: settings.roles_claim.split('.').map(str::to_owned).collect(),
            name_claim: settings.name_claim.clone(),
            role_map: settings
                .role_map
                .iter()
                .map(|m| (m.claim.clone(), m.role))
                .collect(),
            leeway: settings.leeway_seconds,
            refresh_every: Duration::from_secs(settings.jwks_refresh_seconds),
            min_refetch: Duration::from_secs(settings.jwks_min_refetch_seconds),
            http: discovery::http_client(),
            keys: RwLock::default(),
            fetching: Mutex::default(),
            verified: std::sync::Mutex::default(),
            directory: std::sync::OnceLock::new(),
            sent: std::sync::Mutex::default(),
        }
    }

    /// The caller of a token verified before, while it is unexpired and the key that signed
    /// it is still published in a key set read within the refresh interval.
    async fn remembered(&self, token: &str) -> Option<Caller> {
        let (caller, kid) = {
            let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
            let entry = verified.get(token)?;
            if entry.expires + self.leeway <= jsonwebtoken::get_current_timestamp() {
                verified.remove(token);
                return None;
            }
            (entry.caller.clone(), entry.kid.clone())
        };
        let keys = self.keys.read().await;
        let fresh = keys
            .fetched
            .is_some_and(|at| at.elapsed() < self.refresh_every);
        (fresh && keys.by_kid.contains_key(&kid)).then_some(caller)
    }

    fn remember(&self, token: &str, caller: &Caller, expires: u64, kid: &str) {
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if verified.len() >= VERIFIED_MAX {
            verified.clear();
        }
        verified.insert(
            token.to_owned(),
            Verified {
                caller: caller.clone(),
                expires,
                kid: kid.to_owned(),
            },
        );
    }

    /// Sends each subject's name to `directory` when first seen (or changed), so a service
    /// can record who its decisions' subjects are without a write on every call.
    pub fn record_people(&self, directory: tokio::sync::mpsc::Sender<(String, String)>) {
        let _ = self.directory.set(directory);
    }

    fn note(&self, caller: &Caller) {
        let Some(directory) = self.directory.get() else {
            return;
        };
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        if sent.get(&caller.id) != Some(&caller.name)
            && directory
                .try_send((caller.id.clone(), caller.name.clone()))
                .is_ok()
        {
            sent.insert(caller.id.clone(), caller.name.clone());
        }
    }

    /// The verified caller, or `UNAUTHENTICATED` saying which check failed (`UNAVAILABLE`
    /// when the provider's keys cannot be read at all).
    pub async fn verify(&self, token: &str) -> Result<Caller, Status> {
        if let Some(caller) = self.remembered(token).await {
            return Ok(caller);
        }
        let mut parts = token.split('.');
        let (Some(header), Some(_), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(refused("not a JWT"));
        };
        // The header is read here, before the library sees it, so `none` and symmetric
        // algorithms are refused by name rather than reported as a parse error.
        let header: Value = URL_SAFE_NO_PAD
            .decode(header)
            .ok()
            .and_then(|h| serde_json::from_slice(&h).ok())
            .ok_or_else(|| refused("unreadable header"))?;
        let alg = header.get("alg").and_then(Value::as_str).unwrap_or("none");
        let Some(&(_, algorithm)) = ACCEPTED.iter().find(|(name, _)| *name == alg) else {
            return Err(refused(format!(
                "algorithm {alg} is not accepted; only asymmetric signatures (RS256, ES256, EdDSA and kin)"
            )));
        };
        let kid = header
            .get("kid")
            .and_then(Value::as_str)
            .ok_or_else(|| refused("the header names no signing key (kid)"))?;
        let key = self
            .key(kid)
            .await?
            .ok_or_else(|| refused(format!("unknown signing key {kid}")))?;
        if key.algorithm != algorithm {
            return Err(refused(format!(
                "algorithm {alg} does not match key {kid}, which is {:?}",
                key.algorithm
            )));
        }

        let mut validation = Validation::new(algorithm);
        validation.leeway = self.leeway;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<Value>(token, &key.key, &validation)
            .map_err(|e| {
                refused(match e.kind() {
                    ErrorKind::InvalidSignature => "the signature does not verify".to_owned(),
                    ErrorKind::ExpiredSignature => "expired".to_owned(),
                    ErrorKind::ImmatureSignature => "not yet valid".to_owned(),
                    ErrorKind::InvalidIssuer => {
                        format!("wrong issuer: this service trusts {}", self.issuer)
                    }
                    ErrorKind::InvalidAudience => format!(
                        "the audience is another service's: this service is {}",
                        self.audience
                    ),
                    ErrorKind::MissingRequiredClaim(claim) => format!("no {claim} claim"),
                    other => format!("{other:?}"),
                })
            })?
            .claims;

        // RFC 9068 tokens need not carry `nbf`: one issued in the future is not yet valid.
        let now = jsonwebtoken::get_current_timestamp();
        if claims
            .get("iat")
            .and_then(Value::as_u64)
            .is_some_and(|iat| iat > now + self.leeway)
        {
            return Err(refused("not yet valid: issued in the future"));
        }
        if claims.get("partner_id").is_some() {
            return Err(refused(
                "partner credentials are not accepted here: partners connect with mutual TLS on the partner port",
            ));
        }
        let id = claims
            .get("sub")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| refused("the sub claim is empty"))?
            .to_owned();
        let name = claims
            .get(&self.name_claim)
            .or_else(|| claims.get("preferred_username"))
            .and_then(Value::as_str)
            .unwrap_or(&id)
            .to_owned();
        let caller = Caller {
            roles: self.roles(&claims),
            id,
            name,
        };
        self.note(&caller);
        if let Some(expires) = claims.get("exp").and_then(Value::as_u64) {
            self.remember(token, &caller, expires, kid);
        }
        Ok(caller)
    }

    /// Our roles for the provider's role values at the configured claim; a single string
    /// counts as a list of one.
    fn roles(&self, claims: &Value) -> Vec<Role> {
        let found = self
            .roles_claim
            .iter()
            .try_fold(claims, |value, step| value.get(step));
        let values: Vec<&str> = match found {
            Some(Value::Array(values)) => values.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(value)) => vec![value.as_str()],
            _ => Vec::new(),
        };
        let mut roles: Vec<Role> = values
            .into_iter()
            .filter_map(|v| self.role_map.get(v).copied())
            .collect();
        roles.sort_by_key(|r| r.as_str());
        roles.dedup();
        roles
    }

    /// The key `kid`, reading the key set again when it is due or when `kid` is new to us.
    async fn key(&self, kid: &str) -> Result<Option<Arc<Key>>, Status> {
        {
            let keys = self.keys.read().await;
            let fresh = keys
                .fetched
                .is_some_and(|at| at.elapsed() < self.refresh_every);
            if fresh && let Some(key) = keys.by_kid.get(kid) {
                return Ok(Some(key.clone()));
            }
        }
        let outcome = self.refresh_if_allowed().await;
        let keys = self.keys.read().await;
        match (keys.by_kid.get(kid), outcome) {
            (Some(key), _) => Ok(Some(key.clone())),
            (None, Err(error)) if keys.fetched.is_none() => {
                tracing::warn!(%error, "the OpenID provider's keys cannot be read");
                Err(Status::unavailable(
                    "the OpenID provider's keys cannot be read; try again shortly",
                ))
            }
            (None, _) => Ok(None),
        }
    }

    /// Reads the key set unless it was read (or tried) within the minimum interval and is
    /// not yet due.
    async fn refresh_if_allowed(&self) -> anyhow::Result<()> {
        let mut last_try = self.fetching.lock().await;
        let due = self
            .keys
            .read()
            .await
            .fetched
            .is_none_or(|at| at.elapsed() >= self.refresh_every);
        if !due && last_try.is_some_and(|at| at.elapsed() < self.min_refetch) {
            return Ok(());
        }
        *last_try = Some(Instant::now());
        self.fetch().await
    }

    pub(super) async fn refresh(&self) -> anyhow::Result<()> {
        let mut last_try = self.fetching.lock().await;
        *last_try = Some(Instant::now());
        self.fetch().await
    }

    async fn fetch(&self) -> anyhow::Result<()> {
        let discovery = discovery::fetch(&self.http, &self.issuer).await?;
        let set: JwkSet = discovery::json(self.http.get(&discovery.jwks_uri)).await?;
        let mut by_kid = HashMap::new();
        for jwk in &set.keys {
            let Some(kid) = jwk.common.key_id.clone() else {
                continue;
            };
            let Some(algorithm) = key_algorithm(jwk) else {
                continue;
            };
            match DecodingKey::from_jwk(jwk) {
                Ok(key) => {
                    by_kid.insert(kid, Arc::new(Key { algorithm, key }));
                }
                Err(error) => tracing::warn!(%kid, %error, "a published key could not be read"),
            }
        }
        tracing::debug!(keys = by_kid.len(), "read the OpenID provider's keys");
        *self.keys.write().await = Keys {
            by_kid,
            fetched: Some(Instant::now()),
        };
        // Every token is checked afresh against the keys now published.
        self.verified
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        Ok(())
    }
}

/// The algorithm a published signing key is for: its `alg`, or the usual one for its
/// type. Encryption keys and symmetric keys are never used.
fn key_algorithm(jwk: &jsonwebtoken::jwk::Jwk) -> Option<Algorithm> {
    use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, PublicKeyUse};
    if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
        return None;
    }
    if let Some(alg) = jwk.common.key_algorithm {
        let name = format!("{alg:?}");
        return ACCEPTED.iter().find(|(n, _)| *n == name).map(|&(_, a)| a);
    }
    match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Some(Algorithm::RS256),
        AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
            EllipticCurve::P256 => Some(Algorithm::ES256),
            EllipticCurve::P384 => Some(Algorithm::ES384),
            _ => None,
        },
        AlgorithmParameters::OctetKeyPair(_) => Some(Algorithm::EdDSA),
        _ => None,
    }
}
