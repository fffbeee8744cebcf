//! Placements open and close rent accounts.

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_platform::errors::AppError;
use housing_platform::money::{MAX_AMOUNT, Pence};
use housing_platform::time::parse_date;
use housing_proto::accommodation::v1 as accommodation;
use prost::Name;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::app::accounts;
use crate::domain::charges::Schedule;

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "rent-placements",
        "accommodation",
        "housing.accommodation.placement.>",
        crate::IDENTITY.area,
    )
}

pub struct Placements;

impl Handler for Placements {
    /// A placement's start, transfer and close move its account; its other events do not.
    fn wants(&self, ce_type: &str) -> bool {
        [
            accommodation::PlacementStarted::full_name(),
            accommodation::PlacementTransferred::full_name(),
            accommodation::PlacementClosed::full_name(),
        ]
        .iter()
        .any(|wanted| wanted == ce_type)
    }

    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        let reject = HandlingError::Reject;
        if let Some(started) = event.decode_if::<accommodation::PlacementStarted>()? {
            let placement_id = uuid(&started.placement_id, "placement_id")?;
            let application_id = optional_uuid(&started.application_id, "application_id")?;
            let start = parse_date(&started.start_date).map_err(reject)?;
            let schedule = schedule(
                started.weekly_rent_pence,
                started.weekly_service_charge_pence,
            )?;
            accounts::open(conn, placement_id, application_id, schedule, start).await?;
        } else if let Some(moved) = event.decode_if::<accommodation::PlacementTransferred>()? {
            let placement_id = uuid(&moved.placement_id, "placement_id")?;
            let from = parse_date(&moved.transfer_date).map_err(reject)?;
            let schedule = schedule(moved.weekly_rent_pence, moved.weekly_service_charge_pence)?;
            let reason = format!("transfer to unit {}", moved.to_unit_id);
            match accounts::reprice(
                conn,
                placement_id,
                from,
                schedule,
                &reason,
                "system:temporary-accommodation",
            )
            .await
            {
                Err(AppError::NotFound { .. }) => {
                    return Err(HandlingError::Retry(
                        "no account yet for this placement".into(),
                    ));
                }
                other => other?,
            }
        } else if let Some(closed) = event.decode_if::<accommodation::PlacementClosed>()? {
            let placement_id = uuid(&closed.placement_id, "placement_id")?;
            let end = parse_date(&closed.end_date).map_err(reject)?;
            match accounts::close(conn, placement_id, end, "system:temporary-accommodation").await {
                // The start may still be on its way: try again shortly.
                Err(AppError::NotFound { .. }) => {
                    return Err(HandlingError::Retry(
                        "no account yet for this placement".into(),
                    ));
                }
                other => {
                    other?;
                }
            }
        }
        Ok(())
    }
}

/// The weekly charges a placement sets, each no more than any one amount may be: what an
/// account is charged is summed week after week, and must not overflow doing it.
fn schedule(rent_pence: i64, service_pence: i64) -> Result<Schedule, HandlingError> {
    let in_range = |pence: i64| (0..=MAX_AMOUNT.get()).contains(&pence);
    if !in_range(rent_pence) || !in_range(service_pence) {
        return Err(HandlingError::Reject(format!(
            "weekly charges of {rent_pence} pence rent and {service_pence} pence services are \
             out of range: each must be from 0 to {MAX_AMOUNT}"
        )));
    }
    Ok(Schedule {
        rent_pence: Pence::new(rent_pence),
        service_pence: Pence::new(service_pence),
    })
}

fn uuid(value: &str, field: &str) -> Result<Uuid, HandlingError> {
    Uuid::parse_str(value)
        .map_err(|_| HandlingError::Reject(format!("{field} {value:?} is not a UUID")))
}

fn optional_uuid(value: &str, field: &str) -> Result<Option<Uuid>, HandlingError> {
    if value.is_empty() {
        Ok(None)
    } else {
        uuid(value, field).map(Some)
    }
}
