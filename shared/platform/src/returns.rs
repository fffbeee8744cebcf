//! Statutory returns and reports, as every service that produces one shares them: the
//! period a return covers, CSV written safely, and a record of each run (who, when, which
//! period, which file).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use housing_proto::returns::v1 as pb;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// The returns the platform produces; stored by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnKind {
    LahsSectionC,
    HclicTemporaryAccommodation,
    CoreLettings,
    ManagementReport,
}

const KINDS: [(ReturnKind, &str); 4] = [
    (ReturnKind::LahsSectionC, "lahs_section_c"),
    (
        ReturnKind::HclicTemporaryAccommodation,
        "hclic_temporary_accommodation",
    ),
    (ReturnKind::CoreLettings, "core_lettings"),
    (ReturnKind::ManagementReport, "management_report"),
];

impl ReturnKind {
    pub fn as_str(self) -> &'static str {
        KINDS
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, name)| *name)
            .unwrap_or_default()
    }

    pub fn parse(name: &str) -> Option<Self> {
        KINDS.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }
}

/// Days a return covers, first and last inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// The financial year from 1 April to 31 March of `year_ending`.
    pub fn financial_year(year_ending: i32) -> Option<Self> {
        Some(Self {
            start: NaiveDate::from_ymd_opt(year_ending - 1, 4, 1)?,
            end: NaiveDate::from_ymd_opt(year_ending, 3, 31)?,
        })
    }

    /// The financial year's quarter `quarter` (1 is April to June) of the year ending in
    /// `year_ending`, as H-CLIC counts quarters.
    pub fn quarter(year_ending: i32, quarter: u32) -> Option<Self> {
        if !(1..=4).contains(&quarter) {
            return None;
        }
        let year = Self::financial_year(year_ending)?;
        let start = year
            .start
            .checked_add_months(chrono::Months::new(3 * (quarter - 1)))?;
        let end = start
            .checked_add_months(chrono::Months::new(3))?
            .pred_opt()?;
        Some(Self { start, end })
    }

    /// The year in which the financial year holding `date` ends.
    pub fn year_ending_of(date: NaiveDate) -> i32 {
        if date.month() >= 4 {
            date.year() + 1
        } else {
            date.year()
        }
    }

    /// The instant the period ends: midnight after its last day in the council's calendar,
    /// so a count "at 31 March" includes everything recorded on 31 March in England.
    pub fn end_instant(&self) -> DateTime<Utc> {
        crate::time::council_midnight(self.end.succ_opt().unwrap_or(self.end))
    }

    /// The instant the period begins: midnight before its first day in the council's calendar.
    pub fn start_instant(&self) -> DateTime<Utc> {
        crate::time::council_midnight(self.start)
    }
}

/// The longest period the management report covers: a year with its leap day.
pub const REPORT_MAX_DAYS: i64 = 366;

impl Period {
    /// The period a management report request names in `period_start` and `period_end`
    /// (ISO dates, first and last day): ended by today, the end not before the start, and no
    /// longer than [`REPORT_MAX_DAYS`]; every bad field named.
    pub fn for_report(start: &str, end: &str) -> Result<Self, tonic::Status> {
        let mut violations = crate::errors::FieldViolations::new();
        let first = violations.date("period_start", start);
        let last = violations.date("period_end", end);
        if let (Some(start), Some(end)) = (first, last) {
            if end < start {
                violations.add(
                    "period_end",
                    format!("{end} is before the period start {start}"),
                );
            } else if end.signed_duration_since(start).num_days() >= REPORT_MAX_DAYS {
                violations.add(
                    "period_end",
                    format!("a report covers at most {REPORT_MAX_DAYS} days"),
                );
            }
            // Figures "at the period end" are only known once it has come.
            if end > crate::time::today() {
                violations.add("period_end", format!("{end} has not come yet"));
            }
        }
        match (first, last) {
            (Some(start), Some(end)) => violations.into_result(Self { start, end }),
            _ => Err(violations.into_status()),
        }
    }
}

/// The management report's sections, one for each service that gives one, in the order
/// the report shows them.
pub const SECTION_TEMPORARY_ACCOMMODATION: &str = "temporary accommodation";
pub const SECTION_RENT: &str = "rent";
pub const SECTION_LETTINGS: &str = "lettings";

/// One figure of the management report as a service works it out; a figure the service
/// cannot work out from what it holds has no value and a note saying why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub measure: &'static str,
    pub breakdown: String,
    pub value: Option<i64>,
    pub unit: &'static str,
    pub note: String,
}

impl Figure {
    pub fn new(
        measure: &'static str,
        breakdown: impl Into<String>,
        value: i64,
        unit: &'static str,
    ) -> Self {
        Self {
            measure,
            breakdown: breakdown.into(),
            value: Some(value),
            unit,
            note: String::new(),
        }
    }

    /// A figure left out, and why.
    pub fn omitted(measure: &'static str, unit: &'static str, why: impl Into<String>) -> Self {
        Self {
            measure,
            breakdown: String::new(),
            value: None,
            unit,
            note: why.into(),
        }
    }

    pub fn noting(self, note: impl Into<String>) -> Self {
        Self {
            note: note.into(),
            ..self
        }
    }
}

/// A service's section of the report as the API gives it.
pub fn report_proto(section: &str, figures: &[Figure]) -> Vec<pb::ReportFigure> {
    figures
        .iter()
        .map(|f| pb::ReportFigure {
            section: section.to_owned(),
            measure: f.measure.to_owned(),
            breakdown: f.breakdown.clone(),
            value: f.value,
            unit: f.unit.to_owned(),
            note: f.note.clone(),
        })
        .collect()
}

/// Report figures, from one section or several, as CSV: a figure left out has an empty
/// value.
pub fn report_csv<'a>(figures: impl IntoIterator<Item = &'a pb::ReportFigure>) -> String {
    csv_table(
        &["section", "measure", "breakdown", "value", "unit", "note"],
        figures.into_iter().map(|f| {
            vec![
                f.section.clone(),
                f.measure.clone(),
                f.breakdown.clone(),
                f.value.map(|v| v.to_string()).unwrap_or_default(),
                f.unit.clone(),
                f.note.clone(),
            ]
        }),
    )
}

/// Records a run of the management report whose section is `figures`, and gives its CSV.
pub async fn record_report(
    conn: &mut PgConnection,
    period: Period,
    by: &RunBy,
    figures: &[pb::ReportFigure],
) -> Result<(String, ReturnRun), sqlx::Error> {
    let csv = report_csv(figures);
    let rows = i64::try_from(figures.len()).unwrap_or(i64::MAX);
    let run = record(
        conn,
        ReturnKind::ManagementReport,
        period,
        by,
        rows,
        csv.as_bytes(),
    )
    .await?;
    Ok((csv, run))
}

/// A table as CSV, written by the csv crate so quotes, commas and line breaks in a value are
/// escaped. A text value that a spreadsheet would take for a formula (it starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return, and is not a number) is prefixed with `'`, so
/// a name like `=HYPERLINK(…)` is shown as written and never run.
pub fn csv_table<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = Vec<C>>,
    C: AsRef<str>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    writer.write_record(header).ok();
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| defuse(cell.as_ref()).into_owned()))
            .ok();
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A cell a spreadsheet would run as a formula, made text by a leading apostrophe: names and
/// free text come from the public.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// One run of a return, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnRun {
    pub id: Uuid,
    pub kind: ReturnKind,
    pub period: Period,
    pub run_by: String,
    pub run_by_name: String,
    pub run_at: DateTime<Utc>,
    pub rows: i64,
    pub sha256: String,
}

/// Who ran a return: the verified person's subject and the name their token gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunBy {
    pub id: String,
    pub name: String,
}

impl From<&crate::auth::Caller> for RunBy {
    fn from(caller: &crate::auth::Caller) -> Self {
        Self {
            id: caller.id.clone(),
            name: caller.name.clone(),
        }
    }
}

/// Records that `by` produced `file` (of `rows` data rows) for `period`.
pub async fn record(
    conn: &mut PgConnection,
    kind: ReturnKind,
    period: Period,
    by: &RunBy,
    rows: i64,
    file: &[u8],
) -> Result<ReturnRun, sqlx::Error> {
    let run = ReturnRun {
        id: Uuid::now_v7(),
        kind,
        period,
        run_by: by.id.clone(),
        run_by_name: by.name.clone(),
        // As stored: PostgreSQL keeps microseconds.
        run_at: DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_default(),
        rows,
        sha256: hex(&Sha256::digest(file)),
    };
    sqlx::query(
        "INSERT INTO return_runs (id, kind, period_start, period_end, run_by, run_by_name, run_at,
                                  rows, sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(run.id)
    .bind(kind.as_str())
    .bind(period.start)
    .bind(period.end)
    .bind(&run.run_by)
    .bind(&run.run_by_name)
    .bind(run.run_at)
    .bind(rows)
    .bind(&run.sha256)
    .execute(&mut *conn)
    .await?;
    Ok(run)
}

/// The page of runs asked for, newest first.
async fn list(conn: &mut PgConnection, page: &RunsPage) -> Result<Vec<ReturnRun>, sqlx::Error> {
    let RunsPage { kind, after, limit } = *page;
    let rows = sqlx::query(
        "SELECT r.id, r.kind, r.period_start, r.period_end, r.run_by, r.run_by_name, r.run_at,
                r.rows, r.sha256
         FROM return_runs r
         WHERE ($1::text IS NULL OR r.kind = $1)
           AND ($2::timestamptz IS NULL OR (r.run_at, r.id) < ($2, $3))
         ORDER BY r.run_at DESC, r.id DESC
         LIMIT $4",
    )
    .bind(kind.map(ReturnKind::as_str))
    .bind(after.map(|(at, _)| at))
    .bind(after.map(|(_, id)| id))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            Ok(ReturnRun {
                id: row.try_get("id")?,
                kind: ReturnKind::parse(&kind)
                    .ok_or_else(|| sqlx::Error::Decode(format!("return kind {kind}").into()))?,
                period: Period {
                    start: row.try_get("period_start")?,
                    end: row.try_get("period_end")?,
                },
                run_by: row.try_get("run_by")?,
                run_by_name: row.try_get("run_by_name")?,
                run_at: row.try_get("run_at")?,
                rows: row.try_get("rows")?,
                sha256: row.try_get("sha256")?,
            })
        })
        .collect()
}

/// The run as every service's API gives it.
pub fn run_proto(run: &ReturnRun) -> pb::ReturnRun {
    pb::ReturnRun {
        run_id: run.id.to_string(),
        kind: kind_proto(run.kind) as i32,
        period_start: crate::time::format_date(run.period.start),
        period_end: crate::time::format_date(run.period.end),
        run_by: run.run_by.clone(),
        run_by_name: run.run_by_name.clone(),
        run_at: Some(crate::time::timestamp(run.run_at)),
        rows: run.rows,
        sha256: run.sha256.clone(),
    }
}

fn kind_proto(kind: ReturnKind) -> pb::ReturnKind {
    match kind {
        ReturnKind::LahsSectionC => pb::ReturnKind::LahsSectionC,
        ReturnKind::HclicTemporaryAccommodation => pb::ReturnKind::HclicTemporaryAccommodation,
        ReturnKind::CoreLettings => pb::ReturnKind::CoreLettings,
        ReturnKind::ManagementReport => pb::ReturnKind::ManagementReport,
    }
}

/// A page of runs asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RunsPage {
    /// None for every kind.
    kind: Option<ReturnKind>,
    /// The position after which the page starts; none for the newest.
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
}

/// A `ListReturnRuns` request (each service's has these fields) checked, every bad field
/// named.
fn list_request(kind: i32, page_size: i32, page_token: &str) -> Result<RunsPage, tonic::Status> {
    let mut violations = crate::errors::FieldViolations::new();
    let kind = match pb::ReturnKind::try_from(kind) {
        Ok(pb::ReturnKind::Unspecified) => None,
        Ok(pb::ReturnKind::LahsSectionC) => Some(ReturnKind::LahsSectionC),
        Ok(pb::ReturnKind::HclicTemporaryAccommodation) => {
            Some(ReturnKind::HclicTemporaryAccommodation)
        }
        Ok(pb::ReturnKind::CoreLettings) => Some(ReturnKind::CoreLettings),
        Ok(pb::ReturnKind::ManagementReport) => Some(ReturnKind::ManagementReport),
        Err(_) => {
            violations.add("kind", format!("{kind} is not a return kind"));
            None
        }
    };
    if !(0..=MAX_PAGE).contains(&page_size) {
        violations.add("page_size", format!("must be between 0 and {MAX_PAGE}"));
    }
    let after = match crate::paging::decode(page_token) {
        Ok(after) => after,
        Err(_) => {
            violations.add("page_token", crate::paging::NOT_A_TOKEN);
            None
        }
    };
    violations.into_result(RunsPage {
        kind,
        after,
        limit: crate::paging::size(page_size, 50, MAX_PAGE as i64),
    })
}

/// A `ListReturnRuns` call, as every service that produces returns answers it: the page
/// asked for (`kind` 0 for every kind), checked with each bad field named, as the API gives
/// it, with the token for the next page.
pub async fn list_page(
    pool: &crate::db::Pool,
    kind: i32,
    page_size: i32,
    page_token: &str,
) -> Result<(Vec<pb::ReturnRun>, String), tonic::Status> {
    let page = list_request(kind, page_size, page_token)?;
    let mut conn = pool
        .acquire()
        .await
        .map_err(crate::errors::AppError::from)?;
    let runs = list(&mut conn, &page)
        .await
        .map_err(crate::errors::AppError::from)?;
    Ok(list_response(&runs, page.limit))
}

/// A page of runs as the API gives them, and the token for the next page.
fn list_response(runs: &[ReturnRun], limit: i64) -> (Vec<pb::ReturnRun>, String) {
    (
        runs.iter().map(run_proto).collect(),
        crate::paging::next_token(runs, limit, |r| (r.run_at, r.id)),
    )
}

const MAX_PAGE: i32 = 500;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_financial_year_runs_from_april_to_march() {
        let year = Period::financial_year(2027).unwrap();
        assert_eq!(
            (year.start, year.end),
            (date(2026, 4, 1), date(2027, 3, 31))
        );
        assert_eq!(Period::year_ending_of(date(2026, 4, 1)), 2027);
        assert_eq!(Period::year_ending_of(date(2027, 3, 31)), 2027);
    }

    #[test]
    fn quarters_follow_the_financial_year() {
        let q1 = Period::quarter(2027, 1).unwrap();
        assert_eq!((q1.start, q1.end), (date(2026, 4, 1), date(2026, 6, 30)));
        let q4 = Period::quarter(2027, 4).unwrap();
        assert_eq!((q4.start, q4.end), (date(2027, 1, 1), date(2027, 3, 31)));
        assert_eq!(Period::quarter(2027, 5), None);
    }

    #[test]
    fn the_count_at_31_march_ends_at_midnight_in_england() {
        let year = Period::financial_year(2026).unwrap();
        // 1 April 2026 is in British Summer Time: midnight there is 23:00 UTC on 31 March.
        assert_eq!(year.end_instant().to_rfc3339(), "2026-03-31T23:00:00+00:00");
        assert_eq!(
            year.start_instant().to_rfc3339(),
            "2025-03-31T23:00:00+00:00"
        );
        // In winter England keeps UTC.
        let q4 = Period::quarter(2026, 4).unwrap();
        assert_eq!(q4.start_instant().to_rfc3339(), "2026-01-01T00:00:00+00:00");
    }

    #[test]
    fn a_report_period_names_each_bad_field() {
        let fields = |start: &str, end: &str| {
            crate::errors::bad_request_fields(&Period::for_report(start, end).unwrap_err())
        };
        assert_eq!(fields("2026-13-01", "soon"), ["period_start", "period_end"]);
        assert_eq!(fields("2026-05-02", "2026-05-01"), ["period_end"]);
        assert_eq!(fields("2024-01-01", "2025-01-01"), ["period_end"]);
        assert_eq!(fields("2024-04-01", "9999-01-01"), ["period_end"]);
        let leap_year = Period::for_report("2024-01-01", "2024-12-31").unwrap();
        assert_eq!(leap_year.end, date(2024, 12, 31));
    }

    #[test]
    fn report_csv_leaves_an_omitted_value_empty() {
        let section = report_proto(
            "rent",
            &[
                Figure::new("charged", "", 100, "pence"),
                Figure::omitted("void loss", "pence", "no costs held"),
            ],
        );
        assert_eq!(
            report_csv(&section),
            "section,measure,breakdown,value,unit,note\n\
             rent,charged,,100,pence,\n\
             rent,void loss,,,pence,no costs held\n"
        );
    }

    #[test]
    fn csv_escapes_separators_and_defuses_formulas_but_not_numbers() {
        let csv = csv_table(
            &["name", "figure"],
            vec![
                vec!["Smith, \"Jo\"", "-12"],
                vec!["=HYPERLINK(\"x\")", "3"],
                vec!["@SUM(A1)", "+4"],
            ],
        );
        assert_eq!(
            csv,
            "name,figure\n\"Smith, \"\"Jo\"\"\",-12\n\"'=HYPERLINK(\"\"x\"\")\",3\n'@SUM(A1),+4\n"
        );
    }
}
