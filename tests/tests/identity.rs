//! Officers and services sign in through a real OpenID provider (the repository's local
//! one, node-oidc-provider), and the services accept its tokens and nothing else: each
//! forgery or misuse is refused with UNAUTHENTICATED naming the check that failed. Tests
//! that stop, skew or rotate a provider run one of their own.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use housing_platform::auth::{BearerToken, Role};
use housing_proto::register::v1::{self as pb, register_service_client::RegisterServiceClient};
use housing_testkit::oidc::{Provider, officer, person, service_token, sign_in};
use housing_testkit::{TestDatabase, TestEnv, eventually};
use serde_json::{Value, json};
use tonic::Code;

const REGISTER: &str = "api://housing-register";

struct Fixture {
    provider: Provider,
    register: housing_events::host::Running,
    db: TestDatabase,
    _keys: tempfile::TempDir,
}

/// A provider of this test's own, and the register trusting it.
async fn start(extra: &[(&str, &str)]) -> Fixture {
    let keys = tempfile::tempdir().unwrap();
    let provider = Provider::start(&keys.path().join("keys.json"), 0);
    let db = TestDatabase::create("register", &register::migrators()).await;
    let scheme = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../services/register/schemes/banding-example.toml"
    );
    let mut vars = vec![
        ("HOUSING__SERVICE__SCHEME_FILE", scheme),
        ("HOUSING__AUTH__ISSUER", provider.issuer.as_str()),
    ];
    vars.extend_from_slice(extra);
    let settings: register::Settings =
        TestEnv::for_database(&db).settings(register::DEFAULTS, &vars);
    let register = register::build(settings).await.expect("register starts");
    Fixture {
        provider,
        register,
        db,
        _keys: keys,
    }
}

async fn person_token(issuer: &str, username: &str, audience: &str) -> String {
    let p = person(username);
    sign_in(issuer, &p.username, &p.password, &[audience])
        .await
        .expect("signs in")
        .1
}

/// A cheap read: NOT_FOUND means the caller got through.
async fn read(f: &Fixture, token: &str) -> tonic::Status {
    let channel = housing_testkit::channel(f.register.addr()).await;
    let mut client = RegisterServiceClient::with_interceptor(channel, BearerToken::new(token));
    client
        .get_application(pb::GetApplicationRequest {
            application_id: uuid::Uuid::now_v7().to_string(),
        })
        .await
        .expect_err("no such application")
}

fn assert_refused(status: &tonic::Status, because: &str) {
    assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
    assert!(
        status.message().contains(because),
        "refused for {because:?}, not {:?}",
        status.message()
    );
}

fn decode(part: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

fn encode(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

/// `token` with its header and payload changed by `edit`, its signature kept.
fn altered(token: &str, edit: impl FnOnce(&mut Value, &mut Value)) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let (mut header, mut payload) = (decode(parts[0]), decode(parts[1]));
    edit(&mut header, &mut payload);
    format!("{}.{}.{}", encode(&header), encode(&payload), parts[2])
}

#[tokio::test]
async fn the_providers_token_is_accepted_and_every_forgery_is_refused_naming_the_check() {
    let f = start(&[]).await;
    let token = person_token(&f.provider.issuer, "alloc.officer", REGISTER).await;
    assert_eq!(read(&f, &token).await.code(), Code::NotFound);

    // A token for another service.
    let rent = person_token(&f.provider.issuer, "alloc.officer", "api://housing-rent").await;
    assert_refused(&read(&f, &rent).await, "audience is another service's");

    // No signature at all.
    let none = altered(&token, |h, _| h["alg"] = json!("none"));
    let none = format!("{}.", none.rsplit_once('.').unwrap().0);
    assert_refused(&read(&f, &none).await, "algorithm none is not accepted");

    // Algorithm confusion: HS256 with the provider's public key as the shared secret.
    let jwks: Value =
        serde_json::from_str(&reqwest_get(&format!("{}/jwks", f.provider.issuer)).await).unwrap();
    let public = &jwks["keys"][0];
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = public["kid"].as_str().map(str::to_owned);
    let claims = decode(token.split('.').nth(1).unwrap());
    let confused = jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(public.to_string().as_bytes()).unwrap(),
    )
    .unwrap();
    assert_refused(
        &read(&f, &confused).await,
        "algorithm HS256 is not accepted",
    );

    // A payload changed after signing: an officer making themself a manager.
    let tampered = altered(&token, |_, p| p["roles"] = json!(["Housing.Manager"]));
    assert_refused(&read(&f, &tampered).await, "signature does not verify");

    // A key the provider never published.
    let unknown = altered(&token, |h, _| h["kid"] = json!("not-a-published-key"));
    assert_refused(&read(&f, &unknown).await, "unknown signing key");

    // Another issuer with the very same keys.
    let keys = f._keys.path().join("keys.json");
    let elsewhere = Provider::start(&keys, 0);
    let foreign = person_token(&elsewhere.issuer, "alloc.officer", REGISTER).await;
    assert_refused(&read(&f, &foreign).await, "wrong issuer");

    // Not a token at all, and none.
    assert_refused(&read(&f, "rubbish").await, "not a JWT");
    let mut anonymous =
        RegisterServiceClient::new(housing_testkit::channel(f.register.addr()).await);
    let status = anonymous
        .get_application(pb::GetApplicationRequest::default())
        .await
        .unwrap_err();
    assert_refused(&status, "missing bearer token");
    f.register.stop().await.unwrap();
}

async fn reqwest_get(url: &str) -> String {
    reqwest::get(url)
        .await
        .and_then(|r| r.error_for_status())
        .expect("the provider answers")
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn tokens_from_a_provider_whose_clock_is_wrong_are_refused() {
    let mut f = start(&[]).await;
    let issuer = f.provider.issuer.clone();
    // Issued half an hour ago with a quarter of an hour to live.
    f.provider.restart(-1800);
    let stale = service_token(&issuer, "nominations-service", REGISTER)
        .await
        .unwrap();
    assert_refused(&read(&f, &stale).await, "expired");
    // Issued ten minutes from now.
    f.provider.restart(600);
    let early = service_token(&issuer, "nominations-service", REGISTER)
        .await
        .unwrap();
    assert_refused(&read(&f, &early).await, "not yet valid");
    f.provider.restart(0);
    let good = service_token(&issuer, "nominations-service", REGISTER)
        .await
        .unwrap();
    assert_eq!(read(&f, &good).await.code(), Code::NotFound);
    f.register.stop().await.unwrap();
}

fn kid(token: &str) -> String {
    decode(token.split('.').next().unwrap())["kid"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_provider_rotates_its_keys_and_the_service_follows_without_a_restart() {
    let mut f = start(&[
        ("HOUSING__AUTH__JWKS_REFRESH_SECONDS", "1"),
        ("HOUSING__AUTH__JWKS_MIN_REFETCH_SECONDS", "0"),
    ])
    .await;
    let issuer = f.provider.issuer.clone();
    let old = service_token(&issuer, "nominations-service", REGISTER)
        .await
        .unwrap();
    assert_eq!(read(&f, &old).await.code(), Code::NotFound);

    // A new signing key first; the old one still published for tokens already out.
    f.provider.keys("rotate");
    let new = service_token(&issuer, "nominations-service", REGISTER)
        .await
        .unwrap();
    assert_ne!(kid(&new), kid(&old), "the provider signs with the new key");
    assert_eq!(read(&f, &new).await.code(), Code::NotFound);
    assert_eq!(read(&f, &old).await.code(), Code::NotFound);

    // The old key withdrawn: once the service has read the key set again, tokens signed
    // with it are refused, and the new key's still pass.
    f.provider.keys("retire");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_refused(&read(&f, &old).await, "unknown signing key");
    assert_eq!(read(&f, &new).await.code(), Code::NotFound);
    f.register.stop().await.unwrap();
}

#[tokio::test]
async fn a_role_the_rpc_does_not_allow_is_denied_naming_the_roles_that_are() {
    let f = start(&[]).await;
    let denials_before = housing_platform::auth::denials();
    let token = person_token(&f.provider.issuer, "ta.officer", REGISTER).await;
    let channel = housing_testkit::channel(f.register.addr()).await;
    let mut client = RegisterServiceClient::with_interceptor(channel, BearerToken::new(&token));
    let denied = client
        .submit_application(pb::SubmitApplicationRequest::default())
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    assert!(
        denied
            .message()
            .starts_with("roles ta_officer may not do this; allowed: "),
        "{denied:?}"
    );
    assert!(
        denied.message().contains("allocations_officer"),
        "{denied:?}"
    );
    // A person with no role the platform knows gets nothing either.
    let nobody = person_token(&f.provider.issuer, "no.roles", REGISTER).await;
    let status = read(&f, &nobody).await;
    assert_eq!(status.code(), Code::PermissionDenied);
    assert!(
        status.message().starts_with("roles none may not"),
        "{status:?}"
    );
    // A caller with no valid token at all.
    assert_eq!(read(&f, "not-a-token").await.code(), Code::Unauthenticated);
    // Each refusal is counted (and logged, with who, which RPC and why).
    assert_eq!(housing_platform::auth::denials(), denials_before + 3);
    f.register.stop().await.unwrap();
}

#[tokio::test]
async fn a_decision_records_the_signed_in_persons_subject_and_name() {
    let f = start(&[]).await;
    let officer = officer(Role::AllocationsOfficer);
    let token = person_token(&f.provider.issuer, &officer.username, REGISTER).await;
    let channel = housing_testkit::channel(f.register.addr()).await;
    let mut client = RegisterServiceClient::with_interceptor(channel, BearerToken::new(&token));
    // Submitted with answers still missing: taken in, and recorded against the officer.
    let application = client
        .submit_application(housing_testkit::sample::thin_application("identity-1"))
        .await
        .expect("taken in")
        .into_inner()
        .application
        .unwrap();
    let pool = f.db.pool().await;
    let by: String =
        sqlx::query_scalar("SELECT submitted_by FROM applications WHERE id = $1::uuid")
            .bind(&application.application_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(by, officer.sub);
    let name = eventually(Duration::from_secs(5), "the officer's name", || {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT name FROM officers WHERE subject = $1")
                .bind(&officer.sub)
                .fetch_optional(&pool)
                .await
                .unwrap()
        }
    })
    .await;
    assert_eq!(name, officer.name);
    assert_eq!(name, "Alan Okafor");
    f.register.stop().await.unwrap();
}
