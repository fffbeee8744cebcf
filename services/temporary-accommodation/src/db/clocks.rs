//! The B&B and s.208 clocks: what is due on a day, each notice recorded once.

use chrono::NaiveDate;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::domain::clocks::{BNB_LIMIT_DAYS, BNB_WARNING_DAYS, s208_due};
use crate::domain::unit::Unit;

/// Starts the s.208 clock for a placement in `unit` from `placed_on`, when the unit is in
/// another council's district: the notice now due, if this started one.
pub async fn start_s208(
    conn: &mut PgConnection,
    placement_id: Uuid,
    application_id: Option<Uuid>,
    unit: &Unit,
    placed_on: NaiveDate,
    home_authority: &str,
) -> Result<Option<S208>, sqlx::Error> {
    if unit.local_authority == home_authority {
        return Ok(None);
    }
    let notice = S208 {
        placement_id,
        application_id,
        receiving_authority: unit.local_authority.clone(),
        placed_on,
        due_on: s208_due(placed_on),
        sent_on: None,
    };
    let started = sqlx::query(
        "INSERT INTO s208_notifications (placement_id, receiving_authority, placed_on, due_on)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(notice.placement_id)
    .bind(&notice.receiving_authority)
    .bind(notice.placed_on)
    .bind(notice.due_on)
    .execute(conn)
    .await?
    .rows_affected();
    Ok((started == 1).then_some(notice))
}

/// An s.208 notice `n` of placement `p` still to be sent: the notice is moot once the
/// placement closes.
pub const S208_OUTSTANDING: &str = "n.sent_on IS NULL AND p.status <> 'closed'";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S208 {
    pub placement_id: Uuid,
    pub application_id: Option<Uuid>,
    pub receiving_authority: String,
    pub placed_on: NaiveDate,
    pub due_on: NaiveDate,
    pub sent_on: Option<NaiveDate>,
}

fn s208_from_row(r: &sqlx::postgres::PgRow) -> Result<S208, sqlx::Error> {
    Ok(S208 {
        placement_id: r.try_get("placement_id")?,
        application_id: r.try_get("application_id")?,
        receiving_authority: r.try_get("receiving_authority")?,
        placed_on: r.try_get("placed_on")?,
        due_on: r.try_get("due_on")?,
        sent_on: r.try_get("sent_on")?,
    })
}

pub async fn s208_for(
    conn: &mut PgConnection,
    placement_id: Uuid,
) -> Result<Vec<S208>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT n.placement_id, p.application_id, n.receiving_authority, n.placed_on, n.due_on, n.sent_on
         FROM s208_notifications n JOIN placements p ON p.id = n.placement_id
         WHERE n.placement_id = $1 ORDER BY n.placed_on",
    )
    .bind(placement_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(s208_from_row).collect()
}

/// Marks the placement's latest unsent notice sent on `on`.
pub async fn record_s208_sent(
    conn: &mut PgConnection,
    placement_id: Uuid,
    on: NaiveDate,
) -> Result<Option<S208>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE s208_notifications n SET sent_on = $2
         FROM placements p
         WHERE p.id = n.placement_id AND n.placement_id = $1 AND n.sent_on IS NULL
           AND n.placed_on = (SELECT max(placed_on) FROM s208_notifications WHERE placement_id = $1 AND sent_on IS NULL)
         RETURNING n.placement_id, p.application_id, n.receiving_authority, n.placed_on, n.due_on, n.sent_on",
    )
    .bind(placement_id)
    .bind(on)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(s208_from_row).transpose()
}

/// Unsent notices past their due date on `on` not yet reported overdue; recorded as reported.
pub async fn s208_newly_overdue(
    conn: &mut PgConnection,
    on: NaiveDate,
) -> Result<Vec<S208>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "WITH due AS (
             SELECT n.placement_id, p.application_id, n.receiving_authority, n.placed_on, n.due_on, n.sent_on
             FROM s208_notifications n JOIN placements p ON p.id = n.placement_id
             WHERE {S208_OUTSTANDING} AND n.due_on < $1),
         noted AS (
             INSERT INTO notices (subject_id, notice, about, sent_on)
             SELECT placement_id, 's208_overdue', placed_on, $1 FROM due
             ON CONFLICT DO NOTHING RETURNING subject_id, about)
         SELECT due.* FROM due JOIN noted ON noted.subject_id = due.placement_id AND noted.about = due.placed_on
         ORDER BY due.placement_id"
    ))
    .bind(on)
    .fetch_all(conn)
    .await?;
    rows.iter().map(s208_from_row).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BnbDue {
    pub placement_id: Uuid,
    pub application_id: Option<Uuid>,
    pub unit_id: Uuid,
    pub since: NaiveDate,
    pub breach: bool,
}

/// Families in B&B at the warning or the limit on `on` whose notice for that stage has not
/// gone yet; recorded as gone.
pub async fn bnb_newly_due(
    conn: &mut PgConnection,
    on: NaiveDate,
) -> Result<Vec<BnbDue>, sqlx::Error> {
    let rows = sqlx::query(
        "WITH due AS (
             SELECT p.id, p.application_id, p.unit_id, p.bnb_since,
                    ($1::date - p.bnb_since) >= $3 AS breach
             FROM placements p JOIN placement_requests r ON r.id = p.placement_request_id
             WHERE p.status <> 'closed' AND p.bnb_since <= $1::date - $2::int
               AND (r.has_children OR r.pregnant)),
         noted AS (
             INSERT INTO notices (subject_id, notice, about, sent_on)
             SELECT id, CASE WHEN breach THEN 'bnb_breach' ELSE 'bnb_warning' END, bnb_since, $1 FROM due
             ON CONFLICT DO NOTHING RETURNING subject_id, notice)
         SELECT due.* FROM due
         JOIN noted ON noted.subject_id = due.id
                   AND noted.notice = CASE WHEN due.breach THEN 'bnb_breach' ELSE 'bnb_warning' END
         ORDER BY due.id",
    )
    .bind(on)
    .bind(BNB_WARNING_DAYS as i32)
    .bind(BNB_LIMIT_DAYS as i32)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(BnbDue {
                placement_id: r.try_get("id")?,
                application_id: r.try_get("application_id")?,
                unit_id: r.try_get("unit_id")?,
                since: r.try_get("bnb_since")?,
                breach: r.try_get("breach")?,
            })
        })
        .collect()
}
