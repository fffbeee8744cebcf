//! Statutory returns for a manager: LAHS section C from the register and H-CLIC from
//! temporary accommodation, each shown as tables and downloaded as the CSV files the
//! services produce, with the runs on record. Producing a return, on screen or as a file,
//! is a run the service records against the manager.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, Months};
use housing_platform::returns::Period;
use housing_platform::time::{long_date, today};
use housing_proto::accommodation::v1 as ta;
use housing_proto::register::v1 as reg;
use housing_proto::returns::v1 as returns_pb;
use serde::Deserialize;

use super::{READ, csv_response};
use crate::session::Officer;
use crate::web::{Page, PageError, Section, render};

/// Financial years and quarters offered: those ended, newest first.
const YEARS: i32 = 5;
const QUARTERS: u32 = 8;

#[derive(Deserialize)]
pub struct Year {
    year_ending: i32,
}

/// A quarter as the form gives it: `2026-3` for the third quarter of 2025/26.
#[derive(Deserialize)]
pub struct QuarterQuery {
    period: String,
}

struct Quarter {
    year_ending: i32,
    quarter: u32,
}

impl QuarterQuery {
    fn quarter(&self) -> Result<Quarter, PageError> {
        let (year, quarter) = self.period.split_once('-').ok_or(PageError::NotFound)?;
        Ok(Quarter {
            year_ending: year.parse().map_err(|_| PageError::NotFound)?,
            quarter: quarter.parse().map_err(|_| PageError::NotFound)?,
        })
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

pub struct RunRow {
    pub what: &'static str,
    pub period: String,
    pub by: String,
    pub at: String,
    pub rows: i64,
}

/// One line of a return's tables.
pub struct Line {
    pub table: String,
    pub line: String,
    pub figure: i64,
}

#[derive(Template)]
#[template(path = "returns.html")]
struct ReturnsPage<'a> {
    page: Page<'a>,
    years: Vec<Choice>,
    quarters: Vec<Choice>,
    report_periods: Vec<Choice>,
    core_year: String,
    runs: Vec<RunRow>,
}

#[derive(Template)]
#[template(path = "returns_result.html")]
struct ResultPage<'a> {
    page: Page<'a>,
    period: String,
    lines: Vec<Line>,
    /// H-CLIC only: what to put right first.
    problems: Vec<ta::HclicProblem>,
    records: Option<i64>,
    downloads: Vec<(String, &'static str)>,
}

pub(super) fn quarter_words(year_ending: i32, quarter: u32) -> String {
    match Period::quarter(year_ending, quarter) {
        Some(p) => format!(
            "{} to {} ({}/{} quarter {quarter})",
            p.start.format("%B %Y"),
            p.end.format("%B %Y"),
            year_ending - 1,
            year_ending % 100
        ),
        None => String::new(),
    }
}

/// The quarters that have ended, newest first.
pub(super) fn ended_quarters() -> Vec<(i32, u32)> {
    let mut out = Vec::new();
    let mut on = today();
    while out.len() < QUARTERS as usize {
        on = match on.checked_sub_months(Months::new(3)) {
            Some(d) => d,
            None => break,
        };
        let year_ending = Period::year_ending_of(on);
        let quarter = (on.month() + 8) % 12 / 3 + 1;
        if Period::quarter(year_ending, quarter).is_some_and(|p| p.end < today())
            && !out.contains(&(year_ending, quarter))
        {
            out.push((year_ending, quarter));
        }
    }
    out
}

fn run_row(run: &returns_pb::ReturnRun) -> RunRow {
    let what = match returns_pb::ReturnKind::try_from(run.kind) {
        Ok(returns_pb::ReturnKind::LahsSectionC) => "LAHS section C",
        Ok(returns_pb::ReturnKind::HclicTemporaryAccommodation) => "H-CLIC temporary accommodation",
        Ok(returns_pb::ReturnKind::ManagementReport) => "Management report",
        Ok(returns_pb::ReturnKind::CoreLettings) => "CORE lettings log",
        _ => "Other",
    };
    let at = crate::format::timestamp(run.run_at.as_ref());
    RunRow {
        what,
        period: format!(
            "{} to {}",
            crate::format::date(&run.period_start),
            crate::format::date(&run.period_end)
        ),
        by: if run.run_by_name.is_empty() {
            run.run_by.clone()
        } else {
            run.run_by_name.clone()
        },
        at,
        rows: run.rows,
    }
}

pub async fn show(
    State(state): State<crate::web::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let path = "/figures/returns";
    let mut register = state.register_returns(&officer, path).await?;
    let mut accommodation = state.accommodation_returns(&officer, path).await?;
    let (lahs, hclic) = tokio::try_join!(
        register.list_return_runs(reg::ListReturnRunsRequest {
            page_size: 10,
            ..Default::default()
        }),
        accommodation.list_return_runs(ta::ListReturnRunsRequest {
            page_size: 10,
            ..Default::default()
        }),
    )
    .map_err(|s| PageError::from_status(s, path))?;
    let mut runs: Vec<returns_pb::ReturnRun> = lahs
        .into_inner()
        .runs
        .into_iter()
        .chain(hclic.into_inner().runs)
        .chain(super::management::recent_runs(&state, &officer, path).await?)
        .collect();
    runs.sort_by_key(|r| std::cmp::Reverse(r.run_at.as_ref().map(|t| (t.seconds, t.nanos))));
    let latest = Period::year_ending_of(today()) - 1;
    Ok(render(&ReturnsPage {
        page: Page::new("Statutory returns", Some(&officer), Section::Figures),
        years: (0..YEARS)
            .map(|i| latest - i)
            .map(|y| Choice {
                value: y.to_string(),
                label: format!("{}/{} (waiting list at 31 March {y})", y - 1, y % 100),
            })
            .collect(),
        quarters: ended_quarters()
            .into_iter()
            .map(|(y, q)| Choice {
                value: format!("{y}-{q}"),
                label: quarter_words(y, q),
            })
            .collect(),
        report_periods: super::management::periods(),
        core_year: format!(
            "{}/{}",
            super::core::YEAR_ENDING - 1,
            super::core::YEAR_ENDING % 100
        ),
        runs: runs.iter().take(10).map(run_row).collect(),
    }))
}

async fn lahs(
    state: &crate::web::State,
    officer: &Officer,
    year_ending: i32,
    path: &str,
) -> Result<reg::ProduceLahsSectionCResponse, PageError> {
    Ok(state
        .register_returns(officer, path)
        .await?
        .produce_lahs_section_c(reg::ProduceLahsSectionCRequest { year_ending })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner())
}

/// Lines of a CSV of table, line, figure.
fn lines_of(csv: &str) -> Vec<Line> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .filter_map(Result::ok)
        .map(|r| Line {
            table: r[0].to_owned(),
            line: r[1].to_owned(),
            figure: r[2].parse().unwrap_or(0),
        })
        .collect()
}

pub async fn show_lahs(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(year): Query<Year>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let path = format!("/figures/returns/lahs?year_ending={}", year.year_ending);
    let produced = lahs(&state, &officer, year.year_ending, &path).await?;
    let period = Period::financial_year(year.year_ending).ok_or(PageError::NotFound)?;
    Ok(render(&ResultPage {
        page: Page::new(
            "LAHS section C: allocations",
            Some(&officer),
            Section::Figures,
        ),
        period: format!(
            "The waiting list at the end of {}, and lettings from {} to {}.",
            long_date(period.end),
            long_date(period.start),
            long_date(period.end)
        ),
        lines: lines_of(&produced.csv),
        problems: Vec::new(),
        records: None,
        downloads: vec![(
            format!("/figures/returns/lahs.csv?year_ending={}", year.year_ending),
            "Download LAHS section C as CSV",
        )],
    }))
}

pub async fn lahs_csv(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(year): Query<Year>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let path = "/figures/returns";
    let produced = lahs(&state, &officer, year.year_ending, path).await?;
    Ok(csv_response(
        &format!("lahs-section-c-{}", year.year_ending),
        produced.csv.into_bytes(),
    ))
}

async fn hclic(
    state: &crate::web::State,
    officer: &Officer,
    q: &Quarter,
    path: &str,
) -> Result<ta::ProduceHclicReturnResponse, PageError> {
    Ok(state
        .accommodation_returns(officer, path)
        .await?
        .produce_hclic_return(ta::ProduceHclicReturnRequest {
            year_ending: q.year_ending,
            quarter: q.quarter as i32,
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner())
}

pub async fn show_hclic(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<QuarterQuery>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let q = query.quarter()?;
    let query = format!("period={}-{}", q.year_ending, q.quarter);
    let path = format!("/figures/returns/hclic?{query}");
    let produced = hclic(&state, &officer, &q, &path).await?;
    Ok(render(&ResultPage {
        page: Page::new(
            "H-CLIC: temporary accommodation",
            Some(&officer),
            Section::Figures,
        ),
        period: format!(
            "{}: households in temporary accommodation at any time in the quarter.",
            quarter_words(q.year_ending, q.quarter)
        ),
        lines: produced
            .tables
            .iter()
            .map(|f| Line {
                table: f.table.clone(),
                line: f.line.clone(),
                figure: f.figure,
            })
            .collect(),
        records: Some(produced.records),
        problems: produced.problems,
        downloads: vec![
            (
                format!("/figures/returns/hclic-records.csv?{query}"),
                "Download the household records as CSV",
            ),
            (
                format!("/figures/returns/hclic-tables.csv?{query}"),
                "Download the tables as CSV",
            ),
        ],
    }))
}

pub async fn hclic_records_csv(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<QuarterQuery>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let q = query.quarter()?;
    let produced = hclic(&state, &officer, &q, "/figures/returns").await?;
    Ok(csv_response(
        &format!("hclic-records-{}-q{}", q.year_ending, q.quarter),
        produced.records_csv.into_bytes(),
    ))
}

pub async fn hclic_tables_csv(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<QuarterQuery>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let q = query.quarter()?;
    let produced = hclic(&state, &officer, &q, "/figures/returns").await?;
    Ok(csv_response(
        &format!("hclic-tables-{}-q{}", q.year_ending, q.quarter),
        produced.tables_csv.into_bytes(),
    ))
}
