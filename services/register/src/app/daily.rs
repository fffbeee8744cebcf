//! The register's daily jobs: lifting ended suspensions, birthdays, decision reviews not
//! decided in time, annual reviews. Each
//! runs once a day across all replicas; the loop looks every hour so a restart or a missed
//! day is caught up.

use std::time::Duration;

use chrono::NaiveDate;
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::shutdown::CancellationToken;
use housing_platform::time;
use tracing::{info, warn};

use super::{birthdays, decision_reviews, reviews, suspensions};
use crate::domain::scheme::Scheme;
use housing_platform::jobs;

const LOOK_EVERY: Duration = Duration::from_secs(3600);
/// A year of missed days at most: every birthday comes round within it.
const BIRTHDAYS_CAUGHT_UP: u32 = 366;

pub async fn run(
    pool: Pool,
    scheme: std::sync::Arc<Scheme>,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    loop {
        if let Err(error) = run_day(&pool, &scheme, time::today()).await {
            warn!(%error, "daily jobs failed; they will be tried again");
        }
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tokio::time::sleep(LOOK_EVERY) => {}
        }
    }
}

/// Runs each job for `on` that has not yet run that day; a job that fails runs again at
/// the next look.
pub async fn run_day(pool: &Pool, scheme: &Scheme, on: NaiveDate) -> Result<(), AppError> {
    jobs::singleton(pool, "register.daily", async || {
        if !jobs::ran(pool, "suspensions", on).await? {
            let lifted = suspensions::lift_ended(pool, on).await?;
            jobs::mark_ran(pool, "suspensions", on).await?;
            info!(%on, lifted, "suspensions lifted");
        }
        // Birthdays are looked at a day at a time: every day missed is caught up, so a
        // birthday on a day the job did not run still changes the need.
        for day in jobs::days_to_run(pool, "birthdays", on, BIRTHDAYS_CAUGHT_UP).await? {
            let reassessed = birthdays::recalculate(pool, scheme, day).await?;
            jobs::mark_ran(pool, "birthdays", day).await?;
            info!(%day, reassessed, "birthdays");
        }
        if !jobs::ran(pool, "decision_reviews", on).await? {
            let overdue = decision_reviews::announce_overdue(pool, on).await?;
            jobs::mark_ran(pool, "decision_reviews", on).await?;
            info!(%on, overdue, "decision reviews overdue");
        }
        if !jobs::ran(pool, "annual_reviews", on).await? {
            let closed = reviews::close_unanswered(pool, on).await?;
            let raised = reviews::raise_due(pool, scheme, on).await?;
            jobs::mark_ran(pool, "annual_reviews", on).await?;
            info!(%on, raised, closed, "annual reviews");
        }
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(())
}
