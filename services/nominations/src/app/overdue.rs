//! Nominations a partner has not answered by the deadline are announced once, so the
//! council can chase the partner or nominate elsewhere.

use std::time::Duration;

use chrono::NaiveDate;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::shutdown::CancellationToken;
use housing_platform::time;
use housing_proto::nominations::v1 as pb;
use tracing::warn;

use crate::db::nominations;

const LOOK_EVERY: Duration = Duration::from_secs(3600);

/// Raises the overdue event for every pending nomination due before `on`; returns how many.
pub async fn raise(pool: &Pool, on: NaiveDate) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let overdue = nominations::take_overdue(&mut tx, on).await?;
    let events: Vec<OutgoingEvent> = overdue
        .iter()
        .map(|n| {
            OutgoingEvent::new(
                "housing.nominations.nomination.overdue.v1",
                n.id,
                &pb::NominationOverdue {
                    nomination_id: n.id.to_string(),
                    partner_id: n.partner_id.to_string(),
                    application_id: n.application_id.to_string(),
                    respond_by: time::format_date(n.respond_by),
                },
            )
        })
        .collect();
    outbox::enqueue_all(&mut tx, &events).await?;
    tx.commit().await?;
    Ok(overdue.len())
}

pub async fn run(pool: Pool, stop: CancellationToken) -> anyhow::Result<()> {
    loop {
        if let Err(error) = raise(&pool, time::today()).await {
            warn!(%error, "overdue nominations not raised; trying again later");
        }
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tokio::time::sleep(LOOK_EVERY) => {}
        }
    }
}
