use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use super::vacancies;

/// Whether the advert `a` led to a letting: it is closed, its home has been let since and no
/// later advert was made for it. The same test `letting_result` publishes by.
macro_rules! is_let {
    () => {
        "(a.status = 'closed'
          AND EXISTS (SELECT 1 FROM lettings l WHERE l.vacancy_id = a.vacancy_id)
          AND a.id = (SELECT id FROM adverts WHERE vacancy_id = a.vacancy_id ORDER BY created_at DESC LIMIT 1))"
    };
}

/// The columns of an `Advert` of `a`; named apart from a vacancy's `id` and `status` so that
/// both can be read from one row.
macro_rules! advert_columns {
    () => {
        concat!(
            "a.id AS advert_id, a.vacancy_id, a.closes_on, a.minimum_age, a.adapted, a.status AS advert_status,
             (SELECT count(*) FROM bids b WHERE b.advert_id = a.id AND b.status IN ('live', 'closed')) AS bids, ",
            is_let!(),
            " AS is_let"
        )
    };
}

/// An advert with its home as the officers' vacancy list shows it.
macro_rules! listed_query {
    () => {
        concat!(
            "SELECT ",
            advert_columns!(),
            ", v.id, v.partner_id, v.address, v.area, v.bedrooms, v.property_type, v.step_free,
                v.wheelchair_accessible, v.weekly_rent_pence, v.available_from, v.void_start,
                v.status, p.name AS partner_name,
                (SELECT count(*) FROM nominations n
                 WHERE n.vacancy_id = v.id AND n.status IN ('pending', 'accepted', 'let'))
                    AS live_nominations
             FROM adverts a
             JOIN vacancies v ON v.id = a.vacancy_id
             JOIN partners p ON p.id = v.partner_id"
        )
    };
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Advert {
    #[sqlx(rename = "advert_id")]
    pub id: Uuid,
    pub vacancy_id: Uuid,
    pub closes_on: NaiveDate,
    pub minimum_age: i32,
    pub adapted: bool,
    /// Open or closed: bidding's state. Whether a closed advert was let is `is_let`.
    #[sqlx(rename = "advert_status")]
    pub status: String,
    pub bids: i64,
    pub is_let: bool,
}

/// Where an advert stands, as officers follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Open,
    /// Closed, not (yet) let.
    Closed,
    Let,
}

/// An advert with its home.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    #[sqlx(flatten)]
    pub advert: Advert,
    #[sqlx(flatten)]
    pub vacancy: vacancies::Listed,
}

/// Adverts at `stage` (any when `None`) after the keyset `after` (closes_on, id), the
/// latest closing first; at most `limit`.
pub async fn list(
    conn: &mut PgConnection,
    stage: Option<Stage>,
    after: Option<(NaiveDate, Uuid)>,
    limit: i64,
) -> std::result::Result<Vec<Listed>, sqlx::Error> {
    let mut q = QueryBuilder::<Postgres>::new(concat!(listed_query!(), " WHERE true"));
    match stage {
        Some(Stage::Open) => {
            q.push(" AND a.status = 'open'");
        }
        Some(Stage::Closed) => {
            q.push(concat!(" AND a.status = 'closed' AND NOT ", is_let!()));
        }
        Some(Stage::Let) => {
            q.push(concat!(" AND ", is_let!()));
        }
        None => {}
    }
    if let Some((closes_on, id)) = after {
        q.push(" AND (a.closes_on, a.id) < (")
            .push_bind(closes_on)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" ORDER BY a.closes_on DESC, a.id DESC LIMIT ")
        .push_bind(limit);
    q.build_query_as().fetch_all(conn).await
}

/// The advert `id` with its home.
pub async fn find_listed(
    conn: &mut PgConnection,
    id: Uuid,
) -> std::result::Result<Option<Listed>, sqlx::Error> {
    sqlx::query_as(concat!(listed_query!(), " WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Result {
    pub position: i32,
    pub application_id: Uuid,
    pub reference: String,
    pub band: String,
    pub points: i32,
    pub effective_date: NaiveDate,
}

pub async fn insert(
    conn: &mut PgConnection,
    a: &Advert,
    by: &str,
    at: DateTime<Utc>,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO adverts (id, vacancy_id, closes_on, minimum_age, adapted, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(a.id)
    .bind(a.vacancy_id)
    .bind(a.closes_on)
    .bind(a.minimum_age)
    .bind(a.adapted)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The advert with its count of live bids, locked for the rest of the transaction.
pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
) -> std::result::Result<Option<Advert>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        advert_columns!(),
        " FROM adverts a WHERE a.id = $1 FOR UPDATE OF a"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The applicant's live bids, counted under a lock on the applicant so two bids placed at
/// once cannot both slip under the limit.
pub async fn live_bids(
    conn: &mut PgConnection,
    application: Uuid,
) -> std::result::Result<i64, sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1::text))")
        .bind(application)
        .execute(&mut *conn)
        .await?;
    sqlx::query_scalar("SELECT count(*) FROM bids WHERE application_id = $1 AND status = 'live'")
        .bind(application)
        .fetch_one(conn)
        .await
}

/// Places the bid; false when the applicant already had a live bid on the advert.
pub async fn bid(
    conn: &mut PgConnection,
    advert: Uuid,
    application: Uuid,
    by: &str,
) -> std::result::Result<bool, sqlx::Error> {
    let placed = sqlx::query(
        "INSERT INTO bids (advert_id, application_id, placed_by, placed_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (advert_id, application_id) DO UPDATE SET status = 'live', placed_by = $3, placed_at = now()
         WHERE bids.status = 'withdrawn'",
    )
    .bind(advert)
    .bind(application)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(placed.rows_affected() == 1)
}

pub async fn withdraw(
    conn: &mut PgConnection,
    advert: Uuid,
    application: Uuid,
) -> std::result::Result<bool, sqlx::Error> {
    let withdrawn = sqlx::query(
        "UPDATE bids SET status = 'withdrawn' WHERE advert_id = $1 AND application_id = $2 AND status = 'live'",
    )
    .bind(advert)
    .bind(application)
    .execute(conn)
    .await?;
    Ok(withdrawn.rows_affected() == 1)
}

pub async fn bidders(
    conn: &mut PgConnection,
    advert: Uuid,
) -> std::result::Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT application_id FROM bids WHERE advert_id = $1 AND status = 'live' ORDER BY placed_at")
        .bind(advert)
        .fetch_all(conn)
        .await
}

/// Ends bidding: the bids stop counting against the applicants' limits and the ranked
/// result is kept.
pub async fn close(
    conn: &mut PgConnection,
    advert: Uuid,
    results: &[Result],
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query("UPDATE adverts SET status = 'closed', closed_at = now() WHERE id = $1")
        .bind(advert)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE bids SET status = 'closed' WHERE advert_id = $1 AND status = 'live'")
        .bind(advert)
        .execute(&mut *conn)
        .await?;
    for r in results {
        sqlx::query(
            "INSERT INTO advert_results (advert_id, position, application_id, reference, band, points, effective_date)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(advert)
        .bind(r.position)
        .bind(r.application_id)
        .bind(&r.reference)
        .bind(&r.band)
        .bind(r.points)
        .bind(r.effective_date)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn results(
    conn: &mut PgConnection,
    advert: Uuid,
) -> std::result::Result<Vec<Result>, sqlx::Error> {
    sqlx::query_as(
        "SELECT position, application_id, reference, band, points, effective_date
         FROM advert_results WHERE advert_id = $1 ORDER BY position",
    )
    .bind(advert)
    .fetch_all(conn)
    .await
}

/// What is published about a let advert, naming no one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LettingResult {
    pub advert_id: Uuid,
    pub vacancy_id: Uuid,
    pub area: String,
    pub bedrooms: i32,
    pub bids: i64,
    /// None when the housed applicant was not among the ranked bidders.
    pub position: Option<i32>,
    pub band: Option<String>,
    pub points: Option<i32>,
    pub effective_date: Option<NaiveDate>,
    pub tenancy_start_date: NaiveDate,
}

/// The result of `advert` once its home is let through it (it is the vacancy's latest
/// advert); None while the home is not let.
pub async fn letting_result(
    conn: &mut PgConnection,
    advert: Uuid,
) -> std::result::Result<Option<LettingResult>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS advert_id, v.id AS vacancy_id, v.area, v.bedrooms,
                (SELECT count(*) FROM bids b WHERE b.advert_id = a.id AND b.status = 'closed') AS bids,
                r.position, r.band, r.points, r.effective_date, l.tenancy_start_date
         FROM adverts a
         JOIN vacancies v ON v.id = a.vacancy_id
         JOIN lettings l ON l.vacancy_id = v.id
         LEFT JOIN advert_results r ON r.advert_id = a.id AND r.application_id = l.application_id
         WHERE a.id = $1 AND a.status = 'closed'
           AND a.id = (SELECT id FROM adverts WHERE vacancy_id = v.id ORDER BY created_at DESC LIMIT 1)",
    )
    .bind(advert)
    .fetch_optional(conn)
    .await
}

/// The latest advert of `vacancy`, if it was advertised.
pub async fn latest_for_vacancy(
    conn: &mut PgConnection,
    vacancy: Uuid,
) -> std::result::Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM adverts WHERE vacancy_id = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(vacancy)
    .fetch_optional(conn)
    .await
}

/// Where `application` stood among the advert's ranked bidders.
pub async fn position_of(
    conn: &mut PgConnection,
    advert: Uuid,
    application: Uuid,
) -> std::result::Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT position FROM advert_results WHERE advert_id = $1 AND application_id = $2",
    )
    .bind(advert)
    .bind(application)
    .fetch_optional(conn)
    .await
}
