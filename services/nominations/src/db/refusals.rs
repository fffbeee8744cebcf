use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Refusal {
    pub nomination_id: Uuid,
    pub reason: &'static str,
    pub interview_notes: String,
    pub final_offer: bool,
    pub suitable: bool,
    pub suitability_reasons: String,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut PgConnection, r: &Refusal) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO refusals (nomination_id, reason, interview_notes, final_offer, suitable,
                               suitability_reasons, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(r.nomination_id)
    .bind(r.reason)
    .bind(&r.interview_notes)
    .bind(r.final_offer)
    .bind(r.suitable)
    .bind(&r.suitability_reasons)
    .bind(&r.decided_by)
    .bind(r.decided_at)
    .execute(conn)
    .await?;
    Ok(())
}
