use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    MedicalWelfare,
    PrivateSectorHousing,
    SeniorOfficer,
}

impl Panel {
    pub fn as_str(self) -> &'static str {
        match self {
            Panel::MedicalWelfare => "medical_welfare",
            Panel::PrivateSectorHousing => "private_sector_housing",
            Panel::SeniorOfficer => "senior_officer",
        }
    }

    fn parse(s: &str) -> Result<Self, sqlx::Error> {
        [
            Panel::MedicalWelfare,
            Panel::PrivateSectorHousing,
            Panel::SeniorOfficer,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown panel {s}").into()))
    }
}

#[derive(Debug, Clone)]
pub struct Referral {
    pub id: Uuid,
    pub application_id: Uuid,
    pub panel: Panel,
    pub question: String,
    pub status: String,
    pub findings: Option<String>,
    pub referred_by: String,
    pub referred_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The application's own reference, which lists across the register show.
    pub application_reference: String,
}

pub async fn insert(conn: &mut PgConnection, r: &Referral) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO referrals (id, application_id, panel, question, status, referred_by, referred_at)
         VALUES ($1, $2, $3, $4, 'open', $5, $6)",
    )
    .bind(r.id)
    .bind(r.application_id)
    .bind(r.panel.as_str())
    .bind(&r.question)
    .bind(&r.referred_by)
    .bind(r.referred_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn decide(
    conn: &mut PgConnection,
    id: Uuid,
    accepted: bool,
    findings: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE referrals SET status = $2, findings = $3, decided_by = $4, decided_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(if accepted { "accepted" } else { "declined" })
    .bind(findings)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

const COLUMNS: &str = "id, application_id, panel, question, status, findings, referred_by, referred_at, decided_by, decided_at,
     (SELECT reference FROM applications a WHERE a.id = referrals.application_id) AS application_reference";

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Referral>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM referrals WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .map(|row| referral(&row))
    .transpose()
}

pub async fn list(
    conn: &mut PgConnection,
    application: Uuid,
) -> Result<Vec<Referral>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM referrals WHERE application_id = $1 ORDER BY referred_at"
    ))
    .bind(application)
    .fetch_all(conn)
    .await?
    .iter()
    .map(referral)
    .collect()
}

/// Referrals awaiting an outcome across the register, oldest first, after `after`.
pub async fn open(
    conn: &mut PgConnection,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Referral>, sqlx::Error> {
    let (at, id) = after.unzip();
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM referrals
         WHERE status = 'open' AND ($1::timestamptz IS NULL OR (referred_at, id) > ($1, $2))
         ORDER BY referred_at, id LIMIT $3"
    ))
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?
    .iter()
    .map(referral)
    .collect()
}

fn referral(row: &PgRow) -> Result<Referral, sqlx::Error> {
    Ok(Referral {
        id: row.try_get("id")?,
        application_id: row.try_get("application_id")?,
        panel: Panel::parse(row.try_get("panel")?)?,
        question: row.try_get("question")?,
        status: row.try_get("status")?,
        findings: row.try_get("findings")?,
        referred_by: row.try_get("referred_by")?,
        referred_at: row.try_get("referred_at")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: row.try_get("decided_at")?,
        application_reference: row.try_get("application_reference")?,
    })
}
