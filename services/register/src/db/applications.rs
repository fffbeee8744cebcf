use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::domain::application::Status;
use crate::domain::assessment::{Assessment, Circumstances};
use crate::domain::household::Household;

/// An application as stored, with its latest assessment.
#[derive(Debug, Clone)]
pub struct ApplicationRecord {
    pub id: Uuid,
    pub reference: String,
    pub status: Status,
    pub household: Household,
    pub area: String,
    pub postcode: String,
    pub circumstances: Circumstances,
    pub submitted_at: DateTime<Utc>,
    pub assessment: Option<AssessmentRecord>,
}

#[derive(Debug, Clone)]
pub struct AssessmentRecord {
    pub assessment: Assessment,
    pub assessed_by: String,
    pub assessed_at: DateTime<Utc>,
}

pub struct NewApplication<'a> {
    pub id: Uuid,
    pub household: &'a Household,
    pub area: &'a str,
    pub postcode: &'a str,
    pub circumstances: &'a Circumstances,
    pub submitted_by: &'a str,
    pub at: DateTime<Utc>,
}

/// Inserts a submitted application and returns its reference.
pub async fn insert(
    conn: &mut PgConnection,
    new: &NewApplication<'_>,
) -> Result<String, sqlx::Error> {
    let reference: String = sqlx::query_scalar(
        "INSERT INTO applications (id, reference, status, household, area, postcode, circumstances,
                                   submitted_by, submitted_at, updated_at)
         VALUES ($1, 'REG-' || lpad(nextval('application_reference_seq')::text, 7, '0'), $2, $3, $4, $5, $6, $7, $8, $8)
         RETURNING reference",
    )
    .bind(new.id)
    .bind(Status::Submitted.as_str())
    .bind(Json(new.household))
    .bind(new.area)
    .bind(new.postcode)
    .bind(Json(new.circumstances))
    .bind(new.submitted_by)
    .bind(new.at)
    .fetch_one(&mut *conn)
    .await?;
    record_status(
        conn,
        new.id,
        None,
        Status::Submitted,
        "application submitted",
        new.submitted_by,
        new.at,
    )
    .await?;
    Ok(reference)
}

/// Appends the assessment to the audit and makes it the application's current one.
pub async fn record_assessment(
    conn: &mut PgConnection,
    id: Uuid,
    assessment: &Assessment,
    band_rank: i32,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO assessments (application_id, band, bedroom_need, effective_date, reasonable_preference,
                                  rules_fired, scheme_version, assessed_by, assessed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(&assessment.band)
    .bind(assessment.bedroom_need as i32)
    .bind(assessment.effective_date)
    .bind(&assessment.reasonable_preference)
    .bind(&assessment.rules_fired)
    .bind(&assessment.scheme_version)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE applications SET band = $2, band_rank = $3, bedroom_need = $4, effective_date = $5,
                                 scheme_version = $6, updated_at = $7
         WHERE id = $1",
    )
    .bind(id)
    .bind(&assessment.band)
    .bind(band_rank)
    .bind(assessment.bedroom_need as i32)
    .bind(assessment.effective_date)
    .bind(&assessment.scheme_version)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves the application to `to`, with the change in its history.
pub async fn change_status(
    conn: &mut PgConnection,
    id: Uuid,
    from: Status,
    to: Status,
    reason: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE applications SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(to.as_str())
        .bind(at)
        .execute(&mut *conn)
        .await?;
    record_status(conn, id, Some(from), to, reason, by, at).await
}

async fn record_status(
    conn: &mut PgConnection,
    id: Uuid,
    from: Option<Status>,
    to: Status,
    reason: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO status_changes (application_id, from_status, to_status, reason, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(from.map(Status::as_str))
    .bind(to.as_str())
    .bind(reason)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The application, locked for the rest of the transaction when `for_update`.
pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
    for_update: bool,
) -> Result<Option<ApplicationRecord>, sqlx::Error> {
    let lock = if for_update { " FOR UPDATE OF a" } else { "" };
    let row = sqlx::query(&format!(
        "SELECT a.id, a.reference, a.status, a.household, a.area, a.postcode, a.circumstances, a.submitted_at,
                s.band, s.bedroom_need, s.effective_date, s.reasonable_preference, s.rules_fired,
                s.scheme_version, s.assessed_by, s.assessed_at
         FROM applications a
         LEFT JOIN LATERAL (SELECT * FROM assessments WHERE application_id = a.id ORDER BY id DESC LIMIT 1) s ON true
         WHERE a.id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        let status: String = row.try_get("status")?;
        let assessed_at: Option<DateTime<Utc>> = row.try_get("assessed_at")?;
        let assessment = match assessed_at {
            Some(assessed_at) => Some(AssessmentRecord {
                assessment: Assessment {
                    band: row.try_get("band")?,
                    bedroom_need: row.try_get::<i32, _>("bedroom_need")? as u32,
                    effective_date: row.try_get::<NaiveDate, _>("effective_date")?,
                    reasonable_preference: row.try_get("reasonable_preference")?,
                    rules_fired: row.try_get("rules_fired")?,
                    scheme_version: row.try_get("scheme_version")?,
                },
                assessed_by: row.try_get("assessed_by")?,
                assessed_at,
            }),
            None => None,
        };
        Ok(ApplicationRecord {
            id: row.try_get("id")?,
            reference: row.try_get("reference")?,
            status: status
                .parse()
                .map_err(|e: String| sqlx::Error::Decode(e.into()))?,
            household: row.try_get::<Json<Household>, _>("household")?.0,
            area: row.try_get("area")?,
            postcode: row.try_get("postcode")?,
            circumstances: row.try_get::<Json<Circumstances>, _>("circumstances")?.0,
            submitted_at: row.try_get("submitted_at")?,
            assessment,
        })
    })
    .transpose()
}

#[derive(Debug, Clone)]
pub struct ShortlistRow {
    pub id: Uuid,
    pub reference: String,
    pub band: String,
    pub effective_date: NaiveDate,
    pub bedroom_need: u32,
}

/// Active applications needing `bedrooms`, by band then effective date; `area` empty for all.
pub async fn shortlist(
    conn: &mut PgConnection,
    bedrooms: u32,
    area: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<ShortlistRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, reference, band, effective_date, bedroom_need FROM applications
         WHERE status = 'active' AND bedroom_need = $1 AND ($2 = '' OR area = $2)
         ORDER BY band_rank, effective_date, reference
         OFFSET $3 LIMIT $4",
    )
    .bind(bedrooms as i32)
    .bind(area)
    .bind(offset)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(ShortlistRow {
                id: row.try_get("id")?,
                reference: row.try_get("reference")?,
                band: row.try_get("band")?,
                effective_date: row.try_get("effective_date")?,
                bedroom_need: row.try_get::<i32, _>("bedroom_need")? as u32,
            })
        })
        .collect()
}

/// Every assessment of the application, newest first.
pub async fn assessments(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Vec<AssessmentRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT band, bedroom_need, effective_date, reasonable_preference, rules_fired, scheme_version, assessed_by, assessed_at
         FROM assessments WHERE application_id = $1 ORDER BY id DESC",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AssessmentRecord {
                assessment: Assessment {
                    band: row.try_get("band")?,
                    bedroom_need: row.try_get::<i32, _>("bedroom_need")? as u32,
                    effective_date: row.try_get("effective_date")?,
                    reasonable_preference: row.try_get("reasonable_preference")?,
                    rules_fired: row.try_get("rules_fired")?,
                    scheme_version: row.try_get("scheme_version")?,
                },
                assessed_by: row.try_get("assessed_by")?,
                assessed_at: row.try_get("assessed_at")?,
            })
        })
        .collect()
}

/// What an officer searches by; `None` matches anything.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub reference: Option<String>,
    pub family_name_prefix: Option<String>,
    pub postcode: Option<String>,
    pub status: Option<Status>,
    pub band: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub id: Uuid,
    pub reference: String,
    pub lead_name: String,
    pub postcode: String,
    pub status: Status,
    pub band: Option<String>,
    pub submitted_at: DateTime<Utc>,
}

/// Matching applications in the order they were submitted, after the keyset `after`.
pub async fn search(
    conn: &mut PgConnection,
    s: &Search,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Summary>, sqlx::Error> {
    let (at, after_id) = after.unzip();
    // LIKE wants its wildcards escaped in what the officer typed.
    let prefix = s.family_name_prefix.as_ref().map(|p| {
        format!(
            "{}%",
            p.to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    });
    let rows = sqlx::query(
        "SELECT id, reference, status, postcode, band, submitted_at,
                (household -> 'members' -> 0 ->> 'given_name') || ' ' || (household -> 'members' -> 0 ->> 'family_name') AS lead_name
         FROM applications
         WHERE ($1::text IS NULL OR reference = $1)
           AND ($2::text IS NULL OR lead_family_name LIKE $2)
           AND ($3::text IS NULL OR postcode = $3)
           AND ($4::text IS NULL OR status = $4)
           AND ($5::text IS NULL OR band = $5)
           AND ($6::timestamptz IS NULL OR (submitted_at, id) > ($6, $7))
         ORDER BY submitted_at, id LIMIT $8",
    )
    .bind(&s.reference)
    .bind(prefix)
    .bind(&s.postcode)
    .bind(s.status.map(Status::as_str))
    .bind(&s.band)
    .bind(at)
    .bind(after_id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(Summary {
                id: row.try_get("id")?,
                reference: row.try_get("reference")?,
                lead_name: row.try_get("lead_name")?,
                postcode: row.try_get("postcode")?,
                status: status
                    .parse()
                    .map_err(|e: String| sqlx::Error::Decode(e.into()))?,
                band: row.try_get("band")?,
                submitted_at: row.try_get("submitted_at")?,
            })
        })
        .collect()
}
