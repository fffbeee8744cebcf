//! Signing the household up: the documents service keeps the placement's sign-up
//! checklist; the officer uploads the evidence for each item and verifies it, and once every
//! item is done the placement goes live.

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::documents::v1::{self as pb, ChecklistItemStatus, EvidenceStatus, OwnerKind};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::WORK;
use crate::session::Officer;
use crate::web::{FieldError, PageError, upload};

/// The checklist the documents service opens for a placement.
const KIND: &str = "ta_sign_up";
/// The largest file taken from the browser: a scanned, signed agreement of some pages.
pub const MAX_FILE_MB: usize = 10;
/// Bytes per message of the upload stream.
const CHUNK: usize = 64 * 1024;

pub struct UploadedView {
    pub id: String,
    pub filename: String,
    pub status: (&'static str, &'static str),
    pub pending: bool,
}

pub struct ItemView {
    pub description: String,
    pub evidence: String,
    pub done: bool,
    pub documents: Vec<UploadedView>,
}

/// The placement's checklist with what was uploaded for each item; `None` until the
/// documents service has opened it (it hears of the placement by event).
pub async fn checklist(
    state: &crate::web::State,
    officer: &Officer,
    placement_id: &str,
    path: &str,
) -> Result<Option<Vec<ItemView>>, PageError> {
    let mut client = state.documents(officer, path).await?;
    let checklist = match client
        .get_checklist(pb::GetChecklistRequest {
            kind: KIND.into(),
            subject_id: placement_id.to_owned(),
        })
        .await
    {
        Ok(found) => found.into_inner().checklist.unwrap_or_default(),
        Err(status) if status.code() == tonic::Code::NotFound => return Ok(None),
        Err(status) => return Err(PageError::from_status(status, path)),
    };
    let documents = client
        .list_documents(pb::ListDocumentsRequest {
            owner_kind: OwnerKind::Placement as i32,
            owner_id: placement_id.to_owned(),
            page_size: 100,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .documents;
    Ok(Some(
        checklist
            .items
            .into_iter()
            .map(|item| ItemView {
                description: item.description,
                evidence: evidence_value(item.evidence_type),
                done: item.status == ChecklistItemStatus::Done as i32,
                documents: documents
                    .iter()
                    .filter(|d| d.evidence_type == item.evidence_type)
                    .map(|d| UploadedView {
                        id: d.document_id.clone(),
                        filename: d.filename.clone(),
                        status: match EvidenceStatus::try_from(d.status) {
                            Ok(EvidenceStatus::Verified) => ("Verified", "govuk-tag--green"),
                            Ok(EvidenceStatus::Rejected) => ("Rejected", "govuk-tag--red"),
                            _ => ("To check", "govuk-tag--blue"),
                        },
                        pending: d.status == EvidenceStatus::Pending as i32,
                    })
                    .collect(),
            })
            .collect(),
    ))
}

/// An evidence type as a form sends it: its proto name.
fn evidence_value(evidence: i32) -> String {
    pb::EvidenceType::try_from(evidence)
        .map(|e| e.as_str_name().to_owned())
        .unwrap_or_default()
}

/// What the browser says the file is, or what its name says: the documents service checks
/// it against the bytes.
fn content_type(declared: Option<&str>, filename: &str) -> String {
    let by_name = match filename.rsplit('.').next().map(str::to_ascii_lowercase) {
        Some(ext) if ext == "pdf" => "application/pdf",
        Some(ext) if ext == "png" => "image/png",
        Some(ext) if ext == "jpg" || ext == "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    };
    match declared {
        Some(t @ ("application/pdf" | "image/png" | "image/jpeg")) => t.to_owned(),
        _ => by_name.to_owned(),
    }
}

/// The placement page again with the problems, or back to it when the upload was taken.
pub async fn upload(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    form: Multipart,
) -> Result<Response, PageError> {
    let upload = upload::read(form, "document").await;
    officer.check_form(upload.field("csrf_token"))?;
    officer.require(WORK)?;
    let path = format!("/accommodation/placements/{id}");
    let field = format!("document-{}", upload.field("evidence_type"));
    let problem = if upload.too_large {
        Some(format!(
            "The selected file must be smaller than {MAX_FILE_MB}MB"
        ))
    } else if upload.file.bytes.is_empty() {
        Some("Select a file".to_owned())
    } else {
        None
    };
    if let Some(message) = problem {
        return super::placement_page(
            &state,
            &officer,
            &id,
            vec![FieldError::on(&field, message)],
            None,
        )
        .await;
    }
    let placement = super::fetch(&state, &officer, &id, &path).await?;
    let evidence =
        pb::EvidenceType::from_str_name(upload.field("evidence_type")).unwrap_or_default();
    let header = pb::UploadHeader {
        request_id: upload.field("request_id").to_owned(),
        owner_kind: OwnerKind::Placement as i32,
        owner_id: id.clone(),
        application_id: placement.application_id,
        evidence_type: evidence as i32,
        content_type: content_type(upload.file.declared_type.as_deref(), &upload.file.name),
        filename: upload.file.name.clone(),
        size_bytes: i64::try_from(upload.file.bytes.len()).unwrap_or(i64::MAX),
        sha256: Sha256::digest(&upload.file.bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        ..Default::default()
    };
    let messages: Vec<pb::UploadDocumentRequest> =
        std::iter::once(pb::upload_document_request::Part::Header(header))
            .chain(
                upload
                    .file
                    .bytes
                    .chunks(CHUNK)
                    .map(|c| pb::upload_document_request::Part::Chunk(c.to_vec())),
            )
            .map(|part| pb::UploadDocumentRequest { part: Some(part) })
            .collect();
    let answer = state
        .documents(&officer, &path)
        .await?
        .upload_document(tokio_stream::iter(messages))
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{path}?uploaded=1")).into_response()),
        Err(status) => {
            let errors = crate::web::refusal(status, &path)?
                .into_iter()
                .map(|e| FieldError::on(&field, e.message))
                .collect();
            super::placement_page(&state, &officer, &id, errors, None).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    csrf_token: String,
}

pub async fn verify(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path((id, document_id)): Path<(String, String)>,
    Form(form): Form<VerifyForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let path = format!("/accommodation/placements/{id}");
    let answer = state
        .documents(&officer, &path)
        .await?
        .verify_document(pb::VerifyDocumentRequest { document_id })
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{path}?verified=1")).into_response()),
        Err(status) => {
            let errors = crate::web::refusal(status, &path)?;
            super::placement_page(&state, &officer, &id, errors, None).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_type_comes_from_the_browser_or_else_the_name() {
        assert_eq!(content_type(Some("image/png"), "x.pdf"), "image/png");
        assert_eq!(
            content_type(Some("text/plain"), "Scan.PDF"),
            "application/pdf"
        );
        assert_eq!(content_type(None, "photo.jpeg"), "image/jpeg");
        assert_eq!(content_type(None, "notes.txt"), "application/octet-stream");
    }
}
