use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct DocumentRecord {
    pub id: Uuid,
    pub owner_kind: String,
    pub owner_id: String,
    pub application_id: Option<Uuid>,
    pub evidence_type: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub blob_path: String,
    pub status: String,
    pub rejection_reason: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub expires_on: Option<NaiveDate>,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
    pub case_kind: String,
    pub case_id: String,
}

const COLUMNS: &str =
    "id, owner_kind, owner_id, application_id, evidence_type, filename, content_type,
    size_bytes, sha256, blob_path, status, rejection_reason, reviewed_by, reviewed_at, expires_on,
    uploaded_by, uploaded_at, case_kind, case_id";

pub async fn insert(conn: &mut PgConnection, d: &DocumentRecord) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO documents ({COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
    ))
    .bind(d.id)
    .bind(&d.owner_kind)
    .bind(&d.owner_id)
    .bind(d.application_id)
    .bind(&d.evidence_type)
    .bind(&d.filename)
    .bind(&d.content_type)
    .bind(d.size_bytes)
    .bind(&d.sha256)
    .bind(&d.blob_path)
    .bind(&d.status)
    .bind(&d.rejection_reason)
    .bind(&d.reviewed_by)
    .bind(d.reviewed_at)
    .bind(d.expires_on)
    .bind(&d.uploaded_by)
    .bind(d.uploaded_at)
    .bind(&d.case_kind)
    .bind(&d.case_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<DocumentRecord>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM documents WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| from_row(&r)).transpose()
}

/// The document, locked until the transaction ends, so two reviews cannot both pass.
pub async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<DocumentRecord>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM documents WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| from_row(&r)).transpose()
}

/// Records a review on the document and in the append-only review log.
pub async fn review(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    reason: Option<&str>,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE documents SET status = $2, rejection_reason = $3, reviewed_by = $4, reviewed_at = $5
         WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(reason)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO document_reviews (document_id, status, reason, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(status)
    .bind(reason)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

pub enum Filter {
    Owner { kind: String, id: String },
    Application(Uuid),
}

/// A page of documents in upload order, after `after`.
pub async fn list(
    conn: &mut PgConnection,
    filter: &Filter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<DocumentRecord>, sqlx::Error> {
    let (at, id) = (after.map(|a| a.0), after.map(|a| a.1));
    let (owner_kind, owner_id, application_id) = match filter {
        Filter::Owner { kind, id } => (Some(kind.as_str()), Some(id.as_str()), None),
        Filter::Application(app) => (None, None, Some(*app)),
    };
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM documents
         WHERE ($1::text IS NULL OR (owner_kind = $1 AND owner_id = $2))
           AND ($3::uuid IS NULL OR application_id = $3)
           AND ($4::timestamptz IS NULL OR (uploaded_at, id) > ($4, $5))
         ORDER BY uploaded_at, id LIMIT $6"
    ))
    .bind(owner_kind)
    .bind(owner_id)
    .bind(application_id)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Verified evidence of `evidence_type` about `owner` or about `application_id`: what
/// meets a checklist item.
pub async fn verified(
    conn: &mut PgConnection,
    evidence_type: &str,
    owner: (&str, &str),
    application_id: Option<Uuid>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM documents
         WHERE status = 'verified' AND evidence_type = $1
           AND ((owner_kind = $2 AND owner_id = $3) OR application_id = $4)
         ORDER BY reviewed_at LIMIT 1",
    )
    .bind(evidence_type)
    .bind(owner.0)
    .bind(owner.1)
    .bind(application_id)
    .fetch_optional(conn)
    .await
}

fn from_row(row: &sqlx::postgres::PgRow) -> Result<DocumentRecord, sqlx::Error> {
    Ok(DocumentRecord {
        id: row.try_get("id")?,
        owner_kind: row.try_get("owner_kind")?,
        owner_id: row.try_get("owner_id")?,
        application_id: row.try_get("application_id")?,
        evidence_type: row.try_get("evidence_type")?,
        filename: row.try_get("filename")?,
        content_type: row.try_get("content_type")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256: row.try_get("sha256")?,
        blob_path: row.try_get("blob_path")?,
        status: row.try_get("status")?,
        rejection_reason: row.try_get("rejection_reason")?,
        reviewed_by: row.try_get("reviewed_by")?,
        reviewed_at: row.try_get("reviewed_at")?,
        expires_on: row.try_get("expires_on")?,
        uploaded_by: row.try_get("uploaded_by")?,
        uploaded_at: row.try_get("uploaded_at")?,
        case_kind: row.try_get("case_kind")?,
        case_id: row.try_get("case_id")?,
    })
}
