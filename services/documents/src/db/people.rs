//! The service's own copy of who an application is about, fed by events, to address
//! letters; destroyed with the application's records.

use chrono::Utc;
use sqlx::PgConnection;
use uuid::Uuid;

/// Records the lead applicant's name and the reference; blanks leave what is known.
pub async fn remember(
    conn: &mut PgConnection,
    application_id: Uuid,
    lead_name: &str,
    reference: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO people (application_id, lead_name, reference, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (application_id) DO UPDATE SET
             lead_name = COALESCE(NULLIF(EXCLUDED.lead_name, ''), people.lead_name),
             reference = COALESCE(NULLIF(EXCLUDED.reference, ''), people.reference),
             updated_at = EXCLUDED.updated_at",
    )
    .bind(application_id)
    .bind(lead_name)
    .bind(reference)
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Where letters now reach the household of `application_id`, a line each; empty for care
/// of the council.
pub async fn move_to(
    conn: &mut PgConnection,
    application_id: Uuid,
    address: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO people (application_id, lead_name, address, updated_at) VALUES ($1, '', $2, $3)
         ON CONFLICT (application_id) DO UPDATE SET address = EXCLUDED.address, updated_at = EXCLUDED.updated_at",
    )
    .bind(application_id)
    .bind(address)
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// What is known of a household to write to.
#[derive(Debug, Default, sqlx::FromRow)]
pub struct Known {
    pub lead_name: String,
    pub reference: String,
    /// `None` until an event has said where letters reach it.
    pub address: Option<Vec<String>>,
}

pub async fn find(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> Result<Option<Known>, sqlx::Error> {
    sqlx::query_as("SELECT lead_name, reference, address FROM people WHERE application_id = $1")
        .bind(application_id)
        .fetch_optional(conn)
        .await
}

pub async fn forget(conn: &mut PgConnection, application_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM people WHERE application_id = $1")
        .bind(application_id)
        .execute(conn)
        .await?;
    Ok(())
}
