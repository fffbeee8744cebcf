//! Jobs that run once a day, or once at a time, however many replicas a service has.

use crate::db::Pool;
use chrono::{NaiveDate, Utc};

/// Whether `job` already ran for `day`.
pub async fn ran(pool: &Pool, job: &str, day: NaiveDate) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM daily_job_runs WHERE job = $1 AND day = $2)")
        .bind(job)
        .bind(day)
        .fetch_one(pool)
        .await
}

/// The days `job` is still to run for, through `through`: each day after the last it ran
/// for, oldest first, so a job that looks at one day at a time catches up every day it
/// missed (a service that was down, a night the job failed). A job never run starts with
/// `through`; no more than `at_most` days are caught up.
pub async fn days_to_run(
    pool: &Pool,
    job: &str,
    through: NaiveDate,
    at_most: u32,
) -> Result<Vec<NaiveDate>, sqlx::Error> {
    let last: Option<NaiveDate> =
        sqlx::query_scalar("SELECT max(day) FROM daily_job_runs WHERE job = $1 AND day <= $2")
            .bind(job)
            .bind(through)
            .fetch_one(pool)
            .await?;
    let earliest = through
        .checked_sub_days(chrono::Days::new(at_most.saturating_sub(1).into()))
        .unwrap_or(through);
    let first = match last {
        Some(last) if last >= through => return Ok(Vec::new()),
        Some(last) => last.succ_opt().unwrap_or(through).max(earliest),
        None => through,
    };
    Ok(first.iter_days().take_while(|d| *d <= through).collect())
}

pub async fn mark_ran(pool: &Pool, job: &str, day: NaiveDate) -> Result<(), sqlx::Error> {
    static LAST_SUCCESS: std::sync::OnceLock<opentelemetry::metrics::Gauge<i64>> =
        std::sync::OnceLock::new();
    LAST_SUCCESS
        .get_or_init(|| {
            crate::metrics::meter()
                .i64_gauge("housing.job.last_success")
                .with_unit("s")
                .with_description(
                    "When a daily job last finished, as Unix time: alert when it is over a day old",
                )
                .build()
        })
        .record(
            Utc::now().timestamp(),
            // Not `job`: Prometheus's own target label would shadow it.
            &[opentelemetry::KeyValue::new(
                "housing.job.name",
                job.to_owned(),
            )],
        );
    sqlx::query(
        "INSERT INTO daily_job_runs (job, day, finished_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(job)
    .bind(day)
    .bind(Utc::now())
    .execute(pool)
    .await?;
    Ok(())
}

/// Holds a session advisory lock named `key` while `work` runs, so only one replica does
/// it; `None` when another replica holds it.
pub async fn singleton<T, E: From<sqlx::Error>>(
    pool: &Pool,
    key: &str,
    work: impl AsyncFnOnce() -> Result<T, E>,
) -> Result<Option<T>, E> {
    let mut guard = pool.acquire().await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtext($1))")
        .bind(key)
        .fetch_one(&mut *guard)
        .await?;
    if !locked {
        return Ok(None);
    }
    let result = work().await;
    sqlx::query("SELECT pg_advisory_unlock(hashtext($1))")
        .bind(key)
        .execute(&mut *guard)
        .await?;
    result.map(Some)
}
