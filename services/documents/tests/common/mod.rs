//! What the documents tests share: the service started on a real PostgreSQL and NATS with a
//! blob folder (or bucket, `s3`) of its own, clients by role, uploads, published events and
//! PDF text.

// Each test file uses some of these helpers, not all.
#![allow(dead_code)]

pub mod s3;

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::TryStreamExt;
use housing_events::host::Running;
use housing_platform::auth::{BearerToken, Role};
use housing_platform::db::Pool;
use housing_proto::documents::v1::{self as pb, documents_service_client::DocumentsServiceClient};
use housing_testkit::{TestDatabase, TestEnv};
use object_store::ObjectMeta;
use sha2::{Digest, Sha256};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

pub const WAIT: Duration = Duration::from_secs(30);

pub type Client = DocumentsServiceClient<InterceptedService<Channel, BearerToken>>;

pub struct Service {
    pub db: TestDatabase,
    pub env: TestEnv,
    pub running: Running,
    pub pool: Pool,
    pub blob_root: tempfile::TempDir,
    pub settings: documents::ServiceSettings,
}

impl Service {
    pub async fn start(extra: &[(&str, &str)]) -> Self {
        let db = TestDatabase::create("documents", &documents::migrators()).await;
        let env = TestEnv::for_database(&db);
        let blob_root = tempfile::tempdir().expect("blob folder");
        let root = blob_root.path().to_str().expect("utf-8 path").to_owned();
        let mut vars = vec![("HOUSING__SERVICE__BLOB_ROOT", root.as_str())];
        vars.extend_from_slice(extra);
        let settings: documents::Settings = env.settings(documents::DEFAULTS, &vars);
        let service_settings = settings.service.clone();
        let running = documents::build(settings).await.expect("documents starts");
        let pool = db.pool().await;
        Self {
            db,
            env,
            running,
            pool,
            blob_root,
            settings: service_settings,
        }
    }

    pub async fn client(&self, role: Role) -> Client {
        let token = housing_testkit::oidc::token_for(role, "api://housing-documents").await;
        DocumentsServiceClient::with_interceptor(
            housing_testkit::channel(self.running.addr()).await,
            BearerToken::new(&token),
        )
        .max_decoding_message_size(8 * 1024 * 1024)
    }

    /// Every file under the blob folder, staging files included.
    pub fn blob_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        walk(self.blob_root.path(), &mut out);
        out
    }

    /// Every object in the service's store, listed through the store as the service
    /// configured it.
    pub async fn objects(&self) -> Vec<ObjectMeta> {
        let store = self
            .settings
            .storage
            .open(&self.settings.blob_root)
            .expect("the store opens");
        store.list(None).try_collect().await.expect("list")
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&self.pool)
            .await
            .expect("count")
    }

    pub async fn stop(self) {
        self.running.stop().await.expect("stops");
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A PDF-looking file of `size` bytes.
pub fn pdf_bytes(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..size.saturating_sub(bytes.len())).map(|i| (i % 251) as u8));
    bytes.truncate(size);
    bytes
}

pub fn png_bytes(size: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(size.max(8), 7);
    bytes
}

/// A header for `bytes` as a PDF about an application, checksum and size filled in.
pub fn header_for(
    bytes: &[u8],
    application_id: &str,
    evidence: pb::EvidenceType,
) -> pb::UploadHeader {
    pb::UploadHeader {
        owner_kind: pb::OwnerKind::Application as i32,
        owner_id: application_id.into(),
        application_id: application_id.into(),
        evidence_type: evidence as i32,
        filename: "evidence.pdf".into(),
        content_type: "application/pdf".into(),
        size_bytes: bytes.len() as i64,
        sha256: sha256_hex(bytes),
        ..Default::default()
    }
}

/// Uploads `bytes` after `header`, in chunks of `chunk` bytes.
pub async fn upload(
    client: &mut Client,
    header: pb::UploadHeader,
    bytes: Vec<u8>,
    chunk: usize,
) -> Result<pb::Document, tonic::Status> {
    let mut messages = vec![pb::UploadDocumentRequest {
        part: Some(pb::upload_document_request::Part::Header(header)),
    }];
    messages.extend(bytes.chunks(chunk).map(|c| pb::UploadDocumentRequest {
        part: Some(pb::upload_document_request::Part::Chunk(c.to_vec())),
    }));
    client
        .upload_document(tokio_stream::iter(messages))
        .await
        .map(|r| r.into_inner().document.expect("document"))
}

pub async fn download_document(client: &mut Client, id: &str) -> Vec<u8> {
    let mut chunks = client
        .download_document(pb::DownloadDocumentRequest {
            document_id: id.into(),
        })
        .await
        .expect("download")
        .into_inner();
    let mut out = Vec::new();
    while let Some(c) = chunks.message().await.expect("chunk") {
        out.extend(c.chunk);
    }
    out
}

pub async fn download_letter(client: &mut Client, id: &str) -> Vec<u8> {
    let mut chunks = client
        .download_letter(pb::DownloadLetterRequest {
            letter_id: id.into(),
        })
        .await
        .expect("download")
        .into_inner();
    let mut out = Vec::new();
    while let Some(c) = chunks.message().await.expect("chunk") {
        out.extend(c.chunk);
    }
    out
}

/// Uploads and verifies a PDF of `evidence` about `owner`, with `application_id`.
pub async fn verified_evidence(
    client: &mut Client,
    owner: (pb::OwnerKind, &str),
    application_id: &str,
    evidence: pb::EvidenceType,
) -> pb::Document {
    let bytes = pdf_bytes(2_000);
    let mut header = header_for(&bytes, application_id, evidence);
    header.owner_kind = owner.0 as i32;
    header.owner_id = owner.1.into();
    let document = upload(client, header, bytes, 1024).await.expect("upload");
    client
        .verify_document(pb::VerifyDocumentRequest {
            document_id: document.document_id.clone(),
        })
        .await
        .expect("verify")
        .into_inner()
        .document
        .expect("document")
}

/// (subject, payload) of every event the documents service has published so far.
pub async fn published(env: &TestEnv) -> Vec<(String, bytes::Bytes)> {
    let bus = env.bus().await;
    let Ok(mut stream) = bus
        .jetstream()
        .get_stream(bus.stream_name("documents"))
        .await
    else {
        return Vec::new();
    };
    let Ok(info) = stream.info().await else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for seq in info.state.first_sequence..=info.state.last_sequence {
        if let Ok(message) = stream.get_raw_message(seq).await {
            out.push((
                bus.unprefixed(message.subject.as_str()).to_owned(),
                message.payload,
            ));
        }
    }
    out
}

/// Waits for a published event on `subject` whose payload `matches`.
pub async fn wait_for_event<M: prost::Message + Default>(
    env: &TestEnv,
    subject: &str,
    matches: impl Fn(&M) -> bool,
) -> M {
    housing_testkit::eventually(WAIT, subject, || {
        let env = env.clone();
        let matches = &matches;
        async move {
            published(&env)
                .await
                .into_iter()
                .filter(|(s, _)| s == subject)
                .filter_map(|(_, p)| M::decode(p).ok())
                .find(|m| matches(m))
        }
    })
    .await
}
