//! Proto to domain and back; every bad field of a request named at once.

mod letters;
mod retention;

use chrono::{DateTime, Utc};
use housing_platform::errors::FieldViolations;
use housing_platform::paging;
use housing_platform::time::{format_optional_date, timestamp};
use housing_proto::documents::v1 as pb;
use uuid::Uuid;

use crate::app::evidence::{NewDocument, evidence_type_proto, owner_kind_proto};
use crate::app::upload::Declared;
use crate::db::checklists::ChecklistRecord;
use crate::db::documents::{DocumentRecord, Filter};
use crate::domain::evidence::{EvidenceType, OwnerKind, Status};
use crate::domain::sniff;

pub use letters::{ListLetters, letter};
pub use retention::PlaceLegalHold;

pub fn owner_kind(value: i32) -> Option<OwnerKind> {
    match pb::OwnerKind::try_from(value).ok()? {
        pb::OwnerKind::Unspecified => None,
        pb::OwnerKind::Application => Some(OwnerKind::Application),
        pb::OwnerKind::Household => Some(OwnerKind::Household),
        pb::OwnerKind::Placement => Some(OwnerKind::Placement),
        pb::OwnerKind::Unit => Some(OwnerKind::Unit),
        pb::OwnerKind::Account => Some(OwnerKind::Account),
    }
}

pub fn evidence_type(value: i32) -> Option<EvidenceType> {
    EvidenceType::ALL
        .into_iter()
        .find(|t| evidence_type_proto(*t) as i32 == value)
}

/// An upload header as a new document, or every problem with it. `max_bytes` is the
/// service's size limit.
pub fn new_document(h: pb::UploadHeader, max_bytes: u64) -> Result<NewDocument, tonic::Status> {
    let mut v = FieldViolations::new();
    let owner = owner_kind(h.owner_kind);
    if owner.is_none() {
        v.add("owner_kind", "required: what the document is about");
    }
    v.require(
        "owner_id",
        &h.owner_id,
        "the id of what the document is about",
    );
    let evidence = evidence_type(h.evidence_type);
    if evidence.is_none() {
        v.add("evidence_type", "required: what kind of evidence this is");
    }
    let application_id = match owner {
        Some(OwnerKind::Application) if h.application_id.is_empty() => {
            v.uuid("owner_id", &h.owner_id)
        }
        Some(OwnerKind::Application) => {
            let id = v.uuid("application_id", &h.application_id);
            if id.is_some() && h.application_id != h.owner_id {
                v.add(
                    "application_id",
                    "must be the owner for an application's evidence",
                );
            }
            id
        }
        Some(OwnerKind::Unit) if h.application_id.is_empty() => None,
        Some(OwnerKind::Unit) => {
            v.add(
                "application_id",
                "a unit's certificates are not about a person",
            );
            None
        }
        _ => v.uuid("application_id", &h.application_id),
    };
    if let (Some(owner), Some(evidence)) = (owner, evidence) {
        if evidence.is_certificate() && owner != OwnerKind::Unit {
            v.add("owner_kind", "a safety certificate belongs to a unit");
        }
        if !evidence.is_certificate() && owner == OwnerKind::Unit {
            v.add(
                "evidence_type",
                "a unit's documents are its safety certificates",
            );
        }
    }
    let expires_on = match evidence {
        Some(t) if t.is_certificate() => v.date("expires_on", &h.expires_on),
        _ if !h.expires_on.is_empty() => {
            v.add("expires_on", "only safety certificates expire");
            None
        }
        _ => None,
    };
    v.require("filename", &h.filename, "the name of the file as uploaded");
    if h.filename.chars().count() > 255 {
        v.add("filename", "at most 255 characters");
    }
    if !sniff::ACCEPTED.contains(&h.content_type.as_str()) {
        v.add(
            "content_type",
            format!("must be one of {}", sniff::ACCEPTED.join(", ")),
        );
    }
    if h.size_bytes <= 0 {
        v.add("size_bytes", "must be above zero");
    } else if h.size_bytes as u64 > max_bytes {
        v.add(
            "size_bytes",
            format!("{} bytes is over the limit of {max_bytes}", h.size_bytes),
        );
    }
    let sha256 = h.sha256.to_ascii_lowercase();
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        v.add(
            "sha256",
            "must be the SHA-256 of the bytes in hex (64 characters)",
        );
    }
    let new = (|| {
        Some(NewDocument {
            request_id: h.request_id.clone(),
            owner_kind: owner?,
            owner_id: h.owner_id.clone(),
            application_id,
            evidence_type: evidence?,
            filename: h.filename.clone(),
            expires_on,
            declared: Declared {
                content_type: h.content_type.clone(),
                size_bytes: h.size_bytes.max(0) as u64,
                sha256,
            },
        })
    })();
    match new {
        Some(new) if v.is_empty() => Ok(new),
        _ => Err(v.into_status()),
    }
}

/// Lists' pages: 50 items unless asked for fewer or more, and never more than 500.
const PAGE_SIZE: i64 = 50;
const MAX_PAGE_SIZE: i64 = 500;

/// Where a list's page starts, `None` for the first; a token this service did not issue is
/// named.
fn page_after(token: &str, v: &mut FieldViolations) -> Option<(DateTime<Utc>, Uuid)> {
    paging::decode(token).unwrap_or_else(|status| {
        v.add("page_token", status.message());
        None
    })
}

/// A page of the documents an owner or an application has.
pub struct ListDocuments {
    pub filter: Filter,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

impl TryFrom<pb::ListDocumentsRequest> for ListDocuments {
    type Error = tonic::Status;

    fn try_from(r: pb::ListDocumentsRequest) -> Result<Self, tonic::Status> {
        let mut v = FieldViolations::new();
        let by_owner = r.owner_kind != 0 || !r.owner_id.is_empty();
        let filter = match (by_owner, r.application_id.is_empty()) {
            (true, true) => {
                let kind = owner_kind(r.owner_kind);
                if kind.is_none() {
                    v.add("owner_kind", "required with owner_id");
                }
                v.require("owner_id", &r.owner_id, "whose documents to list");
                kind.map(|k| Filter::Owner {
                    kind: k.as_str().into(),
                    id: r.owner_id.clone(),
                })
            }
            (false, false) => v
                .uuid("application_id", &r.application_id)
                .map(Filter::Application),
            (true, false) => {
                v.add(
                    "application_id",
                    "give an owner or an application, not both",
                );
                None
            }
            (false, true) => {
                v.add(
                    "owner_id",
                    "required: an owner (kind and id) or an application_id",
                );
                None
            }
        };
        let after = page_after(&r.page_token, &mut v);
        let Some(filter) = filter else {
            return Err(v.into_status());
        };
        v.into_result(ListDocuments {
            filter,
            after,
            limit: paging::size(r.page_size, PAGE_SIZE, MAX_PAGE_SIZE),
        })
    }
}

/// A document refused as evidence, with the reason the household is told.
pub struct RejectDocument {
    pub document_id: Uuid,
    pub reason: String,
}

impl TryFrom<pb::RejectDocumentRequest> for RejectDocument {
    type Error = tonic::Status;

    fn try_from(r: pb::RejectDocumentRequest) -> Result<Self, tonic::Status> {
        let mut v = FieldViolations::new();
        let document_id = v.uuid("document_id", &r.document_id);
        v.require("reason", &r.reason, "the household is told why");
        let Some(document_id) = document_id else {
            return Err(v.into_status());
        };
        v.into_result(RejectDocument {
            document_id,
            reason: r.reason.trim().to_owned(),
        })
    }
}

pub fn document(d: &DocumentRecord) -> pb::Document {
    pb::Document {
        document_id: d.id.to_string(),
        owner_kind: OwnerKind::parse(&d.owner_kind)
            .map(owner_kind_proto)
            .unwrap_or(pb::OwnerKind::Unspecified) as i32,
        owner_id: d.owner_id.clone(),
        application_id: optional_id(d.application_id),
        evidence_type: EvidenceType::parse(&d.evidence_type)
            .map(evidence_type_proto)
            .unwrap_or(pb::EvidenceType::Unspecified) as i32,
        filename: d.filename.clone(),
        content_type: d.content_type.clone(),
        size_bytes: d.size_bytes,
        sha256: d.sha256.clone(),
        status: match Status::parse(&d.status) {
            Some(Status::Pending) => pb::EvidenceStatus::Pending,
            Some(Status::Verified) => pb::EvidenceStatus::Verified,
            Some(Status::Rejected) => pb::EvidenceStatus::Rejected,
            None => pb::EvidenceStatus::Unspecified,
        } as i32,
        rejection_reason: d.rejection_reason.clone().unwrap_or_default(),
        reviewed_by: d.reviewed_by.clone().unwrap_or_default(),
        reviewed_at: d.reviewed_at.map(timestamp),
        expires_on: format_optional_date(d.expires_on),
        uploaded_by: d.uploaded_by.clone(),
        uploaded_at: Some(timestamp(d.uploaded_at)),
    }
}

pub fn checklist(c: ChecklistRecord) -> pb::Checklist {
    let complete = c.items.iter().all(|i| i.done);
    let kind = crate::domain::checklist::kind(&c.kind);
    let evidence = |code: &str| {
        kind.and_then(|k| k.items.iter().find(|i| i.code == code))
            .map_or(pb::EvidenceType::Unspecified, |i| {
                evidence_type_proto(i.evidence)
            }) as i32
    };
    pb::Checklist {
        checklist_id: c.id.to_string(),
        kind: c.kind,
        subject_id: c.subject_id,
        application_id: optional_id(c.application_id),
        complete,
        items: c
            .items
            .into_iter()
            .map(|i| pb::ChecklistItem {
                evidence_type: evidence(&i.code),
                code: i.code,
                description: i.description,
                status: if i.done {
                    pb::ChecklistItemStatus::Done
                } else {
                    pb::ChecklistItemStatus::Outstanding
                } as i32,
                document_id: optional_id(i.document_id),
            })
            .collect(),
    }
}

fn optional_id(id: Option<Uuid>) -> String {
    id.map(|a| a.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use housing_platform::errors::bad_request_fields;

    use super::*;

    fn list(r: pb::ListDocumentsRequest) -> Result<ListDocuments, tonic::Status> {
        ListDocuments::try_from(r)
    }

    #[test]
    fn a_list_of_documents_is_by_owner_or_by_application_and_a_bad_token_is_named_too() {
        let both = list(pb::ListDocumentsRequest {
            owner_kind: pb::OwnerKind::Household as i32,
            owner_id: "h-1".into(),
            application_id: Uuid::now_v7().to_string(),
            page_token: "%%".into(),
            ..Default::default()
        });
        let err = both.err().unwrap();
        assert_eq!(bad_request_fields(&err), ["application_id", "page_token"]);

        let neither = list(pb::ListDocumentsRequest::default()).err().unwrap();
        assert_eq!(bad_request_fields(&neither), ["owner_id"]);

        let owner = list(pb::ListDocumentsRequest {
            owner_id: "h-1".into(),
            ..Default::default()
        });
        assert_eq!(bad_request_fields(&owner.err().unwrap()), ["owner_kind"]);

        let id = Uuid::now_v7();
        let query = list(pb::ListDocumentsRequest {
            application_id: id.to_string(),
            page_size: 1000,
            ..Default::default()
        })
        .unwrap();
        assert!(matches!(query.filter, Filter::Application(a) if a == id));
        assert_eq!((query.after, query.limit), (None, MAX_PAGE_SIZE));
    }

    #[test]
    fn every_bad_field_of_a_rejection_is_named_at_once() {
        let rejection = RejectDocument::try_from(pb::RejectDocumentRequest::default());
        assert_eq!(
            bad_request_fields(&rejection.err().unwrap()),
            ["document_id", "reason"]
        );
    }
}
