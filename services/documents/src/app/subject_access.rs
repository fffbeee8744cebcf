//! A subject access request: everything held about the person behind an application, in
//! one tar bundle streamed as it is written: manifest.json (every record's metadata, the
//! checklists, any legal hold and the name kept for letters), each document and each letter.

use bytes::Bytes;
use futures::StreamExt;
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::time::format_optional_date;
use serde_json::json;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::blobs::Blobs;
use crate::db::documents::{self, DocumentRecord, Filter};
use crate::db::letters::{self, LetterRecord};
use crate::db::{checklists, people, retention};
use crate::domain::tar;

const PAGE: i64 = 500;

/// What the bundle will hold; gathered before streaming so a missing person is an error
/// rather than an empty bundle.
pub struct Bundle {
    manifest: Vec<u8>,
    documents: Vec<DocumentRecord>,
    letters: Vec<LetterRecord>,
}

pub async fn gather(pool: &Pool, application_id: Uuid) -> Result<Bundle, AppError> {
    let mut conn = pool.acquire().await?;
    let person = people::find(&mut conn, application_id).await?;
    let mut docs = Vec::new();
    loop {
        let after = docs.last().map(|d: &DocumentRecord| (d.uploaded_at, d.id));
        let page =
            documents::list(&mut conn, &Filter::Application(application_id), after, PAGE).await?;
        let more = page.len() as i64 == PAGE;
        docs.extend(page);
        if !more {
            break;
        }
    }
    let mut lets = Vec::new();
    loop {
        let after = lets.last().map(|l: &LetterRecord| (l.created_at, l.id));
        let page = letters::for_application(&mut conn, application_id, after, PAGE).await?;
        let more = page.len() as i64 == PAGE;
        lets.extend(page);
        if !more {
            break;
        }
    }
    let lists = checklists::for_application(&mut conn, application_id).await?;
    let hold = retention::hold(&mut conn, application_id).await?;
    if person.is_none() && docs.is_empty() && lets.is_empty() && lists.is_empty() {
        return Err(AppError::not_found(
            "anything held about application",
            application_id,
        ));
    }
    let manifest = json!({
        "application_id": application_id,
        "person": person.map(|p| json!({"lead_name": p.lead_name, "reference": p.reference, "postal_address": p.address})),
        "documents": docs.iter().map(|d| json!({
            "document_id": d.id,
            "file": document_file(d),
            "owner_kind": d.owner_kind,
            "owner_id": d.owner_id,
            "evidence_type": d.evidence_type,
            "filename": d.filename,
            "content_type": d.content_type,
            "size_bytes": d.size_bytes,
            "sha256": d.sha256,
            "status": d.status,
            "rejection_reason": d.rejection_reason,
            "reviewed_by": d.reviewed_by,
            "reviewed_at": d.reviewed_at,
            "expires_on": format_optional_date(d.expires_on),
            "uploaded_by": d.uploaded_by,
            "uploaded_at": d.uploaded_at,
        })).collect::<Vec<_>>(),
        "letters": lets.iter().map(|l| json!({
            "letter_id": l.id,
            "file": letter_file(l),
            "kind": l.kind,
            "subject_id": l.subject_id,
            "size_bytes": l.size_bytes,
            "sha256": l.sha256,
            "created_at": l.created_at,
        })).collect::<Vec<_>>(),
        "checklists": lists.iter().map(|c| json!({
            "checklist_id": c.id,
            "kind": c.kind,
            "subject_id": c.subject_id,
            "completed_at": c.completed_at,
            "items": c.items.iter().map(|i| json!({
                "code": i.code, "description": i.description, "done": i.done, "document_id": i.document_id,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "legal_hold": hold.map(|(reason, by, at)| json!({"reason": reason, "placed_by": by, "placed_at": at})),
    });
    Ok(Bundle {
        manifest: serde_json::to_vec_pretty(&manifest).expect("JSON values serialise"),
        documents: docs,
        letters: lets,
    })
}

fn document_file(d: &DocumentRecord) -> String {
    // Only the id and a tame version of the uploader's file name: never a path.
    let safe: String = d
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    format!("documents/{}-{safe}", d.id)
}

fn letter_file(l: &LetterRecord) -> String {
    format!("letters/{}-{}.pdf", l.id, l.kind)
}

/// Streams the bundle; an error part way ends the stream with that error.
pub fn stream(bundle: Bundle, blobs: Blobs) -> mpsc::Receiver<Result<Bytes, AppError>> {
    let (tx, rx) = mpsc::channel(8);
    tokio::spawn(async move {
        if let Err(error) = write(&bundle, &blobs, &tx).await {
            let _ = tx.send(Err(error)).await;
        }
    });
    rx
}

async fn write(
    bundle: &Bundle,
    blobs: &Blobs,
    tx: &mpsc::Sender<Result<Bytes, AppError>>,
) -> Result<(), AppError> {
    let now = chrono::Utc::now().timestamp();
    let send = |bytes: Bytes| async move {
        tx.send(Ok(bytes))
            .await
            .map_err(|_| AppError::FailedPrecondition("the caller went away".into()))
    };
    send(entry_header(
        "manifest.json",
        bundle.manifest.len() as u64,
        now,
    )?)
    .await?;
    send(Bytes::from(bundle.manifest.clone())).await?;
    send(Bytes::from(vec![
        0;
        tar::padding(bundle.manifest.len() as u64)
    ]))
    .await?;
    let files = bundle
        .documents
        .iter()
        .map(|d| (document_file(d), &d.blob_path, d.size_bytes, d.uploaded_at))
        .chain(
            bundle
                .letters
                .iter()
                .map(|l| (letter_file(l), &l.blob_path, l.size_bytes, l.created_at)),
        );
    for (name, path, size, at) in files {
        let size = size as u64;
        send(entry_header(&name, size, at.timestamp())?).await?;
        let mut written = 0u64;
        let mut chunks = blobs.stream(path).await?;
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk?;
            written += chunk.len() as u64;
            send(chunk).await?;
        }
        if written != size {
            return Err(AppError::FailedPrecondition(format!(
                "{name}: stored bytes ({written}) differ from the record ({size})"
            )));
        }
        send(Bytes::from(vec![0; tar::padding(size)])).await?;
    }
    send(Bytes::from_static(&tar::END)).await?;
    Ok(())
}

fn entry_header(name: &str, size: u64, mtime: i64) -> Result<Bytes, AppError> {
    tar::header(name, size, mtime)
        .map(|h| Bytes::copy_from_slice(&h))
        .map_err(AppError::FailedPrecondition)
}
