//! Uploads over client-streaming gRPC: size, content type and checksum checked on arrival;
//! a failed upload leaves neither bytes nor a row.

mod common;

use common::{Service, download_document, header_for, pdf_bytes, png_bytes, upload};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_proto::documents::v1 as pb;
use tonic::Code;
use uuid::Uuid;

async fn nothing_stored(service: &Service) {
    assert_eq!(service.count("documents").await, 0, "no document row");
    assert_eq!(service.count("outbox").await, 0, "no event");
    assert_eq!(
        service.blob_files(),
        Vec::<std::path::PathBuf>::new(),
        "no bytes"
    );
}

#[tokio::test]
async fn an_upload_streams_in_and_back_out_byte_for_byte() {
    let service = Service::start(&[]).await;
    let mut client = service.client(Role::RegisterAssistant).await;
    let application_id = Uuid::now_v7().to_string();
    let bytes = pdf_bytes(3 * 1024 * 1024 + 17);
    let header = header_for(&bytes, &application_id, pb::EvidenceType::Identity);
    let document = upload(&mut client, header, bytes.clone(), 64 * 1024)
        .await
        .expect("uploaded");
    assert_eq!(document.status, pb::EvidenceStatus::Pending as i32);
    assert_eq!(document.size_bytes, bytes.len() as i64);
    assert_eq!(document.sha256, common::sha256_hex(&bytes));
    assert_eq!(
        document.uploaded_by,
        housing_testkit::oidc::officer(Role::RegisterAssistant).sub
    );
    assert_eq!(document.application_id, application_id);

    let back = download_document(&mut client, &document.document_id).await;
    assert!(back == bytes, "the same bytes come back");
    assert_eq!(service.blob_files().len(), 1);
    let received = common::wait_for_event::<pb::EvidenceReceived>(
        &service.env,
        "housing.documents.evidence.received.v1",
        |e| e.document_id == document.document_id,
    )
    .await;
    assert_eq!(received.evidence_type, pb::EvidenceType::Identity as i32);
    service.stop().await;
}

#[tokio::test]
async fn a_checksum_mismatch_is_refused_and_nothing_is_stored() {
    let service = Service::start(&[]).await;
    let mut client = service.client(Role::RegisterAssistant).await;
    let application_id = Uuid::now_v7().to_string();
    // Over one 5 MiB part, so bytes reach the store before the checksum is known.
    let bytes = pdf_bytes(6 * 1024 * 1024 + 5);
    let header = header_for(&bytes, &application_id, pb::EvidenceType::Address);
    // One byte changed on the way, near the end.
    let mut damaged = bytes.clone();
    damaged[6 * 1024 * 1024] ^= 0xff;
    let status = upload(&mut client, header, damaged, 32 * 1024)
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&status), vec!["sha256"]);
    nothing_stored(&service).await;
    service.stop().await;
}

#[tokio::test]
async fn oversize_uploads_are_refused_and_nothing_is_stored() {
    let limit = 1024 * 1024;
    let service = Service::start(&[("HOUSING__SERVICE__MAX_UPLOAD_BYTES", "1048576")]).await;
    let mut client = service.client(Role::RegisterAssistant).await;
    let application_id = Uuid::now_v7().to_string();

    // Declared over the limit: refused before any byte is read.
    let big = pdf_bytes(limit + 1);
    let header = header_for(&big, &application_id, pb::EvidenceType::Medical);
    let status = upload(&mut client, header, big.clone(), 64 * 1024)
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&status), vec!["size_bytes"]);
    nothing_stored(&service).await;

    // Declared within the limit, but more bytes arrive: cut off part way.
    let mut header = header_for(&big[..limit], &application_id, pb::EvidenceType::Medical);
    header.sha256 = common::sha256_hex(&big);
    let status = upload(&mut client, header, big, 64 * 1024)
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&status), vec!["chunk"]);
    nothing_stored(&service).await;

    // Fewer bytes than declared.
    let short = pdf_bytes(10_000);
    let mut header = header_for(&short, &application_id, pb::EvidenceType::Medical);
    header.size_bytes = 20_000;
    let status = upload(&mut client, header, short, 4096).await.unwrap_err();
    assert_eq!(bad_request_fields(&status), vec!["size_bytes"]);
    nothing_stored(&service).await;
    service.stop().await;
}

#[tokio::test]
async fn a_content_type_the_bytes_contradict_is_refused() {
    let service = Service::start(&[]).await;
    let mut client = service.client(Role::RegisterAssistant).await;
    let application_id = Uuid::now_v7().to_string();
    // A PNG declared as a PDF.
    let bytes = png_bytes(50_000);
    let header = header_for(&bytes, &application_id, pb::EvidenceType::Identity);
    let status = upload(&mut client, header, bytes, 8192).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&status), vec!["content_type"]);
    assert!(status.message().contains("content_type"), "{status:?}");
    nothing_stored(&service).await;

    // An executable declared as a JPEG, its first chunk a single byte.
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.resize(5000, 0);
    let mut header = header_for(&exe, &application_id, pb::EvidenceType::Identity);
    header.content_type = "image/jpeg".into();
    let status = upload(&mut client, header, exe, 1).await.unwrap_err();
    assert_eq!(bad_request_fields(&status), vec!["content_type"]);
    nothing_stored(&service).await;

    // The truth is accepted.
    let bytes = png_bytes(50_000);
    let mut header = header_for(&bytes, &application_id, pb::EvidenceType::Identity);
    header.content_type = "image/png".into();
    upload(&mut client, header, bytes, 8192)
        .await
        .expect("a PNG as a PNG");
    service.stop().await;
}

#[tokio::test]
async fn every_bad_header_field_is_named_at_once_and_nothing_is_stored() {
    let service = Service::start(&[]).await;
    let mut client = service.client(Role::RegisterAssistant).await;
    let header = pb::UploadHeader {
        owner_kind: 0,
        owner_id: String::new(),
        application_id: "not-a-uuid".into(),
        evidence_type: 0,
        filename: String::new(),
        content_type: "text/html".into(),
        size_bytes: 0,
        sha256: "abc".into(),
        expires_on: "2027-01-01".into(),
        ..Default::default()
    };
    let status = upload(&mut client, header, pdf_bytes(100), 100)
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let mut fields = bad_request_fields(&status);
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "application_id",
            "content_type",
            "evidence_type",
            "expires_on",
            "filename",
            "owner_id",
            "owner_kind",
            "sha256",
            "size_bytes"
        ]
    );

    // A certificate must belong to a unit and carry its expiry.
    let bytes = pdf_bytes(1000);
    let application_id = Uuid::now_v7().to_string();
    let header = header_for(
        &bytes,
        &application_id,
        pb::EvidenceType::GasSafetyCertificate,
    );
    let status = upload(&mut client, header, bytes, 100).await.unwrap_err();
    let mut fields = bad_request_fields(&status);
    fields.sort();
    assert_eq!(fields, vec!["expires_on", "owner_kind"]);

    // Bytes before the header.
    let status = client
        .upload_document(tokio_stream::iter(vec![pb::UploadDocumentRequest {
            part: Some(pb::upload_document_request::Part::Chunk(b"%PDF-".to_vec())),
        }]))
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&status), vec!["header"]);
    nothing_stored(&service).await;
    service.stop().await;
}

#[tokio::test]
async fn a_retried_upload_with_its_request_id_is_stored_once() {
    let service = Service::start(&[]).await;
    let mut client = service.client(Role::TaOfficer).await;
    let application_id = Uuid::now_v7().to_string();
    let bytes = pdf_bytes(10_000);
    let mut header = header_for(&bytes, &application_id, pb::EvidenceType::NoticeToQuit);
    header.request_id = Uuid::now_v7().to_string();
    let first = upload(&mut client, header.clone(), bytes.clone(), 4096)
        .await
        .unwrap();
    let again = upload(&mut client, header, bytes, 4096).await.unwrap();
    assert_eq!(first.document_id, again.document_id);
    assert_eq!(service.count("documents").await, 1);
    assert_eq!(
        service.blob_files().len(),
        1,
        "the retry's bytes were removed"
    );
    service.stop().await;
}

#[tokio::test]
async fn a_partner_may_not_upload_or_download() {
    let service = Service::start(&[]).await;
    let token =
        housing_testkit::oidc::token_as("riverside.lettings", "api://housing-documents").await;
    let mut client = housing_proto::documents::v1::documents_service_client::DocumentsServiceClient::with_interceptor(
        housing_testkit::channel(service.running.addr()).await,
        housing_platform::auth::BearerToken::new(&token),
    );
    let bytes = pdf_bytes(100);
    let header = header_for(
        &bytes,
        &Uuid::now_v7().to_string(),
        pb::EvidenceType::Identity,
    );
    let status = upload(&mut client, header, bytes, 100).await.unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    nothing_stored(&service).await;
    service.stop().await;
}

#[tokio::test]
async fn a_document_changed_in_the_store_is_not_passed_off_as_the_upload() {
    let service = Service::start(&[]).await;
    let mut client = service.client(Role::RegisterAssistant).await;
    let application_id = Uuid::now_v7().to_string();
    let bytes = pdf_bytes(600_000);
    let header = header_for(&bytes, &application_id, pb::EvidenceType::Identity);
    let document = upload(&mut client, header, bytes, 64 * 1024).await.unwrap();
    let files = service.blob_files();
    let mut stored = std::fs::read(&files[0]).unwrap();
    stored[500_000] ^= 1;
    std::fs::write(&files[0], stored).unwrap();

    let mut chunks = client
        .download_document(pb::DownloadDocumentRequest {
            document_id: document.document_id,
        })
        .await
        .unwrap()
        .into_inner();
    let error = loop {
        match chunks.message().await {
            Ok(Some(_)) => continue,
            Ok(None) => panic!("the damaged document downloaded without complaint"),
            Err(status) => break status,
        }
    };
    assert_eq!(error.code(), Code::DataLoss);
    service.stop().await;
}
