//! An applicant's refusal of an offer, recorded after the refusal interview: the reason, what
//! the applicant said, and whether the council holds the offer suitable. A suitable final
//! offer refused ends the homelessness duty and suspends the application, so holding one
//! suitable is a senior officer's or a manager's decision.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::auth::Role;
use housing_proto::nominations::v1::{self as pb, NominationStatus, OfferKind, RefusalReason};
use serde::Deserialize;

use super::OFFICERS;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

/// Who may hold a refused final offer suitable.
const SENIOR: &[Role] = &[Role::SeniorOfficer, Role::Manager];

const REASONS: [(RefusalReason, &str, &str); 7] = [
    (RefusalReason::Location, "location", "Where the home is"),
    (RefusalReason::Size, "size", "The size of the home"),
    (
        RefusalReason::Condition,
        "condition",
        "The condition of the home",
    ),
    (
        RefusalReason::Accessibility,
        "accessibility",
        "Access: steps, stairs or adaptations",
    ),
    (RefusalReason::Health, "health", "Health or medical reasons"),
    (
        RefusalReason::SchoolsOrWork,
        "schools_or_work",
        "Schools, work or care too far",
    ),
    (RefusalReason::Other, "other", "Another reason"),
];

const YES_NO: [(&str, &str); 2] = [("yes", "Yes"), ("no", "No")];

#[derive(Debug, Default, Deserialize)]
pub struct RefusalForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    interview_notes: String,
    #[serde(default)]
    final_offer: String,
    #[serde(default)]
    suitable: String,
    #[serde(default)]
    suitability_reasons: String,
}

impl RefusalForm {
    /// The request, or every answer to put right. `final_offer` is already known for the
    /// offer that ends the homelessness duty; `senior` is whether the officer may hold a
    /// final offer suitable.
    fn request(
        &self,
        nomination_id: &str,
        final_offer: Option<bool>,
        senior: bool,
    ) -> Result<pb::RecordRefusalRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reason = REASONS
            .iter()
            .find(|(_, v, _)| *v == self.reason)
            .map(|(r, _, _)| *r);
        if reason.is_none() {
            errors.push(FieldError::on(
                "reason",
                "Select why the applicant refused the offer",
            ));
        }
        if self.interview_notes.trim().is_empty() {
            errors.push(FieldError::on(
                "interview_notes",
                "Enter what the applicant said at the refusal interview",
            ));
        }
        let yes_no = |answer: &str| match answer {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        let final_offer = final_offer.or_else(|| yes_no(&self.final_offer));
        if final_offer.is_none() {
            errors.push(FieldError::on(
                "final_offer",
                "Select whether this was the applicant's final offer",
            ));
        }
        let suitable = yes_no(&self.suitable);
        match suitable {
            None => errors.push(FieldError::on(
                "suitable",
                "Select whether the council holds the offer suitable",
            )),
            Some(true) if final_offer == Some(true) && !senior => {
                errors.push(FieldError::on(
                    "suitable",
                    "Only a senior officer or a manager can hold a refused final offer suitable: ask one to record this refusal",
                ))
            }
            _ => {}
        }
        if self.suitability_reasons.trim().is_empty() {
            errors.push(FieldError::on(
                "suitability_reasons",
                "Enter why the council holds the offer suitable or not; the applicant is told",
            ));
        }
        let (Some(reason), Some(final_offer), Some(suitable), true) =
            (reason, final_offer, suitable, errors.is_empty())
        else {
            return Err(errors);
        };
        Ok(pb::RecordRefusalRequest {
            nomination_id: nomination_id.to_owned(),
            reason: reason as i32,
            interview_notes: self.interview_notes.trim().to_owned(),
            final_offer,
            suitable,
            suitability_reasons: self.suitability_reasons.trim().to_owned(),
        })
    }
}

#[derive(Template)]
#[template(path = "nominations/refusal.html")]
struct RefusalPage<'a> {
    page: Page<'a>,
    id: String,
    reference: String,
    /// The offer ends the homelessness duty, so it is a final offer whatever is answered.
    homeless_final_offer: bool,
    form: RefusalForm,
    reasons: Vec<(&'static str, &'static str)>,
    yes_no: Vec<(&'static str, &'static str)>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl RefusalPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

async fn nomination(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<pb::Nomination, PageError> {
    let nomination = state
        .nominations(officer, path)
        .await?
        .get_nomination(pb::GetNominationRequest {
            nomination_id: id.to_owned(),
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .nomination
        .ok_or(PageError::NotFound)?;
    Ok(nomination)
}

/// Whether an offer in this state can still be refused.
pub fn refusable(status: i32) -> bool {
    matches!(
        NominationStatus::try_from(status),
        Ok(NominationStatus::Pending | NominationStatus::Accepted)
    )
}

fn is_homeless_final_offer(n: &pb::Nomination) -> bool {
    n.offer_kind == OfferKind::HomelessFinalOffer as i32
}

fn page(
    officer: &Officer,
    n: &pb::Nomination,
    form: RefusalForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new(
        "Record the applicant's refusal",
        Some(officer),
        Section::Nominations,
    );
    page.error_count = errors.len();
    render(&RefusalPage {
        page,
        id: n.nomination_id.clone(),
        reference: n.application_reference.clone(),
        homeless_final_offer: is_homeless_final_offer(n),
        form,
        reasons: REASONS.iter().map(|(_, v, t)| (*v, *t)).collect(),
        yes_no: YES_NO.to_vec(),
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn edit(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    let path = format!("/nominations/{id}/refusal");
    let n = nomination(&state, &officer, &id, &path).await?;
    if !refusable(n.status) {
        return Ok(Redirect::to(&format!("/nominations/{id}")).into_response());
    }
    Ok(page(&officer, &n, RefusalForm::default(), Vec::new()))
}

pub async fn record(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<RefusalForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(OFFICERS)?;
    let path = format!("/nominations/{id}/refusal");
    let n = nomination(&state, &officer, &id, &path).await?;
    let known_final = is_homeless_final_offer(&n).then_some(true);
    let request = match form.request(&id, known_final, officer.holds(SENIOR)) {
        Ok(request) => request,
        Err(errors) => return Ok(page(&officer, &n, form, errors)),
    };
    let answer = state
        .nominations(&officer, &path)
        .await?
        .record_refusal(request)
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("/nominations/{id}?refused=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, &path)?;
            Ok(page(&officer, &n, form, errors))
        }
    }
}
