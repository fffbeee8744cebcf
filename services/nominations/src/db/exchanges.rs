use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listing {
    pub id: Uuid,
    pub tenant_name: String,
    pub landlord: String,
    pub area: String,
    pub bedrooms: i32,
    pub property_type: String,
    pub wants_areas: Vec<String>,
    pub min_bedrooms: i32,
    pub max_bedrooms: i32,
    pub wants_types: Vec<String>,
    pub status: String,
}

const COLUMNS: &str =
    "id, tenant_name, landlord, area, bedrooms, property_type, wants_areas, min_bedrooms,
                       max_bedrooms, wants_types, status";

pub async fn insert(conn: &mut PgConnection, l: &Listing) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO exchange_listings ({COLUMNS}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())"
    ))
    .bind(l.id)
    .bind(&l.tenant_name)
    .bind(&l.landlord)
    .bind(&l.area)
    .bind(l.bedrooms)
    .bind(&l.property_type)
    .bind(&l.wants_areas)
    .bind(l.min_bedrooms)
    .bind(l.max_bedrooms)
    .bind(&l.wants_types)
    .bind(&l.status)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Listing>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM exchange_listings WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn active(conn: &mut PgConnection) -> Result<Vec<Listing>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM exchange_listings WHERE status = 'active' ORDER BY id"
    ))
    .fetch_all(conn)
    .await
}

pub async fn set_status(
    conn: &mut PgConnection,
    ids: &[Uuid],
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE exchange_listings SET status = $2 WHERE id = ANY ($1)")
        .bind(ids)
        .bind(status)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Exchange {
    pub id: Uuid,
    pub listing_ids: Vec<Uuid>,
    pub status: String,
}

pub async fn propose(
    conn: &mut PgConnection,
    id: Uuid,
    listings: &[Uuid],
    landlords: &[String],
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO exchanges (id, listing_ids, proposed_by, proposed_at) VALUES ($1, $2, $3, now())",
    )
    .bind(id)
    .bind(listings)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO exchange_consents (exchange_id, landlord) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(landlords)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_exchange(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Exchange>, sqlx::Error> {
    sqlx::query_as("SELECT id, listing_ids, status FROM exchanges WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Landlords who have not answered yet.
pub async fn awaiting(conn: &mut PgConnection, id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT landlord FROM exchange_consents WHERE exchange_id = $1 AND decision IS NULL ORDER BY landlord",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Records the landlord's answer; false when the landlord is not one of the exchange's.
pub async fn decide(
    conn: &mut PgConnection,
    id: Uuid,
    landlord: &str,
    consent: bool,
    reason: &str,
    by: &str,
) -> Result<bool, sqlx::Error> {
    let decided = sqlx::query(
        "UPDATE exchange_consents SET decision = $3, reason = $4, decided_by = $5, decided_at = now()
         WHERE exchange_id = $1 AND landlord = $2",
    )
    .bind(id)
    .bind(landlord)
    .bind(if consent { "consented" } else { "refused" })
    .bind(reason)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(decided.rows_affected() == 1)
}

pub async fn set_exchange_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE exchanges SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status)
        .execute(conn)
        .await?;
    Ok(())
}

/// Listings in `status` (any when `None`) and among `ids` (any when empty), the latest
/// first, after the listing `after`.
pub async fn list(
    conn: &mut PgConnection,
    status: Option<&str>,
    ids: &[Uuid],
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Listing>, sqlx::Error> {
    let mut q = sqlx::QueryBuilder::<sqlx::Postgres>::new(format!(
        "SELECT {COLUMNS} FROM exchange_listings WHERE true"
    ));
    if let Some(status) = status {
        q.push(" AND status = ").push_bind(status);
    }
    if !ids.is_empty() {
        q.push(" AND id = ANY (").push_bind(ids).push(")");
    }
    // Ids are made in time order (UUID v7), so the latest listed has the greatest.
    if let Some(after) = after {
        q.push(" AND id < ").push_bind(after);
    }
    q.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
    q.build_query_as().fetch_all(conn).await
}
