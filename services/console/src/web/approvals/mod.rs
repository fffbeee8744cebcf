//! The manager's approvals queue: removals and storage, and write-offs, each approved or
//! declined with the reason; providers' invoices, under-occupation incentives and decant
//! payments, each approved from its own page after its details. Only a manager sees it or
//! may post to it; the services refuse anyone else as well.

pub mod decants;
pub mod incentives;
pub mod invoices;
mod removals;
mod write_offs;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::auth::Role;
use housing_proto::accommodation::v1::{self as ta, InvoiceStatus, RemovalStatus};
use housing_proto::nominations::v1::{self as noms, DecantStatus, IncentiveStatus};
use housing_proto::rent::v1::{self as rent, WriteOffStatus};
use serde::Deserialize;

use super::people::People;
use super::{FieldError, Page, PageError, Section, refusal, render};
use crate::session::Officer;

pub const DECIDE: &[Role] = &[Role::Manager];
const PATH: &str = "/approvals";
/// Each queue shows this many, oldest first; the rest come as these are decided.
const SHOWN: i32 = 50;

/// What a manager approves or declines in the queue itself.
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
    /// The page the item is checked and approved on, and its link's words, when it is not
    /// decided in the queue.
    pub review: Option<(String, &'static str)>,
    /// Empty when the service works the amount out on approval.
    pub amount: String,
    /// What the asking row is called: who asked, or what put the item in the queue.
    pub asked_label: &'static str,
    pub asked_by: String,
    pub asked_at: String,
}

/// A section of the queue: its heading, the id it is linked to from the home page, and
/// its items.
pub struct Part<'a> {
    pub heading: &'static str,
    pub id: &'static str,
    pub items: &'a [Item],
}

#[derive(Template)]
#[template(path = "approvals/queue.html")]
struct Queue<'a> {
    page: Page<'a>,
    removals: Vec<Item>,
    write_offs: Vec<Item>,
    invoices: Vec<Item>,
    incentives: Vec<Item>,
    decants: Vec<Item>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

impl Queue<'_> {
    fn sections(&self) -> [Part<'_>; 5] {
        let part = |heading, id, items| Part { heading, id, items };
        [
            part("Removals and storage", "removals", &self.removals),
            part("Write-offs", "write-offs", &self.write_offs),
            part("Providers' invoices", "invoices", &self.invoices),
            part(
                "Under-occupation incentives",
                "incentives",
                &self.incentives,
            ),
            part("Decant payments", "decants", &self.decants),
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

/// What waits on a manager in each service, a page of each, oldest first.
pub struct Waiting {
    pub removals: ta::ListRemovalsResponse,
    pub write_offs: rent::ListWriteOffsResponse,
    pub invoices: ta::ListInvoicesResponse,
    pub incentives: noms::ListIncentivesResponse,
    pub decants: noms::ListDecantsResponse,
}

/// Reads what waits, `page_size` of each; the home page counts it, the queue lists it.
pub async fn waiting(
    state: &super::State,
    officer: &Officer,
    page_size: i32,
    path: &str,
) -> Result<Waiting, PageError> {
    let status = |s| PageError::from_status(s, path);
    let accommodation = state.accommodation(officer, path).await?;
    let (mut removals, mut invoices) = (accommodation.clone(), accommodation);
    let mut write_offs = state.rent(officer, path).await?;
    let nominations = state.nominations(officer, path).await?;
    let (mut incentives, mut decants) = (nominations.clone(), nominations);
    // The five queues, from three services, asked side by side: the home page waits for the
    // slowest, not for all five in turn.
    let (removals, invoices, write_offs, incentives, decants) = tokio::try_join!(
        removals.list_removals(ta::ListRemovalsRequest {
            page_size,
            status: RemovalStatus::AwaitingApproval as i32,
            ..Default::default()
        }),
        invoices.list_invoices(ta::ListInvoicesRequest {
            page_size,
            status: InvoiceStatus::AwaitingApproval as i32,
            ..Default::default()
        }),
        write_offs.list_write_offs(rent::ListWriteOffsRequest {
            status: WriteOffStatus::Pending as i32,
            page_size,
            ..Default::default()
        }),
        incentives.list_incentives(noms::ListIncentivesRequest {
            page_size,
            status: IncentiveStatus::AwaitingApproval as i32,
            ..Default::default()
        }),
        // A moved household's payments are what waits; before its move there is nothing to pay.
        decants.list_decants(noms::ListDecantsRequest {
            page_size,
            status: DecantStatus::Moved as i32,
            ..Default::default()
        }),
    )
    .map_err(status)?;
    Ok(Waiting {
        removals: removals.into_inner(),
        write_offs: write_offs.into_inner(),
        invoices: invoices.into_inner(),
        incentives: incentives.into_inner(),
        decants: decants.into_inner(),
    })
}

async fn queue_page(
    state: &super::State,
    officer: &Officer,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    let waiting = waiting(state, officer, SHOWN, PATH).await?;
    let (removals, write_offs, invoices, decants) = (
        waiting.removals.removals,
        waiting.write_offs.write_offs,
        waiting.invoices.invoices,
        waiting.decants.decants,
    );
    let asked_by = removals
        .iter()
        .map(|r| r.requested_by.as_str())
        .chain(write_offs.iter().map(|w| w.requested_by.as_str()))
        .chain(invoices.iter().map(|i| i.submitted_by.as_str()))
        .chain(decants.iter().map(|d| d.created_by.as_str()));
    let people = People::of(state, officer, asked_by).await?;
    let mut page = Page::new("Approvals", Some(officer), Section::Approvals);
    page.error_count = errors.len();
    Ok(render(&Queue {
        page,
        removals: removals
            .into_iter()
            .map(|r| removals::removal_item(r, &people))
            .collect(),
        write_offs: write_offs
            .into_iter()
            .map(|w| write_offs::write_off_item(w, &people))
            .collect(),
        invoices: invoices
            .into_iter()
            .map(|i| invoices::invoice_item(i, &people))
            .collect(),
        incentives: waiting
            .incentives
            .incentives
            .into_iter()
            .map(incentives::incentive_item)
            .collect(),
        decants: decants
            .into_iter()
            .map(|d| decants::decant_item(d, &people))
            .collect(),
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
    match kind {
        Kind::Removals => removals::decide(state, officer, id.to_owned(), approve, reason).await,
        Kind::WriteOffs => write_offs::decide(state, officer, id.to_owned(), approve, reason).await,
    }
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
