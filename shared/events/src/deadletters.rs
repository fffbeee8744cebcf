//! The dead letters in a service's own stream (`housing.<area>.deadletter.v1`): events one
//! of its consumers could never apply, each with the reason. An operator lists and reads
//! them, replays one once the cause is fixed, or discards it with a reason.
//!
//! A replay republishes the original event to its original subject with its `ce-id`: the
//! consumer that failed applies it, and every other consumer of that stream, which applied
//! it already, finds it in its inbox and changes nothing.

use async_nats::HeaderMap;
use async_nats::jetstream::message::StreamMessage;
use async_nats::jetstream::stream::{self, RawMessageErrorKind};
use chrono::{DateTime, Utc};

use crate::EventBus;

/// The headers the consumer adds when it dead-letters an event.
const REASON: &str = "deadletter-reason";
const CONSUMER: &str = "deadletter-consumer";
const SUBJECT: &str = "deadletter-subject";

/// One dead letter, as an operator reads it.
#[derive(Debug, Clone)]
pub struct DeadLetter {
    /// Its place in the stream: what `show`, `replay` and `discard` take.
    pub sequence: u64,
    pub dead_lettered_at: DateTime<Utc>,
    pub consumer: String,
    pub reason: String,
    /// The subject the event was published on.
    pub subject: String,
    pub ce_id: String,
    pub ce_type: String,
    pub ce_subject: String,
    pub payload_bytes: usize,
}

impl DeadLetter {
    fn from_message(m: &StreamMessage) -> Self {
        let header = |name: &str| {
            m.headers
                .get(name)
                .map(|v| v.as_str().to_owned())
                .unwrap_or_default()
        };
        Self {
            sequence: m.sequence,
            dead_lettered_at: DateTime::from_timestamp(m.time.unix_timestamp(), 0)
                .unwrap_or_default(),
            consumer: header(CONSUMER),
            reason: header(REASON),
            subject: header(SUBJECT),
            ce_id: header("ce-id"),
            ce_type: header("ce-type"),
            ce_subject: header("ce-subject"),
            payload_bytes: m.payload.len(),
        }
    }
}

pub struct DeadLetters {
    bus: EventBus,
    area: String,
}

impl DeadLetters {
    pub fn new(bus: EventBus, area: &str) -> Self {
        Self {
            bus,
            area: area.to_owned(),
        }
    }

    fn subject(&self) -> String {
        self.bus
            .subject(&format!("housing.{}.deadletter.v1", self.area))
    }

    async fn stream(&self) -> anyhow::Result<stream::Stream> {
        Ok(self
            .bus
            .jetstream()
            .get_stream(self.bus.stream_name(&self.area))
            .await?)
    }

    /// The dead letters from `after` on, oldest first, at most `limit`.
    pub async fn list(&self, after: u64, limit: usize) -> anyhow::Result<Vec<DeadLetter>> {
        let stream = self.stream().await?;
        let subject = self.subject();
        let mut found = Vec::new();
        let mut next = after.saturating_add(1);
        while found.len() < limit {
            match stream
                .get_first_raw_message_by_subject(&subject, next)
                .await
            {
                Ok(message) => {
                    next = message.sequence.saturating_add(1);
                    found.push(DeadLetter::from_message(&message));
                }
                Err(e) if e.kind() == RawMessageErrorKind::NoMessageFound => break,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(found)
    }

    /// The dead letter at `sequence` and its event's bytes.
    pub async fn show(&self, sequence: u64) -> anyhow::Result<(DeadLetter, Vec<u8>)> {
        let (_, message) = self.get(sequence).await?;
        Ok((DeadLetter::from_message(&message), message.payload.to_vec()))
    }

    /// Publishes the event again to its original subject, then removes the dead letter.
    pub async fn replay(&self, sequence: u64) -> anyhow::Result<DeadLetter> {
        let (stream, message) = self.get(sequence).await?;
        let letter = DeadLetter::from_message(&message);
        anyhow::ensure!(
            !letter.subject.is_empty(),
            "dead letter {sequence} does not say which subject its event came from"
        );
        let mut headers = HeaderMap::new();
        for (name, values) in message.headers.iter() {
            let name: &str = name.as_ref();
            if [REASON, CONSUMER, SUBJECT].contains(&name) {
                continue;
            }
            for value in values {
                headers.append(name, value.as_str());
            }
        }
        // A fresh message id, or JetStream would drop it as the original's duplicate; the
        // event keeps its ce-id, which the consumers' inboxes go by.
        headers.insert(
            async_nats::header::NATS_MESSAGE_ID,
            uuid::Uuid::now_v7().to_string().as_str(),
        );
        self.bus
            .jetstream()
            .publish_with_headers(letter.subject.clone(), headers, message.payload.clone())
            .await?
            .await?;
        stream.delete_message(sequence).await?;
        tracing::info!(sequence, subject = %letter.subject, ce_id = %letter.ce_id, "dead letter replayed");
        Ok(letter)
    }

    /// Removes the dead letter for good; `reason` goes to the log with it.
    pub async fn discard(&self, sequence: u64, reason: &str) -> anyhow::Result<DeadLetter> {
        let (stream, message) = self.get(sequence).await?;
        let letter = DeadLetter::from_message(&message);
        stream.delete_message(sequence).await?;
        tracing::warn!(sequence, subject = %letter.subject, ce_id = %letter.ce_id, %reason, "dead letter discarded");
        Ok(letter)
    }

    /// The stream and its message at `sequence`, which must be one of this service's dead
    /// letters.
    async fn get(&self, sequence: u64) -> anyhow::Result<(stream::Stream, StreamMessage)> {
        let stream = self.stream().await?;
        let message = match stream.get_raw_message(sequence).await {
            Ok(message) => message,
            Err(e) if e.kind() == RawMessageErrorKind::NoMessageFound => {
                anyhow::bail!("no message {sequence} in the {} stream", self.area)
            }
            Err(e) => return Err(e.into()),
        };
        anyhow::ensure!(
            message.subject.as_str() == self.subject(),
            "message {sequence} is an event ({}), not a dead letter",
            message.subject
        );
        Ok((stream, message))
    }
}
