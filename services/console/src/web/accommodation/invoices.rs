//! Providers' invoices as the TA team follows them: each with what the provider billed beside
//! what the council's records of the nights come to, awaiting a manager's approval or
//! approved. Approving stays a manager's, on the approvals page this links to.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use housing_platform::money::Pence;
use housing_proto::accommodation::v1::{self as pb, InvoiceStatus};
use serde::Deserialize;

use super::{TabLink, WORK, sections};
use crate::session::Officer;
use crate::web::approvals::{self, invoices::invoice_path, invoices::period};
use crate::web::{Page, PageError, Section, Tab, encode, render};

const PATH: &str = "/accommodation/invoices";
const PAGE_SIZE: i32 = 25;

const SHOWN: [(&str, &str, InvoiceStatus); 3] = [
    (
        "awaiting",
        "Awaiting approval",
        InvoiceStatus::AwaitingApproval,
    ),
    ("approved", "Approved", InvoiceStatus::Approved),
    ("all", "All", InvoiceStatus::Unspecified),
];

pub struct InvoiceRow {
    pub reference: String,
    pub provider: String,
    pub nights: String,
    pub invoiced: String,
    pub expected: String,
    /// The provider billed other than the council's records show.
    pub differs: bool,
    pub status: (&'static str, &'static str),
    /// Where a manager checks the lines and approves it, while it waits.
    pub approve: Option<String>,
}

#[derive(Template)]
#[template(path = "accommodation/invoices.html")]
struct InvoicesPage<'a> {
    page: Page<'a>,
    sections: Vec<TabLink>,
    tabs: Vec<Tab>,
    invoices: Vec<InvoiceRow>,
    next_page: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct InvoicesQuery {
    #[serde(default)]
    show: String,
    #[serde(default)]
    page_token: String,
}

fn row(invoice: pb::Invoice, manager: bool) -> InvoiceRow {
    let awaiting = invoice.status == InvoiceStatus::AwaitingApproval as i32;
    InvoiceRow {
        nights: period(&invoice.period_start, &invoice.period_end),
        invoiced: Pence::new(invoice.invoiced_pence).to_string(),
        expected: Pence::new(invoice.expected_pence).to_string(),
        differs: invoice.invoiced_pence != invoice.expected_pence,
        status: if awaiting {
            ("Awaiting approval", "govuk-tag--blue")
        } else {
            ("Approved", "govuk-tag--green")
        },
        approve: (awaiting && manager).then(|| invoice_path(&invoice.invoice_id)),
        reference: invoice.provider_reference,
        provider: invoice.provider_name,
    }
}

pub async fn list(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<InvoicesQuery>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let shown = if query.show.is_empty() {
        SHOWN[0].0
    } else {
        query.show.as_str()
    };
    let status = SHOWN
        .iter()
        .find(|(value, _, _)| *value == shown)
        .map(|(_, _, status)| *status)
        .ok_or(PageError::NotFound)?;
    let listed = state
        .accommodation(&officer, PATH)
        .await?
        .list_invoices(pb::ListInvoicesRequest {
            page_size: PAGE_SIZE,
            page_token: query.page_token.clone(),
            status: status as i32,
            provider_id: String::new(),
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner();
    let manager = officer.holds(approvals::DECIDE);
    Ok(render(&InvoicesPage {
        page: Page::new("Invoices", Some(&officer), Section::Accommodation),
        sections: sections(PATH),
        tabs: SHOWN
            .iter()
            .map(|(value, text, _)| Tab {
                text,
                href: format!("{PATH}?show={value}"),
                current: *value == shown,
            })
            .collect(),
        invoices: listed
            .invoices
            .into_iter()
            .map(|i| row(i, manager))
            .collect(),
        next_page: (!listed.next_page_token.is_empty()).then(|| {
            format!(
                "{PATH}?show={shown}&page_token={}",
                encode(&listed.next_page_token)
            )
        }),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_manager_is_offered_the_approval_of_an_invoice_still_waiting() {
        let invoice = pb::Invoice {
            invoice_id: "i-1".into(),
            provider_reference: "INV-1".into(),
            provider_name: "Riverside Nightly".into(),
            period_start: "2026-11-23".into(),
            period_end: "2026-11-30".into(),
            invoiced_pence: 72_000,
            expected_pence: 70_000,
            status: InvoiceStatus::AwaitingApproval as i32,
            ..Default::default()
        };
        let officers = row(invoice.clone(), false);
        assert_eq!(officers.approve, None);
        assert!(officers.differs);
        assert_eq!(
            (officers.invoiced, officers.expected),
            ("£720.00".to_owned(), "£700.00".to_owned())
        );
        assert_eq!(
            officers.nights,
            "23 November 2026 to 29 November 2026, 7 nights"
        );
        assert_eq!(
            row(invoice.clone(), true).approve.as_deref(),
            Some("/approvals/invoices/i-1")
        );
        let approved = pb::Invoice {
            status: InvoiceStatus::Approved as i32,
            ..invoice
        };
        assert_eq!(row(approved, true).approve, None);
    }
}
