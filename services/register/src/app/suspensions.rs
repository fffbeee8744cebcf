//! Suspension: for the scheme's period when an applicant refuses a suitable final offer (as
//! nominations reports), or by a senior officer's decision; lifted by the daily job when it
//! ends.

use chrono::{DateTime, Days, NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::time;
use housing_proto::nominations::v1 as nominations;
use housing_proto::register::v1 as pb;
use sqlx::PgConnection;
use uuid::Uuid;

use super::assessing::{lock, move_status};
use crate::db::applications::{self as store, ApplicationRecord};
use crate::db::jobs;
use crate::domain::application::Status;
use crate::domain::scheme::Scheme;

/// Marks the application suspended until `until` (inclusive) and tells integrations.
pub async fn record(
    conn: &mut PgConnection,
    record: &ApplicationRecord,
    reason: &str,
    until: NaiveDate,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    store::set_suspended_until(conn, record.id, Some(until)).await?;
    let event = pb::ApplicationSuspended {
        application_id: record.id.to_string(),
        reference: record.reference.clone(),
        reason: reason.to_owned(),
        suspended_until: time::format_date(until),
        decided_by: by.to_owned(),
        suspended_at: Some(time::timestamp(at)),
        lead_name: record.lead_name(),
    };
    outbox::enqueue(
        conn,
        &OutgoingEvent::new(
            "housing.register.application.suspended.v1",
            record.id,
            &event,
        ),
    )
    .await?;
    Ok(())
}

/// A refused suitable final offer suspends an active applicant for the scheme's period.
/// Other refusals change nothing here.
pub async fn on_offer_refused(
    conn: &mut PgConnection,
    scheme: &Scheme,
    refusal: &nominations::OfferRefused,
    today: NaiveDate,
) -> Result<(), AppError> {
    if !(refusal.final_offer && refusal.suitable) {
        return Ok(());
    }
    let id = Uuid::parse_str(&refusal.application_id)
        .map_err(|e| AppError::FailedPrecondition(format!("application_id: {e}")))?;
    let application = lock(conn, id).await?;
    if application.status != Status::Active {
        return Ok(());
    }
    let until = today + Days::new(scheme.suspension.refused_final_offer_days.into());
    let reason = format!(
        "refused a suitable final offer (nomination {}, {})",
        refusal.nomination_id,
        refusal.reason_in_words()
    );
    let now = Utc::now();
    move_status(
        conn,
        &application,
        Status::Suspended,
        &reason,
        &refusal.decided_by,
        now,
    )
    .await?;
    record(conn, &application, &reason, until, &refusal.decided_by, now).await
}

/// Lifts every suspension that ended before `on`; returns how many.
pub async fn lift_ended(pool: &Pool, on: NaiveDate) -> Result<u64, AppError> {
    let mut lifted = 0;
    for id in jobs::suspensions_ended(pool, on).await? {
        let mut tx = pool.begin().await?;
        let application = lock(&mut tx, id).await?;
        if application.status == Status::Suspended
            && application.suspended_until.is_some_and(|until| until < on)
        {
            move_status(
                &mut tx,
                &application,
                Status::Active,
                "suspension period ended",
                "system:suspensions",
                Utc::now(),
            )
            .await?;
            store::set_suspended_until(&mut tx, id, None).await?;
            lifted += 1;
        }
        tx.commit().await?;
    }
    Ok(lifted)
}
