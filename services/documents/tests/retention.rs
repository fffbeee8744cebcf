//! Retention: records past their class's period are destroyed, bytes and row, with an
//! event; a legal hold stops it; open cases are kept.

mod common;

use common::{Client, Service, WAIT, header_for, pdf_bytes, upload, verified_evidence};
use housing_events::EventBus;
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_proto::documents::v1 as pb;
use housing_proto::register::v1 as register;
use housing_testkit::{eventually, publish_as};
use prost::Message;
use tonic::Code;
use uuid::Uuid;

const WITHDRAWN_AT: i64 = 1_735_689_600; // 1 January 2025

/// An assessed application (so it has an acknowledgement letter), withdrawn on 1 January
/// 2025; waits until both are applied.
async fn withdrawn_application(service: &Service, bus: &EventBus, name: &str) -> String {
    let id = Uuid::now_v7().to_string();
    let assessed = register::ApplicationAssessed {
        application_id: id.clone(),
        reference: format!("HR-{name}"),
        band: "C".into(),
        bedroom_need: 1,
        assessment_outcome: register::AssessmentOutcome::Active as i32,
        lead_name: name.into(),
        ..Default::default()
    };
    publish_as(
        bus,
        Uuid::now_v7(),
        "housing.register.application.assessed.v1",
        &id,
        &assessed,
    )
    .await;
    let withdrawn = register::ApplicationStatusChanged {
        application_id: id.clone(),
        from: register::ApplicationStatus::Active as i32,
        to: register::ApplicationStatus::Withdrawn as i32,
        reason: "moved away".into(),
        changed_at: Some(prost_types::Timestamp {
            seconds: WITHDRAWN_AT,
            nanos: 0,
        }),
        ..Default::default()
    };
    publish_as(
        bus,
        Uuid::now_v7(),
        "housing.register.application.status_changed.v1",
        &id,
        &withdrawn,
    )
    .await;
    eventually(WAIT, "the letter and the closure", || {
        let pool = service.pool.clone();
        let id = id.clone();
        async move {
            let (letters, closed): (i64, i64) = sqlx::query_as(
                "SELECT (SELECT count(*) FROM letters WHERE application_id = $1::uuid),
                        (SELECT count(*) FROM closed_cases WHERE case_id = $1)",
            )
            .bind(&id)
            .fetch_one(&pool)
            .await
            .ok()?;
            (letters == 1 && closed == 1).then_some(())
        }
    })
    .await;
    id
}

async fn run(client: &mut common::Client, as_of: &str) -> pb::RunRetentionResponse {
    client
        .run_retention(pb::RunRetentionRequest {
            as_of: as_of.into(),
        })
        .await
        .expect("retention run")
        .into_inner()
}

async fn rows_about(service: &Service, application_id: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM documents WHERE application_id = $1::uuid),
                (SELECT count(*) FROM letters WHERE application_id = $1::uuid)",
    )
    .bind(application_id)
    .fetch_one(&service.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn destruction_leaves_neither_blob_nor_row_and_is_announced() {
    let service = Service::start(&[]).await;
    let mut officer = service.client(Role::AllocationsOfficer).await;
    let mut manager = service.client(Role::Manager).await;
    let bus = service.env.bus().await;
    bus.ensure_stream("register").await.unwrap();

    let gone = withdrawn_application(&service, &bus, "Wyn Hart").await;
    let identity = verified_evidence(
        &mut officer,
        (pb::OwnerKind::Application, &gone),
        &gone,
        pb::EvidenceType::Identity,
    )
    .await;
    let bytes = pdf_bytes(3000);
    let header = header_for(&bytes, &gone, pb::EvidenceType::IncomeAndSavings);
    let income = upload(&mut officer, header, bytes, 1000).await.unwrap();

    // A certificate that expired in January 2020, and an open application's evidence.
    let bytes = pdf_bytes(3000);
    let mut header = header_for(&bytes, "", pb::EvidenceType::ElectricalCertificate);
    header.owner_kind = pb::OwnerKind::Unit as i32;
    header.owner_id = Uuid::now_v7().to_string();
    header.expires_on = "2020-01-01".into();
    upload(&mut officer, header, bytes, 1000).await.unwrap();
    let open = Uuid::now_v7().to_string();
    verified_evidence(
        &mut officer,
        (pb::OwnerKind::Application, &open),
        &open,
        pb::EvidenceType::Address,
    )
    .await;
    assert_eq!(service.blob_files().len(), 5, "four documents and a letter");

    // Within the withdrawn class's year nothing goes but the long-expired certificate.
    let early = run(&mut manager, "2025-12-31").await;
    assert_eq!((early.documents_destroyed, early.letters_destroyed), (1, 0));

    // After a year, the withdrawn application's papers go; its income evidence is a
    // financial record and stays.
    let report = run(&mut manager, "2026-06-01").await;
    assert_eq!(
        (
            report.documents_destroyed,
            report.letters_destroyed,
            report.held
        ),
        (1, 1, 0)
    );
    assert_eq!(rows_about(&service, &gone).await, (1, 0));
    let status = officer
        .get_document(pb::GetDocumentRequest {
            document_id: identity.document_id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        service.blob_files().len(),
        2,
        "the income evidence and the open application's"
    );
    assert_eq!(
        rows_about(&service, &open).await,
        (1, 0),
        "an open case is kept"
    );

    // The outbox relays the three announcements on its own time.
    let destroyed = housing_testkit::eventually(
        std::time::Duration::from_secs(10),
        "three destruction events",
        || async {
            let destroyed = common::published(&service.env)
                .await
                .into_iter()
                .filter(|(s, _)| s == "housing.documents.record.destroyed.v1")
                .map(|(_, p)| pb::RecordDestroyed::decode(p).unwrap())
                .collect::<Vec<_>>();
            (destroyed.len() >= 3).then_some(destroyed)
        },
    )
    .await;
    let classes: Vec<(pb::RecordType, &str)> = destroyed
        .iter()
        .map(|e| (e.record(), e.retention_class.as_str()))
        .collect();
    assert_eq!(
        classes,
        vec![
            (pb::RecordType::Document, "property_records"),
            (pb::RecordType::Document, "withdrawn_application"),
            (pb::RecordType::Letter, "withdrawn_application")
        ]
    );
    assert!(
        destroyed
            .iter()
            .any(|e| e.record_id == identity.document_id)
    );

    // Seven years on, the financial record goes too, and the name kept for letters.
    let report = run(&mut manager, "2032-01-01").await;
    assert_eq!(report.documents_destroyed, 1);
    assert_eq!(rows_about(&service, &gone).await, (0, 0));
    let status = officer
        .get_document(pb::GetDocumentRequest {
            document_id: income.document_id,
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    let named: i64 =
        sqlx::query_scalar("SELECT count(*) FROM people WHERE application_id = $1::uuid")
            .bind(&gone)
            .fetch_one(&service.pool)
            .await
            .unwrap();
    assert_eq!(named, 0, "the name kept for letters is gone");
    assert_eq!(service.blob_files().len(), 1, "only the open application's");
    let reviews: i64 = sqlx::query_scalar("SELECT count(*) FROM document_reviews")
        .fetch_one(&service.pool)
        .await
        .unwrap();
    assert_eq!(reviews, 1, "only the open application's review is left");
    assert_eq!(service.count("destructions").await, 4);
    service.stop().await;
}

#[tokio::test]
async fn a_legal_hold_stops_destruction_until_released() {
    let service = Service::start(&[]).await;
    let mut officer = service.client(Role::AllocationsOfficer).await;
    let mut senior = service.client(Role::SeniorOfficer).await;
    let mut manager = service.client(Role::Manager).await;
    let bus = service.env.bus().await;
    bus.ensure_stream("register").await.unwrap();
    let held = withdrawn_application(&service, &bus, "Hal Moss").await;
    verified_evidence(
        &mut officer,
        (pb::OwnerKind::Application, &held),
        &held,
        pb::EvidenceType::Medical,
    )
    .await;

    // Only senior officers and managers place holds, with a reason.
    let status = officer
        .place_legal_hold(pb::PlaceLegalHoldRequest {
            application_id: held.clone(),
            reason: "judicial review".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    let status = senior
        .place_legal_hold(pb::PlaceLegalHoldRequest {
            application_id: "x".into(),
            reason: " ".into(),
        })
        .await
        .unwrap_err();
    let mut fields = bad_request_fields(&status);
    fields.sort();
    assert_eq!(fields, vec!["application_id", "reason"]);
    let hold = |mut client: Client| {
        let held = held.clone();
        async move {
            client
                .get_legal_hold(pb::GetLegalHoldRequest {
                    application_id: held,
                })
                .await
                .unwrap()
                .into_inner()
        }
    };
    assert!(!hold(senior.clone()).await.held);
    senior
        .place_legal_hold(pb::PlaceLegalHoldRequest {
            application_id: held.clone(),
            reason: "judicial review of the withdrawal".into(),
        })
        .await
        .unwrap();
    let placed = hold(manager.clone()).await;
    assert!(placed.held);
    assert_eq!(placed.reason, "judicial review of the withdrawal");
    assert_eq!(
        placed.placed_by,
        housing_testkit::oidc::officer(Role::SeniorOfficer).sub
    );
    assert!(placed.placed_at.is_some());

    let report = run(&mut manager, "2027-01-01").await;
    assert_eq!(
        (
            report.documents_destroyed,
            report.letters_destroyed,
            report.held
        ),
        (0, 0, 2)
    );
    assert_eq!(rows_about(&service, &held).await, (1, 1));
    assert_eq!(service.blob_files().len(), 2);

    // Only a manager runs retention by hand.
    let status = officer
        .run_retention(pb::RunRetentionRequest::default())
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);

    senior
        .release_legal_hold(pb::ReleaseLegalHoldRequest {
            application_id: held.clone(),
        })
        .await
        .unwrap();
    let status = senior
        .release_legal_hold(pb::ReleaseLegalHoldRequest {
            application_id: held.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    assert!(!hold(senior.clone()).await.held, "released");
    let report = run(&mut manager, "2027-01-01").await;
    assert_eq!(
        (
            report.documents_destroyed,
            report.letters_destroyed,
            report.held
        ),
        (1, 1, 0)
    );
    assert_eq!(rows_about(&service, &held).await, (0, 0));
    assert!(service.blob_files().is_empty());
    service.stop().await;
}
