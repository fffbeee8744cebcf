//! The council's management report for a manager: each service's section for a chosen
//! period (temporary accommodation, rent, lettings), shown as tables and downloaded as one
//! CSV. A service that refuses or cannot be reached leaves its section saying so; the rest
//! of the report still shows. Each section produced is a run its service records.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use housing_platform::money::Pence;
use housing_platform::returns::{Period, report_csv};
use housing_platform::time::{long_date, today};
use housing_proto::returns::v1::{ReportFigure, ReturnKind, ReturnRun};
use housing_proto::{accommodation::v1 as ta, nominations::v1 as noms, rent::v1 as rent};
use serde::Deserialize;

use super::returns::{Choice, ended_quarters, quarter_words};
use super::{READ, csv_response};
use crate::session::Officer;
use crate::web::{Page, PageError, Section, render};

/// A period as the form gives it: `2026-04-01..2026-06-30`.
#[derive(Deserialize)]
pub struct PeriodQuery {
    period: String,
}

impl PeriodQuery {
    fn period(&self) -> Result<Period, PageError> {
        let (start, end) = self.period.split_once("..").ok_or(PageError::NotFound)?;
        Period::for_report(start, end).map_err(|_| PageError::NotFound)
    }
}

fn value(period: Period) -> String {
    format!("{}..{}", period.start, period.end)
}

/// The periods offered: the financial year so far, the quarters ended, the last two years.
pub fn periods() -> Vec<Choice> {
    let year = Period::year_ending_of(today());
    let mut choices = Vec::new();
    if let Some(so_far) = Period::financial_year(year).map(|y| Period { end: today(), ..y }) {
        choices.push(Choice {
            value: value(so_far),
            label: format!("{}/{} so far", year - 1, year % 100),
        });
    }
    for (y, q) in ended_quarters() {
        if let Some(p) = Period::quarter(y, q) {
            choices.push(Choice {
                value: value(p),
                label: quarter_words(y, q),
            });
        }
    }
    for y in [year - 1, year - 2] {
        if let Some(p) = Period::financial_year(y) {
            choices.push(Choice {
                value: value(p),
                label: format!("{}/{} (the whole year)", y - 1, y % 100),
            });
        }
    }
    choices
}

/// The latest runs of the report's rent and lettings sections (temporary accommodation's
/// are listed with H-CLIC's). A service that cannot say leaves its runs off the list rather
/// than the statutory returns page unusable.
pub async fn recent_runs(
    state: &crate::web::State,
    officer: &Officer,
    path: &str,
) -> Result<Vec<ReturnRun>, PageError> {
    let kind = ReturnKind::ManagementReport as i32;
    let mut rent = state.rent_returns(officer, path).await?;
    let mut lettings = state.nominations_returns(officer, path).await?;
    let (r, l) = tokio::join!(
        rent.list_return_runs(rent::ListReturnRunsRequest {
            kind,
            page_size: 10,
            ..Default::default()
        }),
        lettings.list_return_runs(noms::ListReturnRunsRequest {
            kind,
            page_size: 10,
            ..Default::default()
        }),
    );
    Ok(r.map(|r| r.into_inner().runs)
        .unwrap_or_default()
        .into_iter()
        .chain(l.map(|l| l.into_inner().runs).unwrap_or_default())
        .collect())
}

/// One service's section: its figures, or why they are not shown.
struct Answer {
    title: &'static str,
    figures: Result<Vec<ReportFigure>, String>,
}

pub struct Row {
    pub measure: String,
    pub breakdown: String,
    pub value: String,
    pub note: String,
}

pub struct SectionView {
    pub title: &'static str,
    pub rows: Vec<Row>,
    pub problem: Option<String>,
}

#[derive(Template)]
#[template(path = "returns_management.html")]
struct ReportPage<'a> {
    page: Page<'a>,
    period: String,
    sections: Vec<SectionView>,
    download: String,
}

fn shown(f: &ReportFigure) -> String {
    match (f.value, f.unit.as_str()) {
        (None, _) => "Not given".to_owned(),
        (Some(v), "pence") => Pence::new(v).to_string(),
        // Basis points as a percentage to two places, worked in integers.
        (Some(v), "basis_points") => {
            let sign = if v < 0 { "-" } else { "" };
            let abs = v.unsigned_abs();
            format!("{sign}{}.{:02}%", abs / 100, abs % 100)
        }
        (Some(v), unit) => format!("{v} {unit}"),
    }
}

/// Why a section is missing, in the officer's words.
fn why(status: &tonic::Status, service: &str) -> String {
    match status.code() {
        tonic::Code::PermissionDenied => {
            format!("The {service} service did not give this section: your roles do not cover it.")
        }
        tonic::Code::Unavailable | tonic::Code::DeadlineExceeded | tonic::Code::Unknown => {
            format!("The {service} service could not be reached. Try again later.")
        }
        _ => format!(
            "The {service} service could not produce this section: {}",
            status.message()
        ),
    }
}

/// Every section for `period`, asked of the three services at once with the officer's
/// own token; a failure stays in its section.
async fn produce(
    state: &crate::web::State,
    officer: &Officer,
    period: Period,
    path: &str,
) -> Result<Vec<Answer>, PageError> {
    let (start, end) = (period.start.to_string(), period.end.to_string());
    let mut accommodation = state.accommodation_returns(officer, path).await?;
    let mut rent = state.rent_returns(officer, path).await?;
    let mut lettings = state.nominations_returns(officer, path).await?;
    let (a, r, l) = tokio::join!(
        accommodation.produce_management_report(ta::ProduceManagementReportRequest {
            period_start: start.clone(),
            period_end: end.clone(),
        }),
        rent.produce_management_report(rent::ProduceManagementReportRequest {
            period_start: start.clone(),
            period_end: end.clone(),
        }),
        lettings.produce_management_report(noms::ProduceManagementReportRequest {
            period_start: start,
            period_end: end,
        }),
    );
    let signed_out = |s: &tonic::Status| s.code() == tonic::Code::Unauthenticated;
    for status in [a.as_ref().err(), r.as_ref().err(), l.as_ref().err()]
        .into_iter()
        .flatten()
    {
        if signed_out(status) {
            return Err(PageError::SignIn(path.to_owned()));
        }
    }
    Ok(vec![
        Answer {
            title: "Temporary accommodation",
            figures: a
                .map(|r| r.into_inner().figures)
                .map_err(|s| why(&s, "temporary accommodation")),
        },
        Answer {
            title: "Rent and income",
            figures: r
                .map(|r| r.into_inner().figures)
                .map_err(|s| why(&s, "rent")),
        },
        Answer {
            title: "Lettings",
            figures: l
                .map(|r| r.into_inner().figures)
                .map_err(|s| why(&s, "nominations")),
        },
    ])
}

pub async fn show(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let period = query.period()?;
    let path = format!("/figures/returns/management?period={}", value(period));
    let answers = produce(&state, &officer, period, &path).await?;
    Ok(render(&ReportPage {
        page: Page::new("Management report", Some(&officer), Section::Figures),
        period: format!("{} to {}.", long_date(period.start), long_date(period.end)),
        sections: answers
            .into_iter()
            .map(|a| match a.figures {
                Ok(figures) => SectionView {
                    title: a.title,
                    rows: figures
                        .iter()
                        .map(|f| Row {
                            measure: f.measure.clone(),
                            breakdown: f.breakdown.clone(),
                            value: shown(f),
                            note: f.note.clone(),
                        })
                        .collect(),
                    problem: None,
                },
                Err(problem) => SectionView {
                    title: a.title,
                    rows: Vec::new(),
                    problem: Some(problem),
                },
            })
            .collect(),
        download: format!("/figures/returns/management.csv?period={}", value(period)),
    }))
}

/// The sections that answered, joined in one CSV.
pub async fn csv(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let period = query.period()?;
    let answers = produce(&state, &officer, period, "/figures/returns").await?;
    let figures: Vec<ReportFigure> = answers
        .into_iter()
        .filter_map(|a| a.figures.ok())
        .flatten()
        .collect();
    Ok(csv_response(
        &format!("management-report-{}-to-{}", period.start, period.end),
        report_csv(&figures).into_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(value: Option<i64>, unit: &str) -> ReportFigure {
        ReportFigure {
            value,
            unit: unit.into(),
            ..Default::default()
        }
    }

    #[test]
    fn figures_read_as_money_percentages_and_counts() {
        assert_eq!(shown(&figure(Some(123_456), "pence")), "£1,234.56");
        assert_eq!(shown(&figure(Some(6_667), "basis_points")), "66.67%");
        assert_eq!(shown(&figure(Some(5), "basis_points")), "0.05%");
        assert_eq!(shown(&figure(Some(3), "households")), "3 households");
        assert_eq!(shown(&figure(None, "days")), "Not given");
    }

    #[test]
    fn a_period_from_the_form_is_checked_as_the_services_check_it() {
        let query = |period: &str| {
            PeriodQuery {
                period: period.into(),
            }
            .period()
            .is_ok()
        };
        assert!(query("2025-04-01..2025-06-30"));
        assert!(!query("2025-06-30..2025-04-01"));
        assert!(!query("2025-04-01"));
        assert!(!query("2020-01-01..2025-01-01"));
    }
}
