//! Moving a household to another unit under the same placement: one history of stays, the
//! B&B clock carried across a move between B&Bs, and the rent service told the new charge.

use chrono::{NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::{idempotency, time};
use housing_proto::accommodation::v1 as pb;
use uuid::Uuid;

use super::placements::{RANKED_AGAINST_WITHIN, choose_unit};
use super::vacancies::Vacancies;
use crate::app::s208;
use crate::db::placements::{self as store, PlacementRecord};
use crate::domain::placement::PlacementStatus;
use crate::domain::unit::UnitType;

pub struct Transfer<'a> {
    pub request_id: &'a str,
    pub placement_id: Uuid,
    pub unit_id: Uuid,
    pub transfer_date: NaiveDate,
    pub reason: &'a str,
    pub officer: &'a str,
    pub home_authority: &'a str,
    pub vacancies: &'a Vacancies,
}

pub async fn transfer(pool: &Pool, t: Transfer<'_>) -> Result<PlacementRecord, AppError> {
    let stock = t.vacancies.within(pool, RANKED_AGAINST_WITHIN).await?;
    let mut tx = pool.begin().await?;
    if idempotency::replay::<String>(&mut tx, "accommodation.TransferPlacement", t.request_id)
        .await?
        .is_some()
    {
        return store::find(&mut tx, t.placement_id)
            .await?
            .ok_or_else(|| AppError::not_found("placement", t.placement_id));
    }
    let mut placement = store::find(&mut tx, t.placement_id)
        .await?
        .ok_or_else(|| AppError::not_found("placement", t.placement_id))?;
    if placement.status != PlacementStatus::Active {
        return Err(AppError::FailedPrecondition(format!(
            "placement {} is {}; only a signed-up, active placement is transferred",
            placement.id,
            crate::db::stock::enum_name(&placement.status)
        )));
    }
    let stays = store::stays(&mut tx, placement.id).await?;
    let current = stays.last().expect("a placement has a stay");
    let mut v = FieldViolations::new();
    if t.transfer_date <= current.from_date {
        v.add(
            "transfer_date",
            format!(
                "{} is not after the household moved into its unit on {}",
                t.transfer_date, current.from_date
            ),
        );
    }
    if t.unit_id == placement.unit_id {
        v.add("unit_id", "the household is already in this unit");
    }
    if !v.is_empty() {
        return Err(AppError::Invalid(v));
    }
    let request = store::find_request(&mut tx, placement.placement_request_id)
        .await?
        .ok_or_else(|| AppError::not_found("placement request", placement.placement_request_id))?;
    let choice = choose_unit(
        &mut tx,
        &request.need,
        t.unit_id,
        t.transfer_date,
        t.home_authority,
        &stock,
    )
    .await?;
    let unit = choice.unit;
    let from_unit = placement.unit_id;
    placement.unit_id = unit.id;
    placement.weekly_rent_pence = unit.weekly_rent_pence;
    placement.weekly_service_charge_pence = unit.weekly_service_charge_pence;
    // Six weeks in B&B are six weeks however many B&Bs they were spent in.
    placement.bnb_since = match (unit.unit_type, placement.bnb_since) {
        (UnitType::BedAndBreakfast, Some(since)) => Some(since),
        (UnitType::BedAndBreakfast, None) => Some(t.transfer_date),
        _ => None,
    };
    store::transfer(&mut tx, &placement, t.transfer_date).await?;
    s208::start(
        &mut tx,
        &placement,
        &request,
        &unit,
        t.transfer_date,
        t.home_authority,
    )
    .await?;
    let now = Utc::now();
    let detail = serde_json::json!({
        "from_unit_id": from_unit,
        "to_unit_id": unit.id,
        "transfer_date": t.transfer_date,
        "choice": choice.detail,
    });
    store::record_decision(
        &mut tx,
        placement.id,
        "transferred",
        t.reason,
        detail,
        t.officer,
        now,
    )
    .await?;
    let event = pb::PlacementTransferred {
        placement_id: placement.id.to_string(),
        application_id: placement
            .application_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        from_unit_id: from_unit.to_string(),
        to_unit_id: unit.id.to_string(),
        to_unit_address: unit.address.clone(),
        transfer_date: time::format_date(t.transfer_date),
        weekly_rent_pence: unit.weekly_rent_pence,
        weekly_service_charge_pence: unit.weekly_service_charge_pence,
        decided_by: t.officer.to_owned(),
        decided_at: Some(time::timestamp(now)),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new(
            "housing.accommodation.placement.transferred.v1",
            placement.id,
            &event,
        ),
    )
    .await?;
    idempotency::record(
        &mut tx,
        "accommodation.TransferPlacement",
        t.request_id,
        &placement.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(placement)
}
