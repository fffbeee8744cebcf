//! Double entry in integer pence: every journal's postings sum to zero.

use housing_platform::money::{Overflow, Pence};

/// Names of ledger accounts. A tenant's rent account is its own ledger account.
pub fn tenant_account(rent_account_id: uuid::Uuid) -> String {
    format!("tenant:{rent_account_id}")
}
pub const RENT_INCOME: &str = "income:rent";
pub const SERVICE_CHARGE_INCOME: &str = "income:service_charges";
/// The council's bank: money received.
pub const CASH: &str = "cash:bank";
/// Housing Benefit and Universal Credit housing costs paid to the council directly, kept
/// apart from what households pay themselves.
pub const BENEFIT_PAID_DIRECT: &str = "cash:benefit_paid_direct";
/// Corrections to what households were charged.
pub const ADJUSTMENTS: &str = "income:adjustments";
/// Debts given up.
pub const WRITE_OFFS: &str = "expense:write_offs";

/// What the council spends on a kind of payable, e.g. `expense:nightly_paid_invoice`.
pub fn expense_account(kind: &str) -> String {
    format!("expense:{kind}")
}

/// What the council owes one payee.
pub fn payable_account(payee: &str) -> String {
    format!("payable:{payee}")
}

/// What a household owes the council for claims paid on its bond.
pub fn bond_debtor(bond_id: uuid::Uuid) -> String {
    format!("bond:{bond_id}")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub account: String,
    /// Debit positive, credit negative.
    pub amount_pence: Pence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    pub memo: String,
    pub postings: Vec<Posting>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("a journal needs at least two postings")]
    TooFewPostings,
    #[error("a posting of zero pence records nothing")]
    ZeroPosting,
    #[error("postings sum to {0}, not zero")]
    Unbalanced(Pence),
    #[error("amount too large")]
    Overflow,
}

impl From<Overflow> for LedgerError {
    fn from(_: Overflow) -> Self {
        LedgerError::Overflow
    }
}

impl Journal {
    pub fn new(memo: impl Into<String>, postings: Vec<Posting>) -> Result<Self, LedgerError> {
        if postings.len() < 2 {
            return Err(LedgerError::TooFewPostings);
        }
        if postings.iter().any(|p| p.amount_pence == Pence::ZERO) {
            return Err(LedgerError::ZeroPosting);
        }
        let sum = Pence::sum(postings.iter().map(|p| p.amount_pence))?;
        if sum != Pence::ZERO {
            return Err(LedgerError::Unbalanced(sum));
        }
        Ok(Self {
            memo: memo.into(),
            postings,
        })
    }

    /// Debit one account, credit another, by `amount` (positive).
    pub fn transfer(
        memo: impl Into<String>,
        debit: &str,
        credit: &str,
        amount: Pence,
    ) -> Result<Self, LedgerError> {
        Self::new(
            memo,
            vec![
                Posting {
                    account: debit.to_owned(),
                    amount_pence: amount,
                },
                Posting {
                    account: credit.to_owned(),
                    amount_pence: amount.checked_neg()?,
                },
            ],
        )
    }

    /// The entry that undoes this one. A stored posting of the most negative 64-bit amount
    /// has no opposite, so even this can fail.
    pub fn reversal(&self) -> Result<Self, LedgerError> {
        Ok(Self {
            memo: format!("reversal: {}", self.memo),
            postings: self
                .postings
                .iter()
                .map(|p| {
                    Ok(Posting {
                        account: p.account.clone(),
                        amount_pence: p.amount_pence.checked_neg()?,
                    })
                })
                .collect::<Result<_, Overflow>>()?,
        })
    }
}

/// Charges a tenant `rent` and `service`: one posting to the tenant, one to each income.
/// Either may be zero, and for a repricing negative; postings that come to zero (rent up
/// and services down by as much) are left out.
pub fn charge(
    memo: impl Into<String>,
    tenant: &str,
    rent: Pence,
    service: Pence,
) -> Result<Journal, LedgerError> {
    let postings = [
        (tenant, rent.checked_add(service)?),
        (RENT_INCOME, rent.checked_neg()?),
        (SERVICE_CHARGE_INCOME, service.checked_neg()?),
    ]
    .into_iter()
    .filter(|&(_, amount)| amount != Pence::ZERO)
    .map(|(account, amount)| Posting {
        account: account.to_owned(),
        amount_pence: amount,
    })
    .collect();
    Journal::new(memo, postings)
}

#[cfg(test)]
// The expected figures are worked out in plain arithmetic, in 128 bits where they must be.
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use proptest::prelude::*;

    fn posting(account: &str, pence: i64) -> Posting {
        Posting {
            account: account.into(),
            amount_pence: Pence::new(pence),
        }
    }

    /// Balances from a set of journals: what the database computes with `sum()`.
    fn balances<'a>(
        journals: impl IntoIterator<Item = &'a Journal>,
    ) -> Result<BTreeMap<String, Pence>, Overflow> {
        let mut balances = BTreeMap::new();
        for posting in journals.into_iter().flat_map(|j| &j.postings) {
            let balance = balances
                .entry(posting.account.clone())
                .or_insert(Pence::ZERO);
            *balance = balance.checked_add(posting.amount_pence)?;
        }
        Ok(balances)
    }

    #[test]
    fn an_unbalanced_journal_is_refused() {
        let postings = vec![posting("a", 100), posting("b", -99)];
        assert_eq!(
            Journal::new("x", postings),
            Err(LedgerError::Unbalanced(Pence::new(1)))
        );
    }

    #[test]
    fn postings_whose_sum_overflows_are_refused_not_wrapped() {
        let postings = vec![posting("a", i64::MAX), posting("b", 1), posting("c", 1)];
        assert_eq!(Journal::new("x", postings), Err(LedgerError::Overflow));
        let min = Journal::transfer("x", "a", "b", Pence::new(i64::MIN));
        assert_eq!(min, Err(LedgerError::Overflow));
        assert_eq!(
            charge("x", "tenant:1", Pence::new(i64::MAX), Pence::new(1)),
            Err(LedgerError::Overflow)
        );
    }

    #[test]
    fn a_stored_posting_with_no_opposite_cannot_be_reversed() {
        // As only a corrupted ledger could hold.
        let stored = Journal {
            memo: "x".into(),
            postings: vec![posting("a", i64::MIN), posting("b", 1)],
        };
        assert_eq!(stored.reversal(), Err(LedgerError::Overflow));
    }

    #[test]
    fn a_repricing_that_moves_rent_and_services_by_as_much_leaves_the_tenant_out() {
        let j = charge("x", "tenant:1", Pence::new(500), Pence::new(-500)).unwrap();
        assert_eq!(
            j.postings,
            vec![
                posting(RENT_INCOME, -500),
                posting(SERVICE_CHARGE_INCOME, 500)
            ]
        );
    }

    proptest! {
        #[test]
        fn any_transfers_and_reversals_keep_the_books_balanced(
            moves in prop::collection::vec((0usize..4, 0usize..4, 1i64..1_000_000, any::<bool>()), 1..50)
        ) {
            let accounts = ["tenant:1", "tenant:2", RENT_INCOME, "cash"];
            let mut journals = Vec::new();
            for (from, to, amount, reverse) in moves {
                if from == to { continue; }
                let j = Journal::transfer("move", accounts[from], accounts[to], Pence::new(amount)).unwrap();
                if reverse { journals.push(j.reversal().unwrap()); }
                journals.push(j);
            }
            for j in &journals {
                prop_assert_eq!(Pence::sum(j.postings.iter().map(|p| p.amount_pence)), Ok(Pence::ZERO));
            }
            prop_assert_eq!(Pence::sum(balances(&journals).unwrap().into_values()), Ok(Pence::ZERO));
        }

        #[test]
        fn any_amounts_post_exactly_or_are_refused(rent in any::<i64>(), service in any::<i64>()) {
            let exact = i128::from(rent) + i128::from(service);
            match charge("x", "tenant:1", Pence::new(rent), Pence::new(service)) {
                Ok(j) => {
                    let tenant = j.postings.iter().find(|p| p.account == "tenant:1");
                    let tenant = tenant.map_or(0, |p| p.amount_pence.get());
                    prop_assert_eq!(i128::from(tenant), exact);
                }
                Err(e) => prop_assert!(
                    i64::try_from(exact).is_err()
                        || rent == i64::MIN
                        || service == i64::MIN
                        || (rent == 0 && service == 0),
                    "{e}"
                ),
            }
        }
    }
}
