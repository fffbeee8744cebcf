//! Events on the wire: a protobuf payload with CloudEvents binary-mode headers.

use async_nats::HeaderMap;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use prost::{Message, Name};
use uuid::Uuid;

pub const SPEC_VERSION: &str = "1.0";
pub const CONTENT_TYPE: &str = "application/protobuf";

/// An event on its way out, before the relay adds the deployment's subject prefix.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingEvent {
    pub id: Uuid,
    /// `housing.<area>.<aggregate>.<event>.v1`
    pub subject: String,
    /// The payload's full proto name.
    pub ce_type: String,
    /// The aggregate's id.
    pub ce_subject: String,
    pub time: DateTime<Utc>,
    pub payload: Vec<u8>,
}

impl OutgoingEvent {
    pub fn new<M: Message + Name>(subject: &str, aggregate_id: impl ToString, message: &M) -> Self {
        Self {
            // v7 ids sort by time, which keeps the inbox index compact.
            id: Uuid::now_v7(),
            subject: subject.to_owned(),
            ce_type: M::full_name(),
            ce_subject: aggregate_id.to_string(),
            time: Utc::now(),
            payload: message.encode_to_vec(),
        }
    }
}

/// The headers of a published event.
pub fn headers(
    id: Uuid,
    ce_type: &str,
    source: &str,
    ce_subject: &str,
    time: DateTime<Utc>,
    traceparent: Option<&str>,
) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let id = id.to_string();
    headers.insert("ce-specversion", SPEC_VERSION);
    headers.insert("ce-id", id.as_str());
    headers.insert("ce-type", ce_type);
    headers.insert("ce-source", source);
    headers.insert("ce-subject", ce_subject);
    headers.insert(
        "ce-time",
        time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            .as_str(),
    );
    headers.insert("ce-datacontenttype", CONTENT_TYPE);
    // JetStream drops a second publish with the same id inside its duplicate window.
    headers.insert(async_nats::header::NATS_MESSAGE_ID, id.as_str());
    if let Some(traceparent) = traceparent {
        headers.insert("traceparent", traceparent);
    }
    headers
}

/// An event as a consumer receives it.
#[derive(Debug, Clone)]
pub struct ReceivedEvent {
    pub id: Uuid,
    /// The subject without the deployment's prefix.
    pub subject: String,
    pub ce_type: String,
    pub ce_source: String,
    pub ce_subject: String,
    pub time: DateTime<Utc>,
    pub payload: Bytes,
}

impl ReceivedEvent {
    /// Reads the CloudEvents headers; an event without them can never be handled.
    pub fn parse(
        subject: &str,
        headers: Option<&HeaderMap>,
        payload: Bytes,
    ) -> Result<Self, String> {
        let headers = headers.ok_or("no headers")?;
        let get = |name: &str| {
            headers
                .get(name)
                .map(|v| v.as_str().to_owned())
                .ok_or_else(|| format!("missing header {name}"))
        };
        if get("ce-specversion")? != SPEC_VERSION {
            return Err("unsupported ce-specversion".into());
        }
        if get("ce-datacontenttype")? != CONTENT_TYPE {
            return Err("unsupported ce-datacontenttype".into());
        }
        let id = Uuid::parse_str(&get("ce-id")?).map_err(|e| format!("bad ce-id: {e}"))?;
        let time = DateTime::parse_from_rfc3339(&get("ce-time")?)
            .map_err(|e| format!("bad ce-time: {e}"))?
            .with_timezone(&Utc);
        Ok(Self {
            id,
            subject: subject.to_owned(),
            ce_type: get("ce-type")?,
            ce_source: get("ce-source")?,
            ce_subject: get("ce-subject")?,
            time,
            payload,
        })
    }

    /// The payload as `M` if the event is one (`None` for other types on the same
    /// subjects); a payload that does not decode can never be handled.
    pub fn decode_if<M: Message + Name + Default>(
        &self,
    ) -> Result<Option<M>, crate::HandlingError> {
        if self.ce_type != M::full_name() {
            return Ok(None);
        }
        self.decode()
            .map(Some)
            .map_err(crate::HandlingError::Reject)
    }

    /// Decodes the payload as `M`, which must be the type the event says it is.
    pub fn decode<M: Message + Name + Default>(&self) -> Result<M, String> {
        if self.ce_type != M::full_name() {
            return Err(format!(
                "ce-type {} is not {}",
                self.ce_type,
                M::full_name()
            ));
        }
        M::decode(self.payload.clone()).map_err(|e| format!("undecodable {}: {e}", self.ce_type))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_round_trip_into_a_received_event() {
        let id = Uuid::now_v7();
        let time = Utc::now();
        let headers = headers(
            id,
            "housing.rent.v1.AccountOpened",
            "/services/rent",
            "acc-1",
            time,
            Some("00-abc-def-01"),
        );
        assert_eq!(
            headers
                .get(async_nats::header::NATS_MESSAGE_ID)
                .unwrap()
                .as_str(),
            id.to_string()
        );
        let event = ReceivedEvent::parse(
            "housing.rent.account.opened.v1",
            Some(&headers),
            Bytes::new(),
        )
        .unwrap();
        assert_eq!(event.id, id);
        assert_eq!(event.ce_type, "housing.rent.v1.AccountOpened");
        assert_eq!(event.ce_subject, "acc-1");
        assert_eq!(event.time.timestamp_millis(), time.timestamp_millis());
    }

    #[test]
    fn an_event_without_an_id_is_refused() {
        let mut headers = headers(Uuid::now_v7(), "t", "s", "x", Utc::now(), None);
        headers.insert("ce-id", "not-a-uuid");
        assert!(
            ReceivedEvent::parse("s", Some(&headers), Bytes::new())
                .unwrap_err()
                .contains("ce-id")
        );
        assert!(ReceivedEvent::parse("s", None, Bytes::new()).is_err());
    }
}
