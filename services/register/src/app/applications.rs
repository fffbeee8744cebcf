use chrono::Utc;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::errors::AppError;
use housing_platform::{idempotency, time};
use housing_proto::register::v1 as pb;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::db::applications::{self as store, ApplicationRecord, NewApplication, ShortlistRow};
use crate::domain::application::Status;
use crate::domain::assessment::{Circumstances, assess};
use crate::domain::household::Household;
use crate::domain::scheme::Scheme;

pub struct Submission {
    pub household: Household,
    pub area: String,
    pub postcode: String,
    pub circumstances: Circumstances,
}

/// Takes in a complete application and assesses it under the scheme in force, which makes
/// it active on the register.
pub async fn submit(
    pool: &PgPool,
    scheme: &Scheme,
    officer: &str,
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
    store::insert(
        &mut tx,
        &NewApplication {
            id,
            household: &submission.household,
            area: &submission.area,
            postcode: &submission.postcode,
            circumstances: &submission.circumstances,
            submitted_by: officer,
            at: now,
        },
    )
    .await?;

    let assessment = assess(
        scheme,
        &submission.household,
        &submission.circumstances,
        time::today(),
    );
    let rank = scheme
        .bands
        .iter()
        .position(|b| b.band == assessment.band)
        .unwrap_or(usize::MAX) as i32;
    store::record_assessment(&mut tx, id, &assessment, rank, officer, now).await?;
    store::change_status(
        &mut tx,
        id,
        Status::Submitted,
        Status::Active,
        "assessed as complete",
        officer,
        now,
    )
    .await?;

    let record = load(&mut tx, id).await?;
    let event = pb::ApplicationAssessed {
        application_id: id.to_string(),
        reference: record.reference.clone(),
        band: assessment.band.clone(),
        bedroom_need: assessment.bedroom_need as i32,
        effective_date: time::format_date(assessment.effective_date),
        reasonable_preference: assessment.reasonable_preference.clone(),
        scheme_version: assessment.scheme_version.clone(),
        assessed_by: officer.to_owned(),
        assessed_at: Some(time::timestamp(now)),
        area: submission.area.clone(),
        outcome: "active".into(),
        trigger: "submitted".into(),
        ..Default::default()
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new("housing.register.application.assessed.v1", id, &event),
    )
    .await?;
    idempotency::record(
        &mut tx,
        "register.SubmitApplication",
        request_id,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(record)
}

pub async fn get(pool: &PgPool, id: Uuid) -> Result<ApplicationRecord, AppError> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await
}

async fn load(conn: &mut PgConnection, id: Uuid) -> Result<ApplicationRecord, AppError> {
    store::find(conn, id, false)
        .await?
        .ok_or_else(|| AppError::not_found("application", id))
}

/// The applicant has a tenancy: the application is housed and leaves the register.
pub async fn mark_housed(
    conn: &mut PgConnection,
    id: Uuid,
    letting_id: &str,
    by: &str,
) -> Result<(), AppError> {
    let record = store::find(conn, id, true)
        .await?
        .ok_or_else(|| AppError::not_found("application", id))?;
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
    store::change_status(
        conn,
        id,
        record.status,
        Status::Housed,
        &format!("letting {letting_id} completed"),
        by,
        now,
    )
    .await?;
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
    pool: &PgPool,
    bedrooms: u32,
    area: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<ShortlistRow>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(store::shortlist(&mut conn, bedrooms, area, offset, limit).await?)
}

/// Moves the application to `to` if its current status allows it, with the change in its
/// history and an event for integrations.
pub async fn change_status(
    pool: &PgPool,
    id: Uuid,
    to: Status,
    reason: &str,
    by: &str,
) -> Result<ApplicationRecord, AppError> {
    let mut tx = pool.begin().await?;
    let record = store::find(&mut tx, id, true)
        .await?
        .ok_or_else(|| AppError::not_found("application", id))?;
    if record.status == to {
        return Ok(record);
    }
    if !record.status.can_become(to) {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is {}; it cannot become {}",
            record.reference, record.status, to
        )));
    }
    let now = Utc::now();
    store::change_status(&mut tx, id, record.status, to, reason, by, now).await?;
    let event = pb::ApplicationStatusChanged {
        application_id: id.to_string(),
        reference: record.reference.clone(),
        from_status: record.status.as_str().into(),
        to_status: to.as_str().into(),
        reason: reason.to_owned(),
        changed_by: by.to_owned(),
        changed_at: Some(time::timestamp(now)),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new("housing.register.application.status_changed.v1", id, &event),
    )
    .await?;
    let record = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(record)
}

pub async fn assessments(
    pool: &PgPool,
    id: Uuid,
) -> Result<Vec<store::AssessmentRecord>, AppError> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await?;
    Ok(store::assessments(&mut conn, id).await?)
}

pub async fn search(
    pool: &PgPool,
    search: &store::Search,
    after: Option<(chrono::DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<store::Summary>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(store::search(&mut conn, search, after, limit).await?)
}
