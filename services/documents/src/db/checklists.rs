use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct ItemRecord {
    pub code: String,
    pub description: String,
    pub done: bool,
    pub document_id: Option<Uuid>,
}

#[derive(Debug, Clone)]
pub struct ChecklistRecord {
    pub id: Uuid,
    pub kind: String,
    pub subject_id: String,
    pub application_id: Option<Uuid>,
    pub completed_at: Option<DateTime<Utc>>,
    pub items: Vec<ItemRecord>,
}

/// Opens the checklist unless one of this kind is already open for the subject.
pub async fn open(
    conn: &mut PgConnection,
    kind: &str,
    subject_id: &str,
    application_id: Option<Uuid>,
    items: &[(&str, &str)],
) -> Result<Option<Uuid>, sqlx::Error> {
    let id = Uuid::now_v7();
    let inserted = sqlx::query(
        "INSERT INTO checklists (id, kind, subject_id, application_id, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (kind, subject_id) DO NOTHING",
    )
    .bind(id)
    .bind(kind)
    .bind(subject_id)
    .bind(application_id)
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

/// Marks the item met by `document_id`; `false` if it already was.
pub async fn tick(
    conn: &mut PgConnection,
    checklist_id: Uuid,
    code: &str,
    document_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE checklist_items SET done = true, document_id = $3
         WHERE checklist_id = $1 AND code = $2 AND NOT done",
    )
    .bind(checklist_id)
    .bind(code)
    .bind(document_id)
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Marks the checklist complete; `false` if it already was.
pub async fn complete(
    conn: &mut PgConnection,
    checklist_id: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE checklists SET completed_at = $2 WHERE id = $1 AND completed_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM checklist_items WHERE checklist_id = $1 AND NOT done)",
    )
    .bind(checklist_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Incomplete checklists that evidence about `owner` or `application_id` may count for,
/// locked for the rest of the transaction.
pub async fn incomplete_for(
    conn: &mut PgConnection,
    owner: (&str, &str),
    application_id: Option<Uuid>,
) -> Result<Vec<(Uuid, String, String, Option<Uuid>)>, sqlx::Error> {
    // A placement's checklist is its subject; an application's evidence counts for every
    // checklist of that application.
    let rows = sqlx::query(
        "SELECT id, kind, subject_id, application_id FROM checklists
         WHERE completed_at IS NULL
           AND ((kind = 'ta_sign_up' AND $1 = 'placement' AND subject_id = $2)
                OR (kind = 'register_application' AND $1 = 'application' AND subject_id = $2)
                OR application_id = $3)
         ORDER BY id FOR UPDATE",
    )
    .bind(owner.0)
    .bind(owner.1)
    .bind(application_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("kind")?,
                r.try_get("subject_id")?,
                r.try_get("application_id")?,
            ))
        })
        .collect()
}

pub async fn find(
    conn: &mut PgConnection,
    kind: &str,
    subject_id: &str,
) -> Result<Option<ChecklistRecord>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT id, application_id, completed_at FROM checklists WHERE kind = $1 AND subject_id = $2",
    )
    .bind(kind)
    .bind(subject_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let id: Uuid = row.try_get("id")?;
    let items = items(conn, id).await?;
    Ok(Some(ChecklistRecord {
        id,
        kind: kind.to_owned(),
        subject_id: subject_id.to_owned(),
        application_id: row.try_get("application_id")?,
        completed_at: row.try_get("completed_at")?,
        items,
    }))
}

/// Every checklist about an application (for a subject access bundle).
pub async fn for_application(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> Result<Vec<ChecklistRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, kind, subject_id, completed_at FROM checklists WHERE application_id = $1 ORDER BY id",
    )
    .bind(application_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: Uuid = r.try_get("id")?;
        out.push(ChecklistRecord {
            id,
            kind: r.try_get("kind")?,
            subject_id: r.try_get("subject_id")?,
            application_id: Some(application_id),
            completed_at: r.try_get("completed_at")?,
            items: items(conn, id).await?,
        });
    }
    Ok(out)
}

async fn items(conn: &mut PgConnection, id: Uuid) -> Result<Vec<ItemRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT code, description, done, document_id FROM checklist_items WHERE checklist_id = $1 ORDER BY code",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ItemRecord {
                code: r.try_get("code")?,
                description: r.try_get("description")?,
                done: r.try_get("done")?,
                document_id: r.try_get("document_id")?,
            })
        })
        .collect()
}
