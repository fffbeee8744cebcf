//! Concerns and complaints about units, and what was done about each.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::stock::{enum_name, parse_enum};
use crate::domain::concern::{ConcernSource, ConcernStatus};

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub status: ConcernStatus,
    pub note: String,
    pub taken_by: String,
    pub taken_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Concern {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub source: ConcernSource,
    pub description: String,
    pub status: ConcernStatus,
    /// Logging it is the first action.
    pub actions: Vec<Action>,
}

pub async fn insert(
    conn: &mut PgConnection,
    c: &Concern,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO concerns (id, unit_id, source, description, status, logged_by, logged_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(c.id)
    .bind(c.unit_id)
    .bind(enum_name(&c.source))
    .bind(&c.description)
    .bind(enum_name(&c.status))
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    for a in &c.actions {
        record(conn, c.id, a).await?;
    }
    Ok(())
}

pub async fn record(conn: &mut PgConnection, id: Uuid, a: &Action) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE concerns SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(enum_name(&a.status))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO concern_actions (concern_id, action, note, taken_by, taken_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(enum_name(&a.status))
    .bind(&a.note)
    .bind(&a.taken_by)
    .bind(a.taken_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Concerns with their actions: one (`id`) or a unit's (`unit_id`), oldest first.
pub async fn list(
    conn: &mut PgConnection,
    id: Option<Uuid>,
    unit_id: Option<Uuid>,
) -> Result<Vec<Concern>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.id, c.unit_id, c.source, c.description, c.status,
                jsonb_agg(jsonb_build_object('status', a.action, 'note', a.note, 'taken_by', a.taken_by,
                                             'taken_at', a.taken_at) ORDER BY a.id) AS actions
         FROM concerns c JOIN concern_actions a ON a.concern_id = c.id
         WHERE ($1::uuid IS NULL OR c.id = $1) AND ($2::uuid IS NULL OR c.unit_id = $2)
         GROUP BY c.id ORDER BY c.logged_at, c.id",
    )
    .bind(id)
    .bind(unit_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let actions: Vec<serde_json::Value> =
                r.try_get::<sqlx::types::Json<_>, _>("actions")?.0;
            Ok(Concern {
                id: r.try_get("id")?,
                unit_id: r.try_get("unit_id")?,
                source: parse_enum(r.try_get("source")?)?,
                description: r.try_get("description")?,
                status: parse_enum(r.try_get("status")?)?,
                actions: actions
                    .into_iter()
                    .map(|a| {
                        let text = |k: &str| a[k].as_str().unwrap_or_default().to_owned();
                        Ok(Action {
                            status: parse_enum(text("status"))?,
                            note: text("note"),
                            taken_by: text("taken_by"),
                            taken_at: text("taken_at")
                                .parse()
                                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                        })
                    })
                    .collect::<Result<_, sqlx::Error>>()?,
            })
        })
        .collect()
}
