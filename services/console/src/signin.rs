//! Signing officers in through the OpenID provider: authorization code with PKCE as the
//! console's own confidential client, then the officer's access token for each service by
//! the refresh token (the provider rotates it on every use).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use housing_platform::auth::discovery::{self, Discovery};
use housing_platform::auth::{Caller, Verifier};
use housing_platform::settings::{AuthSettings, Secret};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

/// A random value for a browser to carry: 244 bits from the operating system's generator.
pub fn random_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

pub fn sha256(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(text.as_bytes()))
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("the OpenID provider could not be reached: {0}")]
    Provider(String),
    #[error("the provider refused: {0}")]
    Refused(String),
}

#[derive(Debug, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub expires_in: i64,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub id_token: Option<String>,
}

pub struct Provider {
    issuer: String,
    client_id: String,
    client_secret: Secret,
    redirect_uri: String,
    post_logout_uri: String,
    http: reqwest::Client,
    discovery: OnceCell<Discovery>,
    /// Checks the token the officer signs in with, as the register does, for who they are.
    verifier: Verifier,
    audiences: Vec<String>,
}

impl Provider {
    pub fn new(auth: &AuthSettings, public_url: &str, audiences: Vec<String>) -> Self {
        let public_url = public_url.trim_end_matches('/');
        Self {
            issuer: auth.issuer.clone(),
            client_id: auth.client_id.clone(),
            client_secret: auth.client_secret.clone(),
            redirect_uri: format!("{public_url}/auth/callback"),
            post_logout_uri: format!("{public_url}/signed-out"),
            http: discovery::http_client(),
            discovery: OnceCell::new(),
            verifier: Verifier::new(auth),
            audiences,
        }
    }

    async fn discovery(&self) -> Result<&Discovery, SignInError> {
        self.discovery
            .get_or_try_init(|| discovery::fetch(&self.http, &self.issuer))
            .await
            .map_err(|e| SignInError::Provider(format!("{e:#}")))
    }

    /// Where to send the browser to sign in, asking for every service's audience.
    pub async fn authorization_url(
        &self,
        state: &str,
        verifier: &str,
    ) -> Result<String, SignInError> {
        let endpoint = &self.discovery().await?.authorization_endpoint;
        let mut url = reqwest::Url::parse(endpoint)
            .map_err(|e| SignInError::Provider(format!("authorization endpoint: {e}")))?;
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("scope", "openid profile offline_access")
            .append_pair("state", state)
            .append_pair("code_challenge", &sha256(verifier))
            .append_pair("code_challenge_method", "S256");
        for audience in &self.audiences {
            url.query_pairs_mut().append_pair("resource", audience);
        }
        Ok(url.into())
    }

    async fn token_request(&self, form: &[(&str, &str)]) -> Result<Tokens, SignInError> {
        let endpoint = self.discovery().await?.token_endpoint.clone();
        let response = self
            .http
            .post(endpoint)
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .form(form)
            .send()
            .await
            .map_err(|e| SignInError::Provider(e.to_string()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| SignInError::Provider(e.to_string()))?;
        if !status.is_success() {
            return Err(SignInError::Refused(
                String::from_utf8_lossy(&body).into_owned(),
            ));
        }
        serde_json::from_slice(&body).map_err(|e| SignInError::Provider(e.to_string()))
    }

    /// The audience of the token a sign-in gives: the register's.
    pub fn first_audience(&self) -> &str {
        self.audiences.first().map(String::as_str).unwrap_or("")
    }

    /// The code the provider returned, exchanged for the officer's tokens, and who they are.
    pub async fn finish(
        &self,
        code: &str,
        verifier: &str,
    ) -> Result<(Tokens, Caller), SignInError> {
        let first = self.first_audience();
        let tokens = self
            .token_request(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("code_verifier", verifier),
                ("redirect_uri", &self.redirect_uri),
                ("resource", first),
            ])
            .await?;
        let caller = self
            .verifier
            .verify(&tokens.access_token)
            .await
            .map_err(|status| SignInError::Refused(status.message().to_owned()))?;
        Ok((tokens, caller))
    }

    /// A new access token for `audience` by `refresh_token`.
    pub async fn refresh(
        &self,
        refresh_token: &str,
        audience: &str,
    ) -> Result<Tokens, SignInError> {
        self.token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("resource", audience),
        ])
        .await
    }

    /// Where to send the browser so the provider ends its session too.
    pub async fn end_session_url(&self, id_token: &str) -> Option<String> {
        let endpoint = self.discovery().await.ok()?.end_session_endpoint.clone()?;
        let mut url = reqwest::Url::parse(&endpoint).ok()?;
        url.query_pairs_mut()
            .append_pair("id_token_hint", id_token)
            .append_pair("post_logout_redirect_uri", &self.post_logout_uri)
            .append_pair("client_id", &self.client_id);
        Some(url.into())
    }
}
