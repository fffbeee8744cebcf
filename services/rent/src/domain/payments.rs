//! Payment files from the bank or the benefits service: `date,reference,amount` per line,
//! amounts in pounds with at most two decimal places.

use chrono::NaiveDate;
use housing_platform::money::{Pence, Range};

/// What any one line of a payment file may pay: what any one payment may be.
pub const LINE_RANGE: Range = Range::AMOUNT;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentLine {
    /// 1-based line number in the file, for reports.
    pub line: usize,
    pub received_on: NaiveDate,
    pub reference: String,
    pub amount_pence: Pence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

/// Reads a whole payment file; every malformed line is reported, with its number. A header
/// line (`date,reference,amount`) and blank lines are allowed.
pub fn parse_file(text: &str) -> Result<Vec<PaymentLine>, Vec<LineError>> {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (line, raw) in (1..).zip(text.lines()) {
        let raw = raw.trim();
        if raw.is_empty() || (line == 1 && raw.eq_ignore_ascii_case("date,reference,amount")) {
            continue;
        }
        let fields: Vec<&str> = raw.split(',').map(str::trim).collect();
        if fields.len() != 3 {
            errors.push(LineError {
                line,
                message: format!(
                    "expected 3 fields (date,reference,amount), found {}",
                    fields.len()
                ),
            });
            continue;
        }
        let mut problems = Vec::new();
        let date = NaiveDate::parse_from_str(fields[0], "%Y-%m-%d")
            .map_err(|_| {
                problems.push(format!(
                    "date {} is not YYYY-MM-DD",
                    housing_platform::errors::quote(fields[0])
                ))
            })
            .ok();
        if fields[1].is_empty() {
            problems.push("reference is empty".to_owned());
        }
        let amount = match Pence::parse_pounds(fields[2]) {
            Ok(pence) if pence == Pence::ZERO => {
                problems.push("amount is zero".to_owned());
                None
            }
            Ok(pence) if pence > LINE_RANGE.max => {
                problems.push(format!(
                    "amount {pence} is more than the {} any one payment may be",
                    LINE_RANGE.max
                ));
                None
            }
            Ok(pence) => Some(pence),
            Err(e) => {
                problems.push(format!("amount {e}"));
                None
            }
        };
        match (date, amount, problems.is_empty()) {
            (Some(received_on), Some(amount_pence), true) => lines.push(PaymentLine {
                line,
                received_on,
                reference: fields[1].to_uppercase(),
                amount_pence,
            }),
            _ => errors.push(LineError {
                line,
                message: problems.join("; "),
            }),
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_beyond_64_bits_is_refused_and_one_beyond_the_range_is_named() {
        let file = "2026-11-02,TA00000001,92233720368547758.07\n2026-11-02,TA00000001,10000000.00\n2026-11-02,TA00000001,10000000.01\n";
        let errors = parse_file(file).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![1, 3]
        );
        assert_eq!(
            errors[0].message,
            "amount £92,233,720,368,547,758.07 is more than the £10,000,000.00 any one payment may be"
        );
    }

    #[test]
    fn every_malformed_line_is_named() {
        let file = "date,reference,amount\n2026-11-02,TA00000001,210.00\n2026-13-01,TA00000002,10.00\nonly,two\n2026-11-03,TA00000003,1.001\n";
        let errors = parse_file(file).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![3, 4, 5]
        );
        assert!(errors[2].message.contains("fraction of a penny"));
    }

    #[test]
    fn a_good_file_reads_every_line() {
        let lines =
            parse_file("2026-11-02,ta00000001,210.00\n\n2026-11-09, TA00000001 ,105.5\n").unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].line, 3);
        assert_eq!(lines[1].reference, "TA00000001");
        assert_eq!(lines[1].amount_pence, Pence::new(10_550));
    }
}
