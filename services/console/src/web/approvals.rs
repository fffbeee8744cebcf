//! The manager's approvals queue: removals and storage, and write-offs, each approved or
//! declined with the reason; providers' invoices, under-occupation incentives and decant
//! payments, approved. Only a manager sees it or may post to it; the services refuse anyone
//! else as well.
//!
//! No service lists the moves or decants waiting to be paid (nominations has no such RPC),
//! so the manager finds each by its reference. An invoice is approved from its own page,
//! after its lines: the accommodation service cannot decline one.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveDate};
use housing_platform::auth::Role;
use housing_platform::money::Pence;
use housing_platform::words::count;
use housing_proto::accommodation::v1::{self as ta, InvoiceStatus, RemovalKind, RemovalStatus};
use housing_proto::nominations::v1::{self as noms, DecantStatus, DecantTenure, NominationStatus};
use housing_proto::register::v1 as reg;
use housing_proto::rent::v1::{self as rent, WriteOffDecision, WriteOffStatus};
use serde::Deserialize;

use super::people::People;
use super::{FieldError, Page, PageError, Section, refusal, render};
use crate::format;
use crate::session::Officer;

pub const DECIDE: &[Role] = &[Role::Manager];
const PATH: &str = "/approvals";
/// Each queue shows this many, oldest first; the rest come as these are decided.
const SHOWN: i32 = 50;

/// What a manager approves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Removals,
    WriteOffs,
}

impl Kind {
    fn slug(self) -> &'static str {
        match self {
            Kind::Removals => "removals",
            Kind::WriteOffs => "write-offs",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Removals => "removal or storage",
            Kind::WriteOffs => "write-off",
        }
    }
}

pub struct Item {
    pub kind: &'static str,
    pub id: String,
    pub what: String,
    pub detail: String,
    pub link: Option<(String, String)>,
    /// The page the item is checked and approved on, when it is not decided in the queue.
    pub review: Option<String>,
    pub amount: String,
    pub asked_by: String,
    pub asked_at: String,
}

#[derive(Template)]
#[template(path = "approvals/queue.html")]
struct Queue<'a> {
    page: Page<'a>,
    removals: Vec<Item>,
    write_offs: Vec<Item>,
    invoices: Vec<Item>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

impl Queue<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }

    fn sections(&self) -> [(&'static str, &[Item]); 3] {
        [
            ("Removals and storage", &self.removals),
            ("Write-offs", &self.write_offs),
            ("Providers' invoices", &self.invoices),
        ]
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    approved: Option<String>,
    #[serde(default)]
    declined: Option<String>,
}

fn removal_item(removal: ta::Removal, people: &People) -> Item {
    let kind = match RemovalKind::try_from(removal.kind) {
        Ok(RemovalKind::Storage) => "Storage of belongings",
        _ => "Removal of belongings",
    };
    Item {
        kind: Kind::Removals.slug(),
        what: kind.to_owned(),
        detail: format!(
            "{}, reference {}",
            removal.supplier_name, removal.supplier_reference
        ),
        link: None,
        review: None,
        amount: Pence::new(removal.amount_pence).to_string(),
        asked_by: super::sentence(&people.who(&removal.requested_by)),
        asked_at: format::timestamp(removal.requested_at.as_ref()),
        id: removal.removal_id,
    }
}

/// A reason as a sentence, ending with a full stop.
fn full_stop(reason: &str) -> String {
    let reason = reason.trim();
    if reason.ends_with(['.', '!', '?']) {
        reason.to_owned()
    } else {
        format!("{reason}.")
    }
}

fn write_off_item(write_off: rent::WriteOff, people: &People) -> Item {
    Item {
        kind: Kind::WriteOffs.slug(),
        what: format!("Write off arrears on {}", write_off.payment_reference),
        detail: format!(
            "{} The account stands at {}.",
            full_stop(&write_off.reason),
            super::income::balance_words(write_off.account_balance_pence).to_lowercase()
        ),
        link: Some((
            format!("/income/accounts/{}", write_off.account_id),
            format!("View the account {}", write_off.payment_reference),
        )),
        review: None,
        amount: Pence::new(write_off.amount_pence).to_string(),
        asked_by: super::sentence(&people.who(&write_off.requested_by)),
        asked_at: format::timestamp(write_off.requested_at.as_ref()),
        id: write_off.write_off_id,
    }
}

/// The nights from `start` up to, not including, `end` (ISO dates): "1 December 2026 to
/// 7 December 2026, 7 nights"; dates the service never sends, as they came.
fn period(start: &str, end: &str) -> String {
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

fn invoice_path(invoice_id: &str) -> String {
    format!("{PATH}/invoices/{invoice_id}")
}

fn invoice_item(invoice: ta::Invoice, people: &People) -> Item {
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
        review: Some(invoice_path(&invoice.invoice_id)),
        amount: Pence::new(invoice.invoiced_pence).to_string(),
        asked_by: super::sentence(&people.who(&invoice.submitted_by)),
        asked_at: format::timestamp(invoice.submitted_at.as_ref()),
        id: invoice.invoice_id,
    }
}

async fn queue_page(
    state: &super::State,
    officer: &Officer,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    let removals = state
        .accommodation(officer, PATH)
        .await?
        .list_removals(ta::ListRemovalsRequest {
            page_size: SHOWN,
            status: RemovalStatus::AwaitingApproval as i32,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner()
        .removals;
    let write_offs = state
        .rent(officer, PATH)
        .await?
        .list_write_offs(rent::ListWriteOffsRequest {
            status: WriteOffStatus::Pending as i32,
            page_size: SHOWN,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner()
        .write_offs;
    let invoices = state
        .accommodation(officer, PATH)
        .await?
        .list_invoices(ta::ListInvoicesRequest {
            page_size: SHOWN,
            status: InvoiceStatus::AwaitingApproval as i32,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner()
        .invoices;
    let asked_by = removals
        .iter()
        .map(|r| r.requested_by.as_str())
        .chain(write_offs.iter().map(|w| w.requested_by.as_str()))
        .chain(invoices.iter().map(|i| i.submitted_by.as_str()));
    let people = People::of(state, officer, asked_by).await?;
    let removals = removals
        .into_iter()
        .map(|r| removal_item(r, &people))
        .collect();
    let write_offs = write_offs
        .into_iter()
        .map(|w| write_off_item(w, &people))
        .collect();
    let invoices = invoices
        .into_iter()
        .map(|i| invoice_item(i, &people))
        .collect();
    let mut page = Page::new("Approvals", Some(officer), Section::Approvals);
    page.error_count = errors.len();
    Ok(render(&Queue {
        page,
        removals,
        write_offs,
        invoices,
        csrf_token: &officer.csrf_token,
        errors,
        notice,
    }))
}

pub async fn queue(
    State(state): State<super::State>,
    officer: Officer,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let notice = if done.approved.is_some() {
        Some("Approved: it will be paid or posted now")
    } else if done.declined.is_some() {
        Some("Declined, with your reason recorded")
    } else {
        None
    };
    queue_page(&state, &officer, Vec::new(), notice).await
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

/// Asks the service that owns the item to approve or decline it: the service's refusal,
/// if it refused.
async fn decide(
    state: &super::State,
    officer: &Officer,
    kind: Kind,
    id: &str,
    approve: bool,
    reason: &str,
) -> Result<Result<(), tonic::Status>, PageError> {
    let reason = reason.trim().to_owned();
    let answer = match kind {
        Kind::Removals => {
            let mut client = state.accommodation(officer, PATH).await?;
            let removal_id = id.to_owned();
            if approve {
                client
                    .approve_removal(ta::ApproveRemovalRequest { removal_id })
                    .await
                    .map(drop)
            } else {
                client
                    .decline_removal(ta::DeclineRemovalRequest { removal_id, reason })
                    .await
                    .map(drop)
            }
        }
        Kind::WriteOffs => {
            let decision = if approve {
                WriteOffDecision::Approve
            } else {
                WriteOffDecision::Decline
            };
            state
                .rent(officer, PATH)
                .await?
                .decide_write_off(rent::DecideWriteOffRequest {
                    write_off_id: id.to_owned(),
                    decision: decision as i32,
                    reason,
                })
                .await
                .map(drop)
        }
    };
    Ok(answer)
}

pub async fn approve(
    State(state): State<super::State>,
    officer: Officer,
    Path((kind, id)): Path<(Kind, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(DECIDE)?;
    match decide(&state, &officer, kind, &id, true, &form.reason).await? {
        Ok(()) => Ok(Redirect::to(&format!("{PATH}?approved=1")).into_response()),
        Err(status) => queue_page(&state, &officer, refusal(status, PATH)?, None).await,
    }
}

#[derive(Template)]
#[template(path = "approvals/decline.html")]
struct DeclinePage<'a> {
    page: Page<'a>,
    action: String,
    form: DecisionForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl DeclinePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn decline_page(
    officer: &Officer,
    kind: Kind,
    id: &str,
    form: DecisionForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new(
        format!("Decline the {}", kind.noun()),
        Some(officer),
        Section::Approvals,
    );
    page.error_count = errors.len();
    render(&DeclinePage {
        page,
        action: format!("{PATH}/{}/{id}/decline", kind.slug()),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn edit_decline(
    officer: Officer,
    Path((kind, id)): Path<(Kind, String)>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    Ok(decline_page(
        &officer,
        kind,
        &id,
        DecisionForm::default(),
        Vec::new(),
    ))
}

pub async fn decline(
    State(state): State<super::State>,
    officer: Officer,
    Path((kind, id)): Path<(Kind, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(DECIDE)?;
    if form.reason.trim().is_empty() {
        let errors = vec![FieldError::on("reason", "Enter why you are declining it")];
        return Ok(decline_page(&officer, kind, &id, form, errors));
    }
    match decide(&state, &officer, kind, &id, false, &form.reason).await? {
        Ok(()) => Ok(Redirect::to(&format!("{PATH}?declined=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, PATH)?;
            Ok(decline_page(&officer, kind, &id, form, errors))
        }
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
    state: &super::State,
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
    State(state): State<super::State>,
    officer: Officer,
    Path(invoice_id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    invoice_page(&state, &officer, &invoice_id, Vec::new()).await
}

pub async fn approve_invoice(
    State(state): State<super::State>,
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

/// The query of the queue's find forms: an application's or a decant's reference.
#[derive(Debug, Default, Deserialize)]
pub struct Find {
    #[serde(default)]
    reference: String,
}

/// The field of the queue's find form for incentives.
const FIND_MOVE: &str = "incentive-reference";
/// The field of the queue's find form for decants.
const FIND_DECANT: &str = "decant-reference";

/// The queue again, with why `reference` found nothing in the find form `field`.
async fn not_found(
    state: &super::State,
    officer: &Officer,
    field: &str,
    what: &str,
    reference: &str,
) -> Result<Response, PageError> {
    let message = if reference.is_empty() {
        format!("Enter the {what} reference")
    } else {
        format!("No {what} has the reference {reference}")
    };
    queue_page(state, officer, vec![FieldError::on(field, message)], None).await
}

/// Finds the application of a tenant who moved, by its reference, for its incentive.
pub async fn find_incentive(
    State(state): State<super::State>,
    officer: Officer,
    Query(find): Query<Find>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    let reference = find.reference.trim();
    let found = if reference.is_empty() {
        None
    } else {
        state
            .register(&officer, PATH)
            .await?
            .search_applications(reg::SearchApplicationsRequest {
                reference: reference.to_owned(),
                page_size: 1,
                ..Default::default()
            })
            .await
            .map_err(|s| PageError::from_status(s, PATH))?
            .into_inner()
            .applications
            .into_iter()
            .next()
    };
    match found {
        Some(a) => Ok(Redirect::to(&incentive_path(&a.application_id)).into_response()),
        None => not_found(&state, &officer, FIND_MOVE, "application", reference).await,
    }
}

fn incentive_path(application_id: &str) -> String {
    format!("{PATH}/incentives/{application_id}")
}

#[derive(Debug, Default, Deserialize)]
pub struct IncentiveForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the page is shown: approving twice pays once.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    payee_name: String,
}

#[derive(Template)]
#[template(path = "approvals/incentive.html")]
struct IncentivePage<'a> {
    page: Page<'a>,
    action: String,
    application_id: String,
    reference: String,
    lead_name: String,
    home_left: String,
    lets: Vec<super::nominations::ApplicationNomination>,
    form: IncentiveForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl IncentivePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

/// The home the household left, as the register holds it: "Council tenant, 3 bedrooms".
fn home_left(circumstances: Option<&reg::HousingCircumstances>) -> String {
    let Some(c) = circumstances else {
        return "Not recorded".into();
    };
    let tenure = match c.tenure() {
        reg::Tenure::CouncilTenant => "Council tenant",
        reg::Tenure::HousingAssociationTenant => "Housing association tenant",
        _ => "Not a social tenant",
    };
    match c.current_bedrooms {
        Some(1) => format!("{tenure}, 1 bedroom"),
        Some(n) => format!("{tenure}, {n} bedrooms"),
        None => format!("{tenure}, bedrooms not recorded"),
    }
}

async fn incentive_page(
    state: &super::State,
    officer: &Officer,
    application_id: &str,
    mut form: IncentiveForm,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let path = incentive_path(application_id);
    let application = state
        .register(officer, &path)
        .await?
        .get_application(reg::GetApplicationRequest {
            application_id: application_id.to_owned(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .application
        .ok_or(PageError::NotFound)?;
    let lets = super::nominations::of_application(state, officer, application_id, &path)
        .await?
        .into_iter()
        .filter(|n| n.status == super::nominations::nomination_status(NominationStatus::Let as i32))
        .collect();
    let lead_name = application
        .lead_applicant
        .as_ref()
        .map(|l| format!("{} {}", l.given_name, l.family_name))
        .unwrap_or_default();
    if form.request_id.is_empty() {
        form.request_id = uuid::Uuid::new_v4().to_string();
        form.payee_name.clone_from(&lead_name);
    }
    let mut page = Page::new(
        "Approve an under-occupation incentive",
        Some(officer),
        Section::Approvals,
    );
    page.error_count = errors.len();
    Ok(render(&IncentivePage {
        page,
        action: path,
        application_id: application.application_id,
        reference: application.reference,
        lead_name,
        home_left: home_left(
            application
                .details
                .as_ref()
                .and_then(|d| d.circumstances.as_ref()),
        ),
        lets,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

pub async fn show_incentive(
    State(state): State<super::State>,
    officer: Officer,
    Path(application_id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    incentive_page(
        &state,
        &officer,
        &application_id,
        IncentiveForm::default(),
        Vec::new(),
    )
    .await
}

pub async fn approve_incentive(
    State(state): State<super::State>,
    officer: Officer,
    Path(application_id): Path<String>,
    Form(form): Form<IncentiveForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(DECIDE)?;
    if form.payee_name.trim().is_empty() {
        let errors = vec![FieldError::on("payee_name", "Enter who is paid")];
        return incentive_page(&state, &officer, &application_id, form, errors).await;
    }
    let path = incentive_path(&application_id);
    let answer = state
        .nominations(&officer, &path)
        .await?
        .approve_incentive(noms::ApproveIncentiveRequest {
            request_id: form.request_id.clone(),
            application_id: application_id.clone(),
            payee_name: form.payee_name.trim().to_owned(),
            // The service counts the bedrooms from the letting itself.
            bedrooms_released: 0,
        })
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?approved=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, &path)?;
            incentive_page(&state, &officer, &application_id, form, errors).await
        }
    }
}

fn decant_path(decant_id: &str) -> String {
    format!("{PATH}/decants/{decant_id}")
}

async fn get_decant(
    state: &super::State,
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

/// Finds a decant by its reference, for its payments.
pub async fn find_decant(
    State(state): State<super::State>,
    officer: Officer,
    Query(find): Query<Find>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    let reference = find.reference.trim();
    if reference.is_empty() {
        return not_found(&state, &officer, FIND_DECANT, "decant", reference).await;
    }
    match get_decant(&state, &officer, reference, PATH).await? {
        Ok(decant) => Ok(Redirect::to(&decant_path(&decant.decant_id)).into_response()),
        Err(status)
            if matches!(
                status.code(),
                tonic::Code::NotFound | tonic::Code::InvalidArgument
            ) =>
        {
            not_found(&state, &officer, FIND_DECANT, "decant", reference).await
        }
        Err(status) => Err(PageError::from_status(status, PATH)),
    }
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
            match super::income::amount(
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

fn decant_view(decant: noms::Decant, people: &People) -> DecantView {
    let status = match decant.status() {
        DecantStatus::AwaitingMove => ("Awaiting its move", "govuk-tag--blue"),
        DecantStatus::Moved => ("Moved: payments to approve", "govuk-tag--yellow"),
        DecantStatus::PaymentsApproved => ("Payments approved", "govuk-tag--green"),
        DecantStatus::Unspecified => ("Unknown", "govuk-tag--grey"),
    };
    DecantView {
        tenure: match decant.tenure() {
            DecantTenure::OwnerOccupier => "Owner-occupier",
            _ => "Tenant",
        },
        market_value: (decant.market_value_pence > 0)
            .then(|| Pence::new(decant.market_value_pence).to_string()),
        occupied_since: format::date(&decant.occupied_since),
        moved_on: format::date(&decant.moved_on),
        recorded_by: super::sentence(&people.who(&decant.created_by)),
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
    state: &super::State,
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
    State(state): State<super::State>,
    officer: Officer,
    Path(decant_id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    decant_page(&state, &officer, &decant_id, Vec::new(), Vec::new()).await
}

pub async fn approve_decant(
    State(state): State<super::State>,
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

    #[test]
    fn the_home_left_is_its_tenure_and_bedrooms() {
        let home = |tenure: reg::Tenure, bedrooms| reg::HousingCircumstances {
            tenure: tenure as i32,
            current_bedrooms: bedrooms,
            ..Default::default()
        };
        assert_eq!(
            home_left(Some(&home(reg::Tenure::CouncilTenant, Some(3)))),
            "Council tenant, 3 bedrooms"
        );
        assert_eq!(
            home_left(Some(&home(reg::Tenure::PrivateRented, Some(1)))),
            "Not a social tenant, 1 bedroom"
        );
        assert_eq!(home_left(None), "Not recorded");
    }
}
