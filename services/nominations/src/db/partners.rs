use chrono::Utc;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Partner {
    pub id: Uuid,
    pub name: String,
    pub response_days: i32,
    pub nomination_share_percent: i32,
    pub council_stock: bool,
}

const PARTNER_COLUMNS: &str = "id, name, response_days, nomination_share_percent, council_stock";

pub async fn insert(
    conn: &mut PgConnection,
    p: &Partner,
    certificate_sha256: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO partners (id, name, response_days, created_at, certificate_sha256,
                               nomination_share_percent, council_stock)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(p.id)
    .bind(&p.name)
    .bind(p.response_days)
    .bind(Utc::now())
    .bind(certificate_sha256)
    .bind(p.nomination_share_percent)
    .bind(p.council_stock)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Partner>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {PARTNER_COLUMNS} FROM partners WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The partner whose client certificate has this fingerprint.
pub async fn by_certificate(
    conn: &mut PgConnection,
    sha256: &str,
) -> Result<Option<Partner>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {PARTNER_COLUMNS} FROM partners WHERE certificate_sha256 = $1"
    ))
    .bind(sha256)
    .fetch_optional(conn)
    .await
}

pub async fn update(conn: &mut PgConnection, p: &Partner) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE partners SET name = $2, response_days = $3, nomination_share_percent = $4
         WHERE id = $1",
    )
    .bind(p.id)
    .bind(&p.name)
    .bind(p.response_days)
    .bind(p.nomination_share_percent)
    .execute(conn)
    .await?;
    Ok(())
}

/// Up to `limit` partners by name, after the position `after` (name, id).
pub async fn list(
    conn: &mut PgConnection,
    after: Option<(String, Uuid)>,
    limit: i64,
) -> Result<Vec<Partner>, sqlx::Error> {
    let (name, id) = after.unzip();
    sqlx::query_as(&format!(
        "SELECT {PARTNER_COLUMNS} FROM partners
         WHERE ($1::text IS NULL OR (name, id) > ($1, $2::uuid))
         ORDER BY name, id LIMIT $3"
    ))
    .bind(name)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await
}
