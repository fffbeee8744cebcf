//! Section 213AA: the parent of a child placed in temporary accommodation is asked whether
//! the council may tell the child's school, GP practice and health visiting service. The TA
//! officer records the answer within 14 days; with consent the notices are written.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::accommodation::v1::{self as pb, S213aaConsent};
use serde::Deserialize;

use super::{WORK, fetch};
use crate::format;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, error_for, refusal, render};

/// The notifications as the placement's page shows them.
pub struct NotificationView {
    pub due: String,
    pub status: (&'static str, &'static str),
    pub pending: bool,
    /// Who was told, each with what they are.
    pub told: Vec<(&'static str, String)>,
    pub notified: String,
}

impl NotificationView {
    pub fn new(n: &pb::S213aaNotification) -> Self {
        let consent = S213aaConsent::try_from(n.consent).unwrap_or(S213aaConsent::Unspecified);
        Self {
            due: format::date(&n.due_on),
            status: match consent {
                S213aaConsent::Given => ("Consent given", "govuk-tag--green"),
                S213aaConsent::Refused => ("Consent refused", "govuk-tag--grey"),
                _ => ("Not yet asked", "govuk-tag--yellow"),
            },
            pending: matches!(consent, S213aaConsent::Pending | S213aaConsent::Unspecified),
            told: [
                ("School", &n.school),
                ("GP practice", &n.gp_practice),
                ("Health visiting service", &n.health_visiting_service),
            ]
            .into_iter()
            .filter(|(_, name)| !name.is_empty())
            .map(|(what, name)| (what, name.clone()))
            .collect(),
            notified: format::date(&n.notified_on),
        }
    }
}

const ANSWERS: [(&str, &str); 2] = [
    ("yes", "Yes, the parent consents"),
    ("no", "No, the parent does not consent"),
];

#[derive(Debug, Default, Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    consent: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    gp_practice: String,
    #[serde(default)]
    health_visiting_service: String,
}

impl ConsentForm {
    fn request(
        &self,
        placement_id: &str,
    ) -> Result<pb::RecordS213aaConsentRequest, Vec<FieldError>> {
        let given = match self.consent.as_str() {
            "yes" => true,
            "no" => false,
            _ => {
                return Err(vec![FieldError::on(
                    "consent",
                    "Select whether the parent consents",
                )]);
            }
        };
        // Without consent nobody is told, whatever was typed.
        let named = |s: &str| {
            if given {
                s.trim().to_owned()
            } else {
                String::new()
            }
        };
        Ok(pb::RecordS213aaConsentRequest {
            placement_id: placement_id.to_owned(),
            consent_given: given,
            school: named(&self.school),
            gp_practice: named(&self.gp_practice),
            health_visiting_service: named(&self.health_visiting_service),
        })
    }
}

#[derive(Template)]
#[template(path = "accommodation/s213aa.html")]
struct ConsentPage<'a> {
    page: Page<'a>,
    id: String,
    due: String,
    form: ConsentForm,
    answers: Vec<(&'static str, &'static str)>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl ConsentPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn consent_page(
    state: &crate::web::State,
    officer: &Officer,
    id: String,
    form: ConsentForm,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let path = format!("/accommodation/placements/{id}/s213aa");
    let placement = fetch(state, officer, &id, &path).await?;
    let notification = placement.s213aa_notification.ok_or(PageError::NotFound)?;
    let mut page = Page::new(
        "Telling the child's school, GP and health visitors",
        Some(officer),
        Section::Accommodation,
    );
    page.error_count = errors.len();
    Ok(render(&ConsentPage {
        page,
        id,
        due: format::date(&notification.due_on),
        form,
        answers: ANSWERS.to_vec(),
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

pub async fn edit_s213aa(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    consent_page(&state, &officer, id, ConsentForm::default(), Vec::new()).await
}

pub async fn record_s213aa(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<ConsentForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let here = format!("/accommodation/placements/{id}/s213aa");
    let request = match form.request(&id) {
        Ok(request) => request,
        Err(errors) => return consent_page(&state, &officer, id, form, errors).await,
    };
    let answer = state
        .accommodation(&officer, &here)
        .await?
        .record_s213aa_consent(request)
        .await;
    match answer {
        Ok(_) => Ok(
            Redirect::to(&format!("/accommodation/placements/{id}?s213aa_recorded=1"))
                .into_response(),
        ),
        Err(status) => {
            let errors = refusal(status, &here)?;
            consent_page(&state, &officer, id, form, errors).await
        }
    }
}
