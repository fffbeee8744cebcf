//! The first journey across all five services: a family is assessed on the register, placed
//! in temporary accommodation, charged rent and sent a letter; a partner provider lets them a
//! home through a nomination; the register houses them, the placement closes and the rent
//! account closes with its final balance. An outside integration sees every event once.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{Stack, as_partner, as_role, read_stream};
use housing_platform::auth::Role;
use housing_platform::time::{format_date, today};
use housing_proto::accommodation::v1::{
    self as ta, accommodation_service_client::AccommodationServiceClient,
};
use housing_proto::documents::v1::{
    self as docs, documents_service_client::DocumentsServiceClient,
};
use housing_proto::nominations::v1::{
    self as noms, nominations_service_client::NominationsServiceClient,
    partner_service_client::PartnerServiceClient,
};
use housing_proto::register::v1::{self as reg, register_service_client::RegisterServiceClient};
use housing_proto::rent::v1::{self as rent_pb, rent_service_client::RentServiceClient};
use housing_testkit::pdf::pdf_text;
use housing_testkit::{eventually, servers, unique_prefix};
use prost::Message;

const WAIT: Duration = Duration::from_secs(30);

fn member(
    given: &str,
    dob: &str,
    sex: reg::Sex,
    relationship: reg::Relationship,
) -> reg::HouseholdMember {
    reg::HouseholdMember {
        given_name: given.into(),
        family_name: "Okafor".into(),
        date_of_birth: dob.into(),
        sex: sex as i32,
        relationship: relationship as i32,
        pregnant: false,
        ..Default::default()
    }
}

/// Born `years` ago, a month ago, so the age is exact whatever day the test runs.
fn born(years: u32) -> String {
    let today = today();
    format_date(
        today
            .checked_sub_months(chrono::Months::new(years * 12 + 1))
            .expect("date in range"),
    )
}

fn certificate(kind: ta::CertificateKind) -> ta::Certificate {
    ta::Certificate {
        kind: kind as i32,
        issued_on: format_date(today() - chrono::Days::new(60)),
        expires_on: format_date(today() + chrono::Days::new(300)),
    }
}

#[tokio::test]
async fn a_family_is_assessed_placed_charged_written_to_nominated_let_and_housed() {
    let prefix = unique_prefix();
    let stack = Stack::start(servers::nats_url(), &prefix).await;

    // 1. The register takes in and assesses the application.
    let mut register =
        RegisterServiceClient::new(as_role(&stack.register, Role::RegisterAssistant).await);
    let application = register
        .submit_application(reg::SubmitApplicationRequest {
            request_id: "journey-application".into(),
            lead_applicant: Some(member(
                "Ada",
                &born(34),
                reg::Sex::Female,
                reg::Relationship::LeadApplicant,
            )),
            members: vec![
                member("Ben", &born(36), reg::Sex::Male, reg::Relationship::Partner),
                member("Cy", &born(4), reg::Sex::Male, reg::Relationship::Child),
                member("Di", &born(11), reg::Sex::Female, reg::Relationship::Child),
            ],
            details: Some(reg::ApplicationDetails {
                area: "north".into(),
                postcode: "N1 2AB".into(),
                circumstances: Some(reg::HousingCircumstances {
                    current_bedrooms: Some(3),
                    homeless: true,
                    owed_homelessness_duty: true,
                    tenure: reg::Tenure::TemporaryAccommodation as i32,
                    address: "Room 4, 12 Station Road".into(),
                    ..Default::default()
                }),
                local_connection: Some(reg::LocalConnection {
                    years_resident: Some(4),
                    ..Default::default()
                }),
                immigration_status: reg::ImmigrationStatus::BritishOrIrishCitizen as i32,
                finances: Some(reg::Finances {
                    annual_income_pence: Some(1_850_000),
                    savings_pence: Some(0),
                }),
                mobility: reg::MobilityCategory::GeneralNeeds as i32,
                areas_wanted: vec!["north".into()],
                property_types: vec![],
                ..Default::default()
            }),
        })
        .await
        .expect("application accepted")
        .into_inner()
        .application
        .expect("application returned");
    assert_eq!(
        application.status,
        reg::ApplicationStatus::Submitted as i32,
        "an assistant takes in; an officer assesses"
    );
    let mut officer =
        RegisterServiceClient::new(as_role(&stack.register, Role::AllocationsOfficer).await);
    let application = officer
        .assess_application(reg::AssessApplicationRequest {
            application_id: application.application_id.clone(),
        })
        .await
        .expect("assessed by an officer")
        .into_inner()
        .application
        .expect("application returned");
    assert_eq!(application.status, reg::ApplicationStatus::Active as i32);
    let assessment = application.assessment.clone().expect("assessed");
    assert_eq!(
        assessment.bedroom_need, 3,
        "two adults, a boy of 4 and a girl of 11 need three bedrooms"
    );
    assert_eq!(assessment.band, "B");
    let application_id = application.application_id.clone();

    // 2. Temporary accommodation: a provider, a compliant three-bedroom unit, a placement.
    let mut accommodation =
        AccommodationServiceClient::new(as_role(&stack.accommodation, Role::TaOfficer).await);
    let provider = accommodation
        .create_provider(ta::CreateProviderRequest {
            request_id: "p-1".into(),
            name: "Northside Lettings".into(),
            contact_email: "lettings@northside.example".into(),
        })
        .await
        .expect("provider created")
        .into_inner()
        .provider
        .expect("provider");
    let unit = accommodation
        .create_unit(ta::CreateUnitRequest {
            request_id: "u-1".into(),
            unit: Some(ta::Unit {
                provider_id: provider.provider_id.clone(),
                address: "14 Elm Road, London N1 4XY".into(),
                local_authority: "Example Borough".into(),
                location: Some(ta::Location {
                    latitude: 51.545,
                    longitude: -0.103,
                }),
                unit_type: ta::UnitType::PrivateSectorLeased as i32,
                bedrooms: 3,
                max_occupancy: 6,
                self_contained: true,
                weekly_cost_pence: 38_500,
                weekly_rent_pence: 21_000,
                weekly_service_charge_pence: 1_500,
                certificates: vec![
                    certificate(ta::CertificateKind::GasSafety),
                    certificate(ta::CertificateKind::Electrical),
                    certificate(ta::CertificateKind::EnergyPerformance),
                ],
                ..Default::default()
            }),
        })
        .await
        .expect("unit created")
        .into_inner()
        .unit
        .expect("unit");
    let request = accommodation
        .create_placement_request(ta::CreatePlacementRequestRequest {
            request_id: "pr-1".into(),
            placement_request: Some(ta::PlacementRequest {
                application_id: application_id.clone(),
                lead_name: "Ada Okafor".into(),
                household_size: 4,
                bedrooms_needed: assessment.bedroom_need,
                has_children: true,
                duty: ta::DutyType::Main as i32,
                anchors: vec![ta::Location {
                    latitude: 51.55,
                    longitude: -0.1,
                }],
                needed_from: format_date(today()),
                ..Default::default()
            }),
            confirm_differences: false,
        })
        .await
        .expect("placement request created")
        .into_inner()
        .placement_request
        .expect("placement request");
    let ranking = accommodation
        .rank_units(ta::RankUnitsRequest {
            placement_request_id: request.placement_request_id.clone(),
            page_size: 10,
        })
        .await
        .expect("ranked")
        .into_inner();
    assert_eq!(ranking.ranked.len(), 1);
    let best = &ranking.ranked[0];
    assert_eq!(best.unit.as_ref().expect("unit").unit_id, unit.unit_id);
    assert!(
        best.parts.iter().any(|p| p.name == "cost"),
        "the score explains itself: {:?}",
        best.parts
    );
    let start_date = today();
    let placement = accommodation
        .start_placement(ta::StartPlacementRequest {
            request_id: "start-1".into(),
            placement_request_id: request.placement_request_id.clone(),
            unit_id: unit.unit_id.clone(),
            start_date: format_date(start_date),
            reason: "best ranked; close to the children's school".into(),
        })
        .await
        .expect("placement started")
        .into_inner()
        .placement
        .expect("placement");
    let placement_id = placement.placement_id.clone();

    // 3. Rent hears of it and opens an account with the weekly charge.
    let rent = RentServiceClient::new(as_role(&stack.rent, Role::IncomeOfficer).await);
    let by_placement = || rent_pb::GetAccountRequest {
        key: Some(rent_pb::get_account_request::Key::PlacementId(
            placement_id.clone(),
        )),
    };
    let account = eventually(WAIT, "the rent account", || {
        let mut rent = rent.clone();
        let request = by_placement();
        async move {
            rent.get_account(request)
                .await
                .ok()
                .and_then(|r| r.into_inner().account)
        }
    })
    .await;
    assert_eq!(account.weekly_charge_pence, 21_000);
    assert_eq!(account.weekly_service_charge_pence, 1_500);
    assert_eq!(account.status, rent_pb::AccountStatus::Open as i32);

    // 4. Documents writes the placement letter as a PDF and opens the sign-up checklist.
    let mut documents =
        DocumentsServiceClient::new(as_role(&stack.documents, Role::TaOfficer).await);
    let letter = eventually(WAIT, "the placement letter", || {
        let mut documents = documents.clone();
        let application_id = application_id.clone();
        async move {
            let letters = documents
                .list_letters(docs::ListLettersRequest {
                    application_id,
                    ..Default::default()
                })
                .await
                .ok()?
                .into_inner()
                .letters;
            letters
                .into_iter()
                .find(|l| l.kind == docs::LetterKind::Placement as i32)
        }
    })
    .await;
    let mut chunks = documents
        .download_letter(docs::DownloadLetterRequest {
            letter_id: letter.letter_id.clone(),
        })
        .await
        .expect("download")
        .into_inner();
    let mut pdf = Vec::new();
    while let Some(chunk) = chunks.message().await.expect("chunk") {
        pdf.extend(chunk.chunk);
    }
    assert_eq!(pdf.len() as i64, letter.size_bytes);
    let text = pdf_text(&pdf);
    assert!(text.contains("Dear Ada Okafor"), "{text}");
    assert!(text.contains("14 Elm Road, London N1 4XY"));
    assert!(text.contains("210.00"));
    let deadline = (today() + chrono::Days::new(21))
        .format("%-d %B %Y")
        .to_string();
    assert!(
        text.contains(&deadline),
        "the review deadline {deadline} is stated"
    );
    let checklist = documents
        .get_checklist(docs::GetChecklistRequest {
            kind: "ta_sign_up".into(),
            subject_id: placement_id.clone(),
        })
        .await
        .expect("checklist")
        .into_inner()
        .checklist
        .expect("checklist");
    assert_eq!(checklist.items.len(), 3);
    assert!(!checklist.complete);

    // 5. A partner reports a vacancy; the council shortlists from the register and nominates.
    let mut staff = NominationsServiceClient::new(as_role(&stack.nominations, Role::Manager).await);
    staff
        .create_partner(noms::CreatePartnerRequest {
            request_id: "partner-1".into(),
            name: "Riverside Homes".into(),
            response_days: 5,
            nomination_share_percent: 50,
            client_certificate_pem: stack.nominations.pki().certificate("riverside"),
            ..Default::default()
        })
        .await
        .expect("partner");
    let mut partner_api =
        PartnerServiceClient::new(as_partner(&stack.nominations, "riverside").await);
    let vacancy = partner_api
        .report_vacancy(noms::ReportVacancyRequest {
            request_id: "v-1".into(),
            vacancy: Some(noms::Vacancy {
                address: "3 Mill Lane, London N5 1QP".into(),
                area: "north".into(),
                bedrooms: 3,
                property_type: "house".into(),
                weekly_rent_pence: 19_850,
                available_from: format_date(start_date + chrono::Days::new(7)),
                void_start: format_date(start_date),
                ..Default::default()
            }),
        })
        .await
        .expect("vacancy reported")
        .into_inner()
        .vacancy
        .expect("vacancy");
    let shortlist = staff
        .shortlist_vacancy(noms::ShortlistVacancyRequest {
            vacancy_id: vacancy.vacancy_id.clone(),
            page_size: 10,
        })
        .await
        .expect("shortlist")
        .into_inner()
        .candidates;
    assert_eq!(
        shortlist.first().map(|c| c.application_id.as_str()),
        Some(application_id.as_str())
    );
    let nomination = staff
        .create_nomination(noms::CreateNominationRequest {
            request_id: "n-1".into(),
            vacancy_id: vacancy.vacancy_id.clone(),
            application_id: application_id.clone(),
            // The family is owed the main duty: this offer would end it.
            offer_kind: noms::OfferKind::HomelessFinalOffer as i32,
            ..Default::default()
        })
        .await
        .expect("nominated")
        .into_inner()
        .nomination
        .expect("nomination");
    let listed = partner_api
        .list_nominations(noms::ListNominationsRequest::default())
        .await
        .expect("list")
        .into_inner()
        .nominations;
    assert_eq!(
        listed
            .iter()
            .map(|n| n.nomination_id.as_str())
            .collect::<Vec<_>>(),
        vec![nomination.nomination_id.as_str()]
    );
    partner_api
        .respond_to_nomination(noms::RespondToNominationRequest {
            nomination_id: nomination.nomination_id.clone(),
            accept: true,
            ..Default::default()
        })
        .await
        .expect("accepted");
    let tenancy_start = start_date + chrono::Days::new(14);
    partner_api
        .report_letting(noms::ReportLettingRequest {
            nomination_id: nomination.nomination_id.clone(),
            tenancy_start_date: format_date(tenancy_start),
            weekly_rent_pence: 19_850,
            details: None,
        })
        .await
        .expect("letting reported");

    // 6. The register houses the family; the placement closes; the rent account closes.
    eventually(WAIT, "the application to be housed", || {
        let mut register = register.clone();
        let application_id = application_id.clone();
        async move {
            let app = register
                .get_application(reg::GetApplicationRequest { application_id })
                .await
                .ok()?
                .into_inner()
                .application?;
            (app.status == reg::ApplicationStatus::Housed as i32).then_some(())
        }
    })
    .await;
    let closed = eventually(WAIT, "the placement to close", || {
        let mut accommodation = accommodation.clone();
        let placement_id = placement_id.clone();
        async move {
            let p = accommodation
                .get_placement(ta::GetPlacementRequest { placement_id })
                .await
                .ok()?
                .into_inner()
                .placement?;
            (p.status == ta::PlacementStatus::Closed as i32).then_some(p)
        }
    })
    .await;
    assert_eq!(
        closed.closure_reason,
        ta::ClosureReason::DutyDischargedFinalOfferAccepted as i32
    );
    assert_eq!(closed.end_date, format_date(tenancy_start));
    let final_account = eventually(WAIT, "the rent account to close", || {
        let mut rent = rent.clone();
        let request = by_placement();
        async move {
            let a = rent.get_account(request).await.ok()?.into_inner().account?;
            (a.status == rent_pb::AccountStatus::Closed as i32).then_some(a)
        }
    })
    .await;
    assert_eq!(
        final_account.balance_pence,
        2 * (21_000 + 1_500),
        "two weeks of rent and service charge, nothing paid"
    );

    // An outside integration reading the streams sees every event once, fully described.
    let expected: &[(&str, &str, usize)] = &[
        ("register", "housing.register.application.submitted.v1", 1),
        ("register", "housing.register.application.assessed.v1", 1),
        // submitted to active, active to housed
        (
            "register",
            "housing.register.application.status_changed.v1",
            2,
        ),
        ("register", "housing.register.application.housed.v1", 1),
        (
            "accommodation",
            "housing.accommodation.placement.started.v1",
            1,
        ),
        (
            "accommodation",
            "housing.accommodation.placement.closed.v1",
            1,
        ),
        ("rent", "housing.rent.account.opened.v1", 1),
        ("rent", "housing.rent.account.closed.v1", 1),
        (
            "nominations",
            "housing.nominations.nomination.created.v1",
            1,
        ),
        ("nominations", "housing.nominations.letting.completed.v1", 1),
        // acknowledgement, placement, rent account, offer, and when the placement ends its
        // closure notice and the rent account's final balance
        ("documents", "housing.documents.letter.generated.v1", 6),
        // the register application's evidence and the TA sign-up
        ("documents", "housing.documents.checklist.opened.v1", 2),
    ];
    // Closing events are the last to be relayed; wait until they are in.
    eventually(WAIT, "every event in its stream", || {
        let (url, prefix) = (stack.nats_url.clone(), prefix.clone());
        async move {
            let mut total = 0;
            for area in [
                "register",
                "accommodation",
                "rent",
                "nominations",
                "documents",
            ] {
                total += read_stream(&url, &prefix, area).await.len();
            }
            (total >= expected.iter().map(|(_, _, n)| n).sum()).then_some(())
        }
    })
    .await;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut letter_kinds = std::collections::BTreeSet::new();
    for area in [
        "register",
        "accommodation",
        "rent",
        "nominations",
        "documents",
    ] {
        for message in read_stream(&stack.nats_url, &prefix, area).await {
            let subject = message
                .subject
                .strip_prefix(&prefix)
                .expect("prefixed subject")
                .to_owned();
            check_cloud_event(&subject, &message.headers, &message.payload);
            if subject == "housing.documents.letter.generated.v1" {
                let letter = docs::LetterGenerated::decode(message.payload.as_ref()).unwrap();
                letter_kinds.insert(letter.kind);
            }
            *seen.entry(subject).or_default() += 1;
        }
    }
    for (_, subject, count) in expected {
        assert_eq!(seen.get(*subject), Some(count), "{subject} in {seen:?}");
    }
    use docs::LetterKind as K;
    assert_eq!(
        letter_kinds,
        [
            K::Placement,
            K::Acknowledgement,
            K::Offer,
            K::RentAccount,
            K::PlacementClosure,
            K::FinalBalance
        ]
        .map(|k| k as i32)
        .into(),
        "one letter of each kind"
    );
    assert_eq!(
        seen.values().sum::<usize>(),
        expected.iter().map(|(_, _, n)| n).sum::<usize>(),
        "no other events: {seen:?}"
    );

    stack.stop().await;
}

/// The CloudEvents headers of the architecture page, and a payload that decodes as the
/// message `ce-type` names.
fn check_cloud_event(subject: &str, headers: &async_nats::HeaderMap, payload: &[u8]) {
    let get = |name: &str| {
        headers
            .get(name)
            .map(|v| v.as_str().to_owned())
            .unwrap_or_else(|| panic!("{subject}: no {name}"))
    };
    assert_eq!(get("ce-specversion"), "1.0");
    let id = get("ce-id");
    uuid::Uuid::parse_str(&id).expect("ce-id is a UUID");
    assert_eq!(get("Nats-Msg-Id"), id);
    let area = subject.split('.').nth(1).expect("area in subject");
    let service = if area == "accommodation" {
        "temporary-accommodation"
    } else {
        area
    };
    assert_eq!(get("ce-source"), format!("/services/{service}"));
    assert!(!get("ce-subject").is_empty());
    chrono::DateTime::parse_from_rfc3339(&get("ce-time")).expect("ce-time is RFC 3339");
    assert_eq!(get("ce-datacontenttype"), "application/protobuf");
    let traceparent = get("traceparent");
    assert_eq!(
        traceparent.split('-').count(),
        4,
        "W3C traceparent: {traceparent}"
    );
    let ce_type = get("ce-type");
    let decoded = match ce_type.as_str() {
        "housing.register.v1.ApplicationAssessed" => {
            reg::ApplicationAssessed::decode(payload).is_ok()
        }
        "housing.register.v1.ApplicationHoused" => reg::ApplicationHoused::decode(payload).is_ok(),
        "housing.register.v1.ApplicationSubmitted" => {
            reg::ApplicationSubmitted::decode(payload).is_ok()
        }
        "housing.register.v1.ApplicationStatusChanged" => {
            reg::ApplicationStatusChanged::decode(payload).is_ok()
        }
        "housing.accommodation.v1.PlacementStarted" => {
            ta::PlacementStarted::decode(payload).is_ok()
        }
        "housing.accommodation.v1.PlacementClosed" => ta::PlacementClosed::decode(payload).is_ok(),
        "housing.rent.v1.AccountOpened" => rent_pb::AccountOpened::decode(payload).is_ok(),
        "housing.rent.v1.AccountClosed" => rent_pb::AccountClosed::decode(payload).is_ok(),
        "housing.nominations.v1.NominationCreated" => {
            noms::NominationCreated::decode(payload).is_ok()
        }
        "housing.nominations.v1.LettingCompleted" => {
            noms::LettingCompleted::decode(payload).is_ok()
        }
        "housing.documents.v1.LetterGenerated" => docs::LetterGenerated::decode(payload).is_ok(),
        "housing.documents.v1.ChecklistOpened" => docs::ChecklistOpened::decode(payload).is_ok(),
        other => panic!("{subject}: unexpected ce-type {other}"),
    };
    assert!(decoded, "{subject}: payload does not decode as {ce_type}");
}

#[tokio::test]
async fn every_service_answers_health_and_lists_itself_by_reflection() {
    let prefix = unique_prefix();
    let stack = Stack::start(servers::nats_url(), &prefix).await;
    for (name, addr) in stack.addrs() {
        let channel = housing_testkit::channel(addr).await;
        let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
        let status = health
            .check(tonic_health::pb::HealthCheckRequest {
                service: String::new(),
            })
            .await
            .unwrap_or_else(|e| panic!("{name} health: {e}"))
            .into_inner()
            .status;
        assert_eq!(
            status,
            tonic_health::pb::health_check_response::ServingStatus::Serving as i32,
            "{name}"
        );

        // Each port lists its own service and health, and nothing of the others'.
        let own: &[&str] = match name {
            "register" => &[
                "housing.register.v1.RegisterService",
                "housing.register.v1.ReturnsService",
            ],
            "temporary-accommodation" => &[
                "housing.accommodation.v1.AccommodationService",
                "housing.accommodation.v1.ReturnsService",
            ],
            "rent" => &[
                "housing.rent.v1.RentService",
                "housing.rent.v1.ReturnsService",
            ],
            "documents" => &["housing.documents.v1.DocumentsService"],
            "nominations" => &[
                "housing.nominations.v1.NominationsService",
                "housing.nominations.v1.ReturnsService",
            ],
            other => panic!("no service {other}"),
        };
        let expected: Vec<String> = std::iter::once("grpc.health.v1.Health")
            .chain(own.iter().copied())
            .map(str::to_owned)
            .collect();
        let mut services = reflection_v1(channel.clone()).await;
        services.sort();
        assert_eq!(services, expected, "{name}");
        let mut services = reflection_v1alpha(channel).await;
        services.sort();
        assert_eq!(services, expected, "{name} (v1alpha)");
    }
    // Partners' mutual TLS port lists the partner service alone: nothing of the staff API.
    let partner = common::as_partner(&stack.nominations, "riverside").await;
    for mut services in [
        reflection_v1(partner.clone()).await,
        reflection_v1alpha(partner).await,
    ] {
        services.sort();
        assert_eq!(
            services,
            [
                "grpc.health.v1.Health",
                "housing.nominations.v1.PartnerService"
            ]
        );
    }
    stack.stop().await;
}

/// The services a server lists through one version of the reflection protocol.
macro_rules! list_services {
    ($version:ident, $channel:expr) => {{
        use tonic_reflection::pb::$version::{
            ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
            server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
        };
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        };
        let mut responses = ServerReflectionClient::new($channel)
            .server_reflection_info(futures::stream::iter([request]))
            .await
            .expect("reflection answers")
            .into_inner();
        match responses
            .message()
            .await
            .expect("answer")
            .and_then(|r| r.message_response)
        {
            Some(MessageResponse::ListServicesResponse(list)) => list
                .service
                .into_iter()
                .map(|s| s.name)
                .collect::<Vec<String>>(),
            other => panic!("unexpected reflection answer {other:?}"),
        }
    }};
}

async fn reflection_v1(channel: tonic::transport::Channel) -> Vec<String> {
    list_services!(v1, channel)
}

async fn reflection_v1alpha(channel: tonic::transport::Channel) -> Vec<String> {
    list_services!(v1alpha, channel)
}
