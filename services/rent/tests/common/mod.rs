//! Rent started for a test against a real PostgreSQL, with officers' clients and the
//! accounts and checks the tests build on.

#![allow(dead_code)]

use chrono::NaiveDate;
use housing_platform::auth::{BearerToken, Role};
use housing_platform::db::Pool;
use housing_platform::money::Pence;
use housing_proto::rent::v1::rent_service_client::RentServiceClient;
use housing_testkit::{TestDatabase, TestEnv};
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;
use uuid::Uuid;

pub type Client = RentServiceClient<InterceptedService<Channel, BearerToken>>;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Monday 2 November 2026.
pub const WEEK: (i32, u32, u32) = (2026, 11, 2);

pub fn week_start() -> String {
    "2026-11-02".into()
}

pub struct Harness {
    pub db: TestDatabase,
    pub running: housing_events::host::Running,
    /// An income officer's.
    pub client: Client,
}

pub async fn start() -> Harness {
    let db = TestDatabase::create("rent", &rent::migrators()).await;
    let env = TestEnv::for_database(&db);
    let running = rent::build(env.settings(rent::DEFAULTS, &[]))
        .await
        .expect("rent starts");
    let client = rent_client(running.addr()).await;
    Harness {
        db,
        running,
        client,
    }
}

pub async fn client_as(addr: std::net::SocketAddr, role: Role) -> Client {
    let token = housing_testkit::oidc::token_for(role, "api://housing-rent").await;
    RentServiceClient::with_interceptor(
        housing_testkit::channel(addr).await,
        BearerToken::new(&token),
    )
}

pub async fn rent_client(addr: std::net::SocketAddr) -> Client {
    client_as(addr, Role::IncomeOfficer).await
}

pub async fn manager_client(addr: std::net::SocketAddr) -> Client {
    client_as(addr, Role::Manager).await
}

/// Opens `n` accounts at `weekly` pence, all from `opened`; returns their ids.
pub async fn open_accounts(pool: &Pool, n: usize, weekly: i64, opened: NaiveDate) -> Vec<Uuid> {
    let mut ids = Vec::new();
    let mut tx = pool.begin().await.unwrap();
    for _ in 0..n {
        let account = rent::app::accounts::open(
            &mut tx,
            Uuid::now_v7(),
            None,
            rent::domain::charges::Schedule {
                rent_pence: Pence::new(weekly),
                service_pence: Pence::ZERO,
            },
            opened,
        )
        .await
        .unwrap();
        ids.push(account.id);
    }
    tx.commit().await.unwrap();
    ids
}

pub async fn assert_books_balance(pool: &Pool) {
    let unbalanced: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT journal_id FROM postings GROUP BY journal_id HAVING sum(amount_pence) <> 0) j",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(unbalanced, 0, "every journal balances");
    let total: i64 =
        sqlx::query_scalar("SELECT coalesce(sum(amount_pence), 0)::bigint FROM postings")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(total, 0, "the books sum to zero");
    assert_queue_follows(pool).await;
}

pub async fn count(pool: &Pool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}

/// What the accounts queue keeps of each account is what the ledger, the arrears review
/// and the account say.
pub async fn assert_queue_follows(pool: &Pool) {
    let wrong: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT a.id, coalesce(q.balance_pence::text || ' ' || q.stage || ' ' || q.status, 'missing')
         FROM rent_accounts a
         LEFT JOIN account_queue q ON q.account_id = a.id
         LEFT JOIN arrears_cases c ON c.account_id = a.id
         WHERE q.balance_pence IS DISTINCT FROM
                   (SELECT coalesce(sum(p.amount_pence), 0) FROM postings p WHERE p.ledger_account = 'tenant:' || a.id)
            OR q.stage IS DISTINCT FROM coalesce(c.stage, 'clear')
            OR q.status IS DISTINCT FROM a.status",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(
        wrong.is_empty(),
        "the queue differs from the accounts: {wrong:?}"
    );
}
