//! A completed letting houses the applicant.

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_proto::nominations::v1 as nominations;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::app::applications::mark_housed;
use crate::db::returns::Letting;
use housing_platform::time::parse_date;

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "register-lettings",
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
        let application_id = Uuid::parse_str(&letting.application_id)
            .map_err(|e| HandlingError::Reject(format!("application_id: {e}")))?;
        let tenancy_start = parse_date(&letting.tenancy_start_date)
            .map_err(|e| HandlingError::Reject(format!("tenancy_start_date: {e}")))?;
        let letting = Letting {
            letting_id: letting.letting_id,
            application_id,
            council_stock: letting.council_stock,
            choice_based: letting.choice_based,
            tenancy_start,
        };
        mark_housed(conn, &letting, "system:nominations").await?;
        Ok(())
    }
}
