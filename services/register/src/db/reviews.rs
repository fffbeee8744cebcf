//! Annual reviews of the register and reviews of decisions under s.166A(9).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

pub async fn open_annual(
    conn: &mut PgConnection,
    id: Uuid,
    application: Uuid,
    raised_on: NaiveDate,
    reply_by: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO annual_reviews (id, application_id, raised_on, reply_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(application)
    .bind(raised_on)
    .bind(reply_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// The day the application's open annual review was raised; `None` when none is open.
pub async fn open_annual_raised_on(
    conn: &mut PgConnection,
    application: Uuid,
) -> Result<Option<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT raised_on FROM annual_reviews WHERE application_id = $1 AND outcome = 'open'",
    )
    .bind(application)
    .fetch_optional(conn)
    .await
}

/// Ends the application's open annual review with `outcome` and returns the day it was
/// raised; `None` when none was open.
pub async fn end_annual(
    conn: &mut PgConnection,
    application: Uuid,
    outcome: &str,
    replied_at: Option<DateTime<Utc>>,
) -> Result<Option<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE annual_reviews SET outcome = $2, replied_at = $3
         WHERE application_id = $1 AND outcome = 'open'
         RETURNING raised_on",
    )
    .bind(application)
    .bind(outcome)
    .bind(replied_at)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Clone)]
pub struct DecisionReview {
    pub id: Uuid,
    pub application_id: Uuid,
    pub decision: String,
    pub grounds: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub outcome: String,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The application's own reference, which lists across the register show.
    pub application_reference: String,
    /// The day the review is to be decided by.
    pub decide_by: NaiveDate,
}

pub async fn request(conn: &mut PgConnection, r: &DecisionReview) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO decision_reviews (id, application_id, decision, grounds, requested_by, requested_at,
                                       decide_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.id)
    .bind(r.application_id)
    .bind(&r.decision)
    .bind(&r.grounds)
    .bind(&r.requested_by)
    .bind(r.requested_at)
    .bind(r.decide_by)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn decide(conn: &mut PgConnection, r: &DecisionReview) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE decision_reviews SET outcome = $2, reason = $3, decided_by = $4, decided_at = $5 WHERE id = $1",
    )
    .bind(r.id)
    .bind(&r.outcome)
    .bind(&r.reason)
    .bind(&r.decided_by)
    .bind(r.decided_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_decision_review(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<DecisionReview>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {REVIEW_COLUMNS} FROM decision_reviews WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .map(|row| decision_review(&row))
    .transpose()
}

const REVIEW_COLUMNS: &str =
    "id, application_id, decision, grounds, requested_by, requested_at, outcome, reason,
     decided_by, decided_at, decide_by,
     (SELECT reference FROM applications a WHERE a.id = decision_reviews.application_id)
         AS application_reference";

/// An application's decision reviews, oldest first.
pub async fn decision_reviews(
    conn: &mut PgConnection,
    application: Uuid,
) -> Result<Vec<DecisionReview>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {REVIEW_COLUMNS} FROM decision_reviews WHERE application_id = $1
         ORDER BY requested_at, id"
    ))
    .bind(application)
    .fetch_all(conn)
    .await?
    .iter()
    .map(decision_review)
    .collect()
}

/// Decision reviews awaiting a decision across the register, oldest first, after `after`.
pub async fn pending_decision_reviews(
    conn: &mut PgConnection,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<DecisionReview>, sqlx::Error> {
    let (at, id) = after.unzip();
    sqlx::query(&format!(
        "SELECT {REVIEW_COLUMNS} FROM decision_reviews
         WHERE outcome = 'pending' AND ($1::timestamptz IS NULL OR (requested_at, id) > ($1, $2))
         ORDER BY requested_at, id LIMIT $3"
    ))
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?
    .iter()
    .map(decision_review)
    .collect()
}

fn decision_review(row: &PgRow) -> Result<DecisionReview, sqlx::Error> {
    Ok(DecisionReview {
        id: row.try_get("id")?,
        application_id: row.try_get("application_id")?,
        decision: row.try_get("decision")?,
        grounds: row.try_get("grounds")?,
        requested_by: row.try_get("requested_by")?,
        requested_at: row.try_get("requested_at")?,
        outcome: row.try_get("outcome")?,
        reason: row.try_get("reason")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: row.try_get("decided_at")?,
        application_reference: row.try_get("application_reference")?,
        decide_by: row.try_get("decide_by")?,
    })
}

/// Reviews still undecided after their day, not announced before; each is noted as
/// announced on `on`.
pub async fn newly_overdue_decision_reviews(
    conn: &mut PgConnection,
    on: NaiveDate,
) -> Result<Vec<DecisionReview>, sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE decision_reviews SET overdue_noted_on = $1
         WHERE outcome = 'pending' AND overdue_noted_on IS NULL AND decide_by < $1
         RETURNING {REVIEW_COLUMNS}"
    ))
    .bind(on)
    .fetch_all(conn)
    .await?
    .iter()
    .map(decision_review)
    .collect()
}

/// When the decision in force on the application was made: its latest status change or
/// assessment.
pub async fn decision_made_at(
    conn: &mut PgConnection,
    application: Uuid,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT max(at) FROM (
             SELECT changed_at AS at FROM status_changes WHERE application_id = $1
             UNION ALL
             SELECT assessed_at FROM assessments WHERE application_id = $1
         ) d",
    )
    .bind(application)
    .fetch_one(conn)
    .await
}

/// Who made the decision under review: the officer of the latest status change or
/// assessment. A review must be made by someone else (s.166A(9) and the Code of Guidance).
pub async fn original_decider(
    conn: &mut PgConnection,
    application: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT by_whom FROM (
             SELECT changed_by AS by_whom, changed_at AS at FROM status_changes WHERE application_id = $1
             UNION ALL
             SELECT assessed_by, assessed_at FROM assessments WHERE application_id = $1
         ) d ORDER BY at DESC LIMIT 1",
    )
    .bind(application)
    .fetch_optional(conn)
    .await
}
