//! Applying an assessment to a stored application: the audit row, the status it leads to,
//! overrides kept or cleared, and the events integrations hear.

use chrono::{DateTime, NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::errors::AppError;
use housing_platform::time;
use housing_proto::register::v1 as pb;
use sqlx::PgConnection;

use super::Actor;
use crate::db::applications::{self as store, ApplicationRecord, AssessmentRecord};
use crate::domain::application::Status;
use crate::domain::assessment::Trigger;
use crate::domain::assessment::{Assessment, Case, Outcome, assess};
use crate::domain::details::Details;
use crate::domain::household::Household;
use crate::domain::overrides::Overrides;
use crate::domain::scheme::Scheme;
use crate::wire::trigger_proto;
use crate::wire::{outcome_proto, status_proto};

/// How the re-assessment treats an officer's overrides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overriding {
    /// An officer assesses afresh: overrides end.
    Clear,
    /// The rules run again by themselves: overrides stand, and where the rules now differ
    /// the application waits for an officer.
    Keep,
}

/// The fresh assessment of `record` under `scheme` as the rules give it on `on`.
pub fn fresh(scheme: &Scheme, record: &ApplicationRecord, on: NaiveDate) -> Assessment {
    assess(
        scheme,
        &Case {
            household: &record.household,
            details: &record.details,
            registered_on: housing_platform::time::council_date(record.submitted_at),
            waived: &record.waived,
            previous: record.assessment.as_ref().map(|a| &a.assessment),
        },
        on,
    )
}

/// Re-assesses the application, records the decision and moves its status where the
/// outcome leads, as the rules stand on `on`. Finding an applicant not eligible needs a
/// senior officer.
pub async fn reassess(
    conn: &mut PgConnection,
    scheme: &Scheme,
    record: &ApplicationRecord,
    trigger: Trigger,
    overriding: Overriding,
    actor: &Actor,
    on: NaiveDate,
) -> Result<AssessmentRecord, AppError> {
    let mut assessment = fresh(scheme, record, on);
    let overrides = match overriding {
        Overriding::Clear => Overrides::default(),
        Overriding::Keep => record.overrides.clone(),
    };
    let awaiting = overrides.apply(&mut assessment);
    decide(
        conn, scheme, record, assessment, trigger, None, &overrides, &awaiting, actor,
    )
    .await
}

/// Records `assessment` as the one in force, with the overrides that shaped it.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    conn: &mut PgConnection,
    scheme: &Scheme,
    record: &ApplicationRecord,
    assessment: Assessment,
    trigger: Trigger,
    override_reason: Option<&str>,
    overrides: &Overrides,
    awaiting: &[String],
    actor: &Actor,
) -> Result<AssessmentRecord, AppError> {
    if assessment.outcome == Outcome::NotEligible
        && record.status != Status::NotEligible
        && !actor.senior
    {
        return Err(AppError::PermissionDenied(format!(
            "the rules find the applicant not eligible ({}); that decision is a senior officer's: refer the application",
            assessment.reason_codes.join(", ")
        )));
    }
    let to = assessment.outcome.status();
    // Assessing again with nothing changed decides nothing: no new record, no event, no
    // second letter. An override always records its reason.
    if let Some(current) = &record.assessment
        && override_reason.is_none()
        && current.assessment == assessment
        && record.overrides == *overrides
        && record.awaiting_reassessment == awaiting
        && !status_follows(record.status, to)
    {
        return Ok(current.clone());
    }
    let now = Utc::now();
    let decided = AssessmentRecord {
        assessment,
        trigger,
        override_reason: override_reason.map(str::to_owned),
        assessed_by: actor.id.clone(),
        assessed_at: now,
    };
    let a = &decided.assessment;
    store::record_assessment(
        conn,
        record.id,
        &decided,
        scheme.priority(&a.band, a.points),
    )
    .await?;
    store::set_overrides(conn, record.id, overrides, awaiting).await?;

    if status_follows(record.status, to) {
        let reason = match a.outcome {
            Outcome::Active => "assessed: on the register".to_owned(),
            _ => format!("assessed: {}", a.reason_codes.join(", ")),
        };
        move_status(conn, record, to, &reason, &actor.id, now).await?;
    }
    outbox::enqueue(
        conn,
        &OutgoingEvent::new(
            "housing.register.application.assessed.v1",
            record.id,
            &assessed_event(
                record.id,
                &record.reference,
                &record.area,
                &record.household,
                &record.details,
                &decided,
                record.details.postal_address(&record.postcode),
            ),
        ),
    )
    .await?;
    Ok(decided)
}

/// Whether an application in `status` moves to `to` on an assessment: a suspended
/// applicant stays suspended whatever the assessment says; the rest follow the outcome
/// when the law allows the move.
fn status_follows(status: Status, to: Status) -> bool {
    status != to && status != Status::Suspended && status.can_become(to)
}

pub fn assessed_event(
    id: uuid::Uuid,
    reference: &str,
    area: &str,
    household: &Household,
    details: &Details,
    decided: &AssessmentRecord,
    postal_address: Vec<String>,
) -> pb::ApplicationAssessed {
    let a = &decided.assessment;
    pb::ApplicationAssessed {
        application_id: id.to_string(),
        reference: reference.to_owned(),
        band: a.band.clone(),
        bedroom_need: a.bedroom_need as i32,
        effective_date: time::format_date(a.effective_date),
        reasonable_preference: a.reasonable_preference.clone(),
        scheme_version: a.scheme_version.clone(),
        assessed_by: decided.assessed_by.clone(),
        assessed_at: Some(time::timestamp(decided.assessed_at)),
        area: area.to_owned(),
        assessment_outcome: outcome_proto(a.outcome) as i32,
        #[allow(deprecated)]
        outcome: a.outcome.as_str().to_owned(),
        reason_codes: a.reason_codes.clone(),
        exemptions: a.exemptions.clone(),
        points: a.points.unwrap_or(0) as i32,
        areas_wanted: details.areas_wanted.clone(),
        lead_name: household.lead().full_name(),
        #[allow(deprecated)]
        trigger: decided.trigger.as_str().to_owned(),
        assessment_trigger: trigger_proto(decided.trigger) as i32,
        override_reason: decided.override_reason.clone().unwrap_or_default(),
        postal_address,
    }
}

/// Moves the application to `to` if its status allows it, with the change in its history
/// and the events integrations hear.
pub async fn move_status(
    conn: &mut PgConnection,
    record: &ApplicationRecord,
    to: Status,
    reason: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    if !record.status.can_become(to) {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is {}; it cannot become {}",
            record.reference, record.status, to
        )));
    }
    store::change_status(conn, record.id, record.status, to, reason, by, at).await?;
    let changed = pb::ApplicationStatusChanged {
        application_id: record.id.to_string(),
        reference: record.reference.clone(),
        from: status_proto(record.status) as i32,
        to: status_proto(to) as i32,
        #[allow(deprecated)]
        from_status: record.status.as_str().into(),
        #[allow(deprecated)]
        to_status: to.as_str().into(),
        reason: reason.to_owned(),
        missing: if to == Status::AwaitingInformation {
            record.missing.clone()
        } else {
            Vec::new()
        },
        changed_by: by.to_owned(),
        changed_at: Some(time::timestamp(at)),
    };
    outbox::enqueue(
        &mut *conn,
        &OutgoingEvent::new(
            "housing.register.application.status_changed.v1",
            record.id,
            &changed,
        ),
    )
    .await?;
    if to == Status::Closed {
        let closed = pb::ApplicationClosed {
            application_id: record.id.to_string(),
            reference: record.reference.clone(),
            reason: reason.to_owned(),
            closed_by: by.to_owned(),
            closed_at: Some(time::timestamp(at)),
            lead_name: record.lead_name(),
        };
        outbox::enqueue(
            conn,
            &OutgoingEvent::new("housing.register.application.closed.v1", record.id, &closed),
        )
        .await?;
    }
    Ok(())
}

/// Moves an application on after what it is missing changed (`record` as it now stands):
/// one waiting for information that has it all is submitted and assessed; a live one now
/// missing something waits for it, naming each item; anything else is re-assessed.
pub async fn follow_missing(
    conn: &mut PgConnection,
    scheme: &Scheme,
    record: &ApplicationRecord,
    trigger: Trigger,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    match (record.status, record.missing.is_empty()) {
        (Status::AwaitingInformation, true) => {
            move_status(
                conn,
                record,
                Status::Submitted,
                "missing information received",
                &actor.id,
                now,
            )
            .await?;
            let submitted = load(conn, record.id).await?;
            reassess(
                conn,
                scheme,
                &submitted,
                trigger,
                Overriding::Keep,
                actor,
                time::today(),
            )
            .await?;
        }
        (Status::AwaitingInformation, false) => {}
        (Status::Submitted | Status::Active, false) => {
            move_status(
                conn,
                record,
                Status::AwaitingInformation,
                &format!("missing: {}", record.missing.join(", ")),
                &actor.id,
                now,
            )
            .await?;
        }
        (_, false) => {}
        (_, true) => {
            reassess(
                conn,
                scheme,
                record,
                trigger,
                Overriding::Keep,
                actor,
                time::today(),
            )
            .await?;
        }
    }
    Ok(())
}

/// The application locked for the rest of the transaction.
pub async fn lock(conn: &mut PgConnection, id: uuid::Uuid) -> Result<ApplicationRecord, AppError> {
    store::find(conn, id, true)
        .await?
        .ok_or_else(|| AppError::not_found("application", id))
}

pub async fn load(conn: &mut PgConnection, id: uuid::Uuid) -> Result<ApplicationRecord, AppError> {
    store::find(conn, id, false)
        .await?
        .ok_or_else(|| AppError::not_found("application", id))
}
