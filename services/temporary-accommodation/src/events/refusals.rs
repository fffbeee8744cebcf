//! A household that refuses a suitable final offer has the housing duty ended (s.193(7)):
//! the placement is given notice and the daily sweep closes it when the notice runs out.
//! Other refusals leave the duty, and the placement, as they are.

use chrono::{DateTime, Days, Utc};
use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_platform::time::{format_date, today};
use housing_proto::nominations::v1 as nominations;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::placements::{self as store, active_for_application};

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "accommodation-refusals",
        "nominations",
        "housing.nominations.offer.>",
        crate::IDENTITY.area,
    )
}

pub struct OfferRefused {
    pub notice_days: u32,
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
        if !(refusal.final_offer && refusal.suitable) {
            return Ok(());
        }
        let Ok(application_id) = Uuid::parse_str(&refusal.application_id) else {
            return Err(HandlingError::Reject(format!(
                "application_id {:?} is not a UUID",
                refusal.application_id
            )));
        };
        let Some(placement) = active_for_application(conn, application_id).await? else {
            return Ok(());
        };
        // A redelivered event counts the notice from the refusal, not from its delivery.
        let refused_on = refusal
            .refused_at
            .and_then(|t| DateTime::<Utc>::from_timestamp(t.seconds, t.nanos.max(0) as u32))
            .map_or_else(today, housing_platform::time::council_date);
        let ends_on = refused_on + Days::new(self.notice_days.into());
        if placement.duty_ends_on.is_some_and(|d| d <= ends_on) {
            return Ok(());
        }
        store::set_duty_end(conn, placement.id, ends_on).await?;
        store::record_decision(
            conn,
            placement.id,
            "duty_ended",
            &format!(
                "suitable final offer refused on {} (nomination {}, {}); \
                 the accommodation ends on {}",
                format_date(refused_on),
                refusal.nomination_id,
                refusal.reason_in_words(),
                format_date(ends_on)
            ),
            serde_json::json!({
                "nomination_id": refusal.nomination_id,
                "decided_by": refusal.decided_by,
                "notice_days": self.notice_days,
            }),
            "system:nominations",
            Utc::now(),
        )
        .await?;
        Ok(())
    }
}
