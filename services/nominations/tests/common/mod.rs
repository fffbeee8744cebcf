//! Nominations started for a test on real PostgreSQL and NATS, with one partner, and the
//! clients and rows the tests build on.

#![allow(dead_code)]

use housing_platform::auth::{BearerToken, Role};
use housing_platform::db::Pool;
use housing_proto::nominations::v1::{
    nominations_service_client::NominationsServiceClient,
    partner_service_client::PartnerServiceClient,
};
use housing_testkit::pki::PartnerPki;
use housing_testkit::{TestDatabase, TestEnv};
use uuid::Uuid;

use tonic::transport::Channel;

pub struct Harness {
    pub db: TestDatabase,
    pub pool: Pool,
    pub running: housing_events::host::Running,
    pub partner: Uuid,
    /// Partners connect with certificates from this authority to the partner port.
    pub pki: PartnerPki,
}

pub async fn start() -> Harness {
    let db = TestDatabase::create("nominations", &nominations::migrators()).await;
    let pki = PartnerPki::new();
    let env = TestEnv::for_database(&db);
    let tls = pki.server_settings();
    let vars: Vec<(&str, &str)> = tls.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let running = nominations::build(env.settings(nominations::DEFAULTS, &vars))
        .await
        .expect("starts");
    let pool = db.pool().await;
    let partner = Uuid::now_v7();
    sqlx::query("INSERT INTO partners (id, name, response_days, created_at) VALUES ($1, 'Riverside Homes', 5, now())")
        .bind(partner)
        .execute(&pool)
        .await
        .unwrap();
    Harness {
        db,
        pool,
        running,
        partner,
        pki,
    }
}

/// A vacancy of the partner's with a nomination in `status`; returns the nomination id.
pub async fn nomination(h: &Harness, status: &str) -> Uuid {
    let (vacancy, id) = (Uuid::now_v7(), Uuid::now_v7());
    sqlx::query(
        "INSERT INTO vacancies (id, partner_id, address, area, bedrooms, property_type, step_free, wheelchair_accessible,
                                weekly_rent_pence, available_from, void_start, status, reported_at)
         VALUES ($1, $2, '1 Road', 'north', 2, 'flat', false, false, 15000, current_date, current_date, 'nominated', now())",
    )
    .bind(vacancy)
    .bind(h.partner)
    .execute(&h.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO nominations (id, vacancy_id, partner_id, application_id, application_reference, band, status,
                                  respond_by, nominated_by, nominated_at)
         VALUES ($1, $2, $3, $4, 'REG-0000001', 'B', $5, current_date + 5, 'officer', now())",
    )
    .bind(id)
    .bind(vacancy)
    .bind(h.partner)
    .bind(Uuid::now_v7())
    .bind(status)
    .execute(&h.pool)
    .await
    .unwrap();
    id
}

pub async fn staff(
    h: &Harness,
    role: Role,
) -> NominationsServiceClient<
    tonic::codegen::InterceptedService<tonic::transport::Channel, BearerToken>,
> {
    let token = housing_testkit::oidc::token_for(role, AUDIENCE).await;
    NominationsServiceClient::with_interceptor(
        housing_testkit::channel(h.running.addr()).await,
        BearerToken::new(&token),
    )
}

pub const AUDIENCE: &str = "api://housing-nominations";

/// The partner `partner`, connecting to the partner port with a certificate of its own that
/// the council registered.
pub async fn partner_client(h: &Harness, partner: Uuid) -> PartnerServiceClient<Channel> {
    let name = partner.to_string();
    sqlx::query("UPDATE partners SET certificate_sha256 = $2 WHERE id = $1")
        .bind(partner)
        .bind(h.pki.fingerprint(&name))
        .execute(&h.pool)
        .await
        .unwrap();
    let addr = h.running.addr_of("partners").expect("a partner port");
    PartnerServiceClient::new(h.pki.channel(addr, Some(&name)).await.unwrap())
}

pub async fn outbox(pool: &Pool, subject: &str) -> Vec<Vec<u8>> {
    sqlx::query_scalar("SELECT payload FROM outbox WHERE subject = $1 ORDER BY occurred_at")
        .bind(subject)
        .fetch_all(pool)
        .await
        .unwrap()
}
