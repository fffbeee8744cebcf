//! The whole of England's housing register in the register's own database, printing:
//!
//! 1. the first assessment of 1,340,000 applications with realistic households;
//! 2. shortlists, top 50 for a two-bedroom vacancy, through the gRPC API (p50 and p99);
//! 3. the re-assessment of every application after a scheme change, with the band moves,
//!    and the process's memory (the service runs in this process) while it works.
//!
//! Run with `cargo bench -p register --bench register`. Set `REGISTER_BENCH_APPLICATIONS`
//! for a smaller register.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use housing_platform::auth::{BearerToken, Role};
use housing_platform::shutdown::CancellationToken;
use housing_proto::register::v1::{self as pb, register_service_client::RegisterServiceClient};
use housing_testkit::{TestDatabase, TestEnv, authenticator};
use register::app::reassessment;
use register::domain::scheme::Scheme;
use sqlx::PgPool;

const ENGLAND: i64 = 1_340_000;
const SHORTLISTS: usize = 1_000;
const SCHEME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schemes/banding-example.toml");

/// Households as registers hold them: about half single people, couples, lone parents and
/// couples with up to four children, a few with another adult relative; all eligible and
/// qualifying, as every active application is. Random but seeded, so runs compare.
async fn seed(pool: &PgPool, n: i64) {
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query("SELECT setseed(0.42)")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(
        r#"
        INSERT INTO applications (id, reference, status, household, area, postcode, details, missing,
                                  lead_date_of_birth, mobility, areas_wanted, property_types,
                                  next_review_on, submitted_by, submitted_at, updated_at)
        -- Ids are UUIDv7 from the submission time, as the service makes them, so the table
        -- is in id order the way a register built up over years would be.
        SELECT (lpad(to_hex((extract(epoch FROM submitted_at) * 1000)::bigint), 12, '0') || '7'
                || substr(md5(i::text), 1, 3) || '8' || substr(md5(i::text), 4, 15))::uuid,
               'REG-' || lpad(i::text, 7, '0'), 'active',
               jsonb_build_object('members',
                   jsonb_build_array(person('lead_applicant', lead_dob, lead_sex))
                   || CASE WHEN partner THEN jsonb_build_array(person('partner', lead_dob + (r1 * 2000 - 1000)::int, 1 - lead_sex)) ELSE '[]' END
                   || CASE WHEN relative THEN jsonb_build_array(person('other_relative', lead_dob - 9000, (r2 * 2)::int)) ELSE '[]' END
                   || COALESCE((SELECT jsonb_agg(person('child', current_date - (random() * 6500)::int, (random() * 2)::int))
                                FROM generate_series(1, children) WHERE i > 0), '[]')),
               area, 'N' || (1 + i % 20) || ' ' || (i % 9) || 'AB',
               jsonb_build_object(
                   'circumstances', jsonb_build_object(
                       'current_bedrooms', (r3 * 4)::int,
                       'tenure', (ARRAY['private_rented','with_family_or_friends','temporary_accommodation','council_tenant','housing_association_tenant'])[1 + (r4 * 5)::int % 5],
                       'address', (1 + i % 300) || ' High Street',
                       'homeless', r5 < 0.10, 'owed_homelessness_duty', r5 < 0.08,
                       'medical_need', r6 < 0.10, 'needs_to_move_for_hardship', r7 < 0.05,
                       'unsatisfactory_conditions', r8 < 0.07, 'armed_forces', r9 < 0.01),
                   'local_connection', jsonb_build_object('years_resident', 2 + (r3 * 30)::int),
                   'immigration', (ARRAY['british_or_irish_citizen','british_or_irish_citizen','british_or_irish_citizen','settled_status','pre_settled_status_worker'])[1 + (r6 * 5)::int % 5],
                   'finances', jsonb_build_object('annual_income_pence', (r7 * 4500000)::int, 'savings_pence', (r8 * 1500000)::int),
                   'mobility', CASE WHEN r9 < 0.02 THEN 'wheelchair_throughout' WHEN r9 < 0.05 THEN 'step_free' ELSE 'general_needs' END,
                   'areas_wanted', CASE WHEN r2 < 0.4 THEN '[]'::jsonb ELSE jsonb_build_array(area) END),
               '{}', lead_dob,
               CASE WHEN r9 < 0.02 THEN 1 WHEN r9 < 0.05 THEN 3 ELSE 4 END,
               CASE WHEN r2 < 0.4 THEN '{}'::text[] ELSE ARRAY[area] END, '{}',
               current_date + (r1 * 365)::int, 'bench', submitted_at, now()
        FROM (
            SELECT i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6,
                   random() r7, random() r8, random() r9,
                   (ARRAY['north','south','east','west','central'])[1 + i % 5] AS area,
                   current_date - (6600 + random() * 20000)::int AS lead_dob,
                   (random() * 2)::int % 2 AS lead_sex,
                   random() < 0.45 AS partner,
                   random() < 0.05 AS relative,
                   (ARRAY[0,0,0,0,0,1,1,2,2,3,4])[1 + (random() * 10)::int] AS children,
                   now() - make_interval(secs => random() * 3650 * 86400) AS submitted_at
            FROM generate_series(1, $1) i
        ) s
        ORDER BY submitted_at
        "#,
    )
    .bind(n)
    .execute(&mut *conn)
    .await
    .expect("seed applications");
}

async fn person_function(pool: &PgPool) {
    sqlx::query(
        r#"
        CREATE FUNCTION person(relationship text, born date, sex int) RETURNS jsonb
        LANGUAGE sql IMMUTABLE AS $$
            SELECT jsonb_build_object('given_name', 'Sam', 'family_name', 'Jones',
                                      'date_of_birth', born, 'sex', CASE sex WHEN 0 THEN 'female' ELSE 'male' END,
                                      'relationship', relationship, 'pregnant', false)
        $$"#,
    )
    .execute(pool)
    .await
    .unwrap();
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Runs the re-assessment, sampling the process's resident memory as it goes.
async fn timed_reassessment(pool: &PgPool, scheme: &Scheme, what: &str) {
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !done.load(Ordering::Relaxed) {
                peak = peak.max(rss_kib());
                std::thread::sleep(Duration::from_millis(50));
            }
            peak
        })
    };
    let before = rss_kib();
    let started = Instant::now();
    let run = reassessment::run(pool, scheme, &CancellationToken::new())
        .await
        .expect("re-assessment")
        .expect("a run");
    let elapsed = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let peak = sampler.join().unwrap();
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
    let n: i64 = std::env::var("REGISTER_BENCH_APPLICATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ENGLAND);
    let db = TestDatabase::create("register_bench", &register::migrators()).await;
    let pool = db.pool().await;
    person_function(&pool).await;
    let started = Instant::now();
    seed(&pool, n).await;
    sqlx::query("VACUUM ANALYZE applications")
        .execute(&pool)
        .await
        .unwrap();
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
    let token = authenticator().token(
        "nominations",
        Role::Service,
        None,
        chrono::Duration::hours(1),
    );
    let mut client = RegisterServiceClient::with_interceptor(
        housing_testkit::channel(running.addr()).await,
        BearerToken::new(&token),
    );
    let areas = ["", "north", "south", "east", "west", "central"];
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
