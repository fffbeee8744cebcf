use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::domain::application::Status;
use crate::domain::assessment::Assessment;
use crate::domain::assessment::Trigger;
use crate::domain::details::Details;
use crate::domain::household::Household;
use crate::domain::overrides::Overrides;

/// An application as stored, with its assessment in force.
#[derive(Debug, Clone)]
pub struct ApplicationRecord {
    pub id: Uuid,
    pub reference: String,
    pub status: Status,
    pub household: Household,
    pub area: String,
    pub postcode: String,
    pub details: Details,
    pub submitted_at: DateTime<Utc>,
    pub missing: Vec<String>,
    pub overrides: Overrides,
    pub awaiting_reassessment: Vec<String>,
    pub waived: Vec<String>,
    pub suspended_until: Option<NaiveDate>,
    pub next_review_on: Option<NaiveDate>,
    pub assessment: Option<AssessmentRecord>,
}

impl ApplicationRecord {
    pub fn lead_name(&self) -> String {
        self.household.lead().full_name()
    }
}

#[derive(Debug, Clone)]
pub struct AssessmentRecord {
    pub assessment: Assessment,
    pub trigger: Trigger,
    pub override_reason: Option<String>,
    pub assessed_by: String,
    pub assessed_at: DateTime<Utc>,
}

/// The application's household and details, and what is derived from them for searching
/// and shortlisting.
pub struct Content<'a> {
    pub household: &'a Household,
    pub details: &'a Details,
    pub area: &'a str,
    pub postcode: &'a str,
}

impl Content<'_> {
    fn property_types(&self) -> Vec<&'static str> {
        self.details
            .property_types
            .iter()
            .map(|t| t.as_str())
            .collect()
    }
}

/// Stores a new application and the status it starts in: the application as stored. One
/// statement, the read back included, as every application submitted pays for it.
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    content: &Content<'_>,
    status: Status,
    missing: &[String],
    next_review_on: NaiveDate,
    by: &str,
    at: DateTime<Utc>,
) -> Result<ApplicationRecord, sqlx::Error> {
    let row = sqlx::query(&format!(
        "WITH inserted AS (
             INSERT INTO applications (id, reference, status, household, area, postcode, details, missing,
                                       lead_date_of_birth, mobility, areas_wanted, property_types,
                                       next_review_on, submitted_by, submitted_at, updated_at)
             VALUES ($1, 'REG-' || lpad(nextval('application_reference_seq')::text, 7, '0'),
                     $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
             RETURNING *),
         status AS (
             INSERT INTO status_changes (application_id, from_status, to_status, reason, changed_by, changed_at)
             SELECT id, NULL, status, 'application submitted', submitted_by, submitted_at FROM inserted)
         {}",
        select_applications("inserted")
    ))
    .bind(id)
    .bind(status.as_str())
    .bind(Json(content.household))
    .bind(content.area)
    .bind(content.postcode)
    .bind(Json(content.details))
    .bind(missing)
    .bind(content.household.lead().date_of_birth)
    .bind(content.details.mobility_need().level())
    .bind(&content.details.areas_wanted)
    .bind(content.property_types())
    .bind(next_review_on)
    .bind(by)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    application_from_row(&row)
}

/// Replaces the household and details after a change of circumstances.
pub async fn update_content(
    conn: &mut PgConnection,
    id: Uuid,
    content: &Content<'_>,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE applications SET household = $2, area = $3, postcode = $4, details = $5, missing = $6,
                                 lead_date_of_birth = $7, mobility = $8, areas_wanted = $9,
                                 property_types = $10, updated_at = $11
         WHERE id = $1",
    )
    .bind(id)
    .bind(Json(content.household))
    .bind(content.area)
    .bind(content.postcode)
    .bind(Json(content.details))
    .bind(content.details.missing())
    .bind(content.household.lead().date_of_birth)
    .bind(content.details.mobility_need().level())
    .bind(&content.details.areas_wanted)
    .bind(content.property_types())
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Live applications of council and housing association tenants whose home has more
/// bedrooms than they need: (id, bedrooms now, bedrooms needed), the most spare first, then
/// by reference, after the position `after` (spare bedrooms, reference).
pub async fn under_occupiers(
    conn: &mut PgConnection,
    after: Option<(i32, String)>,
    limit: i64,
) -> Result<Vec<(Uuid, u32, u32)>, sqlx::Error> {
    let (spare, reference) = after.unzip();
    let rows: Vec<(Uuid, i32, i32)> = sqlx::query_as(
        "SELECT id, current, bedroom_need FROM (
             SELECT id, reference, bedroom_need,
                    (details -> 'circumstances' ->> 'current_bedrooms')::int AS current
             FROM applications
             WHERE status = 'active'
               AND details -> 'circumstances' ->> 'tenure'
                   IN ('council_tenant', 'housing_association_tenant')
               AND bedroom_need IS NOT NULL
         ) a
         WHERE current > bedroom_need
           AND ($1::int IS NULL OR (current - bedroom_need, a.reference) < ($1, $2::text))
         ORDER BY current - bedroom_need DESC, a.reference DESC
         LIMIT $3",
    )
    .bind(spare)
    .bind(reference)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, current, need)| (id, current.max(0) as u32, need.max(0) as u32))
        .collect())
}

/// What an officer is to look at before the application's assessment stands.
pub async fn set_awaiting_reassessment(
    conn: &mut PgConnection,
    id: Uuid,
    awaiting: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE applications SET awaiting_reassessment = $2 WHERE id = $1")
        .bind(id)
        .bind(awaiting)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces what the application still needs: answers and, where the scheme requires it,
/// verified evidence.
pub async fn set_missing(
    conn: &mut PgConnection,
    id: Uuid,
    missing: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE applications SET missing = $2 WHERE id = $1")
        .bind(id)
        .bind(missing)
        .execute(conn)
        .await?;
    Ok(())
}

/// Appends the assessment to the audit and makes it the application's one in force.
pub async fn record_assessment(
    conn: &mut PgConnection,
    id: Uuid,
    record: &AssessmentRecord,
    priority: i32,
) -> Result<(), sqlx::Error> {
    let a = &record.assessment;
    sqlx::query(
        "INSERT INTO assessments (application_id, outcome, band, points, bedroom_need, effective_date,
                                  reasonable_preference, reason_codes, exemptions, rules_fired,
                                  scheme_version, trigger, override_reason, assessed_by, assessed_at,
                                  additional_preference, transfer)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(id)
    .bind(a.outcome.as_str())
    .bind(&a.band)
    .bind(a.points.map(|p| p as i32))
    .bind(a.bedroom_need as i32)
    .bind(a.effective_date)
    .bind(&a.reasonable_preference)
    .bind(&a.reason_codes)
    .bind(&a.exemptions)
    .bind(&a.rules_fired)
    .bind(&a.scheme_version)
    .bind(record.trigger.as_str())
    .bind(&record.override_reason)
    .bind(&record.assessed_by)
    .bind(record.assessed_at)
    .bind(a.additional_preference)
    .bind(a.transfer)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE applications SET outcome = $2, band = $3, points = $4, priority = $5, bedroom_need = $6,
                                 effective_date = $7, scheme_version = $8, updated_at = $9
         WHERE id = $1",
    )
    .bind(id)
    .bind(a.outcome.as_str())
    .bind(&a.band)
    .bind(a.points.map(|p| p as i32))
    .bind(priority)
    .bind(a.bedroom_need as i32)
    .bind(a.effective_date)
    .bind(&a.scheme_version)
    .bind(record.assessed_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Overrides in force and what an officer should look at; both replace what was there.
pub async fn set_overrides(
    conn: &mut PgConnection,
    id: Uuid,
    overrides: &Overrides,
    awaiting_reassessment: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE applications SET band_override = $2, need_override = $3, awaiting_reassessment = $4
         WHERE id = $1",
    )
    .bind(id)
    .bind(&overrides.band)
    .bind(overrides.bedroom_need.map(|n| n as i32))
    .bind(awaiting_reassessment)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_waived(
    conn: &mut PgConnection,
    id: Uuid,
    waived: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE applications SET waived_rules = $2 WHERE id = $1")
        .bind(id)
        .bind(waived)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_suspended_until(
    conn: &mut PgConnection,
    id: Uuid,
    until: Option<NaiveDate>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE applications SET suspended_until = $2 WHERE id = $1")
        .bind(id)
        .bind(until)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_next_review(
    conn: &mut PgConnection,
    id: Uuid,
    on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE applications SET next_review_on = $2 WHERE id = $1")
        .bind(id)
        .bind(on)
        .execute(conn)
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
    record_status(conn, id, from, to, reason, by, at).await
}

async fn record_status(
    conn: &mut PgConnection,
    id: Uuid,
    from: Status,
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
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(reason)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const ASSESSMENT_COLUMNS: &str = "outcome, band, points, bedroom_need, effective_date, reasonable_preference,
     additional_preference, transfer, reason_codes, exemptions, rules_fired, scheme_version, trigger, override_reason, assessed_by, assessed_at";

/// Applications from `source` (a table, or rows a statement wrote) with the assessment in
/// force for each.
fn select_applications(source: &str) -> String {
    format!(
        "SELECT a.id, a.reference, a.status, a.household, a.area, a.postcode, a.details, a.submitted_at,
                a.missing, a.band_override, a.need_override, a.awaiting_reassessment, a.waived_rules,
                a.suspended_until, a.next_review_on, s.*
         FROM {source} a
         LEFT JOIN LATERAL (SELECT {ASSESSMENT_COLUMNS} FROM assessments
                            WHERE application_id = a.id ORDER BY id DESC LIMIT 1) s ON true"
    )
}

/// The application, locked for the rest of the transaction when `for_update`.
pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
    for_update: bool,
) -> Result<Option<ApplicationRecord>, sqlx::Error> {
    let lock = if for_update { " FOR UPDATE OF a" } else { "" };
    let row = sqlx::query(&format!(
        "{} WHERE a.id = $1{lock}",
        select_applications("applications")
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(application_from_row).transpose()
}

fn application_from_row(row: &PgRow) -> Result<ApplicationRecord, sqlx::Error> {
    let status: String = row.try_get("status")?;
    let assessment = match row.try_get::<Option<DateTime<Utc>>, _>("assessed_at")? {
        Some(_) => Some(assessment_record(row)?),
        None => None,
    };
    Ok(ApplicationRecord {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        status: decode(&status)?,
        household: row.try_get::<Json<Household>, _>("household")?.0,
        area: row.try_get("area")?,
        postcode: row.try_get("postcode")?,
        details: row.try_get::<Json<Details>, _>("details")?.0,
        submitted_at: row.try_get("submitted_at")?,
        missing: row.try_get("missing")?,
        overrides: overrides_from_row(row)?,
        awaiting_reassessment: row.try_get("awaiting_reassessment")?,
        waived: row.try_get("waived_rules")?,
        suspended_until: row.try_get("suspended_until")?,
        next_review_on: row.try_get("next_review_on")?,
        assessment,
    })
}

/// An officer's overrides as the application row keeps them.
pub fn overrides_from_row(row: &PgRow) -> Result<Overrides, sqlx::Error> {
    Ok(Overrides {
        band: row.try_get("band_override")?,
        bedroom_need: row
            .try_get::<Option<i32>, _>("need_override")?
            .map(|n| n as u32),
    })
}

fn decode<T: std::str::FromStr<Err = String>>(value: &str) -> Result<T, sqlx::Error> {
    value
        .parse()
        .map_err(|e: String| sqlx::Error::Decode(e.into()))
}

fn assessment_record(row: &PgRow) -> Result<AssessmentRecord, sqlx::Error> {
    let outcome: String = row.try_get("outcome")?;
    Ok(AssessmentRecord {
        assessment: Assessment {
            outcome: decode(&outcome)?,
            band: row.try_get("band")?,
            points: row.try_get::<Option<i32>, _>("points")?.map(|p| p as u32),
            bedroom_need: row.try_get::<i32, _>("bedroom_need")? as u32,
            effective_date: row.try_get("effective_date")?,
            reasonable_preference: row.try_get("reasonable_preference")?,
            additional_preference: row.try_get("additional_preference")?,
            transfer: row.try_get("transfer")?,
            reason_codes: row.try_get("reason_codes")?,
            exemptions: row.try_get("exemptions")?,
            rules_fired: row.try_get("rules_fired")?,
            scheme_version: row.try_get("scheme_version")?,
        },
        trigger: row
            .try_get::<String, _>("trigger")?
            .parse()
            .map_err(|e: String| sqlx::Error::Decode(e.into()))?,
        override_reason: row.try_get("override_reason")?,
        assessed_by: row.try_get("assessed_by")?,
        assessed_at: row.try_get("assessed_at")?,
    })
}

/// Every assessment of the application, newest first.
pub async fn assessments(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Vec<AssessmentRecord>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {ASSESSMENT_COLUMNS} FROM assessments WHERE application_id = $1 ORDER BY id DESC"
    ))
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(assessment_record).collect()
}

/// What an officer searches by; `None` matches anything.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub reference: Option<String>,
    pub family_name_prefix: Option<String>,
    pub postcode: Option<String>,
    pub status: Option<Status>,
    pub band: Option<String>,
    /// Only applications whose annual review letter awaits a reply.
    pub annual_review_due: bool,
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
    /// The day the annual review was raised and its letter sent (the anniversary a renewal
    /// counts from) and the day the reply is needed by, while the letter awaits a reply.
    pub review_due_on: Option<NaiveDate>,
    pub review_reply_by: Option<NaiveDate>,
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
    // "Due" is the register's own rule (reviews::raise_due and close_unanswered): a review
    // raised by the daily job, its letter sent, with no reply recorded yet, i.e. an open
    // annual_reviews row. Filtering on it drives the query from the open reviews (a
    // partial index of the few applications in review) rather than walking the register.
    let from = if s.annual_review_due {
        "annual_reviews r JOIN applications a ON a.id = r.application_id AND r.outcome = 'open'"
    } else {
        "applications a LEFT JOIN annual_reviews r ON r.application_id = a.id AND r.outcome = 'open'"
    };
    let rows = sqlx::query(&format!(
        "SELECT a.id, a.reference, a.status, a.postcode, a.band, a.submitted_at,
                (a.household -> 'members' -> 0 ->> 'given_name') || ' ' || (a.household -> 'members' -> 0 ->> 'family_name') AS lead_name,
                r.raised_on AS review_due_on,
                r.reply_by AS review_reply_by
         FROM {from}
         WHERE ($1::text IS NULL OR a.reference = $1)
           AND ($2::text IS NULL OR a.lead_family_name LIKE $2)
           AND ($3::text IS NULL OR a.postcode = $3)
           AND ($4::text IS NULL OR a.status = $4)
           AND ($5::text IS NULL OR a.band = $5)
           AND ($6::timestamptz IS NULL OR (a.submitted_at, a.id) > ($6, $7))
         ORDER BY a.submitted_at, a.id LIMIT $8"
    ))
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
                status: decode(&status)?,
                band: row.try_get("band")?,
                submitted_at: row.try_get("submitted_at")?,
                review_due_on: row.try_get("review_due_on")?,
                review_reply_by: row.try_get("review_reply_by")?,
            })
        })
        .collect()
}
