use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::domain::changes::Change;

#[derive(Debug, Clone)]
pub struct ChangeRecord {
    pub changes: Vec<Change>,
    pub note: String,
    pub changed_by: String,
    pub changed_at: DateTime<Utc>,
}

pub async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    record: &ChangeRecord,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO circumstance_changes (application_id, changes, note, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(Json(&record.changes))
    .bind(&record.note)
    .bind(&record.changed_by)
    .bind(record.changed_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The application's changes of circumstances, newest first.
pub async fn list(conn: &mut PgConnection, id: Uuid) -> Result<Vec<ChangeRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT changes, note, changed_by, changed_at FROM circumstance_changes
         WHERE application_id = $1 ORDER BY id DESC",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ChangeRecord {
                changes: row.try_get::<Json<Vec<Change>>, _>("changes")?.0,
                note: row.try_get("note")?,
                changed_by: row.try_get("changed_by")?,
                changed_at: row.try_get("changed_at")?,
            })
        })
        .collect()
}
