//! Taking an application in on the applicant's behalf: who the lead applicant is and where
//! the household lives; the rest of the answers follow on the application's own page.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::register::v1::{self as pb, Relationship, Sex};
use serde::Deserialize;

use super::TAKE_IN;
use crate::format::DateParts;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, render};

#[derive(Debug, Default, Deserialize)]
pub struct NewApplication {
    #[serde(default)]
    csrf_token: String,
    /// Chosen when the form is first shown, so a form sent twice takes one application in.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default, flatten)]
    born: DateParts,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    postcode: String,
}

impl NewApplication {
    fn request(&self) -> Result<pb::SubmitApplicationRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let date_of_birth = self
            .born
            .iso("lead_applicant-date_of_birth", "Date of birth")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let sex = match self.sex.as_str() {
            "female" => Sex::Female,
            "male" => Sex::Male,
            _ => {
                errors.push(FieldError {
                    field: Some("lead_applicant-sex".into()),
                    message: "Select the lead applicant's sex".into(),
                });
                Sex::Unspecified
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::SubmitApplicationRequest {
            request_id: self.request_id.clone(),
            lead_applicant: Some(pb::HouseholdMember {
                given_name: self.given_name.trim().to_owned(),
                family_name: self.family_name.trim().to_owned(),
                date_of_birth,
                sex: sex as i32,
                relationship: Relationship::LeadApplicant as i32,
                pregnant: false,
                ..Default::default()
            }),
            members: Vec::new(),
            details: Some(pb::ApplicationDetails {
                area: self.area.trim().to_ascii_lowercase(),
                postcode: self.postcode.trim().to_ascii_uppercase(),
                ..Default::default()
            }),
        })
    }
}

#[derive(Template)]
#[template(path = "register/take_in.html")]
struct TakeInPage<'a> {
    page: Page<'a>,
    form: NewApplication,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl TakeInPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn page(officer: &Officer, form: NewApplication, errors: Vec<FieldError>) -> Response {
    let mut page = Page::new("Take in an application", Some(officer), Section::Register);
    page.error_count = errors.len();
    render(&TakeInPage {
        page,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn new_application(officer: Officer) -> Result<Response, PageError> {
    officer.require(TAKE_IN)?;
    let form = NewApplication {
        request_id: crate::signin::random_token(),
        ..Default::default()
    };
    Ok(page(&officer, form, Vec::new()))
}

pub async fn take_in(
    State(state): State<crate::web::State>,
    officer: Officer,
    Form(form): Form<NewApplication>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(TAKE_IN)?;
    let request = match form.request() {
        Ok(request) => request,
        Err(errors) => return Ok(page(&officer, form, errors)),
    };
    let answer = state
        .services
        .register(&state.sessions, &officer)
        .await
        .map_err(|e| PageError::from_session(e, "/register/new"))?
        .submit_application(request)
        .await;
    match answer {
        Ok(taken) => {
            let id = taken
                .into_inner()
                .application
                .map(|a| a.application_id)
                .unwrap_or_default();
            Ok(Redirect::to(&format!("/register/applications/{id}")).into_response())
        }
        Err(status) if status.code() == tonic::Code::InvalidArgument => {
            Ok(page(&officer, form, FieldError::from_status(&status)))
        }
        Err(status) => Err(PageError::from_status(status, "/register/new")),
    }
}
