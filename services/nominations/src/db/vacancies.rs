use chrono::{NaiveDate, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::domain::vacancy::Status;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Vacancy {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub address: String,
    pub area: String,
    pub bedrooms: i32,
    pub property_type: String,
    pub step_free: bool,
    pub wheelchair_accessible: bool,
    pub weekly_rent_pence: i64,
    pub available_from: NaiveDate,
    pub void_start: NaiveDate,
    #[sqlx(try_from = "String")]
    pub status: Status,
}

pub async fn insert(conn: &mut PgConnection, v: &Vacancy) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO vacancies (id, partner_id, address, area, bedrooms, property_type, step_free, wheelchair_accessible,
                                weekly_rent_pence, available_from, void_start, status, reported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(v.id)
    .bind(v.partner_id)
    .bind(&v.address)
    .bind(&v.area)
    .bind(v.bedrooms)
    .bind(&v.property_type)
    .bind(v.step_free)
    .bind(v.wheelchair_accessible)
    .bind(v.weekly_rent_pence)
    .bind(v.available_from)
    .bind(v.void_start)
    .bind(v.status.as_str())
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Vacancy>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, partner_id, address, area, bedrooms, property_type, step_free, wheelchair_accessible,
                weekly_rent_pence, available_from, void_start, status
         FROM vacancies WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Replaces what a partner may correct of a vacancy.
pub async fn amend(conn: &mut PgConnection, v: &Vacancy) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE vacancies SET address = $2, area = $3, bedrooms = $4, property_type = $5, step_free = $6,
                              wheelchair_accessible = $7, weekly_rent_pence = $8, available_from = $9,
                              void_start = $10
         WHERE id = $1",
    )
    .bind(v.id)
    .bind(&v.address)
    .bind(&v.area)
    .bind(v.bedrooms)
    .bind(&v.property_type)
    .bind(v.step_free)
    .bind(v.wheelchair_accessible)
    .bind(v.weekly_rent_pence)
    .bind(v.available_from)
    .bind(v.void_start)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn withdraw(conn: &mut PgConnection, id: Uuid, reason: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE vacancies SET status = 'withdrawn', withdrawal_reason = $2 WHERE id = $1")
        .bind(id)
        .bind(reason)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: Status,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE vacancies SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Which vacancies a list holds; `None` is any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<Status>,
    pub partner_id: Option<Uuid>,
    /// Reported before the home is empty (true) or once it is (false), on `on`.
    pub pre_void: Option<bool>,
    pub bedrooms: Option<i32>,
}

/// A vacancy as the officers' list shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    #[sqlx(flatten)]
    pub vacancy: Vacancy,
    pub partner_name: String,
    /// Pending, accepted or let: at most one (nominations_one_live_per_vacancy).
    pub live_nominations: i64,
}

/// Vacancies in `filter` (pre-void as of `on`) after the keyset `after`
/// (available_from, id), the earliest available first; at most `limit`.
pub async fn list(
    conn: &mut PgConnection,
    filter: &Filter,
    on: NaiveDate,
    after: Option<(NaiveDate, Uuid)>,
    limit: i64,
) -> Result<Vec<Listed>, sqlx::Error> {
    // Only the conditions asked for are written, so that each prepared statement keeps to
    // the index for its filter (see the staff lists migration).
    let mut q = QueryBuilder::<Postgres>::new(
        "SELECT v.id, v.partner_id, v.address, v.area, v.bedrooms, v.property_type, v.step_free,
                v.wheelchair_accessible, v.weekly_rent_pence, v.available_from, v.void_start,
                v.status, p.name AS partner_name,
                (SELECT count(*) FROM nominations n
                 WHERE n.vacancy_id = v.id AND n.status IN ('pending', 'accepted', 'let'))
                    AS live_nominations
         FROM vacancies v JOIN partners p ON p.id = v.partner_id
         WHERE true",
    );
    if let Some(status) = filter.status {
        q.push(" AND v.status = ").push_bind(status.as_str());
    }
    if let Some(partner_id) = filter.partner_id {
        q.push(" AND v.partner_id = ").push_bind(partner_id);
    }
    match filter.pre_void {
        Some(true) => {
            q.push(" AND v.void_start > ").push_bind(on);
        }
        Some(false) => {
            q.push(" AND v.void_start <= ").push_bind(on);
        }
        None => {}
    }
    if let Some(bedrooms) = filter.bedrooms {
        q.push(" AND v.bedrooms = ").push_bind(bedrooms);
    }
    if let Some((available_from, id)) = after {
        q.push(" AND (v.available_from, v.id) > (")
            .push_bind(available_from)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" ORDER BY v.available_from, v.id LIMIT ")
        .push_bind(limit);
    q.build_query_as().fetch_all(conn).await
}
