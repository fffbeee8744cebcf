//! The transactional outbox and its relay.

use housing_platform::db::Pool;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use futures::StreamExt;
use futures::future::join_all;
use housing_platform::telemetry::{continue_from, current_traceparent};
use sqlx::{PgConnection, Row};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::EventBus;
use crate::envelope::{OutgoingEvent, headers};

/// The advisory lock the relaying replica holds.
const RELAY_LOCK: &str = "housing.outbox.relay";
/// How the relaying session plans its statements and commits its marks (see [`Relay::lead`]).
const RELAY_SESSION: &str = "SELECT set_config('enable_bitmapscan', 'off', false),
        set_config('enable_seqscan', 'off', false),
        set_config('plan_cache_mode', 'force_generic_plan', false),
        set_config('synchronous_commit', 'off', false)";
const BATCH: i64 = 256;
/// Even with nothing written in this process the relay looks this often, for events written
/// elsewhere (a command run beside the service) and for another replica's when this one
/// relays.
const POLL: Duration = Duration::from_secs(1);
/// How long after an event is written the relay first looks: time for the writer to commit,
/// and for others writing meanwhile to be relayed in the same batch.
const SOON: Duration = Duration::from_millis(5);
const MIN_BACKOFF: Duration = Duration::from_millis(100);
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
///
/// However many replicas run, one relays: it holds a session advisory lock on a connection
/// of its own for as long as it does, so an aggregate's events reach the stream in commit
/// order, and it alone reads the outbox. The others stand by, pass their own writes on to it
/// over NATS, and try the lock each POLL, so one takes over within a second of the relaying
/// replica going.
pub struct Relay {
    pool: Pool,
    bus: EventBus,
    area: &'static str,
}

/// Why a batch was not relayed.
enum Failure {
    /// The relay's connection, and with it perhaps its lock, may be gone: lead afresh.
    Database(sqlx::Error),
    /// NATS did not take or acknowledge an event: try again, keeping the lead.
    Publish(anyhow::Error),
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Failure::Database(error)
    }
}

impl Relay {
    pub fn new(pool: Pool, bus: EventBus, area: &'static str) -> Self {
        Self { pool, bus, area }
    }

    pub async fn run(self, stop: CancellationToken) -> anyhow::Result<()> {
        let woken = wake(self.area);
        let mut backoff = MIN_BACKOFF;
        while !stop.is_cancelled() {
            let outcome = match self.lead().await {
                Ok(Some(conn)) => self.relay(conn, &woken, &stop).await,
                Ok(None) => {
                    self.stand_by(&woken, &stop).await;
                    Ok(())
                }
                Err(error) => Err(error.into()),
            };
            match outcome {
                Ok(()) => backoff = MIN_BACKOFF,
                Err(error) => {
                    tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64, "outbox relay could not relay");
                    tokio::select! {
                        _ = stop.cancelled() => {},
                        _ = tokio::time::sleep(backoff) => {},
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
        Ok(())
    }

    /// A connection holding the relay's lock, or none if another replica holds it.
    async fn lead(&self) -> Result<Option<PgConnection>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let leading: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtext($1))")
            .bind(RELAY_LOCK)
            .fetch_one(&mut *conn)
            .await?;
        if !leading {
            return Ok(None);
        }
        // Out of the pool: the lock lasts as long as this connection, which no call may use
        // (dropped on an error below, it closes and the lock goes with it).
        let mut conn = conn.detach();
        // The relay's look must walk the index of unpublished events. Published rows leave
        // dead entries in it until a vacuum; a plain index scan marks each once and passes
        // over it after, but a bitmap scan (which the planner picks for so few live rows)
        // visits every one each time, and statistics taken while the outbox was small make
        // it read the whole table instead. Either way, at hundreds of events a second each
        // look grew slower until the next vacuum. And the mark (`seq = ANY($1)`) was planned
        // afresh each time, as a plan for so few values always looked cheaper than one for
        // any: planning probed the end of the index, where the rows just published leave
        // their dead entries, and cost more than the update. Both statements walk the index
        // whatever their values, so this session plans each once. Only this session, which
        // relays and nothing else, plans this way.
        //
        // Nor does the relay wait for its marks to reach the disk. A mark lost in a crash
        // only publishes its events again, which JetStream and every consumer's inbox
        // already take as duplicates; waiting would make each batch a flush of the WAL of
        // its own, as costly to PostgreSQL as a write call's.
        sqlx::query(RELAY_SESSION).execute(&mut conn).await?;
        Ok(Some(conn))
    }

    /// Where standing-by replicas tell the relaying one they wrote an event: a plain NATS
    /// subject outside every stream, so nothing is stored.
    fn wake_subject(&self) -> String {
        self.bus.subject(&format!("relay.{}.written", self.area))
    }

    /// Passes this replica's writes on to the relaying replica until POLL has gone by.
    async fn stand_by(&self, woken: &Notify, stop: &CancellationToken) {
        let until = tokio::time::Instant::now() + POLL;
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep_until(until) => return,
                _ = woken.notified() => {
                    tokio::time::sleep(SOON).await;
                    // If this is lost the relaying replica still finds the event within POLL.
                    let _ = self.bus.client().publish(self.wake_subject(), bytes::Bytes::new()).await;
                }
            }
        }
    }

    /// Relays until `stop` or until the connection fails, then lets the lock go.
    async fn relay(
        &self,
        mut conn: PgConnection,
        woken: &Notify,
        stop: &CancellationToken,
    ) -> anyhow::Result<()> {
        let outcome = async {
            // Without it, other replicas' events wait for the next look unprompted.
            let mut others = match self.bus.client().subscribe(self.wake_subject()).await {
                Ok(others) => others.boxed(),
                Err(error) => {
                    tracing::warn!(%error, "outbox relay cannot hear other replicas' writes");
                    futures::stream::pending().boxed()
                }
            };
            let mut reconnected = self.bus.reconnections();
            let mut stream_ready = false;
            let mut backoff = MIN_BACKOFF;
            // Until the next look unprompted: short while events are arriving, since a
            // writer that woke the relay may not have committed by its first look, and
            // widening fourfold to POLL once they stop. A new relay looks at once.
            let mut next = Duration::ZERO;
            loop {
                tokio::select! {
                    _ = stop.cancelled() => return Ok(()),
                    _ = tokio::time::sleep(next) => {},
                    _ = woken.notified() => {
                        next = SOON;
                        tokio::time::sleep(SOON).await;
                    },
                    Some(_) = others.next() => {
                        next = SOON;
                        tokio::time::sleep(SOON).await;
                    },
                    // NATS is back: publish now rather than at the end of the backoff.
                    _ = reconnected.changed() => backoff = MIN_BACKOFF,
                }
                if !stream_ready {
                    match self.bus.ensure_stream(self.area).await {
                        Ok(_) => stream_ready = true,
                        Err(error) => {
                            tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64, "outbox relay could not reach its stream");
                            next = backoff;
                            backoff = (backoff * 2).min(MAX_BACKOFF);
                            continue;
                        }
                    }
                }
                match self.publish_batch(&mut conn).await {
                    Ok(published) => {
                        backoff = MIN_BACKOFF;
                        next = if published as i64 == BATCH {
                            Duration::ZERO
                        } else if published > 0 {
                            SOON
                        } else {
                            (next * 4).clamp(SOON, POLL)
                        };
                    }
                    Err(Failure::Publish(error)) => {
                        tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64, "outbox relay could not publish");
                        next = backoff;
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                    }
                    Err(Failure::Database(error)) => return Err(anyhow::Error::from(error)),
                }
            }
        }
        .await;
        // Closing ends the session, and with it the lock, at once.
        let _ = sqlx::Connection::close(conn).await;
        outcome
    }

    /// Publishes up to one batch; returns how many rows were marked published.
    async fn publish_batch(&self, conn: &mut PgConnection) -> Result<usize, Failure> {
        let rows = sqlx::query(
            "SELECT seq, event_id, subject, ce_type, ce_subject, occurred_at, payload, traceparent
             FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1",
        )
        .bind(BATCH)
        .fetch_all(&mut *conn)
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
            .execute(&mut *conn)
            .await?;
        match failure {
            Some(error) => Err(Failure::Publish(error.into())),
            None => Ok(published.len()),
        }
    }
}
