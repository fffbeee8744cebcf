//! Evidence reaches the register: the documents service reports each document received,
//! verified or rejected. Where the scheme requires verified evidence of a kind before an
//! application goes live, a verification can complete a waiting application (which is then
//! assessed) and a rejection can send a live one back to wait, naming what is missing.

use chrono::{DateTime, Utc};
use housing_platform::errors::AppError;
use sqlx::PgConnection;
use uuid::Uuid;

use super::Actor;
use super::assessing::{self, load};
use crate::db::applications as store;
use crate::db::evidence::{self as evidence_store, EvidenceState};
use crate::domain::assessment::Trigger;
use crate::domain::details::Details;
use crate::domain::lettings_answers::EqualityData;
use crate::domain::scheme::{EvidenceKind, Scheme};

/// Records what the application is missing: its unanswered questions and, where the scheme
/// requires it, each kind of evidence with no verified document.
pub async fn include_missing(
    conn: &mut PgConnection,
    scheme: &Scheme,
    id: Uuid,
    details: &Details,
) -> Result<Vec<String>, AppError> {
    let mut missing = details.missing();
    if !scheme.evidence.required.is_empty() {
        let verified = evidence_store::verified_kinds(conn, id).await?;
        missing.extend(scheme.evidence.missing(&verified));
        store::set_missing(conn, id, &missing).await?;
    }
    Ok(missing)
}

/// What the documents service reported about one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub document_id: Uuid,
    pub application_id: Uuid,
    pub kind: EvidenceKind,
    pub state: EvidenceState,
    pub reason: Option<String>,
    /// The officer who checked it, or who uploaded it.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Applies a report in the consumer's transaction. Evidence about an application the
/// register does not hold, or of a kind the scheme does not require, is kept and changes
/// nothing else.
pub async fn report(conn: &mut PgConnection, scheme: &Scheme, r: &Report) -> Result<(), AppError> {
    evidence_store::record(
        conn,
        r.document_id,
        r.application_id,
        r.kind,
        r.state,
        r.reason.as_deref(),
        &r.by,
        r.at,
    )
    .await?;
    if r.state == EvidenceState::Received || !scheme.evidence.required.contains(&r.kind) {
        return Ok(());
    }
    let Some(record) = store::find(conn, r.application_id, true).await? else {
        return Ok(());
    };
    include_missing(conn, scheme, record.id, &record.details).await?;
    let updated = load(conn, record.id).await?;
    let actor = Actor {
        id: r.by.clone(),
        senior: false,
        equality_data: EqualityData::Withheld,
    };
    let trigger = match r.state {
        EvidenceState::Verified => Trigger::EvidenceVerified,
        _ => Trigger::EvidenceRejected,
    };
    assessing::follow_missing(conn, scheme, &updated, trigger, &actor, r.at).await
}
