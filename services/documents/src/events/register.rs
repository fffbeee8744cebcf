//! The register's news: who an application is about, letters for its decisions and
//! reviews, the application checklist, and when the application ends.

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_platform::time::today;
use housing_proto::register::v1 as register;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Writer, day_of, person};
use crate::app::{checklists, drafts};
use crate::db::{people, retention};
use crate::domain::checklist;

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "documents-register",
        "register",
        "housing.register.>",
        crate::IDENTITY.area,
    )
}

pub struct Register(pub Writer);

fn uuid(id: &str) -> Result<Uuid, HandlingError> {
    Uuid::parse_str(id)
        .map_err(|_| HandlingError::Reject(format!("application_id {id:?} is not a UUID")))
}

impl Handler for Register {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        if let Some(e) = event.decode_if::<register::ApplicationSubmitted>()? {
            let id = uuid(&e.application_id)?;
            people::remember(conn, id, &e.lead_name, &e.reference).await?;
            people::move_to(conn, id, &e.postal_address).await?;
            // Events from before the register named what is missing write no letter.
            if e.application_status() == register::ApplicationStatus::AwaitingInformation
                && !e.missing.is_empty()
            {
                let who = person(conn, &e.application_id, &e.lead_name).await?;
                let draft =
                    drafts::information_request(&e.application_id, &e.missing, &who, today());
                self.0.write(conn, event.id, draft).await?;
            }
            checklists::open(
                conn,
                checklist::REGISTER_APPLICATION,
                &e.application_id,
                Some(id),
            )
            .await?;
        } else if let Some(e) = event.decode_if::<register::ApplicationAssessed>()? {
            let id = uuid(&e.application_id)?;
            people::remember(conn, id, &e.lead_name, &e.reference).await?;
            people::move_to(conn, id, &e.postal_address).await?;
            let who = person(conn, &e.application_id, &e.lead_name).await?;
            if let Some(draft) =
                drafts::assessed(&e, &who, today()).map_err(HandlingError::Reject)?
            {
                self.0.write(conn, event.id, Ok(draft)).await?;
            }
        } else if let Some(e) = event.decode_if::<register::ApplicationSuspended>()? {
            let id = uuid(&e.application_id)?;
            people::remember(conn, id, &e.lead_name, &e.reference).await?;
            let who = person(conn, &e.application_id, &e.lead_name).await?;
            self.0
                .write(conn, event.id, drafts::suspended(&e, &who, today()))
                .await?;
        } else if let Some(e) = event.decode_if::<register::ApplicationClosed>()? {
            let id = uuid(&e.application_id)?;
            people::remember(conn, id, &e.lead_name, &e.reference).await?;
            let who = person(conn, &e.application_id, &e.lead_name).await?;
            self.0
                .write(conn, event.id, drafts::closed(&e, &who, today()))
                .await?;
            let on = day_of(e.closed_at.as_ref());
            retention::close_case(conn, "application", &e.application_id, "closed", on).await?;
        } else if let Some(e) = event.decode_if::<register::ApplicationStatusChanged>()? {
            if e.to() == register::ApplicationStatus::AwaitingInformation && !e.missing.is_empty() {
                let who = person(conn, &e.application_id, "").await?;
                let draft =
                    drafts::information_request(&e.application_id, &e.missing, &who, today());
                self.0.write(conn, event.id, draft).await?;
            }
            if e.to() == register::ApplicationStatus::Withdrawn {
                let on = day_of(e.changed_at.as_ref());
                retention::close_case(conn, "application", &e.application_id, "withdrawn", on)
                    .await?;
            }
        } else if let Some(e) = event.decode_if::<register::ApplicationHoused>()? {
            let on = day_of(e.housed_at.as_ref());
            retention::close_case(conn, "application", &e.application_id, "housed", on).await?;
        } else if let Some(e) = event.decode_if::<register::DecisionReviewDecided>()? {
            let who = person(conn, &e.application_id, &e.lead_name).await?;
            self.0
                .write(conn, event.id, drafts::review_decision(&e, &who, today()))
                .await?;
        } else if let Some(e) = event.decode_if::<register::ReviewDue>()? {
            let id = uuid(&e.application_id)?;
            people::remember(conn, id, &e.lead_name, &e.reference).await?;
            let who = person(conn, &e.application_id, &e.lead_name).await?;
            self.0
                .write(conn, event.id, drafts::review_due(&e, &who, today()))
                .await?;
        }
        Ok(())
    }
}
