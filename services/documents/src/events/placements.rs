//! A new placement needs its letter and its sign-up checklist.

use std::sync::Arc;

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_proto::accommodation::v1 as accommodation;
use sqlx::PgConnection;

use crate::app::blobs::Blobs;
use crate::app::letters::{Templates, placement_started};

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "documents-placements",
        "accommodation",
        "housing.accommodation.placement.>",
        crate::IDENTITY.area,
    )
}

pub struct Placements {
    pub templates: Arc<Templates>,
    pub blobs: Blobs,
}

impl Handler for Placements {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        if let Some(started) = event.decode_if::<accommodation::PlacementStarted>()? {
            placement_started(conn, &self.templates, &self.blobs, event.id, &started).await?;
        }
        Ok(())
    }
}
