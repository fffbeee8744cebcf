//! The applicant's reply to the annual review letter: staying on the register renews the
//! application for a year; leaving closes it. The register refuses a reply when no letter
//! awaits one.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::register::v1 as pb;
use serde::Deserialize;

use super::TAKE_IN;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

#[derive(Debug, Default, Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    csrf_token: String,
    /// "yes" or "no": the only reply the register takes is whether they still want housing.
    #[serde(default)]
    still_wants_housing: String,
}

impl ReplyForm {
    fn request(&self, id: &str) -> Result<pb::RecordReviewReplyRequest, Vec<FieldError>> {
        let still_wants_housing = match self.still_wants_housing.as_str() {
            "yes" => true,
            "no" => false,
            _ => {
                return Err(vec![FieldError {
                    field: Some("still_wants_housing".into()),
                    message: "Select whether the applicant still wants to be on the register"
                        .into(),
                }]);
            }
        };
        Ok(pb::RecordReviewReplyRequest {
            application_id: id.to_owned(),
            still_wants_housing,
        })
    }
}

#[derive(Template)]
#[template(path = "register/review_reply.html")]
struct ReplyPage<'a> {
    page: Page<'a>,
    id: String,
    reference: String,
    form: ReplyForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl ReplyPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn page(
    officer: &Officer,
    app: &pb::Application,
    form: ReplyForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new(
        "Record the reply to the annual review",
        Some(officer),
        Section::Register,
    );
    page.error_count = errors.len();
    render(&ReplyPage {
        page,
        id: app.application_id.clone(),
        reference: app.reference.clone(),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn path(id: &str) -> String {
    format!("/register/applications/{id}/review-reply")
}

pub async fn edit_reply(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(TAKE_IN)?;
    let app = super::fetch(&state, &officer, &id, &path(&id)).await?;
    Ok(page(&officer, &app, ReplyForm::default(), Vec::new()))
}

pub async fn save_reply(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<ReplyForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(TAKE_IN)?;
    let app = super::fetch(&state, &officer, &id, &path(&id)).await?;
    let request = match form.request(&id) {
        Ok(request) => request,
        Err(errors) => return Ok(page(&officer, &app, form, errors)),
    };
    let answer = state
        .register(&officer, &path(&id))
        .await?
        .record_review_reply(request)
        .await;
    match answer {
        Ok(_) => Ok(
            Redirect::to(&format!("/register/applications/{id}?review_replied=1")).into_response(),
        ),
        Err(status) => Ok(page(&officer, &app, form, refusal(status, &path(&id))?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(value: &str) -> Result<pb::RecordReviewReplyRequest, Vec<FieldError>> {
        ReplyForm {
            still_wants_housing: value.into(),
            ..Default::default()
        }
        .request("id")
    }

    #[test]
    fn a_reply_is_yes_or_no_and_nothing_else() {
        assert!(reply("yes").unwrap().still_wants_housing);
        assert!(!reply("no").unwrap().still_wants_housing);
        for bad in ["", "maybe", "true"] {
            let errors = reply(bad).unwrap_err();
            assert_eq!(errors[0].field.as_deref(), Some("still_wants_housing"));
        }
    }
}
