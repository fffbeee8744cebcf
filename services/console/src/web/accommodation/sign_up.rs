//! Signing the household up: the documents service keeps the placement's sign-up
//! checklist; the officer uploads the evidence for each item and verifies it, and once every
//! item is done the placement goes live.

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::documents::v1::{self as pb, ChecklistItemStatus, OwnerKind};
use serde::Deserialize;

use super::WORK;
use crate::session::Officer;
use crate::web::evidence::{self, DocumentView, Owner, evidence_value};
use crate::web::{FieldError, PageError, upload};

/// The checklist the documents service opens for a placement.
const KIND: &str = "ta_sign_up";
pub struct ItemView {
    pub description: String,
    pub evidence: String,
    pub done: bool,
    pub documents: Vec<DocumentView>,
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
                    .map(DocumentView::from)
                    .collect(),
            })
            .collect(),
    ))
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
    let problem = evidence::problem(&upload);
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
    let owner = Owner {
        kind: OwnerKind::Placement,
        id: &id,
        application_id: &placement.application_id,
        evidence,
    };
    let answer = evidence::send(
        &state,
        &officer,
        &path,
        owner,
        upload.field("request_id"),
        &upload.file,
    )
    .await?;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{path}?uploaded=1")).into_response()),
        Err(status) => {
            let errors = evidence::refused(status, &path, &field)?;
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
