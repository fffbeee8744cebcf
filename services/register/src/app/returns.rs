//! Statutory returns from the register's history: each produced in one consistent snapshot,
//! recorded with who ran it, and reproducible for a year long past.

use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::returns::{self, Period, ReturnKind, ReturnRun, RunBy};
use housing_platform::time::{format_date, today};

use crate::db::returns as store;
use crate::domain::lahs::SectionC;

/// LAHS section C for the financial year ending 31 March of `year_ending`: the waiting list
/// as it stood at the end of that day, the year's lettings, the CSV and the run recorded.
pub async fn lahs_section_c(
    pool: &Pool,
    year_ending: i32,
    by: &RunBy,
) -> Result<(SectionC, String, ReturnRun), AppError> {
    let year = Period::financial_year(year_ending).ok_or_else(|| {
        AppError::FailedPrecondition(format!("no financial year ends in {year_ending}"))
    })?;
    if year.end >= today() {
        return Err(AppError::FailedPrecondition(format!(
            "the financial year ends on {}: its return can be produced from the day after",
            format_date(year.end)
        )));
    }
    let mut tx = pool.begin().await?;
    // Both counts and the record of the run see one snapshot of the register.
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *tx)
        .await?;
    let mut section = SectionC::new(year);
    store::count_waiting_list(&mut tx, year.end_instant(), &mut section).await?;
    store::count_lettings(&mut tx, year, &mut section).await?;
    let (csv, rows) = section.csv();
    let run = returns::record(
        &mut tx,
        ReturnKind::LahsSectionC,
        year,
        by,
        rows,
        csv.as_bytes(),
    )
    .await?;
    tx.commit().await?;
    Ok((section, csv, run))
}
