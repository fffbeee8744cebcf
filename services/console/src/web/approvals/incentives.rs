//! Under-occupation incentives: a social tenant who moved to a smaller home, listed by the
//! nominations service once the letting is reported, is paid for each bedroom released.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::money::Pence;
use housing_platform::words::count;
use housing_proto::nominations::v1::{self as noms, NominationStatus};
use housing_proto::register::v1 as reg;
use serde::Deserialize;

use super::{DECIDE, Item, PATH};
use crate::format;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

/// A move awaiting its incentive, as the queue lists it.
pub(super) fn incentive_item(incentive: noms::Incentive) -> Item {
    Item {
        kind: "incentives",
        what: format!(
            "Under-occupation incentive for {}",
            incentive.application_reference
        ),
        detail: format!(
            "Moved from {} to {} on {}, releasing {}.",
            count(i64::from(incentive.bedrooms_left), "bedroom"),
            count(i64::from(incentive.bedrooms_moved_to), "bedroom"),
            format::date(&incentive.moved_on),
            count(i64::from(incentive.bedrooms_released), "bedroom")
        ),
        link: None,
        review: Some((
            incentive_path(&incentive.application_id),
            "Check the move and approve",
        )),
        amount: Pence::new(incentive.amount_pence).to_string(),
        asked_label: "Letting reported",
        asked_by: "By the landlord".into(),
        asked_at: format::timestamp(incentive.let_at.as_ref()),
        id: incentive.application_id,
    }
}

fn incentive_path(application_id: &str) -> String {
    format!("{PATH}/incentives/{application_id}")
}

#[derive(Debug, Default, Deserialize)]
pub struct IncentiveForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the page is shown: approving twice pays once.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    payee_name: String,
}

#[derive(Template)]
#[template(path = "approvals/incentive.html")]
struct IncentivePage<'a> {
    page: Page<'a>,
    action: String,
    application_id: String,
    reference: String,
    lead_name: String,
    home_left: String,
    lets: Vec<crate::web::nominations::ApplicationNomination>,
    form: IncentiveForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl IncentivePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

/// The home the household left, as the register holds it: "Council tenant, 3 bedrooms".
fn home_left(circumstances: Option<&reg::HousingCircumstances>) -> String {
    let Some(c) = circumstances else {
        return "Not recorded".into();
    };
    let tenure = match c.tenure() {
        reg::Tenure::CouncilTenant => "Council tenant",
        reg::Tenure::HousingAssociationTenant => "Housing association tenant",
        _ => "Not a social tenant",
    };
    match c.current_bedrooms {
        Some(1) => format!("{tenure}, 1 bedroom"),
        Some(n) => format!("{tenure}, {n} bedrooms"),
        None => format!("{tenure}, bedrooms not recorded"),
    }
}

async fn incentive_page(
    state: &crate::web::State,
    officer: &Officer,
    application_id: &str,
    mut form: IncentiveForm,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let path = incentive_path(application_id);
    let application = state
        .register(officer, &path)
        .await?
        .get_application(reg::GetApplicationRequest {
            application_id: application_id.to_owned(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .application
        .ok_or(PageError::NotFound)?;
    let lets = crate::web::nominations::of_application(state, officer, application_id, &path)
        .await?
        .into_iter()
        .filter(|n| {
            n.status == crate::web::nominations::nomination_status(NominationStatus::Let as i32)
        })
        .collect();
    let lead_name = application
        .lead_applicant
        .as_ref()
        .map(|l| format!("{} {}", l.given_name, l.family_name))
        .unwrap_or_default();
    if form.request_id.is_empty() {
        form.request_id = uuid::Uuid::new_v4().to_string();
        form.payee_name.clone_from(&lead_name);
    }
    let mut page = Page::new(
        "Approve an under-occupation incentive",
        Some(officer),
        Section::Approvals,
    );
    page.error_count = errors.len();
    Ok(render(&IncentivePage {
        page,
        action: path,
        application_id: application.application_id,
        reference: application.reference,
        lead_name,
        home_left: home_left(
            application
                .details
                .as_ref()
                .and_then(|d| d.circumstances.as_ref()),
        ),
        lets,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

pub async fn show_incentive(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(application_id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(DECIDE)?;
    incentive_page(
        &state,
        &officer,
        &application_id,
        IncentiveForm::default(),
        Vec::new(),
    )
    .await
}

pub async fn approve_incentive(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(application_id): Path<String>,
    Form(form): Form<IncentiveForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(DECIDE)?;
    if form.payee_name.trim().is_empty() {
        let errors = vec![FieldError::on("payee_name", "Enter who is paid")];
        return incentive_page(&state, &officer, &application_id, form, errors).await;
    }
    let path = incentive_path(&application_id);
    let answer = state
        .nominations(&officer, &path)
        .await?
        .approve_incentive(noms::ApproveIncentiveRequest {
            request_id: form.request_id.clone(),
            application_id: application_id.clone(),
            payee_name: form.payee_name.trim().to_owned(),
            // The service counts the bedrooms from the letting itself.
            bedrooms_released: 0,
        })
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?approved=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, &path)?;
            incentive_page(&state, &officer, &application_id, form, errors).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_left_is_its_tenure_and_bedrooms() {
        let home = |tenure: reg::Tenure, bedrooms| reg::HousingCircumstances {
            tenure: tenure as i32,
            current_bedrooms: bedrooms,
            ..Default::default()
        };
        assert_eq!(
            home_left(Some(&home(reg::Tenure::CouncilTenant, Some(3)))),
            "Council tenant, 3 bedrooms"
        );
        assert_eq!(
            home_left(Some(&home(reg::Tenure::PrivateRented, Some(1)))),
            "Not a social tenant, 1 bedroom"
        );
        assert_eq!(home_left(None), "Not recorded");
    }
}
