//! Each document of evidence about an application, in its latest state.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::scheme::EvidenceKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceState {
    Received,
    Verified,
    Rejected,
}

fn name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A document's new state; a report older than the one already held changes nothing, so
/// events arriving out of order leave the latest.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    conn: &mut PgConnection,
    document_id: Uuid,
    application_id: Uuid,
    kind: EvidenceKind,
    state: EvidenceState,
    reason: Option<&str>,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO application_evidence (document_id, application_id, kind, state, reason, decided_by, decided_at)
         VALUES ($1, $2, $3::text::evidence_kind, $4::text::evidence_state, $5, $6, $7)
         ON CONFLICT (document_id) DO UPDATE
         SET state = excluded.state, reason = excluded.reason, decided_by = excluded.decided_by,
             decided_at = excluded.decided_at
         WHERE application_evidence.decided_at <= excluded.decided_at",
    )
    .bind(document_id)
    .bind(application_id)
    .bind(name(&kind))
    .bind(name(&state))
    .bind(reason)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The kinds the application has at least one verified document of.
pub async fn verified_kinds(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> Result<Vec<EvidenceKind>, sqlx::Error> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT kind::text FROM application_evidence
         WHERE application_id = $1 AND state = 'verified'",
    )
    .bind(application_id)
    .fetch_all(conn)
    .await?;
    Ok(names
        .into_iter()
        .filter_map(|n| serde_json::from_value(serde_json::Value::String(n)).ok())
        .collect())
}
