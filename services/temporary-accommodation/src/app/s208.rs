//! Recording that the receiving council was notified of an out-of-district placement.

use chrono::NaiveDate;
use housing_platform::errors::{AppError, FieldViolations};
use sqlx::PgPool;
use uuid::Uuid;

use crate::db::clocks::{self, S208};
use crate::db::placements;

pub async fn record_sent(
    pool: &PgPool,
    placement_id: Uuid,
    on: NaiveDate,
) -> Result<S208, AppError> {
    let mut tx = pool.begin().await?;
    let placement = placements::find(&mut tx, placement_id)
        .await?
        .ok_or_else(|| AppError::not_found("placement", placement_id))?;
    if on < placement.start_date {
        let mut v = FieldViolations::new();
        v.add(
            "sent_on",
            format!(
                "{on} is before the placement started on {}",
                placement.start_date
            ),
        );
        return Err(AppError::Invalid(v));
    }
    let notice = clocks::record_s208_sent(&mut tx, placement_id, on)
        .await?
        .ok_or_else(|| {
            AppError::FailedPrecondition(format!(
                "placement {placement_id} has no s.208 notice outstanding"
            ))
        })?;
    tx.commit().await?;
    Ok(notice)
}
