//! A service calling another on its own account: it asks the provider for a token by OAuth
//! client credentials (its own client id and secret) for the audience of the service it
//! calls, and keeps it until shortly before it expires. No service can sign a token.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;
use tonic::{Request, Status};

use super::discovery;
use crate::settings::{AuthSettings, Secret};

/// A token is fetched again this long before it expires, so no call carries one that
/// lapses on the way.
const EARLY: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct ServiceTokens {
    inner: Arc<Inner>,
}

struct Inner {
    issuer: String,
    client_id: String,
    client_secret: Secret,
    scope: String,
    http: reqwest::Client,
    token_endpoint: Mutex<Option<String>>,
    cache: Mutex<HashMap<String, (String, Instant)>>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
}

impl ServiceTokens {
    pub fn new(settings: &AuthSettings) -> Self {
        Self {
            inner: Arc::new(Inner {
                issuer: settings.issuer.clone(),
                client_id: settings.client_id.clone(),
                client_secret: settings.client_secret.clone(),
                scope: settings.token_scope.clone(),
                http: discovery::http_client(),
                token_endpoint: Mutex::default(),
                cache: Mutex::default(),
            }),
        }
    }

    /// What is missing for this service to call others, naming the settings.
    pub fn problems(settings: &AuthSettings) -> Vec<String> {
        let mut problems = Vec::new();
        if settings.client_id.is_empty() {
            problems.push("auth.client_id (HOUSING__AUTH__CLIENT_ID) is not set: this service calls another and needs its own client at the provider".to_owned());
        }
        if settings.client_secret.is_empty() {
            problems
                .push("auth.client_secret (HOUSING__AUTH__CLIENT_SECRET) is not set".to_owned());
        }
        problems
    }

    /// A bearer token for calling the service whose audience is `audience`; `UNAVAILABLE`
    /// when the provider cannot give one.
    pub async fn token(&self, audience: &str) -> Result<String, Status> {
        let mut cache = self.inner.cache.lock().await;
        if let Some((token, until)) = cache.get(audience)
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let (token, lifetime) = self.fetch(audience).await.map_err(|error| {
            tracing::warn!(%error, audience, "no token from the OpenID provider");
            Status::unavailable(format!(
                "this service could not get a token for {audience} from the OpenID provider"
            ))
        })?;
        let until = Instant::now() + lifetime.saturating_sub(EARLY);
        cache.insert(audience.to_owned(), (token.clone(), until));
        Ok(token)
    }

    async fn fetch(&self, audience: &str) -> anyhow::Result<(String, Duration)> {
        let endpoint = {
            let mut known = self.inner.token_endpoint.lock().await;
            match known.as_ref() {
                Some(url) => url.clone(),
                None => {
                    let url = discovery::fetch(&self.inner.http, &self.inner.issuer)
                        .await?
                        .token_endpoint;
                    *known = Some(url.clone());
                    url
                }
            }
        };
        let scope = self.inner.scope.replace("{audience}", audience);
        let mut form = vec![("grant_type", "client_credentials"), ("resource", audience)];
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        let response: TokenResponse = serde_json::from_slice(
            &self
                .inner
                .http
                .post(endpoint)
                .basic_auth(
                    &self.inner.client_id,
                    Some(self.inner.client_secret.expose()),
                )
                .form(&form)
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?,
        )?;
        Ok((
            response.access_token,
            Duration::from_secs(response.expires_in),
        ))
    }
}

/// Adds `authorization: Bearer <token>` and the trace context to outgoing requests.
#[derive(Clone)]
pub struct BearerToken(pub tonic::metadata::MetadataValue<tonic::metadata::Ascii>);

impl BearerToken {
    pub fn new(token: &str) -> Self {
        Self(
            format!("Bearer {token}")
                .parse()
                .expect("a JWT is valid ASCII metadata"),
        )
    }
}

impl tonic::service::Interceptor for BearerToken {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        request
            .metadata_mut()
            .insert("authorization", self.0.clone());
        crate::telemetry::inject_current(&mut crate::telemetry::MetadataInjector(
            request.metadata_mut(),
        ));
        Ok(request)
    }
}
