//! Inbox-guarded durable pull consumers: each event is applied once, in the same transaction
//! as its inbox row (under load, several events share one); acked only after commit; retried with backoff a bounded number of times;
//! and sent to a dead-letter subject, with the reason, when it can never succeed.

use housing_platform::db::Pool;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::consumer::{AckPolicy, DeliverPolicy, PullConsumer, pull};
use async_nats::jetstream::{AckKind, Message};
use futures::StreamExt;
use housing_platform::telemetry::continue_from;
use opentelemetry::propagation::Extractor;
use sqlx::PgConnection;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::EventBus;
use crate::envelope::ReceivedEvent;

/// Why an event was not applied.
#[derive(Debug, thiserror::Error)]
pub enum HandlingError {
    /// May succeed later (a database hiccup, an event that arrived before the one it
    /// follows): redelivered with backoff, up to the consumer's limit.
    #[error("retry: {0}")]
    Retry(String),
    /// Can never succeed (undecodable, or contrary to the service's rules): dead-lettered now.
    #[error("reject: {0}")]
    Reject(String),
}

impl From<housing_platform::errors::AppError> for HandlingError {
    fn from(error: housing_platform::errors::AppError) -> Self {
        use housing_platform::errors::AppError;
        match error {
            AppError::Storage(_) => HandlingError::Retry(error.to_string()),
            AppError::Upstream(ref status) if status.code() == tonic::Code::Unavailable => {
                HandlingError::Retry(error.to_string())
            }
            _ => HandlingError::Reject(error.to_string()),
        }
    }
}

impl From<sqlx::Error> for HandlingError {
    fn from(error: sqlx::Error) -> Self {
        housing_platform::db::note_if_lost(&error);
        HandlingError::Retry(error.to_string())
    }
}

/// Applies events inside the consumer's transaction; write outbox rows on `conn` to emit.
pub trait Handler: Send + Sync + 'static {
    fn handle<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        event: &'a ReceivedEvent,
    ) -> impl Future<Output = Result<(), HandlingError>> + Send + 'a;

    /// Whether events of this `ce-type` are applied at all. A consumer reading a whole
    /// area for a few types says so here, and the rest are acknowledged without a
    /// transaction of their own.
    fn wants(&self, _ce_type: &str) -> bool {
        true
    }
}

#[derive(Debug, Clone)]
pub struct ConsumerSpec {
    /// Durable consumer name, unique per consuming service and purpose.
    pub durable: String,
    /// The producing area whose stream is read, e.g. `accommodation`.
    pub area: &'static str,
    /// Subject filter without the prefix; wildcards keep one order across event types.
    pub filter: String,
    /// Deliveries before an event is dead-lettered.
    pub max_deliver: i64,
    /// This service's own area: dead letters go to `housing.<own_area>.deadletter.v1`.
    pub own_area: &'static str,
}

impl ConsumerSpec {
    pub fn new(durable: &str, area: &'static str, filter: &str, own_area: &'static str) -> Self {
        Self {
            durable: durable.to_owned(),
            area,
            filter: filter.to_owned(),
            max_deliver: 8,
            own_area,
        }
    }
}

pub struct Consumer<H> {
    pool: Pool,
    bus: EventBus,
    spec: ConsumerSpec,
    handler: Arc<H>,
}

impl<H: Handler> Consumer<H> {
    pub fn new(pool: Pool, bus: EventBus, spec: ConsumerSpec, handler: H) -> Self {
        Self {
            pool,
            bus,
            spec,
            handler: Arc::new(handler),
        }
    }

    /// Consumes until `stop`; reconnects with backoff when NATS or the stream is away.
    pub async fn run(self, stop: CancellationToken) -> anyhow::Result<()> {
        let this = Arc::new(self);
        let mut backoff = Duration::from_millis(200);
        let mut waiting = false;
        while !stop.is_cancelled() {
            match this.consume(&stop).await {
                Ok(()) => backoff = Duration::from_millis(200),
                // Normal while a platform starts: the producer has not created its stream.
                Err(error) if stream_missing(&error) => {
                    if !waiting {
                        tracing::info!(consumer = %this.spec.durable, "waiting for the producer's stream");
                        waiting = true;
                    }
                    tokio::select! {
                        _ = stop.cancelled() => {},
                        _ = tokio::time::sleep(Duration::from_millis(500)) => {},
                    }
                }
                Err(error) => {
                    tracing::warn!(consumer = %this.spec.durable, %error, "consumer interrupted");
                    tokio::select! {
                        _ = stop.cancelled() => {},
                        _ = tokio::time::sleep(backoff) => {},
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
        Ok(())
    }

    async fn consumer(&self) -> anyhow::Result<PullConsumer> {
        // The producer owns its stream; until it has created it there is nothing to read.
        let stream = self
            .bus
            .jetstream()
            .get_stream(self.bus.stream_name(self.spec.area))
            .await?;
        let config = pull::Config {
            durable_name: Some(self.spec.durable.clone()),
            filter_subject: self.bus.subject(&self.spec.filter),
            ack_policy: AckPolicy::Explicit,
            deliver_policy: DeliverPolicy::All,
            ack_wait: Duration::from_secs(30),
            max_deliver: self.spec.max_deliver,
            ..Default::default()
        };
        Ok(stream
            .get_or_create_consumer(&self.spec.durable, config)
            .await?)
    }

    /// Pulls events and hands each to its aggregate's lane. A lane applies its events one
    /// after another, so one aggregate's events are applied in the order they were
    /// published; the lanes' transactions overlap, so the consumer is not held to one
    /// commit's round trip to disk at a time. When pulling stops (shutdown, NATS back from
    /// an outage, an error), the lanes finish the events they hold before it returns.
    async fn consume(self: &Arc<Self>, stop: &CancellationToken) -> anyhow::Result<()> {
        let mut reconnected = self.bus.reconnections();
        let consumer = self.consumer().await?;
        let mut messages = consumer.messages().await?;
        let mut lanes = tokio::task::JoinSet::new();
        let senders: Vec<_> = (0..LANES)
            .map(|_| {
                let (send, mut receive) = tokio::sync::mpsc::channel::<Message>(LANE_DEPTH);
                let this = self.clone();
                lanes.spawn(async move {
                    let mut batch = Vec::with_capacity(BATCH);
                    while receive.recv_many(&mut batch, BATCH).await > 0 {
                        this.process(std::mem::take(&mut batch)).await?;
                    }
                    anyhow::Ok(())
                });
                send
            })
            .collect();
        let outcome = loop {
            let message = tokio::select! {
                _ = stop.cancelled() => break Ok(()),
                // Back from an outage: pull afresh now, not when a heartbeat is missed.
                _ = reconnected.changed() => break Ok(()),
                Some(ended) = lanes.join_next() => break lane_failure(ended),
                next = messages.next() => next,
            };
            let message = match message {
                Some(Ok(message)) => message,
                Some(Err(error)) => break Err(error.into()),
                None => break Ok(()),
            };
            let lane = &senders[lane_of(&message)];
            // A full lane holds the pull back; a lane that has ended reports why next turn.
            tokio::select! {
                sent = lane.send(message) => if sent.is_err() { continue },
                Some(ended) = lanes.join_next() => break lane_failure(ended),
            }
        };
        drop(senders);
        while let Some(ended) = lanes.join_next().await {
            if let Err(error) = lane_failure(ended) {
                tracing::warn!(consumer = %self.spec.durable, %error, "a lane stopped");
            }
        }
        outcome
    }

    /// Applies what a lane has waiting. Under load that is many events, applied in one
    /// transaction, so they share one commit; if any of them fails, the rest are not held
    /// to its fate: each is applied again on its own, as an idle consumer applies them.
    async fn process(&self, messages: Vec<Message>) -> anyhow::Result<()> {
        let mut received = Vec::with_capacity(messages.len());
        for message in messages {
            let subject = self.bus.unprefixed(message.subject.as_str()).to_owned();
            match ReceivedEvent::parse(&subject, message.headers.as_ref(), message.payload.clone())
            {
                Ok(event) if !self.handler.wants(&event.ce_type) => ack(&message).await?,
                Ok(event) => {
                    let span = self.span(&message, &event);
                    received.push(Received {
                        message,
                        event,
                        span,
                    });
                }
                Err(reason) => self.dead_letter(&message, &reason).await?,
            }
        }
        if received.len() > 1 && self.apply_together(&received).await.is_ok() {
            for r in &received {
                ack(&r.message).await?;
            }
            return Ok(());
        }
        for r in received {
            let outcome = self.apply(&r.event).instrument(r.span.clone()).await;
            let _entered = r.span.enter();
            self.settle(&r.message, outcome).await?;
        }
        Ok(())
    }

    fn span(&self, message: &Message, event: &ReceivedEvent) -> tracing::Span {
        let span = tracing::info_span!(
            "consume",
            consumer = %self.spec.durable,
            ce_type = %event.ce_type,
            ce_id = %event.id,
        );
        if let Some(headers) = message.headers.as_ref() {
            continue_from(&span, &NatsHeaders(headers));
        }
        span
    }

    /// Acknowledges an event applied (or applied before), retries it later, or dead-letters it.
    async fn settle(
        &self,
        message: &Message,
        outcome: Result<bool, HandlingError>,
    ) -> anyhow::Result<()> {
        match outcome {
            Ok(applied) => {
                if !applied {
                    tracing::debug!("already applied; acknowledging the redelivery");
                }
                ack(message).await?;
            }
            Err(HandlingError::Reject(reason)) => self.dead_letter(message, &reason).await?,
            Err(HandlingError::Retry(reason)) => {
                let delivered = message.info().map(|i| i.delivered).unwrap_or(1);
                if delivered >= self.spec.max_deliver {
                    let reason = format!("gave up after {delivered} deliveries: {reason}");
                    self.dead_letter(message, &reason).await?;
                } else {
                    let delay = redelivery_delay(delivered);
                    tracing::warn!(%reason, delivered, retry_in_ms = delay.as_millis() as u64, "event will be retried");
                    message
                        .ack_with(AckKind::Nak(Some(delay)))
                        .await
                        .map_err(|e| anyhow::anyhow!("nak: {e}"))?;
                }
            }
        }
        Ok(())
    }

    /// Applies the event with its inbox row in one transaction; `false` if it was applied
    /// before.
    async fn apply(&self, event: &ReceivedEvent) -> Result<bool, HandlingError> {
        let mut tx = self.pool.begin().await?;
        let fresh = self.apply_within(&mut tx, event).await?;
        tx.commit().await?;
        Ok(fresh)
    }

    /// Applies the events in order, each with its inbox row, in one transaction.
    async fn apply_together(&self, received: &[Received]) -> Result<(), HandlingError> {
        let mut tx = self.pool.begin().await?;
        for r in received {
            self.apply_within(&mut tx, &r.event)
                .instrument(r.span.clone())
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records the event in the inbox and applies it, unless the inbox has it already.
    async fn apply_within(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<bool, HandlingError> {
        let fresh = sqlx::query(
            "INSERT INTO inbox (consumer, event_id, subject) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(&self.spec.durable)
        .bind(event.id)
        .bind(&event.subject)
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1;
        if fresh {
            self.handler.handle(conn, event).await?;
        }
        Ok(fresh)
    }

    /// Publishes the message, its headers and the reason to the dead-letter subject, then
    /// terminates it. If the dead letter cannot be stored the message is left for redelivery.
    async fn dead_letter(&self, message: &Message, reason: &str) -> anyhow::Result<()> {
        tracing::error!(consumer = %self.spec.durable, subject = %message.subject, %reason, "dead-lettering event");
        static DEAD_LETTERS: std::sync::OnceLock<opentelemetry::metrics::Counter<u64>> =
            std::sync::OnceLock::new();
        DEAD_LETTERS
            .get_or_init(|| {
                housing_platform::metrics::meter()
                    .u64_counter("messaging.consumer.dead_letters")
                    .with_unit("{message}")
                    .with_description(
                        "Events a consumer could never apply, sent to its dead-letter subject",
                    )
                    .build()
            })
            .add(
                1,
                &[opentelemetry::KeyValue::new(
                    "messaging.consumer.group.name",
                    self.spec.durable.clone(),
                )],
            );
        let mut headers = message.headers.clone().unwrap_or_default();
        // A fresh id: the original's id must not make JetStream drop the dead letter.
        headers.insert(
            async_nats::header::NATS_MESSAGE_ID,
            uuid::Uuid::now_v7().to_string().as_str(),
        );
        headers.insert("deadletter-reason", reason);
        headers.insert("deadletter-consumer", self.spec.durable.as_str());
        headers.insert("deadletter-subject", message.subject.as_str());
        let subject = self
            .bus
            .subject(&format!("housing.{}.deadletter.v1", self.spec.own_area));
        self.bus
            .jetstream()
            .publish_with_headers(subject, headers, message.payload.clone())
            .await?
            .await?;
        message
            .ack_with(AckKind::Term)
            .await
            .map_err(|e| anyhow::anyhow!("term: {e}"))?;
        Ok(())
    }
}

/// Lanes per consumer in each replica, and the events each may hold waiting.
const LANES: usize = 4;
const LANE_DEPTH: usize = 16;
/// The most events a lane applies in one transaction.
const BATCH: usize = LANE_DEPTH;

/// An event taken from its message, with the span its handling is traced in.
struct Received {
    message: Message,
    event: ReceivedEvent,
    span: tracing::Span,
}

async fn ack(message: &Message) -> anyhow::Result<()> {
    message.ack().await.map_err(|e| anyhow::anyhow!("ack: {e}"))
}

/// The lane for the message's aggregate (its `ce-subject`), so one aggregate's events keep
/// their order; a message without one goes by its subject.
fn lane_of(message: &Message) -> usize {
    use std::hash::{Hash, Hasher};
    let aggregate = message
        .headers
        .as_ref()
        .and_then(|h| h.get("ce-subject"))
        .map(|v| v.as_str())
        .unwrap_or(message.subject.as_str());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    aggregate.hash(&mut hasher);
    (hasher.finish() % LANES as u64) as usize
}

/// What a lane that ended says: its error, or that it stopped without one.
fn lane_failure(ended: Result<anyhow::Result<()>, tokio::task::JoinError>) -> anyhow::Result<()> {
    match ended {
        Ok(outcome) => outcome,
        Err(error) => Err(anyhow::anyhow!("consumer lane failed: {error}")),
    }
}

/// 1 s, 2 s, 4 s … capped at a minute.
fn redelivery_delay(delivered: i64) -> Duration {
    let exponent = (delivered.max(1) - 1).min(6) as u32;
    Duration::from_secs(2u64.pow(exponent)).min(Duration::from_secs(60))
}

struct NatsHeaders<'a>(&'a async_nats::HeaderMap);

impl Extractor for NatsHeaders<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(|v| v.as_str())
    }
    fn keys(&self) -> Vec<&str> {
        self.0.iter().map(|(k, _)| k.as_ref()).collect()
    }
}

/// Whether `error` is JetStream saying the stream does not exist (yet).
fn stream_missing(error: &anyhow::Error) -> bool {
    use async_nats::jetstream::ErrorCode;
    use async_nats::jetstream::context::{GetStreamError, GetStreamErrorKind};
    error.downcast_ref::<GetStreamError>().is_some_and(|e| {
        matches!(e.kind(), GetStreamErrorKind::JetStream(js) if js.error_code() == ErrorCode::STREAM_NOT_FOUND)
    })
}

#[cfg(test)]
mod tests {
    use super::redelivery_delay;
    use std::time::Duration;

    #[test]
    fn redelivery_backs_off_exponentially_to_a_cap() {
        assert_eq!(redelivery_delay(1), Duration::from_secs(1));
        assert_eq!(redelivery_delay(2), Duration::from_secs(2));
        assert_eq!(redelivery_delay(4), Duration::from_secs(8));
        assert_eq!(redelivery_delay(50), Duration::from_secs(60));
    }
}
