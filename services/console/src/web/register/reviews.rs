//! Reviews of decisions (s.166A(9)): the applicant's request for a review of the decision in
//! force on their application (eligibility, qualification, suspension or priority), and a
//! senior officer's decision on it, with the reasons the applicant is told.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::auth::Role;
use housing_proto::register::v1::{self as pb, ApplicationStatus, ReviewableDecision};
use serde::Deserialize;

use super::{Paged, Queue, QueueRow, TAKE_IN, fetch, queue_page};
use crate::format;
use crate::session::Officer;
use crate::web::people::People;
use crate::web::{FieldError, Page, PageError, Section, error_for, refusal, render};

/// Who decides a review (as the register allows).
pub const DECIDE: &[Role] = &[Role::SeniorOfficer, Role::Manager];

/// The decision an application's status stands for, which is the one a review can be of.
pub fn decision_in_force(status: i32) -> Option<ReviewableDecision> {
    match ApplicationStatus::try_from(status).ok()? {
        ApplicationStatus::NotEligible => Some(ReviewableDecision::Eligibility),
        ApplicationStatus::NotQualifying => Some(ReviewableDecision::Qualification),
        ApplicationStatus::Suspended => Some(ReviewableDecision::Suspension),
        ApplicationStatus::Active => Some(ReviewableDecision::Priority),
        _ => None,
    }
}

fn decision_name(decision: i32) -> &'static str {
    match ReviewableDecision::try_from(decision).unwrap_or(ReviewableDecision::Unspecified) {
        ReviewableDecision::Eligibility => "Not eligible",
        ReviewableDecision::Qualification => "Does not qualify",
        ReviewableDecision::Suspension => "Suspension",
        ReviewableDecision::Priority => "Priority (band or points)",
        ReviewableDecision::Unspecified => "Unknown decision",
    }
}

/// A review as the application page and the queue show it.
pub struct ReviewRow {
    pub id: String,
    pub application_id: String,
    pub reference: String,
    pub decision: &'static str,
    pub priority: bool,
    pub grounds: String,
    pub requested: String,
    pub outcome: (&'static str, &'static str),
    pub reason: String,
    pub decided: String,
    pub pending: bool,
    /// The day the scheme says it is to be decided by.
    pub decide_by: String,
}

impl ReviewRow {
    /// Who asked and who decided, to be named.
    pub fn subjects(r: &pb::DecisionReview) -> [&str; 2] {
        [&r.requested_by, &r.decided_by]
    }

    pub fn new(r: pb::DecisionReview, people: &People) -> Self {
        let pending = r.outcome == "pending";
        let outcome = match r.outcome.as_str() {
            "upheld" => ("Decision upheld", "govuk-tag--grey"),
            "overturned" => ("Decision overturned", "govuk-tag--green"),
            _ => ("Awaiting a decision", "govuk-tag--yellow"),
        };
        Self {
            decision: decision_name(r.decision),
            priority: r.decision == ReviewableDecision::Priority as i32,
            requested: format!(
                "{} by {}",
                format::timestamp(r.requested_at.as_ref()),
                people.who(&r.requested_by)
            ),
            decided: if pending {
                String::new()
            } else {
                format!(
                    "{} by {}",
                    format::timestamp(r.decided_at.as_ref()),
                    people.who(&r.decided_by)
                )
            },
            decide_by: format::date(&r.decide_by),
            id: r.review_id,
            application_id: r.application_id,
            reference: r.application_reference,
            grounds: r.grounds,
            outcome,
            reason: r.reason,
            pending,
        }
    }
}

/// An application's decision reviews, oldest first.
pub async fn of_application(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<Vec<pb::DecisionReview>, PageError> {
    Ok(state
        .register(officer, path)
        .await?
        .list_decision_reviews(pb::ListDecisionReviewsRequest {
            application_id: id.to_owned(),
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .reviews)
}

#[derive(Debug, Default, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    grounds: String,
}

#[derive(Template)]
#[template(path = "register/review_request.html")]
struct RequestPage<'a> {
    page: Page<'a>,
    id: String,
    reference: String,
    decision: &'static str,
    form: RequestForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl RequestPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn request_path(id: &str) -> String {
    format!("/register/applications/{id}/review")
}

/// The application and the decision in force on it; a page for one with nothing to review
/// is not found.
async fn reviewable(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
) -> Result<(pb::Application, ReviewableDecision), PageError> {
    let app = fetch(state, officer, id, &request_path(id)).await?;
    let decision = decision_in_force(app.status).ok_or(PageError::NotFound)?;
    Ok((app, decision))
}

fn request_page(
    officer: &Officer,
    app: &pb::Application,
    decision: ReviewableDecision,
    form: RequestForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new(
        "Record a request for a review",
        Some(officer),
        Section::Register,
    );
    page.error_count = errors.len();
    render(&RequestPage {
        page,
        id: app.application_id.clone(),
        reference: app.reference.clone(),
        decision: decision_name(decision as i32),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn new_request(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(TAKE_IN)?;
    let (app, decision) = reviewable(&state, &officer, &id).await?;
    Ok(request_page(
        &officer,
        &app,
        decision,
        RequestForm::default(),
        Vec::new(),
    ))
}

pub async fn save_request(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<RequestForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(TAKE_IN)?;
    let (app, decision) = reviewable(&state, &officer, &id).await?;
    if form.grounds.trim().is_empty() {
        let errors = vec![FieldError::on(
            "grounds",
            "Enter the applicant's grounds for the review",
        )];
        return Ok(request_page(&officer, &app, decision, form, errors));
    }
    let path = request_path(&id);
    match state
        .register(&officer, &path)
        .await?
        .request_decision_review(pb::RequestDecisionReviewRequest {
            application_id: id.clone(),
            decision: decision as i32,
            grounds: form.grounds.trim().to_owned(),
        })
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/register/applications/{id}?review_requested=1"))
                .into_response(),
        ),
        Err(status) => Ok(request_page(
            &officer,
            &app,
            decision,
            form,
            refusal(status, &path)?,
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    band: String,
}

impl DecideForm {
    fn request(
        &self,
        review_id: &str,
        priority: bool,
    ) -> Result<pb::DecideDecisionReviewRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let overturned = match self.outcome.as_str() {
            "upheld" => Some(false),
            "overturned" => Some(true),
            _ => {
                errors.push(FieldError::on(
                    "outcome",
                    "Select whether the decision is upheld or overturned",
                ));
                None
            }
        };
        if self.reason.trim().is_empty() {
            errors.push(FieldError::on(
                "reason",
                "Enter the reasons for the decision, which the applicant is told",
            ));
        }
        let band = self.band.trim().to_ascii_uppercase();
        if priority && overturned == Some(true) && band.is_empty() {
            errors.push(FieldError::on(
                "band",
                "Enter the band the application should have",
            ));
        }
        match overturned {
            Some(overturned) if errors.is_empty() => Ok(pb::DecideDecisionReviewRequest {
                review_id: review_id.to_owned(),
                overturned,
                reason: self.reason.trim().to_owned(),
                band: if priority && overturned {
                    band
                } else {
                    String::new()
                },
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "register/review_decide.html")]
struct DecidePage<'a> {
    page: Page<'a>,
    id: String,
    reference: String,
    review: ReviewRow,
    form: DecideForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl DecidePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn decide_path(id: &str, review_id: &str) -> String {
    format!("/register/applications/{id}/reviews/{review_id}/decide")
}

async fn pending_review(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    review_id: &str,
) -> Result<(pb::Application, ReviewRow), PageError> {
    let path = decide_path(id, review_id);
    let app = fetch(state, officer, id, &path).await?;
    let review = of_application(state, officer, id, &path)
        .await?
        .into_iter()
        .find(|r| r.review_id == review_id)
        .ok_or(PageError::NotFound)?;
    let people = People::of(state, officer, ReviewRow::subjects(&review)).await?;
    let review = ReviewRow::new(review, &people);
    if !review.pending {
        return Err(PageError::Forbidden(
            "the review has already been decided".into(),
        ));
    }
    Ok((app, review))
}

fn decide_page(
    officer: &Officer,
    app: &pb::Application,
    review: ReviewRow,
    form: DecideForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new("Decide the review", Some(officer), Section::Register);
    page.error_count = errors.len();
    render(&DecidePage {
        page,
        id: app.application_id.clone(),
        reference: app.reference.clone(),
        review,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn edit_decision(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path((id, review_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    let (app, review) = pending_review(&state, &officer, &id, &review_id).await?;
    Ok(decide_page(
        &officer,
        &app,
        review,
        DecideForm::default(),
        Vec::new(),
    ))
}

pub async fn save_decision(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path((id, review_id)): Path<(String, String)>,
    Form(form): Form<DecideForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(DECIDE)?;
    let (app, review) = pending_review(&state, &officer, &id, &review_id).await?;
    let request = match form.request(&review_id, review.priority) {
        Ok(request) => request,
        Err(errors) => return Ok(decide_page(&officer, &app, review, form, errors)),
    };
    let path = decide_path(&id, &review_id);
    match state
        .register(&officer, &path)
        .await?
        .decide_decision_review(request)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/register/applications/{id}?review_decided=1")).into_response(),
        ),
        // The officer who made the decision may not review it: said on the form, not as an
        // error page, so they know to pass it to a colleague.
        Err(status) if status.code() == tonic::Code::PermissionDenied => {
            let errors = vec![FieldError {
                field: None,
                message: crate::web::sentence(status.message()),
            }];
            Ok(decide_page(&officer, &app, review, form, errors))
        }
        Err(status) => Ok(decide_page(
            &officer,
            &app,
            review,
            form,
            refusal(status, &path)?,
        )),
    }
}

/// The reviewers' queue: reviews awaiting a decision across the register, oldest first.
pub async fn queue(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(paged): Query<Paged>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    let path = "/register/reviews";
    let found = state
        .register(&officer, path)
        .await?
        .list_decision_reviews(pb::ListDecisionReviewsRequest {
            page_size: super::PAGE_SIZE,
            page_token: paged.page,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner();
    let people = People::of(
        &state,
        &officer,
        found.reviews.iter().flat_map(ReviewRow::subjects),
    )
    .await?;
    let rows = found
        .reviews
        .into_iter()
        .map(|r| ReviewRow::new(r, &people))
        .map(|r| QueueRow {
            action: Some((
                format!(
                    "/register/applications/{}/reviews/{}/decide",
                    r.application_id, r.id
                ),
                "Decide",
            )),
            application_id: r.application_id,
            reference: r.reference,
            what: r.decision,
            detail: r.grounds,
            since: format!("{}; to decide by {}", r.requested, r.decide_by),
        })
        .collect();
    let words = Queue {
        title: "Decision reviews awaiting a decision",
        path,
        columns: ("Decision", "Grounds", "Requested"),
        empty: "No reviews are waiting for a decision.",
        action_suffix: "the review of",
    };
    Ok(queue_page(&officer, words, rows, found.next_page_token))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().filter_map(|e| e.field).collect()
    }

    #[test]
    fn only_a_status_that_stands_for_a_decision_can_be_reviewed() {
        assert_eq!(
            decision_in_force(ApplicationStatus::NotQualifying as i32),
            Some(ReviewableDecision::Qualification)
        );
        assert_eq!(
            decision_in_force(ApplicationStatus::Active as i32),
            Some(ReviewableDecision::Priority)
        );
        assert_eq!(decision_in_force(ApplicationStatus::Submitted as i32), None);
        assert_eq!(decision_in_force(999), None);
    }

    #[test]
    fn a_decision_needs_its_outcome_and_reasons_and_an_overturned_priority_its_band() {
        assert_eq!(
            fields(DecideForm::default().request("r", false).unwrap_err()),
            ["outcome", "reason"]
        );
        let overturned = DecideForm {
            outcome: "overturned".into(),
            reason: "medical evidence was overlooked".into(),
            ..Default::default()
        };
        assert_eq!(fields(overturned.request("r", true).unwrap_err()), ["band"]);
        let request = overturned.request("r", false).unwrap();
        assert!(request.overturned && request.band.is_empty());
        let with_band = DecideForm {
            band: " b ".into(),
            ..overturned
        };
        assert_eq!(with_band.request("r", true).unwrap().band, "B");
    }
}
