//! Checklists met by verified evidence, and the completion event for the owning service.

mod common;

use common::{Service, WAIT, verified_evidence, wait_for_event};
use housing_platform::auth::Role;
use housing_proto::accommodation::v1 as accommodation;
use housing_proto::documents::v1 as pb;
use housing_proto::register::v1 as register;
use housing_testkit::{eventually, publish_as};
use uuid::Uuid;

async fn checklist(
    client: &mut common::Client,
    kind: &str,
    subject: &str,
) -> Option<pb::Checklist> {
    client
        .get_checklist(pb::GetChecklistRequest {
            kind: kind.into(),
            subject_id: subject.into(),
        })
        .await
        .ok()?
        .into_inner()
        .checklist
}

#[tokio::test]
async fn ta_sign_up_completes_when_licence_benefit_claim_and_identity_are_verified() {
    let service = Service::start(&[]).await;
    let mut client = service.client(Role::TaOfficer).await;
    let bus = service.env.bus().await;
    bus.ensure_stream("accommodation").await.unwrap();
    let application_id = Uuid::now_v7().to_string();
    let placement_id = Uuid::now_v7().to_string();

    // Identity was verified when the household applied, before the placement.
    let identity = verified_evidence(
        &mut client,
        (pb::OwnerKind::Application, &application_id),
        &application_id,
        pb::EvidenceType::Identity,
    )
    .await;

    let started = accommodation::PlacementStarted {
        placement_id: placement_id.clone(),
        application_id: application_id.clone(),
        lead_name: "Sam Lee".into(),
        unit_address: "Flat 2, 9 Mill Lane".into(),
        start_date: "2026-11-30".into(),
        weekly_rent_pence: 19_950,
        ..Default::default()
    };
    publish_as(
        &bus,
        Uuid::now_v7(),
        "housing.accommodation.placement.started.v1",
        &placement_id,
        &started,
    )
    .await;
    let opened = eventually(WAIT, "the sign-up checklist", || {
        let mut client = client.clone();
        let placement_id = placement_id.clone();
        async move { checklist(&mut client, "ta_sign_up", &placement_id).await }
    })
    .await;
    assert!(!opened.complete);
    let identity_item = opened
        .items
        .iter()
        .find(|i| i.code == "identity_verified")
        .unwrap();
    assert_eq!(identity_item.status, pb::ChecklistItemStatus::Done as i32);
    assert_eq!(identity_item.document_id, identity.document_id);

    // A rejected licence does not count; the signed one does.
    let bytes = common::pdf_bytes(3000);
    let mut header = common::header_for(
        &bytes,
        &application_id,
        pb::EvidenceType::SignedLicenceAgreement,
    );
    header.owner_kind = pb::OwnerKind::Placement as i32;
    header.owner_id = placement_id.clone();
    let unsigned = common::upload(&mut client, header, bytes, 1000)
        .await
        .unwrap();
    client
        .reject_document(pb::RejectDocumentRequest {
            document_id: unsigned.document_id,
            reason: "not signed".into(),
        })
        .await
        .unwrap();
    let after_rejection = checklist(&mut client, "ta_sign_up", &placement_id)
        .await
        .unwrap();
    assert_eq!(
        after_rejection
            .items
            .iter()
            .filter(|i| i.status == pb::ChecklistItemStatus::Done as i32)
            .count(),
        1
    );

    for evidence in [
        pb::EvidenceType::SignedLicenceAgreement,
        pb::EvidenceType::BenefitClaim,
    ] {
        verified_evidence(
            &mut client,
            (pb::OwnerKind::Placement, &placement_id),
            &application_id,
            evidence,
        )
        .await;
    }
    let done = checklist(&mut client, "ta_sign_up", &placement_id)
        .await
        .unwrap();
    assert!(done.complete, "{done:?}");

    let completed = wait_for_event::<pb::ChecklistCompleted>(
        &service.env,
        "housing.documents.checklist.completed.v1",
        |e| e.subject_id == placement_id,
    )
    .await;
    assert_eq!(completed.checklist_kind(), pb::ChecklistKind::TaSignUp);
    assert_eq!(completed.owner_area, "accommodation");
    assert_eq!(completed.application_id, application_id);
    let completions = common::published(&service.env)
        .await
        .into_iter()
        .filter(|(s, _)| s == "housing.documents.checklist.completed.v1")
        .count();
    assert_eq!(completions, 1, "announced once");
    service.stop().await;
}

#[tokio::test]
async fn a_register_application_checklist_completes_for_the_register() {
    let service = Service::start(&[]).await;
    let mut client = service.client(Role::RegisterAssistant).await;
    let bus = service.env.bus().await;
    bus.ensure_stream("register").await.unwrap();
    let application_id = Uuid::now_v7().to_string();
    let submitted = register::ApplicationSubmitted {
        application_id: application_id.clone(),
        reference: "HR-000123".into(),
        lead_name: "Ada Okafor".into(),
        application_status: register::ApplicationStatus::AwaitingInformation as i32,
        ..Default::default()
    };
    publish_as(
        &bus,
        Uuid::now_v7(),
        "housing.register.application.submitted.v1",
        &application_id,
        &submitted,
    )
    .await;
    let opened = eventually(WAIT, "the application checklist", || {
        let mut client = client.clone();
        let id = application_id.clone();
        async move { checklist(&mut client, "register_application", &id).await }
    })
    .await;
    assert_eq!(opened.items.len(), 3);
    assert!(!opened.complete);
    // Each item says what evidence meets it, so a client knows what to upload.
    for item in &opened.items {
        let wanted = match item.code.as_str() {
            "identity_verified" => pb::EvidenceType::Identity,
            "address_verified" => pb::EvidenceType::Address,
            "income_verified" => pb::EvidenceType::IncomeAndSavings,
            other => panic!("an item {other} the register's checklist does not have"),
        };
        assert_eq!(item.evidence_type, wanted as i32, "{}", item.code);
    }

    for evidence in [
        pb::EvidenceType::Identity,
        pb::EvidenceType::Address,
        pb::EvidenceType::IncomeAndSavings,
    ] {
        verified_evidence(
            &mut client,
            (pb::OwnerKind::Application, &application_id),
            &application_id,
            evidence,
        )
        .await;
    }
    let completed = wait_for_event::<pb::ChecklistCompleted>(
        &service.env,
        "housing.documents.checklist.completed.v1",
        |e| e.subject_id == application_id,
    )
    .await;
    assert_eq!(completed.owner_area, "register");
    assert_eq!(
        completed.checklist_kind(),
        pb::ChecklistKind::RegisterApplication
    );
    service.stop().await;
}
