//! The documents service's gRPC API.

use std::pin::Pin;

use housing_events::host::Host;
use housing_platform::auth::{Role, caller};
use housing_platform::errors::{AppError, FieldViolations, uuid_field};
use housing_platform::time::timestamp;
use housing_proto::documents::v1::{
    self as pb,
    documents_service_server::{DocumentsService, DocumentsServiceServer},
};
use sqlx::PgPool;
use tokio_stream::Stream;
use tonic::service::interceptor::InterceptedService;
use tonic::{Request, Response, Status};

use crate::app::blobs::Blobs;
use crate::db::{checklists, letters};

pub const SERVICE_NAMES: &[&str] = &["housing.documents.v1.DocumentsService"];
const CHUNK: usize = 64 * 1024;

pub fn routes(host: &Host, blobs: Blobs) -> tonic::service::Routes {
    let server = DocumentsServiceServer::new(Documents {
        pool: host.pool.clone(),
        blobs,
    })
    .max_decoding_message_size(host.max_message_bytes)
    .max_encoding_message_size(host.max_message_bytes);
    let mut routes = tonic::service::RoutesBuilder::default();
    routes.add_service(InterceptedService::new(server, host.auth.interceptor()));
    routes.routes()
}

struct Documents {
    pool: PgPool,
    blobs: Blobs,
}

const STAFF: &[Role] = &[
    Role::RegisterAssistant,
    Role::AllocationsOfficer,
    Role::SeniorOfficer,
    Role::TaOfficer,
    Role::IncomeOfficer,
    Role::Manager,
];

fn letter_proto(l: &letters::LetterRecord) -> pb::Letter {
    pb::Letter {
        letter_id: l.id.to_string(),
        kind: match l.kind.as_str() {
            "placement" => pb::LetterKind::Placement,
            _ => pb::LetterKind::Unspecified,
        } as i32,
        subject_id: l.subject_id.clone(),
        application_id: l.application_id.map(|a| a.to_string()).unwrap_or_default(),
        content_type: l.content_type.clone(),
        size_bytes: l.size_bytes,
        sha256: l.sha256.clone(),
        created_at: Some(timestamp(l.created_at)),
    }
}

type ChunkStream = Pin<Box<dyn Stream<Item = Result<pb::DownloadLetterResponse, Status>> + Send>>;

#[tonic::async_trait]
impl DocumentsService for Documents {
    async fn list_letters(
        &self,
        request: Request<pb::ListLettersRequest>,
    ) -> Result<Response<pb::ListLettersResponse>, Status> {
        caller(&request)?.require(STAFF)?;
        let r = request.into_inner();
        let application_id = uuid_field("application_id", &r.application_id)?;
        let offset: i64 = if r.page_token.is_empty() {
            0
        } else {
            r.page_token.parse().map_err(|_| {
                let mut v = FieldViolations::new();
                v.add("page_token", "not a page token from this service");
                v.into_status()
            })?
        };
        let limit = if r.page_size <= 0 {
            50
        } else {
            r.page_size.min(500)
        } as i64;
        let mut conn = self.pool.acquire().await.map_err(AppError::from)?;
        let rows = letters::for_application(&mut conn, application_id, offset, limit + 1)
            .await
            .map_err(AppError::from)?;
        let next_page_token = if rows.len() as i64 > limit {
            (offset + limit).to_string()
        } else {
            String::new()
        };
        Ok(Response::new(pb::ListLettersResponse {
            letters: rows.iter().take(limit as usize).map(letter_proto).collect(),
            next_page_token,
        }))
    }

    type DownloadLetterStream = ChunkStream;

    async fn download_letter(
        &self,
        request: Request<pb::DownloadLetterRequest>,
    ) -> Result<Response<ChunkStream>, Status> {
        caller(&request)?.require(STAFF)?;
        let id = uuid_field("letter_id", &request.get_ref().letter_id)?;
        let mut conn = self.pool.acquire().await.map_err(AppError::from)?;
        let letter = letters::find(&mut conn, id)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| AppError::not_found("letter", id))?;
        let bytes = self.blobs.get(&letter.blob_path).await?;
        let chunks: Vec<Result<pb::DownloadLetterResponse, Status>> = bytes
            .chunks(CHUNK)
            .map(|c| Ok(pb::DownloadLetterResponse { chunk: c.to_vec() }))
            .collect();
        Ok(Response::new(Box::pin(tokio_stream::iter(chunks))))
    }

    async fn get_checklist(
        &self,
        request: Request<pb::GetChecklistRequest>,
    ) -> Result<Response<pb::GetChecklistResponse>, Status> {
        caller(&request)?.require(STAFF)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        if crate::domain::checklist::items(&r.kind).is_none() {
            v.add("kind", format!("unknown checklist kind {:?}", r.kind));
        }
        if r.subject_id.is_empty() {
            v.add("subject_id", "required");
        }
        v.into_result(())?;
        let mut conn = self.pool.acquire().await.map_err(AppError::from)?;
        let checklist = checklists::find(&mut conn, &r.kind, &r.subject_id)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| {
                AppError::not_found("checklist", format!("{} for {}", r.kind, r.subject_id))
            })?;
        let complete = checklist.items.iter().all(|(_, _, done)| *done);
        Ok(Response::new(pb::GetChecklistResponse {
            checklist: Some(pb::Checklist {
                checklist_id: checklist.id.to_string(),
                kind: checklist.kind,
                subject_id: checklist.subject_id,
                items: checklist
                    .items
                    .into_iter()
                    .map(|(code, description, done)| pb::ChecklistItem {
                        code,
                        description,
                        status: if done {
                            pb::ChecklistItemStatus::Done
                        } else {
                            pb::ChecklistItemStatus::Outstanding
                        } as i32,
                    })
                    .collect(),
                complete,
            }),
        }))
    }
}
