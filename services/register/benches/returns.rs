//! LAHS section C from the whole of England's register (1,340,000 applications), printing
//! the time and the process's peak memory (goal: under 60 s).
//!
//! The register is seeded by `register::bench` and assessed as in the register's own
//! benchmark; the assessments are then dated a day after each submission, as if the register
//! had been built up over the years before the count, and 60,000 lettings are recorded in the
//! year. The return is produced by the same use case the RPC calls.
//!
//! Run with `cargo bench -p register --bench returns`; `REGISTER_BENCH_APPLICATIONS` sets a
//! smaller register.

use std::time::Instant;

use housing_platform::returns::{Period, RunBy};
use housing_platform::shutdown::CancellationToken;
use housing_platform::time::today;
use housing_testkit::TestDatabase;
use housing_testkit::memory::{PeakMemory, rss_kib};
use register::app::{reassessment, returns};
use register::bench::{SCHEME, applications, seed};
use register::domain::scheme::Scheme;

const LETTINGS: i64 = 60_000;

#[tokio::main]
async fn main() {
    let n = applications();
    let db = TestDatabase::create("register_returns_bench", &register::migrators()).await;
    let pool = db.pool().await;
    let started = Instant::now();
    seed(&pool, n).await;
    let scheme = Scheme::load(std::path::Path::new(SCHEME)).unwrap();
    reassessment::run(&pool, &scheme, &CancellationToken::new())
        .await
        .expect("assessment")
        .expect("a run");
    // The last financial year that has ended.
    let year_ending = Period::year_ending_of(today()) - 1;
    let year = Period::financial_year(year_ending).unwrap();
    sqlx::query(
        "UPDATE assessments s SET assessed_at = a.submitted_at + interval '1 day'
         FROM applications a WHERE a.id = s.application_id",
    )
    .execute(&pool)
    .await
    .expect("date the assessments");
    sqlx::query(
        "INSERT INTO lettings (letting_id, application_id, council_stock, choice_based, tenancy_start_date, housed_at)
         SELECT 'let-' || id, id, random() < 0.4, random() < 0.7,
                $1::date + (random() * 364)::int, $2::timestamptz - interval '1 day'
         FROM applications ORDER BY random() LIMIT $3",
    )
    .bind(year.start)
    .bind(year.end_instant())
    .bind(LETTINGS)
    .execute(&pool)
    .await
    .expect("lettings");
    sqlx::query("VACUUM ANALYZE assessments, status_changes, lettings")
        .execute(&pool)
        .await
        .expect("analyse");
    println!(
        "{n} applications seeded, assessed and dated, {LETTINGS} lettings, in {:.0} s",
        started.elapsed().as_secs_f64()
    );

    let by = RunBy {
        id: "bench".into(),
        name: "Benchmark".into(),
    };
    let before = rss_kib();
    for run in 1..=2 {
        let memory = PeakMemory::start();
        let started = Instant::now();
        let (section, csv, _) = returns::lahs_section_c(&pool, year_ending, &by)
            .await
            .expect("LAHS");
        let elapsed = started.elapsed();
        let peak = memory.peak();
        println!(
            "LAHS section C {year_ending}, run {run}: {:.1} s (goal < 60 s); {} households on the waiting list, {} transfers, {} lettings; {} bytes of CSV; memory {} MiB before, peak {} MiB",
            elapsed.as_secs_f64(),
            section.waiting_list.total,
            section.transfer_list.total,
            section.lettings.total,
            csv.len(),
            before / 1024,
            peak / 1024,
        );
    }
}
