//! A refused suitable final offer suspends the applicant for the scheme's period.

use std::sync::Arc;

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_proto::nominations::v1 as nominations;
use sqlx::PgConnection;

use crate::app::suspensions;
use crate::domain::scheme::Scheme;

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "register-offers",
        "nominations",
        "housing.nominations.offer.>",
        crate::IDENTITY.area,
    )
}

pub struct OfferRefused {
    pub scheme: Arc<Scheme>,
}

impl Handler for OfferRefused {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        let Some(refusal) = event.decode_if::<nominations::OfferRefused>()? else {
            return Ok(());
        };
        suspensions::on_offer_refused(
            conn,
            &self.scheme,
            &refusal,
            housing_platform::time::today(),
        )
        .await?;
        Ok(())
    }
}
