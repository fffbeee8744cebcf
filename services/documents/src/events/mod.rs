//! Events the documents service consumes: letters to write, checklists to open, and cases
//! that end (starting their records' retention clocks).

pub mod nominations;
pub mod placements;
pub mod register;
pub mod rent;

use std::sync::Arc;

use housing_events::HandlingError;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::app::blobs::Blobs;
use crate::app::drafts::{Person, RECIPIENT_ADDRESS};
use crate::app::letters::{self, Draft};
use crate::app::templates::Templates;
use crate::db::people;
use crate::domain::letters::Council;

/// What every consumer that writes letters needs.
#[derive(Clone)]
pub struct Writer {
    pub templates: Arc<Templates>,
    pub blobs: Blobs,
    pub council: Arc<Council>,
}

impl Writer {
    pub async fn write(
        &self,
        conn: &mut PgConnection,
        event_id: Uuid,
        draft: Result<Draft, String>,
    ) -> Result<(), HandlingError> {
        let mut draft = draft.map_err(HandlingError::Reject)?;
        for (field, value) in self.council.values() {
            draft.values.entry(field).or_insert(value);
        }
        // A household with no postal address collects its letters from the council.
        draft
            .values
            .entry(RECIPIENT_ADDRESS)
            .or_insert_with(|| self.council.care_of());
        letters::write(conn, &self.templates, &self.blobs, event_id, draft).await?;
        Ok(())
    }
}

/// The person a letter about `application_id` goes to; `name` from the event wins. Unknown
/// yet means the event that names them has not arrived: try again later.
pub async fn person(
    conn: &mut PgConnection,
    application_id: &str,
    name: &str,
) -> Result<Person, HandlingError> {
    let id = Uuid::parse_str(application_id).map_err(|_| {
        HandlingError::Reject(format!("application_id {application_id:?} is not a UUID"))
    })?;
    let known = people::find(conn, id).await?.unwrap_or_default();
    let lead_name = if name.is_empty() {
        known.lead_name
    } else {
        name.to_owned()
    };
    if lead_name.is_empty() {
        return Err(HandlingError::Retry(format!(
            "the name for application {id} is not known yet"
        )));
    }
    Ok(Person {
        lead_name,
        reference: known.reference,
        address: known.address.unwrap_or_default(),
    })
}

/// The day of an event's timestamp, or today.
pub fn day_of(at: Option<&prost_types::Timestamp>) -> chrono::NaiveDate {
    at.and_then(|t| chrono::DateTime::from_timestamp(t.seconds, 0))
        .map(housing_platform::time::council_date)
        .unwrap_or_else(housing_platform::time::today)
}
