//! Money is a whole number of pence, and every sum of it is checked: an amount a client
//! sends is held to a stated range before anything adds it up, and arithmetic that could
//! still overflow says so instead of wrapping (release) or panicking (debug).

use std::fmt;

use crate::errors::FieldViolations;

/// The most any one amount a client sends may be, either way: £10,000,000. Far above any
/// rent, payment, invoice or payable a council sees, far below where sums of many could
/// overflow 64 bits.
pub const MAX_AMOUNT: Pence = Pence(1_000_000_000);

/// An amount of money in pence; negative where it is owed the other way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pence(i64);

/// A sum of money went beyond what 64 bits of pence hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the amount is out of range")]
pub struct Overflow;

impl Pence {
    pub const ZERO: Pence = Pence(0);

    pub const fn new(pence: i64) -> Self {
        Self(pence)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    /// Whole pounds, for settings and tests.
    pub const fn pounds(pounds: i64) -> Self {
        Self(pounds * 100)
    }

    /// Pounds as a person writes them (`12`, `12.5`, `£1,234.50`) to pence; a minus sign,
    /// a fraction of a penny or anything else is refused with the reason.
    pub fn parse_pounds(text: &str) -> Result<Pence, String> {
        let text = text.trim();
        let digits = text.trim_start_matches('£').replace(',', "");
        let (whole, fraction) = digits.split_once('.').unwrap_or((&digits, ""));
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
            .map(Pence)
            .ok_or_else(|| format!("{text:?} is too large"))
    }

    pub fn checked_add(self, other: Pence) -> Result<Pence, Overflow> {
        self.0.checked_add(other.0).map(Pence).ok_or(Overflow)
    }

    pub fn checked_sub(self, other: Pence) -> Result<Pence, Overflow> {
        self.0.checked_sub(other.0).map(Pence).ok_or(Overflow)
    }

    pub fn checked_mul(self, times: i64) -> Result<Pence, Overflow> {
        self.0.checked_mul(times).map(Pence).ok_or(Overflow)
    }

    pub fn checked_neg(self) -> Result<Pence, Overflow> {
        self.0.checked_neg().map(Pence).ok_or(Overflow)
    }

    /// `self + other` held at the ends of 64 bits: only for reading back what is stored, so
    /// a read answers even where storage holds an absurd amount. Nothing that posts uses it.
    pub fn saturating_add(self, other: Pence) -> Pence {
        Pence(self.0.saturating_add(other.0))
    }

    /// `self - other` held at the ends of 64 bits; see [`Pence::saturating_add`].
    pub fn saturating_sub(self, other: Pence) -> Pence {
        Pence(self.0.saturating_sub(other.0))
    }

    /// `self × numerator ÷ denominator`, rounded half away from zero, worked in 128 bits so
    /// only a result beyond 64 bits fails.
    pub fn checked_ratio(self, numerator: i64, denominator: i64) -> Result<Pence, Overflow> {
        if denominator == 0 {
            return Err(Overflow);
        }
        let product = i128::from(self.0) * i128::from(numerator);
        let d = i128::from(denominator);
        let half = d.abs() / 2;
        let rounded = if (product < 0) == (d < 0) {
            (product + half * d.signum()) / d
        } else {
            (product - half * d.signum()) / d
        };
        i64::try_from(rounded).map(Pence).map_err(|_| Overflow)
    }

    /// The sum of `amounts`, or [`Overflow`].
    pub fn sum(amounts: impl IntoIterator<Item = Pence>) -> Result<Pence, Overflow> {
        amounts
            .into_iter()
            .try_fold(Pence::ZERO, |total, p| total.checked_add(p))
    }
}

impl fmt::Display for Pence {
    /// `£1,234.56`, `-£0.05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let pounds = (abs / 100).to_string();
        let mut grouped = String::with_capacity(pounds.len() + pounds.len() / 3);
        for (i, c) in pounds.chars().enumerate() {
            if i > 0 && (pounds.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}£{grouped}.{:02}", abs % 100)
    }
}

/// The range an amount a client sends must fall in, named in the error when it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub min: Pence,
    pub max: Pence,
}

impl Range {
    /// Above zero, up to `max`.
    pub const fn positive_up_to(max: Pence) -> Self {
        Range { min: Pence(1), max }
    }

    /// Zero or more, up to `max`.
    pub const fn up_to(max: Pence) -> Self {
        Range { min: Pence(0), max }
    }

    /// Either way, up to `max`.
    pub const fn either_way(max: Pence) -> Self {
        Range {
            min: Pence(-max.0),
            max,
        }
    }

    /// A payment, refund, adjustment, claim or invoice line: above zero, up to £10,000,000.
    pub const AMOUNT: Range = Range::positive_up_to(MAX_AMOUNT);

    fn describe(&self) -> String {
        if self.min == Pence(1) {
            format!("must be above zero and at most {}", self.max)
        } else {
            format!("must be from {} to {}", self.min, self.max)
        }
    }
}

impl FieldViolations {
    /// The amount in `pence` if it lies in `range`, else `None` with the field and range named.
    pub fn pence(&mut self, field: &str, pence: i64, range: Range) -> Option<Pence> {
        let amount = Pence(pence);
        if amount < range.min || amount > range.max {
            self.add(field, range.describe());
            None
        } else {
            Some(amount)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_as_written_become_pence() {
        assert_eq!(Pence::parse_pounds("210.00"), Ok(Pence(21_000)));
        assert_eq!(Pence::parse_pounds(" £12.5 "), Ok(Pence(1_250)));
        assert_eq!(Pence::parse_pounds("£18,500.05"), Ok(Pence(1_850_005)));
        assert_eq!(
            Pence::parse_pounds("92233720368547758.07"),
            Ok(Pence(i64::MAX))
        );
        for pence in [1, 7, 99, 100, 101, 123_456_789, 999_999_999_999] {
            let text = format!("{}.{:02}", pence / 100, pence % 100);
            assert_eq!(Pence::parse_pounds(&text), Ok(Pence(pence)), "{text}");
        }
    }

    #[test]
    fn what_is_not_pounds_and_pence_is_refused_with_the_reason() {
        let reason = |text| Pence::parse_pounds(text).unwrap_err();
        assert!(reason("10.005").contains("fraction of a penny"));
        assert!(reason("92233720368547758.08").contains("too large"));
        for bad in ["", "£", "-5.00", "1e3", "12.3.4", "ten", ".50", "5.-1"] {
            assert!(Pence::parse_pounds(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sums_that_would_overflow_say_so() {
        assert_eq!(Pence(i64::MAX).checked_add(Pence(1)), Err(Overflow));
        assert_eq!(Pence(i64::MIN).checked_neg(), Err(Overflow));
        assert_eq!(Pence::sum([Pence(i64::MAX), Pence(1)]), Err(Overflow));
        assert_eq!(Pence::sum([Pence(5), Pence(-7)]), Ok(Pence(-2)));
        assert_eq!(Pence(i64::MAX / 2).checked_mul(3), Err(Overflow));
        assert_eq!(Pence(i64::MAX).saturating_add(Pence(1)), Pence(i64::MAX));
        assert_eq!(Pence(i64::MIN).saturating_sub(Pence(1)), Pence(i64::MIN));
    }

    #[test]
    fn a_ratio_rounds_half_away_from_zero_and_never_overflows_on_the_way() {
        assert_eq!(Pence(1000).checked_ratio(3, 7), Ok(Pence(429)));
        assert_eq!(Pence(-1000).checked_ratio(3, 7), Ok(Pence(-429)));
        assert_eq!(Pence(5).checked_ratio(1, 2), Ok(Pence(3)));
        assert_eq!(Pence(-5).checked_ratio(1, 2), Ok(Pence(-3)));
        assert_eq!(
            Pence(i64::MAX).checked_ratio(3, 7).map(Pence::get),
            Ok(3_952_873_730_080_618_203)
        );
        assert_eq!(Pence(i64::MAX).checked_ratio(7, 3), Err(Overflow));
        assert_eq!(Pence(1).checked_ratio(1, 0), Err(Overflow));
    }

    #[test]
    fn amounts_out_of_range_are_named_with_the_range() {
        let mut v = FieldViolations::new();
        assert_eq!(v.pence("amount_pence", 1, Range::AMOUNT), Some(Pence(1)));
        assert_eq!(v.pence("amount_pence", i64::MAX, Range::AMOUNT), None);
        assert_eq!(v.pence("refund_pence", 0, Range::AMOUNT), None);
        assert_eq!(
            v.pence("adjustment_pence", -5, Range::either_way(MAX_AMOUNT)),
            Some(Pence(-5))
        );
        assert_eq!(
            v.fields().collect::<Vec<_>>(),
            ["amount_pence", "refund_pence"]
        );
        assert_eq!(
            Range::AMOUNT.describe(),
            "must be above zero and at most £10,000,000.00"
        );
        assert_eq!(Pence(-5).to_string(), "-£0.05");
    }
}
