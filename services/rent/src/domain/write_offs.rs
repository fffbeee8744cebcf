//! Write-offs on approval: an officer asks for debt that cannot be recovered to be given up,
//! and a manager decides. A write-off is never for more than the arrears, when asked for or
//! when approved, and a decision once made stands.

use housing_platform::money::Pence;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Approved,
    Declined,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Status::Pending, Status::Approved, Status::Declined]
            .into_iter()
            .find(|status| status.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Decline,
}

/// Why a write-off cannot be asked for or decided as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("a write-off of {amount} is more than the arrears of {arrears}")]
    MoreThanArrears { amount: Pence, arrears: Pence },
    #[error(
        "the arrears have fallen to {arrears} since the write-off of {amount} was asked for: \
         decline it, and ask again for what is still owed"
    )]
    ArrearsHaveFallen { amount: Pence, arrears: Pence },
    #[error("the write-off was {} already", .0.as_str())]
    AlreadyDecided(Status),
}

/// The arrears of an account with `balance`: what it owes, or nothing when in credit.
pub fn arrears(balance: Pence) -> Pence {
    balance.max(Pence::ZERO)
}

/// Whether `amount` may be asked to be written off an account owing `balance`.
pub fn check_request(amount: Pence, balance: Pence) -> Result<(), Refusal> {
    if amount > arrears(balance) {
        return Err(Refusal::MoreThanArrears {
            amount,
            arrears: arrears(balance),
        });
    }
    Ok(())
}

/// The status a write-off of `amount` in `current` takes on `decision`, the account owing
/// `balance` now.
pub fn decide(
    current: Status,
    decision: Decision,
    amount: Pence,
    balance: Pence,
) -> Result<Status, Refusal> {
    if current != Status::Pending {
        return Err(Refusal::AlreadyDecided(current));
    }
    match decision {
        Decision::Decline => Ok(Status::Declined),
        Decision::Approve if amount > arrears(balance) => Err(Refusal::ArrearsHaveFallen {
            amount,
            arrears: arrears(balance),
        }),
        Decision::Approve => Ok(Status::Approved),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pence: i64) -> Pence {
        Pence::new(pence)
    }

    #[test]
    fn up_to_the_arrears_may_be_asked_for_and_no_more() {
        assert_eq!(check_request(p(40_000), p(40_000)), Ok(()));
        assert_eq!(check_request(p(1), p(40_000)), Ok(()));
        assert_eq!(
            check_request(p(40_001), p(40_000)),
            Err(Refusal::MoreThanArrears {
                amount: p(40_001),
                arrears: p(40_000)
            })
        );
        // An account in credit has no arrears to write off.
        assert_eq!(
            check_request(p(1), p(-5_000)),
            Err(Refusal::MoreThanArrears {
                amount: p(1),
                arrears: p(0)
            })
        );
    }

    #[test]
    fn a_pending_write_off_is_approved_while_the_arrears_cover_it_and_declined_at_any_time() {
        let pending = Status::Pending;
        assert_eq!(
            decide(pending, Decision::Approve, p(30_000), p(30_000)),
            Ok(Status::Approved)
        );
        assert_eq!(
            decide(pending, Decision::Approve, p(30_000), p(29_999)),
            Err(Refusal::ArrearsHaveFallen {
                amount: p(30_000),
                arrears: p(29_999)
            })
        );
        assert_eq!(
            decide(pending, Decision::Decline, p(30_000), p(-1)),
            Ok(Status::Declined)
        );
    }

    #[test]
    fn a_decision_stands() {
        for decided in [Status::Approved, Status::Declined] {
            for decision in [Decision::Approve, Decision::Decline] {
                assert_eq!(
                    decide(decided, decision, p(1), p(100)),
                    Err(Refusal::AlreadyDecided(decided))
                );
            }
        }
        assert_eq!(
            Refusal::AlreadyDecided(Status::Approved).to_string(),
            "the write-off was approved already"
        );
    }

    #[test]
    fn statuses_read_back_as_stored() {
        for status in [Status::Pending, Status::Approved, Status::Declined] {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("lost"), None);
    }
}
