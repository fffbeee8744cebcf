//! A subject access request: one bundle with everything held about the person.

mod common;

use common::{Service, WAIT, header_for, pdf_bytes, png_bytes, upload, verified_evidence};
use housing_platform::auth::Role;
use housing_proto::documents::v1 as pb;
use housing_proto::register::v1 as register;
use housing_testkit::{eventually, publish_as};
use tonic::Code;
use uuid::Uuid;

async fn export(client: &mut common::Client, id: &str) -> Result<Vec<u8>, tonic::Status> {
    let mut chunks = client
        .export_subject_access(pb::ExportSubjectAccessRequest {
            application_id: id.into(),
        })
        .await?
        .into_inner();
    let mut out = Vec::new();
    while let Some(c) = chunks.message().await? {
        out.extend(c.chunk);
    }
    Ok(out)
}

#[tokio::test]
async fn the_bundle_holds_every_document_letter_and_checklist_about_the_person() {
    let service = Service::start(&[]).await;
    let mut officer = service.client(Role::RegisterAssistant).await;
    let mut senior = service.client(Role::SeniorOfficer).await;
    let bus = service.env.bus().await;
    bus.ensure_stream("register").await.unwrap();
    let id = Uuid::now_v7().to_string();
    publish_as(
        &bus,
        Uuid::now_v7(),
        "housing.register.application.submitted.v1",
        &id,
        &register::ApplicationSubmitted {
            application_id: id.clone(),
            reference: "HR-000555".into(),
            lead_name: "Sara Oyelaran".into(),
            ..Default::default()
        },
    )
    .await;
    publish_as(
        &bus,
        Uuid::now_v7(),
        "housing.register.application.assessed.v1",
        &id,
        &register::ApplicationAssessed {
            application_id: id.clone(),
            band: "A".into(),
            bedroom_need: 3,
            assessment_outcome: register::AssessmentOutcome::Active as i32,
            ..Default::default()
        },
    )
    .await;
    let identity = verified_evidence(
        &mut officer,
        (pb::OwnerKind::Application, &id),
        &id,
        pb::EvidenceType::Identity,
    )
    .await;
    let photo = png_bytes(70_000);
    let mut header = header_for(&photo, &id, pb::EvidenceType::Address);
    header.content_type = "image/png".into();
    header.filename = "council tax bill (page 1).png".into();
    let address = upload(&mut officer, header, photo.clone(), 8192)
        .await
        .unwrap();
    // Someone else's evidence stays out.
    let other = Uuid::now_v7().to_string();
    let bytes = pdf_bytes(1000);
    upload(
        &mut officer,
        header_for(&bytes, &other, pb::EvidenceType::Identity),
        bytes,
        500,
    )
    .await
    .unwrap();
    eventually(WAIT, "the acknowledgement", || {
        let pool = service.pool.clone();
        let id = id.clone();
        async move {
            let n: i64 =
                sqlx::query_scalar("SELECT count(*) FROM letters WHERE application_id = $1::uuid")
                    .bind(&id)
                    .fetch_one(&pool)
                    .await
                    .ok()?;
            (n == 1).then_some(())
        }
    })
    .await;

    let status = export(&mut officer, &id).await.unwrap_err();
    assert_eq!(
        status.code(),
        Code::PermissionDenied,
        "a records officer's job"
    );
    let bundle = export(&mut senior, &id).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tar_path = dir.path().join("bundle.tar");
    std::fs::write(&tar_path, &bundle).unwrap();
    let out = std::process::Command::new("tar")
        .arg("-xf")
        .arg(&tar_path)
        .arg("-C")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["person"]["lead_name"], "Sara Oyelaran");
    assert_eq!(manifest["person"]["reference"], "HR-000555");
    let documents = manifest["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 2, "{manifest:#}");
    let ids: Vec<&str> = documents
        .iter()
        .map(|d| d["document_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&identity.document_id.as_str()));
    assert!(ids.contains(&address.document_id.as_str()));
    let photo_entry = documents
        .iter()
        .find(|d| d["document_id"] == address.document_id.as_str())
        .unwrap();
    assert_eq!(photo_entry["status"], "pending");
    let extracted = std::fs::read(dir.path().join(photo_entry["file"].as_str().unwrap())).unwrap();
    assert!(extracted == photo, "the photo byte for byte");
    let identity_entry = documents
        .iter()
        .find(|d| d["document_id"] == identity.document_id.as_str())
        .unwrap();
    assert_eq!(
        identity_entry["reviewed_by"],
        housing_testkit::oidc::officer(Role::RegisterAssistant).sub
    );

    let letters = manifest["letters"].as_array().unwrap();
    assert_eq!(letters.len(), 1);
    let letter = std::fs::read(dir.path().join(letters[0]["file"].as_str().unwrap())).unwrap();
    assert!(housing_testkit::pdf::pdf_text(&letter).contains("Dear Sara Oyelaran"));
    let checklists = manifest["checklists"].as_array().unwrap();
    assert_eq!(checklists.len(), 1);
    assert_eq!(checklists[0]["kind"], "register_application");

    let status = export(&mut senior, &Uuid::now_v7().to_string())
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    let status = export(&mut senior, "nope").await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    service.stop().await;
}
