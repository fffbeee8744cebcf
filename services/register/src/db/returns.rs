//! What statutory returns read: each application as it stood at an instant, from the
//! append-only history of statuses and assessments, and the lettings nominations reported.

use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;
use housing_platform::returns::Period;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::domain::lahs::{Letting as Let, SectionC, Standing};

/// A letting as nominations reported it.
#[derive(Debug, Clone)]
pub struct Letting {
    pub letting_id: String,
    pub application_id: Uuid,
    pub council_stock: bool,
    pub choice_based: bool,
    pub tenancy_start: NaiveDate,
}

pub async fn insert_letting(
    conn: &mut PgConnection,
    letting: &Letting,
    housed_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO lettings (letting_id, application_id, council_stock, choice_based,
                               tenancy_start_date, housed_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (letting_id) DO NOTHING",
    )
    .bind(&letting.letting_id)
    .bind(letting.application_id)
    .bind(letting.council_stock)
    .bind(letting.choice_based)
    .bind(letting.tenancy_start)
    .bind(housed_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn standing(row: &PgRow) -> Result<Standing, sqlx::Error> {
    Ok(Standing {
        bedroom_need: row.try_get::<i32, _>("bedroom_need")?.max(0) as u32,
        reasonable_preference: row.try_get("reasonable_preference")?,
        additional_preference: row.try_get("additional_preference")?,
        transfer: row.try_get("transfer")?,
    })
}

/// Counts every application on the register (active or suspended) just before `at`, as its
/// latest assessment before `at` had it. Rows are streamed, so the whole register is never
/// held at once.
pub async fn count_waiting_list(
    conn: &mut PgConnection,
    at: DateTime<Utc>,
    section: &mut SectionC,
) -> Result<(), sqlx::Error> {
    let mut rows = sqlx::query(
        "SELECT a.bedroom_need, a.reasonable_preference, a.additional_preference, a.transfer
         FROM (SELECT DISTINCT ON (application_id) application_id, to_status
               FROM status_changes WHERE changed_at < $1
               ORDER BY application_id, id DESC) s
         JOIN LATERAL (SELECT x.bedroom_need, x.reasonable_preference, x.additional_preference, x.transfer
                       FROM assessments x
                       WHERE x.application_id = s.application_id AND x.assessed_at < $1
                       ORDER BY x.id DESC LIMIT 1) a ON true
         WHERE s.to_status IN ('active', 'suspended')",
    )
    .bind(at)
    .fetch(&mut *conn);
    while let Some(row) = rows.try_next().await? {
        section.count(&standing(&row)?);
    }
    Ok(())
}

/// Counts the lettings whose tenancy began in `year`, each with the household as assessed
/// when it was housed.
pub async fn count_lettings(
    conn: &mut PgConnection,
    year: Period,
    section: &mut SectionC,
) -> Result<(), sqlx::Error> {
    let mut rows = sqlx::query(
        "SELECT l.council_stock, l.choice_based, a.bedroom_need, a.reasonable_preference,
                a.additional_preference, a.transfer
         FROM lettings l
         LEFT JOIN LATERAL (SELECT x.bedroom_need, x.reasonable_preference, x.additional_preference, x.transfer
                            FROM assessments x
                            WHERE x.application_id = l.application_id AND x.assessed_at <= l.housed_at
                            ORDER BY x.id DESC LIMIT 1) a ON true
         WHERE l.tenancy_start_date BETWEEN $1 AND $2",
    )
    .bind(year.start)
    .bind(year.end)
    .fetch(&mut *conn);
    while let Some(row) = rows.try_next().await? {
        let assessed = row.try_get::<Option<i32>, _>("bedroom_need")?.is_some();
        section.let_(&Let {
            council_stock: row.try_get("council_stock")?,
            choice_based: row.try_get("choice_based")?,
            standing: if assessed {
                Some(standing(&row)?)
            } else {
                None
            },
        });
    }
    Ok(())
}
