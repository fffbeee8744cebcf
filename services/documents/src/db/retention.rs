//! Closed cases, legal holds and the destruction of records.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// Records that a case ended; the first closure stands (a later event changes nothing).
pub async fn close_case(
    conn: &mut PgConnection,
    case_kind: &str,
    case_id: &str,
    closure: &str,
    closed_on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO closed_cases (case_kind, case_id, closure, closed_on) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(case_kind)
    .bind(case_id)
    .bind(closure)
    .bind(closed_on)
    .execute(conn)
    .await?;
    Ok(())
}

/// Serialises holds and destruction for one application, so a hold placed while a record
/// is being destroyed either stops it or comes after it.
pub async fn lock_application(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('documents-hold/' || $1::text, 0))")
        .bind(application_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn place_hold(
    conn: &mut PgConnection,
    application_id: Uuid,
    reason: &str,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO legal_holds (application_id, reason, placed_by, placed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (application_id) DO UPDATE SET reason = EXCLUDED.reason,
             placed_by = EXCLUDED.placed_by, placed_at = EXCLUDED.placed_at",
    )
    .bind(application_id)
    .bind(reason)
    .bind(by)
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// `false` if there was no hold.
pub async fn release_hold(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let deleted = sqlx::query("DELETE FROM legal_holds WHERE application_id = $1")
        .bind(application_id)
        .execute(conn)
        .await?;
    Ok(deleted.rows_affected() == 1)
}

/// (reason, placed by, placed at) of the hold on the application, if any.
pub async fn hold(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> Result<Option<(String, String, DateTime<Utc>)>, sqlx::Error> {
    sqlx::query_as("SELECT reason, placed_by, placed_at FROM legal_holds WHERE application_id = $1")
        .bind(application_id)
        .fetch_optional(conn)
        .await
}

/// A record whose retention clock may have run out.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: Uuid,
    /// Evidence type or letter kind.
    pub what: String,
    pub case_kind: String,
    pub application_id: Option<Uuid>,
    pub expires_on: Option<NaiveDate>,
    pub closure: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

/// Documents of closed cases and certificates.
pub async fn document_candidates(conn: &mut PgConnection) -> Result<Vec<Candidate>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT d.id, d.evidence_type AS what, d.case_kind, d.application_id, d.expires_on, c.closure, c.closed_on
         FROM documents d LEFT JOIN closed_cases c ON c.case_kind = d.case_kind AND c.case_id = d.case_id
         WHERE c.case_id IS NOT NULL OR d.expires_on IS NOT NULL",
    )
    .fetch_all(conn)
    .await?;
    rows.iter().map(candidate).collect()
}

/// Letters of closed cases.
pub async fn letter_candidates(conn: &mut PgConnection) -> Result<Vec<Candidate>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.id, l.kind AS what, l.case_kind, l.application_id, NULL::date AS expires_on, c.closure, c.closed_on
         FROM letters l JOIN closed_cases c ON c.case_kind = l.case_kind AND c.case_id = l.case_id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter().map(candidate).collect()
}

fn candidate(r: &sqlx::postgres::PgRow) -> Result<Candidate, sqlx::Error> {
    Ok(Candidate {
        id: r.try_get("id")?,
        what: r.try_get("what")?,
        case_kind: r.try_get("case_kind")?,
        application_id: r.try_get("application_id")?,
        expires_on: r.try_get("expires_on")?,
        closure: r.try_get("closure")?,
        closed_on: r.try_get("closed_on")?,
    })
}

/// Deletes the record's row and returns where its bytes are; `None` if it is gone already.
pub async fn delete_record(
    conn: &mut PgConnection,
    table: Table,
    id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    let sql = match table {
        Table::Documents => {
            // The review log goes with the document: a rejection reason can name people.
            sqlx::query("DELETE FROM document_reviews WHERE document_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            "DELETE FROM documents WHERE id = $1 RETURNING blob_path"
        }
        Table::Letters => "DELETE FROM letters WHERE id = $1 RETURNING blob_path",
    };
    sqlx::query_scalar(sql).bind(id).fetch_optional(conn).await
}

#[derive(Debug, Clone, Copy)]
pub enum Table {
    Documents,
    Letters,
}

pub async fn log_destruction(
    conn: &mut PgConnection,
    id: Uuid,
    record_type: &str,
    class: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO destructions (record_id, record_type, retention_class, destroyed_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(record_type)
    .bind(class)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Closed applications with nothing left about them and not held, with how and when they
/// closed: their name can go once the application's own period has run.
pub async fn forgettable_people(
    conn: &mut PgConnection,
) -> Result<Vec<(Uuid, String, NaiveDate)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.application_id, c.closure, c.closed_on FROM people p
         JOIN closed_cases c ON c.case_kind = 'application' AND c.case_id = p.application_id::text
         WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.application_id = p.application_id)
           AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.application_id = p.application_id)
           AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.application_id = p.application_id)",
    )
    .fetch_all(conn)
    .await
}
