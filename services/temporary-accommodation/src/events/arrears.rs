//! A rent account referred for arrears opens a review of whether its placement should end,
//! for an officer to decide. A former tenant's referral is debt recovery: there is no
//! placement left to review.

use chrono::{DateTime, Utc};
use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_platform::time::council_date;
use housing_proto::rent::v1 as rent;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::app::closure_reviews::{self, Referral};

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "accommodation-arrears",
        "rent",
        "housing.rent.arrears.>",
        crate::IDENTITY.area,
    )
}

pub struct ArrearsReferred;

fn uuid(field: &str, value: &str) -> Result<Uuid, HandlingError> {
    Uuid::parse_str(value)
        .map_err(|_| HandlingError::Reject(format!("{field} {value:?} is not a UUID")))
}

impl Handler for ArrearsReferred {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        let Some(changed) = event.decode_if::<rent::ArrearsStageChanged>()? else {
            return Ok(());
        };
        if changed.to() != rent::ArrearsStage::Referral || changed.former_tenant {
            return Ok(());
        }
        // The referral's own time, so a redelivery opens the review on the day it was made.
        let at: DateTime<Utc> = event.time;
        let referral = Referral {
            placement_id: uuid("placement_id", &changed.placement_id)?,
            rent_account_id: uuid("account_id", &changed.account_id)?,
            balance_pence: changed.balance_pence,
            weeks_in_arrears: changed.weeks_in_arrears,
            referred_at: at,
            referred_on: council_date(at),
        };
        closure_reviews::open(conn, &referral).await?;
        Ok(())
    }
}
