//! A new placement needs its letter and its sign-up checklist.

use std::sync::Arc;

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_proto::accommodation::v1 as accommodation;
use prost::Name;
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
        if event.ce_type == accommodation::PlacementStarted::full_name() {
            let started: accommodation::PlacementStarted =
                event.decode().map_err(HandlingError::Reject)?;
            placement_started(conn, &self.templates, &self.blobs, event.id, &started).await?;
        }
        Ok(())
    }
}
