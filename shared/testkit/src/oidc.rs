//! The real OpenID provider tests sign in through: `HOUSING_TEST_OIDC_ISSUER` when set (the
//! test command starts one), else a private one on loopback that the first test process
//! starts for the rest. People sign in on its login page by authorization code with PKCE,
//! as a browser would; services use client credentials. No token here is signed by a test.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use housing_platform::auth::Role;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::servers::{free_port, wait_for, with_lock};

const PRIVATE_PORT: u16 = 59400;
/// The command-line client: public, PKCE, redirected to a loopback address nobody needs to
/// listen on, since the code is read from the redirect itself.
pub const CLI_CLIENT: &str = "housing-cli";
pub const CLI_REDIRECT: &str = "http://127.0.0.1:8400/callback";

/// The provider's configuration, as the repository ships it.
pub const REALM: &str = include_str!("../../../deploy/oidc/realm.json");

#[derive(Debug, Deserialize)]
struct Realm {
    people: Vec<Person>,
    clients: Vec<Client>,
}

/// A demo sign-in from the provider's configuration.
#[derive(Debug, Clone, Deserialize)]
pub struct Person {
    pub username: String,
    pub password: String,
    pub sub: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
struct Client {
    client_id: String,
    #[serde(default)]
    client_secret: String,
}

fn realm() -> &'static Realm {
    static REALM_PARSED: OnceLock<Realm> = OnceLock::new();
    REALM_PARSED.get_or_init(|| serde_json::from_str(REALM).expect("realm.json parses"))
}

/// The demo person with `username`.
pub fn person(username: &str) -> &'static Person {
    realm()
        .people
        .iter()
        .find(|p| p.username == username)
        .unwrap_or_else(|| panic!("no demo person {username} in deploy/oidc/realm.json"))
}

/// The demo officer who holds `role`.
pub fn officer(role: Role) -> &'static Person {
    person(match role {
        Role::RegisterAssistant => "reg.assistant",
        Role::AllocationsOfficer => "alloc.officer",
        Role::SeniorOfficer => "senior.officer",
        Role::TaOfficer => "ta.officer",
        Role::IncomeOfficer => "income.officer",
        Role::Manager => "manager",
        Role::Service => panic!("no person holds the service role"),
    })
}

/// The local secret of a service's client, from the provider's configuration.
pub fn client_secret(client_id: &str) -> &'static str {
    &realm()
        .clients
        .iter()
        .find(|c| c.client_id == client_id)
        .unwrap_or_else(|| panic!("no client {client_id} in deploy/oidc/realm.json"))
        .client_secret
}

fn oidc_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/oidc")
}

/// Installs the provider's packages from the committed lock file when they are missing.
fn ensure_installed() {
    with_lock("oidc-npm", || {
        if oidc_dir().join("node_modules/oidc-provider").is_dir() {
            return;
        }
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--silent"])
            .current_dir(oidc_dir())
            .status()
            .expect("npm runs (install Debian's nodejs and npm)");
        assert!(status.success(), "npm ci in deploy/oidc failed");
    });
}

/// The issuer every test's services trust.
pub fn issuer() -> &'static str {
    static ISSUER: OnceLock<String> = OnceLock::new();
    ISSUER.get_or_init(|| {
        if let Ok(issuer) = std::env::var("HOUSING_TEST_OIDC_ISSUER") {
            return issuer;
        }
        with_lock("oidc", || {
            if !crate::servers::listening(PRIVATE_PORT) {
                let keys = std::env::temp_dir().join("housing-testkit/oidc-keys.json");
                let provider = Provider::spawn(PRIVATE_PORT, &keys, 0);
                // Outlives this process: later test processes use it.
                std::mem::forget(provider);
            }
        });
        format!("http://127.0.0.1:{PRIVATE_PORT}")
    })
}

/// A provider of a test's own, for what the shared one must not do: rotate its keys, run
/// with a wrong clock, or stand in as another issuer with the same keys. Stopped on drop.
pub struct Provider {
    child: Child,
    pub issuer: String,
    port: u16,
    keys: PathBuf,
    clock_skew: i64,
}

impl Provider {
    /// A provider on a free port signing with the keys in `keys` (created when missing),
    /// its clock `clock_skew` seconds off.
    pub fn start(keys: &Path, clock_skew: i64) -> Self {
        Self::spawn(free_port(), keys, clock_skew)
    }

    fn spawn(port: u16, keys: &Path, clock_skew: i64) -> Self {
        ensure_installed();
        let issuer = format!("http://127.0.0.1:{port}");
        let child = Command::new("node")
            .arg(oidc_dir().join("provider.mjs"))
            .args(["serve", "--issuer", &issuer, "--keys"])
            .arg(keys)
            .args(["--clock-skew", &clock_skew.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs the provider (install Debian's nodejs)");
        wait_for(port);
        Self {
            child,
            issuer,
            port,
            keys: keys.to_owned(),
            clock_skew,
        }
    }

    /// Runs `provider.mjs keys <action>` on this provider's key file and restarts it on the
    /// same port, as an operator rotating keys would.
    pub fn keys(&mut self, action: &str) {
        let status = Command::new("node")
            .arg(oidc_dir().join("provider.mjs"))
            .args(["keys", action])
            .arg(&self.keys)
            .stdout(Stdio::null())
            .status()
            .expect("node runs");
        assert!(status.success(), "keys {action} failed");
        self.restart(self.clock_skew);
    }

    /// Stops the provider and starts it again on the same port and keys, its clock
    /// `clock_skew` seconds off.
    pub fn restart(&mut self, clock_skew: i64) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        while crate::servers::listening(self.port) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        *self = Self::spawn(self.port, &self.keys.clone(), clock_skew);
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http() -> reqwest::Client {
    // HTTPS through ring, as in the services; another part of the process may have done it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
}

/// A person signed in at a provider: their refresh token gets access tokens for each API.
pub struct Session {
    issuer: String,
    /// The provider rotates refresh tokens: each use gives the next, and an old one used
    /// again ends the grant. Held across the request so uses never overlap.
    state: tokio::sync::Mutex<SessionState>,
    http: reqwest::Client,
}

struct SessionState {
    refresh_token: String,
    tokens: HashMap<String, String>,
}

/// Signs `username` in on `issuer`'s login page, asking for every API in `audiences`;
/// returns the session and the access token for the first of them.
pub async fn sign_in(
    issuer: &str,
    username: &str,
    password: &str,
    audiences: &[&str],
) -> anyhow::Result<(Session, String)> {
    let http = http();
    let verifier = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let mut query: Vec<(&str, &str)> = vec![
        ("client_id", CLI_CLIENT),
        ("response_type", "code"),
        ("redirect_uri", CLI_REDIRECT),
        ("scope", "openid profile offline_access"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
        ("state", "test"),
    ];
    query.extend(audiences.iter().map(|a| ("resource", *a)));
    let login = location(http.get(format!("{issuer}/auth")).query(&query)).await?;
    let resume = location(
        http.post(format!(
            "{issuer}{}/login",
            login.trim_start_matches(issuer)
        ))
        .form(&[("username", username), ("password", password)]),
    )
    .await?;
    let callback = location(http.get(absolute(issuer, &resume))).await?;
    let code = reqwest::Url::parse(&callback)?
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| anyhow::anyhow!("no code in {callback}"))?;
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("client_id", CLI_CLIENT),
        ("code", code.as_str()),
        ("code_verifier", verifier.as_str()),
        ("redirect_uri", CLI_REDIRECT),
    ];
    if let Some(first) = audiences.first() {
        form.push(("resource", first));
    }
    let tokens = token_request(&http, issuer, &form).await?;
    let session = Session {
        issuer: issuer.to_owned(),
        state: tokio::sync::Mutex::new(SessionState {
            refresh_token: tokens.refresh_token.unwrap_or_default(),
            tokens: audiences
                .first()
                .map(|a| (a.to_string(), tokens.access_token.clone()))
                .into_iter()
                .collect(),
        }),
        http,
    };
    Ok((session, tokens.access_token))
}

impl Session {
    /// An access token for `audience`, one of those asked for at sign-in.
    pub async fn token_for(&self, audience: &str) -> anyhow::Result<String> {
        let mut state = self.state.lock().await;
        if let Some(token) = state.tokens.get(audience) {
            return Ok(token.clone());
        }
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", CLI_CLIENT),
            ("refresh_token", state.refresh_token.as_str()),
            ("resource", audience),
        ];
        let response = token_request(&self.http, &self.issuer, &form).await?;
        if let Some(next) = response.refresh_token {
            state.refresh_token = next;
        }
        state
            .tokens
            .insert(audience.to_owned(), response.access_token.clone());
        Ok(response.access_token)
    }
}

/// A token for `client_id` (a service's client) on its own account, for `audience`.
pub async fn service_token(
    issuer: &str,
    client_id: &str,
    audience: &str,
) -> anyhow::Result<String> {
    let response = http()
        .post(format!("{issuer}/token"))
        .basic_auth(client_id, Some(client_secret(client_id)))
        .form(&[("grant_type", "client_credentials"), ("resource", audience)])
        .send()
        .await?;
    let body = response.error_for_status()?.bytes().await?;
    Ok(serde_json::from_slice::<TokenResponse>(&body)?.access_token)
}

async fn token_request(
    http: &reqwest::Client,
    issuer: &str,
    form: &[(&str, &str)],
) -> anyhow::Result<TokenResponse> {
    let response = http
        .post(format!("{issuer}/token"))
        .form(form)
        .send()
        .await?;
    let status = response.status();
    let body = response.bytes().await?;
    anyhow::ensure!(
        status.is_success(),
        "token endpoint answered {status}: {}",
        String::from_utf8_lossy(&body)
    );
    Ok(serde_json::from_slice(&body)?)
}

async fn location(request: reqwest::RequestBuilder) -> anyhow::Result<String> {
    let response = request.send().await?;
    anyhow::ensure!(
        response.status().is_redirection(),
        "expected a redirect, got {}",
        response.status()
    );
    Ok(response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| anyhow::anyhow!("redirect without a location"))?
        .to_owned())
}

fn absolute(issuer: &str, location: &str) -> String {
    if location.starts_with("http") {
        location.to_owned()
    } else {
        format!("{issuer}{location}")
    }
}

/// Every API of the platform, as the local provider names them.
pub const AUDIENCES: [&str; 5] = [
    "api://housing-register",
    "api://housing-accommodation",
    "api://housing-nominations",
    "api://housing-rent",
    "api://housing-documents",
];

/// A token for the demo person `username` for `audience`, from the shared provider. Each
/// person signs in once per test process.
pub async fn token_as(username: &str, audience: &str) -> String {
    static SESSIONS: OnceLock<Mutex<HashMap<String, std::sync::Arc<Session>>>> = OnceLock::new();
    let sessions = SESSIONS.get_or_init(Mutex::default);
    let existing = sessions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(username)
        .cloned();
    let session = match existing {
        Some(session) => session,
        None => {
            let person = person(username);
            let (session, _) = sign_in(issuer(), &person.username, &person.password, &AUDIENCES)
                .await
                .unwrap_or_else(|e| panic!("{username} signs in at {}: {e:#}", issuer()));
            let session = std::sync::Arc::new(session);
            sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(username.to_owned(), session.clone());
            session
        }
    };
    session
        .token_for(audience)
        .await
        .unwrap_or_else(|e| panic!("a token for {username} at {audience}: {e:#}"))
}

/// A token for the demo officer holding `role`, for `audience`.
pub async fn token_for(role: Role, audience: &str) -> String {
    token_as(&officer(role).username, audience).await
}
