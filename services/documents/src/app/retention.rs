//! Destruction of records past their retention period, unless a legal hold keeps them, and
//! the holds themselves.

use chrono::{NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::time::timestamp;
use housing_proto::documents::v1 as pb;
use uuid::Uuid;

use super::blobs::Blobs;
use crate::db::people;
use crate::db::retention::{self as store, Candidate, Table};
use crate::domain::evidence::EvidenceType;
use crate::domain::letters::LetterKind;
use crate::domain::retention::{Class, Closure, Periods, Record, due};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub documents_destroyed: i64,
    pub letters_destroyed: i64,
    /// Past their period but kept under a legal hold.
    pub held: i64,
}

enum Outcome {
    Destroyed,
    Held,
    Gone,
}

/// Destroys every record due on `today`. Each record is its own transaction, so a run that
/// stops part way is finished by the next.
pub async fn run(
    pool: &Pool,
    blobs: &Blobs,
    periods: &Periods,
    today: NaiveDate,
) -> Result<Report, AppError> {
    let mut report = Report::default();
    let (documents, letters) = {
        let mut conn = pool.acquire().await?;
        (
            store::document_candidates(&mut conn).await?,
            store::letter_candidates(&mut conn).await?,
        )
    };
    for c in documents {
        let financial = EvidenceType::parse(&c.what).is_some_and(|t| t.is_financial());
        if let Some(class) = due_class(&c, financial, periods, today) {
            match destroy(pool, blobs, Table::Documents, &c, class).await? {
                Outcome::Destroyed => report.documents_destroyed += 1,
                Outcome::Held => report.held += 1,
                Outcome::Gone => {}
            }
        }
    }
    for c in letters {
        let financial = LetterKind::parse(&c.what).is_some_and(|k| k.is_financial());
        if let Some(class) = due_class(&c, financial, periods, today) {
            match destroy(pool, blobs, Table::Letters, &c, class).await? {
                Outcome::Destroyed => report.letters_destroyed += 1,
                Outcome::Held => report.held += 1,
                Outcome::Gone => {}
            }
        }
    }
    forget_people(pool, periods, today).await?;
    Ok(report)
}

fn due_class(c: &Candidate, financial: bool, periods: &Periods, today: NaiveDate) -> Option<Class> {
    let closed = c
        .closure
        .as_deref()
        .and_then(Closure::parse)
        .zip(c.closed_on);
    let record = Record {
        case_kind: &c.case_kind,
        financial,
        expires_on: c.expires_on,
    };
    due(record, closed, periods, today)
}

async fn destroy(
    pool: &Pool,
    blobs: &Blobs,
    table: Table,
    c: &Candidate,
    class: Class,
) -> Result<Outcome, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(application_id) = c.application_id {
        store::lock_application(&mut tx, application_id).await?;
        if store::hold(&mut tx, application_id).await?.is_some() {
            return Ok(Outcome::Held);
        }
    }
    let Some(blob_path) = store::delete_record(&mut tx, table, c.id).await? else {
        return Ok(Outcome::Gone);
    };
    let (record_type, record) = match table {
        Table::Documents => ("document", pb::RecordType::Document),
        Table::Letters => ("letter", pb::RecordType::Letter),
    };
    let at = Utc::now();
    store::log_destruction(&mut tx, c.id, record_type, class.as_str(), at).await?;
    let event = pb::RecordDestroyed {
        record_id: c.id.to_string(),
        #[allow(deprecated)]
        record_type: record_type.into(),
        record: record as i32,
        retention_class: class.as_str().into(),
        application_id: c.application_id.map(|a| a.to_string()).unwrap_or_default(),
        destroyed_at: Some(timestamp(at)),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new("housing.documents.record.destroyed.v1", c.id, &event),
    )
    .await?;
    // The bytes go before the row is committed: should the commit fail, the row is still
    // there and the next run finishes the job, so personal data is never left unlisted.
    blobs.delete(&blob_path).await?;
    tx.commit().await?;
    Ok(Outcome::Destroyed)
}

/// Drops the names kept for letters once an application's own period has run and nothing
/// about it is left.
async fn forget_people(pool: &Pool, periods: &Periods, today: NaiveDate) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    for (application_id, closure, closed_on) in store::forgettable_people(&mut conn).await? {
        let record = Record {
            case_kind: "application",
            financial: false,
            expires_on: None,
        };
        let closed = Closure::parse(&closure).map(|c| (c, closed_on));
        if due(record, closed, periods, today).is_some() {
            let mut tx = pool.begin().await?;
            store::lock_application(&mut tx, application_id).await?;
            if store::hold(&mut tx, application_id).await?.is_none() {
                people::forget(&mut tx, application_id).await?;
            }
            tx.commit().await?;
        }
    }
    Ok(())
}

pub async fn place_hold(
    pool: &Pool,
    application_id: Uuid,
    reason: &str,
    by: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    store::lock_application(&mut tx, application_id).await?;
    store::place_hold(&mut tx, application_id, reason, by).await?;
    tx.commit().await?;
    Ok(())
}

/// (reason, placed by, placed at) of the hold on the application, if any.
pub async fn hold(
    pool: &Pool,
    application_id: Uuid,
) -> Result<Option<(String, String, chrono::DateTime<chrono::Utc>)>, AppError> {
    Ok(store::hold(&mut *pool.acquire().await?, application_id).await?)
}

pub async fn release_hold(pool: &Pool, application_id: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    store::lock_application(&mut tx, application_id).await?;
    if !store::release_hold(&mut tx, application_id).await? {
        return Err(AppError::not_found("legal hold", application_id));
    }
    tx.commit().await?;
    Ok(())
}
