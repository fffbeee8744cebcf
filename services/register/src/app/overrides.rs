//! An officer's override of band or bedroom need: a reason is required, the decision is an
//! assessment of its own in the audit, and it stands until an officer assesses afresh.

use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::time;
use uuid::Uuid;

use super::Actor;
use super::assessing::{self, load, lock};
use crate::db::applications::ApplicationRecord;
use crate::domain::application::Status;
use crate::domain::assessment::Trigger;
use crate::domain::overrides::Overrides;
use crate::domain::scheme::{Scheme, SchemeKind};

pub async fn apply(
    pool: &Pool,
    scheme: &Scheme,
    id: Uuid,
    change: Overrides,
    reason: &str,
    actor: &Actor,
) -> Result<ApplicationRecord, AppError> {
    if let Some(band) = &change.band {
        let mut v = FieldViolations::new();
        if scheme.kind == SchemeKind::Points {
            v.add("band", "the scheme in force gives points, not bands");
        } else if !scheme.knows_band(band) {
            v.add("band", format!("unknown band {band:?}"));
        }
        if !v.is_empty() {
            return Err(AppError::Invalid(v));
        }
    }
    let mut tx = pool.begin().await?;
    let record = lock(&mut tx, id).await?;
    if !matches!(record.status, Status::Active | Status::Suspended) {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is {}; only an assessed application on the register can be overridden",
            record.reference, record.status
        )));
    }
    let overrides = Overrides {
        band: change.band.or(record.overrides.band.clone()),
        bedroom_need: change.bedroom_need.or(record.overrides.bedroom_need),
    };
    let mut assessment = assessing::fresh(scheme, &record, time::today());
    overrides.apply(&mut assessment);
    // The officer has just looked at the case: nothing waits for them.
    assessing::decide(
        &mut tx,
        scheme,
        &record,
        assessment,
        Trigger::Override,
        Some(reason),
        &overrides,
        &[],
        actor,
    )
    .await?;
    let record = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(record)
}
