//! Rent's section of the management report, worked out in one snapshot and recorded with
//! who ran it.

use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::returns::{
    Period, ReturnRun, RunBy, SECTION_RENT, record_report, report_proto,
};
use housing_proto::returns::v1::ReportFigure;

use crate::db::figures as store;
use crate::domain::arrears::Stage;
use crate::domain::report::{StageAtEnd, figures};

/// The period's figures, their CSV, and the run recorded.
pub async fn management_report(
    pool: &Pool,
    period: Period,
    by: &RunBy,
) -> Result<(Vec<ReportFigure>, String, ReturnRun), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *tx)
        .await?;
    let (charged, collected) =
        store::charged_and_collected(&mut tx, period.start, period.end).await?;
    let stages = store::arrears_at(&mut tx, period.end_instant(), period.end)
        .await?
        .into_iter()
        .map(|(stage, accounts, balance)| {
            let stage = Stage::parse(&stage)
                .ok_or_else(|| sqlx::Error::Decode(format!("arrears stage {stage}").into()))?;
            Ok(StageAtEnd {
                stage,
                accounts,
                balance,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let section = report_proto(SECTION_RENT, &figures(charged, collected, &stages));
    let (csv, run) = record_report(&mut tx, period, by, &section).await?;
    tx.commit().await?;
    Ok((section, csv, run))
}
