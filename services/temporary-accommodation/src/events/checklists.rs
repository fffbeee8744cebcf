//! The household signs up when the documents service reports the sign-up checklist
//! complete: its licence, ID and benefit claim are all verified.

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_proto::documents::v1 as documents;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::app::placements::sign_up;

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "accommodation-checklists",
        "documents",
        "housing.documents.checklist.>",
        crate::IDENTITY.area,
    )
}

pub struct ChecklistCompleted;

impl Handler for ChecklistCompleted {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        let Some(done) = event.decode_if::<documents::ChecklistCompleted>()? else {
            return Ok(());
        };
        // An event from before `checklist_kind` names its kind in text.
        #[allow(deprecated)]
        let sign_up_kind = match done.checklist_kind() {
            documents::ChecklistKind::Unspecified => done.kind == "ta_sign_up",
            kind => kind == documents::ChecklistKind::TaSignUp,
        };
        if !sign_up_kind || done.owner_area != crate::IDENTITY.area {
            return Ok(());
        }
        let placement_id = Uuid::parse_str(&done.subject_id).map_err(|_| {
            HandlingError::Reject(format!("subject_id {:?} is not a UUID", done.subject_id))
        })?;
        let at = done
            .completed_at
            .and_then(|t| chrono::DateTime::from_timestamp(t.seconds, t.nanos.max(0) as u32))
            .unwrap_or(event.time);
        sign_up(conn, placement_id, &done.checklist_id, at).await?;
        Ok(())
    }
}
