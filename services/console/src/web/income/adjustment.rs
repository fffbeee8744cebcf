//! An adjustment to a rent account: a credit for a charge made in error, a debit for one
//! missed, or a refund of money the household has in credit, each with its reason on the
//! statement. Writing off arrears is a manager's decision and is asked for on its own page.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::rent::v1::{self as pb, AdjustmentKind};
use serde::Deserialize;

use super::INCOME;
use crate::format::DateParts;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

const KINDS: [(AdjustmentKind, &str, &str); 3] = [
    (
        AdjustmentKind::Credit,
        "credit",
        "Credit: reduces what the household owes, like a charge made in error",
    ),
    (
        AdjustmentKind::Debit,
        "debit",
        "Debit: increases what the household owes, like a charge missed",
    ),
    (
        AdjustmentKind::Refund,
        "refund",
        "Refund: pays back money the household has in credit",
    ),
];

#[derive(Debug, Default, Deserialize)]
pub struct AdjustmentForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is shown: posting it twice adjusts once.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default, flatten)]
    effective: DateParts,
    #[serde(default)]
    reason: String,
}

impl AdjustmentForm {
    fn request(&self, account_id: &str) -> Result<pb::PostAdjustmentRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = KINDS
            .iter()
            .find(|(_, value, _)| *value == self.kind)
            .map(|(kind, _, _)| *kind);
        if kind.is_none() {
            errors.push(FieldError::on("kind", "Select the kind of adjustment"));
        }
        let amount = super::amount(&self.amount, "amount_pence", "Enter the amount")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let effective_date = self
            .effective
            .iso("effective_date", "The date it takes effect")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        if self.reason.trim().is_empty() {
            errors.push(FieldError::on(
                "reason",
                "Enter why, which the statement shows",
            ));
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(pb::PostAdjustmentRequest {
                request_id: self.request_id.clone(),
                account_id: account_id.to_owned(),
                kind: kind as i32,
                amount_pence: amount,
                effective_date,
                reason: self.reason.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "income/adjustment.html")]
struct AdjustmentPage<'a> {
    page: Page<'a>,
    account: super::AccountHeading,
    kinds: Vec<(&'static str, &'static str)>,
    form: AdjustmentForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl AdjustmentPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn page(
    officer: &Officer,
    account: &pb::RentAccount,
    mut form: AdjustmentForm,
    errors: Vec<FieldError>,
) -> Response {
    super::fresh_request_id(&mut form.request_id);
    let mut page = Page::new("Adjust the account", Some(officer), Section::Income);
    page.error_count = errors.len();
    render(&AdjustmentPage {
        page,
        account: account.into(),
        kinds: KINDS.iter().map(|(_, v, words)| (*v, *words)).collect(),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn path(id: &str) -> String {
    format!("/income/accounts/{id}/adjustment")
}

pub async fn new_adjustment(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(INCOME)?;
    let account = super::fetch(&state, &officer, &id, &path(&id)).await?;
    Ok(page(
        &officer,
        &account,
        AdjustmentForm::default(),
        Vec::new(),
    ))
}

pub async fn post_adjustment(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<AdjustmentForm>,
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
        .post_adjustment(request)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/income/accounts/{id}?adjusted=1")).into_response()),
        Err(status) => Ok(page(&officer, &account, form, refusal(status, &path(&id))?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustment_names_every_missing_part_and_never_writes_off() {
        let fields: Vec<_> = AdjustmentForm {
            kind: "write_off".into(),
            ..Default::default()
        }
        .request("a")
        .unwrap_err()
        .into_iter()
        .filter_map(|e| e.field)
        .collect();
        assert_eq!(fields, ["kind", "amount_pence", "effective_date", "reason"]);
        let request = AdjustmentForm {
            kind: "credit".into(),
            amount: "£12.40".into(),
            effective: DateParts {
                day: "1".into(),
                month: "12".into(),
                year: "2026".into(),
            },
            reason: " Charged twice for the week of 23 November ".into(),
            ..Default::default()
        }
        .request("a")
        .unwrap();
        assert_eq!(request.kind, AdjustmentKind::Credit as i32);
        assert_eq!(request.amount_pence, 1240);
        assert_eq!(request.reason, "Charged twice for the week of 23 November");
    }
}
