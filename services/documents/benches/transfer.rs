//! Documents benchmarks on the machine's real PostgreSQL and NATS, printing their figures:
//!
//! 1. upload of a 20 MB file over gRPC on loopback: client streaming in 256 KiB messages,
//!    content sniffing and SHA-256 on arrival, into the local object store, row and event
//!    committed;
//! 2. download of the same file, streamed back;
//! 3. letters rendered per second (template and PDF, in memory), and letters written per
//!    second (rendered, stored, recorded and announced, each in its own transaction).
//!
//! Run with `cargo bench -p documents --bench transfer`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Service, download_document, header_for, pdf_bytes, upload};
use documents::app::blobs::Blobs;
use documents::app::drafts;
use documents::app::templates::Templates;
use documents::domain::pdf;
use housing_platform::auth::Role;
use housing_proto::documents::v1 as pb;
use housing_proto::register::v1 as register;
use uuid::Uuid;

const FILE_BYTES: usize = 20 * 1000 * 1000;
const ROUNDS: usize = 5;
const CHUNK: usize = 256 * 1024;
const RENDERED: usize = 2_000;
const WRITTEN: usize = 500;

fn mb_per_s(bytes: usize, elapsed: Duration) -> f64 {
    bytes as f64 / 1e6 / elapsed.as_secs_f64()
}

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{label}: 20 MB in best {:.0} ms, median {:.0} ms ({:.0} MB/s best, {:.0} MB/s median; {ROUNDS} rounds)",
        times[0].as_secs_f64() * 1e3,
        times[ROUNDS / 2].as_secs_f64() * 1e3,
        mb_per_s(FILE_BYTES, times[0]),
        mb_per_s(FILE_BYTES, times[ROUNDS / 2]),
    );
}

fn assessment() -> register::ApplicationAssessed {
    register::ApplicationAssessed {
        application_id: Uuid::now_v7().to_string(),
        reference: "HR-000101".into(),
        band: "B".into(),
        bedroom_need: 2,
        effective_date: "2026-11-02".into(),
        assessment_outcome: register::AssessmentOutcome::Active as i32,
        areas_wanted: vec!["Hackney Central".into(), "Dalston".into()],
        lead_name: "Ada Okafor".into(),
        ..Default::default()
    }
}

#[tokio::main]
async fn main() {
    let service = Service::start(&[
        ("HOUSING__SERVICE__MAX_UPLOAD_BYTES", "67108864"),
        // The other services' streams do not exist here; their consumers' retries are noise.
        ("HOUSING__TELEMETRY__LOG_FILTER", "error"),
    ])
    .await;
    let mut client = service.client(Role::RegisterAssistant).await;
    let application_id = Uuid::now_v7().to_string();
    let bytes = pdf_bytes(FILE_BYTES);
    let header = header_for(&bytes, &application_id, pb::EvidenceType::IncomeAndSavings);

    // One upload to warm connections and caches.
    let warm = upload(&mut client, header.clone(), bytes.clone(), CHUNK)
        .await
        .expect("upload");
    let mut uploads = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        upload(&mut client, header.clone(), bytes.clone(), CHUNK)
            .await
            .expect("upload");
        uploads.push(started.elapsed());
    }
    summary("upload", uploads);

    let mut downloads = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let back = download_document(&mut client, &warm.document_id).await;
        downloads.push(started.elapsed());
        assert_eq!(back.len(), FILE_BYTES);
    }
    summary("download", downloads);

    let templates = Templates::load(None).expect("templates");
    let council = documents::domain::letters::Council::default();
    let today = housing_platform::time::today();
    let event = assessment();
    let started = Instant::now();
    let mut total = 0;
    for _ in 0..RENDERED {
        let mut draft = drafts::assessed(&event, &drafts::Person::default(), today)
            .unwrap()
            .unwrap();
        draft.values.extend(council.values());
        let text = templates.render(draft.template, &draft.values);
        total += pdf::render(draft.title, &text).len();
    }
    let elapsed = started.elapsed();
    println!(
        "letters rendered (template and PDF, one thread): {RENDERED} in {:.0} ms, {:.0} letters/s, {} bytes each",
        elapsed.as_secs_f64() * 1e3,
        RENDERED as f64 / elapsed.as_secs_f64(),
        total / RENDERED
    );

    let blob_root = tempfile::tempdir().expect("blob folder");
    let blobs = Blobs::new(documents::storage::local(blob_root.path()).expect("blobs"));
    let started = Instant::now();
    for _ in 0..WRITTEN {
        let draft = drafts::assessed(&assessment(), &drafts::Person::default(), today)
            .unwrap()
            .unwrap();
        let mut tx = service.pool.begin().await.expect("begin");
        documents::app::letters::write(&mut tx, &templates, &blobs, Uuid::now_v7(), draft)
            .await
            .expect("write");
        tx.commit().await.expect("commit");
    }
    let elapsed = started.elapsed();
    println!(
        "letters written (rendered, stored, recorded, announced; one writer): {WRITTEN} in {:.0} ms, {:.0} letters/s",
        elapsed.as_secs_f64() * 1e3,
        WRITTEN as f64 / elapsed.as_secs_f64()
    );
    service.stop().await;
}
