//! Checklists: opened when a step begins, ticked by verified evidence (including evidence
//! verified before the step began), and announced to the owning service when complete.

use chrono::Utc;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::errors::AppError;
use housing_platform::time::timestamp;
use housing_proto::documents::v1 as pb;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::checklists as store;
use crate::db::documents::{self as documents, DocumentRecord};
use crate::domain::checklist::{self, Kind};
use crate::domain::evidence::EvidenceType;

/// The owner a checklist's subject is, for matching evidence.
fn subject_owner(kind: &Kind) -> &'static str {
    if kind.name == checklist::TA_SIGN_UP.name {
        "placement"
    } else {
        "application"
    }
}

/// Serialises opening checklists and verifying evidence for one application: otherwise a
/// checklist opened while its evidence is being verified could see neither the other's
/// work and keep an item outstanding for ever.
async fn serialise(conn: &mut PgConnection, application_id: Option<Uuid>) -> Result<(), AppError> {
    if let Some(id) = application_id {
        sqlx::query(
            "SELECT pg_advisory_xact_lock(hashtextextended('documents-checklist/' || $1::text, 0))",
        )
        .bind(id)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Opens the checklist (once per subject), ticks what verified evidence already meets, and
/// announces it; complete at once if nothing is outstanding.
pub async fn open(
    conn: &mut PgConnection,
    kind: Kind,
    subject_id: &str,
    application_id: Option<Uuid>,
) -> Result<(), AppError> {
    serialise(conn, application_id).await?;
    let items: Vec<(&str, &str)> = kind.items.iter().map(|i| (i.code, i.description)).collect();
    let Some(id) = store::open(conn, kind.name, subject_id, application_id, &items).await? else {
        return Ok(());
    };
    let mut outstanding = Vec::new();
    for item in kind.items {
        let met = documents::verified(
            conn,
            item.evidence.as_str(),
            (subject_owner(&kind), subject_id),
            application_id,
        )
        .await?;
        match met {
            Some(document_id) => {
                store::tick(conn, id, item.code, document_id).await?;
            }
            None => outstanding.push(item.code.to_string()),
        }
    }
    let event = pb::ChecklistOpened {
        checklist_id: id.to_string(),
        #[allow(deprecated)]
        kind: kind.name.into(),
        subject_id: subject_id.into(),
        outstanding,
        checklist_kind: kind_proto(&kind) as i32,
    };
    outbox::enqueue(
        conn,
        &OutgoingEvent::new("housing.documents.checklist.opened.v1", id, &event),
    )
    .await?;
    complete_if_done(conn, id, &kind, subject_id, application_id).await
}

/// Ticks every open checklist item the newly verified `document` meets.
pub async fn evidence_verified(
    conn: &mut PgConnection,
    document: &DocumentRecord,
    evidence: EvidenceType,
) -> Result<(), AppError> {
    serialise(conn, document.application_id).await?;
    let candidates = store::incomplete_for(
        conn,
        (&document.owner_kind, &document.owner_id),
        document.application_id,
    )
    .await?;
    for (id, kind_name, subject_id, application_id) in candidates {
        let Some(kind) = checklist::kind(&kind_name) else {
            continue;
        };
        let mut ticked = false;
        for item in checklist::met_by(&kind, evidence) {
            ticked |= store::tick(conn, id, item.code, document.id).await?;
        }
        if ticked {
            complete_if_done(conn, id, &kind, &subject_id, application_id).await?;
        }
    }
    Ok(())
}

async fn complete_if_done(
    conn: &mut PgConnection,
    id: Uuid,
    kind: &Kind,
    subject_id: &str,
    application_id: Option<Uuid>,
) -> Result<(), AppError> {
    let at = Utc::now();
    if !store::complete(conn, id, at).await? {
        return Ok(());
    }
    let event = pb::ChecklistCompleted {
        checklist_id: id.to_string(),
        #[allow(deprecated)]
        kind: kind.name.into(),
        checklist_kind: kind_proto(kind) as i32,
        subject_id: subject_id.into(),
        application_id: application_id.map(|a| a.to_string()).unwrap_or_default(),
        owner_area: kind.owner_area.into(),
        completed_at: Some(timestamp(at)),
    };
    outbox::enqueue(
        conn,
        &OutgoingEvent::new("housing.documents.checklist.completed.v1", id, &event),
    )
    .await?;
    Ok(())
}

/// A checklist's kind on the wire.
fn kind_proto(kind: &Kind) -> pb::ChecklistKind {
    if kind.name == checklist::TA_SIGN_UP.name {
        pb::ChecklistKind::TaSignUp
    } else if kind.name == checklist::REGISTER_APPLICATION.name {
        pb::ChecklistKind::RegisterApplication
    } else {
        pb::ChecklistKind::Unspecified
    }
}
