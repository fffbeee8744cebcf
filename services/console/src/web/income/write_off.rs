//! Asking a manager to write off arrears that cannot be recovered: nothing is posted until a
//! manager approves it in the approvals queue.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::rent::v1 as pb;
use serde::Deserialize;

use super::INCOME;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

#[derive(Debug, Default, Deserialize)]
pub struct WriteOffForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is shown: posting it twice asks once.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

impl WriteOffForm {
    fn request(&self, account_id: &str) -> Result<pb::RequestWriteOffRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let amount = super::amount(
            &self.amount,
            "amount_pence",
            "Enter the amount to write off",
        )
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
        if self.reason.trim().is_empty() {
            errors.push(FieldError::on(
                "reason",
                "Enter why the arrears cannot be recovered",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::RequestWriteOffRequest {
            request_id: self.request_id.clone(),
            account_id: account_id.to_owned(),
            amount_pence: amount,
            reason: self.reason.trim().to_owned(),
        })
    }
}

#[derive(Template)]
#[template(path = "income/write_off.html")]
struct WriteOffPage<'a> {
    page: Page<'a>,
    account: super::AccountHeading,
    form: WriteOffForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl WriteOffPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn page(
    officer: &Officer,
    account: &pb::RentAccount,
    mut form: WriteOffForm,
    errors: Vec<FieldError>,
) -> Response {
    super::fresh_request_id(&mut form.request_id);
    let mut page = Page::new("Ask to write off arrears", Some(officer), Section::Income);
    page.error_count = errors.len();
    render(&WriteOffPage {
        page,
        account: account.into(),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn path(id: &str) -> String {
    format!("/income/accounts/{id}/write-off")
}

pub async fn new_write_off(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(INCOME)?;
    let account = super::fetch(&state, &officer, &id, &path(&id)).await?;
    Ok(page(
        &officer,
        &account,
        WriteOffForm::default(),
        Vec::new(),
    ))
}

pub async fn request_write_off(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<WriteOffForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(INCOME)?;
    let account = super::fetch(&state, &officer, &id, &path(&id)).await?;
    let request = match form.request(&id) {
        Ok(request) => request,
        Err(errors) => return Ok(page(&officer, &account, form, errors)),
    };
    let answer = state
        .rent(&officer, &path(&id))
        .await?
        .request_write_off(request)
        .await;
    match answer {
        Ok(_) => {
            Ok(Redirect::to(&format!("/income/accounts/{id}?write_off_asked=1")).into_response())
        }
        Err(status) => Ok(page(&officer, &account, form, refusal(status, &path(&id))?)),
    }
}
