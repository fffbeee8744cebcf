//! What the daily jobs look for, and the record that each ran once a day.

use chrono::{Datelike, NaiveDate, Utc};
use sqlx::PgPool;
use uuid::Uuid;

/// Whether `job` already ran for `day`.
pub async fn ran(pool: &PgPool, job: &str, day: NaiveDate) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM daily_job_runs WHERE job = $1 AND day = $2)")
        .bind(job)
        .bind(day)
        .fetch_one(pool)
        .await
}

pub async fn mark_ran(pool: &PgPool, job: &str, day: NaiveDate) -> Result<(), sqlx::Error> {
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
    pool: &PgPool,
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

/// Suspended applications whose suspension ended before `on`.
pub async fn suspensions_ended(pool: &PgPool, on: NaiveDate) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM applications WHERE status = 'suspended' AND suspended_until < $1 ORDER BY id",
    )
    .bind(on)
    .fetch_all(pool)
    .await
}

/// Live applications with someone whose birthday is `on` (29 February birthdays count on
/// 1 March in other years, when the age turns over).
pub async fn birthdays(pool: &PgPool, on: NaiveDate) -> Result<Vec<Uuid>, sqlx::Error> {
    let mut days = vec![on.format("%m-%d").to_string()];
    if on.month() == 3 && on.day() == 1 && NaiveDate::from_ymd_opt(on.year(), 2, 29).is_none() {
        days.push("02-29".to_owned());
    }
    sqlx::query_scalar(
        "SELECT id FROM applications a
         WHERE status IN ('active', 'suspended')
           AND EXISTS (SELECT 1 FROM jsonb_array_elements(a.household -> 'members') m
                       WHERE substr(m ->> 'date_of_birth', 6, 5) = ANY ($1))
         ORDER BY id",
    )
    .bind(days)
    .fetch_all(pool)
    .await
}

/// Live applications due an annual review on or before `on` that have none open.
pub async fn reviews_due(pool: &PgPool, on: NaiveDate) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.id FROM applications a
         WHERE a.status IN ('active', 'suspended') AND a.next_review_on <= $1
           AND NOT EXISTS (SELECT 1 FROM annual_reviews r WHERE r.application_id = a.id AND r.outcome = 'open')
         ORDER BY a.id",
    )
    .bind(on)
    .fetch_all(pool)
    .await
}

/// Open reviews whose reply date passed before `on`.
pub async fn reviews_unanswered(pool: &PgPool, on: NaiveDate) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT application_id FROM annual_reviews WHERE outcome = 'open' AND reply_by < $1 ORDER BY application_id",
    )
    .bind(on)
    .fetch_all(pool)
    .await
}
