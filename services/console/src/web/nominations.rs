//! Nominations to partner landlords: their vacancies, a vacancy's shortlist from the
//! register (band, then the date the band took effect), and the nominations waiting on a
//! partner's answer; nominating the applicant the officer chooses in [`nominate`],
//! choice-based lettings in [`adverts`] and bids placed for applicants in [`bids`].

pub mod adverts;
pub mod bids;
pub mod decants;
pub mod exchanges;
pub mod mobility;
pub mod nominate;
pub mod partners;
pub mod refusal;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use housing_platform::auth::Role;
use housing_platform::money::Pence;
use housing_proto::nominations::v1::{self as pb, NominationStatus, VacancyStatus};
use serde::Deserialize;

use super::people::People;
use super::{Page, PageError, Section, Tab, encode, render};
use crate::format;
use crate::session::Officer;

/// Who shortlists and nominates (as the nominations service allows).
pub const OFFICERS: &[Role] = &[Role::AllocationsOfficer, Role::SeniorOfficer, Role::Manager];
const PATH: &str = "/nominations";
const PAGE_SIZE: i32 = 25;
/// The shortlist shows this many, best first.
const SHORTLIST: i32 = 20;

fn vacancy_status(status: i32) -> (&'static str, &'static str) {
    match VacancyStatus::try_from(status).unwrap_or(VacancyStatus::Unspecified) {
        VacancyStatus::Open => ("Open", "govuk-tag--green"),
        VacancyStatus::Nominated => ("Nominated", "govuk-tag--blue"),
        VacancyStatus::Let => ("Let", "govuk-tag--grey"),
        VacancyStatus::Advertised => ("Advertised", "govuk-tag--purple"),
        VacancyStatus::Withdrawn => ("Withdrawn", "govuk-tag--grey"),
        VacancyStatus::Unspecified => ("Unknown", "govuk-tag--grey"),
    }
}

pub fn nomination_status(status: i32) -> (&'static str, &'static str) {
    match NominationStatus::try_from(status).unwrap_or(NominationStatus::Unspecified) {
        NominationStatus::Pending => ("Awaiting the partner", "govuk-tag--blue"),
        NominationStatus::Accepted => ("Accepted", "govuk-tag--green"),
        NominationStatus::Rejected => ("Rejected", "govuk-tag--red"),
        NominationStatus::Let => ("Let", "govuk-tag--purple"),
        NominationStatus::Withdrawn => ("Withdrawn", "govuk-tag--grey"),
        NominationStatus::Refused => ("Refused", "govuk-tag--orange"),
        NominationStatus::Unspecified => ("Unknown", "govuk-tag--grey"),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    show: String,
    #[serde(default)]
    page: String,
}

pub struct VacancyRow {
    pub id: String,
    pub address: String,
    pub partner: String,
    pub area: String,
    pub home: String,
    pub rent: String,
    pub available: String,
    pub status: (&'static str, &'static str),
    pub pre_void: bool,
}

pub struct NominationRow {
    pub id: String,
    pub reference: String,
    pub band: String,
    pub respond_by: String,
    pub status: (&'static str, &'static str),
}

#[derive(Template)]
#[template(path = "nominations/list.html")]
struct ListPage<'a> {
    page: Page<'a>,
    tabs: Vec<Tab>,
    vacancies: Vec<VacancyRow>,
    nominations: Vec<NominationRow>,
    /// Set on the "Advertised for bids" tab, which lists adverts rather than vacancies.
    adverts: Option<Vec<adverts::AdvertRow>>,
    next_page: Option<String>,
}

const TABS: [(&str, &str); 5] = [
    ("open", "Open vacancies"),
    ("pre-void", "Pre-voids"),
    ("advertised", "Advertised for bids"),
    ("pending", "Awaiting partners"),
    ("overdue", "Overdue answers"),
];

fn vacancy_row(v: pb::VacancySummary) -> Option<VacancyRow> {
    let vacancy = v.vacancy?;
    Some(VacancyRow {
        address: vacancy.address,
        partner: v.partner_name,
        area: super::sentence(&vacancy.area),
        home: format!("{} bedroom {}", vacancy.bedrooms, vacancy.property_type),
        rent: Pence::new(vacancy.weekly_rent_pence).to_string(),
        available: format::date(&vacancy.available_from),
        status: vacancy_status(vacancy.status),
        pre_void: vacancy.pre_void,
        id: vacancy.vacancy_id,
    })
}

fn nomination_row(n: pb::Nomination) -> NominationRow {
    NominationRow {
        reference: n.application_reference,
        band: n.band,
        respond_by: format::date(&n.respond_by),
        status: nomination_status(n.status),
        id: n.nomination_id,
    }
}

/// A nomination as the applicant's page shows it: when, where it stands, and the partner's
/// reason when it turned the applicant down.
pub struct ApplicationNomination {
    pub id: String,
    pub nominated_on: String,
    pub status: (&'static str, &'static str),
    pub rejection_reason: String,
}

/// The nominations of the application `id`, the first nominated first; none when the
/// officer does not nominate.
pub async fn of_application(
    state: &super::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<Vec<ApplicationNomination>, PageError> {
    if !officer.holds(OFFICERS) {
        return Ok(Vec::new());
    }
    let found = state
        .nominations(officer, path)
        .await?
        .list_nominations(pb::NominationsServiceListNominationsRequest {
            page_size: PAGE_SIZE,
            application_id: id.to_owned(),
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner();
    Ok(found
        .nominations
        .into_iter()
        .map(|n| ApplicationNomination {
            nominated_on: format::timestamp(n.nominated_at.as_ref()),
            status: nomination_status(n.status),
            rejection_reason: n.rejection_reason,
            id: n.nomination_id,
        })
        .collect())
}

pub async fn list(
    State(state): State<super::State>,
    officer: Officer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    let show = TABS
        .iter()
        .map(|(v, _)| *v)
        .find(|v| *v == query.show)
        .unwrap_or("open");
    let mut client = state.nominations(&officer, PATH).await?;
    let mut vacancies = Vec::new();
    let mut nominations = Vec::new();
    let mut listed_adverts = None;
    let token = match show {
        "advertised" => {
            let found = client
                .list_adverts(pb::ListAdvertsRequest {
                    page_size: PAGE_SIZE,
                    page_token: query.page.clone(),
                    ..Default::default()
                })
                .await
                .map_err(|s| PageError::from_status(s, PATH))?
                .into_inner();
            listed_adverts = Some(
                found
                    .adverts
                    .into_iter()
                    .filter_map(adverts::advert_row)
                    .collect(),
            );
            found.next_page_token
        }
        "open" | "pre-void" => {
            let found = client
                .list_vacancies(pb::ListVacanciesRequest {
                    page_size: PAGE_SIZE,
                    page_token: query.page.clone(),
                    status: VacancyStatus::Open as i32,
                    pre_void: (show == "pre-void").then_some(true),
                    ..Default::default()
                })
                .await
                .map_err(|s| PageError::from_status(s, PATH))?
                .into_inner();
            vacancies = found
                .vacancies
                .into_iter()
                .filter_map(vacancy_row)
                .collect();
            found.next_page_token
        }
        _ => {
            let found = client
                .list_nominations(pb::NominationsServiceListNominationsRequest {
                    page_size: PAGE_SIZE,
                    page_token: query.page.clone(),
                    status: NominationStatus::Pending as i32,
                    overdue: (show == "overdue").then_some(true),
                    ..Default::default()
                })
                .await
                .map_err(|s| PageError::from_status(s, PATH))?
                .into_inner();
            nominations = found.nominations.into_iter().map(nomination_row).collect();
            found.next_page_token
        }
    };
    Ok(render(&ListPage {
        page: Page::new("Nominations", Some(&officer), Section::Nominations),
        tabs: TABS
            .iter()
            .map(|(v, text)| Tab {
                text,
                href: format!("{PATH}?show={v}"),
                current: *v == show,
            })
            .collect(),
        vacancies,
        nominations,
        adverts: listed_adverts,
        next_page: (!token.is_empty())
            .then(|| format!("{PATH}?show={show}&page={}", encode(&token))),
    }))
}

pub struct Candidate {
    pub application_id: String,
    pub reference: String,
    pub band: String,
    pub since: String,
    pub bedrooms: i32,
}

#[derive(Template)]
#[template(path = "nominations/shortlist.html")]
struct ShortlistPage<'a> {
    page: Page<'a>,
    vacancy_id: String,
    candidates: Vec<Candidate>,
}

pub async fn shortlist(
    State(state): State<super::State>,
    officer: Officer,
    Path(vacancy_id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    let path = format!("{PATH}/vacancies/{vacancy_id}");
    let candidates = state
        .nominations(&officer, &path)
        .await?
        .shortlist_vacancy(pb::ShortlistVacancyRequest {
            vacancy_id: vacancy_id.clone(),
            page_size: SHORTLIST,
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .candidates
        .into_iter()
        .map(|c| Candidate {
            application_id: c.application_id,
            reference: c.reference,
            band: c.band,
            since: format::date(&c.effective_date),
            bedrooms: c.bedroom_need,
        })
        .collect();
    Ok(render(&ShortlistPage {
        page: Page::new(
            "Shortlist for the vacancy",
            Some(&officer),
            Section::Nominations,
        ),
        vacancy_id,
        candidates,
    }))
}

#[derive(Template)]
#[template(path = "nominations/nomination.html")]
struct NominationPage<'a> {
    page: Page<'a>,
    nomination: NominationRow,
    offer_kind: &'static str,
    nominated_by: String,
    nominated_at: String,
    offered_on: String,
    viewed_on: String,
    rejection_reason: String,
    notice: Option<&'static str>,
    told: Option<Told>,
    /// The offer is still open, so the applicant's refusal can be recorded.
    refusable: bool,
}

/// What the partner was told about the household, in words.
struct Told {
    lead_name: String,
    /// "Child, 5", the lead applicant first.
    occupants: Vec<String>,
    bedrooms: i32,
    access: &'static str,
    support_needs: Vec<String>,
    risks: Vec<String>,
    agreed: bool,
}

impl Told {
    fn from(h: &pb::NominatedHousehold) -> Self {
        use pb::{AccessNeed as A, OccupantRelationship as R};
        Self {
            lead_name: h.lead_name.clone(),
            occupants: h
                .occupants
                .iter()
                .map(|o| {
                    let who = match o.relationship() {
                        R::LeadApplicant => "Lead applicant",
                        R::Partner => "Partner",
                        R::Child => "Child",
                        R::OtherRelative => "Other relative",
                        R::Other | R::Unspecified => "Other",
                    };
                    format!("{who}, {}", o.age)
                })
                .collect(),
            bedrooms: h.bedrooms_needed,
            access: match h.access_need() {
                A::WheelchairThroughout => "Wheelchair accessible throughout",
                A::WheelchairPartial => "Partly wheelchair accessible",
                A::StepFree => "Step-free",
                A::GeneralNeeds => "None",
                A::Unspecified => "Not recorded",
            },
            support_needs: h.support_needs.clone(),
            risks: h.risks.clone(),
            agreed: h.applicant_agreed_to_share,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    #[serde(default)]
    nominated: Option<String>,
    #[serde(default)]
    refused: Option<String>,
}

pub async fn show(
    State(state): State<super::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    let path = format!("{PATH}/{id}");
    let nomination = state
        .nominations(&officer, &path)
        .await?
        .get_nomination(pb::GetNominationRequest {
            nomination_id: id.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .nomination
        .ok_or(PageError::NotFound)?;
    let nominated_by = People::of(&state, &officer, [nomination.nominated_by.as_str()])
        .await?
        .who(&nomination.nominated_by);
    Ok(render(&NominationPage {
        page: Page::new(
            format!("Nomination of {}", nomination.application_reference),
            Some(&officer),
            Section::Nominations,
        ),
        nominated_by,
        offer_kind: nominate::kind_label(nomination.offer_kind),
        nominated_at: format::timestamp(nomination.nominated_at.as_ref()),
        offered_on: format::date(&nomination.offered_on),
        viewed_on: format::date(&nomination.viewed_on),
        rejection_reason: nomination.rejection_reason.clone(),
        told: nomination.household.as_ref().map(Told::from),
        refusable: refusal::refusable(nomination.status),
        nomination: nomination_row(nomination),
        notice: if shown.nominated.is_some() {
            Some("The applicant has been nominated: the partner has been told")
        } else if shown.refused.is_some() {
            Some("The refusal has been recorded: the home can be offered to someone else")
        } else {
            None
        },
    }))
}
