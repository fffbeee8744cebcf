//! A completed letting houses the applicant.

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_proto::nominations::v1 as nominations;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::app::applications::mark_housed;

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
        if event.ce_type != <nominations::LettingCompleted as prost::Name>::full_name() {
            return Ok(());
        }
        let letting: nominations::LettingCompleted =
            event.decode().map_err(HandlingError::Reject)?;
        let id = Uuid::parse_str(&letting.application_id)
            .map_err(|e| HandlingError::Reject(format!("application_id: {e}")))?;
        mark_housed(conn, id, &letting.letting_id, "system:nominations").await?;
        Ok(())
    }
}
