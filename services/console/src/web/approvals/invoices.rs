//! Providers' invoices for temporary accommodation, approved from their own page after
//! their lines: the accommodation service cannot decline one.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveDate};
use housing_platform::money::Pence;
use housing_platform::words::count;
use housing_proto::accommodation::v1::{self as ta, InvoiceStatus};

use super::{DECIDE, DecisionForm, Item, PATH};
use crate::format;
use crate::session::Officer;
use crate::web::people::People;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

/// The nights from `start` up to, not including, `end` (ISO dates): "1 December 2026 to
/// 7 December 2026, 7 nights"; dates the service never sends, as they came.
pub(crate) fn period(start: &str, end: &str) -> String {
    let parse = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    match (parse(start), parse(end)) {
        (Some(first), Some(after)) if after > first => {
            let last = after - Days::new(1);
            format!(
                "{} to {}, {}",
                format::date(start),
                housing_platform::time::long_date(last),
                count((after - first).num_days(), "night")
            )
        }
        _ => format!("{start} to {end}"),
    }
}

pub(crate) fn invoice_path(invoice_id: &str) -> String {
    format!("{PATH}/invoices/{invoice_id}")
}

pub(super) fn invoice_item(invoice: ta::Invoice, people: &People) -> Item {
    let mut detail = format!(
        "For the nights {}.",
        period(&invoice.period_start, &invoice.period_end)
    );
    if invoice.expected_pence != invoice.invoiced_pence {
        detail.push_str(&format!(
            " The nights the council's records show come to {}.",
            Pence::new(invoice.expected_pence)
        ));
    }
    Item {
        kind: "invoices",
        what: format!(
            "Invoice {} from {}",
            invoice.provider_reference, invoice.provider_name
        ),
        detail,
        link: None,
        asked_label: "Asked by",
        review: Some((
            invoice_path(&invoice.invoice_id),
            "Check the lines and approve",
        )),
        amount: Pence::new(invoice.invoiced_pence).to_string(),
        asked_by: crate::web::sentence(&people.who(&invoice.submitted_by)),
        asked_at: format::timestamp(invoice.submitted_at.as_ref()),
        id: invoice.invoice_id,
    }
}

/// An invoice line as the manager checks it: the provider's nights and amount beside the
/// nights the council's records show and what they cost at the unit's agreed rate.
pub struct InvoiceLineView {
    pub unit: String,
    pub nights: i32,
    pub occupied_nights: i32,
    pub rate: String,
    pub amount: String,
    pub expected: String,
    pub difference: String,
}

#[derive(Template)]
#[template(path = "approvals/invoice.html")]
struct InvoicePage<'a> {
    page: Page<'a>,
    action: String,
    summary: Item,
    lines: Vec<InvoiceLineView>,
    to_pay: String,
    /// Who approved it and when, once approved: then there is nothing to do.
    approved: Option<String>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl InvoicePage<'_> {
    /// The lines that differ from the council's records.
    fn differences(&self) -> Vec<&InvoiceLineView> {
        self.lines
            .iter()
            .filter(|l| !l.difference.is_empty())
            .collect()
    }
}

/// The unit's agreed rate: by the night for a unit paid by the night, else by the week.
fn rate(unit: &ta::Unit) -> String {
    if unit.nightly_cost_pence > 0 {
        format!("{} a night", Pence::new(unit.nightly_cost_pence))
    } else {
        format!("{} a week", Pence::new(unit.weekly_cost_pence))
    }
}

async fn invoice_page(
    state: &crate::web::State,
    officer: &Officer,
    invoice_id: &str,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let path = invoice_path(invoice_id);
    let mut client = state.accommodation(officer, &path).await?;
    let invoice = client
        .get_invoice(ta::GetInvoiceRequest {
            invoice_id: invoice_id.to_owned(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .invoice
        .ok_or(PageError::NotFound)?;
    // An invoice has a line for each of a provider's few units; each is looked up once.
    let mut units: Vec<ta::Unit> = Vec::new();
    for line in &invoice.lines {
        if units.iter().any(|u| u.unit_id == line.unit_id) {
            continue;
        }
        let unit = client
            .get_unit(ta::GetUnitRequest {
                unit_id: line.unit_id.clone(),
            })
            .await
            .map_err(|s| PageError::from_status(s, &path))?
            .into_inner()
            .unit
            .ok_or(PageError::NotFound)?;
        units.push(unit);
    }
    let lines = invoice
        .lines
        .iter()
        .map(|l| {
            let unit = units.iter().find(|u| u.unit_id == l.unit_id);
            InvoiceLineView {
                unit: unit.map_or_else(|| l.unit_id.clone(), |u| u.address.clone()),
                nights: l.nights,
                occupied_nights: l.occupied_nights,
                rate: unit.map(rate).unwrap_or_default(),
                amount: Pence::new(l.amount_pence).to_string(),
                expected: Pence::new(l.expected_pence).to_string(),
                difference: l.difference.clone(),
            }
        })
        .collect();
    let people = People::of(
        state,
        officer,
        [invoice.submitted_by.as_str(), invoice.approved_by.as_str()],
    )
    .await?;
    let approved = (invoice.status() == InvoiceStatus::Approved).then(|| {
        format!(
            "Approved by {} on {}: {} is paid.",
            people.who(&invoice.approved_by),
            format::timestamp(invoice.approved_at.as_ref()),
            Pence::new(invoice.approved_amount_pence)
        )
    });
    let to_pay = Pence::new(invoice.expected_pence).to_string();
    let summary = invoice_item(invoice, &people);
    let mut page = Page::new(
        format!("Approve the {}", format::lower_first(&summary.what)),
        Some(officer),
        Section::Approvals,
    );
    page.error_count = errors.len();
    Ok(render(&InvoicePage {
        page,
        action: path,
        summary,
        lines,
        to_pay,
        approved,
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

pub async fn show_invoice(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(invoice_id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    invoice_page(&state, &officer, &invoice_id, Vec::new()).await
}

pub async fn approve_invoice(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(invoice_id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(DECIDE)?;
    let path = invoice_path(&invoice_id);
    let answer = state
        .accommodation(&officer, &path)
        .await?
        .approve_invoice(ta::ApproveInvoiceRequest {
            invoice_id: invoice_id.clone(),
        })
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?approved=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, &path)?;
            invoice_page(&state, &officer, &invoice_id, errors).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_period_names_its_last_night_and_counts_the_nights() {
        assert_eq!(
            period("2026-11-30", "2026-12-07"),
            "30 November 2026 to 6 December 2026, 7 nights"
        );
        assert_eq!(
            period("2026-12-07", "2026-12-07"),
            "2026-12-07 to 2026-12-07"
        );
    }
}
