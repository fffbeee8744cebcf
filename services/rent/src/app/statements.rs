//! Statements: an account over any period, with opening and closing balances and every line.

use chrono::NaiveDate;
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::money::Pence;
use uuid::Uuid;

use crate::db::accounts::{self as store, Key};
use crate::db::statements::{self, Line};
use crate::domain::ledger::tenant_account;

/// An account over a period, read back: the balances saturate, as every sum read back does,
/// so that a ledger holding an absurd posting still has a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub account_id: Uuid,
    pub payment_reference: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening_pence: Pence,
    /// Each line with the balance after it.
    pub lines: Vec<(Line, Pence)>,
    pub closing_pence: Pence,
}

pub async fn statement(
    pool: &Pool,
    account_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Statement, AppError> {
    let mut tx = pool.begin().await?;
    let account = store::find(&mut tx, Key::Account(account_id))
        .await?
        .ok_or_else(|| AppError::not_found("rent account", account_id))?;
    let ledger_account = tenant_account(account.id);
    let opening = statements::balance_before(&mut tx, &ledger_account, from).await?;
    let mut balance = opening;
    let lines = statements::lines(&mut tx, &ledger_account, from, to)
        .await?
        .into_iter()
        .map(|line| {
            balance = balance.saturating_add(line.amount_pence);
            (line, balance)
        })
        .collect();
    tx.commit().await?;
    Ok(Statement {
        account_id,
        payment_reference: account.payment_reference,
        from,
        to,
        opening_pence: opening,
        lines,
        closing_pence: balance,
    })
}

/// `1234.56`, `-0.05`; the most negative amount has no opposite, so its digits are read
/// unsigned.
fn pounds(pence: Pence) -> String {
    let sign = if pence < Pence::ZERO { "-" } else { "" };
    let abs = pence.get().unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

impl Statement {
    /// The statement as CSV: a line per posting with the running balance, framed by the
    /// opening and closing balances.
    pub fn to_csv(&self) -> String {
        let mut csv = String::from("date,type,description,debit,credit,balance\n");
        csv.push_str(&format!(
            "{},opening,Balance brought forward,,,{}\n",
            self.from,
            pounds(self.opening_pence)
        ));
        for (line, balance) in &self.lines {
            let (debit, credit) = if line.amount_pence >= Pence::ZERO {
                (pounds(line.amount_pence), String::new())
            } else {
                (
                    String::new(),
                    pounds(line.amount_pence).replacen('-', "", 1),
                )
            };
            let memo = line.memo.replace('"', "\"\"");
            csv.push_str(&format!(
                "{},{},\"{memo}\",{debit},{credit},{}\n",
                line.date,
                line.kind,
                pounds(*balance)
            ));
        }
        csv.push_str(&format!(
            "{},closing,Balance carried forward,,,{}\n",
            self.to,
            pounds(self.closing_pence)
        ));
        csv
    }
}
