//! An applicant's refusal of an offer. A refused suitable final offer has consequences
//! elsewhere (the register suspends, temporary accommodation ends the duty), so it is
//! announced; deciding an offer was suitable is a senior officer's call.

use chrono::Utc;
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::time;
use housing_proto::nominations::v1 as pb;
use uuid::Uuid;

use crate::db::nominations::{self, Nomination};
use crate::db::refusals::{self, Refusal};
use crate::db::vacancies;
use crate::domain::nomination::Status;
use crate::domain::vacancy::Status as VacancyStatus;

pub struct Decision {
    pub reason: &'static str,
    pub interview_notes: String,
    pub final_offer: bool,
    pub suitable: bool,
    pub suitability_reasons: String,
}

pub async fn record(
    pool: &Pool,
    id: Uuid,
    decision: Decision,
    by: &str,
    senior: bool,
) -> Result<Nomination, AppError> {
    let mut tx = pool.begin().await?;
    let n = nominations::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("nomination", id))?;
    if !matches!(
        Status::parse(&n.status),
        Some(Status::Pending | Status::Accepted)
    ) {
        return Err(AppError::FailedPrecondition(format!(
            "nomination {id} is {}; only an offer still open can be refused",
            n.status
        )));
    }
    // The offer that ends the homelessness duty is a final offer whatever the form says.
    let final_offer = decision.final_offer || n.offer_kind == "homeless_final_offer";
    if final_offer && decision.suitable && !senior {
        return Err(AppError::PermissionDenied(
            "holding a refused final offer suitable is a senior officer's decision".into(),
        ));
    }
    let now = Utc::now();
    refusals::insert(
        &mut tx,
        &Refusal {
            nomination_id: id,
            reason: decision.reason,
            interview_notes: decision.interview_notes,
            final_offer,
            suitable: decision.suitable,
            suitability_reasons: decision.suitability_reasons,
            decided_by: by.to_owned(),
            decided_at: now,
        },
    )
    .await?;
    nominations::set_status(&mut tx, id, Status::Refused.as_str()).await?;
    // The home goes to someone else.
    vacancies::set_status(&mut tx, n.vacancy_id, VacancyStatus::Open).await?;
    let refused = pb::OfferRefused {
        nomination_id: id.to_string(),
        application_id: n.application_id.to_string(),
        #[allow(deprecated)]
        reason_category: decision.reason.to_owned(),
        reason: crate::wire::refusal_reason_proto(decision.reason) as i32,
        final_offer,
        suitable: decision.suitable,
        decided_by: by.to_owned(),
        refused_at: Some(time::timestamp(now)),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new("housing.nominations.offer.refused.v1", id, &refused),
    )
    .await?;
    let n = nominations::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("nomination", id))?;
    tx.commit().await?;
    Ok(n)
}
