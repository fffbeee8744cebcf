//! The weekly charge run: every open account is charged up to the end of the week. It is
//! idempotent per account and week (an account already charged through the week is not
//! selected again) and resumable: each batch commits on its own, so a run that dies part
//! way is finished by running it again.

use chrono::{Datelike, NaiveDate, Weekday};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::money::{Overflow, Pence};

use crate::db::charges::{self, BatchCharge};

pub const BATCH: i64 = 5_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// Accounts charged by every run of this week so far.
    pub accounts_charged: i64,
    pub total_pence: i64,
}

/// Each due account's charge for the days up to `week_end`, leaving out those that come
/// to nothing.
fn charges_due(due: &[charges::Due], week_end: NaiveDate) -> Result<Vec<BatchCharge>, AppError> {
    let mut postings = Vec::with_capacity(due.len());
    for d in due {
        let out_of_range = |_: Overflow| {
            AppError::FailedPrecondition(format!(
                "rent account {}'s weekly charges are out of range: the run stops there",
                d.account_id
            ))
        };
        let (rent_pence, service_pence) = d
            .schedule
            .for_period(d.charged_through, week_end)
            .map_err(out_of_range)?;
        if rent_pence
            .checked_add(service_pence)
            .map_err(out_of_range)?
            > Pence::ZERO
        {
            postings.push(BatchCharge {
                account_id: d.account_id,
                from: d.charged_through,
                rent_pence,
                service_pence,
            });
        }
    }
    Ok(postings)
}

pub async fn run_week(
    pool: &Pool,
    week_start: NaiveDate,
    by: &str,
    batch: i64,
) -> Result<RunReport, AppError> {
    if week_start.weekday() != Weekday::Mon {
        let mut v = FieldViolations::new();
        v.add(
            "week_start",
            format!(
                "{week_start} is a {:?}; charge weeks start on a Monday",
                week_start.weekday()
            ),
        );
        return Err(AppError::Invalid(v));
    }
    let week_end = week_start + chrono::Days::new(7);
    let mut conn = pool.acquire().await?;
    charges::start_run(&mut conn, week_start, by).await?;
    drop(conn);

    loop {
        let mut tx = pool.begin().await?;
        let due = charges::due(&mut tx, week_end, batch).await?;
        if due.is_empty() {
            break;
        }
        let postings = charges_due(&due, week_end)?;
        charges::post_batch(&mut tx, &postings, week_end, by).await?;
        let ids: Vec<_> = due.iter().map(|d| d.account_id).collect();
        charges::advance(&mut tx, &ids, week_end).await?;
        let total = Pence::sum(
            postings
                .iter()
                .flat_map(|c| [c.rent_pence, c.service_pence]),
        )
        .map_err(|_| {
            AppError::FailedPrecondition(format!(
                "the charges of the week of {week_start} come to more than can be counted"
            ))
        })?;
        charges::add_progress(&mut tx, week_start, postings.len() as i64, total).await?;
        tx.commit().await?;
        tracing::info!(%week_start, batch = ids.len(), "charge run batch committed");
    }

    let mut conn = pool.acquire().await?;
    let progress = charges::finish_run(&mut conn, week_start).await?;
    Ok(RunReport {
        accounts_charged: progress.accounts_charged,
        total_pence: progress.total_pence,
    })
}
