//! Temporary accommodation started for a test against a real PostgreSQL and NATS, and the
//! stock, households and placements the tests build on.

#![allow(dead_code)]

pub mod portfolio;

use chrono::{Days, NaiveDate};
use housing_platform::auth::{BearerToken, Role};
use housing_platform::time::{format_date, today};
use housing_proto::accommodation::v1::{
    self as pb, accommodation_service_client::AccommodationServiceClient,
};
use housing_proto::documents::v1 as documents;
use housing_testkit::{TestDatabase, TestEnv, eventually, publish_as};
use prost::Message;
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;
use uuid::Uuid;

pub type Client = AccommodationServiceClient<InterceptedService<Channel, BearerToken>>;

pub const HOME: &str = "Example Borough";
pub const WAIT: std::time::Duration = std::time::Duration::from_secs(15);

pub struct Harness {
    pub client: Client,
    pub db: TestDatabase,
    pub pool: housing_platform::db::Pool,
    pub running: housing_events::host::Running,
    pub env: TestEnv,
    pub provider_id: String,
}

/// Starts the service with the daily sweeps left to the test, which drives the days.
pub async fn start() -> Harness {
    let db = TestDatabase::create(
        "temporary-accommodation",
        &temporary_accommodation::migrators(),
    )
    .await;
    let env = TestEnv::for_database(&db);
    let settings: temporary_accommodation::Settings = env.settings(
        temporary_accommodation::DEFAULTS,
        &[
            ("HOUSING__SERVICE__RUN_DAILY_JOBS", "false"),
            ("HOUSING__SERVICE__HOME_AUTHORITY", HOME),
            // Households typed in: the register's part is tested across the services.
            ("HOUSING__SERVICE__REGISTER_URL", ""),
        ],
    );
    let running = temporary_accommodation::build(settings)
        .await
        .expect("temporary accommodation starts");
    let mut client = client_as(running.addr(), Role::TaOfficer).await;
    let provider_id = client
        .create_provider(pb::CreateProviderRequest {
            request_id: "provider-1".into(),
            name: "Harbour Lettings".into(),
            contact_email: "lettings@harbour.example".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .provider
        .unwrap()
        .provider_id;
    let pool = db.pool().await;
    Harness {
        client,
        db,
        pool,
        running,
        env,
        provider_id,
    }
}

pub async fn client_as(addr: std::net::SocketAddr, role: Role) -> Client {
    let token = housing_testkit::oidc::token_for(role, "api://housing-accommodation").await;
    AccommodationServiceClient::with_interceptor(
        housing_testkit::channel(addr).await,
        BearerToken::new(&token),
    )
}

pub fn days(n: u64) -> NaiveDate {
    today() + Days::new(n)
}

fn certificate(kind: pb::CertificateKind, expires_on: NaiveDate) -> pb::Certificate {
    pb::Certificate {
        kind: kind as i32,
        issued_on: format_date(today() - Days::new(100)),
        expires_on: format_date(expires_on),
    }
}

/// A compliant, self-contained, in-district unit; certificates good for a year.
pub fn unit(provider_id: &str, unit_type: pb::UnitType, bedrooms: i32, cost: i64) -> pb::Unit {
    let year = days(365);
    pb::Unit {
        provider_id: provider_id.into(),
        address: format!("{} Quay Street", cost / 100),
        local_authority: HOME.into(),
        location: Some(pb::Location {
            latitude: 51.14,
            longitude: 0.87,
        }),
        unit_type: unit_type as i32,
        bedrooms,
        max_occupancy: bedrooms * 2 + 1,
        self_contained: true,
        weekly_cost_pence: cost,
        weekly_rent_pence: cost / 2,
        weekly_service_charge_pence: 1_500,
        certificates: vec![
            certificate(pb::CertificateKind::GasSafety, year),
            certificate(pb::CertificateKind::Electrical, year),
            certificate(pb::CertificateKind::EnergyPerformance, year),
        ],
        ..Default::default()
    }
}

pub fn with_gas_expiring(mut u: pb::Unit, on: NaiveDate) -> pb::Unit {
    u.certificates[0] = certificate(pb::CertificateKind::GasSafety, on);
    u
}

pub async fn create_unit(client: &mut Client, unit: pb::Unit) -> pb::Unit {
    client
        .create_unit(pb::CreateUnitRequest {
            request_id: String::new(),
            unit: Some(unit),
        })
        .await
        .unwrap()
        .into_inner()
        .unit
        .unwrap()
}

/// A household owed the interim duty: `family` means two adults and two children.
pub fn household(family: bool) -> pb::PlacementRequest {
    let (size, bedrooms) = if family { (4, 2) } else { (1, 1) };
    pb::PlacementRequest {
        application_id: Uuid::now_v7().to_string(),
        lead_name: "Amara Mensah".into(),
        household_size: size,
        bedrooms_needed: bedrooms,
        has_children: family,
        duty: pb::DutyType::Interim as i32,
        anchors: vec![pb::Location {
            latitude: 51.15,
            longitude: 0.88,
        }],
        anchor_kinds: vec![pb::AnchorKind::School as i32],
        needed_from: format_date(today()),
        ..Default::default()
    }
}

pub async fn create_request(client: &mut Client, r: pb::PlacementRequest) -> pb::PlacementRequest {
    client
        .create_placement_request(pb::CreatePlacementRequestRequest {
            request_id: String::new(),
            placement_request: Some(r),
            confirm_differences: false,
        })
        .await
        .unwrap()
        .into_inner()
        .placement_request
        .unwrap()
}

pub async fn place(
    client: &mut Client,
    request: &pb::PlacementRequest,
    unit: &pb::Unit,
    on: NaiveDate,
) -> pb::Placement {
    client
        .start_placement(pb::StartPlacementRequest {
            request_id: String::new(),
            placement_request_id: request.placement_request_id.clone(),
            unit_id: unit.unit_id.clone(),
            start_date: format_date(on),
            reason: "best ranked".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .placement
        .unwrap()
}

/// `household` offered a new compliant unit from `from`: its request, the placement and the
/// unit.
pub async fn placed(
    h: &mut Harness,
    unit_type: pb::UnitType,
    bedrooms: i32,
    cost: i64,
    household: pb::PlacementRequest,
    from: NaiveDate,
) -> (pb::PlacementRequest, pb::Placement, pb::Unit) {
    let home = create_unit(
        &mut h.client,
        unit(&h.provider_id, unit_type, bedrooms, cost),
    )
    .await;
    let request = create_request(&mut h.client, household).await;
    let placement = place(&mut h.client, &request, &home, from).await;
    (request, placement, home)
}

pub async fn get(client: &mut Client, placement_id: &str) -> pb::Placement {
    client
        .get_placement(pb::GetPlacementRequest {
            placement_id: placement_id.into(),
        })
        .await
        .unwrap()
        .into_inner()
        .placement
        .unwrap()
}

/// The documents service's report that a checklist is complete.
pub async fn checklist_completed(h: &Harness, kind: documents::ChecklistKind, subject_id: &str) {
    let bus = h.env.bus().await;
    bus.ensure_stream("documents").await.unwrap();
    publish_as(
        &bus,
        Uuid::now_v7(),
        "housing.documents.checklist.completed.v1",
        subject_id,
        &documents::ChecklistCompleted {
            checklist_id: Uuid::now_v7().to_string(),
            checklist_kind: kind as i32,
            subject_id: subject_id.into(),
            owner_area: "accommodation".into(),
            ..Default::default()
        },
    )
    .await;
}

/// Signs the placement up as the documents service would, and waits for it to be active.
pub async fn sign_up(h: &Harness, placement_id: &str) -> pb::Placement {
    checklist_completed(h, documents::ChecklistKind::TaSignUp, placement_id).await;
    eventually(WAIT, "the placement to be signed up", || {
        let mut client = h.client.clone();
        async move {
            let p = get(&mut client, placement_id).await;
            (p.status == pb::PlacementStatus::Active as i32).then_some(p)
        }
    })
    .await
}

/// The events with `subject` in the outbox, oldest first.
pub async fn events<M: Message + Default>(
    pool: &housing_platform::db::Pool,
    subject: &str,
) -> Vec<M> {
    let payloads: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT payload FROM outbox WHERE subject = $1 ORDER BY seq")
            .bind(subject)
            .fetch_all(pool)
            .await
            .unwrap();
    payloads
        .iter()
        .map(|p| M::decode(p.as_slice()).unwrap())
        .collect()
}

pub async fn count(pool: &housing_platform::db::Pool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}
