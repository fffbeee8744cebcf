//! Choice-based lettings: a vacancy advertised for bids until a closing date, bidding closed
//! with the register's ranking of the bidders who fit (band then date), and the result
//! published once the home is let.
//!
//! The advert page is read from the service each time, so it can be bookmarked and
//! refreshed; creating and closing redirect to it (post-redirect-get), with a query flag for
//! the banner, so that refreshing does not post again.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::nominations::v1::{self as pb, AdvertStatus};
use serde::Deserialize;

use super::{OFFICERS, PATH};
use crate::format::{self, DateParts};
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

#[derive(Debug, Default, Deserialize)]
pub struct AdvertForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is shown: posting it twice advertises once.
    #[serde(default)]
    request_id: String,
    #[serde(default, flatten)]
    closes_on: DateParts,
    #[serde(default)]
    minimum_age: String,
    #[serde(default)]
    adapted: Option<String>,
}

impl AdvertForm {
    fn request(&self, vacancy_id: &str) -> Result<pb::CreateAdvertRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let closes_on = self
            .closes_on
            .iso("closes_on", "The closing date")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let minimum_age = match self.minimum_age.trim() {
            "" => 0,
            age => age.parse().unwrap_or_else(|_| {
                errors.push(FieldError::on(
                    "minimum_age",
                    "Enter the minimum age in whole years, like 55",
                ));
                0
            }),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::CreateAdvertRequest {
            request_id: self.request_id.clone(),
            vacancy_id: vacancy_id.to_owned(),
            closes_on,
            minimum_age,
            adapted: self.adapted.is_some(),
        })
    }
}

#[derive(Template)]
#[template(path = "nominations/advert_new.html")]
struct NewAdvertPage<'a> {
    page: Page<'a>,
    vacancy_id: String,
    form: AdvertForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl NewAdvertPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn new_advert_page(
    officer: &Officer,
    vacancy_id: String,
    mut form: AdvertForm,
    errors: Vec<FieldError>,
) -> Response {
    if form.request_id.is_empty() {
        form.request_id = uuid::Uuid::new_v4().to_string();
    }
    let mut page = Page::new(
        "Advertise the home for bids",
        Some(officer),
        Section::Nominations,
    );
    page.error_count = errors.len();
    render(&NewAdvertPage {
        page,
        vacancy_id,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn new_advert(
    officer: Officer,
    Path(vacancy_id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    Ok(new_advert_page(
        &officer,
        vacancy_id,
        AdvertForm::default(),
        Vec::new(),
    ))
}

/// Where an advert stands, as a tag.
pub fn advert_status(status: i32) -> (&'static str, &'static str) {
    match AdvertStatus::try_from(status).unwrap_or(AdvertStatus::Unspecified) {
        AdvertStatus::Open => ("Open for bids", "govuk-tag--green"),
        AdvertStatus::Closed => ("Bidding closed", "govuk-tag--blue"),
        AdvertStatus::Let => ("Let", "govuk-tag--grey"),
        AdvertStatus::Unspecified => ("Unknown", "govuk-tag--grey"),
    }
}

/// An advert as the service answers with it.
pub struct AdvertView {
    pub vacancy_id: String,
    pub closes_on: String,
    pub rules: Vec<String>,
    pub status: AdvertStatus,
    pub tag: (&'static str, &'static str),
    pub bids: i32,
}

impl From<pb::Advert> for AdvertView {
    fn from(a: pb::Advert) -> Self {
        let mut rules = Vec::new();
        if a.minimum_age > 0 {
            rules.push(format!("Lead applicant aged {} or over", a.minimum_age));
        }
        if a.adapted {
            rules.push("Adapted: only for applicants who need its adaptations".into());
        }
        Self {
            status: a.status(),
            tag: advert_status(a.status),
            closes_on: format::date(&a.closes_on),
            bids: a.bids,
            rules,
            vacancy_id: a.vacancy_id,
        }
    }
}

/// The advertised home, in a few words.
pub struct Home {
    pub address: String,
    pub description: String,
}

impl From<pb::VacancySummary> for Home {
    fn from(v: pb::VacancySummary) -> Self {
        let vacancy = v.vacancy.unwrap_or_default();
        Self {
            description: format!(
                "{} bedroom {}, {}; {}",
                vacancy.bedrooms,
                vacancy.property_type,
                crate::web::sentence(&vacancy.area),
                v.partner_name
            ),
            address: vacancy.address,
        }
    }
}

/// An advert in the "Advertised for bids" list.
pub struct AdvertRow {
    pub id: String,
    pub home: Home,
    pub advert: AdvertView,
}

pub fn advert_row(a: pb::AdvertSummary) -> Option<AdvertRow> {
    let advert = a.advert?;
    Some(AdvertRow {
        id: advert.advert_id.clone(),
        home: a.vacancy.unwrap_or_default().into(),
        advert: advert.into(),
    })
}

/// The published result of a let advert, naming no one.
pub struct Published {
    pub position: i32,
    /// The band, or the points on a points scheme.
    pub priority: String,
    pub effective_date: String,
    pub tenancy_start: String,
}

impl From<pb::LettingResult> for Published {
    fn from(r: pb::LettingResult) -> Self {
        Self {
            position: r.position,
            priority: if r.band.is_empty() {
                format!("{} points", r.points)
            } else {
                format!("Band {}", r.band)
            },
            effective_date: format::date(&r.effective_date),
            tenancy_start: format::date(&r.tenancy_start_date),
        }
    }
}

/// What the advert page shows: the advert and its home, the ranked bidders once closed,
/// the published result once let.
#[derive(Template)]
#[template(path = "nominations/advert.html")]
struct AdvertPage<'a> {
    page: Page<'a>,
    id: String,
    advert: AdvertView,
    home: Home,
    ranked: Vec<Ranked>,
    published: Option<Published>,
    notice: Option<&'static str>,
    /// What the officer typed in the bid form, kept when the service refused it.
    bid_reference: String,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl AdvertPage<'_> {
    fn open(&self) -> bool {
        self.advert.status == AdvertStatus::Open
    }

    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }

    /// Bidders the register did not rank: they did not fit the home or the advert's rules.
    fn passed_over(&self) -> i32 {
        (self.advert.bids - self.ranked.len() as i32).max(0)
    }
}

pub(super) fn path(id: &str) -> String {
    format!("{PATH}/adverts/{id}")
}

/// The advert page as the service has it now; `bid_reference` is what the bid form keeps.
pub(super) async fn advert_page(
    state: &crate::web::State,
    officer: &Officer,
    id: String,
    notice: Option<&'static str>,
    bid_reference: String,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let path = path(&id);
    let found = state
        .nominations(officer, &path)
        .await?
        .get_advert(pb::GetAdvertRequest {
            advert_id: id.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner();
    let advert = AdvertView::from(found.advert.ok_or(PageError::NotFound)?);
    let title = match advert.status {
        AdvertStatus::Closed => "Bidders ranked for the home",
        _ => "Advert for bids",
    };
    let mut page = Page::new(title, Some(officer), Section::Nominations);
    page.error_count = errors.len();
    Ok(render(&AdvertPage {
        page,
        id,
        advert,
        home: found.vacancy.unwrap_or_default().into(),
        ranked: found.results.into_iter().map(ranked).collect(),
        published: found.letting_result.map(Published::from),
        notice,
        bid_reference,
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

/// Which banner the page shows after the redirect from a form.
#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    #[serde(default)]
    advertised: Option<String>,
    #[serde(default)]
    closed: Option<String>,
    #[serde(default)]
    bid: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
}

impl Shown {
    fn notice(&self) -> Option<&'static str> {
        if self.advertised.is_some() {
            Some("The home is advertised for bids")
        } else if self.closed.is_some() {
            Some("Bidding is closed and the bidders are ranked")
        } else if self.bid.is_some() {
            Some("The bid has been placed for the applicant")
        } else if self.withdrawn.is_some() {
            Some("The applicant's bid has been withdrawn")
        } else {
            None
        }
    }
}

pub async fn show(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    advert_page(
        &state,
        &officer,
        id,
        shown.notice(),
        String::new(),
        Vec::new(),
    )
    .await
}

pub async fn create(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(vacancy_id): Path<String>,
    Form(form): Form<AdvertForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(OFFICERS)?;
    let request = match form.request(&vacancy_id) {
        Ok(request) => request,
        Err(errors) => return Ok(new_advert_page(&officer, vacancy_id, form, errors)),
    };
    let back = format!("{PATH}/vacancies/{vacancy_id}/advert");
    let answer = state
        .nominations(&officer, &back)
        .await?
        .create_advert(request)
        .await;
    match answer {
        Ok(created) => {
            let advert = created.into_inner().advert.ok_or(PageError::NotFound)?;
            Ok(Redirect::to(&format!("{}?advertised=1", path(&advert.advert_id))).into_response())
        }
        Err(status) => {
            let errors = refusal(status, &back)?;
            Ok(new_advert_page(&officer, vacancy_id, form, errors))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf_token: String,
}

/// Closes bidding; the advert page then shows the ranking. Closing a closed advert changes
/// nothing, so posting twice is harmless.
pub async fn close(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<CloseForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(OFFICERS)?;
    let path = path(&id);
    let answer = state
        .nominations(&officer, &path)
        .await?
        .close_advert(pb::CloseAdvertRequest {
            advert_id: id.clone(),
        })
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{path}?closed=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, &path)?;
            advert_page(&state, &officer, id, None, String::new(), errors).await
        }
    }
}

/// A bidder in the ranking, with whom nominating them names.
pub struct Ranked {
    pub position: i32,
    pub application_id: String,
    pub reference: String,
    /// The band, or the points on a points scheme.
    pub priority: String,
    pub since: String,
}

fn ranked(r: pb::AdvertResult) -> Ranked {
    Ranked {
        position: r.position,
        application_id: r.application_id,
        reference: r.reference,
        priority: if r.band.is_empty() {
            format!("{} points", r.points)
        } else {
            r.band
        },
        since: format::date(&r.effective_date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(day: &str, minimum_age: &str) -> AdvertForm {
        AdvertForm {
            request_id: "r".into(),
            closes_on: DateParts {
                day: day.into(),
                month: "3".into(),
                year: "2027".into(),
            },
            minimum_age: minimum_age.into(),
            adapted: Some("yes".into()),
            ..Default::default()
        }
    }

    #[test]
    fn an_advert_form_becomes_a_request() {
        let request = form("9", "").request("v").unwrap();
        assert_eq!(request.closes_on, "2027-03-09");
        assert_eq!(request.minimum_age, 0);
        assert!(request.adapted);
        assert_eq!(form("9", " 55 ").request("v").unwrap().minimum_age, 55);
    }

    #[test]
    fn a_wrong_date_or_age_is_named_on_its_field() {
        let errors = form("32", "old").request("v").unwrap_err();
        let fields: Vec<_> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
        assert_eq!(fields, ["closes_on", "minimum_age"]);
        assert_eq!(errors[0].message, "The closing date must be a real date");
    }
}
