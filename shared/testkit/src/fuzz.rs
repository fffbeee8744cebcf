//! Requests for any housing RPC made up from its proto: mostly plausible values, so calls
//! reach deep into the handlers, mixed with hostile ones (extreme numbers, NUL and control
//! characters, invalid UTF-8, huge strings, undeclared enum values, empty ids, cut-off
//! bytes). Ids the services hand back are kept and sent again, so the fuzzer reads and
//! changes what it created.

use std::collections::HashMap;

use bytes::{Buf, BufMut};
use housing_platform::screen::schema::{Field, Kind, Schema};
use prost::encoding::{WireType, encode_key, encode_varint};
use tonic::Status;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};

use crate::Lcg;

const HOSTILE_TEXT: &[&str] = &[
    "",
    " ",
    "\0",
    "a\0b",
    "\u{1}\u{7}\u{1b}[31m",
    "line\nbreak",
    "\u{85}\u{202e}\u{feff}",
    "'; DROP TABLE applications; --",
    "%s%n%x",
    "../../../../etc/passwd",
    "😀🏠👨‍👩‍👧",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "-1",
    "99999999999999999999999999",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
];
const PLAUSIBLE_TEXT: &[&str] = &[
    "Amara Mensah",
    "Tonbridge",
    "1 High Street, Tonbridge",
    "applicant sent passport and payslips",
    "band_a",
    "A",
];
const EXTREME_INTS: &[i64] = &[
    0,
    1,
    -1,
    2,
    7,
    i32::MAX as i64,
    i32::MIN as i64,
    i64::MAX,
    i64::MIN,
    1 << 62,
    1_000_000_000,
    1_000_000_001,
    -1_000_000_001,
];
const EXTREME_REALS: &[f64] = &[
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    -0.0,
    1e308,
    -1e308,
    f64::MIN_POSITIVE,
    91.0,
    -181.0,
];

/// Whether a text field holds a date, by the names the protos give dates.
fn is_date(field: &str) -> bool {
    field.ends_with("_on")
        || field.ends_with("date")
        || field.ends_with("_from")
        || field.ends_with("_until")
        || field.ends_with("_since")
        || field.ends_with("_start")
        || field.ends_with("_end")
        || matches!(field, "from" | "to" | "on" | "as_of" | "before" | "after")
}

/// Whether a date field ends a period (`Some(true)`), starts one (`Some(false)`), or is
/// neither, by its name.
fn period_end(field: &str) -> Option<bool> {
    if matches!(field, "to" | "to_date" | "before")
        || field.ends_with("_until")
        || field.ends_with("_end")
    {
        Some(true)
    } else if matches!(field, "from" | "from_date" | "after")
        || field.ends_with("_from")
        || field.ends_with("_since")
        || field.ends_with("_start")
    {
        Some(false)
    } else {
        None
    }
}

/// Makes up requests and remembers the ids that came back.
pub struct Generator {
    schema: &'static Schema,
    pub rng: Lcg,
    /// Values the services answered with, by field name (`application_id`, `unit_id`…).
    pub seen: HashMap<String, Vec<String>>,
    /// How often, one time in so many, a field of the request being made gets a hostile
    /// value: half the requests are nearly all plausible, to reach deep into the handlers.
    hostility: usize,
}

impl Generator {
    pub fn new(seed: u64) -> Self {
        Self {
            schema: Schema::housing(),
            rng: Lcg::new(seed),
            seen: HashMap::new(),
            hostility: 3,
        }
    }

    /// The encoded bytes of a made-up `message`; now and then not a valid message at all.
    pub fn request(&mut self, message: &str) -> Vec<u8> {
        self.hostility = if self.rng.one_in(2) { 3 } else { 60 };
        let mut out = Vec::new();
        self.message(message, 0, &mut out);
        match self.rng.index(40) {
            // Cut short mid-field.
            0 if !out.is_empty() => out.truncate(self.rng.index(out.len())),
            // A field number prost refuses, then garbage.
            1 => out.extend([0x00, 0xff, 0xff]),
            // A field this proto does not declare (a newer client's).
            2 => {
                encode_key(1999, WireType::Varint, &mut out);
                encode_varint(7, &mut out);
            }
            _ => {}
        }
        out
    }

    /// A made-up `message` with no hostile value in it.
    pub fn plausible(&mut self, message: &str) -> Vec<u8> {
        self.hostility = usize::MAX;
        let mut out = Vec::new();
        self.message(message, 0, &mut out);
        out
    }

    fn message(&mut self, name: &str, depth: usize, out: &mut Vec<u8>) {
        let Some(message) = self.schema.message(name) else {
            return;
        };
        let fields: Vec<Field> = message.fields.values().cloned().collect();
        for field in &fields {
            // Leave some fields unset, more the deeper it goes.
            if self.rng.index(10) < 1 + depth {
                continue;
            }
            let count = if field.repeated {
                if self.rng.one_in(50) {
                    200
                } else {
                    self.rng.index(4)
                }
            } else {
                1
            };
            for _ in 0..count {
                self.field(field, depth, out);
            }
        }
    }

    fn field(&mut self, field: &Field, depth: usize, out: &mut Vec<u8>) {
        let number = field.number;
        match &field.kind {
            Kind::Double => {
                encode_key(number, WireType::SixtyFourBit, out);
                out.put_f64_le(self.real(&field.name));
            }
            Kind::Float => {
                encode_key(number, WireType::ThirtyTwoBit, out);
                out.put_f32_le(self.real(&field.name) as f32);
            }
            Kind::Fixed64 => {
                encode_key(number, WireType::SixtyFourBit, out);
                out.put_u64_le(self.rng.bits());
            }
            Kind::Fixed32 => {
                encode_key(number, WireType::ThirtyTwoBit, out);
                out.put_u32_le(self.rng.bits() as u32);
            }
            Kind::Int { .. } => {
                encode_key(number, WireType::Varint, out);
                encode_varint(self.integer(&field.name) as u64, out);
            }
            Kind::ZigZag { .. } => {
                let n = self.integer(&field.name);
                encode_key(number, WireType::Varint, out);
                encode_varint(((n << 1) ^ (n >> 63)) as u64, out);
            }
            Kind::Bool => {
                encode_key(number, WireType::Varint, out);
                encode_varint(self.rng.index(2) as u64, out);
            }
            Kind::Enum(name) => {
                let values = self.schema.enum_values(name);
                // Zero is each enum's "unspecified"; a plausible request names a value.
                let named: Vec<i32> = values.iter().copied().filter(|v| *v != 0).collect();
                let value = if named.is_empty() || self.hostile() {
                    *self.rng.pick(&[-1, 0, 999, i32::MAX as i64, i64::MAX])
                } else {
                    i64::from(*self.rng.pick(&named))
                };
                encode_key(number, WireType::Varint, out);
                encode_varint(value as u64, out);
            }
            Kind::String => {
                let bytes = self.text(&field.name);
                encode_key(number, WireType::LengthDelimited, out);
                encode_varint(bytes.len() as u64, out);
                out.extend(bytes);
            }
            Kind::Bytes => {
                let len = self.rng.index(64);
                let bytes: Vec<u8> = (0..len).map(|_| self.rng.bits() as u8).collect();
                encode_key(number, WireType::LengthDelimited, out);
                encode_varint(bytes.len() as u64, out);
                out.extend(bytes);
            }
            Kind::Message(name) => {
                if depth >= 4 {
                    return;
                }
                let mut inner = Vec::new();
                self.message(name, depth + 1, &mut inner);
                encode_key(number, WireType::LengthDelimited, out);
                encode_varint(inner.len() as u64, out);
                out.extend(inner);
            }
        }
    }

    fn hostile(&mut self) -> bool {
        self.rng.one_in(self.hostility)
    }

    fn text(&mut self, field: &str) -> Vec<u8> {
        if self.hostile() {
            return match self.rng.index(10) {
                0 => vec![0xff, 0xfe, b'a', 0xc3],
                1 => "x".repeat(100_000 + self.rng.index(10)).into_bytes(),
                2 => "y".repeat(201 + self.rng.index(20_000)).into_bytes(),
                _ => self.rng.pick(HOSTILE_TEXT).as_bytes().to_vec(),
            };
        }
        if let Some(seen) = self.seen.get(field).filter(|s| !s.is_empty())
            && !self.rng.one_in(4)
        {
            return self.rng.pick(seen).clone().into_bytes();
        }
        let text = if field == "request_id" {
            format!("fuzz-{}", self.rng.bits())
        } else if field.ends_with("_id") {
            let bits = (u128::from(self.rng.bits()) << 64) | u128::from(self.rng.bits());
            uuid::Uuid::from_u128(bits).to_string()
        } else if field.ends_with("token") || field.ends_with("cursor") {
            String::new()
        } else if is_date(field) {
            // A plausible period starts by today and ends after it, so a read of what was
            // made is not refused for a period the wrong way round; hostile requests get
            // any order.
            let days = self.rng.index(400) as i64;
            let offset = match (self.hostility == usize::MAX, period_end(field)) {
                (true, Some(true)) => days,
                (true, Some(false)) => -days,
                _ => self.rng.index(800) as i64 - 400,
            };
            (housing_platform::time::today() + chrono::Duration::days(offset))
                .format("%Y-%m-%d")
                .to_string()
        } else if field.contains("email") {
            "lettings@example.org".into()
        } else if field.contains("postcode") {
            "TN9 1AA".into()
        } else {
            self.rng.pick(PLAUSIBLE_TEXT).to_string()
        };
        text.into_bytes()
    }

    fn integer(&mut self, field: &str) -> i64 {
        if self.hostile() {
            *self.rng.pick(EXTREME_INTS)
        } else if field.ends_with("_pence") {
            1 + self.rng.index(200_000) as i64
        } else if field.ends_with("_percent") {
            self.rng.index(101) as i64
        } else {
            1 + self.rng.index(5) as i64
        }
    }

    fn real(&mut self, field: &str) -> f64 {
        if self.hostile() {
            *self.rng.pick(EXTREME_REALS)
        } else if field == "longitude" {
            (self.rng.index(1000) as f64 / 1000.0) - 0.5
        } else {
            51.0 + self.rng.index(1000) as f64 / 1000.0
        }
    }

    /// Keeps the ids and references in a service's answer, to send again.
    /// Returns them, `(field, value)`, for a caller that tells whose they were.
    pub fn remember(&mut self, message: &str, bytes: &[u8]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        collect(self.schema, message, bytes, 0, &mut found);
        for (field, value) in &found {
            let values = self.seen.entry(field.clone()).or_default();
            if values.len() < 200 && !values.contains(value) {
                values.push(value.clone());
            }
        }
        found
    }
}

/// `(field, value)` for each id or reference in `bytes`, at any depth.
fn collect(
    schema: &Schema,
    message: &str,
    mut bytes: &[u8],
    depth: usize,
    found: &mut Vec<(String, String)>,
) {
    let Some(m) = schema.message(message) else {
        return;
    };
    while bytes.has_remaining() && depth < 8 {
        let Ok((number, wire)) = prost::encoding::decode_key(&mut bytes) else {
            return;
        };
        let field = m.fields.get(&number);
        match (wire, field) {
            (WireType::LengthDelimited, Some(field)) => {
                let Ok(len) = prost::encoding::decode_varint(&mut bytes) else {
                    return;
                };
                let Some(value) = bytes.get(..len as usize) else {
                    return;
                };
                match &field.kind {
                    Kind::String => {
                        if let Ok(text) = std::str::from_utf8(value)
                            && (field.name.ends_with("_id") || field.name == "reference")
                        {
                            found.push((field.name.clone(), text.to_owned()));
                        }
                    }
                    Kind::Message(inner) => collect(schema, inner, value, depth + 1, found),
                    _ => {}
                }
                bytes.advance(len as usize);
            }
            (wire, _) => {
                if prost::encoding::skip_field(
                    wire,
                    number,
                    &mut bytes,
                    prost::encoding::DecodeContext::default(),
                )
                .is_err()
                {
                    return;
                }
            }
        }
    }
}

/// Sends and receives messages as raw bytes, so the fuzzer can send what no generated
/// client would.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawCodec;

impl Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawCodec;
    type Decoder = RawCodec;

    fn encoder(&mut self) -> Self::Encoder {
        RawCodec
    }

    fn decoder(&mut self) -> Self::Decoder {
        RawCodec
    }
}

impl Encoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;

    fn encode(&mut self, item: Vec<u8>, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        let mut out = vec![0; src.remaining()];
        src.copy_to_slice(&mut out);
        Ok(Some(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_makes_the_same_requests() {
        let name = "housing.accommodation.v1.CreatePlacementRequestRequest";
        let a: Vec<Vec<u8>> = {
            let mut g = Generator::new(7);
            (0..20).map(|_| g.request(name)).collect()
        };
        let mut g = Generator::new(7);
        let b: Vec<Vec<u8>> = (0..20).map(|_| g.request(name)).collect();
        assert!(a == b, "the same seed made different requests");
        assert!(a.iter().any(|r| r.len() > 10));
    }

    #[test]
    fn ids_in_an_answer_are_remembered_under_their_field() {
        use prost::Message;
        let unit = housing_proto::accommodation::v1::Unit {
            unit_id: "u-1".into(),
            provider_id: "p-1".into(),
            ..Default::default()
        };
        let mut g = Generator::new(1);
        g.remember("housing.accommodation.v1.Unit", &unit.encode_to_vec());
        assert_eq!(g.seen["unit_id"], ["u-1"]);
        assert_eq!(g.seen["provider_id"], ["p-1"]);
    }
}
