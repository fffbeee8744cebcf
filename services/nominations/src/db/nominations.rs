use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::domain::core_log;
use crate::domain::household::Household;
use crate::domain::nomination::Status;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Nomination {
    pub id: Uuid,
    pub vacancy_id: Uuid,
    pub partner_id: Uuid,
    pub application_id: Uuid,
    pub application_reference: String,
    pub band: String,
    pub status: String,
    pub respond_by: NaiveDate,
    pub rejection_reason: Option<String>,
    pub nominated_by: String,
    pub nominated_at: DateTime<Utc>,
    pub homeless: bool,
    /// nomination, homeless_final_offer, decant or urgent.
    pub offer_kind: String,
    pub mobility_scheme_id: Option<Uuid>,
    /// Overcrowded where they live (s.166A(3)(c)) when nominated.
    pub overcrowded: bool,
    /// Bedrooms in the home they live in now, when the register knows.
    pub current_bedrooms: Option<i32>,
    pub offered_on: Option<NaiveDate>,
    pub viewed_on: Option<NaiveDate>,
    pub viewing_notes: Option<String>,
    /// What the partner is told, as the register held it when nominated.
    pub household: Option<Json<Household>>,
    /// A council or housing association tenant when nominated; unknown for older ones.
    pub social_tenant: Option<bool>,
}

const COLUMNS: &str =
    "id, vacancy_id, partner_id, application_id, application_reference, band, status, respond_by,
    rejection_reason, nominated_by, nominated_at, homeless, offer_kind, mobility_scheme_id, overcrowded,
    current_bedrooms, offered_on, viewed_on, viewing_notes, household, social_tenant";

pub async fn insert(conn: &mut PgConnection, n: &Nomination) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO nominations ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
    ))
    .bind(n.id)
    .bind(n.vacancy_id)
    .bind(n.partner_id)
    .bind(n.application_id)
    .bind(&n.application_reference)
    .bind(&n.band)
    .bind(&n.status)
    .bind(n.respond_by)
    .bind(&n.rejection_reason)
    .bind(&n.nominated_by)
    .bind(n.nominated_at)
    .bind(n.homeless)
    .bind(&n.offer_kind)
    .bind(n.mobility_scheme_id)
    .bind(n.overcrowded)
    .bind(n.current_bedrooms)
    .bind(n.offered_on)
    .bind(n.viewed_on)
    .bind(&n.viewing_notes)
    .bind(&n.household)
    .bind(n.social_tenant)
    .execute(conn)
    .await?;
    Ok(())
}

/// The household part of CORE's log, as the register held it when nominated. Kept apart
/// from the nomination, which every partner call reads: it holds equality data that only the
/// log's export reads.
pub async fn keep_core_household(
    conn: &mut PgConnection,
    id: Uuid,
    household: &core_log::household::Household,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE nominations SET core_household = $2 WHERE id = $1")
        .bind(id)
        .bind(Json(household))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Nomination>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM nominations WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn respond(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE nominations SET status = $2, rejection_reason = $3, responded_at = now() WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(reason)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE nominations SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status)
        .execute(conn)
        .await?;
    Ok(())
}

/// A partner's nominations, oldest first, after the keyset `after` (nominated_at, id).
pub async fn for_partner(
    conn: &mut PgConnection,
    partner_id: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Nomination>, sqlx::Error> {
    let (at, id) = after.unzip();
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM nominations
         WHERE partner_id = $1 AND ($2::timestamptz IS NULL OR (nominated_at, id) > ($2, $3))
         ORDER BY nominated_at, id LIMIT $4"
    ))
    .bind(partner_id)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Which nominations a list holds; `None` is any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<Status>,
    pub vacancy_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    /// Still awaiting the partner's answer after respond_by (true), or not (false), on `on`.
    pub overdue: Option<bool>,
}

/// Nominations in `filter` (overdue as of `on`) after the keyset `after` (nominated_at,
/// id), the first nominated first; at most `limit`.
pub async fn list(
    conn: &mut PgConnection,
    filter: &Filter,
    on: NaiveDate,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Nomination>, sqlx::Error> {
    // Only the conditions asked for are written, so that each prepared statement keeps to
    // the index for its filter (see the staff lists migration).
    let mut q =
        QueryBuilder::<Postgres>::new(format!("SELECT {COLUMNS} FROM nominations WHERE true"));
    if let Some(status) = filter.status {
        q.push(" AND status = ").push_bind(status.as_str());
    }
    if let Some(vacancy_id) = filter.vacancy_id {
        q.push(" AND vacancy_id = ").push_bind(vacancy_id);
    }
    if let Some(application_id) = filter.application_id {
        q.push(" AND application_id = ").push_bind(application_id);
    }
    // Overdue as `take_overdue` has it: pending, and due before the day.
    match filter.overdue {
        Some(true) => {
            q.push(" AND status = 'pending' AND respond_by < ")
                .push_bind(on);
        }
        Some(false) => {
            q.push(" AND NOT (status = 'pending' AND respond_by < ")
                .push_bind(on)
                .push(")");
        }
        None => {}
    }
    if let Some((at, id)) = after {
        q.push(" AND (nominated_at, id) > (")
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" ORDER BY nominated_at, id LIMIT ").push_bind(limit);
    q.build_query_as().fetch_all(conn).await
}

/// A nomination with its place in the order nominations were made.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Numbered {
    pub seq: i64,
    #[sqlx(flatten)]
    pub nomination: Nomination,
}

/// The partner's nominations made after `seq`, in the order they were made.
pub async fn for_partner_after(
    conn: &mut PgConnection,
    partner_id: Uuid,
    seq: i64,
    limit: i64,
) -> Result<Vec<Numbered>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT seq, {COLUMNS} FROM nominations WHERE partner_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
    ))
    .bind(partner_id)
    .bind(seq)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Pending nominations whose answer was due before `on` and not yet reported overdue,
/// marked as reported.
pub async fn take_overdue(
    conn: &mut PgConnection,
    on: NaiveDate,
) -> Result<Vec<Nomination>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE nominations SET overdue_raised_at = now()
         WHERE status = 'pending' AND respond_by < $1 AND overdue_raised_at IS NULL
         RETURNING {COLUMNS}"
    ))
    .bind(on)
    .fetch_all(conn)
    .await
}

pub async fn record_offer(
    conn: &mut PgConnection,
    id: Uuid,
    on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE nominations SET offered_on = $2 WHERE id = $1")
        .bind(id)
        .bind(on)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn record_viewing(
    conn: &mut PgConnection,
    id: Uuid,
    on: NaiveDate,
    notes: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE nominations SET viewed_on = $2, viewing_notes = $3 WHERE id = $1")
        .bind(id)
        .bind(on)
        .bind(notes)
        .execute(conn)
        .await?;
    Ok(())
}
