//! The weekly charge run: every open account charged its rent and service charge for a week.
//! The run is started in the background (for England's 132,000 placements it takes seconds,
//! not a page load) and its page shows how far it has got, each reload reading the accounts
//! charged and those still to charge.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use housing_platform::money::Pence;
use housing_platform::time::today;
use housing_proto::rent::v1 as pb;
use serde::Deserialize;

use super::INCOME;
use crate::session::Officer;
use crate::web::people::People;
use crate::web::{FieldError, Page, PageError, Section, encode, render};

const PATH: &str = "/income/charges";

/// The Monday that starts the week `day` is in.
fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The week asked for (`YYYY-MM-DD`, a Monday), this week's when none is asked.
fn week(asked: &str) -> Result<NaiveDate, FieldError> {
    if asked.trim().is_empty() {
        return Ok(monday_of(today()));
    }
    match NaiveDate::parse_from_str(asked.trim(), "%Y-%m-%d") {
        Ok(day) if day.weekday() == Weekday::Mon => Ok(day),
        Ok(_) => Err(FieldError::on(
            "week",
            "The week must start on a Monday, like 2026-11-30",
        )),
        Err(_) => Err(FieldError::on(
            "week",
            "Enter the Monday that starts the week, like 2026-11-30",
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct WeekQuery {
    #[serde(default)]
    week: String,
    #[serde(default)]
    started: Option<String>,
}

pub struct RunView {
    pub charged: i64,
    pub remaining: i64,
    pub percent: i64,
    pub total: String,
    pub finished: bool,
    pub run_by: String,
}

#[derive(Template)]
#[template(path = "income/charges.html")]
struct ChargesPage<'a> {
    page: Page<'a>,
    week: String,
    week_words: String,
    /// Whether a real week was asked for; `run` is `None` for one not started.
    chosen: bool,
    run: Option<RunView>,
    notice: Option<&'static str>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

pub async fn show(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<WeekQuery>,
) -> Result<Response, PageError> {
    officer.require(INCOME)?;
    let (monday, errors) = match week(&query.week) {
        Ok(monday) => (Some(monday), Vec::new()),
        Err(error) => (None, vec![error]),
    };
    let asked = match monday {
        Some(monday) => state
            .rent(&officer, PATH)
            .await?
            .get_charge_run(pb::GetChargeRunRequest {
                week_start: monday.to_string(),
            })
            .await
            .map(|run| Some(run.into_inner()))
            .or_else(|status| match status.code() {
                // A week nobody has started charging yet.
                tonic::Code::NotFound => Ok(None),
                _ => Err(PageError::from_status(status, PATH)),
            })?,
        None => None,
    };
    let run = match asked {
        Some(run) => {
            let people = People::of(&state, &officer, [run.run_by.as_str()]).await?;
            let all = run.accounts_charged + run.accounts_remaining;
            Some(RunView {
                charged: run.accounts_charged,
                remaining: run.accounts_remaining,
                percent: if all > 0 {
                    run.accounts_charged * 100 / all
                } else {
                    100
                },
                total: Pence::new(run.total_charged_pence).to_string(),
                finished: run.finished,
                run_by: if run.run_by.is_empty() {
                    String::new()
                } else {
                    people.who(&run.run_by)
                },
            })
        }
        None => None,
    };
    let chosen = monday.is_some();
    let mut page = Page::new("Weekly charges", Some(&officer), Section::Income);
    page.error_count = errors.len();
    Ok(render(&ChargesPage {
        page,
        week: monday.map(|m| m.to_string()).unwrap_or(query.week),
        week_words: monday
            .map(|m| {
                format!(
                    "{} to {}",
                    housing_platform::time::long_date(m),
                    housing_platform::time::long_date(m + Days::new(6))
                )
            })
            .unwrap_or_default(),
        chosen,
        run,
        notice: query
            .started
            .map(|_| "The charge run has started: reload the page to see how far it has got"),
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct RunForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    week: String,
}

/// Starts the week's run and goes back to its page at once. A run already charged part of
/// the week charges only what is left, so starting it twice charges nobody twice.
pub async fn run(
    State(state): State<crate::web::State>,
    officer: Officer,
    Form(form): Form<RunForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(INCOME)?;
    let monday = week(&form.week).map_err(|_| PageError::NotFound)?;
    let mut client = state.rent(&officer, PATH).await?;
    let subject = officer.subject.clone();
    tokio::spawn(async move {
        let ran = client
            .run_weekly_charges(pb::RunWeeklyChargesRequest {
                week_start: monday.to_string(),
            })
            .await;
        if let Err(status) = ran {
            tracing::warn!(%subject, week = %monday, %status, "the weekly charge run failed");
        }
    });
    Ok(Redirect::to(&format!(
        "{PATH}?week={}&started=1",
        encode(&monday.to_string())
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_is_named_by_its_monday() {
        let sunday = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(
            monday_of(sunday),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        assert_eq!(
            week("2026-11-30").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        assert_eq!(
            week("2026-12-01").unwrap_err().field.as_deref(),
            Some("week")
        );
        assert!(week("next week").unwrap_err().message.contains("Monday"));
    }
}
