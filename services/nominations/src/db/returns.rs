//! What the returns read: each letting with its home, the landlord's details and the
//! household as nominated.

use chrono::NaiveDate;
use futures::Stream;
use housing_platform::returns::Period;
use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use crate::domain::core_log::household::Household;
use crate::domain::core_log::letting::Details;

/// One letting as CORE's log is built from it.
#[derive(Debug, sqlx::FromRow)]
pub struct LoggedLetting {
    pub letting_id: Uuid,
    pub partner_id: Uuid,
    pub application_reference: String,
    pub tenancy_start_date: NaiveDate,
    pub void_start: NaiveDate,
    pub bedrooms: i32,
    pub property_type: String,
    pub wheelchair_accessible: bool,
    pub address: String,
    pub choice_based: bool,
    pub council_stock: bool,
    pub core_details: Option<Json<Details>>,
    pub core_household: Option<Json<Household>>,
}

macro_rules! logged {
    ($filter:literal) => {
        concat!(
            "SELECT l.id AS letting_id, l.partner_id, n.application_reference, l.tenancy_start_date,
            l.void_start, l.bedrooms, v.property_type, v.wheelchair_accessible, v.address,
            l.choice_based, p.council_stock, l.core_details, n.core_household
     FROM lettings l
     JOIN nominations n ON n.id = l.nomination_id
     JOIN vacancies v ON v.id = l.vacancy_id
     JOIN partners p ON p.id = l.partner_id ",
            $filter
        )
    };
}

/// The council's own lettings whose tenancy started in `period`, in start order, streamed:
/// a national year is a quarter of a million logs.
pub fn council_lettings_in<'c>(
    conn: &'c mut PgConnection,
    period: Period,
) -> impl Stream<Item = Result<LoggedLetting, sqlx::Error>> + 'c {
    sqlx::query_as(logged!(
        "WHERE p.council_stock AND l.tenancy_start_date BETWEEN $1 AND $2
         ORDER BY l.tenancy_start_date, l.id"
    ))
    .bind(period.start)
    .bind(period.end)
    .fetch(conn)
}

/// The letting of nomination `id`, when it has been let.
pub async fn letting_of_nomination(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<LoggedLetting>, sqlx::Error> {
    sqlx::query_as(logged!("WHERE l.nomination_id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// What the management report reads: the lets whose tenancies started in the period, with
/// the void start recorded when each was let.
pub async fn report_lets(
    conn: &mut PgConnection,
    period: Period,
) -> Result<Vec<crate::domain::report::Let>, sqlx::Error> {
    let rows: Vec<(String, bool, String, bool, i32)> = sqlx::query_as(
        "SELECT l.referral_source, l.choice_based, p.name, n.homeless,
                l.tenancy_start_date - l.void_start
         FROM lettings l
         JOIN nominations n ON n.id = l.nomination_id
         JOIN partners p ON p.id = l.partner_id
         WHERE l.tenancy_start_date BETWEEN $1 AND $2",
    )
    .bind(period.start)
    .bind(period.end)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(referral_source, choice_based, landlord, homeless, days)| {
                crate::domain::report::Let {
                    referral_source,
                    choice_based,
                    landlord,
                    homeless,
                    void_days: days.into(),
                }
            },
        )
        .collect())
}

/// Refusals decided in the period (in the council's calendar), by reason.
pub async fn report_refusals(
    conn: &mut PgConnection,
    period: Period,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT reason, count(*) FROM refusals WHERE decided_at >= $1 AND decided_at < $2
         GROUP BY reason ORDER BY reason",
    )
    .bind(period.start_instant())
    .bind(period.end_instant())
    .fetch_all(conn)
    .await
}
