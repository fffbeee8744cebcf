//! After a scheme change every live application is re-assessed under the new version, in
//! batches that each commit with their progress, so a restart resumes where it stopped.
//! Officers' overrides stand; where the new rules differ the case waits for an officer.

use chrono::Utc;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::{Pool, Tx};
use housing_platform::errors::AppError;
use housing_platform::shutdown::CancellationToken;
use housing_platform::time;
use housing_proto::register::v1 as pb;
use tracing::info;

use super::Actor;
use super::assessing::{self, Overriding, assessed_event, lock};
use crate::db::applications::{self as store, AssessmentRecord};
use crate::db::reassessment::{self as runs, Move, Reassessed, Run};
use crate::domain::application::Status;
use crate::domain::assessment::Trigger;
use crate::domain::assessment::{Case, Outcome, assess};
use crate::domain::scheme::Scheme;
use crate::wire::status_proto;
use housing_platform::jobs;

/// Applications per transaction: large enough to amortise round trips, small enough that
/// officers' edits to a locked application wait only briefly.
pub const BATCH: i64 = 10_000;
const SYSTEM: &str = "system:scheme-change";

/// Starts or resumes the re-assessment for the scheme in force and works it to the end;
/// `None` when every live application is already under it.
pub async fn run(
    pool: &Pool,
    scheme: &Scheme,
    stop: &CancellationToken,
) -> Result<Option<Run>, AppError> {
    let Some(mut run) = runs::start(pool, &scheme.version).await? else {
        return Ok(None);
    };
    // One replica works the run; the others leave it.
    jobs::singleton(pool, "register.reassessment", async || {
        work(pool, scheme, &mut run, stop).await
    })
    .await?;
    Ok(Some(run))
}

async fn work(
    pool: &Pool,
    scheme: &Scheme,
    run: &mut Run,
    stop: &CancellationToken,
) -> Result<(), AppError> {
    if run.state == "completed" {
        return Ok(());
    }
    info!(version = %scheme.version, total = run.total, done = run.done, "re-assessing the register");
    let today = time::today();
    let mut next = tokio::spawn(fetch(pool.clone(), run.cursor));
    loop {
        let (mut tx, batch) = next
            .await
            .map_err(|e| AppError::FailedPrecondition(e.to_string()))??;
        // A stopping service leaves the rest to the next start, which resumes at the cursor.
        if stop.is_cancelled() {
            return Ok(());
        }
        let Some(last) = batch.last().map(|c| c.id) else {
            drop(tx);
            sweep(pool, scheme, run).await?;
            return complete(pool, scheme, run).await;
        };
        // The next batch is read while this one is written: the database and the rules
        // each keep a core busy.
        next = tokio::spawn(fetch(pool.clone(), Some(last)));
        let now = Utc::now();
        let assessed: Vec<_> = batch
            .iter()
            .map(|current| {
                let mut fresh = assess(
                    scheme,
                    &Case {
                        household: &current.household,
                        details: &current.details,
                        registered_on: current.registered_on,
                        waived: &current.waived,
                        previous: Some(&current.assessment),
                    },
                    today,
                );
                let awaiting = current.overrides.apply(&mut fresh);
                (fresh, awaiting)
            })
            .collect();
        let rows: Vec<Reassessed> = assessed
            .iter()
            .zip(&batch)
            .map(|((a, awaiting), current)| {
                let priority = scheme.priority(&a.band, a.points);
                Reassessed {
                    application_id: current.id,
                    seen_updated_at: current.updated_at,
                    assessment: a,
                    priority,
                    awaiting,
                    changed: a.priority_differs(&current.assessment)
                        || a.effective_date != current.assessment.effective_date
                        || Some(priority) != current.priority
                        || *awaiting != current.awaiting,
                }
            })
            .collect();
        runs::write_assessments(&mut tx, &scheme.version, now, &rows).await?;
        let mut moves = Vec::new();
        let mut events = Vec::new();
        for ((a, _), current) in assessed.iter().zip(&batch) {
            if !a.priority_differs(&current.assessment) {
                continue;
            }
            moves.push(Move {
                application_id: current.id,
                reference: &current.reference,
                from_outcome: current.assessment.outcome.as_str(),
                to_outcome: a.outcome.as_str(),
                from_band: &current.assessment.band,
                to_band: &a.band,
                from_points: current.assessment.points,
                to_points: a.points,
            });
            let decided = AssessmentRecord {
                assessment: a.clone(),
                trigger: Trigger::SchemeChange,
                override_reason: None,
                assessed_by: SYSTEM.to_owned(),
                assessed_at: now,
            };
            events.push(OutgoingEvent::new(
                "housing.register.application.assessed.v1",
                current.id,
                &assessed_event(
                    current.id,
                    &current.reference,
                    &current.area,
                    &current.household,
                    &current.details,
                    &decided,
                    current.details.postal_address(&current.postcode),
                ),
            ));
            // The new rules can take an active applicant off the register; a suspended one
            // stays suspended until it ends.
            if a.outcome != Outcome::Active && current.status == Status::Active.as_str() {
                let reason = format!("scheme {}: {}", scheme.version, a.reason_codes.join(", "));
                let to = a.outcome.status();
                store::change_status(
                    &mut tx,
                    current.id,
                    Status::Active,
                    to,
                    &reason,
                    SYSTEM,
                    now,
                )
                .await?;
                events.push(OutgoingEvent::new(
                    "housing.register.application.status_changed.v1",
                    current.id,
                    &pb::ApplicationStatusChanged {
                        application_id: current.id.to_string(),
                        reference: current.reference.clone(),
                        from: status_proto(Status::Active) as i32,
                        to: status_proto(to) as i32,
                        #[allow(deprecated)]
                        from_status: Status::Active.as_str().into(),
                        #[allow(deprecated)]
                        to_status: to.as_str().into(),
                        reason,
                        changed_by: SYSTEM.into(),
                        changed_at: Some(time::timestamp(now)),
                        missing: Vec::new(),
                    },
                ));
            }
        }
        runs::record_progress(&mut tx, run.id, &moves, rows.len() as i64, last).await?;
        outbox::enqueue_all(&mut tx, &events).await?;
        tx.commit().await?;
        run.cursor = Some(last);
        run.done += rows.len() as i64;
        run.moved += moves.len() as i64;
    }
}

/// Re-assesses, one by one and under lock, the applications changed while the run read
/// them, so none keeps an assessment made from what it was before.
async fn sweep(pool: &Pool, scheme: &Scheme, run: &Run) -> Result<(), AppError> {
    let actor = Actor::system("scheme-change");
    for id in runs::changed_since(pool, run.started_at).await? {
        let mut tx = pool.begin().await?;
        let record = lock(&mut tx, id).await?;
        if matches!(record.status, Status::Active | Status::Suspended) {
            assessing::reassess(
                &mut tx,
                scheme,
                &record,
                Trigger::SchemeChange,
                Overriding::Keep,
                &actor,
                time::today(),
            )
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Marks the run complete and tells integrations.
async fn complete(pool: &Pool, scheme: &Scheme, run: &mut Run) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    runs::complete(&mut tx, run.id).await?;
    let done = runs::find(&mut tx, Some(run.id), None)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let completed = pb::ReassessmentCompleted {
        run_id: run.id.to_string(),
        scheme_version: scheme.version.clone(),
        assessed: done.done,
        moved: done.moved,
        completed_at: Some(time::timestamp(Utc::now())),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new(
            "housing.register.reassessment.completed.v1",
            run.id,
            &completed,
        ),
    )
    .await?;
    tx.commit().await?;
    *run = done;
    info!(version = %scheme.version, assessed = run.done, moved = run.moved, "re-assessment complete");
    Ok(())
}

/// The batch after `cursor`, read in a transaction of its own that the batch's writes use.
async fn fetch(
    pool: Pool,
    cursor: Option<uuid::Uuid>,
) -> Result<(Tx, Vec<runs::Current>), AppError> {
    let mut tx = pool.begin().await?;
    let batch = runs::next_batch(&mut tx, cursor, BATCH).await?;
    Ok((tx, batch))
}

pub async fn find(
    pool: &Pool,
    id: Option<uuid::Uuid>,
) -> Result<(Run, Vec<runs::MoveRow>), AppError> {
    let mut conn = pool.acquire().await?;
    let run = runs::find(&mut conn, id, None)
        .await?
        .ok_or_else(|| match id {
            Some(id) => AppError::not_found("reassessment run", id),
            None => AppError::not_found("reassessment run", "any"),
        })?;
    let moves = runs::moves(&mut conn, run.id, 1_000).await?;
    Ok((run, moves))
}
