//! Mobility schemes (sub-regional and national) the council gives a share of its lets to:
//! each with the lets it was owed over the financial year and those it was given, so the
//! mobility officer sees a shortfall before the year ends. Any officer in nominations reads
//! them; adding a scheme is a manager's, as the nominations service allows.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use housing_platform::auth::Role;
use housing_platform::returns::Period;
use housing_platform::time::{format_date, long_date, today};
use housing_proto::nominations::v1 as pb;
use serde::Deserialize;

use super::OFFICERS;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, Tab, encode, refusal, render};

const PATH: &str = "/nominations/mobility";
const PAGE_SIZE: i32 = 25;
/// Who adds a scheme: the council's agreement to give a share of its lets is a manager's.
const MANAGERS: &[Role] = &[Role::Manager];

/// The financial years an officer looks at, as the page's tabs.
const PERIODS: [(&str, &str); 2] = [
    ("year", "This financial year"),
    ("last-year", "Last financial year"),
];

/// The days of `period`: this financial year up to today, or the whole of the last one.
fn days(period: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let year_ending = Period::year_ending_of(today);
    match period {
        "year" => Some((Period::financial_year(year_ending)?.start, today)),
        "last-year" => {
            let last = Period::financial_year(year_ending - 1)?;
            Some((last.start, last.end))
        }
        _ => None,
    }
}

pub struct SchemeRow {
    pub name: String,
    pub quota_percent: i32,
    pub through_scheme: i64,
    pub quota_lets: i64,
    pub shortfall: i64,
}

#[derive(Template)]
#[template(path = "nominations/mobility.html")]
struct ListPage<'a> {
    page: Page<'a>,
    tabs: Vec<Tab>,
    period: String,
    lettings: i64,
    schemes: Vec<SchemeRow>,
    manager: bool,
    next_page: Option<String>,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    page_token: String,
    #[serde(default)]
    added: Option<String>,
}

pub async fn list(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    let chosen = if query.period.is_empty() {
        PERIODS[0].0
    } else {
        query.period.as_str()
    };
    let (from, to) = days(chosen, today()).ok_or(PageError::NotFound)?;
    let listed = state
        .nominations(&officer, PATH)
        .await?
        .list_mobility_schemes(pb::ListMobilitySchemesRequest {
            from: format_date(from),
            to: format_date(to),
            page_size: PAGE_SIZE,
            page_token: query.page_token.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner();
    Ok(render(&ListPage {
        page: Page::new("Mobility schemes", Some(&officer), Section::Nominations),
        tabs: PERIODS
            .iter()
            .map(|(value, text)| Tab {
                text,
                href: format!("{PATH}?period={value}"),
                current: *value == chosen,
            })
            .collect(),
        period: format!("Lets from {} to {}.", long_date(from), long_date(to)),
        // Every scheme is counted against the same lets.
        lettings: listed.schemes.first().map_or(0, |s| s.lettings),
        schemes: listed
            .schemes
            .into_iter()
            .map(|s| {
                let scheme = s.scheme.unwrap_or_default();
                SchemeRow {
                    name: scheme.name,
                    quota_percent: scheme.quota_percent,
                    through_scheme: s.through_scheme,
                    quota_lets: s.quota_lets,
                    shortfall: s.shortfall,
                }
            })
            .collect(),
        manager: officer.holds(MANAGERS),
        next_page: (!listed.next_page_token.is_empty()).then(|| {
            format!(
                "{PATH}?period={chosen}&page_token={}",
                encode(&listed.next_page_token)
            )
        }),
        notice: query.added.is_some().then_some("The scheme has been added"),
    }))
}

/// The scheme as the form holds it: text as typed, so a mistake is shown back.
#[derive(Debug, Default, Deserialize)]
pub struct SchemeForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    quota_percent: String,
}

impl SchemeForm {
    fn request(&self) -> Result<pb::CreateMobilitySchemeRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.name.trim().is_empty() {
            errors.push(FieldError::on("name", "Enter the scheme's name"));
        }
        let quota = self.quota_percent.trim().parse::<i32>();
        let quota_percent = match quota {
            Ok(quota) if (1..=100).contains(&quota) => quota,
            _ => {
                errors.push(FieldError::on(
                    "quota_percent",
                    "Enter the scheme's share of the council's lets, a whole number from 1 to 100",
                ));
                0
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::CreateMobilitySchemeRequest {
            request_id: self.request_id.clone(),
            name: self.name.trim().to_owned(),
            quota_percent,
        })
    }
}

#[derive(Template)]
#[template(path = "nominations/mobility_form.html")]
struct FormPage<'a> {
    page: Page<'a>,
    form: SchemeForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl FormPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn form_page(officer: &Officer, form: SchemeForm, errors: Vec<FieldError>) -> Response {
    let mut page = Page::new("Add a mobility scheme", Some(officer), Section::Nominations);
    page.error_count = errors.len();
    render(&FormPage {
        page,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn new(officer: Officer) -> Result<Response, PageError> {
    officer.require(MANAGERS)?;
    let form = SchemeForm {
        request_id: uuid::Uuid::new_v4().to_string(),
        ..SchemeForm::default()
    };
    Ok(form_page(&officer, form, Vec::new()))
}

pub async fn create(
    State(state): State<crate::web::State>,
    officer: Officer,
    Form(form): Form<SchemeForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(MANAGERS)?;
    let request = match form.request() {
        Ok(request) => request,
        Err(errors) => return Ok(form_page(&officer, form, errors)),
    };
    let answer = state
        .nominations(&officer, PATH)
        .await?
        .create_mobility_scheme(request)
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?added=1")).into_response()),
        // Two schemes of one name could not be told apart in a nomination.
        Err(status) if status.code() == tonic::Code::AlreadyExists => {
            let errors = vec![FieldError::on(
                "name",
                "A mobility scheme of this name has been added already",
            )];
            Ok(form_page(&officer, form, errors))
        }
        Err(status) => {
            let errors = refusal(status, PATH)?;
            Ok(form_page(&officer, form, errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn this_year_runs_from_april_to_today_and_last_year_is_whole() {
        let today = day(2026, 12, 7);
        assert_eq!(days("year", today), Some((day(2026, 4, 1), today)));
        assert_eq!(
            days("last-year", today),
            Some((day(2025, 4, 1), day(2026, 3, 31)))
        );
        assert_eq!(
            days("year", day(2027, 2, 1)),
            Some((day(2026, 4, 1), day(2027, 2, 1)))
        );
        assert_eq!(days("decade", today), None);
    }

    #[test]
    fn every_bad_field_of_a_scheme_is_named() {
        let form = SchemeForm {
            name: " ".into(),
            quota_percent: "101".into(),
            ..SchemeForm::default()
        };
        let errors = form.request().unwrap_err();
        let fields: Vec<_> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
        assert_eq!(fields, ["name", "quota_percent"]);
    }
}
