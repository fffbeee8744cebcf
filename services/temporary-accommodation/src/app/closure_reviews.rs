//! Closure reviews: the rent service refers a household's account for arrears, which opens a
//! review of whether the placement should end. An officer keeps the placement or closes it,
//! once, with the reason; the system never closes a home on its own.

use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::placements::{self, History};
use crate::db::closure_reviews::{self as store, ClosureReview, Filter};
use crate::db::placements::{self as placements_store, PlacementRecord};
use crate::domain::placement::{ClosureReason, ClosureReviewStatus, PlacementStatus};

/// What the rent service reported when it referred the account.
#[derive(Debug, Clone, PartialEq)]
pub struct Referral {
    pub placement_id: Uuid,
    pub rent_account_id: Uuid,
    pub balance_pence: i64,
    pub weeks_in_arrears: f64,
    pub referred_at: DateTime<Utc>,
    pub referred_on: NaiveDate,
}

/// Opens a review for a placement still running; a closed placement, or one with a review
/// open already, needs none.
pub async fn open(conn: &mut PgConnection, r: &Referral) -> Result<Option<Uuid>, AppError> {
    let Some(placement) = placements_store::find(conn, r.placement_id).await? else {
        return Ok(None);
    };
    if placement.status == PlacementStatus::Closed {
        return Ok(None);
    }
    let review = ClosureReview {
        id: Uuid::now_v7(),
        placement_id: placement.id,
        application_id: placement.application_id,
        rent_account_id: r.rent_account_id,
        balance_pence: r.balance_pence,
        weeks_in_arrears: r.weeks_in_arrears,
        opened_on: r.referred_on,
        opened_at: r.referred_at,
        status: ClosureReviewStatus::Open,
        reason: None,
        decided_by: None,
        decided_at: None,
    };
    Ok(store::open(conn, &review).await?.then_some(review.id))
}

/// An officer's decision on a review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decide {
    pub review_id: Uuid,
    /// The placement's last day when it is closed; `None` keeps it.
    pub close_on: Option<NaiveDate>,
    /// Why; never blank.
    pub reason: String,
}

impl Decide {
    fn outcome(&self) -> ClosureReviewStatus {
        match self.close_on {
            Some(_) => ClosureReviewStatus::PlacementClosed,
            None => ClosureReviewStatus::PlacementKept,
        }
    }
}

/// Decides an open review, recording who, when and why on the review and on the
/// placement; closing ends the placement for arrears in the same transaction. The same
/// decision again (a retry) changes nothing; a different one on a decided review is refused.
pub async fn decide(
    pool: &Pool,
    d: &Decide,
    officer: &str,
) -> Result<(ClosureReview, PlacementRecord, History), AppError> {
    let mut tx = pool.begin().await?;
    let mut review = store::find(&mut tx, d.review_id)
        .await?
        .ok_or_else(|| AppError::not_found("closure review", d.review_id))?;
    let placement = placements_store::find(&mut tx, review.placement_id)
        .await?
        .ok_or_else(|| AppError::not_found("placement", review.placement_id))?;
    let outcome = d.outcome();
    if review.status != ClosureReviewStatus::Open {
        if review.status == outcome && review.reason.as_deref() == Some(d.reason.as_str()) {
            let history = placements::history(&mut tx, placement.id).await?;
            return Ok((review, placement, history));
        }
        return Err(AppError::FailedPrecondition(format!(
            "closure review {} was decided by {} on {}",
            review.id,
            review.decided_by.as_deref().unwrap_or_default(),
            review
                .decided_at
                .map(|at| housing_platform::time::format_date(
                    housing_platform::time::council_date(at)
                ))
                .unwrap_or_default()
        )));
    }
    let now = Utc::now();
    let placement = match d.close_on {
        Some(end_date) => {
            placements::close(
                &mut tx,
                placement,
                ClosureReason::Arrears,
                end_date,
                &d.reason,
                officer,
            )
            .await?
        }
        None => {
            if placement.status == PlacementStatus::Closed {
                let mut v = FieldViolations::new();
                v.add("close_placement", "the placement has already closed");
                return Err(AppError::Invalid(v));
            }
            placements_store::record_decision(
                &mut tx,
                placement.id,
                "kept_after_arrears_review",
                &d.reason,
                json!({ "closure_review_id": review.id }),
                officer,
                now,
            )
            .await?;
            placement
        }
    };
    store::decide(&mut tx, review.id, outcome, &d.reason, officer, now).await?;
    review.status = outcome;
    review.reason = Some(d.reason.clone());
    review.decided_by = Some(officer.to_owned());
    review.decided_at = Some(now);
    let history = placements::history(&mut tx, placement.id).await?;
    tx.commit().await?;
    Ok((review, placement, history))
}

/// A page of reviews: those matching `filter` after the position `after` (opened at, id),
/// the first opened first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListClosureReviews {
    pub filter: Filter,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

pub async fn list(pool: &Pool, q: &ListClosureReviews) -> Result<Vec<ClosureReview>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(store::list(&mut conn, &q.filter, q.after, q.limit).await?)
}
