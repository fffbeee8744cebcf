//! Reviews of decisions (s.166A(9)): an applicant may ask for a review of a decision on
//! eligibility, qualification, suspension or priority. A senior officer who did not make
//! the decision reviews it; an overturned decision is put right at once.

use chrono::{DateTime, Utc};
use housing_platform::errors::AppError;
use housing_platform::time;
use sqlx::PgPool;
use uuid::Uuid;

use super::Actor;
use super::assessing::{self, Overriding, load, lock, move_status};
use crate::db::applications::{self as store, ApplicationRecord};
use crate::db::reviews::{self, DecisionReview};
use crate::domain::application::Status;
use crate::domain::overrides::Overrides;
use crate::domain::scheme::Scheme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Eligibility,
    Qualification,
    Suspension,
    Priority,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Eligibility => "eligibility",
            Decision::Qualification => "qualification",
            Decision::Suspension => "suspension",
            Decision::Priority => "priority",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Decision::Eligibility,
            Decision::Qualification,
            Decision::Suspension,
            Decision::Priority,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }

    /// The status the application is in while the decision stands.
    fn status(self) -> Status {
        match self {
            Decision::Eligibility => Status::NotEligible,
            Decision::Qualification => Status::NotQualifying,
            Decision::Suspension => Status::Suspended,
            Decision::Priority => Status::Active,
        }
    }
}

pub async fn request(
    pool: &PgPool,
    id: Uuid,
    decision: Decision,
    grounds: &str,
    by: &str,
) -> Result<DecisionReview, AppError> {
    let mut tx = pool.begin().await?;
    let record = lock(&mut tx, id).await?;
    if record.status != decision.status() {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is {}; there is no {} decision in force to review",
            record.reference,
            record.status,
            decision.as_str()
        )));
    }
    let review = DecisionReview {
        id: Uuid::now_v7(),
        application_id: id,
        decision: decision.as_str().to_owned(),
        grounds: grounds.to_owned(),
        requested_by: by.to_owned(),
        requested_at: Utc::now(),
        outcome: "pending".into(),
        reason: None,
        decided_by: None,
        decided_at: None,
        application_reference: record.reference.clone(),
    };
    reviews::request(&mut tx, &review).await?;
    tx.commit().await?;
    Ok(review)
}

/// What the reviewer decided; `band` is the band an overturned priority decision gives.
pub struct Finding {
    pub overturned: bool,
    pub reason: String,
    pub band: Option<String>,
}

pub async fn decide(
    pool: &PgPool,
    scheme: &Scheme,
    review_id: Uuid,
    finding: Finding,
    actor: &Actor,
) -> Result<(DecisionReview, ApplicationRecord), AppError> {
    let mut tx = pool.begin().await?;
    let mut review = reviews::find_decision_review(&mut tx, review_id)
        .await?
        .ok_or_else(|| AppError::not_found("decision review", review_id))?;
    if review.outcome != "pending" {
        return Err(AppError::FailedPrecondition(format!(
            "review {review_id} was already decided: {}",
            review.outcome
        )));
    }
    let decision = Decision::parse(&review.decision).ok_or_else(|| {
        AppError::FailedPrecondition(format!("unknown decision {}", review.decision))
    })?;
    let record = lock(&mut tx, review.application_id).await?;
    if reviews::original_decider(&mut tx, record.id)
        .await?
        .as_deref()
        == Some(actor.id.as_str())
    {
        return Err(AppError::PermissionDenied(
            "a review is made by an officer who was not involved in the decision".into(),
        ));
    }
    if finding.overturned && decision == Decision::Priority && finding.band.is_none() {
        let mut v = housing_platform::errors::FieldViolations::new();
        v.add(
            "band",
            "required: the band an overturned priority decision gives",
        );
        return Err(AppError::Invalid(v));
    }
    let now = Utc::now();
    review.outcome = if finding.overturned {
        "overturned"
    } else {
        "upheld"
    }
    .to_owned();
    review.reason = Some(finding.reason.clone());
    review.decided_by = Some(actor.id.clone());
    review.decided_at = Some(now);
    reviews::decide(&mut tx, &review).await?;

    if finding.overturned && record.status == decision.status() {
        let why = format!("decision review {review_id}: {}", finding.reason);
        match decision {
            Decision::Eligibility | Decision::Qualification => {
                let failed = record
                    .assessment
                    .as_ref()
                    .map(|a| a.assessment.reason_codes.clone())
                    .unwrap_or_default();
                let mut waived = record.waived.clone();
                waived.extend(failed);
                store::set_waived(&mut tx, record.id, &waived).await?;
                let updated = load(&mut tx, record.id).await?;
                assessing::reassess(
                    &mut tx,
                    scheme,
                    &updated,
                    "review_decision",
                    Overriding::Keep,
                    actor,
                    time::today(),
                )
                .await?;
            }
            Decision::Suspension => {
                move_status(&mut tx, &record, Status::Active, &why, &actor.id, now).await?;
                store::set_suspended_until(&mut tx, record.id, None).await?;
            }
            Decision::Priority => {
                let overrides = Overrides {
                    band: finding.band.clone(),
                    bedroom_need: record.overrides.bedroom_need,
                };
                let mut assessment = assessing::fresh(scheme, &record, time::today());
                overrides.apply(&mut assessment);
                assessing::decide(
                    &mut tx,
                    scheme,
                    &record,
                    assessment,
                    "review_decision",
                    Some(&why),
                    &overrides,
                    &[],
                    actor,
                )
                .await?;
            }
        }
    }
    let record = load(&mut tx, review.application_id).await?;
    tx.commit().await?;
    Ok((review, record))
}

/// An application's decision reviews, oldest first.
pub async fn list(pool: &PgPool, id: Uuid) -> Result<Vec<DecisionReview>, AppError> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await?;
    Ok(reviews::decision_reviews(&mut conn, id).await?)
}

/// The reviewers' queue: decision reviews awaiting a decision, oldest first.
pub async fn awaiting_decision(
    pool: &PgPool,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<DecisionReview>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(reviews::pending_decision_reviews(&mut conn, after, limit).await?)
}
