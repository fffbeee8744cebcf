use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt;
use housing_platform::auth::{Role, caller};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations, date_field, uuid_field};
use housing_platform::paging;
use housing_proto::documents::v1::{self as pb, documents_service_server::DocumentsService};
use tonic::{Request, Response, Status, Streaming};

use super::chunks::{ChunkStream, chunked};
use super::mapping;
use crate::app::blobs::Blobs;
use crate::app::evidence::{self, Decision};
use crate::app::{integrity, retention, subject_access};
use crate::db::documents;
use crate::db::{checklists, letters};
use crate::domain::checklist;
use crate::domain::retention::Periods;

pub struct Documents {
    pub pool: Pool,
    pub blobs: Blobs,
    pub max_upload_bytes: u64,
    pub periods: Arc<Periods>,
}

const STAFF: &[Role] = &Role::STAFF;
/// Legal holds and subject access requests are decisions about the records themselves.
const RECORDS_OFFICERS: &[Role] = &[Role::SeniorOfficer, Role::Manager];

fn invalid(field: &str, why: &str) -> Status {
    let mut v = FieldViolations::new();
    v.add(field, why);
    v.into_status()
}

#[tonic::async_trait]
impl DocumentsService for Documents {
    async fn list_letters(
        &self,
        request: Request<pb::ListLettersRequest>,
    ) -> Result<Response<pb::ListLettersResponse>, Status> {
        caller(&request)?.require(STAFF)?;
        let query = mapping::ListLetters::try_from(request.into_inner())?;
        let mut conn = self.pool.acquire().await.map_err(AppError::from)?;
        let rows =
            letters::for_application(&mut conn, query.application_id, query.after, query.limit)
                .await
                .map_err(AppError::from)?;
        Ok(Response::new(pb::ListLettersResponse {
            next_page_token: paging::next_token(&rows, query.limit, |l| (l.created_at, l.id)),
            letters: rows.iter().map(mapping::letter).collect(),
        }))
    }

    type DownloadLetterStream = ChunkStream<pb::DownloadLetterResponse>;

    async fn download_letter(
        &self,
        request: Request<pb::DownloadLetterRequest>,
    ) -> Result<Response<Self::DownloadLetterStream>, Status> {
        caller(&request)?.require(STAFF)?;
        let id = uuid_field("letter_id", &request.get_ref().letter_id)?;
        let mut conn = self.pool.acquire().await.map_err(AppError::from)?;
        let letter = letters::find(&mut conn, id)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| AppError::not_found("letter", id))?;
        let bytes = integrity::checked(self.blobs.stream(&letter.blob_path).await?, letter.sha256);
        Ok(Response::new(chunked(bytes, |chunk| {
            pb::DownloadLetterResponse { chunk }
        })))
    }

    async fn get_checklist(
        &self,
        request: Request<pb::GetChecklistRequest>,
    ) -> Result<Response<pb::GetChecklistResponse>, Status> {
        caller(&request)?.require(STAFF)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        if checklist::kind(&r.kind).is_none() {
            v.add("kind", format!("unknown checklist kind {:?}", r.kind));
        }
        v.require("subject_id", &r.subject_id, "what the checklist is for");
        v.into_result(())?;
        let mut conn = self.pool.acquire().await.map_err(AppError::from)?;
        let found = checklists::find(&mut conn, &r.kind, &r.subject_id)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| {
                AppError::not_found("checklist", format!("{} for {}", r.kind, r.subject_id))
            })?;
        Ok(Response::new(pb::GetChecklistResponse {
            checklist: Some(mapping::checklist(found)),
        }))
    }

    async fn upload_document(
        &self,
        request: Request<Streaming<pb::UploadDocumentRequest>>,
    ) -> Result<Response<pb::UploadDocumentResponse>, Status> {
        let who = caller(&request)?;
        who.require(STAFF)?;
        let mut parts = request.into_inner();
        let header = match parts.message().await?.and_then(|m| m.part) {
            Some(pb::upload_document_request::Part::Header(h)) => h,
            _ => {
                return Err(invalid(
                    "header",
                    "required: the first message is the header",
                ));
            }
        };
        let new = mapping::new_document(header, self.max_upload_bytes)?;
        let chunks = parts.map(|message| match message {
            Ok(pb::UploadDocumentRequest {
                part: Some(pb::upload_document_request::Part::Chunk(chunk)),
            }) => Ok(Bytes::from(chunk)),
            Ok(_) => {
                let mut v = FieldViolations::new();
                v.add("header", "only the first message is a header; then bytes");
                Err(AppError::Invalid(v))
            }
            Err(status) => Err(AppError::Upstream(status)),
        });
        let document = evidence::upload(&self.pool, &self.blobs, &who.id, new, chunks).await?;
        tracing::info!(document_id = %document.id, size = document.size_bytes, "document uploaded");
        Ok(Response::new(pb::UploadDocumentResponse {
            document: Some(mapping::document(&document)),
        }))
    }

    type DownloadDocumentStream = ChunkStream<pb::DownloadDocumentResponse>;

    async fn download_document(
        &self,
        request: Request<pb::DownloadDocumentRequest>,
    ) -> Result<Response<Self::DownloadDocumentStream>, Status> {
        caller(&request)?.require(STAFF)?;
        let id = uuid_field("document_id", &request.get_ref().document_id)?;
        let mut conn = self.pool.acquire().await.map_err(AppError::from)?;
        let document = documents::find(&mut conn, id)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| AppError::not_found("document", id))?;
        let bytes = integrity::checked(
            self.blobs.stream(&document.blob_path).await?,
            document.sha256,
        );
        Ok(Response::new(chunked(bytes, |chunk| {
            pb::DownloadDocumentResponse { chunk }
        })))
    }

    async fn get_document(
        &self,
        request: Request<pb::GetDocumentRequest>,
    ) -> Result<Response<pb::GetDocumentResponse>, Status> {
        caller(&request)?.require(STAFF)?;
        let id = uuid_field("document_id", &request.get_ref().document_id)?;
        let mut conn = self.pool.acquire().await.map_err(AppError::from)?;
        let document = documents::find(&mut conn, id)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| AppError::not_found("document", id))?;
        Ok(Response::new(pb::GetDocumentResponse {
            document: Some(mapping::document(&document)),
        }))
    }

    async fn list_documents(
        &self,
        request: Request<pb::ListDocumentsRequest>,
    ) -> Result<Response<pb::ListDocumentsResponse>, Status> {
        caller(&request)?.require(STAFF)?;
        let query = mapping::ListDocuments::try_from(request.into_inner())?;
        let mut conn = self.pool.acquire().await.map_err(AppError::from)?;
        let rows = documents::list(&mut conn, &query.filter, query.after, query.limit)
            .await
            .map_err(AppError::from)?;
        Ok(Response::new(pb::ListDocumentsResponse {
            next_page_token: paging::next_token(&rows, query.limit, |d| (d.uploaded_at, d.id)),
            documents: rows.iter().map(mapping::document).collect(),
        }))
    }

    async fn verify_document(
        &self,
        request: Request<pb::VerifyDocumentRequest>,
    ) -> Result<Response<pb::VerifyDocumentResponse>, Status> {
        let who = caller(&request)?;
        who.require(STAFF)?;
        let id = uuid_field("document_id", &request.get_ref().document_id)?;
        let document = evidence::review(&self.pool, id, Decision::Verify, &who.id).await?;
        Ok(Response::new(pb::VerifyDocumentResponse {
            document: Some(mapping::document(&document)),
        }))
    }

    async fn reject_document(
        &self,
        request: Request<pb::RejectDocumentRequest>,
    ) -> Result<Response<pb::RejectDocumentResponse>, Status> {
        let who = caller(&request)?;
        who.require(STAFF)?;
        let command = mapping::RejectDocument::try_from(request.into_inner())?;
        let decision = Decision::Reject {
            reason: command.reason,
        };
        let document = evidence::review(&self.pool, command.document_id, decision, &who.id).await?;
        Ok(Response::new(pb::RejectDocumentResponse {
            document: Some(mapping::document(&document)),
        }))
    }

    async fn place_legal_hold(
        &self,
        request: Request<pb::PlaceLegalHoldRequest>,
    ) -> Result<Response<pb::PlaceLegalHoldResponse>, Status> {
        let who = caller(&request)?;
        who.require(RECORDS_OFFICERS)?;
        let hold = mapping::PlaceLegalHold::try_from(request.into_inner())?;
        retention::place_hold(&self.pool, hold.application_id, &hold.reason, &who.id).await?;
        tracing::info!(application_id = %hold.application_id, "legal hold placed");
        Ok(Response::new(pb::PlaceLegalHoldResponse {}))
    }

    async fn release_legal_hold(
        &self,
        request: Request<pb::ReleaseLegalHoldRequest>,
    ) -> Result<Response<pb::ReleaseLegalHoldResponse>, Status> {
        caller(&request)?.require(RECORDS_OFFICERS)?;
        let id = uuid_field("application_id", &request.get_ref().application_id)?;
        retention::release_hold(&self.pool, id).await?;
        tracing::info!(application_id = %id, "legal hold released");
        Ok(Response::new(pb::ReleaseLegalHoldResponse {}))
    }

    async fn get_legal_hold(
        &self,
        request: Request<pb::GetLegalHoldRequest>,
    ) -> Result<Response<pb::GetLegalHoldResponse>, Status> {
        caller(&request)?.require(RECORDS_OFFICERS)?;
        let id = uuid_field("application_id", &request.get_ref().application_id)?;
        let hold = retention::hold(&self.pool, id).await?;
        Ok(Response::new(match hold {
            Some((reason, placed_by, placed_at)) => pb::GetLegalHoldResponse {
                held: true,
                reason,
                placed_by,
                placed_at: Some(housing_platform::time::timestamp(placed_at)),
            },
            None => pb::GetLegalHoldResponse::default(),
        }))
    }

    async fn run_retention(
        &self,
        request: Request<pb::RunRetentionRequest>,
    ) -> Result<Response<pb::RunRetentionResponse>, Status> {
        caller(&request)?.require(&[Role::Manager])?;
        let as_of = &request.get_ref().as_of;
        let today = if as_of.is_empty() {
            housing_platform::time::today()
        } else {
            date_field("as_of", as_of)?
        };
        let report = retention::run(&self.pool, &self.blobs, &self.periods, today).await?;
        Ok(Response::new(pb::RunRetentionResponse {
            documents_destroyed: report.documents_destroyed,
            letters_destroyed: report.letters_destroyed,
            held: report.held,
        }))
    }

    type ExportSubjectAccessStream = ChunkStream<pb::ExportSubjectAccessResponse>;

    async fn export_subject_access(
        &self,
        request: Request<pb::ExportSubjectAccessRequest>,
    ) -> Result<Response<Self::ExportSubjectAccessStream>, Status> {
        let who = caller(&request)?;
        who.require(RECORDS_OFFICERS)?;
        let id = uuid_field("application_id", &request.get_ref().application_id)?;
        let bundle = subject_access::gather(&self.pool, id).await?;
        tracing::info!(application_id = %id, by = %who.id, "subject access bundle exported");
        let rx = subject_access::stream(bundle, self.blobs.clone());
        let bytes = futures::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|item| (item, rx))
        })
        .boxed();
        Ok(Response::new(chunked(bytes, |chunk| {
            pb::ExportSubjectAccessResponse { chunk }
        })))
    }
}
