//! Where a bond stands: it is held until a claim is paid on it, then being repaid until the
//! household has paid back every claim.

use housing_platform::money::Pence;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Held,
    BeingRepaid,
    Repaid,
}

impl State {
    /// The state of a bond with `claimed` paid out on it and `debt` still owed for it.
    pub fn of(claimed: Pence, debt: Pence) -> Self {
        if claimed <= Pence::ZERO {
            State::Held
        } else if debt > Pence::ZERO {
            State::BeingRepaid
        } else {
            State::Repaid
        }
    }
}

/// What happened to a bond, as its history lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Issued,
    Claim,
    Repayment,
    /// A claim or repayment journal reversed: its amount is what it put on the household's
    /// debt (negative when it took debt off).
    Reversal,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Issued => "issued",
            EventKind::Claim => "claim",
            EventKind::Repayment => "repayment",
            EventKind::Reversal => "reversal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            EventKind::Issued,
            EventKind::Claim,
            EventKind::Repayment,
            EventKind::Reversal,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bond_is_held_until_claimed_and_repaid_when_nothing_is_owed() {
        let p = Pence::new;
        assert_eq!(State::of(p(0), p(0)), State::Held);
        assert_eq!(State::of(p(5_000), p(5_000)), State::BeingRepaid);
        assert_eq!(State::of(p(5_000), p(1)), State::BeingRepaid);
        assert_eq!(State::of(p(5_000), p(0)), State::Repaid);
        assert_eq!(EventKind::parse("claim"), Some(EventKind::Claim));
        assert_eq!(EventKind::parse("other"), None);
    }
}
