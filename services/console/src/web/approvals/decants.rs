//! Decant payments: once a household moved out of a regeneration scheme's home has moved,
//! a manager approves its home-loss payment and the disturbance costs accepted.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::money::Pence;
use housing_proto::nominations::v1::{self as noms, DecantStatus, DecantTenure};

use super::{DECIDE, Item, PATH};
use crate::format;
use crate::session::Officer;
use crate::web::people::People;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

/// A moved household's decant, its payments awaiting approval, as the queue lists it.
pub(super) fn decant_item(decant: noms::Decant, people: &People) -> Item {
    Item {
        kind: "decants",
        what: format!("Decant payments for {}", decant.payee_name),
        detail: format!(
            "Moved out of {} ({}) on {}. The home-loss payment is worked out on approval.",
            decant.address,
            decant.scheme,
            format::date(&decant.moved_on)
        ),
        link: None,
        review: Some((
            decant_path(&decant.decant_id),
            "Check the decant and approve",
        )),
        // The service works the home-loss payment out on approval.
        amount: String::new(),
        asked_label: "Recorded by",
        asked_by: crate::web::sentence(&people.who(&decant.created_by)),
        asked_at: String::new(),
        id: decant.decant_id,
    }
}

fn decant_path(decant_id: &str) -> String {
    format!("{PATH}/decants/{decant_id}")
}

async fn get_decant(
    state: &crate::web::State,
    officer: &Officer,
    decant_id: &str,
    path: &str,
) -> Result<Result<noms::Decant, tonic::Status>, PageError> {
    let answer = state
        .nominations(officer, path)
        .await?
        .get_decant(noms::GetDecantRequest {
            decant_id: decant_id.to_owned(),
        })
        .await;
    Ok(answer.map(|a| a.into_inner().decant.unwrap_or_default()))
}

/// Rows for disturbance costs on the decant page; a household with more claims them in
/// fewer lines.
const DISTURBANCE_ROWS: usize = 4;

/// One disturbance cost as typed: what it was for, and the amount in pounds.
#[derive(Debug, Default, Clone)]
pub struct DisturbanceRow {
    pub description: String,
    pub amount: String,
}

/// The decant approval form. Its rows repeat the same names, which a struct cannot take,
/// so it is read from the posted pairs in order.
#[derive(Debug, Default)]
pub struct DecantForm {
    csrf_token: String,
    rows: Vec<DisturbanceRow>,
}

impl DecantForm {
    fn read(pairs: Vec<(String, String)>) -> Self {
        let mut form = DecantForm::default();
        let (mut descriptions, mut amounts) = (Vec::new(), Vec::new());
        for (name, value) in pairs {
            match name.as_str() {
                "csrf_token" => form.csrf_token = value,
                "description" => descriptions.push(value),
                "amount" => amounts.push(value),
                _ => {}
            }
        }
        amounts.resize(descriptions.len().max(amounts.len()), String::new());
        descriptions.resize(amounts.len(), String::new());
        form.rows = descriptions
            .into_iter()
            .zip(amounts)
            .take(DISTURBANCE_ROWS)
            .map(|(description, amount)| DisturbanceRow {
                description,
                amount,
            })
            .collect();
        form
    }

    /// The costs to approve, empty rows left out; or each half-filled row's problem, on
    /// the ids the service's own field names become.
    fn items(&self) -> Result<Vec<noms::DisturbanceItem>, Vec<FieldError>> {
        let mut items = Vec::new();
        let mut errors = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            let description = row.description.trim();
            if description.is_empty() && row.amount.trim().is_empty() {
                continue;
            }
            if description.is_empty() {
                errors.push(FieldError::on(
                    &row_field(i, "description"),
                    format!("Enter what cost {} was for", i + 1),
                ));
            }
            match crate::web::income::amount(
                &row.amount,
                &row_field(i, "amount_pence"),
                &format!("Enter the amount of cost {}", i + 1),
            ) {
                Ok(amount_pence) => items.push(noms::DisturbanceItem {
                    description: description.to_owned(),
                    amount_pence,
                }),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(items)
        } else {
            Err(errors)
        }
    }
}

/// A decant as the manager reads it before approving its payments.
pub struct DecantView {
    pub id: String,
    pub application_id: String,
    pub scheme: String,
    pub payee: String,
    pub address: String,
    pub tenure: &'static str,
    pub occupied_since: String,
    pub market_value: Option<String>,
    pub right_to_return: bool,
    pub moved_on: String,
    pub status: (&'static str, &'static str),
    pub recorded_by: String,
}

/// A decant's state as a tag: its words and colour.
pub fn status(status: DecantStatus) -> (&'static str, &'static str) {
    match status {
        DecantStatus::AwaitingMove => ("Awaiting its move", "govuk-tag--blue"),
        DecantStatus::Moved => ("Moved: payments to approve", "govuk-tag--yellow"),
        DecantStatus::PaymentsApproved => ("Payments approved", "govuk-tag--green"),
        DecantStatus::Unspecified => ("Unknown", "govuk-tag--grey"),
    }
}

pub fn decant_view(decant: noms::Decant, people: &People) -> DecantView {
    let status = status(decant.status());
    DecantView {
        tenure: match decant.tenure() {
            DecantTenure::OwnerOccupier => "Owner-occupier",
            _ => "Tenant",
        },
        market_value: (decant.market_value_pence > 0)
            .then(|| Pence::new(decant.market_value_pence).to_string()),
        occupied_since: format::date(&decant.occupied_since),
        moved_on: format::date(&decant.moved_on),
        recorded_by: crate::web::sentence(&people.who(&decant.created_by)),
        status,
        right_to_return: decant.right_to_return,
        id: decant.decant_id,
        application_id: decant.application_id,
        scheme: decant.scheme,
        payee: decant.payee_name,
        address: decant.address,
    }
}

#[derive(Template)]
#[template(path = "approvals/decant.html")]
struct DecantPage<'a> {
    page: Page<'a>,
    decant: DecantView,
    approvable: bool,
    rows: Vec<DisturbanceRow>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl DecantPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }

    fn row_field(&self, row: &usize, part: &str) -> String {
        row_field(*row, part)
    }
}

/// The id of a part of disturbance row `row`: the service's field name for the item, its
/// dot a dash as every field id is.
fn row_field(row: usize, part: &str) -> String {
    format!("disturbance[{row}]-{part}")
}

async fn decant_page(
    state: &crate::web::State,
    officer: &Officer,
    decant_id: &str,
    mut rows: Vec<DisturbanceRow>,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let path = decant_path(decant_id);
    let decant = get_decant(state, officer, decant_id, &path)
        .await?
        .map_err(|s| PageError::from_status(s, &path))?;
    let people = People::of(state, officer, [decant.created_by.as_str()]).await?;
    rows.resize(DISTURBANCE_ROWS, DisturbanceRow::default());
    let mut page = Page::new(
        format!(
            "Approve the payments for the decant from {}",
            decant.address
        ),
        Some(officer),
        Section::Approvals,
    );
    page.error_count = errors.len();
    Ok(render(&DecantPage {
        page,
        approvable: decant.status() == DecantStatus::Moved,
        decant: decant_view(decant, &people),
        rows,
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

pub async fn show_decant(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(decant_id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    decant_page(&state, &officer, &decant_id, Vec::new(), Vec::new()).await
}

pub async fn approve_decant(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(decant_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = DecantForm::read(pairs);
    officer.check_form(&form.csrf_token)?;
    officer.require(DECIDE)?;
    let disturbance = match form.items() {
        Ok(items) => items,
        Err(errors) => return decant_page(&state, &officer, &decant_id, form.rows, errors).await,
    };
    let path = decant_path(&decant_id);
    let answer = state
        .nominations(&officer, &path)
        .await?
        .approve_decant_payments(noms::ApproveDecantPaymentsRequest {
            decant_id: decant_id.clone(),
            disturbance,
        })
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?approved=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, &path)?;
            decant_page(&state, &officer, &decant_id, form.rows, errors).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn disturbance_rows_are_read_in_order_and_empty_ones_left_out() {
        let form = DecantForm::read(pairs(&[
            ("csrf_token", "t"),
            ("description", "Removals"),
            ("amount", "£1,250.50"),
            ("description", ""),
            ("amount", ""),
            ("description", "Carpets"),
            ("amount", "300"),
        ]));
        assert_eq!(form.csrf_token, "t");
        let items = form.items().unwrap();
        let got: Vec<_> = items
            .iter()
            .map(|i| (i.description.as_str(), i.amount_pence))
            .collect();
        assert_eq!(got, [("Removals", 125_050), ("Carpets", 30_000)]);
        assert!(DecantForm::read(Vec::new()).items().unwrap().is_empty());
    }

    #[test]
    fn a_half_filled_disturbance_row_names_its_missing_half() {
        let form = DecantForm::read(pairs(&[
            ("description", "Redirection"),
            ("amount", ""),
            ("description", ""),
            ("amount", "12.345"),
        ]));
        let errors = form.items().unwrap_err();
        let fields: Vec<_> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
        assert_eq!(
            fields,
            [
                "disturbance[0]-amount_pence",
                "disturbance[1]-description",
                "disturbance[1]-amount_pence"
            ]
        );
        assert_eq!(errors[0].message, "Enter the amount of cost 1");
    }
}
