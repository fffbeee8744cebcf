//! An application's status and what may follow it.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Submitted,
    AwaitingInformation,
    Active,
    Suspended,
    Housed,
    Withdrawn,
    Cancelled,
    Closed,
    NotEligible,
    NotQualifying,
}

const ALL: [(Status, &str); 11] = [
    (Status::Draft, "draft"),
    (Status::Submitted, "submitted"),
    (Status::AwaitingInformation, "awaiting_information"),
    (Status::Active, "active"),
    (Status::Suspended, "suspended"),
    (Status::Housed, "housed"),
    (Status::Withdrawn, "withdrawn"),
    (Status::Cancelled, "cancelled"),
    (Status::Closed, "closed"),
    (Status::NotEligible, "not_eligible"),
    (Status::NotQualifying, "not_qualifying"),
];

impl Status {
    pub fn as_str(self) -> &'static str {
        ALL.iter()
            .find(|(s, _)| *s == self)
            .map(|(_, n)| *n)
            .expect("every status is named")
    }

    /// Whether the law and the scheme let an application go from `self` to `to`.
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (Draft, Submitted | Withdrawn | Cancelled)
                | (
                    Submitted,
                    AwaitingInformation
                        | Active
                        | NotEligible
                        | NotQualifying
                        | Withdrawn
                        | Cancelled
                )
                | (
                    AwaitingInformation,
                    Submitted | Active | Withdrawn | Cancelled | Closed
                )
                | (
                    Active,
                    Suspended
                        | Housed
                        | Withdrawn
                        | Cancelled
                        | Closed
                        | NotEligible
                        | NotQualifying
                )
                | (Suspended, Active | Withdrawn | Cancelled | Closed)
                // A review or new facts can put a refused applicant on the register.
                | (NotEligible | NotQualifying, Active | Withdrawn | Closed)
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL.iter()
            .find(|(_, n)| *n == s)
            .map(|(st, _)| *st)
            .ok_or_else(|| format!("unknown status {s}"))
    }
}

#[cfg(test)]
mod tests {
    use super::Status::*;

    #[test]
    fn only_an_active_application_can_be_housed() {
        assert!(Active.can_become(Housed));
        assert!(!Submitted.can_become(Housed));
        assert!(!Housed.can_become(Active));
        assert!(!Closed.can_become(Housed));
    }

    #[test]
    fn status_names_round_trip() {
        for s in [Draft, AwaitingInformation, NotQualifying, Housed] {
            assert_eq!(s.as_str().parse::<super::Status>().unwrap(), s);
        }
    }
}
