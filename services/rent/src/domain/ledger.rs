//! Double entry in integer pence: every journal's postings sum to zero.

use std::collections::BTreeMap;

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
    pub amount_pence: i64,
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
    #[error("postings sum to {0} pence, not zero")]
    Unbalanced(i64),
    #[error("amount too large")]
    Overflow,
}

impl Journal {
    pub fn new(memo: impl Into<String>, postings: Vec<Posting>) -> Result<Self, LedgerError> {
        if postings.len() < 2 {
            return Err(LedgerError::TooFewPostings);
        }
        if postings.iter().any(|p| p.amount_pence == 0) {
            return Err(LedgerError::ZeroPosting);
        }
        let sum = postings
            .iter()
            .try_fold(0i64, |acc, p| acc.checked_add(p.amount_pence))
            .ok_or(LedgerError::Overflow)?;
        if sum != 0 {
            return Err(LedgerError::Unbalanced(sum));
        }
        Ok(Self {
            memo: memo.into(),
            postings,
        })
    }

    /// Debit one account, credit another, by `amount_pence` (positive).
    pub fn transfer(
        memo: impl Into<String>,
        debit: &str,
        credit: &str,
        amount_pence: i64,
    ) -> Result<Self, LedgerError> {
        let negated = amount_pence.checked_neg().ok_or(LedgerError::Overflow)?;
        Self::new(
            memo,
            vec![
                Posting {
                    account: debit.to_owned(),
                    amount_pence,
                },
                Posting {
                    account: credit.to_owned(),
                    amount_pence: negated,
                },
            ],
        )
    }

    /// The entry that undoes this one.
    pub fn reversal(&self) -> Self {
        Self {
            memo: format!("reversal: {}", self.memo),
            postings: self
                .postings
                .iter()
                .map(|p| Posting {
                    account: p.account.clone(),
                    amount_pence: -p.amount_pence,
                })
                .collect(),
        }
    }
}

/// Charges a tenant `rent` and `service` pence (either may be zero, not both): one debit to
/// the tenant, a credit to each income.
pub fn charge(
    memo: impl Into<String>,
    tenant: &str,
    rent_pence: i64,
    service_pence: i64,
) -> Result<Journal, LedgerError> {
    let total = rent_pence
        .checked_add(service_pence)
        .ok_or(LedgerError::Overflow)?;
    let mut postings = vec![Posting {
        account: tenant.to_owned(),
        amount_pence: total,
    }];
    for (account, amount) in [
        (RENT_INCOME, rent_pence),
        (SERVICE_CHARGE_INCOME, service_pence),
    ] {
        if amount != 0 {
            postings.push(Posting {
                account: account.to_owned(),
                amount_pence: -amount,
            });
        }
    }
    Journal::new(memo, postings)
}

/// Balances from a set of journals: what the database computes with `sum()`.
pub fn balances<'a>(journals: impl IntoIterator<Item = &'a Journal>) -> BTreeMap<String, i64> {
    let mut balances = BTreeMap::new();
    for posting in journals.into_iter().flat_map(|j| &j.postings) {
        *balances.entry(posting.account.clone()).or_insert(0) += posting.amount_pence;
    }
    balances
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_unbalanced_journal_is_refused() {
        let postings = vec![
            Posting {
                account: "a".into(),
                amount_pence: 100,
            },
            Posting {
                account: "b".into(),
                amount_pence: -99,
            },
        ];
        assert_eq!(Journal::new("x", postings), Err(LedgerError::Unbalanced(1)));
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
                let j = Journal::transfer("move", accounts[from], accounts[to], amount).unwrap();
                if reverse { journals.push(j.reversal()); }
                journals.push(j);
            }
            for j in &journals {
                prop_assert_eq!(j.postings.iter().map(|p| p.amount_pence).sum::<i64>(), 0);
            }
            prop_assert_eq!(balances(&journals).values().sum::<i64>(), 0);
        }
    }
}
