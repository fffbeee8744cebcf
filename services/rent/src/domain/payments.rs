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

/// Pounds as written (`12`, `12.5`, `12.50`) to pence; fractions of a penny are refused.
pub fn parse_pounds(text: &str) -> Result<Pence, String> {
    let text = text.trim().trim_start_matches('£');
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return Err(format!("{text:?} is not an amount in pounds"));
    }
    if fraction.len() > 2 {
        return Err(format!("{text:?} has a fraction of a penny"));
    }
    let pounds: i64 = whole
        .parse()
        .map_err(|_| format!("{text:?} is too large"))?;
    let pence: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| format!("{text:?} is not an amount"))?;
    pounds
        .checked_mul(100)
        .and_then(|p| p.checked_add(pence))
        .map(Pence::new)
        .ok_or_else(|| format!("{text:?} is too large"))
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
        let amount = match parse_pounds(fields[2]) {
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
    use proptest::prelude::*;

    #[test]
    fn pounds_become_pence() {
        assert_eq!(parse_pounds("210.00"), Ok(Pence::new(21_000)));
        assert_eq!(parse_pounds("£12.5"), Ok(Pence::new(1_250)));
        assert_eq!(parse_pounds("7"), Ok(Pence::new(700)));
    }

    #[test]
    fn an_amount_beyond_64_bits_is_refused_and_one_beyond_the_range_is_named() {
        assert!(
            parse_pounds("92233720368547758.08")
                .unwrap_err()
                .contains("too large")
        );
        assert_eq!(
            parse_pounds("92233720368547758.07"),
            Ok(Pence::new(i64::MAX))
        );
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
    fn a_fraction_of_a_penny_is_refused() {
        assert!(
            parse_pounds("10.005")
                .unwrap_err()
                .contains("fraction of a penny")
        );
        assert!(parse_pounds("-5.00").is_err());
        assert!(parse_pounds("1e3").is_err());
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

    proptest! {
        #[test]
        fn any_pence_amount_written_in_pounds_reads_back(pence in 1i64..10_000_000_000) {
            let text = format!("{}.{:02}", pence / 100, pence % 100);
            prop_assert_eq!(parse_pounds(&text), Ok(Pence::new(pence)));
        }
    }
}
