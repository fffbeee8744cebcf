//! Writing a letter: render its template, make the PDF, store it, record it and announce
//! it, once per source event.

use std::collections::HashMap;

use chrono::Utc;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::errors::AppError;
use housing_proto::documents::v1 as pb;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use super::blobs::Blobs;
use super::templates::Templates;
use crate::db::letters as store;
use crate::domain::letters::LetterKind;
use crate::domain::pdf;

/// A letter ready to be written.
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: LetterKind,
    pub template: &'static str,
    pub title: &'static str,
    /// The case the letter is about: what it is listed under and kept with.
    pub case_kind: &'static str,
    pub case_id: String,
    pub application_id: Option<Uuid>,
    pub values: HashMap<&'static str, String>,
}

/// Writes the letter for `event_id`; `None` if that event's letter was written before.
pub async fn write(
    conn: &mut PgConnection,
    templates: &Templates,
    blobs: &Blobs,
    event_id: Uuid,
    draft: Draft,
) -> Result<Option<Uuid>, AppError> {
    let text = templates.render(draft.template, &draft.values);
    let bytes = pdf::render(draft.title, &text);
    // The path comes from the event, so a retried event overwrites rather than duplicates.
    let letter = store::LetterRecord {
        id: Uuid::now_v7(),
        kind: draft.kind.as_str().into(),
        subject_id: draft.case_id.clone(),
        application_id: draft.application_id,
        blob_path: format!("letters/{event_id}.pdf"),
        content_type: "application/pdf".into(),
        size_bytes: bytes.len() as i64,
        sha256: hex(&Sha256::digest(&bytes)),
        created_at: Utc::now(),
        case_kind: draft.case_kind.into(),
        case_id: draft.case_id,
    };
    blobs.put(&letter.blob_path, bytes).await?;
    if !store::insert(conn, &letter, event_id).await? {
        return Ok(None);
    }
    let event = pb::LetterGenerated {
        letter_id: letter.id.to_string(),
        kind: letter_kind_proto(draft.kind) as i32,
        subject_id: letter.subject_id.clone(),
        application_id: letter
            .application_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
    };
    outbox::enqueue(
        conn,
        &OutgoingEvent::new("housing.documents.letter.generated.v1", letter.id, &event),
    )
    .await?;
    Ok(Some(letter.id))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn letter_kind_proto(kind: LetterKind) -> pb::LetterKind {
    match kind {
        LetterKind::Placement => pb::LetterKind::Placement,
        LetterKind::Acknowledgement => pb::LetterKind::Acknowledgement,
        LetterKind::EligibilityDecision => pb::LetterKind::EligibilityDecision,
        LetterKind::QualificationDecision => pb::LetterKind::QualificationDecision,
        LetterKind::Offer => pb::LetterKind::Offer,
        LetterKind::SuitabilityDecision => pb::LetterKind::SuitabilityDecision,
        LetterKind::RentAccount => pb::LetterKind::RentAccount,
        LetterKind::Arrears => pb::LetterKind::Arrears,
        LetterKind::ClosureNotice => pb::LetterKind::ClosureNotice,
        LetterKind::AnnualReview => pb::LetterKind::AnnualReview,
        LetterKind::SuspensionDecision => pb::LetterKind::SuspensionDecision,
        LetterKind::DecantPayments => pb::LetterKind::DecantPayments,
        LetterKind::S208Notice => pb::LetterKind::S208Notice,
        LetterKind::S213aaNotice => pb::LetterKind::S213aaNotice,
        LetterKind::InformationRequest => pb::LetterKind::InformationRequest,
        LetterKind::PlacementClosure => pb::LetterKind::PlacementClosure,
        LetterKind::FinalBalance => pb::LetterKind::FinalBalance,
        LetterKind::ReviewDecision => pb::LetterKind::ReviewDecision,
    }
}
