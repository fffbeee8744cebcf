use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::domain::decant::Tenure;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DisturbanceItem {
    pub description: String,
    pub amount_pence: i64,
}

#[derive(Debug, Clone)]
pub struct Decant {
    pub id: Uuid,
    pub scheme: String,
    pub application_id: Uuid,
    pub payee_name: String,
    pub address: String,
    pub tenure: Tenure,
    pub occupied_since: NaiveDate,
    pub market_value_pence: i64,
    pub right_to_return: bool,
    /// awaiting_move, moved or payments_approved
    pub status: String,
    pub moved_on: Option<NaiveDate>,
    pub home_loss_pence: Option<i64>,
    pub home_loss_reason: Option<String>,
    pub rules_version: Option<String>,
    pub disturbance: Vec<DisturbanceItem>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_by: String,
}

impl Decant {
    pub fn disturbance_pence(&self) -> i64 {
        self.disturbance.iter().map(|i| i.amount_pence).sum()
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    d: &Decant,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO decants (id, scheme, application_id, payee_name, address, tenure, occupied_since,
                              market_value_pence, right_to_return, status, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'awaiting_move', $10, $11)",
    )
    .bind(d.id)
    .bind(&d.scheme)
    .bind(d.application_id)
    .bind(&d.payee_name)
    .bind(&d.address)
    .bind(tenure_name(d.tenure))
    .bind(d.occupied_since)
    .bind(d.market_value_pence)
    .bind(d.right_to_return)
    .bind(&d.created_by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Decant>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM decants WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| from_row(&r)).transpose()
}

/// The household's decant still waiting for its move, if any.
pub async fn awaiting_move(
    conn: &mut PgConnection,
    application: Uuid,
) -> Result<Option<Decant>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT * FROM decants WHERE application_id = $1 AND status = 'awaiting_move' FOR UPDATE",
    )
    .bind(application)
    .fetch_optional(conn)
    .await?;
    row.map(|r| from_row(&r)).transpose()
}

pub async fn set_moved(
    conn: &mut PgConnection,
    id: Uuid,
    on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE decants SET status = 'moved', moved_on = $2 WHERE id = $1")
        .bind(id)
        .bind(on)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn approve(conn: &mut PgConnection, d: &Decant) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE decants SET status = 'payments_approved', home_loss_pence = $2, home_loss_reason = $3,
                            rules_version = $4, disturbance = $5, approved_by = $6, approved_at = $7
         WHERE id = $1",
    )
    .bind(d.id)
    .bind(d.home_loss_pence)
    .bind(&d.home_loss_reason)
    .bind(&d.rules_version)
    .bind(Json(&d.disturbance))
    .bind(&d.approved_by)
    .bind(d.approved_at)
    .execute(conn)
    .await?;
    Ok(())
}

fn tenure_name(t: Tenure) -> &'static str {
    match t {
        Tenure::Tenant => "tenant",
        Tenure::OwnerOccupier => "owner_occupier",
    }
}

fn from_row(r: &sqlx::postgres::PgRow) -> Result<Decant, sqlx::Error> {
    let tenure = match r.try_get::<String, _>("tenure")?.as_str() {
        "tenant" => Tenure::Tenant,
        "owner_occupier" => Tenure::OwnerOccupier,
        other => {
            return Err(sqlx::Error::Decode(
                format!("unknown tenure {other:?}").into(),
            ));
        }
    };
    Ok(Decant {
        id: r.try_get("id")?,
        scheme: r.try_get("scheme")?,
        application_id: r.try_get("application_id")?,
        payee_name: r.try_get("payee_name")?,
        address: r.try_get("address")?,
        tenure,
        occupied_since: r.try_get("occupied_since")?,
        market_value_pence: r.try_get("market_value_pence")?,
        right_to_return: r.try_get("right_to_return")?,
        status: r.try_get("status")?,
        moved_on: r.try_get("moved_on")?,
        home_loss_pence: r.try_get("home_loss_pence")?,
        home_loss_reason: r.try_get("home_loss_reason")?,
        rules_version: r.try_get("rules_version")?,
        disturbance: r.try_get::<Json<Vec<DisturbanceItem>>, _>("disturbance")?.0,
        approved_by: r.try_get("approved_by")?,
        approved_at: r.try_get("approved_at")?,
        created_by: r.try_get("created_by")?,
    })
}

/// Decants in `status` (any when `None`), the first recorded first, after `after`
/// (created_at, id).
pub async fn list(
    conn: &mut PgConnection,
    status: Option<&str>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<(DateTime<Utc>, Decant)>, sqlx::Error> {
    // Only the conditions asked for are written, so that each statement keeps to its index.
    let mut q = sqlx::QueryBuilder::<sqlx::Postgres>::new("SELECT * FROM decants WHERE true");
    if let Some(status) = status {
        q.push(" AND status = ").push_bind(status);
    }
    if let Some((at, id)) = after {
        q.push(" AND (created_at, id) > (")
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" ORDER BY created_at, id LIMIT ").push_bind(limit);
    let rows = q.build().fetch_all(conn).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("created_at")?, from_row(r)?)))
        .collect()
}
