//! A new placement needs its letter and its sign-up checklist, one out of district its s.208
//! notice to the receiving council; a closed one its closure notice, and it starts the TA
//! case's retention clock.

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_platform::time::{parse_date, today};
use housing_proto::accommodation::v1 as accommodation;
use sqlx::PgConnection;
use uuid::Uuid;

use super::Writer;
use crate::app::{checklists, drafts};
use crate::db::{people, retention};
use crate::domain::checklist;

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "documents-placements",
        "accommodation",
        "housing.accommodation.placement.>",
        crate::IDENTITY.area,
    )
}

/// The s.208 notices due on out-of-district placements and the s.213AA notices of a child's
/// placement, written by the same handler.
pub fn s208_spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "documents-placement-notices",
        "accommodation",
        "housing.accommodation.*.due.v1",
        crate::IDENTITY.area,
    )
}

pub struct Placements(pub Writer);

impl Handler for Placements {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        if let Some(started) = event.decode_if::<accommodation::PlacementStarted>()? {
            let application_id = Uuid::parse_str(&started.application_id).ok();
            let who = match application_id {
                Some(id) => {
                    people::remember(conn, id, &started.lead_name, "").await?;
                    super::person(conn, &started.application_id, &started.lead_name).await?
                }
                None => drafts::Person {
                    lead_name: started.lead_name.clone(),
                    ..Default::default()
                },
            };
            self.0
                .write(
                    conn,
                    event.id,
                    drafts::placement_started(&started, &who, today()),
                )
                .await?;
            // From the day they move in, letters reach the household at the unit.
            if let Some(id) = application_id {
                people::move_to(conn, id, &address_lines(&started.unit_address)).await?;
            }
            checklists::open(
                conn,
                checklist::TA_SIGN_UP,
                &started.placement_id,
                application_id,
            )
            .await?;
        } else if let Some(due) = event.decode_if::<accommodation::S208NotificationDue>()? {
            self.0
                .write(conn, event.id, drafts::s208_notice(&due, today()))
                .await?;
        } else if let Some(due) = event.decode_if::<accommodation::S213aaNoticesDue>()? {
            self.0
                .write(conn, event.id, drafts::s213aa_notice(&due, today()))
                .await?;
        } else if let Some(moved) = event.decode_if::<accommodation::PlacementTransferred>()? {
            if let Ok(id) = Uuid::parse_str(&moved.application_id) {
                people::move_to(conn, id, &address_lines(&moved.to_unit_address)).await?;
            }
        } else if let Some(closed) = event.decode_if::<accommodation::PlacementClosed>()? {
            // A placement known to no application has nobody to write to.
            if !closed.application_id.is_empty() {
                let who = super::person(conn, &closed.application_id, "").await?;
                self.0
                    .write(
                        conn,
                        event.id,
                        drafts::placement_closed(&closed, &who, today()),
                    )
                    .await?;
            }
            let end = parse_date(&closed.end_date)
                .unwrap_or_else(|_| super::day_of(closed.decided_at.as_ref()));
            retention::close_case(conn, "placement", &closed.placement_id, "closed", end).await?;
        }
        Ok(())
    }
}

/// A unit's address as a postal block: a line at each comma.
fn address_lines(address: &str) -> Vec<String> {
    address
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}
