//! The manager's approvals queue: removals and storage, and write-offs, each approved or
//! declined with the reason. Only a manager sees it or may post to it; the services refuse
//! anyone else as well.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::auth::Role;
use housing_platform::money::Pence;
use housing_proto::accommodation::v1::{self as ta, RemovalKind, RemovalStatus};
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
    csrf_token: &'a str,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

impl Queue<'_> {
    fn sections(&self) -> [(&'static str, &[Item]); 2] {
        [
            ("Removals and storage", &self.removals),
            ("Write-offs", &self.write_offs),
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
        amount: Pence::new(write_off.amount_pence).to_string(),
        asked_by: super::sentence(&people.who(&write_off.requested_by)),
        asked_at: format::timestamp(write_off.requested_at.as_ref()),
        id: write_off.write_off_id,
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
    let asked_by = removals
        .iter()
        .map(|r| r.requested_by.as_str())
        .chain(write_offs.iter().map(|w| w.requested_by.as_str()));
    let people = People::of(state, officer, asked_by).await?;
    let removals = removals
        .into_iter()
        .map(|r| removal_item(r, &people))
        .collect();
    let write_offs = write_offs
        .into_iter()
        .map(|w| write_off_item(w, &people))
        .collect();
    let mut page = Page::new("Approvals", Some(officer), Section::Approvals);
    page.error_count = errors.len();
    Ok(render(&Queue {
        page,
        removals,
        write_offs,
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
