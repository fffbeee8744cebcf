//! A household in temporary accommodation that accepts a social letting has its main duty
//! discharged: the placement closes on the tenancy start, with no officer needed.

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_platform::time::parse_date;
use housing_proto::nominations::v1 as nominations;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::app::placements::close;
use crate::db::placements::active_for_application;
use crate::domain::placement::ClosureReason;

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "accommodation-lettings",
        "nominations",
        "housing.nominations.letting.>",
        crate::IDENTITY.area,
    )
}

pub struct LettingCompleted;

impl Handler for LettingCompleted {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        let Some(letting) = event.decode_if::<nominations::LettingCompleted>()? else {
            return Ok(());
        };
        let Ok(application_id) = Uuid::parse_str(&letting.application_id) else {
            return Err(HandlingError::Reject(format!(
                "application_id {:?} is not a UUID",
                letting.application_id
            )));
        };
        // Most lettings go to households who are not in temporary accommodation.
        let Some(placement) = active_for_application(conn, application_id).await? else {
            return Ok(());
        };
        let tenancy_start =
            parse_date(&letting.tenancy_start_date).map_err(HandlingError::Reject)?;
        let end = tenancy_start.max(placement.start_date);
        let note = format!(
            "final offer accepted: letting {} (nomination {})",
            letting.letting_id, letting.nomination_id
        );
        close(
            conn,
            placement,
            ClosureReason::DutyDischargedFinalOfferAccepted,
            end,
            &note,
            "system:nominations",
        )
        .await?;
        Ok(())
    }
}
