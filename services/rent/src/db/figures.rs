use chrono::NaiveDate;
use sqlx::{PgConnection, Row};

/// Rent charged (charges less their reversals) and money collected, dated in the period.
pub async fn charged_and_collected(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT
             coalesce(sum(p.amount_pence) FILTER (WHERE p.ledger_account = 'income:rent'), 0)::bigint AS rent,
             coalesce(sum(p.amount_pence) FILTER (WHERE p.ledger_account LIKE 'cash:%' AND j.kind = 'payment'), 0)::bigint AS cash
         FROM postings p JOIN journal_entries j ON j.id = p.journal_id
         WHERE j.effective_date BETWEEN $1 AND $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await?;
    // Income is a credit (negative); cash received is a debit (positive).
    Ok((-row.try_get::<i64, _>("rent")?, row.try_get("cash")?))
}

/// Accounts and balances at each recovery stage, as of the last review.
pub async fn arrears_by_stage(
    conn: &mut PgConnection,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT stage, count(*) AS accounts, coalesce(sum(balance_pence), 0)::bigint AS balance
         FROM arrears_cases WHERE stage <> 'clear' GROUP BY stage ORDER BY stage",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("stage")?,
                r.try_get("accounts")?,
                r.try_get("balance")?,
            ))
        })
        .collect()
}
