//! Reviews of decisions (s.166A(9)): an applicant may ask for a review of a decision on
//! eligibility, qualification, suspension or priority. A senior officer who did not make
//! the decision reviews it; an overturned decision is put right at once.

use chrono::{DateTime, Days, NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::time;
use housing_proto::register::v1 as pb;
use uuid::Uuid;

use super::Actor;
use super::assessing::{self, Overriding, load, lock, move_status};
use crate::db::applications::{self as store, ApplicationRecord};
use crate::db::reviews::{self, DecisionReview};
use crate::domain::application::Status;
use crate::domain::assessment::Trigger;
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

    /// The wire's word for the decision, in the API and in events.
    pub fn proto(self) -> pb::ReviewableDecision {
        match self {
            Decision::Eligibility => pb::ReviewableDecision::Eligibility,
            Decision::Qualification => pb::ReviewableDecision::Qualification,
            Decision::Suspension => pb::ReviewableDecision::Suspension,
            Decision::Priority => pb::ReviewableDecision::Priority,
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

/// Records a request for a review of the decision in force, made within the scheme's
/// period of the decision; the review is due within the scheme's period of the request.
pub async fn request(
    pool: &Pool,
    scheme: &Scheme,
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
    let now = Utc::now();
    let today = time::council_date(now);
    let periods = scheme.decision_reviews;
    if let Some(made) = reviews::decision_made_at(&mut tx, id).await? {
        let made_on = time::council_date(made);
        let last_day = made_on + Days::new(periods.request_within_days.into());
        if today > last_day {
            return Err(AppError::FailedPrecondition(format!(
                "the {} decision was made on {}: a review had to be asked for by {} ({} days)",
                decision.as_str(),
                time::format_date(made_on),
                time::format_date(last_day),
                periods.request_within_days
            )));
        }
    }
    let review = DecisionReview {
        id: Uuid::now_v7(),
        application_id: id,
        decision: decision.as_str().to_owned(),
        grounds: grounds.to_owned(),
        requested_by: by.to_owned(),
        requested_at: now,
        outcome: "pending".into(),
        reason: None,
        decided_by: None,
        decided_at: None,
        application_reference: record.reference.clone(),
        decide_by: today + Days::new(periods.decide_within_days.into()),
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
    pool: &Pool,
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
    let decided = pb::DecisionReviewDecided {
        review_id: review.id.to_string(),
        application_id: record.id.to_string(),
        reference: record.reference.clone(),
        lead_name: record.lead_name(),
        decision: decision.proto() as i32,
        outcome: if finding.overturned {
            pb::DecisionReviewOutcome::Overturned
        } else {
            pb::DecisionReviewOutcome::Upheld
        } as i32,
        reason: finding.reason.clone(),
        decided_by: actor.id.clone(),
        decided_at: Some(time::timestamp(now)),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new(
            "housing.register.decision_review.decided.v1",
            review.id,
            &decided,
        ),
    )
    .await?;

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
                    Trigger::ReviewDecision,
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
                    Trigger::ReviewDecision,
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

/// Announces each review not decided by its day, once.
pub async fn announce_overdue(pool: &Pool, on: NaiveDate) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let events: Vec<OutgoingEvent> = reviews::newly_overdue_decision_reviews(&mut tx, on)
        .await?
        .into_iter()
        .map(|r| {
            let overdue = pb::DecisionReviewOverdue {
                review_id: r.id.to_string(),
                application_id: r.application_id.to_string(),
                reference: r.application_reference.clone(),
                decision: Decision::parse(&r.decision)
                    .map_or(pb::ReviewableDecision::Unspecified, Decision::proto)
                    as i32,
                requested_on: time::format_date(time::council_date(r.requested_at)),
                decide_by: time::format_date(r.decide_by),
            };
            OutgoingEvent::new(
                "housing.register.decision_review.overdue.v1",
                r.id,
                &overdue,
            )
        })
        .collect();
    outbox::enqueue_all(&mut tx, &events).await?;
    tx.commit().await?;
    Ok(events.len())
}

/// An application's decision reviews, oldest first.
pub async fn list(pool: &Pool, id: Uuid) -> Result<Vec<DecisionReview>, AppError> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await?;
    Ok(reviews::decision_reviews(&mut conn, id).await?)
}

/// The reviewers' queue: decision reviews awaiting a decision, oldest first.
pub async fn awaiting_decision(
    pool: &Pool,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<DecisionReview>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(reviews::pending_decision_reviews(&mut conn, after, limit).await?)
}
