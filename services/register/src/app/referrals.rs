//! Referrals to the medical and welfare panel, private sector housing and senior officers.
//! A panel's finding sets the fact it rules on and the application is re-assessed.

use chrono::{DateTime, Utc};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::time;
use uuid::Uuid;

use housing_events::{OutgoingEvent, outbox};

use super::Actor;
use super::assessing::{self, Overriding, load, lock};
use crate::db::applications::{self as store, ApplicationRecord, Content};
use crate::db::changes::{self, ChangeRecord};
use crate::db::referrals::{self, Panel, Referral};
use crate::domain::application::Status;
use crate::domain::assessment::Trigger;
use crate::domain::changes::Change;
use crate::domain::scheme::Scheme;
use crate::events::referrals as events;

pub async fn refer(
    pool: &Pool,
    id: Uuid,
    panel: Panel,
    question: &str,
    by: &str,
) -> Result<Referral, AppError> {
    let mut tx = pool.begin().await?;
    let record = lock(&mut tx, id).await?;
    if matches!(
        record.status,
        Status::Housed | Status::Withdrawn | Status::Cancelled | Status::Closed
    ) {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is {}; it can no longer be referred",
            record.reference, record.status
        )));
    }
    let referral = Referral {
        id: Uuid::now_v7(),
        application_id: id,
        panel,
        question: question.to_owned(),
        status: "open".into(),
        findings: None,
        referred_by: by.to_owned(),
        referred_at: Utc::now(),
        decided_by: None,
        decided_at: None,
        application_reference: record.reference.clone(),
    };
    referrals::insert(&mut tx, &referral).await?;
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new(events::OPENED, id, &events::opened(&referral)),
    )
    .await?;
    tx.commit().await?;
    Ok(referral)
}

/// Records the panel's finding; the fact it rules on follows it and a live application is
/// re-assessed.
pub async fn decide(
    pool: &Pool,
    scheme: &Scheme,
    referral_id: Uuid,
    accepted: bool,
    findings: &str,
    actor: &Actor,
) -> Result<(Referral, ApplicationRecord), AppError> {
    let mut tx = pool.begin().await?;
    let referral = referrals::find(&mut tx, referral_id)
        .await?
        .ok_or_else(|| AppError::not_found("referral", referral_id))?;
    if referral.status != "open" {
        return Err(AppError::FailedPrecondition(format!(
            "referral {referral_id} was already {}",
            referral.status
        )));
    }
    if referral.panel == Panel::SeniorOfficer && !actor.senior {
        return Err(AppError::PermissionDenied(
            "a referral to a senior officer is decided by a senior officer".into(),
        ));
    }
    let record = lock(&mut tx, referral.application_id).await?;
    let now = Utc::now();
    referrals::decide(&mut tx, referral_id, accepted, findings, &actor.id, now).await?;

    let mut details = record.details.clone();
    let (field, fact) = match referral.panel {
        Panel::MedicalWelfare => ("medical_need", &mut details.circumstances.medical_need),
        Panel::PrivateSectorHousing => (
            "unsatisfactory_conditions",
            &mut details.circumstances.unsatisfactory_conditions,
        ),
        Panel::SeniorOfficer => (
            "exceptional_circumstances",
            &mut details.circumstances.exceptional_circumstances,
        ),
    };
    let before = *fact;
    *fact = accepted;
    if before != accepted {
        let content = Content {
            household: &record.household,
            details: &details,
            area: &record.area,
            postcode: &record.postcode,
        };
        store::update_content(&mut tx, record.id, &content, now).await?;
        changes::insert(
            &mut tx,
            record.id,
            &ChangeRecord {
                changes: vec![Change {
                    field: format!("details.circumstances.{field}"),
                    before: before.to_string(),
                    after: accepted.to_string(),
                }],
                note: format!("{} referral: {findings}", referral.panel.as_str()),
                changed_by: actor.id.clone(),
                changed_at: now,
            },
        )
        .await?;
        let updated = load(&mut tx, record.id).await?;
        if matches!(updated.status, Status::Active | Status::Suspended) {
            assessing::reassess(
                &mut tx,
                scheme,
                &updated,
                Trigger::ReferralOutcome,
                Overriding::Keep,
                actor,
                time::today(),
            )
            .await?;
        }
    }
    let referral = referrals::find(&mut tx, referral_id)
        .await?
        .ok_or_else(|| AppError::not_found("referral", referral_id))?;
    if let Some(decided) = events::decided(&referral) {
        outbox::enqueue(
            &mut tx,
            &OutgoingEvent::new(events::DECIDED, referral.application_id, &decided),
        )
        .await?;
    }
    let record = load(&mut tx, record.id).await?;
    tx.commit().await?;
    Ok((referral, record))
}

pub async fn list(pool: &Pool, id: Uuid) -> Result<Vec<Referral>, AppError> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await?;
    Ok(referrals::list(&mut conn, id).await?)
}

/// The panels' queue: referrals awaiting an outcome, oldest first.
pub async fn awaiting_outcome(
    pool: &Pool,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Referral>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(referrals::open(&mut conn, after, limit).await?)
}
