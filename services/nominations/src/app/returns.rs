//! Returns made from lettings, each produced in one snapshot and recorded with who ran it.

use futures::TryStreamExt;
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::returns::{self, Period, ReturnKind, ReturnRun, RunBy};
use housing_platform::time::{format_date, today};
use uuid::Uuid;

use super::core_log::log_row;
use crate::db::returns as store;
use crate::domain::core_log::build::{self, Council};
use crate::domain::core_log::file::File;
use crate::domain::core_log::validate::{self, Failure, Owner};

/// The financial year whose format this service writes: CORE changes its file each year.
pub const CORE_YEAR_ENDING: i32 = 2027;

/// CORE's lettings log for a year, as sent and as withheld.
pub struct CoreLog {
    pub period: Period,
    pub csv: String,
    pub logs: i64,
    pub withheld: i64,
    pub problems: Vec<Problem>,
}

/// One failed check on one letting's log.
pub struct Problem {
    pub letting_id: Uuid,
    pub application_reference: String,
    pub failure: Failure,
}

/// The council's own lettings whose tenancies started in the financial year ending in
/// `year_ending`, checked with CORE's validations; logs with a failed check are withheld and
/// their failures listed.
pub async fn core_lettings_log(
    pool: &Pool,
    year_ending: i32,
    council: &Council,
    by: &RunBy,
) -> Result<(CoreLog, ReturnRun), AppError> {
    let period = Period::financial_year(year_ending)
        .filter(|_| year_ending == CORE_YEAR_ENDING)
        .ok_or_else(|| {
            AppError::FailedPrecondition(format!(
                "this service writes CORE's lettings log for {}/{} only; CORE's file for \
                 another year has other fields",
                CORE_YEAR_ENDING - 1,
                CORE_YEAR_ENDING % 100
            ))
        })?;
    if period.start > today() {
        return Err(AppError::FailedPrecondition(format!(
            "the year starts on {}: it has no lettings yet",
            format_date(period.start)
        )));
    }
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *tx)
        .await?;
    let mut file = File::default();
    let mut withheld = 0i64;
    let mut problems = Vec::new();
    {
        let mut lettings = store::council_lettings_in(&mut tx, period);
        while let Some(letting) = lettings.try_next().await? {
            let row = log_row(&letting, Owner::LocalAuthority, council);
            let failures = validate::check(&row, Owner::LocalAuthority);
            if failures.iter().any(Failure::is_error) {
                withheld = withheld.saturating_add(1);
            } else {
                file.push(&letting.letting_id.to_string(), &row);
            }
            problems.extend(failures.into_iter().map(|failure| Problem {
                letting_id: letting.letting_id,
                application_reference: letting.application_reference.clone(),
                failure,
            }));
        }
    }
    let logs = file.rows();
    let csv = file.finish();
    let run = returns::record(
        &mut tx,
        ReturnKind::CoreLettings,
        period,
        by,
        logs,
        csv.as_bytes(),
    )
    .await?;
    tx.commit().await?;
    Ok((
        CoreLog {
            period,
            csv,
            logs,
            withheld,
            problems,
        },
        run,
    ))
}

/// The household part of the log of a letting of the partner's home, field by field.
pub async fn household_part(
    pool: &Pool,
    partner_id: Uuid,
    nomination_id: Uuid,
    council: &Council,
) -> Result<Vec<(usize, String)>, AppError> {
    let mut conn = pool.acquire().await?;
    let letting = match store::letting_of_nomination(&mut conn, nomination_id).await? {
        Some(l) if l.partner_id == partner_id => l,
        Some(_) => return Err(AppError::not_found("nomination", nomination_id)),
        None => {
            let own = crate::db::nominations::find(&mut conn, nomination_id)
                .await?
                .is_some_and(|n| n.partner_id == partner_id);
            return Err(if own {
                AppError::FailedPrecondition(format!(
                    "nomination {nomination_id} has not been let: a log is of a letting"
                ))
            } else {
                AppError::not_found("nomination", nomination_id)
            });
        }
    };
    let row = log_row(&letting, Owner::PrivateRegisteredProvider, council);
    Ok((1..=crate::domain::core_log::FIELDS)
        .filter(|&n| build::is_household_field(n))
        .map(|n| (n, row.get(n).to_owned()))
        .collect())
}

/// Lettings' section of the management report for `period`, its CSV, and the run recorded.
pub async fn management_report(
    pool: &Pool,
    period: Period,
    by: &RunBy,
) -> Result<
    (
        Vec<housing_proto::returns::v1::ReportFigure>,
        String,
        ReturnRun,
    ),
    AppError,
> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *tx)
        .await?;
    let lets = store::report_lets(&mut tx, period).await?;
    let refusals = store::report_refusals(&mut tx, period).await?;
    let section = returns::report_proto(
        returns::SECTION_LETTINGS,
        &crate::domain::report::figures(&lets, &refusals),
    );
    let (csv, run) = returns::record_report(&mut tx, period, by, &section).await?;
    tx.commit().await?;
    Ok((section, csv, run))
}
