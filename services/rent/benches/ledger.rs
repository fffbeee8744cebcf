//! Rent ledger benchmarks on the machine's real PostgreSQL, printing their figures:
//!
//! 1. the weekly charge run over 132,000 accounts (all of England's temporary accommodation);
//! 2. sustained posting throughput (payments, each its own transaction) from 8 writers, next
//!    to pgbench's read-write TPS measured on the same server in the same run;
//! 3. the balance of an account in a ledger of 10 million postings, p50/p99;
//! 4. the rent section of the management report over that ledger and those accounts.
//!
//! Run with `cargo bench -p rent --bench ledger` (add `-- charge`, `posting`, `balance` or
//! `report` to run only those parts; `report` reads the ledger `balance` seeds).

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use housing_platform::db::Pool;
use housing_platform::money::Pence;
use housing_testkit::TestDatabase;
use rent::app::payments::{self, Method, Payment};
use uuid::Uuid;

const ACCOUNTS: i64 = 132_000;
const LEDGER_POSTINGS: i64 = 10_000_000;
const WRITERS: usize = 8;
const THROUGHPUT_SECONDS: u64 = 15;

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
}

async fn seed_accounts(pool: &Pool, n: i64) {
    sqlx::query(
        "INSERT INTO rent_accounts (id, placement_id, status, weekly_charge_pence, weekly_service_charge_pence, opened_on,
                                    charged_through, created_at, payment_reference)
         -- A third of households are in shared accommodation with a service charge.
         SELECT gen_random_uuid(), gen_random_uuid(), 'open', 15000 + (i % 200) * 100, (i % 3 = 0)::int * 1500, $1, $1, now(),
                'TA' || lpad(nextval('payment_reference_seq')::text, 8, '0')
         FROM generate_series(1, $2) AS i",
    )
    .bind(monday())
    .bind(n)
    .execute(pool)
    .await
    .expect("seed accounts");
}

async fn charge_run(pool: &Pool) {
    seed_accounts(pool, ACCOUNTS).await;
    let started = Instant::now();
    let report =
        rent::app::charge_run::run_week(pool, monday(), "bench", rent::app::charge_run::BATCH)
            .await
            .expect("charge run");
    let elapsed = started.elapsed();
    println!(
        "charge run: {} accounts charged {} pence in {:.2} s ({:.0} accounts/s; goal <= 10 s)",
        report.accounts_charged,
        report.total_pence,
        elapsed.as_secs_f64(),
        report.accounts_charged as f64 / elapsed.as_secs_f64()
    );
}

fn pgbench_tps(base_url: &str) -> f64 {
    let db = "housing_bench_pgbench";
    let url = format!("{base_url}/{db}");
    let admin = format!("{base_url}/postgres");
    let _ = Command::new("psql")
        .args([
            admin.as_str(),
            "-qc",
            &format!("DROP DATABASE IF EXISTS {db}"),
        ])
        .output();
    Command::new("psql")
        .args([admin.as_str(), "-qc", &format!("CREATE DATABASE {db}")])
        .output()
        .expect("psql");
    let init = Command::new("pgbench")
        .args(["-i", "-q", "-s", "10", url.as_str()])
        .output()
        .expect("pgbench installed");
    assert!(
        init.status.success(),
        "pgbench -i: {}",
        String::from_utf8_lossy(&init.stderr)
    );
    let run = Command::new("pgbench")
        .args([
            "-c",
            &WRITERS.to_string(),
            "-j",
            "2",
            "-T",
            &THROUGHPUT_SECONDS.to_string(),
            url.as_str(),
        ])
        .output()
        .expect("pgbench runs");
    let _ = Command::new("psql")
        .args([
            admin.as_str(),
            "-qc",
            &format!("DROP DATABASE IF EXISTS {db}"),
        ])
        .output();
    let out = String::from_utf8_lossy(&run.stdout);
    out.lines()
        .find_map(|l| {
            l.strip_prefix("tps = ")
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or_else(|| panic!("no tps in pgbench output:\n{out}"))
}

async fn posting_throughput(pool: &Pool) -> f64 {
    let accounts: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM rent_accounts LIMIT 1000")
        .fetch_all(pool)
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(THROUGHPUT_SECONDS);
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let pool = pool.clone();
        let accounts = accounts.clone();
        writers.push(tokio::spawn(async move {
            let mut posted = 0u64;
            while Instant::now() < deadline {
                let account = accounts[(posted as usize * WRITERS + w) % accounts.len()];
                let payment = Payment {
                    request_id: format!("bench-{w}-{posted}"),
                    account_id: account,
                    amount: Pence::new(1_000),
                    received_on: monday(),
                    method: Method::Tenant,
                };
                payments::record(&pool, &payment, "bench")
                    .await
                    .expect("payment posts");
                posted += 1;
            }
            posted
        }));
    }
    let mut total = 0;
    for w in writers {
        total += w.await.unwrap();
    }
    total as f64 / THROUGHPUT_SECONDS as f64
}

async fn balances(pool: &Pool) {
    let have: i64 = sqlx::query_scalar("SELECT count(*) FROM postings")
        .fetch_one(pool)
        .await
        .unwrap();
    let journals = (LEDGER_POSTINGS - have).max(0) / 2;
    // Journals spread over every account: a debit to the tenant, a credit to rent income.
    sqlx::query(
        "WITH a AS (SELECT id, row_number() OVER () AS n FROM rent_accounts),
              j AS (INSERT INTO journal_entries (kind, memo, rent_account_id, effective_date, created_by, created_at)
                    SELECT 'charge', 'bench', a.id, $2, 'bench', now()
                    FROM generate_series(1, $1) AS g JOIN a ON a.n = 1 + g % (SELECT count(*) FROM rent_accounts)
                    RETURNING id, rent_account_id)
         INSERT INTO postings (journal_id, ledger_account, amount_pence)
         SELECT id, 'tenant:' || rent_account_id, 100 FROM j
         UNION ALL SELECT id, 'income:rent', -100 FROM j",
    )
    .bind(journals)
    .bind(monday())
    .execute(pool)
    .await
    .expect("seed ledger");
    sqlx::query("ANALYZE postings").execute(pool).await.unwrap();
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM postings")
        .fetch_one(pool)
        .await
        .unwrap();

    let accounts: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM rent_accounts ORDER BY random() LIMIT 2000")
            .fetch_all(pool)
            .await
            .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let mut times = Vec::with_capacity(accounts.len());
    for id in &accounts {
        let started = Instant::now();
        let _ = rent::db::ledger::balance(&mut conn, &rent::domain::ledger::tenant_account(*id))
            .await
            .unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "balance: ledger of {total} postings, {} accounts looked up: p50 {:.2} ms, p99 {:.2} ms (goal p99 <= 5 ms)",
        accounts.len(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0
    );
}

#[tokio::main]
async fn main() {
    // `cargo bench -p rent --bench ledger -- charge posting balance` picks parts; none = all.
    let chosen: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |part: &str| chosen.is_empty() || chosen.iter().any(|c| c == part);
    let db = TestDatabase::create("rent_bench", &rent::migrators()).await;
    let pool = Pool::open(&db.url, WRITERS as u32 + 2).await.unwrap();

    if wanted("charge") {
        charge_run(&pool).await;
    } else {
        seed_accounts(&pool, ACCOUNTS).await;
    }
    if wanted("posting") {
        let tps = pgbench_tps(housing_testkit::servers::postgres_base_url());
        let posted = posting_throughput(&pool).await;
        println!(
            "posting: {posted:.0} payments/s from {WRITERS} writers over {THROUGHPUT_SECONDS} s; pgbench read-write {tps:.0} TPS; {:.0}% of pgbench (goal >= 50%)",
            100.0 * posted / tps
        );
    }
    if wanted("balance") || wanted("report") {
        balances(&pool).await;
    }
    if wanted("report") {
        report(&pool).await;
    }
}

async fn report(pool: &Pool) {
    let period = housing_platform::returns::Period {
        start: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        end: housing_platform::time::today(),
    };
    let by = housing_platform::returns::RunBy {
        id: "bench".into(),
        name: "Benchmark".into(),
    };
    let memory = housing_testkit::memory::PeakMemory::start();
    let started = Instant::now();
    let (figures, _, _) = rent::app::returns::management_report(pool, period, &by)
        .await
        .expect("the report");
    println!(
        "management report, rent section, {} to {} over {ACCOUNTS} accounts and the ledger: {:.2} s (goal < 60 s); {} figures; peak {} MiB",
        period.start,
        period.end,
        started.elapsed().as_secs_f64(),
        figures.len(),
        memory.peak() / 1024
    );
}
