use chrono::Utc;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct ChecklistRecord {
    pub id: Uuid,
    pub kind: String,
    pub subject_id: String,
    /// (code, description, done)
    pub items: Vec<(String, String, bool)>,
}

/// Opens the checklist unless one of this kind is already open for the subject.
pub async fn open(
    conn: &mut PgConnection,
    kind: &str,
    subject_id: &str,
    items: &[(&str, &str)],
) -> Result<Option<Uuid>, sqlx::Error> {
    let id = Uuid::now_v7();
    let inserted = sqlx::query(
        "INSERT INTO checklists (id, kind, subject_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, subject_id) DO NOTHING",
    )
    .bind(id)
    .bind(kind)
    .bind(subject_id)
    .bind(Utc::now())
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(None);
    }
    for (code, description) in items {
        sqlx::query(
            "INSERT INTO checklist_items (checklist_id, code, description) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(code)
        .bind(description)
        .execute(&mut *conn)
        .await?;
    }
    Ok(Some(id))
}

pub async fn find(
    conn: &mut PgConnection,
    kind: &str,
    subject_id: &str,
) -> Result<Option<ChecklistRecord>, sqlx::Error> {
    let Some(id) = sqlx::query_scalar::<_, Uuid>(
        "SELECT id FROM checklists WHERE kind = $1 AND subject_id = $2",
    )
    .bind(kind)
    .bind(subject_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let rows = sqlx::query(
        "SELECT code, description, done FROM checklist_items WHERE checklist_id = $1 ORDER BY code",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok((
                r.try_get("code")?,
                r.try_get("description")?,
                r.try_get("done")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(Some(ChecklistRecord {
        id,
        kind: kind.to_owned(),
        subject_id: subject_id.to_owned(),
        items,
    }))
}
