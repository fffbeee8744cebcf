//! Section 213AA (Children's Wellbeing and Schools Act 2026, s.11): when a household with a
//! child is placed, the council asks the parent whether it may tell the child's school, GP
//! practice and health visiting service, and with consent sends them notice, within 14 days.
//! The clock starts with the placement; the daily sweep announces those still unanswered on
//! day 15; the documents service writes the notices.

use chrono::Utc;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::time::{self, format_date};
use housing_proto::accommodation::v1 as pb;
use uuid::Uuid;

use crate::db::s213aa::{self as store, S213aa};
use crate::db::{placements, stock};
use crate::domain::placement::{PlacementStatus, S213aaConsent};

/// The parent's answer, and who is to be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub placement_id: Uuid,
    pub given: bool,
    pub school: String,
    pub gp_practice: String,
    pub health_visiting_service: String,
}

/// Records the parent's answer once; with consent, announces the notices for the documents
/// service to write. The same answer again (a retry) changes nothing; a different one is
/// refused, as the notices may have gone.
pub async fn record_consent(
    pool: &Pool,
    c: &Consent,
    officer: &str,
    placing_authority: &str,
) -> Result<S213aa, AppError> {
    let mut tx = pool.begin().await?;
    let placement = placements::find(&mut tx, c.placement_id)
        .await?
        .ok_or_else(|| AppError::not_found("placement", c.placement_id))?;
    let mut n = store::find(&mut tx, c.placement_id).await?.ok_or_else(|| {
        AppError::FailedPrecondition(format!(
            "placement {} is not of a household with a child: s.213AA does not apply",
            c.placement_id
        ))
    })?;
    let answer = if c.given {
        S213aaConsent::Given
    } else {
        S213aaConsent::Refused
    };
    if n.consent != S213aaConsent::Pending {
        if n.consent == answer
            && (!c.given
                || (n.school == c.school
                    && n.gp_practice == c.gp_practice
                    && n.health_visiting_service == c.health_visiting_service))
        {
            return Ok(n);
        }
        return Err(AppError::FailedPrecondition(format!(
            "the parent's answer for placement {} was recorded on {}",
            c.placement_id,
            n.recorded_at
                .map(|at| format_date(time::council_date(at)))
                .unwrap_or_default()
        )));
    }
    if placement.status == PlacementStatus::Closed {
        let mut v = FieldViolations::new();
        v.add("placement_id", "the placement has closed");
        return Err(AppError::Invalid(v));
    }
    let now = Utc::now();
    n.consent = answer;
    n.recorded_by = Some(officer.to_owned());
    n.recorded_at = Some(now);
    if c.given {
        n.school = c.school.clone();
        n.gp_practice = c.gp_practice.clone();
        n.health_visiting_service = c.health_visiting_service.clone();
        n.notified_on = Some(time::council_date(now));
        let request = placements::find_request(&mut tx, placement.placement_request_id)
            .await?
            .ok_or_else(|| {
                AppError::not_found("placement request", placement.placement_request_id)
            })?;
        let unit = stock::find_unit(&mut tx, placement.unit_id)
            .await?
            .ok_or_else(|| AppError::not_found("unit", placement.unit_id))?;
        let due = pb::S213aaNoticesDue {
            placement_id: placement.id.to_string(),
            placement_reference: placement.reference.clone(),
            application_id: placement
                .application_id
                .map(|a| a.to_string())
                .unwrap_or_default(),
            lead_name: request.lead_name,
            address: unit.address,
            placed_on: format_date(n.placed_on),
            placing_authority: placing_authority.to_owned(),
            school: n.school.clone(),
            gp_practice: n.gp_practice.clone(),
            health_visiting_service: n.health_visiting_service.clone(),
        };
        outbox::enqueue(
            &mut tx,
            &OutgoingEvent::new("housing.accommodation.s213aa.due.v1", placement.id, &due),
        )
        .await?;
    }
    store::record(&mut tx, &n).await?;
    tx.commit().await?;
    Ok(n)
}
