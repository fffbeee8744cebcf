//! Reads a request in protobuf's wire format against its message type, without decoding it
//! into the generated structs, so that what prost would refuse (invalid UTF-8, a truncated
//! field) and what the handlers must never see (control characters, huge text, absurd
//! amounts, NaN) are named field by field instead of failing as INTERNAL.

use super::rules;
use super::schema::{Field, Kind, Schema};
use crate::errors::FieldViolations;

/// Deeper than any housing message nests; a request nested deeper is refused, as prost
/// would refuse it at 100.
const MAX_DEPTH: usize = 32;

/// The request is not a well-formed message of its type at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub field: String,
    pub reason: &'static str,
}

/// Every problem with `bytes` read as a `message`: field by field, or the first place the
/// bytes stop making sense.
pub fn check(
    schema: &Schema,
    message: &str,
    bytes: &[u8],
    violations: &mut FieldViolations,
) -> Result<(), Malformed> {
    Walker { schema, violations }.message(message, bytes, "", 0)
}

struct Walker<'a> {
    schema: &'a Schema,
    violations: &'a mut FieldViolations,
}

/// A cursor over one message's bytes.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value: u64 = 0;
        for i in 0..10 {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                // The tenth byte may carry only the top bit.
                return (i < 9 || byte <= 1).then_some(value);
            }
        }
        None
    }

    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn fixed<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn length_delimited(&mut self) -> Option<&'b [u8]> {
        let n = usize::try_from(self.varint()?).ok()?;
        self.take(n)
    }
}

const VARINT: u64 = 0;
const FIXED64: u64 = 1;
const LEN: u64 = 2;
const FIXED32: u64 = 5;

impl Walker<'_> {
    fn message(
        &mut self,
        name: &str,
        bytes: &[u8],
        prefix: &str,
        depth: usize,
    ) -> Result<(), Malformed> {
        let malformed = |reason| Malformed {
            field: prefix.trim_end_matches('.').to_owned(),
            reason,
        };
        if depth > MAX_DEPTH {
            return Err(malformed("nested too deeply"));
        }
        let Some(message) = self.schema.message(name) else {
            return Ok(());
        };
        let mut counts = std::collections::HashMap::<u32, usize>::new();
        let mut reader = Reader { bytes, at: 0 };
        while !reader.done() {
            let key = reader.varint().ok_or_else(|| malformed("truncated"))?;
            let wire = key & 7;
            let number = u32::try_from(key >> 3)
                .ok()
                .filter(|n| *n != 0)
                .ok_or_else(|| malformed("a field number is out of range"))?;
            let Some(field) = message.fields.get(&number) else {
                skip(&mut reader, wire).ok_or_else(|| malformed("truncated"))?;
                continue;
            };
            let index = counts.entry(number).or_default();
            let path = if field.repeated {
                format!("{prefix}{}[{index}]", field.name)
            } else {
                format!("{prefix}{}", field.name)
            };
            *index += 1;
            let bad = |reason| Malformed {
                field: path.clone(),
                reason,
            };
            if field.repeated && wire == LEN && field.kind.packable() {
                let packed = reader.length_delimited().ok_or_else(|| bad("truncated"))?;
                let mut inner = Reader {
                    bytes: packed,
                    at: 0,
                };
                let element = match field.kind {
                    Kind::Double | Kind::Fixed64 => FIXED64,
                    Kind::Float | Kind::Fixed32 => FIXED32,
                    _ => VARINT,
                };
                while !inner.done() {
                    self.scalar(field, &path, element, &mut inner, depth)?;
                }
            } else {
                self.scalar(field, &path, wire, &mut reader, depth)?;
            }
        }
        Ok(())
    }

    /// One value of `field`, checked against its kind and its rules.
    fn scalar(
        &mut self,
        field: &Field,
        path: &str,
        wire: u64,
        reader: &mut Reader<'_>,
        depth: usize,
    ) -> Result<(), Malformed> {
        let bad = |reason| Malformed {
            field: path.to_owned(),
            reason,
        };
        let expected = match field.kind {
            Kind::Double | Kind::Fixed64 => FIXED64,
            Kind::Float | Kind::Fixed32 => FIXED32,
            Kind::String | Kind::Bytes | Kind::Message(_) => LEN,
            _ => VARINT,
        };
        if wire != expected {
            return Err(bad("has the wrong wire type for its declared type"));
        }
        match &field.kind {
            Kind::Double => {
                let value = f64::from_le_bytes(reader.fixed().ok_or_else(|| bad("truncated"))?);
                self.violations.check(path, rules::check_real(value));
            }
            Kind::Float => {
                let value = f32::from_le_bytes(reader.fixed().ok_or_else(|| bad("truncated"))?);
                self.violations
                    .check(path, rules::check_real(f64::from(value)));
            }
            Kind::Fixed64 => {
                reader.fixed::<8>().ok_or_else(|| bad("truncated"))?;
            }
            Kind::Fixed32 => {
                reader.fixed::<4>().ok_or_else(|| bad("truncated"))?;
            }
            Kind::Int { bits, signed } => {
                let raw = reader.varint().ok_or_else(|| bad("truncated"))?;
                // As prost reads it: 32-bit fields keep the low 32 bits.
                let value = match (bits, signed) {
                    (32, true) => i64::from(raw as u32 as i32),
                    (32, false) => i64::from(raw as u32),
                    (_, true) => raw as i64,
                    _ => i64::try_from(raw).unwrap_or(i64::MAX),
                };
                self.violations
                    .check(path, rules::check_integer(&field.name, value));
            }
            Kind::ZigZag { bits } => {
                let raw = reader.varint().ok_or_else(|| bad("truncated"))?;
                let value = ((raw >> 1) as i64) ^ -((raw & 1) as i64);
                let value = if *bits == 32 {
                    i64::from(value as i32)
                } else {
                    value
                };
                self.violations
                    .check(path, rules::check_integer(&field.name, value));
            }
            Kind::Bool => {
                reader.varint().ok_or_else(|| bad("truncated"))?;
            }
            // An undeclared value decodes (proto3 keeps it as a number); each mapping names
            // it with the request's other problems.
            Kind::Enum(_) => {
                reader.varint().ok_or_else(|| bad("truncated"))?;
            }
            Kind::String => {
                let bytes = reader.length_delimited().ok_or_else(|| bad("truncated"))?;
                match std::str::from_utf8(bytes) {
                    Ok(text) => self
                        .violations
                        .check(path, rules::check_text(&field.name, text)),
                    Err(_) => self.violations.add(path, "must be valid UTF-8"),
                }
            }
            Kind::Bytes => {
                reader.length_delimited().ok_or_else(|| bad("truncated"))?;
            }
            Kind::Message(name) => {
                let bytes = reader.length_delimited().ok_or_else(|| bad("truncated"))?;
                self.message(name, bytes, &format!("{path}."), depth + 1)?;
            }
        }
        Ok(())
    }
}

/// Steps over a field this message does not declare (a newer client's), as prost would.
fn skip(reader: &mut Reader<'_>, wire: u64) -> Option<()> {
    match wire {
        VARINT => reader.varint().map(drop),
        FIXED64 => reader.take(8).map(drop),
        LEN => reader.length_delimited().map(drop),
        FIXED32 => reader.take(4).map(drop),
        // Groups (3, 4) are proto2's; wire types 6 and 7 do not exist.
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use housing_proto::accommodation::v1 as ta;
    use housing_proto::rent::v1 as rent;
    use prost::Message;

    use super::*;

    fn problems<M: Message>(name: &str, m: &M) -> Result<Vec<String>, Malformed> {
        problems_in(name, &m.encode_to_vec())
    }

    fn problems_in(name: &str, bytes: &[u8]) -> Result<Vec<String>, Malformed> {
        let mut v = FieldViolations::new();
        check(Schema::housing(), name, bytes, &mut v)?;
        Ok(v.fields().map(str::to_owned).collect())
    }

    #[test]
    fn a_good_request_passes() {
        let request = ta::CreatePlacementRequestRequest {
            request_id: "r-1".into(),
            placement_request: Some(ta::PlacementRequest {
                lead_name: "Amara Mensah".into(),
                household_size: 4,
                anchors: vec![ta::Location {
                    latitude: 51.1,
                    longitude: 0.2,
                }],
                ..Default::default()
            }),
            confirm_differences: false,
        };
        assert_eq!(
            problems(
                "housing.accommodation.v1.CreatePlacementRequestRequest",
                &request
            ),
            Ok(vec![])
        );
    }

    #[test]
    fn every_bad_field_is_named_with_its_path() {
        let request = ta::CreatePlacementRequestRequest {
            request_id: "r\0".into(),
            placement_request: Some(ta::PlacementRequest {
                lead_name: "x".repeat(100_000),
                household_size: -3,
                duty: 99,
                anchors: vec![
                    ta::Location {
                        latitude: 1.0,
                        longitude: 2.0,
                    },
                    ta::Location {
                        latitude: f64::NAN,
                        longitude: 2.0,
                    },
                ],
                ..Default::default()
            }),
            confirm_differences: false,
        };
        assert_eq!(
            problems(
                "housing.accommodation.v1.CreatePlacementRequestRequest",
                &request
            ),
            Ok(vec![
                "request_id".to_owned(),
                "placement_request.lead_name".to_owned(),
                "placement_request.anchors[1].latitude".to_owned(),
            ])
        );
    }

    #[test]
    fn money_beyond_its_range_is_named() {
        let request = rent::RecordPaymentRequest {
            amount_pence: i64::MAX,
            ..Default::default()
        };
        assert_eq!(
            problems("housing.rent.v1.RecordPaymentRequest", &request),
            Ok(vec!["amount_pence".to_owned()])
        );
    }

    #[test]
    fn bytes_prost_would_refuse_are_malformed_or_named() {
        let name = "housing.rent.v1.RecordPaymentRequest";
        // Field 1 (a string) claiming 50 bytes with 2 present.
        assert!(problems_in(name, &[0x0a, 50, b'a', b'b']).is_err());
        // Invalid UTF-8 in a string.
        assert_eq!(
            problems_in(name, &[0x0a, 2, 0xff, 0xfe]).map(|f| f.len()),
            Ok(1)
        );
        // Field number 0, and a varint longer than ten bytes.
        assert!(problems_in(name, &[0x00, 0x01]).is_err());
        assert!(
            problems_in(
                name,
                &[
                    0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
                ]
            )
            .is_err()
        );
        // An unknown field is skipped, as a newer client's would be.
        assert_eq!(problems_in(name, &[0xf8, 0x3f, 0x01]), Ok(vec![]));
    }
}
