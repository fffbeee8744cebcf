//! CORE's lettings log for a manager: the council's own lettings of the year checked with
//! CORE's validations, the logs that pass downloaded as CORE's bulk-upload file, and every
//! failure listed by application and field for an officer to put right. Producing it is a run
//! the nominations service records against the manager.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use housing_platform::returns::{Period, csv_table};
use housing_platform::time::long_date;
use housing_proto::nominations::v1 as noms;

use super::{READ, csv_response};
use crate::session::Officer;
use crate::web::{Page, PageError, Section, render};

/// The year whose file the nominations service writes: CORE changes its form every year.
pub const YEAR_ENDING: i32 = 2027;
/// Failures listed on the page; the rest are in the failures file.
const SHOWN: usize = 200;

#[derive(Template)]
#[template(path = "returns_core.html")]
struct CorePage<'a> {
    page: Page<'a>,
    period: String,
    logs: i64,
    withheld: i64,
    problems: Vec<noms::CoreLogProblem>,
    more: usize,
}

async fn produce(
    state: &crate::web::State,
    officer: &Officer,
    path: &str,
) -> Result<noms::ProduceCoreLettingsLogResponse, PageError> {
    Ok(state
        .nominations_returns(officer, path)
        .await?
        .produce_core_lettings_log(noms::ProduceCoreLettingsLogRequest {
            year_ending: YEAR_ENDING,
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner())
}

pub async fn show(
    State(state): State<crate::web::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let mut log = produce(&state, &officer, "/figures/returns/core").await?;
    let period = Period::financial_year(YEAR_ENDING).ok_or(PageError::NotFound)?;
    let more = log.problems.len().saturating_sub(SHOWN);
    log.problems.truncate(SHOWN);
    Ok(render(&CorePage {
        page: Page::new(
            format!(
                "CORE lettings log {}/{}",
                YEAR_ENDING - 1,
                YEAR_ENDING % 100
            ),
            Some(&officer),
            Section::Figures,
        ),
        period: format!(
            "Lettings of the council's own homes whose tenancies started from {} to {}.",
            long_date(period.start),
            long_date(period.end)
        ),
        logs: log.logs,
        withheld: log.withheld,
        problems: log.problems,
        more,
    }))
}

pub async fn csv(
    State(state): State<crate::web::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let log = produce(&state, &officer, "/figures/returns").await?;
    Ok(csv_response(
        &format!("core-lettings-{}", YEAR_ENDING),
        log.csv.into_bytes(),
    ))
}

pub async fn problems_csv(
    State(state): State<crate::web::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let log = produce(&state, &officer, "/figures/returns").await?;
    let table = csv_table(
        &[
            "Application",
            "Letting",
            "Field",
            "Question",
            "What CORE says",
            "Must be put right",
        ],
        log.problems.iter().map(|p| {
            vec![
                p.application_reference.clone(),
                p.letting_id.clone(),
                p.field.to_string(),
                p.question.clone(),
                p.message.clone(),
                if p.confirmable { "no" } else { "yes" }.to_owned(),
            ]
        }),
    );
    Ok(csv_response(
        &format!("core-lettings-{}-failures", YEAR_ENDING),
        table.into_bytes(),
    ))
}
