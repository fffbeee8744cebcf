//! Birthdays change bedroom need (a child reaching the sharing age or the adult age). The
//! daily job re-assesses those whose need the bedroom standard now puts differently; where
//! an officer overrode the need, the override stands and the case waits for an officer.

use chrono::NaiveDate;
use housing_platform::db::Pool;
use housing_platform::errors::AppError;

use super::Actor;
use super::assessing::{self, Overriding, lock};
use crate::db::jobs;
use crate::domain::assessment::Trigger;
use crate::domain::scheme::Scheme;

/// Returns how many applications were re-assessed.
pub async fn recalculate(pool: &Pool, scheme: &Scheme, on: NaiveDate) -> Result<u64, AppError> {
    let actor = Actor::system("birthdays");
    let mut changed = 0;
    for id in jobs::birthdays(pool, on).await? {
        let mut tx = pool.begin().await?;
        let record = lock(&mut tx, id).await?;
        let need = scheme.bedroom_standard.need(&record.household, on).bedrooms;
        // Against an override, the question is whether the rules now disagree with it.
        let standing = record.overrides.bedroom_need.or(record
            .assessment
            .as_ref()
            .map(|a| a.assessment.bedroom_need));
        if standing == Some(need) {
            continue;
        }
        assessing::reassess(
            &mut tx,
            scheme,
            &record,
            Trigger::Birthday,
            Overriding::Keep,
            &actor,
            on,
        )
        .await?;
        tx.commit().await?;
        changed += 1;
    }
    Ok(changed)
}
