//! Opaque page tokens for lists ordered by (time, id): the caller gets the position after
//! the last item, and the next page starts there, so rows added meanwhile are neither
//! skipped nor repeated.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use tonic::Status;
use uuid::Uuid;

use crate::errors::FieldViolations;

/// What a page token that fails to decode is told.
pub const NOT_A_TOKEN: &str = "not a page token from this service";

pub fn encode(at: DateTime<Utc>, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{id}", at.timestamp_micros()))
}

/// The position a token stands for; an empty token is the start.
pub fn decode(token: &str) -> Result<Option<(DateTime<Utc>, Uuid)>, Status> {
    if token.is_empty() {
        return Ok(None);
    }
    let parsed = (|| {
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
        let (micros, id) = text.split_once(':')?;
        Some((
            DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            Uuid::parse_str(id).ok()?,
        ))
    })();
    parsed.map(Some).ok_or_else(not_a_token)
}

/// A token for a list in an order of its own (by an amount, say): `position` is text the
/// list wrote to find its place again, handed to the caller opaque.
pub fn encode_position(position: &str) -> String {
    URL_SAFE_NO_PAD.encode(position)
}

/// The text in a token from [`encode_position`]; an empty token is the start. The list
/// reads the text and refuses, as this does, what it did not write.
pub fn decode_position(token: &str) -> Result<Option<String>, Status> {
    if token.is_empty() {
        return Ok(None);
    }
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .map(Some)
        .ok_or_else(not_a_token)
}

/// `INVALID_ARGUMENT` naming `page_token`.
pub fn not_a_token() -> Status {
    let mut v = FieldViolations::new();
    v.add("page_token", NOT_A_TOKEN);
    v.into_status()
}

/// The token for the page after `rows`, or empty when `rows` did not fill the page.
pub fn next_token<T>(
    rows: &[T],
    limit: i64,
    position: impl Fn(&T) -> (DateTime<Utc>, Uuid),
) -> String {
    match rows.last() {
        Some(last) if rows.len() as i64 == limit => {
            let (at, id) = position(last);
            encode(at, id)
        }
        _ => String::new(),
    }
}

/// The page size asked for, within bounds: 0 means the default.
pub fn size(requested: i32, default: i64, max: i64) -> i64 {
    if requested <= 0 {
        default
    } else {
        (requested as i64).min(max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_garbage_is_refused() {
        let at = DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap();
        let id = Uuid::now_v7();
        assert_eq!(decode(&encode(at, id)).unwrap(), Some((at, id)));
        assert_eq!(decode("").unwrap(), None);
        assert_eq!(
            decode("not-a-token").unwrap_err().code(),
            tonic::Code::InvalidArgument
        );
    }

    #[test]
    fn a_position_round_trips_and_garbage_is_told_apart() {
        let token = encode_position("1250:some-id");
        assert_eq!(
            decode_position(&token).unwrap(),
            Some("1250:some-id".into())
        );
        assert_eq!(decode_position("").unwrap(), None);
        assert!(decode_position("*not base64*").is_err());
        assert!(decode_position(&URL_SAFE_NO_PAD.encode([0xff, 0xfe])).is_err());
    }
}
