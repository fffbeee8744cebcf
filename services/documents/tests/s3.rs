//! The service with its documents in an S3 bucket on a real S3-compatible server (moto, see
//! common/s3.rs): uploads written in parts and streamed back, a failed upload aborted
//! without trace, destruction of object and row.

mod common;

use common::s3::{Bucket, S3Server};
use common::{Service, download_document, header_for, pdf_bytes, upload};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_proto::documents::v1 as pb;
use tonic::Code;
use uuid::Uuid;

const MIB: usize = 1024 * 1024;

async fn on_s3(server: &S3Server) -> (Service, Bucket) {
    let bucket = server.bucket();
    let service = Service::start(&bucket.vars()).await;
    (service, bucket)
}

#[tokio::test]
async fn an_upload_goes_to_the_bucket_in_parts_and_streams_back_byte_for_byte() {
    let server = S3Server::start();
    let (service, bucket) = on_s3(&server).await;
    let mut client = service.client(Role::RegisterAssistant).await;
    let application_id = Uuid::now_v7().to_string();
    // Two whole 5 MiB parts and a short last one.
    let bytes = pdf_bytes(11 * MIB + 3);
    let header = header_for(&bytes, &application_id, pb::EvidenceType::Identity);
    let document = upload(&mut client, header, bytes.clone(), 64 * 1024)
        .await
        .expect("uploaded");
    assert_eq!(document.sha256, common::sha256_hex(&bytes));

    let objects = service.objects().await;
    assert_eq!(objects.len(), 1, "{objects:?}");
    let object = &objects[0];
    assert_eq!(
        object.location.as_ref(),
        format!("documents/{}", document.document_id)
    );
    assert_eq!(object.size, bytes.len() as u64);
    // S3 tags an object written in parts with the count of them.
    let e_tag = object.e_tag.as_deref().expect("an ETag");
    assert!(e_tag.trim_matches('"').ends_with("-3"), "ETag {e_tag}");
    assert_eq!(bucket.unfinished_uploads(), 0);
    assert!(
        service.blob_files().is_empty(),
        "nothing in the local folder"
    );

    let back = download_document(&mut client, &document.document_id).await;
    assert!(back == bytes, "the same bytes come back");
    service.stop().await;
}

#[tokio::test]
async fn a_checksum_mismatch_leaves_no_object_no_upload_and_no_row() {
    let server = S3Server::start();
    let (service, bucket) = on_s3(&server).await;
    let mut client = service.client(Role::RegisterAssistant).await;
    let application_id = Uuid::now_v7().to_string();
    // A whole part reaches the bucket before the checksum is known.
    let bytes = pdf_bytes(6 * MIB + 5);
    let header = header_for(&bytes, &application_id, pb::EvidenceType::Address);
    let mut damaged = bytes;
    damaged[6 * MIB] ^= 0xff;
    let status = upload(&mut client, header, damaged, 32 * 1024)
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&status), vec!["sha256"]);

    assert_eq!(service.objects().await, vec![], "no object");
    assert_eq!(bucket.unfinished_uploads(), 0, "the upload was aborted");
    assert_eq!(service.count("documents").await, 0, "no row");
    assert_eq!(service.count("outbox").await, 0, "no event");
    service.stop().await;
}

#[tokio::test]
async fn destruction_removes_the_object_and_the_row() {
    let server = S3Server::start();
    let (service, _bucket) = on_s3(&server).await;
    let mut officer = service.client(Role::AllocationsOfficer).await;
    let mut manager = service.client(Role::Manager).await;
    let bytes = pdf_bytes(3000);
    let mut header = header_for(&bytes, "", pb::EvidenceType::ElectricalCertificate);
    header.owner_kind = pb::OwnerKind::Unit as i32;
    header.owner_id = Uuid::now_v7().to_string();
    header.expires_on = "2020-01-01".into();
    upload(&mut officer, header, bytes, 1000).await.unwrap();
    assert_eq!(service.objects().await.len(), 1);

    // Property records are kept six years from their expiry.
    let report = manager
        .run_retention(pb::RunRetentionRequest {
            as_of: "2026-06-01".into(),
        })
        .await
        .expect("retention run")
        .into_inner();
    assert_eq!(report.documents_destroyed, 1);
    assert_eq!(service.count("documents").await, 0, "no row");
    assert_eq!(service.objects().await, vec![], "no object");
    service.stop().await;
}
