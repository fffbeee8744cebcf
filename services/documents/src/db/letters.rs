use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct LetterRecord {
    pub id: Uuid,
    pub kind: String,
    pub subject_id: String,
    pub application_id: Option<Uuid>,
    pub blob_path: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    /// The case whose closure starts the letter's retention clock.
    pub case_kind: String,
    pub case_id: String,
}

/// Inserts the letter for `source_event`; `false` if that event already has one.
pub async fn insert(
    conn: &mut PgConnection,
    l: &LetterRecord,
    source_event: Uuid,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO letters (id, kind, subject_id, application_id, blob_path, content_type, size_bytes, sha256,
                              source_event_id, created_at, case_kind, case_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (source_event_id) DO NOTHING",
    )
    .bind(l.id)
    .bind(&l.kind)
    .bind(&l.subject_id)
    .bind(l.application_id)
    .bind(&l.blob_path)
    .bind(&l.content_type)
    .bind(l.size_bytes)
    .bind(&l.sha256)
    .bind(source_event)
    .bind(l.created_at)
    .bind(&l.case_kind)
    .bind(&l.case_id)
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

const COLUMNS: &str =
    "id, kind, subject_id, application_id, blob_path, content_type, size_bytes, sha256, created_at,
    case_kind, case_id";

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<LetterRecord>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM letters WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| from_row(&r)).transpose()
}

/// A page of an application's letters in the order they were written, after `after`.
pub async fn for_application(
    conn: &mut PgConnection,
    application_id: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<LetterRecord>, sqlx::Error> {
    let (at, id) = (after.map(|a| a.0), after.map(|a| a.1));
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM letters WHERE application_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3))
         ORDER BY created_at, id LIMIT $4"
    ))
    .bind(application_id)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

fn from_row(row: &sqlx::postgres::PgRow) -> Result<LetterRecord, sqlx::Error> {
    Ok(LetterRecord {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        subject_id: row.try_get("subject_id")?,
        application_id: row.try_get("application_id")?,
        blob_path: row.try_get("blob_path")?,
        content_type: row.try_get("content_type")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256: row.try_get("sha256")?,
        created_at: row.try_get("created_at")?,
        case_kind: row.try_get("case_kind")?,
        case_id: row.try_get("case_id")?,
    })
}
