//! Rent's news: the account details letter with its payment reference, arrears letters,
//! and the end of an account with its final balance.

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_platform::time::{parse_date, today};
use housing_proto::rent::v1 as rent;
use sqlx::PgConnection;

use super::{Writer, person};
use crate::app::drafts;
use crate::db::retention;

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "documents-rent",
        "rent",
        "housing.rent.>",
        crate::IDENTITY.area,
    )
}

pub struct Rent(pub Writer);

impl Handler for Rent {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        if let Some(e) = event.decode_if::<rent::AccountOpened>()? {
            let who = person(conn, &e.application_id, "").await?;
            self.0
                .write(conn, event.id, drafts::account_opened(&e, &who, today()))
                .await?;
        } else if let Some(e) = event.decode_if::<rent::ArrearsStageChanged>()? {
            if !matches!(
                e.to(),
                rent::ArrearsStage::FirstLetter
                    | rent::ArrearsStage::SecondLetter
                    | rent::ArrearsStage::Referral
            ) {
                return Ok(());
            }
            let who = person(conn, &e.application_id, "").await?;
            if let Some(draft) =
                drafts::arrears(&e, &who, today()).map_err(HandlingError::Reject)?
            {
                self.0.write(conn, event.id, Ok(draft)).await?;
            }
        } else if let Some(e) = event.decode_if::<rent::AccountClosed>()? {
            // An account known to no application (events from before rent named it) has
            // nobody to write to.
            if !e.application_id.is_empty() {
                let who = person(conn, &e.application_id, "").await?;
                self.0
                    .write(conn, event.id, drafts::final_balance(&e, &who, today()))
                    .await?;
            }
            let on = parse_date(&e.closed_on).unwrap_or_else(|_| today());
            retention::close_case(conn, "account", &e.account_id, "closed", on).await?;
        }
        Ok(())
    }
}
