//! Temporary accommodation benchmarks, printing their figures:
//!
//! 1. ranking 20,000 units for one household, in memory and through the RankUnits RPC
//!    (goal p99 <= 50 ms);
//! 2. the portfolio optimiser on 5,000 placements and 6,000 vacant units (goal <= 10 s),
//!    next to greedy placement on the same candidates;
//! 3. the daily sweeps (certificates, B&B clock, s.208) over 132,000 placements, all of
//!    England's temporary accommodation, on the machine's real PostgreSQL (goal <= 5 s).
//!
//! 4. H-CLIC for a quarter over 132,000 placements (goal < 60 s), with its peak memory.
//!
//! Run with `cargo bench -p temporary-accommodation --bench accommodation` (add `-- rank`,
//! `optimiser`, `sweeps` or `hclic` to run only those parts).

#[path = "../tests/common/portfolio.rs"]
mod portfolio;

use std::time::{Duration, Instant};

use chrono::{Datelike, Days};
use housing_platform::auth::{BearerToken, Role};
use housing_platform::returns::{Period, RunBy};
use housing_proto::accommodation::v1::{
    self as pb, accommodation_service_client::AccommodationServiceClient,
};
use housing_testkit::memory::{PeakMemory, rss_kib};
use housing_testkit::{TestDatabase, TestEnv};
use portfolio::{HOME, Lcg, need, on, unit};
use temporary_accommodation::app::daily;
use temporary_accommodation::app::returns;
use temporary_accommodation::domain::matching::{Anchor, AnchorKind, rank};
use temporary_accommodation::domain::optimiser::{Candidates, DEFAULT_CANDIDATES, greedy, optimal};

const UNITS: usize = 20_000;
const RANKINGS: usize = 200;
const PLACEMENTS: usize = 5_000;
const VACANT: usize = 6_000;
const ENGLAND: i64 = 132_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{what}: p50 {:.1} ms, p99 {:.1} ms over {} runs",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.len()
    );
}

fn rank_in_memory() {
    let mut rng = Lcg::new(1);
    let units: Vec<_> = (0..UNITS).map(|_| unit(&mut rng)).collect();
    let mut household = need(&mut rng);
    household.anchors = [AnchorKind::School, AnchorKind::Work]
        .iter()
        .zip(&units)
        .map(|(&kind, u)| Anchor {
            kind: Some(kind),
            location: u.location,
        })
        .collect();
    let times = (0..RANKINGS)
        .map(|_| {
            let started = Instant::now();
            let (ranked, excluded) = rank(&household, &units, on(), HOME);
            assert_eq!(ranked.len() + excluded.len(), UNITS);
            started.elapsed()
        })
        .collect();
    report("rank 20,000 units in memory", times);
}

/// The whole RankUnits call: the vacant units read from PostgreSQL, then ranked.
async fn rank_through_the_api() {
    let db = TestDatabase::create(
        "temporary-accommodation",
        &temporary_accommodation::migrators(),
    )
    .await;
    let pool = db.pool().await;
    temporary_accommodation::bench::seed_units(&pool, UNITS as i64, HOME).await;
    let env = TestEnv::for_database(&db);
    let settings: temporary_accommodation::Settings = env.settings(
        temporary_accommodation::DEFAULTS,
        &[
            ("HOUSING__SERVICE__RUN_DAILY_JOBS", "false"),
            ("HOUSING__SERVICE__HOME_AUTHORITY", HOME),
            // The household typed in: this times ranking, not the register.
            ("HOUSING__SERVICE__REGISTER_URL", ""),
        ],
    );
    let running = temporary_accommodation::build(settings).await.unwrap();
    let token =
        housing_testkit::oidc::token_for(Role::TaOfficer, "api://housing-accommodation").await;
    let mut client = AccommodationServiceClient::with_interceptor(
        housing_testkit::channel(running.addr()).await,
        BearerToken::new(&token),
    )
    .max_decoding_message_size(64 << 20);
    let request = client
        .create_placement_request(pb::CreatePlacementRequestRequest {
            request_id: String::new(),
            placement_request: Some(pb::PlacementRequest {
                application_id: uuid::Uuid::now_v7().to_string(),
                lead_name: "Bench".into(),
                household_size: 3,
                bedrooms_needed: 2,
                has_children: true,
                duty: pb::DutyType::Interim as i32,
                anchors: vec![pb::Location {
                    latitude: 51.5,
                    longitude: -0.1,
                }],
                needed_from: housing_platform::time::format_date(housing_platform::time::today()),
                ..Default::default()
            }),
            confirm_differences: false,
        })
        .await
        .unwrap()
        .into_inner()
        .placement_request
        .unwrap();
    let mut reads = Vec::new();
    for _ in 0..50 {
        let mut conn = pool.acquire().await.unwrap();
        let started = Instant::now();
        let units = temporary_accommodation::db::stock::vacant_units(&mut conn)
            .await
            .unwrap();
        reads.push(started.elapsed());
        assert_eq!(units.len(), UNITS);
    }
    report("reading 20,000 vacant units from PostgreSQL", reads);
    let rank_units = |mut client: AccommodationServiceClient<_>| {
        let id = request.placement_request_id.clone();
        async move {
            let started = Instant::now();
            let ranking = client
                .rank_units(pb::RankUnitsRequest {
                    placement_request_id: id,
                    page_size: 20,
                })
                .await
                .unwrap()
                .into_inner();
            assert_eq!(ranking.ranked.len(), 20);
            started.elapsed()
        }
    };
    println!(
        "RankUnits, first call after the stock changed (reads it): {:.1} ms",
        rank_units(client.clone()).await.as_secs_f64() * 1e3
    );
    let mut times = Vec::new();
    for _ in 0..RANKINGS {
        times.push(rank_units(client.clone()).await);
    }
    report("RankUnits over 20,000 units, stock unchanged", times);
    running.stop().await.unwrap();
}

fn optimiser() {
    let (occupants, vacant) = portfolio::portfolio(11, PLACEMENTS, VACANT);
    let started = Instant::now();
    let candidates = Candidates::build(&occupants, &vacant, on(), HOME, DEFAULT_CANDIDATES)
        .expect("costs in range");
    let built = started.elapsed();
    let plan = optimal(&candidates).expect("points in range");
    let solved = started.elapsed();
    let first_come = greedy(&candidates);
    let stay: Vec<usize> = (0..occupants.len()).map(|i| vacant.len() + i).collect();
    let moves = plan.iter().filter(|&&c| c < vacant.len()).count();
    println!(
        "optimiser: {PLACEMENTS} placements, {VACANT} vacant units, {} candidate pairs: {:.2} s \
         ({:.2} s candidates, {:.3} s assignment; goal <= 10 s); {moves} transfers; points now {}, \
         optimal {}, greedy {}",
        candidates.edges.iter().map(Vec::len).sum::<usize>(),
        solved.as_secs_f64(),
        built.as_secs_f64(),
        (solved - built).as_secs_f64(),
        candidates.cost(&stay).unwrap(),
        candidates.cost(&plan).unwrap(),
        candidates.cost(&first_come).unwrap(),
    );
}

/// A unit for every household in England's temporary accommodation, each with a placement:
/// a third of them families, started over the 128 days before `until`.
async fn seed_placements(pool: &housing_platform::db::Pool, until: chrono::NaiveDate) {
    temporary_accommodation::bench::seed_units(pool, ENGLAND, HOME).await;
    sqlx::query(
        "INSERT INTO placement_requests (id, application_id, lead_name, household_size, bedrooms_needed, has_children,
                                         pregnant, needs_step_free, needs_wheelchair_access, duty, anchors, needed_from,
                                         requested_by, created_at)
         SELECT u.id, gen_random_uuid(), 'Household', u.bedrooms, u.bedrooms, u.bedrooms > 1, false, false, false,
                'interim', '[]', current_date, 'bench', now()
         FROM units u",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO placements (id, placement_request_id, application_id, unit_id, status, start_date, weekly_rent_pence,
                                 decided_by, decided_at, bnb_since)
         SELECT gen_random_uuid(), r.id, r.application_id, u.id, 'active', current_date - (hashtext(u.id::text) & 127),
                15000, 'bench', now(),
                CASE WHEN u.unit_type = 'bed_and_breakfast' THEN current_date - (hashtext(u.id::text) & 127) END
         FROM units u JOIN placement_requests r ON r.id = u.id",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("UPDATE placements SET start_date = $1 - (current_date - start_date), bnb_since = $1 - (current_date - bnb_since)")
        .bind(until)
        .execute(pool)
        .await
        .unwrap();
}

async fn sweeps() {
    let db = TestDatabase::create(
        "temporary-accommodation",
        &temporary_accommodation::migrators(),
    )
    .await;
    let pool = db.pool().await;
    seed_placements(&pool, housing_platform::time::today()).await;
    sqlx::query(
        "INSERT INTO s208_notifications (placement_id, receiving_authority, placed_on, due_on)
         SELECT p.id, u.local_authority, p.start_date, p.start_date + 14
         FROM placements p JOIN units u ON u.id = p.unit_id WHERE u.local_authority <> $1",
    )
    .bind(HOME)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    let today = housing_platform::time::today();
    for (label, day) in [("first day", today), ("next day", today + Days::new(1))] {
        let before: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
            .fetch_one(&pool)
            .await
            .unwrap();
        let started = Instant::now();
        daily::run_day(&pool, day).await.unwrap();
        let elapsed = started.elapsed();
        let after: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
            .fetch_one(&pool)
            .await
            .unwrap();
        println!(
            "daily sweeps over {ENGLAND} placements ({label}): {:.2} s, {} events (goal <= 5 s)",
            elapsed.as_secs_f64(),
            after - before
        );
    }
}

/// H-CLIC for the last quarter that has ended, over all of England's temporary
/// accommodation: every placement with one stay, children's dates of birth for families,
/// a tenth ended in the quarter, and the out-of-district tenth placed in Luton.
async fn hclic() {
    let db = TestDatabase::create(
        "temporary-accommodation",
        &temporary_accommodation::migrators(),
    )
    .await;
    let pool = db.pool().await;
    let ended = housing_platform::time::today() - Days::new(92);
    let year_ending = Period::year_ending_of(ended);
    let number = (ended.month() + 8) % 12 / 3 + 1;
    let quarter = Period::quarter(year_ending, number).unwrap();
    seed_placements(&pool, quarter.end).await;
    sqlx::query("UPDATE units SET local_authority = 'Luton' WHERE local_authority <> $1")
        .bind(HOME)
        .execute(&pool)
        .await
        .unwrap();
    for statement in [
        "UPDATE placements SET status = 'closed', closure_reason = 'moved_out',
                end_date = GREATEST(start_date + 1, $1::date - (hashtext(id::text) & 63))
         WHERE hashtext(id::text) % 10 = 0",
        "INSERT INTO placement_stays (placement_id, unit_id, from_date, to_date)
         SELECT id, unit_id, start_date, end_date FROM placements",
        "UPDATE placement_requests SET people = jsonb_build_array(
                jsonb_build_object('name', 'Lead', 'date_of_birth', '1985-01-01', 'lead', true, 'pregnant', false))
            || CASE WHEN has_children THEN jsonb_build_array(
                jsonb_build_object('name', 'Child', 'date_of_birth', $1::date - (hashtext(id::text) & 4095),
                                   'lead', false, 'pregnant', false)) ELSE '[]' END",
    ] {
        sqlx::query(statement)
            .bind(quarter.end)
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    let by = RunBy {
        id: "bench".into(),
        name: "Benchmark".into(),
    };
    let before = rss_kib();
    let memory = PeakMemory::start();
    let started = Instant::now();
    let (built, _) = returns::hclic(&pool, year_ending, number, HOME, &by)
        .await
        .unwrap();
    let elapsed = started.elapsed();
    let peak = memory.peak();
    println!(
        "H-CLIC {} to {} over {ENGLAND} placements: {:.2} s (goal < 60 s); {} records, {} in TA at the end, {} problems; memory {} MiB before, peak {} MiB",
        quarter.start,
        quarter.end,
        elapsed.as_secs_f64(),
        built.records.len(),
        built.tables.households,
        built.problems.len(),
        before / 1024,
        peak / 1024
    );
    let memory = PeakMemory::start();
    let started = Instant::now();
    let (figures, _, _) = returns::management_report(&pool, quarter, &by)
        .await
        .unwrap();
    println!(
        "management report, temporary accommodation section, {} to {} over {ENGLAND} placements: {:.2} s (goal < 60 s); {} figures; peak {} MiB",
        quarter.start,
        quarter.end,
        started.elapsed().as_secs_f64(),
        figures.len(),
        memory.peak() / 1024
    );
}

#[tokio::main]
async fn main() {
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |part: &str| only.is_empty() || only.iter().any(|o| o == part);
    if wanted("rank") {
        rank_in_memory();
        rank_through_the_api().await;
    }
    if wanted("optimiser") {
        optimiser();
    }
    if wanted("sweeps") {
        sweeps().await;
    }
    if wanted("hclic") {
        hclic().await;
    }
}
