use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Advert {
    pub id: Uuid,
    pub vacancy_id: Uuid,
    pub closes_on: NaiveDate,
    pub minimum_age: i32,
    pub adapted: bool,
    pub status: String,
    pub bids: i64,
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
    sqlx::query_as(
        "SELECT a.id, a.vacancy_id, a.closes_on, a.minimum_age, a.adapted, a.status,
                (SELECT count(*) FROM bids b WHERE b.advert_id = a.id AND b.status IN ('live', 'closed')) AS bids
         FROM adverts a WHERE a.id = $1 FOR UPDATE OF a",
    )
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
