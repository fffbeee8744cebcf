//! Referrals: an officer refers an application to the medical and welfare panel, private
//! sector housing or a senior officer with the question it is asked; the panel's finding is
//! recorded against the referral and the register re-assesses the application.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::auth::Role;
use housing_proto::register::v1::{self as pb, ReferralPanel};
use serde::Deserialize;

use super::{ASSESS, Paged, Queue, QueueRow, fetch, queue_page};
use crate::format;
use crate::session::Officer;
use crate::web::people::People;
use crate::web::{FieldError, Page, PageError, Section, error_for, refusal, render};

/// Who decides a referral to a senior officer (as the register allows).
const SENIOR: &[Role] = &[Role::SeniorOfficer, Role::Manager];

const PANELS: [(ReferralPanel, &str, &str); 3] = [
    (
        ReferralPanel::MedicalWelfare,
        "medical_welfare",
        "Medical and welfare panel",
    ),
    (
        ReferralPanel::PrivateSectorHousing,
        "private_sector_housing",
        "Private sector housing (conditions in the home)",
    ),
    (
        ReferralPanel::SeniorOfficer,
        "senior_officer",
        "Senior officer (exceptional circumstances)",
    ),
];

fn panel_name(panel: i32) -> &'static str {
    PANELS
        .iter()
        .find(|(p, _, _)| *p as i32 == panel)
        .map(|(_, _, name)| *name)
        .unwrap_or("Unknown panel")
}

/// A referral as the application page and the queue show it.
pub struct ReferralRow {
    pub id: String,
    pub application_id: String,
    pub reference: String,
    pub panel: &'static str,
    pub question: String,
    pub referred: String,
    pub status: (&'static str, &'static str),
    pub findings: String,
    pub decided: String,
    pub open: bool,
    /// Whether the signed-in officer may record its outcome.
    pub can_decide: bool,
}

impl ReferralRow {
    /// Who referred and who decided, to be named.
    pub fn subjects(r: &pb::Referral) -> [&str; 2] {
        [&r.referred_by, &r.decided_by]
    }

    pub fn new(r: pb::Referral, officer: &Officer, people: &People) -> Self {
        let status = match r.status.as_str() {
            "accepted" => ("Accepted", "govuk-tag--green"),
            "declined" => ("Declined", "govuk-tag--grey"),
            _ => ("Awaiting an outcome", "govuk-tag--yellow"),
        };
        let open = r.status == "open";
        let may = if r.panel == ReferralPanel::SeniorOfficer as i32 {
            SENIOR
        } else {
            ASSESS
        };
        Self {
            can_decide: open && officer.holds(may),
            panel: panel_name(r.panel),
            referred: format!(
                "{} by {}",
                format::timestamp(r.referred_at.as_ref()),
                people.who(&r.referred_by)
            ),
            decided: if open {
                String::new()
            } else {
                format!(
                    "{} by {}",
                    format::timestamp(r.decided_at.as_ref()),
                    people.who(&r.decided_by)
                )
            },
            id: r.referral_id,
            application_id: r.application_id,
            reference: r.application_reference,
            question: r.question,
            status,
            findings: r.findings,
            open,
        }
    }
}

/// An application's referrals, oldest first.
pub async fn of_application(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<Vec<pb::Referral>, PageError> {
    Ok(state
        .register(officer, path)
        .await?
        .list_referrals(pb::ListReferralsRequest {
            application_id: id.to_owned(),
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .referrals)
}

#[derive(Debug, Default, Deserialize)]
pub struct ReferForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    panel: String,
    #[serde(default)]
    question: String,
}

impl ReferForm {
    fn request(&self, id: &str) -> Result<pb::ReferApplicationRequest, Vec<FieldError>> {
        let panel = PANELS.iter().find(|(_, value, _)| *value == self.panel);
        let mut errors = Vec::new();
        if panel.is_none() {
            errors.push(FieldError::on(
                "panel",
                "Select who the application is referred to",
            ));
        }
        if self.question.trim().is_empty() {
            errors.push(FieldError::on("question", "Enter what the panel is asked"));
        }
        match panel {
            Some((panel, _, _)) if errors.is_empty() => Ok(pb::ReferApplicationRequest {
                application_id: id.to_owned(),
                panel: *panel as i32,
                question: self.question.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "register/refer.html")]
struct ReferPage<'a> {
    page: Page<'a>,
    id: String,
    reference: String,
    panels: Vec<(&'static str, &'static str)>,
    form: ReferForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl ReferPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn refer_page(
    officer: &Officer,
    app: &pb::Application,
    form: ReferForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new("Refer the application", Some(officer), Section::Register);
    page.error_count = errors.len();
    render(&ReferPage {
        page,
        id: app.application_id.clone(),
        reference: app.reference.clone(),
        panels: PANELS.iter().map(|(_, v, name)| (*v, *name)).collect(),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn refer_path(id: &str) -> String {
    format!("/register/applications/{id}/refer")
}

pub async fn new_referral(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(ASSESS)?;
    let app = fetch(&state, &officer, &id, &refer_path(&id)).await?;
    Ok(refer_page(&officer, &app, ReferForm::default(), Vec::new()))
}

pub async fn refer(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<ReferForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(ASSESS)?;
    let path = refer_path(&id);
    let app = fetch(&state, &officer, &id, &path).await?;
    let request = match form.request(&id) {
        Ok(request) => request,
        Err(errors) => return Ok(refer_page(&officer, &app, form, errors)),
    };
    match state
        .register(&officer, &path)
        .await?
        .refer_application(request)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/register/applications/{id}?referred=1")).into_response())
        }
        Err(status) => Ok(refer_page(&officer, &app, form, refusal(status, &path)?)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    accepted: String,
    #[serde(default)]
    findings: String,
}

impl OutcomeForm {
    fn request(
        &self,
        referral_id: &str,
    ) -> Result<pb::RecordReferralOutcomeRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let accepted = match self.accepted.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                errors.push(FieldError::on(
                    "accepted",
                    "Select whether the panel accepted the referral",
                ));
                None
            }
        };
        if self.findings.trim().is_empty() {
            errors.push(FieldError::on("findings", "Enter what the panel found"));
        }
        match accepted {
            Some(accepted) if errors.is_empty() => Ok(pb::RecordReferralOutcomeRequest {
                referral_id: referral_id.to_owned(),
                accepted,
                findings: self.findings.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "register/referral_outcome.html")]
struct OutcomePage<'a> {
    page: Page<'a>,
    id: String,
    reference: String,
    referral: ReferralRow,
    form: OutcomeForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl OutcomePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn outcome_path(id: &str, referral_id: &str) -> String {
    format!("/register/applications/{id}/referrals/{referral_id}/outcome")
}

/// The application and its open referral `referral_id` the officer may decide.
async fn open_referral(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    referral_id: &str,
) -> Result<(pb::Application, ReferralRow), PageError> {
    let path = outcome_path(id, referral_id);
    let app = fetch(state, officer, id, &path).await?;
    let referral = of_application(state, officer, id, &path)
        .await?
        .into_iter()
        .find(|r| r.referral_id == referral_id)
        .ok_or(PageError::NotFound)?;
    let people = People::of(state, officer, ReferralRow::subjects(&referral)).await?;
    let referral = ReferralRow::new(referral, officer, &people);
    if !referral.can_decide {
        return Err(PageError::Forbidden(if referral.open {
            "a referral to a senior officer is decided by a senior officer".into()
        } else {
            "the referral already has its outcome".into()
        }));
    }
    Ok((app, referral))
}

fn outcome_page(
    officer: &Officer,
    app: &pb::Application,
    referral: ReferralRow,
    form: OutcomeForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new(
        "Record the referral's outcome",
        Some(officer),
        Section::Register,
    );
    page.error_count = errors.len();
    render(&OutcomePage {
        page,
        id: app.application_id.clone(),
        reference: app.reference.clone(),
        referral,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn edit_outcome(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path((id, referral_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    officer.require(ASSESS)?;
    let (app, referral) = open_referral(&state, &officer, &id, &referral_id).await?;
    Ok(outcome_page(
        &officer,
        &app,
        referral,
        OutcomeForm::default(),
        Vec::new(),
    ))
}

pub async fn save_outcome(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path((id, referral_id)): Path<(String, String)>,
    Form(form): Form<OutcomeForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(ASSESS)?;
    let (app, referral) = open_referral(&state, &officer, &id, &referral_id).await?;
    let request = match form.request(&referral_id) {
        Ok(request) => request,
        Err(errors) => return Ok(outcome_page(&officer, &app, referral, form, errors)),
    };
    let path = outcome_path(&id, &referral_id);
    match state
        .register(&officer, &path)
        .await?
        .record_referral_outcome(request)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/register/applications/{id}?referral_decided=1"))
                .into_response(),
        ),
        Err(status) => Ok(outcome_page(
            &officer,
            &app,
            referral,
            form,
            refusal(status, &path)?,
        )),
    }
}

/// The panels' queue: referrals awaiting an outcome across the register, oldest first.
pub async fn queue(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(paged): Query<Paged>,
) -> Result<Response, PageError> {
    officer.require(ASSESS)?;
    let path = "/register/referrals";
    let found = state
        .register(&officer, path)
        .await?
        .list_referrals(pb::ListReferralsRequest {
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
        found.referrals.iter().flat_map(ReferralRow::subjects),
    )
    .await?;
    let rows = found
        .referrals
        .into_iter()
        .map(|r| ReferralRow::new(r, &officer, &people))
        .map(|r| QueueRow {
            action: r.can_decide.then(|| {
                (
                    format!(
                        "/register/applications/{}/referrals/{}/outcome",
                        r.application_id, r.id
                    ),
                    "Record the outcome",
                )
            }),
            application_id: r.application_id,
            reference: r.reference,
            what: r.panel,
            detail: r.question,
            since: r.referred,
        })
        .collect();
    let words = Queue {
        title: "Referrals awaiting an outcome",
        path,
        columns: ("Referred to", "Question", "Referred"),
        empty: "No referrals are waiting for an outcome.",
        action_suffix: "for",
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
    fn a_referral_needs_a_panel_and_a_question() {
        let empty = ReferForm::default();
        assert_eq!(
            fields(empty.request("a").unwrap_err()),
            ["panel", "question"]
        );
        let form = ReferForm {
            panel: "private_sector_housing".into(),
            question: "  Is there a category 1 hazard?  ".into(),
            ..Default::default()
        };
        let request = form.request("a").unwrap();
        assert_eq!(request.panel, ReferralPanel::PrivateSectorHousing as i32);
        assert_eq!(request.question, "Is there a category 1 hazard?");
    }

    #[test]
    fn an_outcome_needs_the_finding_and_what_was_found() {
        let empty = OutcomeForm::default();
        assert_eq!(
            fields(empty.request("r").unwrap_err()),
            ["accepted", "findings"]
        );
        let form = OutcomeForm {
            accepted: "no".into(),
            findings: "no hazard found".into(),
            ..Default::default()
        };
        assert!(!form.request("r").unwrap().accepted);
    }
}
