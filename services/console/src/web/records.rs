//! The records kept about an applicant, for senior officers and managers: a legal hold that
//! keeps everything from destruction until it is released, and the subject access bundle,
//! everything held about the person in one download.

use axum::Form;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use futures::StreamExt;
use housing_platform::auth::Role;
use housing_proto::documents::v1 as pb;
use serde::Deserialize;

use super::people::People;
use super::{FieldError, PageError, encode, refusal};
use crate::format;
use crate::session::Officer;

/// Who keeps records (as the documents service allows).
pub const KEEPERS: &[Role] = &[Role::SeniorOfficer, Role::Manager];

/// The hold on an application, as its page shows it.
pub struct HoldView {
    pub held: bool,
    pub reason: String,
    pub placed: String,
}

impl HoldView {
    pub fn new(hold: pb::GetLegalHoldResponse, people: &People) -> Self {
        Self {
            held: hold.held,
            placed: format!(
                "{} by {}",
                format::timestamp(hold.placed_at.as_ref()),
                people.who(&hold.placed_by)
            ),
            reason: hold.reason,
        }
    }
}

/// The hold on `application_id`; `None` for an officer who does not keep records.
pub async fn hold(
    state: &super::State,
    officer: &Officer,
    application_id: &str,
    path: &str,
) -> Result<Option<pb::GetLegalHoldResponse>, PageError> {
    if !officer.holds(KEEPERS) {
        return Ok(None);
    }
    state
        .documents(officer, path)
        .await?
        .get_legal_hold(pb::GetLegalHoldRequest {
            application_id: application_id.to_owned(),
        })
        .await
        .map(|hold| Some(hold.into_inner()))
        .map_err(|s| PageError::from_status(s, path))
}

#[derive(Debug, Default, Deserialize)]
pub struct HoldForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

fn application(id: &str) -> String {
    format!("/register/applications/{id}")
}

/// Places a hold, with its reason, or says on the application's page what is missing.
pub async fn place(
    State(state): State<super::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<HoldForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(KEEPERS)?;
    let path = application(&id);
    let errors = if form.reason.trim().is_empty() {
        vec![FieldError::on(
            "hold-reason",
            "Enter why the records must be kept",
        )]
    } else {
        match state
            .documents(&officer, &path)
            .await?
            .place_legal_hold(pb::PlaceLegalHoldRequest {
                application_id: id.clone(),
                reason: form.reason.trim().to_owned(),
            })
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("{path}?held=1#records")).into_response()),
            Err(status) => refusal(status, &path)?
                .into_iter()
                .map(|e| FieldError {
                    field: e.field.map(|f| format!("hold-{f}")),
                    ..e
                })
                .collect(),
        }
    };
    super::register::application_page(&state, &officer, &id, errors, None).await
}

pub async fn release(
    State(state): State<super::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<HoldForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(KEEPERS)?;
    let path = application(&id);
    match state
        .documents(&officer, &path)
        .await?
        .release_legal_hold(pb::ReleaseLegalHoldRequest {
            application_id: id.clone(),
        })
        .await
    {
        // Released already (by a colleague, or this form sent twice): the page shows it so.
        Ok(_) => Ok(Redirect::to(&format!("{path}?released=1#records")).into_response()),
        Err(status) if status.code() == tonic::Code::NotFound => {
            Ok(Redirect::to(&format!("{path}#records")).into_response())
        }
        Err(status) => Err(PageError::from_status(status, &path)),
    }
}

/// Everything held about the applicant as one tar bundle, streamed as the documents service
/// streams it.
pub async fn subject_access(
    State(state): State<super::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(KEEPERS)?;
    let path = application(&id);
    let chunks = state
        .documents(&officer, &path)
        .await?
        .export_subject_access(pb::ExportSubjectAccessRequest {
            application_id: id.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .map(|chunk| chunk.map(|c| c.chunk));
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-tar".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"subject-access-{}.tar\"",
                    encode(&id)
                ),
            ),
        ],
        Body::from_stream(chunks),
    )
        .into_response())
}
