//! Verifying and rejecting evidence, with the events each owner hears: the register hears
//! about evidence, temporary accommodation about certificates.

mod common;

use async_nats::jetstream::consumer::{DeliverPolicy, pull};
use common::{Service, header_for, pdf_bytes, upload, verified_evidence};
use futures::StreamExt;
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_proto::documents::v1 as pb;
use prost::Message;
use tonic::Code;
use uuid::Uuid;

/// The subjects a consumer filtering on `filter` receives, as the owning service would.
async fn subjects_for(
    service: &Service,
    filter: &str,
    expect: usize,
) -> Vec<(String, bytes::Bytes)> {
    let bus = service.env.bus().await;
    let stream = bus
        .jetstream()
        .get_stream(bus.stream_name("documents"))
        .await
        .expect("the documents stream");
    let consumer = stream
        .create_consumer(pull::Config {
            filter_subject: bus.subject(filter),
            deliver_policy: DeliverPolicy::All,
            ..Default::default()
        })
        .await
        .expect("consumer");
    let mut messages = consumer.messages().await.expect("messages");
    let mut out = Vec::new();
    while out.len() < expect {
        let message = tokio::time::timeout(common::WAIT, messages.next())
            .await
            .expect("an event in time")
            .expect("an event")
            .expect("readable");
        message.ack().await.expect("ack");
        out.push((
            bus.unprefixed(message.subject.as_str()).to_owned(),
            message.payload.clone(),
        ));
    }
    // Nothing else arrives for this owner.
    assert!(
        tokio::time::timeout(std::time::Duration::from_millis(500), messages.next())
            .await
            .is_err(),
        "only {expect} events for {filter}"
    );
    out
}

#[tokio::test]
async fn verified_and_rejected_evidence_reach_the_register_and_certificates_reach_ta() {
    let service = Service::start(&[]).await;
    let mut client = service.client(Role::AllocationsOfficer).await;
    let application_id = Uuid::now_v7().to_string();

    let identity = verified_evidence(
        &mut client,
        (pb::OwnerKind::Application, &application_id),
        &application_id,
        pb::EvidenceType::Identity,
    )
    .await;
    assert_eq!(identity.status, pb::EvidenceStatus::Verified as i32);
    assert_eq!(
        identity.reviewed_by,
        housing_testkit::oidc::officer(Role::AllocationsOfficer).sub
    );
    assert!(identity.reviewed_at.is_some());

    let bytes = pdf_bytes(5000);
    let header = header_for(&bytes, &application_id, pb::EvidenceType::IncomeAndSavings);
    let income = upload(&mut client, header, bytes, 1000).await.unwrap();
    let rejected = client
        .reject_document(pb::RejectDocumentRequest {
            document_id: income.document_id.clone(),
            reason: "bank statement older than three months".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .document
        .unwrap();
    assert_eq!(rejected.status, pb::EvidenceStatus::Rejected as i32);
    assert_eq!(
        rejected.rejection_reason,
        "bank statement older than three months"
    );

    // A unit's gas safety certificate, with its expiry.
    let unit_id = Uuid::now_v7().to_string();
    let bytes = pdf_bytes(4000);
    let mut header = header_for(&bytes, "", pb::EvidenceType::GasSafetyCertificate);
    header.owner_kind = pb::OwnerKind::Unit as i32;
    header.owner_id = unit_id.clone();
    header.expires_on = "2027-10-31".into();
    let certificate = upload(&mut client, header, bytes, 1000).await.unwrap();
    client
        .verify_document(pb::VerifyDocumentRequest {
            document_id: certificate.document_id.clone(),
        })
        .await
        .unwrap();

    // The register's view: two uploads and two decisions about people, no certificates.
    let register = subjects_for(&service, "housing.documents.evidence.>", 4).await;
    let subjects: Vec<&str> = register.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        subjects,
        vec![
            "housing.documents.evidence.received.v1",
            "housing.documents.evidence.verified.v1",
            "housing.documents.evidence.received.v1",
            "housing.documents.evidence.rejected.v1",
        ]
    );
    let verified = pb::EvidenceVerified::decode(register[1].1.clone()).unwrap();
    assert_eq!(verified.document_id, identity.document_id);
    assert_eq!(verified.application_id, application_id);
    assert_eq!(verified.evidence_type, pb::EvidenceType::Identity as i32);
    assert_eq!(
        verified.verified_by,
        housing_testkit::oidc::officer(Role::AllocationsOfficer).sub
    );
    let rejection = pb::EvidenceRejected::decode(register[3].1.clone()).unwrap();
    assert_eq!(rejection.reason, "bank statement older than three months");

    // Temporary accommodation's view: the certificate only.
    let ta = subjects_for(&service, "housing.documents.certificate.>", 2).await;
    assert_eq!(ta[1].0, "housing.documents.certificate.verified.v1");
    let cert = pb::EvidenceVerified::decode(ta[1].1.clone()).unwrap();
    assert_eq!(cert.owner_id, unit_id);
    assert_eq!(cert.owner_kind, pb::OwnerKind::Unit as i32);
    assert_eq!(cert.expires_on, "2027-10-31");
    service.stop().await;
}

#[tokio::test]
async fn a_decision_stands_and_a_rejection_needs_a_reason() {
    let service = Service::start(&[]).await;
    let mut client = service.client(Role::RegisterAssistant).await;
    let application_id = Uuid::now_v7().to_string();
    let document = verified_evidence(
        &mut client,
        (pb::OwnerKind::Application, &application_id),
        &application_id,
        pb::EvidenceType::Address,
    )
    .await;

    let status = client
        .reject_document(pb::RejectDocumentRequest {
            document_id: document.document_id.clone(),
            reason: "changed my mind".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);

    let status = client
        .reject_document(pb::RejectDocumentRequest {
            document_id: "nope".into(),
            reason: "  ".into(),
        })
        .await
        .unwrap_err();
    let mut fields = bad_request_fields(&status);
    fields.sort();
    assert_eq!(fields, vec!["document_id", "reason"]);

    let status = client
        .verify_document(pb::VerifyDocumentRequest {
            document_id: Uuid::now_v7().to_string(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);

    // The review log keeps the one decision.
    let reviews: i64 = sqlx::query_scalar("SELECT count(*) FROM document_reviews")
        .fetch_one(&service.pool)
        .await
        .unwrap();
    assert_eq!(reviews, 1);

    let listed = client
        .list_documents(pb::ListDocumentsRequest {
            application_id: application_id.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.documents.len(), 1);
    assert_eq!(
        listed.documents[0].status,
        pb::EvidenceStatus::Verified as i32
    );
    service.stop().await;
}
