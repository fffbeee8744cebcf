//! Changing an application's status by hand: suspending it until a date, lifting a
//! suspension, or ending it (withdrawn, cancelled, closed), always with the reason. The
//! register says which moves the law allows from where the application stands.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::auth::Role;
use housing_proto::register::v1::{self as pb, ApplicationStatus};
use serde::Deserialize;

use super::{ASSESS, status_tag};
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

/// Suspending and lifting a suspension are a senior officer's decisions (as the register
/// holds them); ending an application is any officer's.
const SENIOR: &[Role] = &[Role::SeniorOfficer, Role::Manager];

/// The statuses an officer sets by hand, what each means for the household, and who may.
const CHOICES: [(ApplicationStatus, &str, &str, &[Role]); 5] = [
    (
        ApplicationStatus::Suspended,
        "Suspend",
        "Kept off shortlists until the date below, then back on the register by itself.",
        SENIOR,
    ),
    (
        ApplicationStatus::Active,
        "On the register",
        "Lifts a suspension now.",
        SENIOR,
    ),
    (
        ApplicationStatus::Withdrawn,
        "Withdrawn",
        "The applicant asked to come off the register.",
        ASSESS,
    ),
    (
        ApplicationStatus::Cancelled,
        "Cancelled",
        "Taken in by mistake, or a duplicate.",
        ASSESS,
    ),
    (
        ApplicationStatus::Closed,
        "Closed",
        "No longer eligible or qualifying, or no reply to a review.",
        ASSESS,
    ),
];

/// The choices `officer`'s roles allow.
fn choices(
    officer: &Officer,
) -> impl Iterator<
    Item = &'static (
        ApplicationStatus,
        &'static str,
        &'static str,
        &'static [Role],
    ),
> + '_ {
    CHOICES.iter().filter(|(.., roles)| officer.holds(roles))
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
    #[serde(default, rename = "until-day")]
    until_day: String,
    #[serde(default, rename = "until-month")]
    until_month: String,
    #[serde(default, rename = "until-year")]
    until_year: String,
}

impl StatusForm {
    fn request(
        &self,
        id: &str,
        officer: &Officer,
    ) -> Result<pb::ChangeApplicationStatusRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let status = choices(officer)
            .find(|(s, ..)| super::status_value(*s) == self.status)
            .map(|(s, ..)| *s);
        if status.is_none() {
            errors.push(FieldError {
                field: Some("status".into()),
                message: "Select the status the application moves to".into(),
            });
        }
        let until = if status == Some(ApplicationStatus::Suspended) {
            match self.until() {
                Some(date) => date,
                None => {
                    errors.push(FieldError {
                        field: Some("suspended_until".into()),
                        message: "Enter the date the suspension ends, like 27 3 2027".into(),
                    });
                    String::new()
                }
            }
        } else {
            String::new()
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::ChangeApplicationStatusRequest {
            application_id: id.to_owned(),
            status: status.map_or(0, |s| s as i32),
            reason: self.reason.trim().to_owned(),
            suspended_until: until,
        })
    }

    /// The three date fields as an ISO date, if they make one.
    fn until(&self) -> Option<String> {
        let number = |s: &str| s.trim().parse::<u32>().ok();
        let date = chrono::NaiveDate::from_ymd_opt(
            i32::try_from(number(&self.until_year)?).ok()?,
            number(&self.until_month)?,
            number(&self.until_day)?,
        )?;
        Some(date.format("%Y-%m-%d").to_string())
    }
}

struct Choice {
    value: String,
    label: &'static str,
    hint: &'static str,
}

#[derive(Template)]
#[template(path = "register/status.html")]
struct StatusPage<'a> {
    page: Page<'a>,
    id: String,
    reference: String,
    current: String,
    choices: Vec<Choice>,
    /// The officer may suspend, so the date it ends is asked for.
    can_suspend: bool,
    form: StatusForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl StatusPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn page(
    officer: &Officer,
    app: &pb::Application,
    form: StatusForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new("Change the status", Some(officer), Section::Register);
    page.error_count = errors.len();
    let (current, _) = status_tag(app.status);
    render(&StatusPage {
        page,
        id: app.application_id.clone(),
        reference: app.reference.clone(),
        current,
        choices: choices(officer)
            .map(|(s, label, hint, _)| Choice {
                value: super::status_value(*s),
                label,
                hint,
            })
            .collect(),
        can_suspend: choices(officer).any(|(s, ..)| *s == ApplicationStatus::Suspended),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn path(id: &str) -> String {
    format!("/register/applications/{id}/status")
}

pub async fn edit_status(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(ASSESS)?;
    let app = super::fetch(&state, &officer, &id, &path(&id)).await?;
    Ok(page(&officer, &app, StatusForm::default(), Vec::new()))
}

pub async fn save_status(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(ASSESS)?;
    let app = super::fetch(&state, &officer, &id, &path(&id)).await?;
    let request = match form.request(&id, &officer) {
        Ok(request) => request,
        Err(errors) => return Ok(page(&officer, &app, form, errors)),
    };
    let answer = state
        .services
        .register(&state.sessions, &officer)
        .await
        .map_err(|e| PageError::from_session(e, &path(&id)))?
        .change_application_status(request)
        .await;
    match answer {
        Ok(_) => Ok(
            Redirect::to(&format!("/register/applications/{id}?status_changed=1")).into_response(),
        ),
        Err(status) => Ok(page(&officer, &app, form, refusal(status, &path(&id))?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(status: &str, day: &str, month: &str, year: &str) -> StatusForm {
        StatusForm {
            status: status.into(),
            reason: "a reason".into(),
            until_day: day.into(),
            until_month: month.into(),
            until_year: year.into(),
            ..Default::default()
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().filter_map(|e| e.field).collect()
    }

    fn officer(roles: &[Role]) -> Officer {
        Officer {
            session: String::new(),
            subject: "s".into(),
            name: "n".into(),
            roles: roles.to_vec(),
            csrf_token: String::new(),
        }
    }

    #[test]
    fn a_suspension_needs_a_real_date_and_a_status_must_be_chosen() {
        let senior = officer(&[Role::SeniorOfficer]);
        let request = form("suspended", "27", "3", "2027")
            .request("app", &senior)
            .unwrap();
        assert_eq!(request.suspended_until, "2027-03-27");
        assert_eq!(request.status, ApplicationStatus::Suspended as i32);
        for (day, month, year) in [("", "3", "2027"), ("31", "2", "2027"), ("x", "3", "2027")] {
            let refused = form("suspended", day, month, year)
                .request("app", &senior)
                .unwrap_err();
            assert_eq!(fields(refused), ["suspended_until"]);
        }
        let lifted = form("active", "", "", "").request("app", &senior).unwrap();
        assert_eq!(lifted.suspended_until, "");
        assert_eq!(
            fields(form("", "", "", "").request("app", &senior).unwrap_err()),
            ["status"]
        );
        assert_eq!(
            fields(
                form("housed", "", "", "")
                    .request("app", &senior)
                    .unwrap_err()
            ),
            ["status"]
        );
    }

    #[test]
    fn only_a_senior_officer_is_offered_a_suspension() {
        let allocations = officer(&[Role::AllocationsOfficer]);
        let offered: Vec<_> = choices(&allocations).map(|c| c.1).collect();
        assert_eq!(offered, ["Withdrawn", "Cancelled", "Closed"]);
        assert_eq!(
            fields(
                form("suspended", "27", "3", "2027")
                    .request("app", &allocations)
                    .unwrap_err()
            ),
            ["status"]
        );
        assert_eq!(choices(&officer(&[Role::Manager])).count(), 5);
    }
}
