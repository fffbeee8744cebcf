//! H-CLIC and the management report from the placements held: each produced in one
//! snapshot and recorded with who ran it.

use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::returns::{
    self, Period, ReturnKind, ReturnRun, RunBy, SECTION_TEMPORARY_ACCOMMODATION, record_report,
    report_proto,
};
use housing_platform::time::{format_date, today};
use housing_proto::returns::v1::ReportFigure;

use crate::app::invoices;
use crate::db::returns as store;
use crate::domain::hclic::{self, Return};
use crate::domain::report;

/// The quarter `quarter` of the financial year ending in `year_ending`, for the council
/// whose district is `home`: records, tables and problems, and the run recorded.
pub async fn hclic(
    pool: &Pool,
    year_ending: i32,
    quarter: u32,
    home: &str,
    by: &RunBy,
) -> Result<(Return, ReturnRun), AppError> {
    let period = Period::quarter(year_ending, quarter).ok_or_else(|| {
        AppError::FailedPrecondition(format!(
            "no quarter {quarter} of the year ending {year_ending}"
        ))
    })?;
    if period.end >= today() {
        return Err(AppError::FailedPrecondition(format!(
            "the quarter ends on {}: its return can be produced from the day after",
            format_date(period.end)
        )));
    }
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *tx)
        .await?;
    let placements = store::placements_in(&mut tx, period).await?;
    let built = hclic::build(period, home, &placements);
    let records = built.records_csv();
    let run = returns::record(
        &mut tx,
        ReturnKind::HclicTemporaryAccommodation,
        period,
        by,
        built.records.len() as i64,
        records.as_bytes(),
    )
    .await?;
    tx.commit().await?;
    Ok((built, run))
}

/// Temporary accommodation's section of the management report for `period`, its CSV, and
/// the run recorded.
pub async fn management_report(
    pool: &Pool,
    period: Period,
    by: &RunBy,
) -> Result<(Vec<ReportFigure>, String, ReturnRun), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *tx)
        .await?;
    let placements = store::report_placements(&mut tx, period).await?;
    let after = period.end.succ_opt().unwrap_or(period.end);
    let voids = invoices::voids_in(&mut tx, period.start, after).await?;
    let voids = report::Voids {
        nights: voids.nights,
        loss: voids.loss_pence,
    };
    let section = report_proto(
        SECTION_TEMPORARY_ACCOMMODATION,
        &report::figures(period, &placements, voids)?,
    );
    let (csv, run) = record_report(&mut tx, period, by, &section).await?;
    tx.commit().await?;
    Ok((section, csv, run))
}
