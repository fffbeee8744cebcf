//! Changes of circumstances: the household's new picture replaces the old, what changed is
//! recorded field by field, and the application is re-assessed.

use chrono::Utc;
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use uuid::Uuid;

use super::applications::Submission;
use super::assessing::{self, load, lock};
use super::{Actor, evidence};
use crate::db::applications::{self as store, ApplicationRecord};
use crate::db::changes::{self, ChangeRecord};
use crate::domain::application::Status;
use crate::domain::assessment::Trigger;
use crate::domain::changes::{Change, diff};
use crate::domain::lettings_answers::EqualityData;
use crate::domain::scheme::Scheme;

/// What follows a recorded change: an officer's is assessed at once; a register assistant's
/// waits, named on the application, for an officer to assess (seed 003).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    Assess,
    LeaveForAnOfficer,
}

pub async fn report(
    pool: &Pool,
    scheme: &Scheme,
    id: Uuid,
    now_is: Submission,
    note: &str,
    actor: &Actor,
    then: Then,
) -> Result<(ApplicationRecord, Vec<Change>), AppError> {
    let mut tx = pool.begin().await?;
    let record = lock(&mut tx, id).await?;
    if !matches!(
        record.status,
        Status::Submitted | Status::AwaitingInformation | Status::Active | Status::Suspended
    ) {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is {}; only a live application takes changes of circumstances",
            record.reference, record.status
        )));
    }
    let now_is = match actor.equality_data {
        EqualityData::Shown => now_is,
        // What the caller was never shown it sends back unanswered, not erased.
        EqualityData::Withheld => Submission {
            household: now_is.household.keeping_equality_data_of(&record.household),
            details: now_is.details.keeping_equality_data_of(&record.details),
            ..now_is
        },
    };
    let changed = changes_between(&record, &now_is);
    let missing = now_is.details.missing();
    if !missing.is_empty() && matches!(record.status, Status::Active | Status::Suspended) {
        // An assessed application keeps every answer; a change may correct one, not drop it.
        let mut v = FieldViolations::new();
        for field in missing {
            v.add(
                field,
                "required: an assessed application cannot lose this answer",
            );
        }
        return Err(AppError::Invalid(v));
    }
    if changed.is_empty() {
        return Ok((record, changed));
    }
    let now = Utc::now();
    store::update_content(&mut tx, id, &now_is.content(), now).await?;
    changes::insert(
        &mut tx,
        id,
        &ChangeRecord {
            changes: changed.clone(),
            note: note.to_owned(),
            changed_by: actor.id.clone(),
            changed_at: now,
        },
    )
    .await?;
    evidence::include_missing(&mut tx, scheme, id, &now_is.details).await?;
    let updated = load(&mut tx, id).await?;
    if then == Then::LeaveForAnOfficer {
        let mut awaiting = updated.awaiting_reassessment.clone();
        awaiting.push(format!(
            "the change of circumstances recorded on {}: {note}",
            housing_platform::time::long_date(housing_platform::time::council_date(now)),
        ));
        store::set_awaiting_reassessment(&mut tx, id, &awaiting).await?;
        let record = load(&mut tx, id).await?;
        tx.commit().await?;
        return Ok((record, changed));
    }
    assessing::follow_missing(
        &mut tx,
        scheme,
        &updated,
        Trigger::ChangeOfCircumstances,
        actor,
        now,
    )
    .await?;
    let record = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok((record, changed))
}

/// Every field that differs between the application and its new picture. Everyone who
/// reads the application reads its changes, so a change of equality data is named with its
/// values withheld.
fn changes_between(record: &ApplicationRecord, now_is: &Submission) -> Vec<Change> {
    let mut changed = diff(
        "household",
        &json(&record.household.without_equality_data()),
        &json(&now_is.household.without_equality_data()),
    );
    changed.extend(diff(
        "details",
        &json(&record.details.without_equality_data()),
        &json(&now_is.details.without_equality_data()),
    ));
    let everything = diff(
        "household",
        &json(&record.household),
        &json(&now_is.household),
    )
    .into_iter()
    .chain(diff(
        "details",
        &json(&record.details),
        &json(&now_is.details),
    ));
    let withheld: Vec<Change> = everything
        .filter(|c| !changed.iter().any(|shown| shown.field == c.field))
        .map(|c| Change {
            field: c.field,
            before: WITHHELD.to_owned(),
            after: WITHHELD.to_owned(),
        })
        .collect();
    changed.extend(withheld);
    changed.extend(diff(
        "details.area",
        &record.area.clone().into(),
        &now_is.area.clone().into(),
    ));
    changed.extend(diff(
        "details.postcode",
        &record.postcode.clone().into(),
        &now_is.postcode.clone().into(),
    ));
    changed
}

/// What a change log shows of an equality answer, before and after.
pub const WITHHELD: &str = "\"withheld (equality data)\"";

pub async fn list(pool: &Pool, id: Uuid) -> Result<Vec<ChangeRecord>, AppError> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await?;
    Ok(changes::list(&mut conn, id).await?)
}

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}
