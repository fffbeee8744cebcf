//! Temporary accommodation: the TA officer's placements by state and the B&B clock, a
//! placement request started from a register application, units ranked with every
//! constraint and score part explained, placing, and a placement's page with its decisions,
//! stays and clocks, and closing it; the providers and their agreements, the units with
//! their certificates, providers' invoices, voids, and the moves the portfolio optimiser
//! proposes.

mod arrears;
mod close;
mod concerns;
mod invoices;
mod matching;
mod optimiser;
mod providers;
mod request;
mod s213aa;
mod sign_up;
mod stock;
mod transfer;
mod voids;

pub use arrears::{arrears_queue, decide_arrears_review, edit_arrears_review};
pub use close::{close_placement, edit_close};
pub use concerns::{act_on_concern, edit_concern, log_concern, new_concern};
pub use invoices::list as invoices;
pub use matching::{confirm_place, place, rank};
pub use optimiser::{apply_proposal, proposals};
pub use providers::{
    add_agreement, create_provider, new_agreement, new_provider, provider, providers,
};
pub use request::{create_request, new_request};
pub use s213aa::{edit_s213aa, record_s213aa};
pub use sign_up::{upload, verify};
pub use stock::{edit_renewal, edit_withdrawal, renew_certificate, unit, units, withdraw_unit};
pub use transfer::{new_transfer, transfer};
pub use voids::show as voids;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use housing_platform::auth::Role;
use housing_platform::money::Pence;
use housing_proto::accommodation::v1::{self as pb, PlacementStatus, RemovalKind, UnitType};
use serde::Deserialize;

use super::people::People;
use super::{FieldError, Page, PageError, Section, encode, render};
use crate::format;
use crate::session::Officer;
pub use crate::web::Tab as TabLink;

/// Who works temporary accommodation (as the service allows).
pub const WORK: &[Role] = &[Role::TaOfficer, Role::Manager];

/// The six-week limit on families in B&B (Suitability Order 2003): the day the warning shows,
/// and the day it is breached.
pub const BNB_WARNING_DAY: i32 = 35;
pub const BNB_LIMIT_DAY: i32 = 42;

pub fn unit_type_words(unit_type: i32) -> &'static str {
    match UnitType::try_from(unit_type).unwrap_or(UnitType::Unspecified) {
        UnitType::BedAndBreakfast => "Bed and breakfast",
        UnitType::NightlyPaidSelfContained => "Nightly paid, self-contained",
        UnitType::Hostel => "Hostel",
        UnitType::PrivateSectorLeased => "Private sector leased",
        UnitType::SocialHousingStock => "Council or housing association stock",
        UnitType::Other | UnitType::Unspecified => "Other",
    }
}

pub fn status_tag(status: i32) -> (&'static str, &'static str) {
    match PlacementStatus::try_from(status).unwrap_or(PlacementStatus::Unspecified) {
        PlacementStatus::Offered => ("Awaiting sign-up", "govuk-tag--blue"),
        PlacementStatus::Active => ("Active", "govuk-tag--green"),
        PlacementStatus::Closed => ("Closed", "govuk-tag--grey"),
        PlacementStatus::Unspecified => ("Unknown", "govuk-tag--grey"),
    }
}

/// The queues of the placements page: a tab each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Offered,
    Active,
    BnbWarning,
    BnbBreached,
    S208Due,
    Closed,
}

const TABS: [(Tab, &str, &str); 6] = [
    (Tab::Offered, "offered", "Awaiting sign-up"),
    (Tab::Active, "active", "Active"),
    (Tab::BnbWarning, "bnb-35", "Families in B&B, day 35 or more"),
    (
        Tab::BnbBreached,
        "bnb-42",
        "Families in B&B, six weeks or more",
    ),
    (Tab::S208Due, "s208", "s.208 notices due"),
    (Tab::Closed, "closed", "Closed"),
];

impl Tab {
    fn request(self, page_token: String) -> pb::ListPlacementsRequest {
        use pb::S208NoticeStanding as S208;
        let (status, bnb_day, s208) = match self {
            Tab::Offered => (PlacementStatus::Offered, None, S208::Unspecified),
            Tab::Active => (PlacementStatus::Active, None, S208::Unspecified),
            Tab::BnbWarning => (
                PlacementStatus::Unspecified,
                Some(BNB_WARNING_DAY),
                S208::Unspecified,
            ),
            Tab::BnbBreached => (
                PlacementStatus::Unspecified,
                Some(BNB_LIMIT_DAY),
                S208::Unspecified,
            ),
            Tab::S208Due => (PlacementStatus::Unspecified, None, S208::Outstanding),
            Tab::Closed => (PlacementStatus::Closed, None, S208::Unspecified),
        };
        pb::ListPlacementsRequest {
            page_size: PAGE_SIZE,
            page_token,
            status: status as i32,
            bnb_clock_day_at_least: bnb_day,
            s208_notice: s208 as i32,
            ..Default::default()
        }
    }
}

const PAGE_SIZE: i32 = 25;

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    show: String,
    #[serde(default)]
    page: String,
}

/// The section's own pages, as its sub-navigation lists them.
const SECTIONS: [(&str, &str); 6] = [
    ("/accommodation", "Placements"),
    ("/accommodation/providers", "Providers"),
    ("/accommodation/units", "Units"),
    ("/accommodation/invoices", "Invoices"),
    ("/accommodation/voids", "Voids"),
    ("/accommodation/optimiser", "Proposed moves"),
];

/// The section's sub-navigation, the page at `current` marked.
pub fn sections(current: &str) -> Vec<TabLink> {
    SECTIONS
        .iter()
        .map(|(href, text)| TabLink {
            text,
            href: (*href).to_owned(),
            current: *href == current,
        })
        .collect()
}

pub struct Row {
    pub id: String,
    pub address: String,
    pub unit_type: &'static str,
    pub status: (&'static str, &'static str),
    pub since: String,
    pub days: i32,
    pub rent: String,
    /// "Day 43 of 42" for a family in B&B, and whether that is past the limit.
    pub bnb: Option<(String, bool)>,
    /// "Due 20 December 2026" while the s.208 notice is outstanding, and whether it is overdue.
    pub s208: Option<(String, bool)>,
}

fn row(p: pb::PlacementSummary, today: &str) -> Row {
    Row {
        // ISO dates order as text.
        s208: (!p.s208_due_on.is_empty()).then(|| {
            let due = format::date(&p.s208_due_on);
            if p.s208_due_on.as_str() < today {
                (format!("Overdue: was due {due}"), true)
            } else {
                (format!("Due {due}"), false)
            }
        }),
        address: p.unit_address,
        unit_type: unit_type_words(p.unit_type),
        status: status_tag(p.status),
        since: format::date(&p.start_date),
        days: p.days_in_placement,
        rent: Pence::new(p.weekly_rent_pence).to_string(),
        bnb: p.bnb_clock_day.map(|day| {
            (
                format!("Day {day} of {BNB_LIMIT_DAY}"),
                day >= BNB_LIMIT_DAY,
            )
        }),
        id: p.placement_id,
    }
}

#[derive(Template)]
#[template(path = "accommodation/queue.html")]
struct QueuePage<'a> {
    page: Page<'a>,
    sections: Vec<TabLink>,
    tabs: Vec<TabLink>,
    rows: Vec<Row>,
    next_page: Option<String>,
}

pub async fn queue(
    State(state): State<super::State>,
    officer: Officer,
    Query(query): Query<QueueQuery>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let path = "/accommodation";
    let (tab, value) = TABS
        .iter()
        .find(|(_, v, _)| *v == query.show)
        .map(|(t, v, _)| (*t, *v))
        .unwrap_or((Tab::Offered, "offered"));
    let found = state
        .accommodation(&officer, path)
        .await?
        .list_placements(tab.request(query.page.clone()))
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner();
    let today = housing_platform::time::format_date(housing_platform::time::today());
    let next_page = (!found.next_page_token.is_empty()).then(|| {
        format!(
            "{path}?show={value}&page={}",
            encode(&found.next_page_token)
        )
    });
    Ok(render(&QueuePage {
        page: Page::new(
            "Temporary accommodation",
            Some(&officer),
            Section::Accommodation,
        ),
        sections: sections(path),
        tabs: TABS
            .iter()
            .map(|(t, v, text)| TabLink {
                text,
                href: format!("{path}?show={v}"),
                current: *t == tab,
            })
            .collect(),
        rows: found
            .placements
            .into_iter()
            .map(|p| row(p, &today))
            .collect(),
        next_page,
    }))
}

pub struct Event {
    pub title: String,
    pub by: String,
    pub at: String,
    pub reason: String,
}

pub struct StayView {
    pub address: String,
    pub unit_type: &'static str,
    pub authority: String,
    pub from: String,
    pub to: String,
}

pub struct NoticeView {
    pub authority: String,
    pub due: String,
    pub sent: String,
}

pub struct RemovalView {
    pub what: &'static str,
    pub supplier: String,
    pub amount: String,
    pub state: &'static str,
}

#[derive(Template)]
#[template(path = "accommodation/placement.html")]
struct PlacementPage<'a> {
    page: Page<'a>,
    id: String,
    status: (&'static str, &'static str),
    open: bool,
    application_id: String,
    start: String,
    end: String,
    rent: String,
    service_charge: String,
    signed_up: String,
    duty_ends: String,
    stays: Vec<StayView>,
    events: Vec<Event>,
    notices: Vec<NoticeView>,
    removals: Vec<RemovalView>,
    letters: Vec<crate::web::letters::LetterRow>,
    /// Reviews of ending the placement for rent arrears, the first referred first.
    arrears_reviews: Vec<arrears::ReviewView>,
    /// For a household with a child: telling the school, GP and health visitors.
    s213aa: Option<s213aa::NotificationView>,
    /// Concerns about the home the household is in now.
    concerns: Vec<concerns::ConcernView>,
    active: bool,
    notice: Option<&'static str>,
    /// While offered: the sign-up checklist, once the documents service has opened it.
    offered: bool,
    checklist: Option<Vec<sign_up::ItemView>>,
    csrf_token: &'a str,
    /// Made when the page is shown: an upload posted twice is taken once.
    upload_request_id: String,
    max_file_mb: usize,
    errors: Vec<FieldError>,
}

impl PlacementPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    #[serde(default)]
    placed: Option<String>,
    #[serde(default)]
    closed: Option<String>,
    #[serde(default)]
    uploaded: Option<String>,
    #[serde(default)]
    verified: Option<String>,
    #[serde(default)]
    transferred: Option<String>,
    #[serde(default)]
    concern_logged: Option<String>,
    #[serde(default)]
    concern_acted: Option<String>,
    #[serde(default)]
    arrears_decided: Option<String>,
    #[serde(default)]
    s213aa_recorded: Option<String>,
}

fn decision_words(decision: &str) -> String {
    match decision {
        "started" => "Placed".into(),
        "signed_up" => "Signed up".into(),
        "transferred" => "Transferred to another unit".into(),
        "duty_ended" => "Duty ended".into(),
        "closed" => "Closed".into(),
        "kept_after_arrears_review" => "Kept after a rent arrears referral".into(),
        other => super::sentence(&other.replace('_', " ")),
    }
}

/// The placement `id`, for a page at `path`.
async fn fetch(
    state: &super::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<pb::Placement, PageError> {
    state
        .accommodation(officer, path)
        .await?
        .get_placement(pb::GetPlacementRequest {
            placement_id: id.to_owned(),
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .placement
        .ok_or(PageError::NotFound)
}

pub async fn show(
    State(state): State<super::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, PageError> {
    let notice = if shown.placed.is_some() {
        Some(
            "The household has been placed. The placement is live once the sign-up checklist is complete",
        )
    } else if shown.closed.is_some() {
        Some("The placement has been closed")
    } else if shown.uploaded.is_some() {
        Some("The document has been uploaded: check it and verify it")
    } else if shown.verified.is_some() {
        Some("The document has been verified")
    } else if shown.transferred.is_some() {
        Some("The household has been moved")
    } else if shown.concern_logged.is_some() {
        Some("The concern has been logged")
    } else if shown.concern_acted.is_some() {
        Some("The concern has been recorded as acted on or escalated")
    } else if shown.arrears_decided.is_some() {
        Some("The decision on the rent arrears referral has been recorded")
    } else if shown.s213aa_recorded.is_some() {
        Some("The parent's answer has been recorded")
    } else {
        None
    };
    placement_page(&state, &officer, &id, Vec::new(), notice).await
}

async fn placement_page(
    state: &super::State,
    officer: &Officer,
    id: &str,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let path = format!("/accommodation/placements/{id}");
    let placement = fetch(state, officer, id, &path).await?;
    let mut client = state.accommodation(officer, &path).await?;
    let removals = client
        .list_removals(pb::ListRemovalsRequest {
            placement_id: id.to_owned(),
            page_size: 100,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .removals
        .into_iter()
        .map(|r| RemovalView {
            what: match RemovalKind::try_from(r.kind) {
                Ok(RemovalKind::Storage) => "Storage",
                _ => "Removal",
            },
            supplier: r.supplier_name,
            amount: Pence::new(r.amount_pence).to_string(),
            state: match pb::RemovalStatus::try_from(r.status) {
                Ok(pb::RemovalStatus::Approved) => "Approved",
                Ok(pb::RemovalStatus::Declined) => "Declined",
                _ => "Awaiting a manager",
            },
        })
        .collect();
    let offered = placement.status == PlacementStatus::Offered as i32;
    let checklist = if offered {
        sign_up::checklist(state, officer, id, &path).await?
    } else {
        None
    };
    let letters =
        crate::web::letters::of_application(state, officer, &placement.application_id, &path)
            .await?;
    let concerns = if placement.unit_id.is_empty() {
        Vec::new()
    } else {
        concerns::about_unit(state, officer, &placement.unit_id, &path).await?
    };
    let people = People::of(
        state,
        officer,
        placement
            .decisions
            .iter()
            .map(|d| d.decided_by.as_str())
            .chain(
                placement
                    .closure_reviews
                    .iter()
                    .map(|r| r.decided_by.as_str()),
            ),
    )
    .await?;
    let arrears_reviews = placement
        .closure_reviews
        .iter()
        .map(|r| arrears::ReviewView::new(r, &people))
        .collect();
    let mut events: Vec<Event> = placement
        .decisions
        .iter()
        .map(|d| Event {
            title: decision_words(&d.decision),
            by: people.who(&d.decided_by),
            at: format::timestamp(d.decided_at.as_ref()),
            reason: d.reason.clone(),
        })
        .collect();
    // Newest first, as a timeline reads.
    events.reverse();
    let mut page = Page::new(
        format!(
            "Placement {} from {}",
            placement.reference,
            format::date(&placement.start_date)
        ),
        Some(officer),
        Section::Accommodation,
    );
    page.error_count = errors.len();
    Ok(render(&PlacementPage {
        page,
        status: status_tag(placement.status),
        open: placement.status != PlacementStatus::Closed as i32,
        offered,
        checklist,
        application_id: placement.application_id.clone(),
        letters,
        arrears_reviews,
        s213aa: placement
            .s213aa_notification
            .as_ref()
            .map(s213aa::NotificationView::new),
        concerns,
        active: placement.status == PlacementStatus::Active as i32,
        start: format::date(&placement.start_date),
        end: format::date(&placement.end_date),
        rent: Pence::new(placement.weekly_rent_pence).to_string(),
        service_charge: Pence::new(placement.weekly_service_charge_pence).to_string(),
        signed_up: format::timestamp(placement.signed_up_at.as_ref()),
        duty_ends: format::date(&placement.duty_ends_on),
        stays: placement
            .stays
            .iter()
            .map(|s| StayView {
                address: s.address.clone(),
                unit_type: unit_type_words(s.unit_type),
                authority: s.local_authority.clone(),
                from: format::date(&s.from_date),
                to: format::date(&s.to_date),
            })
            .collect(),
        notices: placement
            .s208_notifications
            .iter()
            .map(|n| NoticeView {
                authority: n.receiving_authority.clone(),
                due: format::date(&n.due_on),
                sent: format::date(&n.sent_on),
            })
            .collect(),
        events,
        removals,
        notice,
        csrf_token: &officer.csrf_token,
        upload_request_id: uuid::Uuid::new_v4().to_string(),
        max_file_mb: crate::web::evidence::MAX_FILE_MB,
        errors,
        id: id.to_owned(),
    }))
}
