//! Reviews of ending a placement for rent arrears: the rent service's referral opens one,
//! and a TA officer keeps the placement or ends it, with the reason. The queue lists those
//! waiting, oldest first; each placement's page shows its own.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::money::Pence;
use housing_proto::accommodation::v1::{self as pb, ClosureReviewStatus};
use serde::Deserialize;

use super::{QueueQuery, WORK, fetch};
use crate::format::{self, DateParts};
use crate::session::Officer;
use crate::web::people::People;
use crate::web::{FieldError, Page, PageError, Section, encode, error_for, refusal, render};

const PATH: &str = "/accommodation/arrears-reviews";
const PAGE_SIZE: i32 = 25;

fn status_tag(status: i32) -> (&'static str, &'static str) {
    match ClosureReviewStatus::try_from(status).unwrap_or(ClosureReviewStatus::Unspecified) {
        ClosureReviewStatus::PlacementKept => ("Placement kept", "govuk-tag--green"),
        ClosureReviewStatus::PlacementClosed => ("Placement ended", "govuk-tag--grey"),
        _ => ("To decide", "govuk-tag--red"),
    }
}

/// A review as a placement's page and the queue show it.
pub struct ReviewView {
    pub id: String,
    pub placement_id: String,
    pub opened_on: String,
    pub balance: String,
    pub weeks: String,
    pub status: (&'static str, &'static str),
    pub open: bool,
    pub reason: String,
    pub decided: String,
}

impl ReviewView {
    pub fn new(r: &pb::ClosureReview, people: &People) -> Self {
        let open = r.status == ClosureReviewStatus::Open as i32;
        Self {
            id: r.review_id.clone(),
            placement_id: r.placement_id.clone(),
            opened_on: format::date(&r.opened_on),
            balance: Pence::new(r.balance_pence).to_string(),
            weeks: format!("{:.1}", r.weeks_in_arrears),
            status: status_tag(r.status),
            open,
            reason: r.reason.clone(),
            decided: if open {
                String::new()
            } else {
                format!(
                    "{}, {}",
                    people.who(&r.decided_by),
                    format::timestamp(r.decided_at.as_ref())
                )
            },
        }
    }
}

#[derive(Template)]
#[template(path = "accommodation/arrears_queue.html")]
struct QueuePage<'a> {
    page: Page<'a>,
    reviews: Vec<ReviewView>,
    next_page: Option<String>,
}

/// The reviews waiting for a decision, the first referred first.
pub async fn arrears_queue(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<QueueQuery>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let found = state
        .accommodation(&officer, PATH)
        .await?
        .list_closure_reviews(pb::ListClosureReviewsRequest {
            page_size: PAGE_SIZE,
            page_token: query.page.clone(),
            status: ClosureReviewStatus::Open as i32,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner();
    let people = People::of(&state, &officer, std::iter::empty::<&str>()).await?;
    Ok(render(&QueuePage {
        page: Page::new(
            "Placements referred for rent arrears",
            Some(&officer),
            Section::Accommodation,
        ),
        reviews: found
            .reviews
            .iter()
            .map(|r| ReviewView::new(r, &people))
            .collect(),
        next_page: (!found.next_page_token.is_empty())
            .then(|| format!("{PATH}?page={}", encode(&found.next_page_token))),
    }))
}

const DECISIONS: [(&str, &str); 2] = [
    ("keep", "Keep the placement"),
    ("close", "End the placement for rent arrears"),
];

#[derive(Debug, Default, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    decision: String,
    #[serde(default, flatten)]
    end: DateParts,
    #[serde(default)]
    reason: String,
}

impl DecideForm {
    fn request(&self, review_id: &str) -> Result<pb::DecideClosureReviewRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let close = match self.decision.as_str() {
            "keep" => false,
            "close" => true,
            _ => {
                errors.push(FieldError::on(
                    "decision",
                    "Select whether the placement continues",
                ));
                false
            }
        };
        let end_date = if close {
            self.end
                .iso("end_date", "The last night")
                .map_err(|e| errors.push(e))
                .unwrap_or_default()
        } else {
            String::new()
        };
        if self.reason.trim().is_empty() {
            errors.push(FieldError::on(
                "reason",
                "Enter the reason for the decision",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::DecideClosureReviewRequest {
            review_id: review_id.to_owned(),
            close_placement: close,
            reason: self.reason.trim().to_owned(),
            end_date,
        })
    }
}

#[derive(Template)]
#[template(path = "accommodation/arrears_decide.html")]
struct DecidePage<'a> {
    page: Page<'a>,
    placement_id: String,
    review: ReviewView,
    form: DecideForm,
    decisions: Vec<(&'static str, &'static str)>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl DecidePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn decide_page(
    state: &crate::web::State,
    officer: &Officer,
    (placement_id, review_id): (String, String),
    form: DecideForm,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let path = format!("/accommodation/placements/{placement_id}/arrears-reviews/{review_id}");
    let placement = fetch(state, officer, &placement_id, &path).await?;
    let people = People::of(state, officer, std::iter::empty::<&str>()).await?;
    let review = placement
        .closure_reviews
        .iter()
        .find(|r| r.review_id == review_id)
        .map(|r| ReviewView::new(r, &people))
        .ok_or(PageError::NotFound)?;
    let mut page = Page::new(
        "Decide whether the placement continues",
        Some(officer),
        Section::Accommodation,
    );
    page.error_count = errors.len();
    Ok(render(&DecidePage {
        page,
        placement_id,
        review,
        form,
        decisions: DECISIONS.to_vec(),
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

pub async fn edit_arrears_review(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(ids): Path<(String, String)>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    decide_page(&state, &officer, ids, DecideForm::default(), Vec::new()).await
}

pub async fn decide_arrears_review(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path((placement_id, review_id)): Path<(String, String)>,
    Form(form): Form<DecideForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let here = format!("/accommodation/placements/{placement_id}/arrears-reviews/{review_id}");
    let ids = (placement_id.clone(), review_id.clone());
    let request = match form.request(&review_id) {
        Ok(request) => request,
        Err(errors) => return decide_page(&state, &officer, ids, form, errors).await,
    };
    let answer = state
        .accommodation(&officer, &here)
        .await?
        .decide_closure_review(request)
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!(
            "/accommodation/placements/{placement_id}?arrears_decided=1"
        ))
        .into_response()),
        Err(status) => {
            let errors = refusal(status, &here)?;
            decide_page(&state, &officer, ids, form, errors).await
        }
    }
}
