//! The provider's discovery document (OpenID Connect Discovery 1.0): where its keys and its
//! token endpoint are.

use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub jwks_uri: String,
    pub token_endpoint: String,
    /// Where people sign in; a service that only verifies tokens never needs it.
    #[serde(default)]
    pub authorization_endpoint: String,
    /// Where a signed-in person is signed out (RP-initiated logout), if the provider has it.
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
}

/// One HTTP client for talking to the provider. HTTPS uses ring, as the rest of the
/// platform does, and the system's trusted roots.
pub fn http_client() -> reqwest::Client {
    // Another part of the process may have installed it already; either way ring is in.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(5))
        .build()
        .expect("an HTTP client with ring builds")
}

/// `<issuer>/.well-known/openid-configuration`, checked to name the configured issuer.
pub async fn fetch(http: &reqwest::Client, issuer: &str) -> anyhow::Result<Discovery> {
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let discovery: Discovery = json(http.get(&url)).await?;
    anyhow::ensure!(
        discovery.issuer.trim_end_matches('/') == issuer.trim_end_matches('/'),
        "{url} names issuer {} rather than {issuer}",
        discovery.issuer
    );
    Ok(discovery)
}

/// The JSON body of a successful answer to `request`.
pub async fn json<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
) -> anyhow::Result<T> {
    let body = request.send().await?.error_for_status()?.bytes().await?;
    Ok(serde_json::from_slice(&body)?)
}
