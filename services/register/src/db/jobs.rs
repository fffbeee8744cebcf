//! What the register's daily jobs look for.

use chrono::{Datelike, NaiveDate};
use housing_platform::db::Pool;
use uuid::Uuid;

/// Suspended applications whose suspension ended before `on`.
pub async fn suspensions_ended(pool: &Pool, on: NaiveDate) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM applications WHERE status = 'suspended' AND suspended_until < $1 ORDER BY id",
    )
    .bind(on)
    .fetch_all(pool)
    .await
}

/// Live applications with someone whose birthday is `on` (29 February birthdays count on
/// 1 March in other years, when the age turns over).
pub async fn birthdays(pool: &Pool, on: NaiveDate) -> Result<Vec<Uuid>, sqlx::Error> {
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
pub async fn reviews_due(pool: &Pool, on: NaiveDate) -> Result<Vec<Uuid>, sqlx::Error> {
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
pub async fn reviews_unanswered(pool: &Pool, on: NaiveDate) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT application_id FROM annual_reviews WHERE outcome = 'open' AND reply_by < $1 ORDER BY application_id",
    )
    .bind(on)
    .fetch_all(pool)
    .await
}
