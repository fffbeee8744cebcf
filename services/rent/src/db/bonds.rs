use chrono::{NaiveDate, Utc};
use housing_platform::money::Pence;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

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
    row.map(|r| {
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
    })
    .transpose()
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
