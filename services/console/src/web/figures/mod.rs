//! Figures for a manager who would rather look than read: households in temporary
//! accommodation by type over the past twelve weeks, families in bed and breakfast beyond
//! six weeks, rent arrears by stage, and lettings over the past twelve months; each chart
//! with its figures as a table and as CSV.

mod chart;
pub mod core;
pub mod management;
pub mod returns;

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Days, Months, NaiveDate};
use housing_platform::auth::Role;
use housing_platform::money::Pence;
use housing_platform::time::today;
use housing_proto::accommodation::v1::{self as ta, UnitType};
use housing_proto::nominations::v1 as noms;
use housing_proto::rent::v1 as rent;

use super::accommodation::unit_type_words;
use super::income::stage_tag;
use super::{Page, PageError, Section, render};
use crate::session::Officer;
use chart::StackedBars;

/// Who reads the figures: managers.
pub const READ: &[Role] = &[Role::Manager];

/// Weeks of history the charts go back.
const WEEKS: u64 = 12;

/// The kinds of unit, in the order the charts stack them.
const TYPES: [UnitType; 6] = [
    UnitType::BedAndBreakfast,
    UnitType::NightlyPaidSelfContained,
    UnitType::Hostel,
    UnitType::PrivateSectorLeased,
    UnitType::SocialHousingStock,
    UnitType::Other,
];

/// Temporary accommodation on one day.
pub struct Week {
    pub on: NaiveDate,
    /// Households placed in each of [`TYPES`].
    pub by_type: [i64; 6],
    pub total: i64,
    pub families_in_bnb_over_six_weeks: i64,
    pub out_of_district: i64,
}

impl Week {
    fn new(on: NaiveDate, figures: ta::GetFiguresResponse) -> Self {
        let mut by_type = [0i64; 6];
        for f in &figures.by_unit_type {
            let unit_type = UnitType::try_from(f.unit_type).unwrap_or(UnitType::Other);
            let i = TYPES.iter().position(|t| *t == unit_type).unwrap_or(5);
            by_type[i] += i64::from(f.placements);
        }
        Self {
            on,
            total: by_type.iter().sum(),
            by_type,
            families_in_bnb_over_six_weeks: figures
                .families_in_bed_and_breakfast_over_six_weeks
                .into(),
            out_of_district: figures.out_of_district.into(),
        }
    }

    fn label(&self) -> String {
        self.on.format("%-d %b").to_string()
    }
}

/// The days the charts show: today and each week before it, oldest first.
fn days(to: NaiveDate) -> Vec<NaiveDate> {
    (0..WEEKS)
        .rev()
        .filter_map(|w| to.checked_sub_days(Days::new(7 * w)))
        .collect()
}

async fn weeks(
    state: &super::State,
    officer: &Officer,
    path: &str,
) -> Result<Vec<Week>, PageError> {
    let client = state.accommodation(officer, path).await?;
    let asks = days(today()).into_iter().map(|on| {
        let mut client = client.clone();
        async move {
            client
                .get_figures(ta::GetFiguresRequest {
                    on: on.format("%Y-%m-%d").to_string(),
                })
                .await
                .map(|f| Week::new(on, f.into_inner()))
        }
    });
    futures::future::try_join_all(asks)
        .await
        .map_err(|s| PageError::from_status(s, path))
}

/// Months of lettings the chart goes back, this month so far among them.
const MONTHS: u32 = 12;

/// Lettings in one calendar month, as `GetMeasures` gives them.
pub struct Month {
    pub from: NaiveDate,
    /// Homes let, the council's own and housing associations' alike.
    pub lets: i64,
    /// Lets by referral source: the council's own homes from its register, and housing
    /// associations' homes to its nominees.
    pub council_homes: i64,
    pub association_homes: i64,
    /// Lets through choice-based lettings; the rest were offered directly.
    pub choice_based: i64,
    /// Lets to households owed a homelessness duty when nominated.
    pub to_homeless: i64,
    /// Housing associations' vacancies reported in the month, and those the council
    /// nominated to.
    pub association_vacancies: i64,
    pub association_nominated: i64,
}

impl Month {
    fn new(from: NaiveDate, measures: noms::GetMeasuresResponse) -> Self {
        // The service gives a share of a whole number of lets, so rounding recovers the count.
        let to_homeless =
            (measures.lettings as f64 * measures.percent_lets_to_homeless / 100.0).round() as i64;
        let shares = &measures.partner_shares;
        let by_source = |source: noms::ReferralSource| {
            measures
                .lets_by_source
                .iter()
                .filter(|s| s.source == source as i32)
                .map(|s| s.lets)
                .sum()
        };
        Self {
            from,
            lets: measures.lettings,
            council_homes: by_source(noms::ReferralSource::CouncilRegister),
            association_homes: by_source(noms::ReferralSource::Nomination),
            choice_based: measures.choice_based_lets,
            to_homeless: to_homeless.clamp(0, measures.lettings),
            association_vacancies: shares.iter().map(|s| s.vacancies).sum(),
            association_nominated: shares.iter().map(|s| s.nominated).sum(),
        }
    }

    fn label(&self) -> String {
        self.from.format("%b %Y").to_string()
    }

    /// The label on two lines: on one, twelve of them run together under the columns.
    fn chart_label(&self) -> String {
        self.from.format("%b\n%Y").to_string()
    }
}

/// The months the lettings chart shows, each as its first and last day: this month up to
/// `to` and the months before it, oldest first.
fn months(to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let Some(this) = to.with_day(1) else {
        return Vec::new();
    };
    (0..MONTHS)
        .rev()
        .filter_map(|m| {
            let from = this.checked_sub_months(Months::new(m))?;
            let last = from.checked_add_months(Months::new(1))?.pred_opt()?;
            Some((from, last.min(to)))
        })
        .collect()
}

async fn lettings(
    state: &super::State,
    officer: &Officer,
    path: &str,
) -> Result<Vec<Month>, PageError> {
    let client = state.nominations(officer, path).await?;
    let asks = months(today()).into_iter().map(|(from, to)| {
        let mut client = client.clone();
        async move {
            client
                .get_measures(noms::GetMeasuresRequest {
                    from: from.format("%Y-%m-%d").to_string(),
                    to: to.format("%Y-%m-%d").to_string(),
                })
                .await
                .map(|m| Month::new(from, m.into_inner()))
        }
    });
    futures::future::try_join_all(asks)
        .await
        .map_err(|s| PageError::from_status(s, path))
}

/// Why the lettings section is empty, in the manager's words; a lapsed sign-in is still
/// the whole page's to handle.
fn lettings_problem(error: PageError) -> Result<String, PageError> {
    let why = match error {
        PageError::SignIn(_) => return Err(error),
        PageError::Forbidden(_) => {
            "The nominations service did not give the lettings figures: your roles do not cover them."
        }
        _ => "The nominations service could not give the lettings figures. Try again later.",
    };
    Ok(why.to_owned())
}

/// Arrears by stage over the same weeks' rent.
async fn income(
    state: &super::State,
    officer: &Officer,
    path: &str,
) -> Result<rent::GetIncomeFiguresResponse, PageError> {
    let to = today();
    let from = days(to).first().copied().unwrap_or(to);
    Ok(state
        .rent(officer, path)
        .await?
        .get_income_figures(rent::GetIncomeFiguresRequest {
            from_date: from.format("%Y-%m-%d").to_string(),
            to_date: to.format("%Y-%m-%d").to_string(),
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner())
}

/// Stages in the order recovery goes through them, not the order the service lists them.
fn in_recovery_order(stages: &mut [rent::StageFigure]) {
    const ORDER: [&str; 6] = [
        "clear",
        "reminder",
        "first_letter",
        "second_letter",
        "payment_plan",
        "referral",
    ];
    stages.sort_by_key(|s| {
        ORDER
            .iter()
            .position(|o| *o == s.stage)
            .unwrap_or(ORDER.len())
    });
}

pub struct StageRow {
    pub stage: &'static str,
    pub accounts: i64,
    pub balance: String,
}

#[derive(Template)]
#[template(path = "figures.html")]
struct FiguresPage<'a> {
    page: Page<'a>,
    types: Vec<&'static str>,
    weeks: Vec<Week>,
    placements_chart: String,
    bnb_chart: String,
    stages: Vec<StageRow>,
    arrears_chart: String,
    charged: String,
    collected: String,
    collection_rate: String,
    from: String,
    /// The months' lettings, or why the nominations service gave none.
    lettings: Result<Vec<Month>, String>,
    lettings_chart: String,
}

fn placements_chart(weeks: &[Week]) -> String {
    StackedBars {
        alt: "Chart of households in temporary accommodation each week by type of \
              accommodation. The figures are in the table that follows."
            .into(),
        categories: weeks.iter().map(Week::label).collect(),
        series: TYPES
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    unit_type_words(*t as i32).to_owned(),
                    weeks.iter().map(|w| w.by_type[i]).collect(),
                )
            })
            .collect(),
    }
    .svg()
}

fn bnb_chart(weeks: &[Week]) -> String {
    StackedBars {
        alt: "Chart of families in bed and breakfast for more than six weeks, each week. \
              The figures are in the table that follows."
            .into(),
        categories: weeks.iter().map(Week::label).collect(),
        series: vec![(
            "Families in B&B over six weeks".into(),
            weeks
                .iter()
                .map(|w| w.families_in_bnb_over_six_weeks)
                .collect(),
        )],
    }
    .svg()
}

/// Arrears by stage in pounds, as bars of one series.
fn arrears_chart(stages: &[rent::StageFigure]) -> String {
    StackedBars {
        alt: "Chart of rent arrears in pounds at each recovery stage. The figures are in the \
              table that follows."
            .into(),
        categories: stages
            .iter()
            .map(|s| stage_tag(&s.stage).0.to_owned())
            .collect(),
        series: vec![(
            "Arrears, pounds".into(),
            stages
                .iter()
                .map(|s| s.balance_pence.max(0) / 100)
                .collect(),
        )],
    }
    .svg()
}

/// Lets by referral source stacked, so each column is all lets.
fn lettings_chart(months: &[Month]) -> String {
    StackedBars {
        alt: "Chart of homes let each month by referral source: the council's own homes let \
              from its register, and housing associations' homes let to its nominees. The \
              figures are in the table that follows."
            .into(),
        categories: months.iter().map(Month::chart_label).collect(),
        series: vec![
            (
                "The council's own homes".into(),
                months.iter().map(|m| m.council_homes).collect(),
            ),
            (
                "Housing associations' homes".into(),
                months.iter().map(|m| m.association_homes).collect(),
            ),
        ],
    }
    .svg()
}

pub async fn show(
    State(state): State<super::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let path = "/figures";
    let (weeks, income, lettings) = tokio::join!(
        weeks(&state, &officer, path),
        income(&state, &officer, path),
        lettings(&state, &officer, path)
    );
    let (weeks, income) = (weeks?, income?);
    let lettings = match lettings {
        Ok(months) => Ok(months),
        Err(e) => Err(lettings_problem(e)?),
    };
    let mut income = income;
    in_recovery_order(&mut income.arrears_by_stage);
    let rate = income.collection_rate_basis_points;
    Ok(render(&FiguresPage {
        page: Page::new("Figures", Some(&officer), Section::Figures),
        types: TYPES.iter().map(|t| unit_type_words(*t as i32)).collect(),
        placements_chart: placements_chart(&weeks),
        bnb_chart: bnb_chart(&weeks),
        arrears_chart: arrears_chart(&income.arrears_by_stage),
        stages: income
            .arrears_by_stage
            .iter()
            .map(|s| StageRow {
                stage: stage_tag(&s.stage).0,
                accounts: s.accounts,
                balance: Pence::new(s.balance_pence).to_string(),
            })
            .collect(),
        charged: Pence::new(income.charged_pence).to_string(),
        collected: Pence::new(income.collected_pence).to_string(),
        collection_rate: format!("{}.{:02}%", rate / 100, (rate % 100).abs()),
        lettings_chart: lettings.as_deref().map(lettings_chart).unwrap_or_default(),
        lettings,
        from: weeks
            .first()
            .map(|w| housing_platform::time::long_date(w.on))
            .unwrap_or_default(),
        weeks,
    }))
}

fn csv_response(name: &str, csv: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}-{}.csv\"", today()),
            ),
        ],
        csv,
    )
        .into_response()
}

fn write_csv(rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, PageError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        out.write_record(&row)
            .map_err(|e| PageError::Unavailable(format!("csv: {e}")))?;
    }
    out.into_inner()
        .map_err(|e| PageError::Unavailable(format!("csv: {e}")))
}

/// The temporary accommodation chart's figures, a row a week.
pub async fn accommodation_csv(
    State(state): State<super::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let weeks = weeks(&state, &officer, "/figures").await?;
    let header = std::iter::once("date".to_owned())
        .chain(TYPES.iter().map(|t| unit_type_words(*t as i32).to_owned()))
        .chain(
            [
                "total",
                "families_in_bed_and_breakfast_over_six_weeks",
                "out_of_district",
            ]
            .map(str::to_owned),
        )
        .collect();
    let rows = weeks.iter().map(|w| {
        std::iter::once(w.on.to_string())
            .chain(w.by_type.iter().map(i64::to_string))
            .chain(
                [w.total, w.families_in_bnb_over_six_weeks, w.out_of_district]
                    .map(|n| n.to_string()),
            )
            .collect()
    });
    let csv = write_csv(std::iter::once(header).chain(rows))?;
    Ok(csv_response("temporary-accommodation", csv))
}

/// Arrears by stage, in pounds and pence.
pub async fn arrears_csv(
    State(state): State<super::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let mut income = income(&state, &officer, "/figures").await?;
    in_recovery_order(&mut income.arrears_by_stage);
    let header = ["stage", "accounts", "arrears_pounds"]
        .map(str::to_owned)
        .to_vec();
    let rows = income.arrears_by_stage.iter().map(|s| {
        vec![
            stage_tag(&s.stage).0.to_owned(),
            s.accounts.to_string(),
            Pence::new(s.balance_pence)
                .to_string()
                .replace(['£', ','], ""),
        ]
    });
    let csv = write_csv(std::iter::once(header).chain(rows))?;
    Ok(csv_response("arrears-by-stage", csv))
}

/// Lettings a row a month.
pub async fn lettings_csv(
    State(state): State<super::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let months = lettings(&state, &officer, "/figures").await?;
    let header = [
        "month",
        "lets",
        "council_homes_from_the_register",
        "housing_association_homes_to_nominees",
        "choice_based_lets",
        "lets_to_homeless_households",
        "housing_association_vacancies",
        "housing_association_vacancies_nominated_to",
    ]
    .map(str::to_owned)
    .to_vec();
    let rows = months.iter().map(|m| {
        std::iter::once(m.from.format("%Y-%m").to_string())
            .chain(
                [
                    m.lets,
                    m.council_homes,
                    m.association_homes,
                    m.choice_based,
                    m.to_homeless,
                    m.association_vacancies,
                    m.association_nominated,
                ]
                .map(|n| n.to_string()),
            )
            .collect()
    });
    let csv = write_csv(std::iter::once(header).chain(rows))?;
    Ok(csv_response("lets-by-source", csv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_weeks_end_today_oldest_first() {
        let to = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let days = days(to);
        assert_eq!(days.len(), 12);
        assert_eq!(days[11], to);
        assert_eq!(days[0], NaiveDate::from_ymd_opt(2026, 9, 20).unwrap());
    }

    #[test]
    fn a_week_counts_each_type_and_an_unknown_one_as_other() {
        let week = Week::new(
            NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
            ta::GetFiguresResponse {
                by_unit_type: vec![
                    ta::PlacementsOfType {
                        unit_type: UnitType::Hostel as i32,
                        placements: 4,
                    },
                    ta::PlacementsOfType {
                        unit_type: 99,
                        placements: 1,
                    },
                ],
                families_in_bed_and_breakfast_over_six_weeks: 2,
                ..Default::default()
            },
        );
        assert_eq!(week.by_type, [0, 0, 4, 0, 0, 1]);
        assert_eq!((week.total, week.label().as_str()), (5, "6 Dec"));
    }

    #[test]
    fn a_field_with_a_comma_or_a_quote_is_quoted() {
        let csv = write_csv([vec![
            "Nightly paid, self-contained".to_owned(),
            "a \"b\"".to_owned(),
        ]])
        .unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "\"Nightly paid, self-contained\",\"a \"\"b\"\"\"\n"
        );
    }

    #[test]
    fn twelve_months_end_with_this_one_so_far_oldest_first() {
        let to = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let months = months(to);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], (day(2025, 4, 1), day(2025, 4, 30)));
        assert_eq!(months[10], (day(2026, 2, 1), day(2026, 2, 28)));
        assert_eq!(months[11], (day(2026, 3, 1), to));
    }

    #[test]
    fn a_month_counts_lets_by_source_and_to_homeless_households_from_their_share() {
        let month = Month::new(
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            noms::GetMeasuresResponse {
                lettings: 3,
                percent_lets_to_homeless: 200.0 / 3.0,
                lets_by_source: vec![
                    noms::SourceCount {
                        source: noms::ReferralSource::CouncilRegister as i32,
                        lets: 1,
                    },
                    noms::SourceCount {
                        source: noms::ReferralSource::Nomination as i32,
                        lets: 2,
                    },
                ],
                choice_based_lets: 1,
                partner_shares: vec![
                    noms::PartnerShare {
                        vacancies: 4,
                        nominated: 3,
                        ..Default::default()
                    },
                    noms::PartnerShare {
                        vacancies: 1,
                        nominated: 0,
                        ..Default::default()
                    },
                ],
                ..Default::default()
            },
        );
        assert_eq!(month.to_homeless, 2);
        assert_eq!(
            (
                month.council_homes,
                month.association_homes,
                month.choice_based
            ),
            (1, 2, 1)
        );
        assert_eq!(
            (month.association_vacancies, month.association_nominated),
            (5, 3)
        );
        assert_eq!(
            (month.label(), month.chart_label()),
            ("Feb 2026".into(), "Feb\n2026".into())
        );
    }
}
