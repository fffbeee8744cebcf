//! What the council owes suppliers: invoices, removals, incentives and decant payments other
//! services approved, which the rent service books as payables; an income officer records
//! each one's payment.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::money::Pence;
use housing_proto::rent::v1::{self as pb, PayableKind};
use serde::Deserialize;

use super::INCOME;
use super::queue::Tab;
use crate::format::{self, DateParts};
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, encode, refusal, render};

const PATH: &str = "/income/payables";
const PAGE_SIZE: i32 = 25;
/// The most the rent service lists at once, for finding one payable to pay.
const LOOKUP_SIZE: i32 = 500;

fn kind_words(kind: i32) -> &'static str {
    match PayableKind::try_from(kind) {
        Ok(PayableKind::NightlyPaidInvoice) => "Nightly-paid invoice",
        Ok(PayableKind::RemovalsAndStorage) => "Removals and storage",
        Ok(PayableKind::MobilityIncentive) => "Mobility incentive",
        Ok(PayableKind::DecantPayment) => "Decant payment",
        _ => "Other",
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// "all" for paid ones too; awaiting payment otherwise.
    #[serde(default)]
    show: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    paid: Option<String>,
}

pub struct Row {
    pub payee: String,
    pub kind: &'static str,
    pub reference: String,
    pub amount: String,
    /// When it was paid; empty while it awaits payment.
    pub paid_on: String,
    /// The page to record its payment on, while it awaits payment.
    pub pay_href: Option<String>,
}

impl Row {
    fn of(payable: &pb::Payable, page_token: &str) -> Self {
        Self {
            payee: payable.payee.clone(),
            kind: kind_words(payable.kind),
            reference: payable.reference.clone(),
            amount: Pence::new(payable.amount_pence).to_string(),
            paid_on: format::date(&payable.paid_on),
            pay_href: (!payable.paid).then(|| {
                let mut href = format!("{PATH}/{}/pay", encode(&payable.payable_id));
                if !page_token.is_empty() {
                    href.push_str(&format!("?from={}", encode(page_token)));
                }
                href
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "income/payables.html")]
struct PayablesPage<'a> {
    page: Page<'a>,
    tabs: Vec<Tab>,
    rows: Vec<Row>,
    all: bool,
    next_page: Option<String>,
    notice: Option<&'static str>,
}

pub async fn list(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    officer.require(INCOME)?;
    let all = query.show == "all";
    let found = state
        .rent(&officer, PATH)
        .await?
        .list_payables(pb::ListPayablesRequest {
            unpaid_only: !all,
            page_size: PAGE_SIZE,
            page_token: query.page.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner();
    let link = |show: &str, page: &str| {
        let mut href = format!("{PATH}?show={show}");
        if !page.is_empty() {
            href.push_str(&format!("&page={}", encode(page)));
        }
        href
    };
    let tabs = vec![
        Tab {
            text: "Awaiting payment".into(),
            href: link("unpaid", ""),
            current: !all,
        },
        Tab {
            text: "All".into(),
            href: link("all", ""),
            current: all,
        },
    ];
    let show = if all { "all" } else { "unpaid" };
    Ok(render(&PayablesPage {
        page: Page::new("Payables", Some(&officer), Section::Income),
        tabs,
        rows: found
            .payables
            .iter()
            .map(|p| Row::of(p, &query.page))
            .collect(),
        all,
        next_page: (!found.next_page_token.is_empty()).then(|| link(show, &found.next_page_token)),
        notice: query
            .paid
            .map(|_| "The payment has been recorded against the payable"),
    }))
}

/// The payable `id` while it awaits payment, looked for from the list's page `from` on
/// (the rent service has no call for one payable; the unpaid are a short queue).
async fn unpaid(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    from: &str,
    path: &str,
) -> Result<pb::Payable, PageError> {
    let mut rent = state.rent(officer, path).await?;
    let mut page_token = from.to_owned();
    loop {
        let found = rent
            .list_payables(pb::ListPayablesRequest {
                unpaid_only: true,
                page_size: LOOKUP_SIZE,
                page_token,
            })
            .await
            .map_err(|s| PageError::from_status(s, path))?
            .into_inner();
        if let Some(payable) = found.payables.into_iter().find(|p| p.payable_id == id) {
            return Ok(payable);
        }
        if found.next_page_token.is_empty() {
            return Err(PageError::NotFound);
        }
        page_token = found.next_page_token;
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PayQuery {
    #[serde(default)]
    from: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct PayForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is shown: posting it twice pays once.
    #[serde(default)]
    request_id: String,
    /// Where the list found the payable, to find it again quickly.
    #[serde(default)]
    from: String,
    #[serde(default, flatten)]
    paid: DateParts,
}

impl PayForm {
    fn request(&self, payable_id: &str) -> Result<pb::PayPayableRequest, Vec<FieldError>> {
        let paid_on = self
            .paid
            .iso("paid_on", "The date paid")
            .map_err(|e| vec![e])?;
        Ok(pb::PayPayableRequest {
            request_id: self.request_id.clone(),
            payable_id: payable_id.to_owned(),
            paid_on,
        })
    }
}

#[derive(Template)]
#[template(path = "income/pay.html")]
struct PayPage<'a> {
    page: Page<'a>,
    action: String,
    payable: Row,
    form: PayForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl PayPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn path(id: &str) -> String {
    format!("{PATH}/{}/pay", encode(id))
}

fn page(
    officer: &Officer,
    payable: &pb::Payable,
    mut form: PayForm,
    errors: Vec<FieldError>,
) -> Response {
    super::fresh_request_id(&mut form.request_id);
    let mut page = Page::new(
        "Record a payment to a supplier",
        Some(officer),
        Section::Income,
    );
    page.error_count = errors.len();
    render(&PayPage {
        page,
        action: path(&payable.payable_id),
        payable: Row::of(payable, ""),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn new_payment(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(query): Query<PayQuery>,
) -> Result<Response, PageError> {
    officer.require(INCOME)?;
    let payable = unpaid(&state, &officer, &id, &query.from, &path(&id)).await?;
    let form = PayForm {
        from: query.from,
        ..Default::default()
    };
    Ok(page(&officer, &payable, form, Vec::new()))
}

pub async fn pay(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<PayForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(INCOME)?;
    let path = path(&id);
    let request = match form.request(&id) {
        Ok(request) => request,
        Err(errors) => {
            let payable = unpaid(&state, &officer, &id, &form.from, &path).await?;
            return Ok(page(&officer, &payable, form, errors));
        }
    };
    let answer = state
        .rent(&officer, &path)
        .await?
        .pay_payable(request)
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?paid=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, &path)?;
            let payable = unpaid(&state, &officer, &id, &form.from, &path).await?;
            Ok(page(&officer, &payable, form, errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payable_lists_in_pounds_with_a_way_to_pay_it_until_paid() {
        let mut payable = pb::Payable {
            payable_id: "p1".into(),
            kind: PayableKind::RemovalsAndStorage as i32,
            payee: "Borough Removals Ltd".into(),
            reference: "removal BR-1".into(),
            amount_pence: 1_234_550,
            paid: false,
            paid_on: String::new(),
        };
        let row = Row::of(&payable, "after/this");
        assert_eq!(row.amount, "£12,345.50");
        assert_eq!(row.kind, "Removals and storage");
        assert_eq!(
            row.pay_href.as_deref(),
            Some("/income/payables/p1/pay?from=after%2Fthis")
        );
        payable.paid = true;
        payable.paid_on = "2026-12-05".into();
        let row = Row::of(&payable, "");
        assert_eq!(row.paid_on, "5 December 2026");
        assert!(row.pay_href.is_none());
    }

    #[test]
    fn a_payment_needs_a_real_date() {
        let form = PayForm {
            request_id: "r".into(),
            paid: DateParts {
                day: "31".into(),
                month: "2".into(),
                year: "2026".into(),
            },
            ..Default::default()
        };
        let errors = form.request("p1").unwrap_err();
        assert_eq!(errors[0].field.as_deref(), Some("paid_on"));
        assert_eq!(errors[0].message, "The date paid must be a real date");
    }
}
