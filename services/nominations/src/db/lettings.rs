use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use crate::domain::core_log::letting::Details;
use crate::domain::nomination::ReferralSource;

/// The CORE-shaped letting record.
#[derive(Debug, Clone)]
pub struct Letting {
    pub id: Uuid,
    pub nomination_id: Uuid,
    pub vacancy_id: Uuid,
    pub partner_id: Uuid,
    pub application_id: Uuid,
    pub tenancy_start_date: NaiveDate,
    pub weekly_rent_pence: i64,
    pub bedrooms: i32,
    pub void_start: NaiveDate,
    pub referral_source: ReferralSource,
    pub choice_based: bool,
    pub completed_at: DateTime<Utc>,
    /// What CORE's log asks of the landlord, when the landlord gave it.
    pub core_details: Option<Json<Details>>,
}

pub async fn insert(conn: &mut PgConnection, l: &Letting) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO lettings (id, nomination_id, vacancy_id, partner_id, application_id, tenancy_start_date,
                               weekly_rent_pence, bedrooms, void_start, referral_source, choice_based, completed_at,
                               core_details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(l.id)
    .bind(l.nomination_id)
    .bind(l.vacancy_id)
    .bind(l.partner_id)
    .bind(l.application_id)
    .bind(l.tenancy_start_date)
    .bind(l.weekly_rent_pence)
    .bind(l.bedrooms)
    .bind(l.void_start)
    .bind(l.referral_source.as_str())
    .bind(l.choice_based)
    .bind(l.completed_at)
    .bind(&l.core_details)
    .execute(conn)
    .await?;
    Ok(())
}

/// An application's move through a nomination, as the register knew it when nominated.
#[derive(Debug, sqlx::FromRow)]
pub struct Move {
    /// Bedrooms of the home it left.
    pub left: Option<i32>,
    /// Bedrooms of the home it moved to.
    pub moved_to: i32,
    /// It left a council or housing association tenancy.
    pub social_tenant: Option<bool>,
}

/// The application's latest move through a nomination.
pub async fn latest_move(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> Result<Option<Move>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.current_bedrooms AS left, l.bedrooms AS moved_to, n.social_tenant
         FROM lettings l JOIN nominations n ON n.id = l.nomination_id
         WHERE l.application_id = $1 ORDER BY l.completed_at DESC LIMIT 1",
    )
    .bind(application_id)
    .fetch_optional(conn)
    .await
}

pub async fn for_nomination(
    conn: &mut PgConnection,
    nomination_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM lettings WHERE nomination_id = $1")
        .bind(nomination_id)
        .fetch_optional(conn)
        .await
}

/// The nomination and application a letting came from.
pub async fn parties(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(Uuid, Uuid)>, sqlx::Error> {
    sqlx::query_as("SELECT nomination_id, application_id FROM lettings WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn set_core_details(
    conn: &mut PgConnection,
    id: Uuid,
    details: &Details,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE lettings SET core_details = $2 WHERE id = $1")
        .bind(id)
        .bind(Json(details))
        .execute(conn)
        .await?;
    Ok(())
}
