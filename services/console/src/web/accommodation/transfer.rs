//! Moving a household to another unit: out of bed and breakfast before day 42, or from
//! costly nightly-paid rooms into leased stock. The units are ranked for the household as
//! they were when it was placed; the officer chooses one, the date and why.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::money::Pence;
use housing_proto::accommodation::v1 as pb;
use serde::Deserialize;

use super::{WORK, fetch, matching, unit_type_words};
use crate::format::DateParts;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, error_for, refusal, render};

/// A unit the household could move to, as a choice on the form.
pub struct Choice {
    pub unit_id: String,
    pub words: String,
    pub hint: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is shown: posting it twice moves the household once.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    unit: String,
    #[serde(default, flatten)]
    date: DateParts,
    #[serde(default)]
    reason: String,
}

impl TransferForm {
    fn request(
        &self,
        placement_id: &str,
        choices: &[Choice],
    ) -> Result<pb::TransferPlacementRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !choices.iter().any(|c| c.unit_id == self.unit) {
            errors.push(FieldError::on(
                "unit",
                "Select the unit the household moves to",
            ));
        }
        let transfer_date = self
            .date
            .iso("transfer_date", "The first night in the new unit")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        if self.reason.trim().is_empty() {
            errors.push(FieldError::on("reason", "Enter why the household moves"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::TransferPlacementRequest {
            request_id: self.request_id.clone(),
            placement_id: placement_id.to_owned(),
            unit_id: self.unit.clone(),
            transfer_date,
            reason: self.reason.trim().to_owned(),
        })
    }
}

#[derive(Template)]
#[template(path = "accommodation/transfer.html")]
struct TransferPage<'a> {
    page: Page<'a>,
    id: String,
    now_in: String,
    choices: Vec<Choice>,
    form: TransferForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl TransferPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn path(id: &str) -> String {
    format!("/accommodation/placements/{id}/transfer")
}

/// The placement, the address the household is in now, and the units it could move to,
/// best first (the one it is in left out).
async fn choices(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
) -> Result<(String, Vec<Choice>), PageError> {
    let placement = fetch(state, officer, id, &path(id)).await?;
    if placement.status != pb::PlacementStatus::Active as i32 {
        return Err(PageError::NotFound);
    }
    let now_in = placement
        .stays
        .iter()
        .find(|s| s.to_date.is_empty())
        .map(|s| s.address.clone())
        .unwrap_or_default();
    let ranking = matching::ranking(state, officer, &placement.placement_request_id).await?;
    let choices = ranking
        .ranked
        .into_iter()
        .filter_map(|r| r.unit.map(|u| (u, r.score)))
        .filter(|(u, _)| u.unit_id != placement.unit_id)
        .map(|(u, score)| Choice {
            words: u.address.clone(),
            hint: format!(
                "{}, {} bedrooms, in {}; {} a week; score {score:.2}",
                unit_type_words(u.unit_type),
                u.bedrooms,
                u.local_authority,
                Pence::new(u.weekly_rent_pence)
            ),
            unit_id: u.unit_id,
        })
        .collect();
    Ok((now_in, choices))
}

fn page(
    officer: &Officer,
    id: &str,
    (now_in, choices): (String, Vec<Choice>),
    mut form: TransferForm,
    errors: Vec<FieldError>,
) -> Response {
    if form.request_id.is_empty() {
        form.request_id = uuid::Uuid::new_v4().to_string();
    }
    let mut page = Page::new(
        "Move the household to another unit",
        Some(officer),
        Section::Accommodation,
    );
    page.error_count = errors.len();
    render(&TransferPage {
        page,
        id: id.to_owned(),
        now_in,
        choices,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn new_transfer(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let found = choices(&state, &officer, &id).await?;
    Ok(page(
        &officer,
        &id,
        found,
        TransferForm::default(),
        Vec::new(),
    ))
}

pub async fn transfer(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<TransferForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let found = choices(&state, &officer, &id).await?;
    let request = match form.request(&id, &found.1) {
        Ok(request) => request,
        Err(errors) => return Ok(page(&officer, &id, found, form, errors)),
    };
    match state
        .accommodation(&officer, &path(&id))
        .await?
        .transfer_placement(request)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/accommodation/placements/{id}?transferred=1")).into_response(),
        ),
        Err(status) => Ok(page(
            &officer,
            &id,
            found,
            form,
            refusal(status, &path(&id))?,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_is_to_a_unit_offered_on_a_real_date_with_a_reason() {
        let choices = [Choice {
            unit_id: "u1".into(),
            words: String::new(),
            hint: String::new(),
        }];
        let fields: Vec<_> = TransferForm {
            unit: "somewhere-else".into(),
            ..Default::default()
        }
        .request("p", &choices)
        .unwrap_err()
        .into_iter()
        .filter_map(|e| e.field)
        .collect();
        assert_eq!(fields, ["unit", "transfer_date", "reason"]);
        let request = TransferForm {
            unit: "u1".into(),
            date: DateParts {
                day: "14".into(),
                month: "12".into(),
                year: "2026".into(),
            },
            reason: "Out of B&B before day 42".into(),
            ..Default::default()
        }
        .request("p", &choices)
        .unwrap();
        assert_eq!(
            (request.unit_id.as_str(), request.transfer_date.as_str()),
            ("u1", "2026-12-14")
        );
    }
}
