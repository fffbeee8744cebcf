//! A payment plan: the household pays a set amount off its arrears each week on top of the
//! rent, and the arrears stage holds while the plan is kept.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::rent::v1 as pb;
use serde::Deserialize;

use super::INCOME;
use crate::format::DateParts;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

#[derive(Debug, Default, Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is shown: posting it twice sets up one plan.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    instalment: String,
    #[serde(default, flatten)]
    start: DateParts,
}

impl PlanForm {
    fn request(&self, account_id: &str) -> Result<pb::CreatePaymentPlanRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let instalment = super::amount(
            &self.instalment,
            "instalment_pence",
            "Enter the amount to be paid off the arrears each week",
        )
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
        let start_date = self
            .start
            .iso("start_date", "The date of the first instalment")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::CreatePaymentPlanRequest {
            request_id: self.request_id.clone(),
            account_id: account_id.to_owned(),
            instalment_pence: instalment,
            start_date,
        })
    }
}

#[derive(Template)]
#[template(path = "income/plan.html")]
struct PlanPage<'a> {
    page: Page<'a>,
    account: super::AccountHeading,
    form: PlanForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl PlanPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn page(
    officer: &Officer,
    account: &pb::RentAccount,
    mut form: PlanForm,
    errors: Vec<FieldError>,
) -> Response {
    super::fresh_request_id(&mut form.request_id);
    let mut page = Page::new("Set up a payment plan", Some(officer), Section::Income);
    page.error_count = errors.len();
    render(&PlanPage {
        page,
        account: account.into(),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn path(id: &str) -> String {
    format!("/income/accounts/{id}/plan")
}

pub async fn new_plan(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(INCOME)?;
    let account = super::fetch(&state, &officer, &id, &path(&id)).await?;
    Ok(page(&officer, &account, PlanForm::default(), Vec::new()))
}

pub async fn create_plan(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<PlanForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(INCOME)?;
    let account = super::fetch(&state, &officer, &id, &path(&id)).await?;
    let request = match form.request(&id) {
        Ok(request) => request,
        Err(errors) => return Ok(page(&officer, &account, form, errors)),
    };
    match state
        .rent(&officer, &path(&id))
        .await?
        .create_payment_plan(request)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/income/accounts/{id}?planned=1")).into_response()),
        Err(status) => Ok(page(&officer, &account, form, refusal(status, &path(&id))?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_needs_an_instalment_in_pounds_and_a_real_start() {
        let form = PlanForm {
            instalment: "7.5".into(),
            start: DateParts {
                day: "7".into(),
                month: "12".into(),
                year: "2026".into(),
            },
            ..Default::default()
        };
        let request = form.request("a").unwrap();
        assert_eq!(
            (request.instalment_pence, request.start_date.as_str()),
            (750, "2026-12-07")
        );
        let fields: Vec<_> = PlanForm::default()
            .request("a")
            .unwrap_err()
            .into_iter()
            .filter_map(|e| e.field)
            .collect();
        assert_eq!(fields, ["instalment_pence", "start_date"]);
    }
}
