//! The re-assessment of the whole register after a scheme change: the run's progress, the
//! batches it reads and writes, and its report of who moved.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::types::Json;
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

use crate::domain::assessment::{Assessment, Outcome};
use crate::domain::details::Details;
use crate::domain::household::Household;
use crate::domain::overrides::Overrides;

#[derive(Debug, Clone)]
pub struct Run {
    pub id: Uuid,
    pub scheme_version: String,
    pub state: String,
    pub total: i64,
    pub done: i64,
    pub moved: i64,
    pub cursor: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// The run for `version`, started now if there is none and live applications were
/// assessed under another version; `None` when nothing needs re-assessing.
pub async fn start(pool: &PgPool, version: &str) -> Result<Option<Run>, sqlx::Error> {
    sqlx::query(
        "INSERT INTO reassessment_runs (id, scheme_version, total, started_at)
         SELECT $1, $2, n, now() FROM (
             SELECT count(*) AS n FROM applications
             WHERE status IN ('active', 'suspended') AND scheme_version IS DISTINCT FROM $2
         ) stale
         WHERE n > 0
         ON CONFLICT (scheme_version) DO NOTHING",
    )
    .bind(Uuid::now_v7())
    .bind(version)
    .execute(pool)
    .await?;
    let mut conn = pool.acquire().await?;
    find(&mut conn, None, Some(version)).await
}

/// A run by id, by scheme version, or the newest.
pub async fn find(
    conn: &mut PgConnection,
    id: Option<Uuid>,
    version: Option<&str>,
) -> Result<Option<Run>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, scheme_version, state, total, done, moved, cursor, started_at, completed_at
         FROM reassessment_runs
         WHERE ($1::uuid IS NULL OR id = $1) AND ($2::text IS NULL OR scheme_version = $2)
         ORDER BY started_at DESC LIMIT 1",
    )
    .bind(id)
    .bind(version)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(Run {
            id: row.try_get("id")?,
            scheme_version: row.try_get("scheme_version")?,
            state: row.try_get("state")?,
            total: row.try_get("total")?,
            done: row.try_get("done")?,
            moved: row.try_get("moved")?,
            cursor: row.try_get("cursor")?,
            started_at: row.try_get("started_at")?,
            completed_at: row.try_get("completed_at")?,
        })
    })
    .transpose()
}

/// An application as the batch reads it: what the rules need and the assessment in force.
pub struct Current {
    pub id: Uuid,
    pub reference: String,
    pub status: String,
    pub household: Household,
    pub details: Details,
    pub area: String,
    pub registered_on: NaiveDate,
    pub waived: Vec<String>,
    pub overrides: Overrides,
    pub assessment: Assessment,
}

/// The next `limit` live applications after `cursor` not yet under `version`, locked so
/// that officers' changes wait for the batch rather than being overwritten by it.
pub async fn next_batch(
    conn: &mut PgConnection,
    version: &str,
    cursor: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Current>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, reference, status, household, details, area, submitted_at, waived_rules,
                band_override, need_override, outcome, band, points, bedroom_need, effective_date,
                scheme_version
         FROM applications
         WHERE status IN ('active', 'suspended') AND ($1::uuid IS NULL OR id > $1)
           AND scheme_version IS DISTINCT FROM $2
         ORDER BY id LIMIT $3
         FOR UPDATE",
    )
    .bind(cursor)
    .bind(version)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let outcome: Option<String> = row.try_get("outcome")?;
            let submitted_at: DateTime<Utc> = row.try_get("submitted_at")?;
            Ok(Current {
                id: row.try_get("id")?,
                reference: row.try_get("reference")?,
                status: row.try_get("status")?,
                household: row.try_get::<Json<Household>, _>("household")?.0,
                details: row.try_get::<Json<Details>, _>("details")?.0,
                area: row.try_get("area")?,
                registered_on: submitted_at.date_naive(),
                waived: row.try_get("waived_rules")?,
                overrides: Overrides {
                    band: row.try_get("band_override")?,
                    bedroom_need: row
                        .try_get::<Option<i32>, _>("need_override")?
                        .map(|n| n as u32),
                },
                assessment: Assessment {
                    outcome: outcome
                        .as_deref()
                        .unwrap_or("active")
                        .parse::<Outcome>()
                        .map_err(|e| sqlx::Error::Decode(e.into()))?,
                    band: row
                        .try_get::<Option<String>, _>("band")?
                        .unwrap_or_default(),
                    points: row.try_get::<Option<i32>, _>("points")?.map(|p| p as u32),
                    bedroom_need: row.try_get::<Option<i32>, _>("bedroom_need")?.unwrap_or(0)
                        as u32,
                    effective_date: row
                        .try_get::<Option<NaiveDate>, _>("effective_date")?
                        .unwrap_or(submitted_at.date_naive()),
                    reasonable_preference: Vec::new(),
                    reason_codes: Vec::new(),
                    exemptions: Vec::new(),
                    rules_fired: Vec::new(),
                    scheme_version: row
                        .try_get::<Option<String>, _>("scheme_version")?
                        .unwrap_or_default(),
                },
            })
        })
        .collect()
}

/// One application's new assessment, as the batch writes it.
#[derive(Debug, Serialize)]
pub struct Reassessed<'a> {
    pub application_id: Uuid,
    pub outcome: &'static str,
    pub band: &'a str,
    pub points: Option<u32>,
    pub priority: i32,
    pub bedroom_need: u32,
    pub effective_date: NaiveDate,
    pub reasonable_preference: &'a [String],
    pub reason_codes: &'a [String],
    pub exemptions: &'a [String],
    pub rules_fired: &'a [String],
    pub awaiting: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct Move<'a> {
    pub application_id: Uuid,
    pub reference: &'a str,
    pub from_outcome: &'a str,
    pub to_outcome: &'static str,
    pub from_band: &'a str,
    pub to_band: &'a str,
    pub from_points: Option<u32>,
    pub to_points: Option<u32>,
}

/// Writes a batch: every assessment to the audit, each application's one in force, the
/// moves to the report, and the run's progress, in one statement each.
#[allow(clippy::too_many_arguments)]
pub async fn write_batch(
    conn: &mut PgConnection,
    run: Uuid,
    version: &str,
    at: DateTime<Utc>,
    rows: &[Reassessed<'_>],
    moves: &[Move<'_>],
    cursor: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH x AS (
             SELECT * FROM jsonb_to_recordset($1) AS x(
                 application_id uuid, outcome text, band text, points integer, priority integer,
                 bedroom_need integer, effective_date date, reasonable_preference text[],
                 reason_codes text[], exemptions text[], rules_fired text[], awaiting text[])
         ), audit AS (
             INSERT INTO assessments (application_id, outcome, band, points, bedroom_need, effective_date,
                                      reasonable_preference, reason_codes, exemptions, rules_fired,
                                      scheme_version, trigger, assessed_by, assessed_at)
             SELECT application_id, outcome, band, points, bedroom_need, effective_date,
                    reasonable_preference, reason_codes, exemptions, rules_fired,
                    $2, 'scheme_change', 'system:scheme-change', $3
             FROM x
         )
         UPDATE applications a
         SET outcome = x.outcome, band = x.band, points = x.points, priority = x.priority,
             bedroom_need = x.bedroom_need, effective_date = x.effective_date,
             awaiting_reassessment = x.awaiting, scheme_version = $2, updated_at = $3
         FROM x WHERE a.id = x.application_id",
    )
    .bind(Json(rows))
    .bind(version)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    if !moves.is_empty() {
        sqlx::query(
            "INSERT INTO reassessment_moves (run_id, application_id, reference, from_outcome, to_outcome,
                                             from_band, to_band, from_points, to_points)
             SELECT $2, application_id, reference, from_outcome, to_outcome, from_band, to_band,
                    from_points, to_points
             FROM jsonb_to_recordset($1) AS m(application_id uuid, reference text, from_outcome text,
                  to_outcome text, from_band text, to_band text, from_points integer, to_points integer)",
        )
        .bind(Json(moves))
        .bind(run)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "UPDATE reassessment_runs SET done = done + $2, moved = moved + $3, cursor = $4 WHERE id = $1",
    )
    .bind(run)
    .bind(rows.len() as i64)
    .bind(moves.len() as i64)
    .bind(cursor)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn complete(conn: &mut PgConnection, run: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE reassessment_runs SET state = 'completed', completed_at = now() WHERE id = $1",
    )
    .bind(run)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct MoveRow {
    pub application_id: Uuid,
    pub reference: String,
    pub from_outcome: Option<String>,
    pub to_outcome: String,
    pub from_band: Option<String>,
    pub to_band: String,
    pub from_points: Option<i32>,
    pub to_points: Option<i32>,
}

pub async fn moves(
    conn: &mut PgConnection,
    run: Uuid,
    limit: i64,
) -> Result<Vec<MoveRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT application_id, reference, from_outcome, to_outcome, from_band, to_band, from_points, to_points
         FROM reassessment_moves WHERE run_id = $1 ORDER BY reference LIMIT $2",
    )
    .bind(run)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(MoveRow {
                application_id: row.try_get("application_id")?,
                reference: row.try_get("reference")?,
                from_outcome: row.try_get("from_outcome")?,
                to_outcome: row.try_get("to_outcome")?,
                from_band: row.try_get("from_band")?,
                to_band: row.try_get("to_band")?,
                from_points: row.try_get("from_points")?,
                to_points: row.try_get("to_points")?,
            })
        })
        .collect()
}
