//! The whole of England's housing register in the register's own database, printing:
//!
//! 1. the first assessment of 1,340,000 applications with realistic households;
//! 2. shortlists, top 50 for a two-bedroom vacancy, through the gRPC API (p50 and p99);
//! 3. the re-assessment of every application after a scheme change, with the band moves,
//!    and the process's memory (the service runs in this process) while it works.
//!
//! The register is seeded by `register::bench` (the `bench` feature), which the nominations
//! benchmark seeds its register with too.
//!
//! Run with `cargo bench -p register --bench register`. Set `REGISTER_BENCH_APPLICATIONS`
//! for a smaller register.

use std::time::Instant;

use housing_platform::auth::BearerToken;
use housing_platform::db::Pool;
use housing_platform::shutdown::CancellationToken;
use housing_proto::register::v1::{self as pb, register_service_client::RegisterServiceClient};
use housing_testkit::memory::{PeakMemory, rss_kib};
use housing_testkit::{TestDatabase, TestEnv};
use register::app::reassessment;
use register::bench::{AREAS, SCHEME, applications, seed};
use register::domain::scheme::Scheme;

const SHORTLISTS: usize = 1_000;

/// Runs the re-assessment, sampling the process's resident memory as it goes.
async fn timed_reassessment(pool: &Pool, scheme: &Scheme, what: &str) {
    let before = rss_kib();
    let memory = PeakMemory::start();
    let started = Instant::now();
    let run = reassessment::run(pool, scheme, &CancellationToken::new())
        .await
        .expect("re-assessment")
        .expect("a run");
    let elapsed = started.elapsed();
    let peak = memory.peak();
    println!(
        "{what}: {} applications under {} in {:.1} s ({:.0}/s; goal <= 60 s), {} moved; memory {} MiB before, peak {} MiB",
        run.done,
        scheme.version,
        elapsed.as_secs_f64(),
        run.done as f64 / elapsed.as_secs_f64(),
        run.moved,
        before / 1024,
        peak / 1024
    );
}

#[tokio::main]
async fn main() {
    let n = applications();
    let db = TestDatabase::create("register_bench", &register::migrators()).await;
    let pool = db.pool().await;
    let started = Instant::now();
    seed(&pool, n).await;
    println!(
        "seeded {n} applications in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let scheme = Scheme::load(std::path::Path::new(SCHEME)).unwrap();
    timed_reassessment(&pool, &scheme, "first assessment").await;
    sqlx::query("VACUUM ANALYZE applications")
        .execute(&pool)
        .await
        .unwrap();

    // The service itself, on this database, answering shortlists over gRPC.
    let env = TestEnv::for_database(&db);
    let settings: register::Settings = env.settings(
        register::DEFAULTS,
        &[
            ("HOUSING__SERVICE__SCHEME_FILE", SCHEME),
            ("HOUSING__SERVICE__RUN_DAILY_JOBS", "false"),
        ],
    );
    let running = register::build(settings).await.expect("register starts");
    // Shortlists are asked for by nominations, on its own account.
    let token = housing_testkit::oidc::service_token(
        housing_testkit::oidc::issuer(),
        "nominations-service",
        "api://housing-register",
    )
    .await
    .expect("nominations' own token");
    let mut client = RegisterServiceClient::with_interceptor(
        housing_testkit::channel(running.addr()).await,
        BearerToken::new(&token),
    );
    let areas: Vec<&str> = [""].into_iter().chain(AREAS).collect();
    let mut latencies = Vec::with_capacity(SHORTLISTS);
    let mut listed = 0;
    for i in 0..SHORTLISTS {
        let request = pb::ListShortlistRequest {
            bedrooms: 2,
            area: areas[i % areas.len()].into(),
            page_size: 50,
            mobility: if i % 10 == 0 {
                pb::MobilityCategory::StepFree as i32
            } else {
                pb::MobilityCategory::GeneralNeeds as i32
            },
            ..Default::default()
        };
        let started = Instant::now();
        let entries = client
            .list_shortlist(request)
            .await
            .expect("shortlist")
            .into_inner()
            .entries;
        latencies.push(started.elapsed());
        listed += entries.len();
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "shortlist, top 50 for a 2-bedroom vacancy over gRPC: p50 {:.2} ms, p99 {:.2} ms (goal p99 <= 20 ms), {} queries, {:.1} entries each",
        at(0.50).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        SHORTLISTS,
        listed as f64 / SHORTLISTS as f64
    );

    // The council moves households owed a homelessness duty up to band A.
    let changed = std::fs::read_to_string(SCHEME)
        .unwrap()
        .replace("version = \"2026.1\"", "version = \"2026.2\"")
        .replace(
            "when_any = [\"medical_need\", \"overcrowded_by_2\", \"exceptional_circumstances\"]",
            "when_any = [\"medical_need\", \"overcrowded_by_2\", \"exceptional_circumstances\", \"owed_homelessness_duty\"]",
        );
    let changed = Scheme::parse(&changed).expect("changed scheme");
    timed_reassessment(&pool, &changed, "re-assessment after a scheme change").await;
    running.stop().await.unwrap();
}
