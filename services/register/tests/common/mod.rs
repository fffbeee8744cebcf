//! The register started for a test against a real PostgreSQL and NATS, and the requests
//! the tests build on.

#![allow(dead_code)]

use housing_platform::auth::{BearerToken, Role};
use housing_proto::register::v1::{self as pb, register_service_client::RegisterServiceClient};
use housing_testkit::{TestDatabase, TestEnv};
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;

pub type Client = RegisterServiceClient<InterceptedService<Channel, BearerToken>>;

pub struct Harness {
    pub client: Client,
    pub db: TestDatabase,
    pub running: housing_events::host::Running,
    pub env: TestEnv,
}

pub const BANDING: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schemes/banding-example.toml");

pub async fn start() -> Harness {
    start_with(&[]).await
}

pub async fn start_with(extra: &[(&str, &str)]) -> Harness {
    let db = TestDatabase::create("register", &register::migrators()).await;
    start_on(db, extra).await
}

/// Starts the register on `db`; the daily jobs are left to the test, which drives the days.
pub async fn start_on(db: TestDatabase, extra: &[(&str, &str)]) -> Harness {
    let env = TestEnv::for_database(&db);
    let mut vars = vec![
        ("HOUSING__SERVICE__SCHEME_FILE", BANDING),
        ("HOUSING__SERVICE__RUN_DAILY_JOBS", "false"),
    ];
    vars.extend_from_slice(extra);
    let settings: register::Settings = env.settings(register::DEFAULTS, &vars);
    let running = register::build(settings).await.expect("register starts");
    let client = client_as(running.addr(), Role::AllocationsOfficer).await;
    Harness {
        client,
        db,
        running,
        env,
    }
}

pub const AUDIENCE: &str = "api://housing-register";

/// A client signed in as the demo officer holding `role`.
pub async fn client_as(addr: std::net::SocketAddr, role: Role) -> Client {
    client_as_person(addr, &housing_testkit::oidc::officer(role).username).await
}

/// A client signed in as the demo person `username`.
pub async fn client_as_person(addr: std::net::SocketAddr, username: &str) -> Client {
    let token = housing_testkit::oidc::token_as(username, AUDIENCE).await;
    RegisterServiceClient::with_interceptor(
        housing_testkit::channel(addr).await,
        BearerToken::new(&token),
    )
}

/// The subject the provider gives the demo officer holding `role`: what decisions record.
pub fn subject(role: Role) -> &'static str {
    &housing_testkit::oidc::officer(role).sub
}

pub fn person(
    given: &str,
    dob: &str,
    sex: pb::Sex,
    relationship: pb::Relationship,
) -> pb::HouseholdMember {
    pb::HouseholdMember {
        given_name: given.into(),
        family_name: "Okafor".into(),
        date_of_birth: dob.into(),
        sex: sex as i32,
        relationship: relationship as i32,
        pregnant: false,
        ..Default::default()
    }
}

/// Complete details of an eligible, qualifying household in two bedrooms, owed a
/// homelessness duty.
pub fn details() -> pb::ApplicationDetails {
    pb::ApplicationDetails {
        area: "north".into(),
        postcode: "n1 2ab".into(),
        circumstances: Some(pb::HousingCircumstances {
            current_bedrooms: Some(2),
            owed_homelessness_duty: true,
            tenure: pb::Tenure::PrivateRented as i32,
            address: "14 Canal Street".into(),
            ..Default::default()
        }),
        local_connection: Some(pb::LocalConnection {
            years_resident: Some(6),
            ..Default::default()
        }),
        immigration_status: pb::ImmigrationStatus::BritishOrIrishCitizen as i32,
        finances: Some(pb::Finances {
            annual_income_pence: Some(2_400_000),
            savings_pence: Some(50_000),
        }),
        mobility: pb::MobilityCategory::GeneralNeeds as i32,
        areas_wanted: vec!["north".into(), "east".into()],
        ..Default::default()
    }
}

/// A couple with two children of different sexes either side of ten: three bedrooms.
pub fn family_request(request_id: &str) -> pb::SubmitApplicationRequest {
    pb::SubmitApplicationRequest {
        request_id: request_id.into(),
        lead_applicant: Some(person(
            "Ada",
            "1988-03-02",
            pb::Sex::Female,
            pb::Relationship::LeadApplicant,
        )),
        members: vec![
            person(
                "Ben",
                "1986-07-19",
                pb::Sex::Male,
                pb::Relationship::Partner,
            ),
            person("Cy", "2022-05-01", pb::Sex::Male, pb::Relationship::Child),
            person("Di", "2015-01-10", pb::Sex::Female, pb::Relationship::Child),
        ],
        details: Some(details()),
    }
}

pub async fn submit(client: &mut Client, request: pb::SubmitApplicationRequest) -> pb::Application {
    client
        .submit_application(request)
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap()
}

pub async fn get(client: &mut Client, id: &str) -> pb::Application {
    client
        .get_application(pb::GetApplicationRequest {
            application_id: id.into(),
        })
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap()
}

pub fn change(
    id: &str,
    status: pb::ApplicationStatus,
    reason: &str,
) -> pb::ChangeApplicationStatusRequest {
    pb::ChangeApplicationStatusRequest {
        application_id: id.into(),
        status: status as i32,
        reason: reason.into(),
        suspended_until: String::new(),
    }
}

/// The events with `subject` in the outbox, oldest first, decoded.
pub async fn payloads<M: prost::Message + Default>(
    pool: &housing_platform::db::Pool,
    subject: &str,
) -> Vec<M> {
    sqlx::query_scalar::<_, Vec<u8>>(
        "SELECT payload FROM outbox WHERE subject = $1 ORDER BY occurred_at",
    )
    .bind(subject)
    .fetch_all(pool)
    .await
    .unwrap()
    .iter()
    .map(|bytes| M::decode(bytes.as_slice()).unwrap())
    .collect()
}

/// How many events with `subject` wait in the outbox.
pub async fn events(pool: &housing_platform::db::Pool, subject: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM outbox WHERE subject = $1")
        .bind(subject)
        .fetch_one(pool)
        .await
        .unwrap()
}
