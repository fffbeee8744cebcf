//! The s.213AA notifications of a child's placement: the clock, the parent's consent and
//! the notices.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::stock::{enum_name, parse_enum};
use crate::domain::clocks::s213aa_due;
use crate::domain::placement::S213aaConsent;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S213aa {
    pub placement_id: Uuid,
    pub application_id: Option<Uuid>,
    pub placed_on: NaiveDate,
    pub due_on: NaiveDate,
    pub consent: S213aaConsent,
    pub school: String,
    pub gp_practice: String,
    pub health_visiting_service: String,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<DateTime<Utc>>,
    pub notified_on: Option<NaiveDate>,
}

/// Starts the clock for a placement of a household with a child: the notifications now
/// pending, if this started them.
pub async fn start(
    conn: &mut PgConnection,
    placement_id: Uuid,
    application_id: Option<Uuid>,
    placed_on: NaiveDate,
) -> Result<Option<S213aa>, sqlx::Error> {
    let pending = S213aa {
        placement_id,
        application_id,
        placed_on,
        due_on: s213aa_due(placed_on),
        consent: S213aaConsent::Pending,
        school: String::new(),
        gp_practice: String::new(),
        health_visiting_service: String::new(),
        recorded_by: None,
        recorded_at: None,
        notified_on: None,
    };
    let started = sqlx::query(
        "INSERT INTO s213aa_notifications (placement_id, placed_on, due_on) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(pending.placement_id)
    .bind(pending.placed_on)
    .bind(pending.due_on)
    .execute(conn)
    .await?
    .rows_affected();
    Ok((started == 1).then_some(pending))
}

const COLUMNS: &str = "n.placement_id, p.application_id, n.placed_on, n.due_on, n.consent::text AS consent,
    n.school, n.gp_practice, n.health_visiting_service, n.recorded_by, n.recorded_at, n.notified_on";

fn from_row(r: &sqlx::postgres::PgRow) -> Result<S213aa, sqlx::Error> {
    Ok(S213aa {
        placement_id: r.try_get("placement_id")?,
        application_id: r.try_get("application_id")?,
        placed_on: r.try_get("placed_on")?,
        due_on: r.try_get("due_on")?,
        consent: parse_enum(r.try_get("consent")?)?,
        school: r.try_get("school")?,
        gp_practice: r.try_get("gp_practice")?,
        health_visiting_service: r.try_get("health_visiting_service")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
        notified_on: r.try_get("notified_on")?,
    })
}

/// The placement's notifications, locked for recording consent.
pub async fn find(
    conn: &mut PgConnection,
    placement_id: Uuid,
) -> Result<Option<S213aa>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM s213aa_notifications n JOIN placements p ON p.id = n.placement_id
         WHERE n.placement_id = $1 FOR UPDATE OF n"
    ))
    .bind(placement_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn record(conn: &mut PgConnection, n: &S213aa) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE s213aa_notifications
         SET consent = $2::text::s213aa_consent, school = $3, gp_practice = $4,
             health_visiting_service = $5, recorded_by = $6, recorded_at = $7, notified_on = $8
         WHERE placement_id = $1",
    )
    .bind(n.placement_id)
    .bind(enum_name(&n.consent))
    .bind(&n.school)
    .bind(&n.gp_practice)
    .bind(&n.health_visiting_service)
    .bind(&n.recorded_by)
    .bind(n.recorded_at)
    .bind(n.notified_on)
    .execute(conn)
    .await?;
    Ok(())
}

/// Notifications still waiting for consent after their due day, on placements still
/// running, that have not been announced as overdue before; each is noted as announced.
pub async fn newly_overdue(
    conn: &mut PgConnection,
    on: NaiveDate,
) -> Result<Vec<S213aa>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "WITH due AS (
             SELECT {COLUMNS}
             FROM s213aa_notifications n JOIN placements p ON p.id = n.placement_id
             WHERE n.consent = 'pending' AND n.due_on < $1 AND p.status <> 'closed'),
         noted AS (
             INSERT INTO notices (subject_id, notice, about, sent_on)
             SELECT placement_id, 's213aa_overdue', placed_on, $1 FROM due
             ON CONFLICT DO NOTHING RETURNING subject_id)
         SELECT due.* FROM due JOIN noted ON noted.subject_id = due.placement_id
         ORDER BY due.placement_id"
    ))
    .bind(on)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}
