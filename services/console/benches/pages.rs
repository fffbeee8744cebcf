//! The console's server time for an officer's pages against England's register and a large
//! stock of temporary accommodation, printing p50 and p95 of each: the home queues (the
//! register's searches, its referral queue, and nominations overdue), an application page (its read, its
//! referrals, reviews, changes and letters, and the officers' names), and the units ranked for a
//! household (RankUnits over 20,000 units, each explained), each including the console's
//! gRPC calls and its session lookup, measured at an HTTP client on loopback. The goal is
//! p95 ≤ 300 ms.
//!
//! The register is seeded with 1,340,000 applications and assessed as the register's own
//! benchmark does (`CONSOLE_BENCH_APPLICATIONS` for fewer); the stock with 20,000 units as
//! temporary accommodation's benchmark does. The console signs the officers in through the
//! real provider, so it runs on 127.0.0.1:8080, the address the provider's client names:
//! stop the local stack first.
//!
//! Run with `cargo bench -p console --bench pages`.

use std::time::{Duration, Instant};

use housing_platform::auth::{BearerToken, Role};
use housing_proto::accommodation::v1::{
    self as ta, accommodation_service_client::AccommodationServiceClient,
};
use housing_testkit::{Lcg, TestDatabase, TestEnv};
use register::bench::{ENGLAND, SCHEME, seed};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

const CALLS: usize = 300;
/// Temporary accommodation units in the stock ranked.
const UNITS: i64 = 20_000;
/// The council whose district the units are in or out of.
const HOME: &str = "Example Borough";

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// The console's cookies by hand: they are `Secure`, which a browser keeps for 127.0.0.1
/// and reqwest's store does not; the provider's go in the store.
#[derive(Default)]
struct Jar(Vec<(String, String)>);

impl Jar {
    fn take(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all(SET_COOKIE) {
            let Ok(text) = value.to_str() else { continue };
            let Some((name, rest)) = text.split_once('=') else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or_default().to_owned();
            self.0.retain(|(n, _)| n != name);
            if !value.is_empty() {
                self.0.push((name.to_owned(), value));
            }
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Follows redirects by hand from `url`, signing in on the provider's page as the demo
/// officer of `role` when it comes, until a page answers; returns its status.
async fn browse(
    http: &reqwest::Client,
    jar: &mut Jar,
    role: Role,
    console: &str,
    url: &str,
) -> u16 {
    let mut url = url.to_owned();
    for _ in 0..10 {
        let mut request = http.get(&url);
        if url.starts_with(console) {
            request = request.header(COOKIE, jar.header());
        }
        let response = request.send().await.expect("answers");
        if url.starts_with(console) {
            jar.take(&response);
        }
        let status = response.status();
        if status.is_redirection() {
            let next = response.headers()[LOCATION].to_str().unwrap().to_owned();
            url = if next.starts_with('/') {
                let origin = reqwest::Url::parse(&url).unwrap();
                format!("{}{next}", origin.origin().ascii_serialization())
            } else {
                next
            };
            continue;
        }
        let body = response.text().await.unwrap_or_default();
        if let Some(at) = body.find("/interaction/")
            && body.contains("name=\"password\"")
        {
            let action: String = body[at..].chars().take_while(|c| *c != '"').collect();
            let origin = reqwest::Url::parse(&url)
                .unwrap()
                .origin()
                .ascii_serialization();
            let person = housing_testkit::oidc::officer(role);
            let posted = http
                .post(format!("{origin}{action}"))
                .form(&[
                    ("username", &person.username),
                    ("password", &person.password),
                ])
                .send()
                .await
                .expect("signs in");
            url = posted.headers()[LOCATION].to_str().unwrap().to_owned();
            continue;
        }
        return status.as_u16();
    }
    panic!("too many redirects from {url}");
}

async fn timed(
    http: &reqwest::Client,
    jar: &mut Jar,
    role: Role,
    console: &str,
    paths: &[String],
) -> Vec<Duration> {
    let mut times = Vec::with_capacity(paths.len());
    for path in paths {
        let started = Instant::now();
        let status = browse(http, jar, role, console, &format!("{console}{path}")).await;
        times.push(started.elapsed());
        assert_eq!(status, 200, "{path}");
    }
    times.sort();
    times
}

#[tokio::main]
async fn main() {
    let n: i64 = std::env::var("CONSOLE_BENCH_APPLICATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ENGLAND);
    let register_db = TestDatabase::create("register_console_bench", &register::migrators()).await;
    let pool = register_db.pool().await;
    let started = Instant::now();
    seed(&pool, n).await;
    let scheme = register::domain::scheme::Scheme::load(std::path::Path::new(SCHEME)).unwrap();
    register::app::reassessment::run(&pool, &scheme, &tokio_util::sync::CancellationToken::new())
        .await
        .expect("first assessment");
    sqlx::query("VACUUM ANALYZE applications")
        .execute(&pool)
        .await
        .unwrap();
    println!(
        "{n} applications seeded and assessed in {:.0} s",
        started.elapsed().as_secs_f64()
    );

    let register_settings: register::Settings = TestEnv::for_database(&register_db).settings(
        register::DEFAULTS,
        &[
            ("HOUSING__SERVICE__SCHEME_FILE", SCHEME),
            ("HOUSING__SERVICE__RUN_DAILY_JOBS", "false"),
        ],
    );
    let register = register::build(register_settings)
        .await
        .expect("register starts");
    let register_url = format!("http://{}", register.addr());

    let ta_db = TestDatabase::create(
        "temporary-accommodation",
        &temporary_accommodation::migrators(),
    )
    .await;
    temporary_accommodation::bench::seed_units(&ta_db.pool().await, UNITS, HOME).await;
    let ta_settings: temporary_accommodation::Settings = TestEnv::for_database(&ta_db).settings(
        temporary_accommodation::DEFAULTS,
        &[
            ("HOUSING__SERVICE__RUN_DAILY_JOBS", "false"),
            ("HOUSING__SERVICE__HOME_AUTHORITY", HOME),
            // The household typed in: this times the pages, not the register.
            ("HOUSING__SERVICE__REGISTER_URL", ""),
        ],
    );
    let accommodation = temporary_accommodation::build(ta_settings)
        .await
        .expect("temporary accommodation starts");
    let accommodation_url = format!("http://{}", accommodation.addr());
    // Nominations, for the allocations officer's queue of nominations overdue.
    let nominations_db = TestDatabase::create("nominations", &nominations::migrators()).await;
    let pki = housing_testkit::pki::PartnerPki::new();
    let partner_tls = pki.server_settings();
    let nominations_settings: nominations::Settings = TestEnv::for_database(&nominations_db)
        .settings(
            nominations::DEFAULTS,
            &[("HOUSING__SERVICE__REGISTER_URL", register_url.as_str())]
                .into_iter()
                .chain(partner_tls.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .collect::<Vec<_>>(),
        );
    let nominations = nominations::build(nominations_settings)
        .await
        .expect("nominations starts");
    let nominations_url = format!("http://{}", nominations.addr());
    // Documents, for the letters on an application's page.
    let documents_db = TestDatabase::create("documents", &documents::migrators()).await;
    let blobs = tempfile::tempdir().expect("a folder for documents");
    let documents_settings: documents::Settings = TestEnv::for_database(&documents_db).settings(
        documents::DEFAULTS,
        &[(
            "HOUSING__SERVICE__BLOB_ROOT",
            blobs.path().to_str().expect("a UTF-8 path"),
        )],
    );
    let documents = documents::build(documents_settings)
        .await
        .expect("documents starts");
    let documents_url = format!("http://{}", documents.addr());
    // A family of three with a school to stay near, as a TA officer would ask.
    let token =
        housing_testkit::oidc::token_for(Role::TaOfficer, "api://housing-accommodation").await;
    let placement_request = AccommodationServiceClient::with_interceptor(
        housing_testkit::channel(accommodation.addr()).await,
        BearerToken::new(&token),
    )
    .create_placement_request(ta::CreatePlacementRequestRequest {
        request_id: String::new(),
        placement_request: Some(ta::PlacementRequest {
            application_id: uuid::Uuid::now_v7().to_string(),
            lead_name: "Bench".into(),
            household_size: 3,
            bedrooms_needed: 2,
            has_children: true,
            duty: ta::DutyType::Interim as i32,
            anchors: vec![ta::Location {
                latitude: 51.5,
                longitude: -0.1,
            }],
            needed_from: housing_platform::time::format_date(housing_platform::time::today()),
            ..Default::default()
        }),
        confirm_differences: false,
    })
    .await
    .expect("a placement request")
    .into_inner()
    .placement_request
    .expect("the request");
    let console_db = TestDatabase::create("console", &[console::migrator()]).await;
    let assets = concat!(env!("CARGO_MANIFEST_DIR"), "/node_modules");
    let settings: console::Settings = TestEnv::for_database(&console_db).settings(
        console::DEFAULTS,
        &[
            (
                "HOUSING__SERVICE__SERVICES__REGISTER__URL",
                register_url.as_str(),
            ),
            (
                "HOUSING__SERVICE__SERVICES__ACCOMMODATION__URL",
                accommodation_url.as_str(),
            ),
            (
                "HOUSING__SERVICE__SERVICES__NOMINATIONS__URL",
                nominations_url.as_str(),
            ),
            (
                "HOUSING__SERVICE__SERVICES__DOCUMENTS__URL",
                documents_url.as_str(),
            ),
            ("HOUSING__SERVICE__ASSETS_DIR", assets),
        ],
    );
    let console = console::build(settings)
        .await
        .expect("the console starts on 127.0.0.1:8080");
    let base = format!("http://{}", console.addr());

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let officer = Role::AllocationsOfficer;
    let mut jar = Jar::default();
    assert_eq!(
        browse(&http, &mut jar, officer, &base, &format!("{base}/")).await,
        200,
        "signed in"
    );

    // Applications spread over the whole register, as an officer's day would open them.
    let ids: Vec<String> = sqlx::query_scalar("SELECT id::text FROM applications ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut seq = Lcg::new(7);
    let applications: Vec<String> = (0..CALLS)
        .map(|_| {
            format!(
                "/register/applications/{}",
                ids[seq.below(ids.len() as u64) as usize]
            )
        })
        .collect();
    let homes: Vec<String> = vec!["/".to_owned(); CALLS];
    let rankings: Vec<String> = vec![
        format!(
            "/accommodation/requests/{}/units",
            placement_request.placement_request_id
        );
        CALLS
    ];
    // The TA officer in a browser of their own, so the provider's sign-in is theirs too.
    let ta_officer = Role::TaOfficer;
    let ta_http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut ta_jar = Jar::default();
    assert_eq!(
        browse(
            &ta_http,
            &mut ta_jar,
            ta_officer,
            &base,
            &format!("{base}{}", rankings[0])
        )
        .await,
        200,
        "the TA officer signed in at the units page"
    );
    // Warm: connections, statements, the session's tokens, the stock read once.
    timed(&http, &mut jar, officer, &base, &homes[..20]).await;
    timed(&http, &mut jar, officer, &base, &applications[..20]).await;
    timed(&ta_http, &mut ta_jar, ta_officer, &base, &rankings[..20]).await;

    let home = timed(&http, &mut jar, officer, &base, &homes).await;
    let application = timed(&http, &mut jar, officer, &base, &applications).await;
    let ranked = timed(&ta_http, &mut ta_jar, ta_officer, &base, &rankings).await;
    println!(
        "console pages against {n} applications and {UNITS} units, {CALLS} requests each (goal p95 <= 300 ms):"
    );
    for (what, times) in [
        ("My work (register and nominations queues)", &home),
        ("an application page", &application),
        ("units ranked for a household", &ranked),
    ] {
        println!(
            "  {what:<32} p50 {:>6.1} ms   p95 {:>6.1} ms",
            percentile(times, 0.50),
            percentile(times, 0.95)
        );
    }
    console.stop().await.unwrap();
    accommodation.stop().await.unwrap();
    nominations.stop().await.unwrap();
    documents.stop().await.unwrap();
    register.stop().await.unwrap();
}
