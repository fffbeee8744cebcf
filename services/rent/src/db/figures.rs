use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::money::Pence;
use sqlx::{PgConnection, Row};

/// Rent charged (charges less their reversals) and money collected, dated in the period;
/// saturated, as every sum read back is.
pub async fn charged_and_collected(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Pence, Pence), sqlx::Error> {
    // Income is a credit (negative); cash received is a debit (positive).
    let row = sqlx::query(
        "SELECT
             saturating_pence(-coalesce(sum(p.amount_pence) FILTER (WHERE p.ledger_account = 'income:rent'), 0)) AS rent,
             saturating_pence(coalesce(sum(p.amount_pence) FILTER (WHERE p.ledger_account LIKE 'cash:%' AND j.kind = 'payment'), 0)) AS cash
         FROM postings p JOIN journal_entries j ON j.id = p.journal_id
         WHERE j.effective_date BETWEEN $1 AND $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await?;
    Ok((
        Pence::new(row.try_get("rent")?),
        Pence::new(row.try_get("cash")?),
    ))
}

/// Accounts and balances at each recovery stage, as of the last review.
pub async fn arrears_by_stage(
    conn: &mut PgConnection,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT stage, count(*) AS accounts, saturating_pence(coalesce(sum(balance_pence), 0)) AS balance
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

/// Accounts at each recovery stage at `at` (the stage of the last move before it), and
/// their ledger balances on `on`, the period's last day; saturated, as every sum read back
/// is.
pub async fn arrears_at(
    conn: &mut PgConnection,
    at: DateTime<Utc>,
    on: NaiveDate,
) -> Result<Vec<(String, i64, Pence)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.stage, count(*) AS accounts, saturating_pence(coalesce(sum(b.balance), 0)) AS balance
         FROM (SELECT DISTINCT ON (account_id) account_id, to_stage AS stage
               FROM arrears_stage_changes WHERE decided_at < $1
               ORDER BY account_id, decided_at DESC, id DESC) c
         LEFT JOIN LATERAL (
             SELECT sum(p.amount_pence) AS balance
             FROM postings p JOIN journal_entries j ON j.id = p.journal_id
             WHERE p.ledger_account = 'tenant:' || c.account_id AND j.effective_date <= $2) b ON true
         WHERE c.stage <> 'clear'
         GROUP BY c.stage",
    )
    .bind(at)
    .bind(on)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("stage")?,
                r.try_get("accounts")?,
                Pence::new(r.try_get("balance")?),
            ))
        })
        .collect()
}
