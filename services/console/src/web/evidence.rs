//! Evidence a household sends (identity, address, income, medical letters, signed
//! agreements): uploaded from the browser to the documents service, opened there to be
//! checked, and verified or rejected with the reason the household is told.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use housing_proto::documents::v1::{self as pb, EvidenceStatus, OwnerKind};
use sha2::{Digest, Sha256};

use super::upload::{File, Upload};
use super::{FieldError, PageError, encode, letters};
use crate::session::Officer;

/// The largest file taken from the browser: a scanned, signed agreement of some pages.
pub const MAX_FILE_MB: usize = 10;
/// The largest form with a file: the file and the form's few fields.
pub const MAX_UPLOAD_BYTES: usize = (MAX_FILE_MB + 1) * 1024 * 1024;
/// Bytes per message of the upload stream.
const CHUNK: usize = 64 * 1024;
/// A document larger than this was not uploaded through the console.
const LARGEST: usize = 64 << 20;

/// A document as a page lists it.
pub struct DocumentView {
    pub id: String,
    pub filename: String,
    pub evidence: &'static str,
    pub status: (&'static str, &'static str),
    pub pending: bool,
}

impl From<&pb::Document> for DocumentView {
    fn from(d: &pb::Document) -> Self {
        Self {
            id: d.document_id.clone(),
            filename: d.filename.clone(),
            evidence: evidence_words(d.evidence_type),
            status: match EvidenceStatus::try_from(d.status) {
                Ok(EvidenceStatus::Verified) => ("Verified", "govuk-tag--green"),
                Ok(EvidenceStatus::Rejected) => ("Rejected", "govuk-tag--red"),
                _ => ("To check", "govuk-tag--blue"),
            },
            pending: d.status == EvidenceStatus::Pending as i32,
        }
    }
}

/// The kinds of evidence a register application asks for, as a form offers them.
pub const APPLICATION_EVIDENCE: [pb::EvidenceType; 5] = [
    pb::EvidenceType::Identity,
    pb::EvidenceType::ImmigrationStatus,
    pb::EvidenceType::Address,
    pb::EvidenceType::IncomeAndSavings,
    pb::EvidenceType::Medical,
];

pub fn evidence_words(evidence: i32) -> &'static str {
    match pb::EvidenceType::try_from(evidence).unwrap_or(pb::EvidenceType::Unspecified) {
        pb::EvidenceType::Identity => "Proof of identity",
        pb::EvidenceType::ImmigrationStatus => "Immigration status",
        pb::EvidenceType::Address => "Proof of address",
        pb::EvidenceType::IncomeAndSavings => "Income and savings",
        pb::EvidenceType::Medical => "Medical evidence",
        pb::EvidenceType::NoticeToQuit => "Notice to quit",
        pb::EvidenceType::SignedLicenceAgreement => "Signed licence agreement",
        pb::EvidenceType::BenefitClaim => "Benefit claim",
        pb::EvidenceType::GasSafetyCertificate => "Gas safety certificate",
        pb::EvidenceType::ElectricalCertificate => "Electrical certificate",
        pb::EvidenceType::EnergyPerformanceCertificate => "Energy performance certificate",
        pb::EvidenceType::HmoLicence => "HMO licence",
        pb::EvidenceType::FireRiskAssessment => "Fire risk assessment",
        pb::EvidenceType::Unspecified => "Evidence",
    }
}

/// An evidence type as a form sends it: its proto name.
pub fn evidence_value(evidence: i32) -> String {
    pb::EvidenceType::try_from(evidence)
        .map(|e| e.as_str_name().to_owned())
        .unwrap_or_default()
}

/// What the browser says the file is, or what its name says: the documents service checks
/// it against the bytes.
fn content_type(declared: Option<&str>, filename: &str) -> String {
    let by_name = match filename.rsplit('.').next().map(str::to_ascii_lowercase) {
        Some(ext) if ext == "pdf" => "application/pdf",
        Some(ext) if ext == "png" => "image/png",
        Some(ext) if ext == "jpg" || ext == "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    };
    match declared {
        Some(t @ ("application/pdf" | "image/png" | "image/jpeg")) => t.to_owned(),
        _ => by_name.to_owned(),
    }
}

/// Why the upload cannot be sent, in the Design System's words, if it cannot.
pub fn problem(upload: &Upload) -> Option<String> {
    if upload.too_large {
        Some(format!(
            "The selected file must be smaller than {MAX_FILE_MB}MB"
        ))
    } else if upload.file.bytes.is_empty() {
        Some("Select a file".to_owned())
    } else {
        None
    }
}

/// Where a document belongs and what it is evidence of.
pub struct Owner<'a> {
    pub kind: OwnerKind,
    pub id: &'a str,
    pub application_id: &'a str,
    pub evidence: pb::EvidenceType,
}

/// Streams `file` to the documents service with its size and SHA-256, which the service
/// checks against the bytes; a retry with the same `request_id` stores it once.
pub async fn send(
    state: &super::State,
    officer: &Officer,
    path: &str,
    owner: Owner<'_>,
    request_id: &str,
    file: &File,
) -> Result<Result<(), tonic::Status>, PageError> {
    let header = pb::UploadHeader {
        request_id: request_id.to_owned(),
        owner_kind: owner.kind as i32,
        owner_id: owner.id.to_owned(),
        application_id: owner.application_id.to_owned(),
        evidence_type: owner.evidence as i32,
        content_type: content_type(file.declared_type.as_deref(), &file.name),
        filename: file.name.clone(),
        size_bytes: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
        sha256: Sha256::digest(&file.bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        ..Default::default()
    };
    let messages: Vec<pb::UploadDocumentRequest> =
        std::iter::once(pb::upload_document_request::Part::Header(header))
            .chain(
                file.bytes
                    .chunks(CHUNK)
                    .map(|c| pb::upload_document_request::Part::Chunk(c.to_vec())),
            )
            .map(|part| pb::UploadDocumentRequest { part: Some(part) })
            .collect();
    Ok(state
        .documents(officer, path)
        .await?
        .upload_document(tokio_stream::iter(messages))
        .await
        .map(|_| ()))
}

/// The service's refusal of an upload, said against the file input `field`.
pub fn refused(
    status: tonic::Status,
    path: &str,
    field: &str,
) -> Result<Vec<FieldError>, PageError> {
    Ok(super::refusal(status, path)?
        .into_iter()
        .map(|e| FieldError::on(field, e.message))
        .collect())
}

/// The document itself, opened in the browser to be checked.
pub async fn download(
    State(state): State<super::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(letters::READ)?;
    let path = format!("/documents/{}", encode(&id));
    let mut client = state.documents(&officer, &path).await?;
    let document = client
        .get_document(pb::GetDocumentRequest {
            document_id: id.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .document
        .ok_or(PageError::NotFound)?;
    let mut chunks = client
        .download_document(pb::DownloadDocumentRequest {
            document_id: id.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner();
    let mut bytes = Vec::new();
    while let Some(chunk) = chunks
        .message()
        .await
        .map_err(|s| PageError::from_status(s, &path))?
    {
        bytes.extend_from_slice(&chunk.chunk);
        if bytes.len() > LARGEST {
            return Err(PageError::Unavailable(format!(
                "document {id} is over 64 MB"
            )));
        }
    }
    // Only the types the service lets in; anything else is offered as a download.
    let content_type = match document.content_type.as_str() {
        t @ ("application/pdf" | "image/png" | "image/jpeg") => t.to_owned(),
        _ => "application/octet-stream".to_owned(),
    };
    let name: String = document
        .filename
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_type_comes_from_the_browser_or_else_the_name() {
        assert_eq!(content_type(Some("image/png"), "x.pdf"), "image/png");
        assert_eq!(
            content_type(Some("text/plain"), "Scan.PDF"),
            "application/pdf"
        );
        assert_eq!(content_type(None, "photo.jpeg"), "image/jpeg");
        assert_eq!(content_type(None, "notes.txt"), "application/octet-stream");
    }
}
