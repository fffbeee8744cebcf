//! The transactional outbox and its relay.

use housing_platform::db::Pool;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use futures::future::join_all;
use housing_platform::telemetry::{continue_from, current_traceparent};
use sqlx::{PgConnection, Row};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::EventBus;
use crate::envelope::{OutgoingEvent, headers};

/// The advisory lock the relaying replica holds for each batch.
const RELAY_LOCK: &str = "housing.outbox.relay";
const BATCH: i64 = 256;
/// Even with nothing written in this process the relay looks this often, for events written
/// elsewhere (a command run beside the service) and for another replica's when this one
/// relays.
const POLL: Duration = Duration::from_secs(1);
/// How long after an event is written the relay first looks: time for the writer to commit.
const SOON: Duration = Duration::from_millis(2);
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// Writes `event` in the caller's transaction; it is published only if that commits.
pub async fn enqueue(conn: &mut PgConnection, event: &OutgoingEvent) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (event_id, subject, ce_type, ce_subject, occurred_at, payload, traceparent)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(event.id)
    .bind(&event.subject)
    .bind(&event.ce_type)
    .bind(&event.ce_subject)
    .bind(event.time)
    .bind(&event.payload)
    .bind(current_traceparent())
    .execute(&mut *conn)
    .await?;
    written(&event.subject);
    Ok(())
}

/// Writes many events in one statement, for batch jobs; like [`enqueue`], they are
/// published only if the caller's transaction commits.
pub async fn enqueue_all(
    conn: &mut PgConnection,
    events: &[OutgoingEvent],
) -> Result<(), sqlx::Error> {
    if events.is_empty() {
        return Ok(());
    }
    let column = |f: fn(&OutgoingEvent) -> String| events.iter().map(f).collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO outbox (event_id, subject, ce_type, ce_subject, occurred_at, payload, traceparent)
         SELECT e.*, $7 FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bytea[]) e",
    )
    .bind(events.iter().map(|e| e.id).collect::<Vec<_>>())
    .bind(column(|e| e.subject.clone()))
    .bind(column(|e| e.ce_type.clone()))
    .bind(column(|e| e.ce_subject.clone()))
    .bind(events.iter().map(|e| e.time).collect::<Vec<_>>())
    .bind(events.iter().map(|e| e.payload.clone()).collect::<Vec<_>>())
    .bind(current_traceparent())
    .execute(&mut *conn)
    .await?;
    if let Some(first) = events.first() {
        written(&first.subject);
    }
    Ok(())
}

/// Each area's wake-up for its relay in this process.
///
/// A writer wakes its own process's relay before it commits, and the relay looks soon after
/// and again at widening intervals until it finds the event. PostgreSQL's NOTIFY would wake
/// it exactly at commit, but every notifying commit in the whole cluster holds one lock
/// until its flush to disk is done, so commits cannot share a flush: transactions that
/// notified ran at a third of the rate of the same transactions without it.
fn wake(area: &str) -> Arc<Notify> {
    static WAKES: LazyLock<Mutex<HashMap<String, Arc<Notify>>>> = LazyLock::new(Mutex::default);
    let mut wakes = WAKES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match wakes.get(area) {
        Some(wake) => wake.clone(),
        None => wakes.entry(area.to_owned()).or_default().clone(),
    }
}

/// An event on `subject` (`housing.<area>.…`) is about to be committed.
fn written(subject: &str) {
    if let Some(area) = subject.split('.').nth(1) {
        // One permit is kept if the relay is busy, so it looks again when done.
        wake(area).notify_one();
    }
}

/// Rows written but not yet acknowledged by JetStream: the outbox lag.
pub async fn pending(pool: &Pool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        .fetch_one(pool)
        .await
}

/// Publishes outbox rows to JetStream in order and marks each once JetStream acknowledges
/// it. Survives NATS being away: rows wait, and the relay retries with backoff.
pub struct Relay {
    pool: Pool,
    bus: EventBus,
    area: &'static str,
}

impl Relay {
    pub fn new(pool: Pool, bus: EventBus, area: &'static str) -> Self {
        Self { pool, bus, area }
    }

    pub async fn run(self, stop: CancellationToken) -> anyhow::Result<()> {
        let mut reconnected = self.bus.reconnections();
        let wakes = wake(self.area);
        let mut stream_ready = false;
        let mut backoff = Duration::from_millis(100);
        // Until the next look unprompted: short while events are arriving, since a writer
        // that woke the relay may not have committed by its first look, and widening to
        // POLL once they stop.
        let mut next = POLL;
        while !stop.is_cancelled() {
            let outcome = async {
                if !stream_ready {
                    self.bus.ensure_stream(self.area).await?;
                    stream_ready = true;
                }
                self.publish_batch().await
            }
            .await;
            match outcome {
                Ok(published) if published as i64 == BATCH => {
                    backoff = Duration::from_millis(100);
                    continue;
                }
                Ok(published) => {
                    backoff = Duration::from_millis(100);
                    next = if published > 0 {
                        SOON
                    } else {
                        (next * 2).min(POLL)
                    };
                    tokio::select! {
                        _ = stop.cancelled() => {},
                        _ = wakes.notified() => {
                            next = SOON;
                            tokio::time::sleep(SOON).await;
                        },
                        _ = tokio::time::sleep(next) => {},
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64, "outbox relay could not publish");
                    tokio::select! {
                        _ = stop.cancelled() => {},
                        _ = tokio::time::sleep(backoff) => {
                            backoff = (backoff * 2).min(MAX_BACKOFF);
                        },
                        // NATS is back: publish now rather than at the end of the backoff.
                        _ = reconnected.changed() => {
                            backoff = Duration::from_millis(100);
                        },
                    }
                }
            }
        }
        Ok(())
    }

    /// Publishes up to one batch; returns how many rows were marked published.
    async fn publish_batch(&self) -> anyhow::Result<usize> {
        let mut tx = self.pool.begin().await?;
        // One relay at a time, however many replicas: two publishing batches side by side
        // would put an aggregate's events in the stream out of commit order. The others
        // find the lock held and look again on the next notification or poll.
        let relaying: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock(hashtext($1))")
            .bind(RELAY_LOCK)
            .fetch_one(&mut *tx)
            .await?;
        if !relaying {
            return Ok(0);
        }
        let rows = sqlx::query(
            "SELECT seq, event_id, subject, ce_type, ce_subject, occurred_at, payload, traceparent
             FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1",
        )
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            return Ok(0);
        }

        // Send the whole batch in order, then wait for the acks together: one round trip,
        // not one per event. Each send is awaited before the next so the events leave in
        // commit order; only the acks are awaited side by side.
        let mut sends = Vec::with_capacity(rows.len());
        for row in &rows {
            let stored: Option<String> = row.get("traceparent");
            // Publishing joins the trace of the change that wrote the event, and the
            // consumers' work joins this span: one trace from the call to its effects.
            let span = tracing::info_span!(
                "publish",
                subject = row.get::<&str, _>("subject"),
                ce_type = row.get::<&str, _>("ce_type"),
            );
            if let Some(parent) = &stored {
                let carrier = HashMap::from([("traceparent".to_owned(), parent.clone())]);
                continue_from(&span, &carrier);
            }
            let traceparent = span.in_scope(current_traceparent).or(stored);
            let headers = headers(
                row.get("event_id"),
                row.get::<&str, _>("ce_type"),
                self.bus.source(),
                row.get::<&str, _>("ce_subject"),
                row.get("occurred_at"),
                traceparent.as_deref(),
            );
            let payload: Vec<u8> = row.get("payload");
            let subject = self.bus.subject(row.get::<&str, _>("subject"));
            let sent = self
                .bus
                .jetstream()
                .publish_with_headers(subject, headers, payload.into())
                .await;
            // A duplicate ack (JetStream already had this id) counts as success.
            sends.push(async move { sent?.await });
        }
        let results = join_all(sends).await;

        let mut published = Vec::new();
        let mut failure = None;
        for (row, result) in rows.iter().zip(results) {
            match result {
                Ok(_) => published.push(row.get::<i64, _>("seq")),
                Err(error) => {
                    failure.get_or_insert(error);
                }
            }
        }
        sqlx::query("UPDATE outbox SET published_at = now() WHERE seq = ANY($1)")
            .bind(&published)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        match failure {
            Some(error) => Err(error.into()),
            None => Ok(published.len()),
        }
    }
}
