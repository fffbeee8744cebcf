use chrono::{NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Vacancy {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub address: String,
    pub area: String,
    pub bedrooms: i32,
    pub property_type: String,
    pub step_free: bool,
    pub wheelchair_accessible: bool,
    pub weekly_rent_pence: i64,
    pub available_from: NaiveDate,
    pub void_start: NaiveDate,
    pub status: String,
}

pub async fn insert(conn: &mut PgConnection, v: &Vacancy) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO vacancies (id, partner_id, address, area, bedrooms, property_type, step_free, wheelchair_accessible,
                                weekly_rent_pence, available_from, void_start, status, reported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(v.id)
    .bind(v.partner_id)
    .bind(&v.address)
    .bind(&v.area)
    .bind(v.bedrooms)
    .bind(&v.property_type)
    .bind(v.step_free)
    .bind(v.wheelchair_accessible)
    .bind(v.weekly_rent_pence)
    .bind(v.available_from)
    .bind(v.void_start)
    .bind(&v.status)
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Vacancy>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, partner_id, address, area, bedrooms, property_type, step_free, wheelchair_accessible,
                weekly_rent_pence, available_from, void_start, status
         FROM vacancies WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE vacancies SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status)
        .execute(conn)
        .await?;
    Ok(())
}
