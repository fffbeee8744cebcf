//! Evidence verified or rejected by the documents service changes what an application is
//! missing, and so whether it can go live.

use std::sync::Arc;

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_proto::documents::v1::{self as documents, EvidenceType};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::app::evidence::{self, Report};
use crate::db::evidence::EvidenceState;
use crate::domain::scheme::{EvidenceKind, Scheme};

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "register-evidence",
        "documents",
        "housing.documents.evidence.>",
        crate::IDENTITY.area,
    )
}

pub struct EvidenceReported {
    pub scheme: Arc<Scheme>,
}

/// The kinds of evidence about a household the register can require; the rest (licences,
/// certificates) belong to other services.
fn kind(evidence_type: i32) -> Option<EvidenceKind> {
    match EvidenceType::try_from(evidence_type).ok()? {
        EvidenceType::Identity => Some(EvidenceKind::Identity),
        EvidenceType::ImmigrationStatus => Some(EvidenceKind::ImmigrationStatus),
        EvidenceType::Address => Some(EvidenceKind::Address),
        EvidenceType::IncomeAndSavings => Some(EvidenceKind::IncomeAndSavings),
        EvidenceType::Medical => Some(EvidenceKind::Medical),
        _ => None,
    }
}

fn uuid(field: &str, value: &str) -> Result<Uuid, HandlingError> {
    Uuid::parse_str(value)
        .map_err(|_| HandlingError::Reject(format!("{field} {value:?} is not a UUID")))
}

fn at(t: Option<prost_types::Timestamp>, event: &ReceivedEvent) -> chrono::DateTime<chrono::Utc> {
    t.and_then(|t| chrono::DateTime::from_timestamp(t.seconds, t.nanos.max(0) as u32))
        .unwrap_or(event.time)
}

impl Handler for EvidenceReported {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        let (about, state, reason, by, when) =
            if let Some(e) = event.decode_if::<documents::EvidenceReceived>()? {
                let about = (e.application_id, e.document_id, e.evidence_type);
                (
                    about,
                    EvidenceState::Received,
                    None,
                    e.uploaded_by,
                    e.uploaded_at,
                )
            } else if let Some(e) = event.decode_if::<documents::EvidenceVerified>()? {
                let about = (e.application_id, e.document_id, e.evidence_type);
                (
                    about,
                    EvidenceState::Verified,
                    None,
                    e.verified_by,
                    e.verified_at,
                )
            } else if let Some(e) = event.decode_if::<documents::EvidenceRejected>()? {
                let about = (e.application_id, e.document_id, e.evidence_type);
                (
                    about,
                    EvidenceState::Rejected,
                    Some(e.reason),
                    e.rejected_by,
                    e.rejected_at,
                )
            } else {
                return Ok(());
            };
        let (application_id, document_id, evidence_type) = about;
        // Evidence about a placement or a unit has no application.
        let (Some(kind), false) = (kind(evidence_type), application_id.is_empty()) else {
            return Ok(());
        };
        let report = Report {
            document_id: uuid("document_id", &document_id)?,
            application_id: uuid("application_id", &application_id)?,
            kind,
            state,
            reason,
            by,
            at: at(when, event),
        };
        evidence::report(conn, &self.scheme, &report).await?;
        Ok(())
    }
}
