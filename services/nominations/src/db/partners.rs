use chrono::Utc;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Partner {
    pub id: Uuid,
    pub name: String,
    pub response_days: i32,
}

pub async fn insert(conn: &mut PgConnection, p: &Partner) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO partners (id, name, response_days, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(p.id)
    .bind(&p.name)
    .bind(p.response_days)
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Partner>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, response_days FROM partners WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}
