//! Concerns about the home a household is placed in, from the household, a neighbour or the
//! provider: logged, then acted on or escalated to the senior property manager, each step
//! kept with who took it and when.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::accommodation::v1::{self as pb, ConcernSource, ConcernStatus};
use serde::Deserialize;

use super::{WORK, fetch};
use crate::format;
use crate::session::Officer;
use crate::web::people::People;
use crate::web::{FieldError, Page, PageError, Section, error_for, refusal, render};

const SOURCES: [(ConcernSource, &str, &str); 3] = [
    (ConcernSource::Resident, "resident", "The household"),
    (ConcernSource::Neighbour, "neighbour", "A neighbour"),
    (
        ConcernSource::Provider,
        "provider",
        "The provider or landlord",
    ),
];

fn source_words(source: i32) -> &'static str {
    SOURCES
        .iter()
        .find(|(s, _, _)| *s as i32 == source)
        .map(|(_, _, words)| *words)
        .unwrap_or("Someone")
}

fn status_tag(status: i32) -> (&'static str, &'static str) {
    match ConcernStatus::try_from(status).unwrap_or(ConcernStatus::Unspecified) {
        ConcernStatus::Actioned => ("Acted on", "govuk-tag--green"),
        ConcernStatus::Escalated => ("Escalated", "govuk-tag--red"),
        _ => ("Open", "govuk-tag--yellow"),
    }
}

pub struct ConcernView {
    pub id: String,
    pub from: &'static str,
    pub description: String,
    pub status: (&'static str, &'static str),
    pub open: bool,
    /// Each step taken: what, the note, by whom and when.
    pub actions: Vec<(&'static str, String, String)>,
}

/// The concerns about the unit `unit_id`, newest first.
pub async fn about_unit(
    state: &crate::web::State,
    officer: &Officer,
    unit_id: &str,
    path: &str,
) -> Result<Vec<ConcernView>, PageError> {
    let concerns = state
        .accommodation(officer, path)
        .await?
        .list_concerns(pb::ListConcernsRequest {
            unit_id: unit_id.to_owned(),
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .concerns;
    let takers: Vec<&str> = concerns
        .iter()
        .flat_map(|c| &c.actions)
        .map(|a| a.taken_by.as_str())
        .collect();
    let people = People::of(state, officer, takers).await?;
    let mut views: Vec<ConcernView> = concerns
        .into_iter()
        .map(|c| ConcernView {
            from: source_words(c.source),
            status: status_tag(c.status),
            open: c.status == ConcernStatus::Open as i32,
            actions: c
                .actions
                .iter()
                .map(|a| {
                    (
                        status_tag(a.status).0,
                        a.note.clone(),
                        format!(
                            "{} by {}",
                            format::timestamp(a.taken_at.as_ref()),
                            people.who(&a.taken_by)
                        ),
                    )
                })
                .collect(),
            id: c.concern_id,
            description: c.description,
        })
        .collect();
    views.reverse();
    Ok(views)
}

/// The unit the household of `placement` lives in now.
fn current_unit(placement: &pb::Placement) -> Result<String, PageError> {
    placement
        .stays
        .iter()
        .find(|s| s.to_date.is_empty())
        .map(|s| s.unit_id.clone())
        .or_else(|| Some(placement.unit_id.clone()).filter(|u| !u.is_empty()))
        .ok_or(PageError::NotFound)
}

#[derive(Debug, Default, Deserialize)]
pub struct LogForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is shown: posting it twice logs one concern.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    description: String,
}

impl LogForm {
    fn request(&self, unit_id: &str) -> Result<pb::LogConcernRequest, Vec<FieldError>> {
        let source = SOURCES.iter().find(|(_, v, _)| *v == self.source);
        let mut errors = Vec::new();
        if source.is_none() {
            errors.push(FieldError::on("source", "Select who raised the concern"));
        }
        if self.description.trim().is_empty() {
            errors.push(FieldError::on("description", "Enter what the concern is"));
        }
        match source {
            Some((source, _, _)) if errors.is_empty() => Ok(pb::LogConcernRequest {
                request_id: self.request_id.clone(),
                unit_id: unit_id.to_owned(),
                source: *source as i32,
                description: self.description.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "accommodation/concern_log.html")]
struct LogPage<'a> {
    page: Page<'a>,
    id: String,
    sources: Vec<(&'static str, &'static str)>,
    form: LogForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl LogPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn log_page(officer: &Officer, id: &str, mut form: LogForm, errors: Vec<FieldError>) -> Response {
    if form.request_id.is_empty() {
        form.request_id = uuid::Uuid::new_v4().to_string();
    }
    let mut page = Page::new(
        "Log a concern about the home",
        Some(officer),
        Section::Accommodation,
    );
    page.error_count = errors.len();
    render(&LogPage {
        page,
        id: id.to_owned(),
        sources: SOURCES.iter().map(|(_, v, w)| (*v, *w)).collect(),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn log_path(id: &str) -> String {
    format!("/accommodation/placements/{id}/concerns/new")
}

pub async fn new_concern(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    fetch(&state, &officer, &id, &log_path(&id)).await?;
    Ok(log_page(&officer, &id, LogForm::default(), Vec::new()))
}

pub async fn log_concern(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<LogForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let path = log_path(&id);
    let unit = current_unit(&fetch(&state, &officer, &id, &path).await?)?;
    let request = match form.request(&unit) {
        Ok(request) => request,
        Err(errors) => return Ok(log_page(&officer, &id, form, errors)),
    };
    match state
        .accommodation(&officer, &path)
        .await?
        .log_concern(request)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/accommodation/placements/{id}?concern_logged=1#concerns"
        ))
        .into_response()),
        Err(status) => Ok(log_page(&officer, &id, form, refusal(status, &path)?)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ActForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    note: String,
}

impl ActForm {
    fn request(&self, concern_id: &str) -> Result<pb::ActOnConcernRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let status = match self.outcome.as_str() {
            "actioned" => ConcernStatus::Actioned,
            "escalated" => ConcernStatus::Escalated,
            _ => {
                errors.push(FieldError::on(
                    "outcome",
                    "Select whether you acted on it or escalated it",
                ));
                ConcernStatus::Unspecified
            }
        };
        if self.note.trim().is_empty() {
            errors.push(FieldError::on(
                "note",
                "Enter what was done, or why it is escalated",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::ActOnConcernRequest {
            concern_id: concern_id.to_owned(),
            status: status as i32,
            note: self.note.trim().to_owned(),
        })
    }
}

#[derive(Template)]
#[template(path = "accommodation/concern_act.html")]
struct ActPage<'a> {
    page: Page<'a>,
    id: String,
    concern: ConcernView,
    form: ActForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl ActPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn act_path(id: &str, concern_id: &str) -> String {
    format!("/accommodation/placements/{id}/concerns/{concern_id}")
}

/// The open concern `concern_id` about the home of placement `id`.
async fn open_concern(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    concern_id: &str,
) -> Result<ConcernView, PageError> {
    let path = act_path(id, concern_id);
    let unit = current_unit(&fetch(state, officer, id, &path).await?)?;
    about_unit(state, officer, &unit, &path)
        .await?
        .into_iter()
        .find(|c| c.id == concern_id && c.open)
        .ok_or(PageError::NotFound)
}

fn act_page(
    officer: &Officer,
    id: &str,
    concern: ConcernView,
    form: ActForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new("Act on the concern", Some(officer), Section::Accommodation);
    page.error_count = errors.len();
    render(&ActPage {
        page,
        id: id.to_owned(),
        concern,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn edit_concern(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path((id, concern_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let concern = open_concern(&state, &officer, &id, &concern_id).await?;
    Ok(act_page(
        &officer,
        &id,
        concern,
        ActForm::default(),
        Vec::new(),
    ))
}

pub async fn act_on_concern(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path((id, concern_id)): Path<(String, String)>,
    Form(form): Form<ActForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let concern = open_concern(&state, &officer, &id, &concern_id).await?;
    let request = match form.request(&concern_id) {
        Ok(request) => request,
        Err(errors) => return Ok(act_page(&officer, &id, concern, form, errors)),
    };
    let path = act_path(&id, &concern_id);
    match state
        .accommodation(&officer, &path)
        .await?
        .act_on_concern(request)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/accommodation/placements/{id}?concern_acted=1#concerns"
        ))
        .into_response()),
        Err(status) => Ok(act_page(
            &officer,
            &id,
            concern,
            form,
            refusal(status, &path)?,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().filter_map(|e| e.field).collect()
    }

    #[test]
    fn a_concern_needs_who_raised_it_and_what_it_is() {
        assert_eq!(
            fields(LogForm::default().request("u").unwrap_err()),
            ["source", "description"]
        );
        let request = LogForm {
            source: "neighbour".into(),
            description: "Water coming through the ceiling".into(),
            ..Default::default()
        }
        .request("u")
        .unwrap();
        assert_eq!(request.source, ConcernSource::Neighbour as i32);
    }

    #[test]
    fn acting_on_a_concern_needs_the_outcome_and_a_note() {
        assert_eq!(
            fields(ActForm::default().request("c").unwrap_err()),
            ["outcome", "note"]
        );
        let request = ActForm {
            outcome: "escalated".into(),
            note: "Third leak this month".into(),
            ..Default::default()
        }
        .request("c")
        .unwrap();
        assert_eq!(request.status, ConcernStatus::Escalated as i32);
    }
}
