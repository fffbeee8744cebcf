//! What verifying the OpenID provider's tokens costs a call: the same cheap read
//! (`GetApplication` of one application) against two registers in this process, one
//! verifying every call's token against the provider's keys and one with authentication
//! switched off (`auth.mode: off`, which only the test environment allows). Calls alternate
//! between the two, so both see the same machine at the same moment. Prints p50 and p99 of
//! each and the difference; the goal is under 5 % slower.
//!
//! Run with `cargo bench -p register --bench verification` (the local provider is started
//! as the tests start it). `VERIFICATION_BENCH_CALLS` sets the number of calls to each.

use std::time::{Duration, Instant};

use housing_platform::auth::{BearerToken, Role};
use housing_proto::register::v1::{self as pb, register_service_client::RegisterServiceClient};
use housing_testkit::{TestDatabase, TestEnv};
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;

type Client = RegisterServiceClient<InterceptedService<Channel, BearerToken>>;

const AUDIENCE: &str = "api://housing-register";
const SCHEME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schemes/banding-example.toml");

async fn register(db: &TestDatabase, mode: &str) -> housing_events::host::Running {
    let settings: register::Settings = TestEnv::for_database(db).settings(
        register::DEFAULTS,
        &[
            ("HOUSING__SERVICE__SCHEME_FILE", SCHEME),
            ("HOUSING__SERVICE__RUN_DAILY_JOBS", "false"),
            ("HOUSING__AUTH__MODE", mode),
        ],
    );
    register::build(settings).await.expect("register starts")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

#[tokio::main]
async fn main() {
    let calls: usize = std::env::var("VERIFICATION_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let db = TestDatabase::create("register_verification", &register::migrators()).await;
    let verified = register(&db, "oidc").await;
    let open = register(&db, "off").await;
    // The real officer's token on both: the unverified register ignores it, so the two
    // requests are byte for byte the same.
    let token = housing_testkit::oidc::token_for(Role::AllocationsOfficer, AUDIENCE).await;
    let client = async |addr| {
        RegisterServiceClient::with_interceptor(
            housing_testkit::channel(addr).await,
            BearerToken::new(&token),
        )
    };
    let mut with_auth: Client = client(verified.addr()).await;
    let mut without: Client = client(open.addr()).await;
    let application_id = with_auth
        .submit_application(housing_testkit::sample::thin_application(
            "verification-bench",
        ))
        .await
        .expect("an application to read")
        .into_inner()
        .application
        .expect("application")
        .application_id;
    let request = || pb::GetApplicationRequest {
        application_id: application_id.clone(),
    };

    let (mut timed_auth, mut timed_open) = (Vec::with_capacity(calls), Vec::with_capacity(calls));
    // Warm both: connections, statements, the provider's keys.
    for _ in 0..200 {
        with_auth.get_application(request()).await.expect("read");
        without.get_application(request()).await.expect("read");
    }
    for i in 0..calls {
        // Alternate which goes first, so neither always follows the other's work.
        let order: [bool; 2] = if i % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for verify in order {
            let started = Instant::now();
            if verify {
                with_auth.get_application(request()).await.expect("read");
                timed_auth.push(started.elapsed());
            } else {
                without.get_application(request()).await.expect("read");
                timed_open.push(started.elapsed());
            }
        }
    }
    timed_auth.sort();
    timed_open.sort();
    let (a50, a99) = (percentile(&timed_auth, 0.50), percentile(&timed_auth, 0.99));
    let (o50, o99) = (percentile(&timed_open, 0.50), percentile(&timed_open, 0.99));
    println!("GetApplication, {calls} calls each, alternating");
    println!(
        "  authentication off:   p50 {:>7.1} µs   p99 {:>7.1} µs",
        micros(o50),
        micros(o99)
    );
    println!(
        "  token verified:       p50 {:>7.1} µs   p99 {:>7.1} µs",
        micros(a50),
        micros(a99)
    );
    println!(
        "  verification adds:    p50 {:>+6.1} % ({:+.1} µs)   p99 {:>+6.1} % ({:+.1} µs)",
        (micros(a50) / micros(o50) - 1.0) * 100.0,
        micros(a50) - micros(o50),
        (micros(a99) / micros(o99) - 1.0) * 100.0,
        micros(a99) - micros(o99),
    );
    verified.stop().await.expect("stops");
    open.stop().await.expect("stops");
}
