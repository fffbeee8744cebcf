//! The records that make delivery exactly-once are kept only as long as they can matter:
//! published outbox rows, inbox rows and idempotency keys older than the configured age are
//! pruned once a day, by one replica.

use std::time::Duration;

use chrono::{DateTime, Utc};
use housing_platform::db::Pool;
use housing_platform::{jobs, time};
use tokio_util::sync::CancellationToken;

const JOB: &str = "housekeeping";
/// How often a replica looks whether today's pruning is done.
const LOOK_EVERY: Duration = Duration::from_secs(3600);
/// Rows deleted per statement, so no pruning holds locks for long.
const BATCH: i64 = 10_000;

/// What one pruning removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub outbox: u64,
    pub inbox: u64,
    pub idempotency_keys: u64,
}

/// Prunes once a day until `stop`. A failure is logged and tried again later: the service
/// keeps serving meanwhile.
pub async fn run(pool: Pool, keep_days: u32, stop: CancellationToken) -> anyhow::Result<()> {
    loop {
        if let Err(error) = once_today(&pool, keep_days).await {
            tracing::warn!(%error, "housekeeping could not prune; trying again later");
        }
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tokio::time::sleep(LOOK_EVERY) => {}
        }
    }
}

async fn once_today(pool: &Pool, keep_days: u32) -> Result<(), sqlx::Error> {
    let today = time::today();
    if jobs::ran(pool, JOB, today).await? {
        return Ok(());
    }
    let cutoff = Utc::now() - chrono::Days::new(keep_days.into());
    let done = jobs::singleton(pool, JOB, async || {
        let pruned = prune(pool, cutoff).await?;
        jobs::mark_ran(pool, JOB, today).await?;
        Ok::<_, sqlx::Error>(pruned)
    })
    .await?;
    if let Some(pruned) = done {
        tracing::info!(
            outbox = pruned.outbox,
            inbox = pruned.inbox,
            idempotency_keys = pruned.idempotency_keys,
            "housekeeping pruned records older than {keep_days} days"
        );
    }
    Ok(())
}

/// Deletes published outbox rows, inbox rows and idempotency keys from before `cutoff`.
/// Unpublished outbox rows are never pruned, however old: they are events still to send.
pub async fn prune(pool: &Pool, cutoff: DateTime<Utc>) -> Result<Pruned, sqlx::Error> {
    Ok(Pruned {
        outbox: in_batches(
            pool,
            "DELETE FROM outbox WHERE seq IN
                 (SELECT seq FROM outbox WHERE published_at < $1 LIMIT $2)",
            cutoff,
        )
        .await?,
        inbox: in_batches(
            pool,
            "DELETE FROM inbox WHERE (consumer, event_id) IN
                 (SELECT consumer, event_id FROM inbox WHERE processed_at < $1 LIMIT $2)",
            cutoff,
        )
        .await?,
        idempotency_keys: in_batches(
            pool,
            "DELETE FROM idempotency_keys WHERE (scope, request_id) IN
                 (SELECT scope, request_id FROM idempotency_keys WHERE created_at < $1 LIMIT $2)",
            cutoff,
        )
        .await?,
    })
}

async fn in_batches(pool: &Pool, sql: &str, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let mut total = 0;
    loop {
        let deleted = sqlx::query(sql)
            .bind(cutoff)
            .bind(BATCH)
            .execute(pool)
            .await?
            .rows_affected();
        total += deleted;
        if deleted < BATCH as u64 {
            return Ok(total);
        }
    }
}
