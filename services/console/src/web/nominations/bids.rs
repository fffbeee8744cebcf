//! Bids an officer places or withdraws on an open advert for an applicant who cannot bid
//! online, named by the register's reference as officers type it. Every refusal, the
//! register's or the service's, is about that applicant, so it goes on the reference field.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::nominations::v1 as pb;
use housing_proto::register::v1 as reg;
use serde::Deserialize;

use super::OFFICERS;
use super::adverts::{advert_page, path};
use crate::session::Officer;
use crate::web::{FieldError, PageError, refusal};

const FIELD: &str = "bid-reference";

#[derive(Debug, Default, Deserialize)]
pub struct BidForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reference: String,
    /// The button pressed: "withdraw", else the bid is placed.
    #[serde(default)]
    action: String,
}

/// The register's id for the application `reference`, or why there is none.
async fn application_id(
    state: &crate::web::State,
    officer: &Officer,
    reference: &str,
    path: &str,
) -> Result<Result<String, String>, PageError> {
    if reference.is_empty() {
        return Ok(Err("Enter the applicant's application reference".into()));
    }
    let found = state
        .register(officer, path)
        .await?
        .search_applications(reg::SearchApplicationsRequest {
            reference: reference.to_owned(),
            page_size: 1,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .applications
        .into_iter()
        .next();
    Ok(found
        .map(|a| a.application_id)
        .ok_or_else(|| format!("No application has the reference {reference}")))
}

/// Places or withdraws the bid, then shows the advert with its count of bids (post, then
/// redirect); a refusal shows the advert again with the reference kept.
pub async fn bid(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<BidForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(OFFICERS)?;
    let path = path(&id);
    let reference = form.reference.trim();
    let withdraw = form.action == "withdraw";
    let problems = match application_id(&state, &officer, reference, &path).await? {
        Err(problem) => vec![problem],
        Ok(application_id) => {
            let mut client = state.nominations(&officer, &path).await?;
            let answer = if withdraw {
                client
                    .withdraw_bid(pb::WithdrawBidRequest {
                        advert_id: id.clone(),
                        application_id,
                    })
                    .await
                    .map(|done| done.into_inner().withdrawn)
            } else {
                client
                    .place_bid(pb::PlaceBidRequest {
                        advert_id: id.clone(),
                        application_id,
                    })
                    .await
                    .map(|done| done.into_inner().placed)
            };
            match answer {
                Ok(true) => {
                    let shown = if withdraw { "withdrawn" } else { "bid" };
                    return Ok(Redirect::to(&format!("{path}?{shown}=1")).into_response());
                }
                Ok(false) if withdraw => {
                    vec![format!("{reference} has no bid on this advert to withdraw")]
                }
                Ok(false) => vec![format!("{reference} has already bid on this advert")],
                Err(status) => refusal(status, &path)?
                    .into_iter()
                    .map(|e| e.message)
                    .collect(),
            }
        }
    };
    let errors = problems
        .into_iter()
        .map(|message| FieldError::on(FIELD, message))
        .collect();
    advert_page(&state, &officer, id, None, form.reference, errors).await
}
