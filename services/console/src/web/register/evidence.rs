//! Evidence for a register application: uploaded for the applicant, opened and checked,
//! then verified, or rejected with the reason the applicant is told.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::documents::v1::{self as pb, OwnerKind};
use housing_proto::register::v1::Application;
use serde::Deserialize;

use super::{ASSESS, TAKE_IN, application_page, fetch};
use crate::session::Officer;
use crate::web::evidence::{self, APPLICATION_EVIDENCE, DocumentView, Owner, evidence_value};
use crate::web::{
    FieldError, Page, PageError, Section, error_for, letters, refusal, render, upload,
};

/// The file input's id, where the error summary points.
const FIELD: &str = "evidence-document";

/// The evidence held about the application, newest first; none for an officer who may not
/// read documents.
pub async fn of_application(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<Vec<DocumentView>, PageError> {
    if !officer.holds(letters::READ) {
        return Ok(Vec::new());
    }
    let mut documents: Vec<DocumentView> = state
        .documents(officer, path)
        .await?
        .list_documents(pb::ListDocumentsRequest {
            owner_kind: OwnerKind::Application as i32,
            owner_id: id.to_owned(),
            page_size: 100,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .documents
        .iter()
        .map(DocumentView::from)
        .collect();
    documents.reverse();
    Ok(documents)
}

/// The kinds of evidence the upload form offers: (proto name, words).
pub fn kinds() -> Vec<(String, &'static str)> {
    APPLICATION_EVIDENCE
        .iter()
        .map(|e| {
            (
                evidence_value(*e as i32),
                evidence::evidence_words(*e as i32),
            )
        })
        .collect()
}

fn path(id: &str) -> String {
    format!("/register/applications/{id}")
}

pub async fn upload(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    form: Multipart,
) -> Result<Response, PageError> {
    let upload = upload::read(form, "document").await;
    officer.check_form(upload.field("csrf_token"))?;
    officer.require(TAKE_IN)?;
    let path = path(&id);
    let kind = pb::EvidenceType::from_str_name(upload.field("evidence_type"))
        .filter(|e| APPLICATION_EVIDENCE.contains(e));
    let mut errors = Vec::new();
    if kind.is_none() {
        errors.push(FieldError::on(
            "evidence-type",
            "Select what the evidence shows",
        ));
    }
    if let Some(message) = evidence::problem(&upload) {
        errors.push(FieldError::on(FIELD, message));
    }
    let Some(kind) = kind.filter(|_| errors.is_empty()) else {
        return application_page(&state, &officer, &id, errors, None).await;
    };
    let owner = Owner {
        kind: OwnerKind::Application,
        id: &id,
        application_id: &id,
        evidence: kind,
    };
    match evidence::send(
        &state,
        &officer,
        &path,
        owner,
        upload.field("request_id"),
        &upload.file,
    )
    .await?
    {
        Ok(()) => Ok(Redirect::to(&format!("{path}?evidence_uploaded=1#evidence")).into_response()),
        Err(status) => {
            let errors = evidence::refused(status, &path, FIELD)?;
            application_page(&state, &officer, &id, errors, None).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

pub async fn verify(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path((id, document_id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(ASSESS)?;
    let path = path(&id);
    match state
        .documents(&officer, &path)
        .await?
        .verify_document(pb::VerifyDocumentRequest { document_id })
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{path}?evidence_verified=1#evidence")).into_response()),
        Err(status) => {
            let errors = refusal(status, &path)?;
            application_page(&state, &officer, &id, errors, None).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "register/evidence_reject.html")]
struct RejectPage<'a> {
    page: Page<'a>,
    id: String,
    reference: String,
    document: DocumentView,
    form: RejectForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl RejectPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

/// The application and its document `document_id` still to check.
async fn to_check(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    document_id: &str,
) -> Result<(Application, DocumentView), PageError> {
    let path = format!("{}/evidence/{document_id}/reject", path(id));
    let app = fetch(state, officer, id, &path).await?;
    let document = of_application(state, officer, id, &path)
        .await?
        .into_iter()
        .find(|d| d.id == document_id && d.pending)
        .ok_or(PageError::NotFound)?;
    Ok((app, document))
}

fn reject_page(
    officer: &Officer,
    app: &Application,
    document: DocumentView,
    form: RejectForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new("Reject the evidence", Some(officer), Section::Register);
    page.error_count = errors.len();
    render(&RejectPage {
        page,
        id: app.application_id.clone(),
        reference: app.reference.clone(),
        document,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn edit_reject(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path((id, document_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    officer.require(ASSESS)?;
    let (app, document) = to_check(&state, &officer, &id, &document_id).await?;
    Ok(reject_page(
        &officer,
        &app,
        document,
        RejectForm::default(),
        Vec::new(),
    ))
}

pub async fn reject(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path((id, document_id)): Path<(String, String)>,
    Form(form): Form<RejectForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(ASSESS)?;
    let (app, document) = to_check(&state, &officer, &id, &document_id).await?;
    if form.reason.trim().is_empty() {
        let errors = vec![FieldError::on(
            "reason",
            "Enter what is wrong and what the applicant should send instead",
        )];
        return Ok(reject_page(&officer, &app, document, form, errors));
    }
    let path = path(&id);
    match state
        .documents(&officer, &path)
        .await?
        .reject_document(pb::RejectDocumentRequest {
            document_id,
            reason: form.reason.trim().to_owned(),
        })
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{path}?evidence_rejected=1#evidence")).into_response()),
        Err(status) => Ok(reject_page(
            &officer,
            &app,
            document,
            form,
            refusal(status, &path)?,
        )),
    }
}
