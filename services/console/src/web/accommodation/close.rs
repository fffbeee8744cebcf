//! Closing a placement, with the reason the duty or the stay ended; rent closes the account
//! from the end date.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::accommodation::v1::{self as pb, ClosureReason};
use serde::Deserialize;

use super::WORK;
use crate::format::DateParts;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

const REASONS: [(ClosureReason, &str, &str); 7] = [
    (ClosureReason::MovedOut, "moved_out", "Moved out"),
    (
        ClosureReason::DutyDischargedFinalOfferAccepted,
        "final_offer_accepted",
        "Duty ended: a final offer of a settled home was accepted",
    ),
    (
        ClosureReason::DutyDischargedFinalOfferRefused,
        "final_offer_refused",
        "Duty ended: a suitable final offer was refused",
    ),
    (
        ClosureReason::PrivateRentedOffer,
        "private_rented_offer",
        "A private rented sector offer (a periodic assured tenancy)",
    ),
    (
        ClosureReason::AbandonmentVerified,
        "abandonment_verified",
        "Abandoned (verified)",
    ),
    (
        ClosureReason::AntiSocialBehaviour,
        "anti_social_behaviour",
        "Anti-social behaviour",
    ),
    (ClosureReason::Arrears, "arrears", "Rent arrears"),
];

#[derive(Debug, Default, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
    #[serde(default, flatten)]
    end: DateParts,
    #[serde(default)]
    note: String,
}

impl CloseForm {
    fn request(&self, placement_id: &str) -> Result<pb::ClosePlacementRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reason = REASONS
            .iter()
            .find(|(_, v, _)| *v == self.reason)
            .map(|(r, _, _)| *r)
            .unwrap_or_else(|| {
                errors.push(FieldError::on("reason", "Select why the placement ends"));
                ClosureReason::Unspecified
            });
        let end_date = self
            .end
            .iso("end_date", "The last night")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::ClosePlacementRequest {
            placement_id: placement_id.to_owned(),
            reason: reason as i32,
            end_date,
            note: self.note.trim().to_owned(),
        })
    }
}

#[derive(Template)]
#[template(path = "accommodation/close.html")]
struct ClosePage<'a> {
    page: Page<'a>,
    id: String,
    form: CloseForm,
    reasons: Vec<(&'static str, &'static str)>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl ClosePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn page(officer: &Officer, id: String, form: CloseForm, errors: Vec<FieldError>) -> Response {
    let mut page = Page::new("Close the placement", Some(officer), Section::Accommodation);
    page.error_count = errors.len();
    render(&ClosePage {
        page,
        id,
        form,
        reasons: REASONS.iter().map(|(_, v, t)| (*v, *t)).collect(),
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn edit_close(officer: Officer, Path(id): Path<String>) -> Result<Response, PageError> {
    officer.require(WORK)?;
    Ok(page(&officer, id, CloseForm::default(), Vec::new()))
}

pub async fn close_placement(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<CloseForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let here = format!("/accommodation/placements/{id}/close");
    let request = match form.request(&id) {
        Ok(request) => request,
        Err(errors) => return Ok(page(&officer, id, form, errors)),
    };
    let answer = state
        .accommodation(&officer, &here)
        .await?
        .close_placement(request)
        .await;
    match answer {
        Ok(_) => {
            Ok(Redirect::to(&format!("/accommodation/placements/{id}?closed=1")).into_response())
        }
        Err(status) => {
            let errors = refusal(status, &here)?;
            Ok(page(&officer, id, form, errors))
        }
    }
}
