use chrono::{Months, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::{idempotency, time};
use housing_proto::register::v1 as pb;
use sqlx::PgConnection;
use uuid::Uuid;

use super::Actor;
use super::assessing::{self, Overriding, load, lock, move_status};
use crate::db::applications::{self as store, ApplicationRecord, Content};
use crate::db::returns::{self, Letting};
use crate::db::shortlist::{self, Property, ShortlistRow};
use crate::domain::application::Status;
use crate::domain::assessment::Outcome;
use crate::domain::assessment::Trigger;
use crate::domain::details::Details;
use crate::domain::household::Household;
use crate::domain::scheme::Scheme;
use crate::wire::status_proto;

pub struct Submission {
    pub household: Household,
    pub area: String,
    pub postcode: String,
    pub details: Details,
}

impl Submission {
    pub fn content(&self) -> Content<'_> {
        Content {
            household: &self.household,
            details: &self.details,
            area: &self.area,
            postcode: &self.postcode,
        }
    }
}

/// Takes in an application. An incomplete one waits for the missing answers; a complete
/// one is assessed at once when `assess_now` (an officer took it in).
pub async fn submit(
    pool: &Pool,
    scheme: &Scheme,
    actor: &Actor,
    assess_now: bool,
    request_id: &str,
    submission: Submission,
) -> Result<ApplicationRecord, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "register.SubmitApplication", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        return load(&mut tx, id).await;
    }
    let now = Utc::now();
    let id = Uuid::now_v7();
    // A new application has no evidence verified yet: whatever the scheme requires is missing.
    let mut missing = submission.details.missing();
    missing.extend(scheme.evidence.missing(&[]));
    let status = if missing.is_empty() {
        Status::Submitted
    } else {
        Status::AwaitingInformation
    };
    let next_review = time::today() + Months::new(scheme.annual_review.every_months);
    let record = store::insert(
        &mut tx,
        id,
        &submission.content(),
        status,
        &missing,
        next_review,
        &actor.id,
        now,
    )
    .await?;
    let submitted = pb::ApplicationSubmitted {
        application_id: id.to_string(),
        reference: record.reference.clone(),
        lead_name: record.lead_name(),
        application_status: status_proto(status) as i32,
        #[allow(deprecated)]
        status: status.as_str().to_owned(),
        missing,
        submitted_by: actor.id.clone(),
        submitted_at: Some(time::timestamp(now)),
        postcode: record.postcode.clone(),
        postal_address: record.details.postal_address(&record.postcode),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new("housing.register.application.submitted.v1", id, &submitted),
    )
    .await?;
    // An officer who is not senior leaves an applicant the rules find not eligible for a
    // senior officer to decide.
    let for_senior = !actor.senior
        && assessing::fresh(scheme, &record, time::today()).outcome == Outcome::NotEligible;
    let assessed = assess_now && status == Status::Submitted && !for_senior;
    if assessed {
        assessing::reassess(
            &mut tx,
            scheme,
            &record,
            Trigger::Submitted,
            Overriding::Clear,
            actor,
            time::today(),
        )
        .await?;
    }
    idempotency::record(
        &mut tx,
        "register.SubmitApplication",
        request_id,
        &id.to_string(),
    )
    .await?;
    // The assessment just recorded is part of the answer; without one it is as loaded.
    let record = if assessed {
        load(&mut tx, id).await?
    } else {
        record
    };
    tx.commit().await?;
    Ok(record)
}

/// An officer's assessment afresh: overrides end, and the outcome decides the status.
pub async fn assess(
    pool: &Pool,
    scheme: &Scheme,
    id: Uuid,
    actor: &Actor,
) -> Result<ApplicationRecord, AppError> {
    let mut tx = pool.begin().await?;
    let record = lock(&mut tx, id).await?;
    if !record.missing.is_empty() {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is still missing: {}",
            record.reference,
            record.missing.join(", ")
        )));
    }
    if matches!(
        record.status,
        Status::Housed | Status::Withdrawn | Status::Cancelled | Status::Closed | Status::Draft
    ) {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is {}; only a live application is assessed",
            record.reference, record.status
        )));
    }
    assessing::reassess(
        &mut tx,
        scheme,
        &record,
        Trigger::Officer,
        Overriding::Clear,
        actor,
        time::today(),
    )
    .await?;
    let record = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(record)
}

pub async fn get(pool: &Pool, id: Uuid) -> Result<ApplicationRecord, AppError> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await
}

/// The applicant has a tenancy: the application is housed and leaves the register, and the
/// letting is kept for the year's statutory returns.
pub async fn mark_housed(
    conn: &mut PgConnection,
    letting: &Letting,
    by: &str,
) -> Result<(), AppError> {
    let id = letting.application_id;
    let letting_id = letting.letting_id.as_str();
    let record = lock(conn, id).await?;
    if record.status == Status::Housed {
        return Ok(());
    }
    if !record.status.can_become(Status::Housed) {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is {}, and only an active application can be housed",
            record.reference, record.status
        )));
    }
    let now = Utc::now();
    move_status(
        conn,
        &record,
        Status::Housed,
        &format!("letting {letting_id} completed"),
        by,
        now,
    )
    .await?;
    returns::insert_letting(conn, letting, now).await?;
    let event = pb::ApplicationHoused {
        application_id: id.to_string(),
        reference: record.reference,
        letting_id: letting_id.to_owned(),
        housed_at: Some(time::timestamp(now)),
    };
    outbox::enqueue(
        conn,
        &OutgoingEvent::new("housing.register.application.housed.v1", id, &event),
    )
    .await?;
    Ok(())
}

pub async fn shortlist(
    pool: &Pool,
    property: &Property,
    offset: i64,
    limit: i64,
) -> Result<Vec<ShortlistRow>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(shortlist::shortlist(&mut conn, property, offset, limit).await?)
}

/// Moves the application to `to` if its current status allows it, with the change in its
/// history and an event for integrations. Suspending needs the date it ends.
pub async fn change_status(
    pool: &Pool,
    id: Uuid,
    to: Status,
    reason: &str,
    suspended_until: Option<chrono::NaiveDate>,
    by: &str,
) -> Result<ApplicationRecord, AppError> {
    let mut tx = pool.begin().await?;
    let record = lock(&mut tx, id).await?;
    if record.status == to {
        return Ok(record);
    }
    if to == Status::Active && !record.missing.is_empty() {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is still missing: {}",
            record.reference,
            record.missing.join(", ")
        )));
    }
    let now = Utc::now();
    move_status(&mut tx, &record, to, reason, by, now).await?;
    match to {
        Status::Suspended => {
            let until = suspended_until.ok_or_else(|| {
                let mut v = FieldViolations::new();
                v.add("suspended_until", "required when suspending");
                AppError::Invalid(v)
            })?;
            super::suspensions::record(&mut tx, &record, reason, until, by, now).await?;
        }
        _ if record.status == Status::Suspended => {
            store::set_suspended_until(&mut tx, id, None).await?;
        }
        _ => {}
    }
    let record = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(record)
}

pub async fn assessments(pool: &Pool, id: Uuid) -> Result<Vec<store::AssessmentRecord>, AppError> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await?;
    Ok(store::assessments(&mut conn, id).await?)
}

pub async fn search(
    pool: &Pool,
    search: &store::Search,
    after: Option<(chrono::DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<store::Summary>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(store::search(&mut conn, search, after, limit).await?)
}
