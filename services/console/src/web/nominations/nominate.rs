//! Nominating an applicant from a vacancy's shortlist or an advert's ranking, as a step of
//! its own: the kind of offer, which decides what a refusal means in law, and the support
//! needs and risks the applicant agreed the landlord should know.
//!
//! The nominations service allows every officer who nominates to make every kind of offer,
//! so the console does not narrow that either.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::nominations::v1::{self as pb, OfferKind};
use housing_proto::register::v1 as reg;
use serde::Deserialize;

use super::{OFFICERS, PATH};
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

/// A kind of offer as the form's radios give it.
pub struct Kind {
    /// The radio's id: the first is the field's own, so the error summary links to it.
    pub id: &'static str,
    pub value: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    kind: OfferKind,
}

pub const KINDS: [Kind; 4] = [
    Kind {
        id: "offer_kind",
        value: "nomination",
        label: "Ordinary nomination",
        hint: "The applicant whose priority comes first for this home, from the shortlist or an advert's ranking. A refusal is recorded against the application.",
        kind: OfferKind::Nomination,
    },
    Kind {
        id: "offer_kind-homeless_final_offer",
        value: "homeless_final_offer",
        label: "Final offer to a homeless applicant (section 193(7))",
        hint: "The one offer of a settled home that ends the main homelessness duty, accepted or refused. The applicant must be told so in writing, with their right to ask for a review of its suitability.",
        kind: OfferKind::HomelessFinalOffer,
    },
    Kind {
        id: "offer_kind-decant",
        value: "decant",
        label: "Decant",
        hint: "A tenant moving out of a home being regenerated. The household must have a decant recorded that is waiting for its move.",
        kind: OfferKind::Decant,
    },
    Kind {
        id: "offer_kind-urgent",
        value: "urgent",
        label: "Urgent or direct offer",
        hint: "An emergency: violence, a disaster, or a need the allocation scheme treats as urgent. Made outside the order of the shortlist.",
        kind: OfferKind::Urgent,
    },
];

/// The kind of offer of a nomination, in words.
pub fn kind_label(kind: i32) -> &'static str {
    let kind = OfferKind::try_from(kind).unwrap_or(OfferKind::Nomination);
    KINDS
        .iter()
        .find(|k| k.kind == kind)
        .map_or(KINDS[0].label, |k| k.label)
}

#[derive(Debug, Default, Deserialize)]
pub struct NominateForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is first shown: a form sent twice nominates once.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    application_id: String,
    #[serde(default)]
    offer_kind: String,
    /// One a line, as the landlord should read them.
    #[serde(default)]
    support_needs: String,
    #[serde(default)]
    risks: String,
    #[serde(default)]
    applicant_agreed: Option<String>,
}

/// The lines of a box, blank ones left out.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

impl NominateForm {
    fn request(&self, vacancy_id: &str) -> Result<pb::CreateNominationRequest, Vec<FieldError>> {
        let Some(kind) = KINDS.iter().find(|k| k.value == self.offer_kind) else {
            return Err(vec![FieldError::on(
                KINDS[0].id,
                "Select the kind of offer",
            )]);
        };
        Ok(pb::CreateNominationRequest {
            request_id: self.request_id.clone(),
            vacancy_id: vacancy_id.to_owned(),
            application_id: self.application_id.clone(),
            offer_kind: kind.kind as i32,
            shared: Some(pb::SharedWithPartner {
                support_needs: lines(&self.support_needs),
                risks: lines(&self.risks),
                applicant_agreed: self.applicant_agreed.is_some(),
            }),
            ..Default::default()
        })
    }
}

/// The service names a support need or risk by its place in its list; the form has one box
/// a list, so the problem goes on the box and says which line.
fn on_form(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| {
            let Some(field) = e.field.as_deref() else {
                return e;
            };
            let (list, place) = match field.split_once('[') {
                Some((list, rest)) => (list, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (field, None),
            };
            let what = match list {
                "shared-support_needs" => "Support need",
                "shared-risks" => "Risk",
                _ => return e,
            };
            let mut said = e.message.chars();
            let said: String = said
                .next()
                .map(|c| c.to_lowercase().chain(said).collect())
                .unwrap_or_default();
            let message = match place {
                Some(i) => format!("{what} {}: {said}", i + 1),
                None => format!("{what}s: {said}"),
            };
            FieldError::on(list, message)
        })
        .collect()
}

/// Who is being nominated, as the register has them.
pub struct Applicant {
    pub reference: String,
    pub name: String,
    pub band: String,
}

#[derive(Template)]
#[template(path = "nominations/nominate.html")]
struct NominatePage<'a> {
    page: Page<'a>,
    vacancy_id: String,
    applicant: Applicant,
    form: NominateForm,
    kinds: &'static [Kind],
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl NominatePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn path(vacancy_id: &str) -> String {
    format!("{PATH}/vacancies/{vacancy_id}/nominate")
}

async fn nominate_page(
    state: &crate::web::State,
    officer: &Officer,
    vacancy_id: String,
    mut form: NominateForm,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let path = path(&vacancy_id);
    let application = state
        .register(officer, &path)
        .await?
        .get_application(reg::GetApplicationRequest {
            application_id: form.application_id.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .application
        .ok_or(PageError::NotFound)?;
    let lead = application.lead_applicant.unwrap_or_default();
    let applicant = Applicant {
        name: format!("{} {}", lead.given_name, lead.family_name),
        band: application.assessment.unwrap_or_default().band,
        reference: application.reference,
    };
    if form.request_id.is_empty() {
        form.request_id = uuid::Uuid::new_v4().to_string();
    }
    let mut page = Page::new(
        format!("Nominate {}", applicant.reference),
        Some(officer),
        Section::Nominations,
    );
    page.error_count = errors.len();
    Ok(render(&NominatePage {
        page,
        vacancy_id,
        applicant,
        form,
        kinds: &KINDS,
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

/// The form for the applicant the shortlist's "Nominate" chose (`?application_id=`).
pub async fn new(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(vacancy_id): Path<String>,
    Query(form): Query<NominateForm>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    nominate_page(&state, &officer, vacancy_id, form, Vec::new()).await
}

pub async fn create(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(vacancy_id): Path<String>,
    Form(form): Form<NominateForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(OFFICERS)?;
    let request = match form.request(&vacancy_id) {
        Ok(request) => request,
        Err(errors) => return nominate_page(&state, &officer, vacancy_id, form, errors).await,
    };
    let path = path(&vacancy_id);
    let answer = state
        .nominations(&officer, &path)
        .await?
        .create_nomination(request)
        .await;
    match answer {
        Ok(created) => {
            let id = created
                .into_inner()
                .nomination
                .map(|n| n.nomination_id)
                .unwrap_or_default();
            Ok(Redirect::to(&format!("{PATH}/{id}?nominated=1")).into_response())
        }
        Err(status) => {
            let errors = on_form(refusal(status, &path)?);
            nominate_page(&state, &officer, vacancy_id, form, errors).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boxes_become_lists_without_blank_lines() {
        let form = NominateForm {
            application_id: "a".into(),
            offer_kind: "homeless_final_offer".into(),
            support_needs: "Needs help with bills\r\n\r\n  Weekly visit from a support worker \n"
                .into(),
            applicant_agreed: Some("yes".into()),
            ..Default::default()
        };
        let request = form.request("v").unwrap();
        assert_eq!(request.offer_kind, OfferKind::HomelessFinalOffer as i32);
        let shared = request.shared.unwrap();
        assert_eq!(
            shared.support_needs,
            [
                "Needs help with bills",
                "Weekly visit from a support worker"
            ]
        );
        assert!(shared.risks.is_empty());
        assert!(shared.applicant_agreed);
    }

    #[test]
    fn no_kind_of_offer_is_named_on_the_first_radio() {
        let errors = NominateForm::default().request("v").unwrap_err();
        assert_eq!(errors[0].field.as_deref(), Some("offer_kind"));
        assert_eq!(errors[0].message, "Select the kind of offer");
    }

    #[test]
    fn a_line_the_service_refuses_is_named_on_its_box() {
        let errors = on_form(vec![
            FieldError::on("shared-risks[1]", "At most 500 characters"),
            FieldError::on("shared-support_needs", "At most 20"),
            FieldError::on("shared-applicant_agreed", "The applicant must agree"),
        ]);
        let said: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_deref().unwrap(), e.message.as_str()))
            .collect();
        assert_eq!(
            said,
            [
                ("shared-risks", "Risk 2: at most 500 characters"),
                ("shared-support_needs", "Support needs: at most 20"),
                ("shared-applicant_agreed", "The applicant must agree"),
            ]
        );
    }

    #[test]
    fn a_nomination_says_its_kind_of_offer() {
        assert_eq!(
            kind_label(OfferKind::Unspecified as i32),
            "Ordinary nomination"
        );
        assert_eq!(
            kind_label(OfferKind::Urgent as i32),
            "Urgent or direct offer"
        );
    }
}
