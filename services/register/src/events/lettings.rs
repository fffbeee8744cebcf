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
        let Some(letting) = event.decode_if::<nominations::LettingCompleted>()? else {
            return Ok(());
        };
        let id = Uuid::parse_str(&letting.application_id)
            .map_err(|e| HandlingError::Reject(format!("application_id: {e}")))?;
        mark_housed(conn, id, &letting.letting_id, "system:nominations").await?;
        Ok(())
    }
}
