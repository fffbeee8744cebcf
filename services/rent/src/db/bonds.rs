use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::money::Pence;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::domain::bonds::{EventKind, State};

#[derive(Debug, Clone)]
pub struct Bond {
    pub id: Uuid,
    pub application_id: Option<Uuid>,
    pub household_name: String,
    pub landlord: String,
    pub property_address: String,
    pub guaranteed_pence: Pence,
    pub issued_on: NaiveDate,
    pub claimed_pence: Pence,
}

pub async fn insert(
    conn: &mut PgConnection,
    b: &Bond,
    request_id: &str,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO bonds (id, application_id, household_name, landlord, property_address, guaranteed_pence, issued_on,
                            status, request_id, issued_by, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'issued', $8, $9, $10)",
    )
    .bind(b.id)
    .bind(b.application_id)
    .bind(&b.household_name)
    .bind(&b.landlord)
    .bind(&b.property_address)
    .bind(b.guaranteed_pence.get())
    .bind(b.issued_on)
    .bind(request_id)
    .bind(by)
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn by_request(
    conn: &mut PgConnection,
    request_id: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM bonds WHERE request_id = $1")
        .bind(request_id)
        .fetch_optional(conn)
        .await
}

/// The bond, locked for the rest of the transaction.
pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Bond>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT b.id, b.application_id, b.household_name, b.landlord, b.property_address, b.guaranteed_pence, b.issued_on,
                saturating_pence(coalesce((SELECT sum(amount_pence) FROM bond_claims c WHERE c.bond_id = b.id), 0)) AS claimed
         FROM bonds b WHERE b.id = $1 FOR UPDATE OF b",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(bond).transpose()
}

/// A bond from a row with its columns and what has been `claimed` on it.
fn bond(r: &PgRow) -> Result<Bond, sqlx::Error> {
    Ok(Bond {
        id: r.try_get("id")?,
        application_id: r.try_get("application_id")?,
        household_name: r.try_get("household_name")?,
        landlord: r.try_get("landlord")?,
        property_address: r.try_get("property_address")?,
        guaranteed_pence: Pence::new(r.try_get("guaranteed_pence")?),
        issued_on: r.try_get("issued_on")?,
        claimed_pence: Pence::new(r.try_get("claimed")?),
    })
}

pub async fn claim_exists(conn: &mut PgConnection, request_id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM bond_claims WHERE request_id = $1)")
        .bind(request_id)
        .fetch_one(conn)
        .await
}

pub async fn insert_claim(
    conn: &mut PgConnection,
    bond_id: Uuid,
    amount: Pence,
    reason: &str,
    journal_id: i64,
    request_id: &str,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO bond_claims (bond_id, amount_pence, reason, journal_id, request_id, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(bond_id)
    .bind(amount.get())
    .bind(reason)
    .bind(journal_id)
    .bind(request_id)
    .bind(by)
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Which bonds a list takes; each filter left out takes them all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub application_id: Option<Uuid>,
    pub state: Option<State>,
}

/// A bond as a list reads it: with what is owed for it and when it was recorded.
#[derive(Debug, Clone)]
pub struct Listed {
    pub bond: Bond,
    pub debt_pence: Pence,
    pub issued_at: DateTime<Utc>,
}

fn listed(r: &PgRow) -> Result<Listed, sqlx::Error> {
    Ok(Listed {
        bond: bond(r)?,
        debt_pence: Pence::new(r.try_get("debt")?),
        issued_at: r.try_get("issued_at")?,
    })
}

/// Bonds in `filter` after `after` (when issued, id), the most recently issued first. The
/// state is worked out here as [`State::of`] works it out, so that a page is full.
pub async fn list(
    conn: &mut PgConnection,
    filter: &Filter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Listed>, sqlx::Error> {
    let mut q = QueryBuilder::<Postgres>::new(
        "SELECT * FROM (
           SELECT b.id, b.application_id, b.household_name, b.landlord, b.property_address,
                  b.guaranteed_pence, b.issued_on, b.issued_at,
                  saturating_pence(coalesce((SELECT sum(amount_pence) FROM bond_claims c WHERE c.bond_id = b.id), 0)) AS claimed,
                  saturating_pence(coalesce((SELECT sum(amount_pence) FROM postings p WHERE p.ledger_account = 'bond:' || b.id), 0)) AS debt
           FROM bonds b WHERE true",
    );
    if let Some(application_id) = filter.application_id {
        q.push(" AND b.application_id = ").push_bind(application_id);
    }
    if let Some((at, id)) = after {
        q.push(" AND (b.issued_at, b.id) < (")
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(") listed");
    q.push(match filter.state {
        None => "",
        Some(State::Held) => " WHERE claimed <= 0",
        Some(State::BeingRepaid) => " WHERE claimed > 0 AND debt > 0",
        Some(State::Repaid) => " WHERE claimed > 0 AND debt <= 0",
    });
    q.push(" ORDER BY issued_at DESC, id DESC LIMIT ")
        .push_bind(limit);
    let rows = q.build().fetch_all(conn).await?;
    rows.iter().map(listed).collect()
}

/// Something that happened to a bond.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub amount: Pence,
    pub effective_on: NaiveDate,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// The bond's issue, its claims, repayments and reversals of either, in the order they
/// were recorded. A claim's reason and who paid it are the claim's; repayments and
/// reversals are read from the ledger, which is all that records them.
pub async fn history(conn: &mut PgConnection, id: Uuid) -> Result<Vec<Event>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT 'issued' AS kind, guaranteed_pence AS amount, issued_on AS effective_on, '' AS reason,
                issued_by AS recorded_by, issued_at AS recorded_at, 0 AS seq
         FROM bonds WHERE id = $1
         UNION ALL
         SELECT 'claim', c.amount_pence, j.effective_date, c.reason, c.decided_by, c.decided_at, c.id
         FROM bond_claims c JOIN journal_entries j ON j.id = c.journal_id WHERE c.bond_id = $1
         UNION ALL
         SELECT CASE j.kind WHEN 'reversal' THEN 'reversal' ELSE 'repayment' END,
                CASE j.kind WHEN 'reversal' THEN p.amount_pence ELSE -p.amount_pence END,
                j.effective_date, CASE j.kind WHEN 'reversal' THEN j.memo ELSE '' END,
                j.created_by, j.created_at, j.id
         FROM journal_entries j JOIN postings p ON p.journal_id = j.id
         WHERE p.ledger_account = 'bond:' || $1 AND j.kind IN ('bond_repayment', 'reversal')
         ORDER BY recorded_at, seq",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(Event {
                kind: EventKind::parse(&kind).ok_or_else(|| sqlx::Error::ColumnDecode {
                    index: "kind".into(),
                    source: format!("no bond event {kind:?}").into(),
                })?,
                amount: Pence::new(r.try_get("amount")?),
                effective_on: r.try_get("effective_on")?,
                reason: r.try_get("reason")?,
                recorded_by: r.try_get("recorded_by")?,
                recorded_at: r.try_get("recorded_at")?,
            })
        })
        .collect()
}
