//! Starting the five services side by side, as they run in production: each with its own
//! database, all on one NATS server under a prefix of this test's own.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use async_nats::jetstream::consumer::{DeliverPolicy, pull};
use futures::StreamExt;
use housing_events::host::Running;
use housing_platform::auth::{BearerToken, Role};
use housing_platform::time::{format_date, today};
use housing_proto::accommodation::v1::{
    self as ta, accommodation_service_client::AccommodationServiceClient,
};
use housing_proto::register::v1 as reg;
use housing_testkit::pki::PartnerPki;
use housing_testkit::{TestDatabase, TestEnv, channel};
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;

pub type Authed = InterceptedService<Channel, BearerToken>;

pub struct Service {
    pub running: Running,
    pub db: TestDatabase,
    /// The service's audience at the OpenID provider.
    pub audience: &'static str,
    /// Nominations only: the authority whose certificates its partner port accepts.
    pub partner_pki: Option<PartnerPki>,
}

impl Service {
    fn new(running: Running, db: TestDatabase, audience: &'static str) -> Self {
        Self {
            running,
            db,
            audience,
            partner_pki: None,
        }
    }

    /// Nominations' partner authority.
    pub fn pki(&self) -> &PartnerPki {
        self.partner_pki
            .as_ref()
            .expect("only nominations has a partner port")
    }
}

pub struct Stack {
    pub register: Service,
    pub accommodation: Service,
    pub rent: Service,
    pub documents: Service,
    pub nominations: Service,
    pub nats_url: String,
    pub prefix: String,
    _blobs: tempfile::TempDir,
}

fn env(db: &TestDatabase, nats_url: &str, prefix: &str) -> TestEnv {
    TestEnv {
        database_url: db.url.clone(),
        nats_url: nats_url.to_owned(),
        subject_prefix: prefix.to_owned(),
    }
}

/// The example banding scheme every test runs the register with unless it brings its own.
pub const BANDING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../services/register/schemes/banding-example.toml"
);

pub async fn start_register(nats_url: &str, prefix: &str) -> Service {
    start_register_with(nats_url, prefix, BANDING).await
}

/// The register with the scheme in the file `scheme`.
pub async fn start_register_with(nats_url: &str, prefix: &str, scheme: &str) -> Service {
    let db = TestDatabase::create("register", &register::migrators()).await;
    let settings = env(&db, nats_url, prefix).settings(
        register::DEFAULTS,
        &[("HOUSING__SERVICE__SCHEME_FILE", scheme)],
    );
    Service::new(
        register::build(settings).await.expect("register starts"),
        db,
        "api://housing-register",
    )
}

/// Temporary accommodation, taking households from `register` when given one and as typed
/// in otherwise.
pub async fn start_accommodation(
    nats_url: &str,
    prefix: &str,
    register: Option<&Service>,
) -> Service {
    let db = TestDatabase::create("accommodation", &temporary_accommodation::migrators()).await;
    let register_url = register
        .map(|r| format!("http://{}", r.running.addr()))
        .unwrap_or_default();
    let settings = env(&db, nats_url, prefix).settings(
        temporary_accommodation::DEFAULTS,
        &[("HOUSING__SERVICE__REGISTER_URL", register_url.as_str())],
    );
    Service::new(
        temporary_accommodation::build(settings)
            .await
            .expect("temporary accommodation starts"),
        db,
        "api://housing-accommodation",
    )
}

pub async fn start_rent(nats_url: &str, prefix: &str) -> Service {
    let db = TestDatabase::create("rent", &rent::migrators()).await;
    let settings = env(&db, nats_url, prefix).settings(rent::DEFAULTS, &[]);
    Service::new(
        rent::build(settings).await.expect("rent starts"),
        db,
        "api://housing-rent",
    )
}

/// Nominations, asking `register` for shortlists and verification.
pub async fn start_nominations(
    nats_url: &str,
    prefix: &str,
    register: &Service,
    extra: &[(&str, &str)],
) -> Service {
    let db = TestDatabase::create("nominations", &nominations::migrators()).await;
    let register_url = format!("http://{}", register.running.addr());
    let pki = PartnerPki::new();
    let tls = pki.server_settings();
    let mut vars = vec![("HOUSING__SERVICE__REGISTER_URL", register_url.as_str())];
    vars.extend(tls.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    vars.extend_from_slice(extra);
    let settings = env(&db, nats_url, prefix).settings(nominations::DEFAULTS, &vars);
    Service {
        partner_pki: Some(pki),
        ..Service::new(
            nominations::build(settings)
                .await
                .expect("nominations starts"),
            db,
            "api://housing-nominations",
        )
    }
}

/// Documents, keeping its files in the temporary folder returned with it.
pub async fn start_documents(nats_url: &str, prefix: &str) -> (Service, tempfile::TempDir) {
    start_documents_with(nats_url, prefix, &[]).await
}

/// Documents with further settings.
pub async fn start_documents_with(
    nats_url: &str,
    prefix: &str,
    extra: &[(&str, &str)],
) -> (Service, tempfile::TempDir) {
    let blobs = tempfile::tempdir().expect("temp dir");
    let db = TestDatabase::create("documents", &documents::migrators()).await;
    let blob_root = blobs.path().to_str().expect("utf-8 path").to_owned();
    let mut vars = vec![("HOUSING__SERVICE__BLOB_ROOT", blob_root.as_str())];
    vars.extend_from_slice(extra);
    let settings = env(&db, nats_url, prefix).settings(documents::DEFAULTS, &vars);
    let documents = Service::new(
        documents::build(settings).await.expect("documents starts"),
        db,
        "api://housing-documents",
    );
    (documents, blobs)
}

impl Stack {
    pub async fn start(nats_url: &str, prefix: &str) -> Self {
        let register = start_register(nats_url, prefix).await;
        let accommodation = start_accommodation(nats_url, prefix, Some(&register)).await;
        let rent = start_rent(nats_url, prefix).await;

        let (documents, blobs) = start_documents(nats_url, prefix).await;

        let nominations = start_nominations(nats_url, prefix, &register, &[]).await;

        Self {
            register,
            accommodation,
            rent,
            documents,
            nominations,
            nats_url: nats_url.to_owned(),
            prefix: prefix.to_owned(),
            _blobs: blobs,
        }
    }

    pub fn addrs(&self) -> [(&'static str, SocketAddr); 5] {
        [
            ("register", self.register.running.addr()),
            ("temporary-accommodation", self.accommodation.running.addr()),
            ("rent", self.rent.running.addr()),
            ("documents", self.documents.running.addr()),
            ("nominations", self.nominations.running.addr()),
        ]
    }

    pub async fn stop(self) {
        for service in [
            self.register,
            self.accommodation,
            self.rent,
            self.documents,
            self.nominations,
        ] {
            service.running.stop().await.expect("service stops cleanly");
        }
    }
}

/// A channel to `service` whose calls carry the token of the demo officer holding `role`,
/// signed in at the OpenID provider.
pub async fn as_role(service: &Service, role: Role) -> Authed {
    let token = housing_testkit::oidc::token_for(role, service.audience).await;
    InterceptedService::new(
        channel(service.running.addr()).await,
        BearerToken::new(&token),
    )
}

/// A channel to `service` whose calls carry the client `client_id`'s own token (client
/// credentials), as another service or the applicants' portal calls.
pub async fn as_service(service: &Service, client_id: &str) -> Authed {
    let token = housing_testkit::oidc::service_token(
        housing_testkit::oidc::issuer(),
        client_id,
        service.audience,
    )
    .await
    .expect("a client-credentials token");
    InterceptedService::new(
        channel(service.running.addr()).await,
        BearerToken::new(&token),
    )
}

/// The partner whose certificate is `name`'s, on nominations' mutual TLS port.
pub async fn as_partner(nominations: &Service, name: &str) -> Channel {
    let port = nominations
        .running
        .addr_of("partners")
        .expect("a partner port");
    nominations
        .pki()
        .channel(port, Some(name))
        .await
        .expect("the partner connects")
}

/// A message as an outside integration reads it from a stream.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub subject: String,
    pub headers: async_nats::HeaderMap,
    pub payload: Vec<u8>,
}

/// Every message now in the stream of `area`, read with an ephemeral consumer from the start.
pub async fn read_stream(nats_url: &str, prefix: &str, area: &str) -> Vec<Delivered> {
    let client = async_nats::connect(nats_url)
        .await
        .expect("connect to NATS");
    let jetstream = async_nats::jetstream::new(client);
    let name = housing_events::bus::stream_name(prefix, area);
    let Ok(mut stream) = jetstream.get_stream(&name).await else {
        return Vec::new();
    };
    let total = stream.info().await.expect("stream info").state.messages as usize;
    if total == 0 {
        return Vec::new();
    }
    let consumer = stream
        .create_consumer(pull::Config {
            deliver_policy: DeliverPolicy::All,
            ..Default::default()
        })
        .await
        .expect("ephemeral consumer");
    let mut messages = consumer
        .fetch()
        .max_messages(total)
        .expires(Duration::from_secs(2))
        .messages()
        .await
        .expect("fetch");
    let mut out = Vec::new();
    while let Some(Ok(message)) = messages.next().await {
        out.push(Delivered {
            subject: message.subject.to_string(),
            headers: message.headers.clone().unwrap_or_default(),
            payload: message.payload.to_vec(),
        });
        message.ack().await.ok();
    }
    out
}

/// A unit of a new provider's, in `district` at `address`, whose gas safety record expires
/// on `gas_expires` (its other certificates a year ahead); £250 a week, let at £150.
pub async fn new_unit(
    client: &mut AccommodationServiceClient<Authed>,
    address: &str,
    district: &str,
    gas_expires: chrono::NaiveDate,
) -> ta::Unit {
    let provider = client
        .create_provider(ta::CreateProviderRequest {
            request_id: String::new(),
            name: format!("Landlord of {address}"),
            contact_email: "lettings@example.org".into(),
        })
        .await
        .expect("provider")
        .into_inner()
        .provider
        .expect("provider");
    let certificate = |kind: ta::CertificateKind, expires: chrono::NaiveDate| ta::Certificate {
        kind: kind as i32,
        issued_on: format_date(today() - chrono::Days::new(400)),
        expires_on: format_date(expires),
    };
    let year = today() + chrono::Days::new(365);
    client
        .create_unit(ta::CreateUnitRequest {
            request_id: String::new(),
            unit: Some(ta::Unit {
                provider_id: provider.provider_id,
                address: address.into(),
                local_authority: district.into(),
                location: Some(ta::Location {
                    latitude: 51.5,
                    longitude: -0.1,
                }),
                unit_type: ta::UnitType::PrivateSectorLeased as i32,
                bedrooms: 2,
                max_occupancy: 4,
                self_contained: true,
                weekly_cost_pence: 25_000,
                weekly_rent_pence: 15_000,
                certificates: vec![
                    certificate(ta::CertificateKind::GasSafety, gas_expires),
                    certificate(ta::CertificateKind::Electrical, year),
                    certificate(ta::CertificateKind::EnergyPerformance, year),
                ],
                ..Default::default()
            }),
        })
        .await
        .expect("unit")
        .into_inner()
        .unit
        .expect("unit")
}

/// A placement request for `lead_name`'s household of `size` (with children or not) under
/// `duty`, from today.
pub async fn placement_request(
    client: &mut AccommodationServiceClient<Authed>,
    application_id: &str,
    lead_name: &str,
    (size, has_children): (i32, bool),
    duty: ta::DutyType,
) -> ta::PlacementRequest {
    client
        .create_placement_request(ta::CreatePlacementRequestRequest {
            request_id: String::new(),
            placement_request: Some(ta::PlacementRequest {
                application_id: application_id.into(),
                lead_name: lead_name.into(),
                household_size: size,
                bedrooms_needed: 1.max(size / 2),
                has_children,
                duty: duty as i32,
                needed_from: format_date(today()),
                ..Default::default()
            }),
            confirm_differences: false,
        })
        .await
        .expect("request")
        .into_inner()
        .placement_request
        .expect("request")
}

/// An officer places a household (Sam Lee, two people, interim duty) in a new unit in the
/// borough at £150 a week from today; the placement.
pub async fn place_a_household(client: &mut AccommodationServiceClient<Authed>) -> ta::Placement {
    let unit = new_unit(
        client,
        "1 Test Street",
        "Example Borough",
        today() + chrono::Days::new(100),
    )
    .await;
    let application_id = uuid::Uuid::now_v7().to_string();
    let request = placement_request(
        client,
        &application_id,
        "Sam Lee",
        (2, false),
        ta::DutyType::Interim,
    )
    .await;
    client
        .start_placement(ta::StartPlacementRequest {
            request_id: String::new(),
            placement_request_id: request.placement_request_id,
            unit_id: unit.unit_id,
            start_date: format_date(today()),
            reason: "only suitable unit".into(),
        })
        .await
        .expect("a placement succeeds whatever NATS is doing")
        .into_inner()
        .placement
        .expect("placement")
}

pub fn adult(given: &str, dob: &str, relationship: reg::Relationship) -> reg::HouseholdMember {
    reg::HouseholdMember {
        given_name: given.into(),
        family_name: "Bidder".into(),
        date_of_birth: dob.into(),
        sex: reg::Sex::Female as i32,
        relationship: relationship as i32,
        pregnant: false,
        ..Default::default()
    }
}

/// A lone parent with a child of 5: two bedrooms; `owed` a homelessness duty (band B) or
/// not (band C: homeless only).
pub fn application(id: &str, owed: bool, wheelchair: bool) -> reg::SubmitApplicationRequest {
    reg::SubmitApplicationRequest {
        request_id: id.into(),
        lead_applicant: Some(adult("Ann", "1990-02-03", reg::Relationship::LeadApplicant)),
        members: vec![adult(
            "Bo",
            &format_date(today() - chrono::Months::new(60)),
            reg::Relationship::Child,
        )],
        details: Some(reg::ApplicationDetails {
            area: "north".into(),
            postcode: "N1 1AA".into(),
            circumstances: Some(reg::HousingCircumstances {
                current_bedrooms: Some(2),
                homeless: true,
                owed_homelessness_duty: owed,
                tenure: reg::Tenure::TemporaryAccommodation as i32,
                address: "Room 2, 5 Hill Road".into(),
                ..Default::default()
            }),
            local_connection: Some(reg::LocalConnection {
                years_resident: Some(5),
                ..Default::default()
            }),
            immigration_status: reg::ImmigrationStatus::BritishOrIrishCitizen as i32,
            finances: Some(reg::Finances {
                annual_income_pence: Some(1_500_000),
                savings_pence: Some(0),
            }),
            mobility: if wheelchair {
                reg::MobilityCategory::WheelchairThroughout
            } else {
                reg::MobilityCategory::GeneralNeeds
            } as i32,
            areas_wanted: vec![],
            property_types: vec![],
            ..Default::default()
        }),
    }
}
