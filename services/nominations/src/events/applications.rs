//! An applicant housed another way no longer wants the homes they were nominated for: their
//! live nominations are withdrawn and those vacancies reopen for someone else.

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_proto::register::v1 as register;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::app::nominations::withdraw_for_housed_applicant;

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "nominations-applications",
        "register",
        "housing.register.application.>",
        crate::IDENTITY.area,
    )
}

pub struct ApplicationHoused;

impl Handler for ApplicationHoused {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        let Some(housed) = event.decode_if::<register::ApplicationHoused>()? else {
            return Ok(());
        };
        let application_id = Uuid::parse_str(&housed.application_id).map_err(|_| {
            HandlingError::Reject(format!(
                "application_id {:?} is not a UUID",
                housed.application_id
            ))
        })?;
        withdraw_for_housed_applicant(conn, application_id).await?;
        Ok(())
    }
}
