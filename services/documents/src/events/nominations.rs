//! Nominations' news: an offer letter when an applicant is nominated, the decision on a
//! refused final offer, and a decanted household's payments.

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_platform::time::today;
use housing_proto::nominations::v1 as nominations;
use sqlx::PgConnection;

use super::{Writer, person};
use crate::app::drafts;

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "documents-nominations",
        "nominations",
        "housing.nominations.>",
        crate::IDENTITY.area,
    )
}

pub struct Nominations(pub Writer);

impl Handler for Nominations {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        if let Some(e) = event.decode_if::<nominations::NominationCreated>()? {
            let who = person(conn, &e.application_id, "").await?;
            self.0
                .write(conn, event.id, drafts::nominated(&e, &who, today()))
                .await?;
        } else if let Some(e) = event.decode_if::<nominations::DecantPaymentsApproved>()? {
            let who = person(conn, &e.application_id, "").await?;
            self.0
                .write(conn, event.id, drafts::decant_payments(&e, &who, today()))
                .await?;
        } else if let Some(e) = event.decode_if::<nominations::OfferRefused>()? {
            if !e.final_offer {
                return Ok(());
            }
            let who = person(conn, &e.application_id, "").await?;
            if let Some(draft) =
                drafts::offer_refused(&e, &who, today()).map_err(HandlingError::Reject)?
            {
                self.0.write(conn, event.id, Ok(draft)).await?;
            }
        }
        Ok(())
    }
}
