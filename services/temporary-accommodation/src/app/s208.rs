//! Section 208: a household placed in another council's district is notified to that
//! council within 14 days. The clock starts with the placement or transfer, which announces
//! everything the notice must state; the documents service writes the notice, and an officer
//! records when it was sent.

use chrono::NaiveDate;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::time::format_date;
use housing_proto::accommodation::v1 as pb;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::clocks::{self, S208};
use crate::db::placements::{self, PlacementRecord, PlacementRequestRecord};
use crate::domain::unit::Unit;
use crate::wire::duty_proto;

/// Starts the s.208 clock when `unit` is out of district, and announces the notice due:
/// the notice, if this started one.
pub async fn start(
    conn: &mut PgConnection,
    placement: &PlacementRecord,
    request: &PlacementRequestRecord,
    unit: &Unit,
    placed_on: NaiveDate,
    home_authority: &str,
) -> Result<Option<S208>, AppError> {
    let Some(notice) = clocks::start_s208(
        conn,
        placement.id,
        placement.application_id,
        unit,
        placed_on,
        home_authority,
    )
    .await?
    else {
        return Ok(None);
    };
    let due = pb::S208NotificationDue {
        placement_id: placement.id.to_string(),
        placement_reference: placement.reference.clone(),
        application_id: request
            .application_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        receiving_authority: unit.local_authority.clone(),
        placing_authority: home_authority.to_owned(),
        lead_name: request.lead_name.clone(),
        household_size: i32::try_from(request.need.household_size).unwrap_or(i32::MAX),
        has_children: request.need.has_children,
        pregnant: request.need.pregnant,
        address: unit.address.clone(),
        placed_on: format_date(placed_on),
        duty: duty_proto(request.duty) as i32,
        due_on: format_date(notice.due_on),
    };
    outbox::enqueue(
        conn,
        &OutgoingEvent::new("housing.accommodation.s208.due.v1", placement.id, &due),
    )
    .await?;
    Ok(Some(notice))
}

pub async fn record_sent(pool: &Pool, placement_id: Uuid, on: NaiveDate) -> Result<S208, AppError> {
    let mut tx = pool.begin().await?;
    let placement = placements::find(&mut tx, placement_id)
        .await?
        .ok_or_else(|| AppError::not_found("placement", placement_id))?;
    if on < placement.start_date {
        let mut v = FieldViolations::new();
        v.add(
            "sent_on",
            format!(
                "{on} is before the placement started on {}",
                placement.start_date
            ),
        );
        return Err(AppError::Invalid(v));
    }
    let notice = clocks::record_s208_sent(&mut tx, placement_id, on)
        .await?
        .ok_or_else(|| {
            AppError::FailedPrecondition(format!(
                "placement {placement_id} has no s.208 notice outstanding"
            ))
        })?;
    tx.commit().await?;
    Ok(notice)
}
