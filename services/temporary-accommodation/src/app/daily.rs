//! Temporary accommodation's daily sweeps: certificates coming up to expiry and lapsed, the
//! B&B six-week clock, overdue s.208 notices and s.213AA notifications, and placements whose notice after the duty
//! ended has run out. Each runs once a day across all replicas; the loop looks every hour so
//! a restart or a missed day is caught up.

use std::time::Duration;

use chrono::NaiveDate;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::shutdown::CancellationToken;
use housing_platform::time::{self, format_date};
use housing_proto::accommodation::v1 as pb;
use tracing::{info, warn};

use crate::app::placements::close;
use crate::db::{clocks, compliance, placements, s213aa, stock};
use crate::domain::clocks::{bnb_days, bnb_limit_date};
use crate::domain::placement::ClosureReason;
use crate::wire::certificate_kind_proto;
use housing_platform::jobs;

const LOOK_EVERY: Duration = Duration::from_secs(3600);

pub async fn run(pool: Pool, stop: CancellationToken) -> anyhow::Result<()> {
    loop {
        if let Err(error) = run_day(&pool, time::today()).await {
            warn!(%error, "daily sweeps failed; they will be tried again");
        }
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tokio::time::sleep(LOOK_EVERY) => {}
        }
    }
}

/// Runs each sweep for `on` that has not yet run that day.
pub async fn run_day(pool: &Pool, on: NaiveDate) -> Result<(), AppError> {
    jobs::singleton(pool, "accommodation.daily", async || {
        let sweeps: [(&str, Sweep); 6] = [
            ("certificates", sweep_certificates),
            ("bnb_clock", sweep_bnb),
            ("s208", sweep_s208),
            ("s213aa", sweep_s213aa),
            ("duty_ends", sweep_duty_ends),
            ("stock_changes", prune_stock_changes),
        ];
        for (job, sweep) in sweeps {
            if !jobs::ran(pool, job, on).await? {
                let events = sweep(pool, on).await?;
                jobs::mark_ran(pool, job, on).await?;
                info!(%on, job, events, "daily sweep");
            }
        }
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(())
}

/// A sweep finds what is due and announces it in one transaction, so a notice is recorded
/// as sent only if its event is in the outbox; it returns how many events it wrote (or,
/// for housekeeping, rows it removed).
type Sweep = fn(&Pool, NaiveDate) -> futures::future::BoxFuture<'_, Result<usize, AppError>>;

fn sweep_certificates(
    pool: &Pool,
    on: NaiveDate,
) -> futures::future::BoxFuture<'_, Result<usize, AppError>> {
    Box::pin(async move {
        let mut tx = pool.begin().await?;
        let mut events = Vec::new();
        for c in compliance::newly_due(&mut tx, on, false).await? {
            let message = pb::UnitComplianceWarning {
                unit_id: c.unit_id.to_string(),
                kind: certificate_kind_proto(c.kind) as i32,
                expires_on: format_date(c.expires_on),
                days_left: (c.expires_on - on).num_days() as i32,
            };
            events.push(OutgoingEvent::new(
                "housing.accommodation.unit.compliance_warning.v1",
                c.unit_id,
                &message,
            ));
        }
        for c in compliance::newly_due(&mut tx, on, true).await? {
            let message = pb::UnitComplianceLapsed {
                unit_id: c.unit_id.to_string(),
                kind: certificate_kind_proto(c.kind) as i32,
                expired_on: format_date(c.expires_on),
                placement_id: c.placement_id.map(|p| p.to_string()).unwrap_or_default(),
            };
            events.push(OutgoingEvent::new(
                "housing.accommodation.unit.compliance_lapsed.v1",
                c.unit_id,
                &message,
            ));
        }
        outbox::enqueue_all(&mut tx, &events).await?;
        tx.commit().await?;
        Ok(events.len())
    })
}

fn sweep_bnb(
    pool: &Pool,
    on: NaiveDate,
) -> futures::future::BoxFuture<'_, Result<usize, AppError>> {
    Box::pin(async move {
        let mut tx = pool.begin().await?;
        let events: Vec<OutgoingEvent> = clocks::bnb_newly_due(&mut tx, on)
            .await?
            .into_iter()
            .map(|due| {
                let message = pb::BedAndBreakfastLimit {
                    placement_id: due.placement_id.to_string(),
                    application_id: due
                        .application_id
                        .map(|a| a.to_string())
                        .unwrap_or_default(),
                    unit_id: due.unit_id.to_string(),
                    in_bed_and_breakfast_since: format_date(due.since),
                    days: bnb_days(due.since, on) as i32,
                    on: format_date(on),
                    limit_date: format_date(bnb_limit_date(due.since)),
                };
                let subject = if due.breach {
                    "housing.accommodation.bnb.limit_breached.v1"
                } else {
                    "housing.accommodation.bnb.limit_warning.v1"
                };
                OutgoingEvent::new(subject, due.placement_id, &message)
            })
            .collect();
        outbox::enqueue_all(&mut tx, &events).await?;
        tx.commit().await?;
        Ok(events.len())
    })
}

fn sweep_s208(
    pool: &Pool,
    on: NaiveDate,
) -> futures::future::BoxFuture<'_, Result<usize, AppError>> {
    Box::pin(async move {
        let mut tx = pool.begin().await?;
        let events: Vec<OutgoingEvent> = clocks::s208_newly_overdue(&mut tx, on)
            .await?
            .into_iter()
            .map(|n| {
                let message = pb::S208NotificationOverdue {
                    placement_id: n.placement_id.to_string(),
                    application_id: n.application_id.map(|a| a.to_string()).unwrap_or_default(),
                    receiving_authority: n.receiving_authority.clone(),
                    placed_on: format_date(n.placed_on),
                    due_on: format_date(n.due_on),
                };
                OutgoingEvent::new(
                    "housing.accommodation.s208.overdue.v1",
                    n.placement_id,
                    &message,
                )
            })
            .collect();
        outbox::enqueue_all(&mut tx, &events).await?;
        tx.commit().await?;
        Ok(events.len())
    })
}

fn sweep_s213aa(
    pool: &Pool,
    on: NaiveDate,
) -> futures::future::BoxFuture<'_, Result<usize, AppError>> {
    Box::pin(async move {
        let mut tx = pool.begin().await?;
        let events: Vec<OutgoingEvent> = s213aa::newly_overdue(&mut tx, on)
            .await?
            .into_iter()
            .map(|n| {
                let message = pb::S213aaNotificationOverdue {
                    placement_id: n.placement_id.to_string(),
                    application_id: n.application_id.map(|a| a.to_string()).unwrap_or_default(),
                    placed_on: format_date(n.placed_on),
                    due_on: format_date(n.due_on),
                };
                OutgoingEvent::new(
                    "housing.accommodation.s213aa.overdue.v1",
                    n.placement_id,
                    &message,
                )
            })
            .collect();
        outbox::enqueue_all(&mut tx, &events).await?;
        tx.commit().await?;
        Ok(events.len())
    })
}

/// Closes each placement whose notice after a duty-ending decision ends by `on`, on its last
/// day of notice.
fn sweep_duty_ends(
    pool: &Pool,
    on: NaiveDate,
) -> futures::future::BoxFuture<'_, Result<usize, AppError>> {
    Box::pin(async move {
        let mut tx = pool.begin().await?;
        let due = placements::duty_ended_by(&mut tx, on).await?;
        let closed = due.len();
        for placement in due {
            let ends_on = placement.duty_ends_on.unwrap_or(on);
            close(
                &mut tx,
                placement,
                ClosureReason::DutyDischargedFinalOfferRefused,
                ends_on,
                "notice after the refused final offer ended",
                "system:daily",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(closed)
    })
}

/// Changes to the stock are kept [`stock::CHANGES_KEPT`]: replicas bring their copy of the
/// vacant stock up to date from them.
fn prune_stock_changes(
    pool: &Pool,
    _on: NaiveDate,
) -> futures::future::BoxFuture<'_, Result<usize, AppError>> {
    Box::pin(async move {
        let pruned = stock::prune_changes(&mut *pool.acquire().await?).await?;
        Ok(pruned as usize)
    })
}
