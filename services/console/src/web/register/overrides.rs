//! Overriding an assessment: an officer sets the band or the bedroom need by hand, with the
//! reason, which the register keeps in the assessment's audit.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::register::v1 as pb;
use serde::Deserialize;

use super::ASSESS;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

#[derive(Debug, Default, Deserialize)]
pub struct OverrideForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    band: String,
    #[serde(default)]
    bedroom_need: String,
    #[serde(default)]
    reason: String,
}

impl OverrideForm {
    fn request(&self, id: &str) -> Result<pb::OverrideAssessmentRequest, Vec<FieldError>> {
        let bedroom_need = match self.bedroom_need.trim() {
            "" => 0,
            n => n.parse().map_err(|_| {
                vec![FieldError {
                    field: Some("bedroom_need".into()),
                    message: "Enter the bedrooms needed as a number, like 2, or leave it blank"
                        .into(),
                }]
            })?,
        };
        Ok(pb::OverrideAssessmentRequest {
            application_id: id.to_owned(),
            band: self.band.trim().to_ascii_uppercase(),
            bedroom_need,
            reason: self.reason.trim().to_owned(),
        })
    }
}

#[derive(Template)]
#[template(path = "register/override.html")]
struct OverridePage<'a> {
    page: Page<'a>,
    id: String,
    reference: String,
    current: String,
    form: OverrideForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl OverridePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn page(
    officer: &Officer,
    app: &pb::Application,
    form: OverrideForm,
    errors: Vec<FieldError>,
) -> Response {
    let current = app
        .assessment
        .as_ref()
        .map(|a| {
            let standing = if a.band.is_empty() {
                format!("{} points", a.points)
            } else {
                format!("band {}", a.band)
            };
            let plural = if a.bedroom_need == 1 { "" } else { "s" };
            format!("Now {standing}, {} bedroom{plural} needed.", a.bedroom_need)
        })
        .unwrap_or_else(|| "Not assessed yet.".into());
    let mut page = Page::new("Override the assessment", Some(officer), Section::Register);
    page.error_count = errors.len();
    render(&OverridePage {
        page,
        id: app.application_id.clone(),
        reference: app.reference.clone(),
        current,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn path(id: &str) -> String {
    format!("/register/applications/{id}/override")
}

pub async fn edit_override(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(ASSESS)?;
    let app = super::fetch(&state, &officer, &id, &path(&id)).await?;
    Ok(page(&officer, &app, OverrideForm::default(), Vec::new()))
}

pub async fn save_override(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<OverrideForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(ASSESS)?;
    let app = super::fetch(&state, &officer, &id, &path(&id)).await?;
    let request = match form.request(&id) {
        Ok(request) => request,
        Err(errors) => return Ok(page(&officer, &app, form, errors)),
    };
    let answer = state
        .services
        .register(&state.sessions, &officer)
        .await
        .map_err(|e| PageError::from_session(e, &path(&id)))?
        .override_assessment(request)
        .await;
    match answer {
        Ok(_) => {
            Ok(Redirect::to(&format!("/register/applications/{id}?overridden=1")).into_response())
        }
        Err(status) => Ok(page(&officer, &app, form, refusal(status, &path(&id))?)),
    }
}
