//! The letters a household has been sent, listed on its application's and placements'
//! pages and opened as the PDF the documents service keeps.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use housing_platform::auth::Role;
use housing_proto::documents::v1::{self as pb, LetterKind};

use super::{PageError, encode};
use crate::format;
use crate::session::Officer;

/// Who may read letters (as the documents service allows).
pub const READ: &[Role] = &Role::STAFF;

/// The letters shown on a page; a household rarely has more.
const SHOWN: i32 = 50;

/// A letter larger than this is not a letter the platform wrote.
const LARGEST: usize = 20 << 20;

pub struct LetterRow {
    pub id: String,
    pub kind: &'static str,
    pub sent: String,
    pub size: String,
}

fn kind_words(kind: i32) -> &'static str {
    match LetterKind::try_from(kind).unwrap_or(LetterKind::Unspecified) {
        LetterKind::Placement => "Offer of temporary accommodation",
        LetterKind::Acknowledgement => "Application received",
        LetterKind::EligibilityDecision => "Eligibility decision",
        LetterKind::QualificationDecision => "Qualification decision",
        LetterKind::Offer => "Offer of a home",
        LetterKind::SuitabilityDecision => "Suitability decision",
        LetterKind::RentAccount => "Rent account opened",
        LetterKind::Arrears => "Rent arrears",
        LetterKind::ClosureNotice => "Closure notice",
        LetterKind::AnnualReview => "Annual review",
        LetterKind::SuspensionDecision => "Suspension decision",
        LetterKind::DecantPayments => "Home-loss and disturbance payments",
        LetterKind::S208Notice => "Section 208 notice to the receiving council",
        LetterKind::S213aaNotice => "Notice to the child's school, GP and health visitors",
        LetterKind::InformationRequest => "What we still need",
        LetterKind::PlacementClosure => "Temporary accommodation ending",
        LetterKind::FinalBalance => "Final rent balance",
        LetterKind::ReviewDecision => "Outcome of a review",
        LetterKind::Unspecified => "Letter",
    }
}

fn size_words(bytes: i64) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// The letters sent about the application `application_id`, oldest first; none when the
/// officer may not read letters.
pub async fn of_application(
    state: &super::State,
    officer: &Officer,
    application_id: &str,
    path: &str,
) -> Result<Vec<LetterRow>, PageError> {
    if !officer.holds(READ) {
        return Ok(Vec::new());
    }
    Ok(state
        .documents(officer, path)
        .await?
        .list_letters(pb::ListLettersRequest {
            application_id: application_id.to_owned(),
            page_size: SHOWN,
            page_token: String::new(),
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .letters
        .into_iter()
        .map(|l| LetterRow {
            kind: kind_words(l.kind),
            sent: format::timestamp(l.created_at.as_ref()),
            size: size_words(l.size_bytes),
            id: l.letter_id,
        })
        .collect())
}

/// The letter as its PDF, shown in the browser.
pub async fn download(
    State(state): State<super::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let path = format!("/letters/{}", encode(&id));
    let mut chunks = state
        .documents(&officer, &path)
        .await?
        .download_letter(pb::DownloadLetterRequest {
            letter_id: id.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner();
    let mut pdf = Vec::new();
    while let Some(chunk) = chunks
        .message()
        .await
        .map_err(|s| PageError::from_status(s, &path))?
    {
        pdf.extend_from_slice(&chunk.chunk);
        if pdf.len() > LARGEST {
            return Err(PageError::Unavailable(format!("letter {id} is over 20 MB")));
        }
    }
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"letter-{}.pdf\"", encode(&id)),
            ),
        ],
        pdf,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_reads_by_its_kind_and_size() {
        assert_eq!(
            kind_words(LetterKind::ClosureNotice as i32),
            "Closure notice"
        );
        assert_eq!(kind_words(99), "Letter");
        assert_eq!(size_words(900), "900 bytes");
        assert_eq!(size_words(1700), "2 KB");
    }
}
