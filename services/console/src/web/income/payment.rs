//! Recording a payment the household made at the counter or by phone.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::rent::v1::{self as pb, PaymentMethod};
use serde::Deserialize;

use super::INCOME;
use crate::format::DateParts;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

pub const METHODS: [(PaymentMethod, &str, &str); 3] = [
    (PaymentMethod::Tenant, "tenant", "Paid by the household"),
    (
        PaymentMethod::HousingBenefit,
        "housing_benefit",
        "Housing Benefit",
    ),
    (
        PaymentMethod::UniversalCredit,
        "universal_credit",
        "Universal Credit (housing costs)",
    ),
];

pub fn method_from_value(value: &str) -> Option<PaymentMethod> {
    METHODS
        .iter()
        .find(|(_, v, _)| *v == value)
        .map(|(m, _, _)| *m)
}

#[derive(Debug, Default, Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is shown: posting it twice records one payment.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    amount: String,
    #[serde(default, flatten)]
    received: DateParts,
    #[serde(default)]
    method: String,
}

impl PaymentForm {
    fn request(&self, account_id: &str) -> Result<pb::RecordPaymentRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let amount = super::amount(&self.amount, "amount_pence", "Enter the amount paid")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let received_on = self
            .received
            .iso("received_on", "The date received")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let method = method_from_value(&self.method).unwrap_or_else(|| {
            errors.push(FieldError::on("method", "Select how the payment was made"));
            PaymentMethod::Unspecified
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::RecordPaymentRequest {
            request_id: self.request_id.clone(),
            account_id: account_id.to_owned(),
            amount_pence: amount,
            received_on,
            method: method as i32,
        })
    }
}

#[derive(Template)]
#[template(path = "income/payment.html")]
struct PaymentPage<'a> {
    page: Page<'a>,
    account: super::AccountHeading,
    form: PaymentForm,
    methods: Vec<(&'static str, &'static str)>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl PaymentPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn page(
    officer: &Officer,
    account: &pb::RentAccount,
    mut form: PaymentForm,
    errors: Vec<FieldError>,
) -> Response {
    super::fresh_request_id(&mut form.request_id);
    let mut page = Page::new("Record a payment", Some(officer), Section::Income);
    page.error_count = errors.len();
    render(&PaymentPage {
        page,
        account: account.into(),
        form,
        methods: METHODS.iter().map(|(_, v, t)| (*v, *t)).collect(),
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn path(id: &str) -> String {
    format!("/income/accounts/{id}/payment")
}

pub async fn new_payment(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(INCOME)?;
    let account = super::fetch(&state, &officer, &id, &path(&id)).await?;
    Ok(page(&officer, &account, PaymentForm::default(), Vec::new()))
}

pub async fn record_payment(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<PaymentForm>,
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
        .record_payment(request)
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("/income/accounts/{id}?paid=1")).into_response()),
        Err(status) => Ok(page(&officer, &account, form, refusal(status, &path(&id))?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(amount: &str, day: &str, method: &str) -> PaymentForm {
        PaymentForm {
            request_id: "r".into(),
            amount: amount.into(),
            received: DateParts {
                day: day.into(),
                month: "11".into(),
                year: "2026".into(),
            },
            method: method.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_payment_form_becomes_a_request_in_pence() {
        let request = form("£1,250.50", "30", "housing_benefit")
            .request("account")
            .unwrap();
        assert_eq!(request.amount_pence, 125_050);
        assert_eq!(request.received_on, "2026-11-30");
        assert_eq!(request.method, PaymentMethod::HousingBenefit as i32);
    }

    #[test]
    fn every_wrong_field_of_a_payment_is_named() {
        let errors = form("12.345", "31", "cash").request("account").unwrap_err();
        let fields: Vec<_> = errors.iter().filter_map(|e| e.field.clone()).collect();
        assert_eq!(fields, ["amount_pence", "received_on", "method"]);
        let errors = form("0", "1", "tenant").request("account").unwrap_err();
        assert_eq!(errors[0].message, "Enter an amount more than £0");
    }
}
