//! Evidence and certificates: receiving them, and an officer's verification or rejection,
//! each announced to the service that relies on it.

use bytes::Bytes;
use chrono::{NaiveDate, Utc};
use futures::Stream;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::idempotency;
use housing_platform::time::{format_optional_date, timestamp};
use housing_proto::documents::v1 as pb;
use sqlx::PgConnection;
use uuid::Uuid;

use super::blobs::Blobs;
use super::checklists;
use super::upload::{self, Declared};
use crate::db::documents::{self as store, DocumentRecord};
use crate::domain::evidence::{EvidenceType, OwnerKind, Status, case_of};

/// An upload's header, checked field by field.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub request_id: String,
    pub owner_kind: OwnerKind,
    pub owner_id: String,
    pub application_id: Option<Uuid>,
    pub evidence_type: EvidenceType,
    pub filename: String,
    pub expires_on: Option<NaiveDate>,
    pub declared: Declared,
}

const IDEMPOTENCY_SCOPE: &str = "documents.upload";

/// Stores the bytes, then the record and its event in one transaction. If anything fails
/// the bytes are removed again: a failed upload leaves nothing.
pub async fn upload<S>(
    pool: &Pool,
    blobs: &Blobs,
    uploaded_by: &str,
    new: NewDocument,
    chunks: S,
) -> Result<DocumentRecord, AppError>
where
    S: Stream<Item = Result<Bytes, AppError>> + Unpin,
{
    let id = Uuid::now_v7();
    let blob_path = format!("documents/{id}");
    upload::receive(blobs, &blob_path, &new.declared, chunks).await?;
    match record(pool, id, &blob_path, uploaded_by, &new).await {
        Ok(Recorded::New(document)) => Ok(document),
        Ok(Recorded::Before(document)) => {
            blobs.delete(&blob_path).await?;
            Ok(document)
        }
        Err(error) => {
            if let Err(e) = blobs.delete(&blob_path).await {
                tracing::error!(error = %e, %id, "could not remove the bytes of a failed upload");
            }
            Err(error)
        }
    }
}

enum Recorded {
    New(DocumentRecord),
    /// A retry of an upload already recorded.
    Before(DocumentRecord),
}

async fn record(
    pool: &Pool,
    id: Uuid,
    blob_path: &str,
    uploaded_by: &str,
    new: &NewDocument,
) -> Result<Recorded, AppError> {
    let mut tx = pool.begin().await?;
    // The stored answer names the document; a retry gets the document as it is now.
    if let Some(earlier) = idempotency::replay::<pb::UploadDocumentResponse>(
        &mut tx,
        IDEMPOTENCY_SCOPE,
        &new.request_id,
    )
    .await?
    {
        let earlier_id = earlier
            .document
            .and_then(|d| Uuid::parse_str(&d.document_id).ok())
            .ok_or_else(|| {
                AppError::FailedPrecondition("stored upload answer unreadable".into())
            })?;
        let document = store::find(&mut tx, earlier_id)
            .await?
            .ok_or_else(|| AppError::not_found("document", earlier_id))?;
        return Ok(Recorded::Before(document));
    }
    let (case_kind, case_id) = case_of(new.owner_kind, &new.owner_id, new.application_id);
    let document = DocumentRecord {
        id,
        owner_kind: new.owner_kind.as_str().into(),
        owner_id: new.owner_id.clone(),
        application_id: new.application_id,
        evidence_type: new.evidence_type.as_str().into(),
        filename: new.filename.clone(),
        content_type: new.declared.content_type.clone(),
        size_bytes: new.declared.size_bytes as i64,
        sha256: new.declared.sha256.clone(),
        blob_path: blob_path.into(),
        status: Status::Pending.as_str().into(),
        rejection_reason: None,
        reviewed_by: None,
        reviewed_at: None,
        expires_on: new.expires_on,
        uploaded_by: uploaded_by.into(),
        uploaded_at: Utc::now(),
        case_kind: case_kind.into(),
        case_id,
    };
    store::insert(&mut tx, &document).await?;
    let event = pb::EvidenceReceived {
        document_id: id.to_string(),
        owner_kind: owner_kind_proto(new.owner_kind) as i32,
        owner_id: document.owner_id.clone(),
        application_id: application_text(&document),
        evidence_type: evidence_type_proto(new.evidence_type) as i32,
        expires_on: format_optional_date(document.expires_on),
        uploaded_by: uploaded_by.into(),
        uploaded_at: Some(timestamp(document.uploaded_at)),
    };
    enqueue(&mut tx, new.evidence_type, "received", id, &event).await?;
    let answer = pb::UploadDocumentResponse {
        document: Some(pb::Document {
            document_id: id.to_string(),
            ..Default::default()
        }),
    };
    idempotency::record(&mut tx, IDEMPOTENCY_SCOPE, &new.request_id, &answer).await?;
    tx.commit().await?;
    Ok(Recorded::New(document))
}

/// An officer's decision on a document.
#[derive(Debug, Clone)]
pub enum Decision {
    Verify,
    Reject { reason: String },
}

/// Records the decision and announces it; verified evidence ticks the checklists it meets.
pub async fn review(
    pool: &Pool,
    id: Uuid,
    decision: Decision,
    by: &str,
) -> Result<DocumentRecord, AppError> {
    let mut tx = pool.begin().await?;
    let document = store::lock(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("document", id))?;
    let from = Status::parse(&document.status).ok_or_else(|| {
        AppError::FailedPrecondition(format!("unknown status {}", document.status))
    })?;
    let evidence_type = EvidenceType::parse(&document.evidence_type).ok_or_else(|| {
        AppError::FailedPrecondition(format!("unknown evidence type {}", document.evidence_type))
    })?;
    let owner_kind = OwnerKind::parse(&document.owner_kind).ok_or_else(|| {
        AppError::FailedPrecondition(format!("unknown owner kind {}", document.owner_kind))
    })?;
    let (to, reason) = match &decision {
        Decision::Verify => (Status::Verified, None),
        Decision::Reject { reason } => (Status::Rejected, Some(reason.as_str())),
    };
    from.review(to).map_err(AppError::FailedPrecondition)?;
    let at = Utc::now();
    store::review(&mut tx, id, to.as_str(), reason, by, at).await?;
    match &decision {
        Decision::Verify => {
            let event = pb::EvidenceVerified {
                document_id: id.to_string(),
                owner_kind: owner_kind_proto(owner_kind) as i32,
                owner_id: document.owner_id.clone(),
                application_id: application_text(&document),
                evidence_type: evidence_type_proto(evidence_type) as i32,
                expires_on: format_optional_date(document.expires_on),
                verified_by: by.into(),
                verified_at: Some(timestamp(at)),
            };
            enqueue(&mut tx, evidence_type, "verified", id, &event).await?;
            checklists::evidence_verified(&mut tx, &document, evidence_type).await?;
        }
        Decision::Reject { reason } => {
            let event = pb::EvidenceRejected {
                document_id: id.to_string(),
                owner_kind: owner_kind_proto(owner_kind) as i32,
                owner_id: document.owner_id.clone(),
                application_id: application_text(&document),
                evidence_type: evidence_type_proto(evidence_type) as i32,
                reason: reason.clone(),
                rejected_by: by.into(),
                rejected_at: Some(timestamp(at)),
            };
            enqueue(&mut tx, evidence_type, "rejected", id, &event).await?;
        }
    }
    let reviewed = store::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("document", id))?;
    tx.commit().await?;
    Ok(reviewed)
}

/// Certificates go to temporary accommodation's subjects, other evidence to the register's.
async fn enqueue<M: prost::Message + prost::Name>(
    conn: &mut PgConnection,
    evidence_type: EvidenceType,
    verb: &str,
    id: Uuid,
    event: &M,
) -> Result<(), sqlx::Error> {
    let subject = format!(
        "housing.documents.{}.{verb}.v1",
        evidence_type.subject_noun()
    );
    outbox::enqueue(conn, &OutgoingEvent::new(&subject, id, event)).await
}

fn application_text(d: &DocumentRecord) -> String {
    d.application_id.map(|a| a.to_string()).unwrap_or_default()
}

pub fn owner_kind_proto(kind: OwnerKind) -> pb::OwnerKind {
    match kind {
        OwnerKind::Application => pb::OwnerKind::Application,
        OwnerKind::Household => pb::OwnerKind::Household,
        OwnerKind::Placement => pb::OwnerKind::Placement,
        OwnerKind::Unit => pb::OwnerKind::Unit,
        OwnerKind::Account => pb::OwnerKind::Account,
    }
}

pub fn evidence_type_proto(t: EvidenceType) -> pb::EvidenceType {
    match t {
        EvidenceType::Identity => pb::EvidenceType::Identity,
        EvidenceType::ImmigrationStatus => pb::EvidenceType::ImmigrationStatus,
        EvidenceType::Address => pb::EvidenceType::Address,
        EvidenceType::IncomeAndSavings => pb::EvidenceType::IncomeAndSavings,
        EvidenceType::Medical => pb::EvidenceType::Medical,
        EvidenceType::NoticeToQuit => pb::EvidenceType::NoticeToQuit,
        EvidenceType::SignedLicenceAgreement => pb::EvidenceType::SignedLicenceAgreement,
        EvidenceType::BenefitClaim => pb::EvidenceType::BenefitClaim,
        EvidenceType::GasSafetyCertificate => pb::EvidenceType::GasSafetyCertificate,
        EvidenceType::ElectricalCertificate => pb::EvidenceType::ElectricalCertificate,
        EvidenceType::EnergyPerformanceCertificate => {
            pb::EvidenceType::EnergyPerformanceCertificate
        }
        EvidenceType::HmoLicence => pb::EvidenceType::HmoLicence,
        EvidenceType::FireRiskAssessment => pb::EvidenceType::FireRiskAssessment,
    }
}
