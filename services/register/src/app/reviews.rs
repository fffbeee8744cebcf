//! The annual review of the register: each live application is asked once a year whether
//! it still needs housing. No reply by the set day closes it; a reply keeps it.

use chrono::{Days, Months, NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::time;
use housing_proto::register::v1 as pb;
use sqlx::PgConnection;
use uuid::Uuid;

use super::assessing::{load, lock, move_status};
use crate::db::applications::{self as store, ApplicationRecord};
use crate::db::{jobs, reviews};
use crate::domain::application::Status;
use crate::domain::scheme::Scheme;

/// Opens a review for every application due by `on` and sends the letter event.
pub async fn raise_due(pool: &Pool, scheme: &Scheme, on: NaiveDate) -> Result<u64, AppError> {
    let mut raised = 0;
    for id in jobs::reviews_due(pool, on).await? {
        let mut tx = pool.begin().await?;
        let record = lock(&mut tx, id).await?;
        raise(&mut tx, scheme, &record, on).await?;
        tx.commit().await?;
        raised += 1;
    }
    Ok(raised)
}

/// An officer's start of the application's review on `on`, ahead of its anniversary.
pub async fn start(
    pool: &Pool,
    scheme: &Scheme,
    id: Uuid,
    on: NaiveDate,
) -> Result<ApplicationRecord, AppError> {
    let mut tx = pool.begin().await?;
    let record = lock(&mut tx, id).await?;
    if !matches!(record.status, Status::Active | Status::Suspended) {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is {}, not on the register",
            record.reference,
            record.status.as_str()
        )));
    }
    if reviews::open_annual_raised_on(&mut tx, id).await?.is_some() {
        return Err(AppError::FailedPrecondition(format!(
            "application {} already has an annual review waiting for a reply",
            record.reference
        )));
    }
    raise(&mut tx, scheme, &record, on).await?;
    let record = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(record)
}

/// Opens the application's review on `on` and queues the letter, within the caller's
/// transaction, with the application locked.
async fn raise(
    tx: &mut PgConnection,
    scheme: &Scheme,
    record: &ApplicationRecord,
    on: NaiveDate,
) -> Result<(), AppError> {
    let reply_by = on + Days::new(scheme.annual_review.reply_days.into());
    let review_id = Uuid::now_v7();
    reviews::open_annual(tx, review_id, record.id, on, reply_by).await?;
    let due = pb::ReviewDue {
        review_id: review_id.to_string(),
        application_id: record.id.to_string(),
        reference: record.reference.clone(),
        lead_name: record.lead_name(),
        reply_by: time::format_date(reply_by),
        raised_at: Some(time::timestamp(Utc::now())),
        postcode: record.postcode.clone(),
    };
    outbox::enqueue(
        tx,
        &OutgoingEvent::new("housing.register.review.due.v1", record.id, &due),
    )
    .await?;
    Ok(())
}

/// Closes every application whose review went unanswered past its reply date.
pub async fn close_unanswered(pool: &Pool, on: NaiveDate) -> Result<u64, AppError> {
    let mut closed = 0;
    for id in jobs::reviews_unanswered(pool, on).await? {
        let mut tx = pool.begin().await?;
        let record = lock(&mut tx, id).await?;
        reviews::end_annual(&mut tx, id, "closed_no_reply", None).await?;
        if record.status.can_become(Status::Closed) {
            move_status(
                &mut tx,
                &record,
                Status::Closed,
                "no reply to the annual review",
                "system:annual-review",
                Utc::now(),
            )
            .await?;
            closed += 1;
        }
        tx.commit().await?;
    }
    Ok(closed)
}

/// The applicant's reply: staying on the register sets the next review a year on;
/// leaving closes the application.
pub async fn reply(
    pool: &Pool,
    scheme: &Scheme,
    id: Uuid,
    still_wants_housing: bool,
    by: &str,
) -> Result<ApplicationRecord, AppError> {
    let mut tx = pool.begin().await?;
    let record = lock(&mut tx, id).await?;
    let now = Utc::now();
    let outcome = if still_wants_housing {
        "renewed"
    } else {
        "withdrawn"
    };
    let Some(raised_on) = reviews::end_annual(&mut tx, id, outcome, Some(now)).await? else {
        return Err(AppError::FailedPrecondition(format!(
            "application {} has no annual review waiting for a reply",
            record.reference
        )));
    };
    if still_wants_housing {
        // Reviews keep to the anniversary, however late the reply came.
        let next = raised_on + Months::new(scheme.annual_review.every_months);
        store::set_next_review(&mut tx, id, next).await?;
    } else {
        move_status(
            &mut tx,
            &record,
            Status::Closed,
            "the applicant replied to the annual review that they no longer need housing",
            by,
            now,
        )
        .await?;
    }
    let record = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(record)
}
