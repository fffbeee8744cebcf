use chrono::NaiveDate;
use housing_platform::money::Pence;
use sqlx::{PgConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub date: NaiveDate,
    pub kind: String,
    pub memo: String,
    /// Debit positive (a charge), credit negative (a payment).
    pub amount_pence: Pence,
}

/// The ledger account's balance from postings dated before `before`, saturated.
pub async fn balance_before(
    conn: &mut PgConnection,
    ledger_account: &str,
    before: NaiveDate,
) -> Result<Pence, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT saturating_pence(coalesce(sum(p.amount_pence), 0)) FROM postings p JOIN journal_entries j ON j.id = p.journal_id
         WHERE p.ledger_account = $1 AND j.effective_date < $2",
    )
    .bind(ledger_account)
    .bind(before)
    .fetch_one(conn)
    .await
    .map(Pence::new)
}

/// Every posting to the account dated from `from` to `to` inclusive, in date order.
pub async fn lines(
    conn: &mut PgConnection,
    ledger_account: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Line>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT j.effective_date, j.kind, j.memo, p.amount_pence FROM postings p JOIN journal_entries j ON j.id = p.journal_id
         WHERE p.ledger_account = $1 AND j.effective_date BETWEEN $2 AND $3
         ORDER BY j.effective_date, j.id",
    )
    .bind(ledger_account)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Line {
                date: r.try_get("effective_date")?,
                kind: r.try_get("kind")?,
                memo: r.try_get("memo")?,
                amount_pence: Pence::new(r.try_get("amount_pence")?),
            })
        })
        .collect()
}
