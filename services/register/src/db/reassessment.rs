//! The re-assessment of the whole register after a scheme change: the run's progress, the
//! batches it reads and writes, and its report of who moved.

use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::db::Pool;
use serde::Serialize;
use sqlx::types::Json;
use sqlx::{PgConnection, Row};
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

/// The run that puts `version` in force: the newest run if it is for `version`, else a new
/// one over every live application. `None` when there is nothing to re-assess: a register
/// with no live applications, or one whose applications were all assessed under `version`
/// before runs were kept.
pub async fn start(pool: &Pool, version: &str) -> Result<Option<Run>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Replicas starting together agree on one run.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('register.reassessment.start'))")
        .execute(&mut *tx)
        .await?;
    if let Some(newest) = find(&mut tx, None, None).await?
        && newest.scheme_version == version
    {
        return Ok(Some(newest));
    }
    let (live, stale): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE scheme_version IS DISTINCT FROM $1)
         FROM applications WHERE status IN ('active', 'suspended')",
    )
    .bind(version)
    .fetch_one(&mut *tx)
    .await?;
    let any_run: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM reassessment_runs)")
        .fetch_one(&mut *tx)
        .await?;
    if stale == 0 && !any_run {
        return Ok(None);
    }
    sqlx::query(
        "INSERT INTO reassessment_runs (id, scheme_version, total, started_at) VALUES ($1, $2, $3, now())",
    )
    .bind(Uuid::now_v7())
    .bind(version)
    .bind(live)
    .execute(&mut *tx)
    .await?;
    let run = find(&mut tx, None, None).await?;
    tx.commit().await?;
    Ok(run)
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
         ORDER BY started_at DESC, id DESC LIMIT 1",
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
    pub postcode: String,
    pub registered_on: NaiveDate,
    pub waived: Vec<String>,
    pub overrides: Overrides,
    pub assessment: Assessment,
    pub priority: Option<i32>,
    pub awaiting: Vec<String>,
    /// When the application last changed, so the batch writes only over what it read.
    pub updated_at: DateTime<Utc>,
}

/// The next `limit` live applications after `cursor`. They are not locked: the writes
/// skip any an officer changed meanwhile, and the run's last sweep takes those.
pub async fn next_batch(
    conn: &mut PgConnection,
    cursor: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Current>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, reference, status, household, details, area, postcode, submitted_at, waived_rules,
                band_override, need_override, outcome, band, points, bedroom_need, effective_date,
                scheme_version, priority, awaiting_reassessment, updated_at
         FROM applications
         WHERE status IN ('active', 'suspended') AND ($1::uuid IS NULL OR id > $1)
         ORDER BY id LIMIT $2",
    )
    .bind(cursor)
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
                postcode: row.try_get("postcode")?,
                registered_on: housing_platform::time::council_date(submitted_at),
                waived: row.try_get("waived_rules")?,
                overrides: super::applications::overrides_from_row(row)?,
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
                        .unwrap_or(housing_platform::time::council_date(submitted_at)),
                    reasonable_preference: Vec::new(),
                    additional_preference: false,
                    transfer: false,
                    reason_codes: Vec::new(),
                    exemptions: Vec::new(),
                    rules_fired: Vec::new(),
                    scheme_version: row
                        .try_get::<Option<String>, _>("scheme_version")?
                        .unwrap_or_default(),
                },
                priority: row.try_get("priority")?,
                awaiting: row.try_get("awaiting_reassessment")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect()
}

/// One application's new assessment, as the batch writes it.
pub struct Reassessed<'a> {
    pub application_id: Uuid,
    pub seen_updated_at: DateTime<Utc>,
    pub assessment: &'a Assessment,
    pub priority: i32,
    pub awaiting: &'a [String],
    /// Whether anything a shortlist or an officer reads differs from what stands.
    pub changed: bool,
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

/// Lists travel as one string each, joined by a character no rule text contains, so the
/// whole batch goes as flat arrays in the binary protocol.
const SEPARATOR: char = '\u{1f}';

fn joined(list: &[String]) -> String {
    list.join(&SEPARATOR.to_string())
}

/// Writes a batch: every assessment into the audit and, only where it changed and the
/// application is as it was read, the application's standing assessment. Rows whose standing
/// is unchanged are not rewritten, which keeps a whole-register run to about one insert per
/// application. An application someone changed while its batch was assessed may get an
/// audit row from what it was before; the run's closing sweep re-assesses every such one
/// under lock, so the newest assessment is right. The run's own writes leave `updated_at`
/// alone, so that sweep finds only what others changed.
pub async fn write_assessments(
    conn: &mut PgConnection,
    version: &str,
    at: DateTime<Utc>,
    rows: &[Reassessed<'_>],
) -> Result<(), sqlx::Error> {
    let column = |f: fn(&Reassessed) -> String| rows.iter().map(f).collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO assessments (application_id, outcome, band, points, bedroom_need, effective_date,
                                  reasonable_preference, reason_codes, exemptions, rules_fired,
                                  scheme_version, trigger, assessed_by, assessed_at,
                                  additional_preference, transfer)
         SELECT x.application_id, x.outcome, x.band, x.points, x.bedroom_need, x.effective_date,
                string_to_array(x.reasonable_preference, E'\\x1f'), string_to_array(x.reason_codes, E'\\x1f'),
                string_to_array(x.exemptions, E'\\x1f'), string_to_array(x.rules_fired, E'\\x1f'),
                $11, 'scheme_change', 'system:scheme-change', $12, x.additional_preference, x.transfer
         FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[],
                     $6::date[], $7::text[], $8::text[], $9::text[], $10::text[], $13::bool[], $14::bool[])
              AS x(application_id, outcome, band, points, bedroom_need,
                   effective_date, reasonable_preference, reason_codes, exemptions, rules_fired,
                   additional_preference, transfer)",
    )
    .bind(rows.iter().map(|r| r.application_id).collect::<Vec<_>>())
    .bind(column(|r| r.assessment.outcome.as_str().to_owned()))
    .bind(column(|r| r.assessment.band.clone()))
    .bind(rows.iter().map(|r| r.assessment.points.map(|p| p as i32)).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.assessment.bedroom_need as i32).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.assessment.effective_date).collect::<Vec<_>>())
    .bind(column(|r| joined(&r.assessment.reasonable_preference)))
    .bind(column(|r| joined(&r.assessment.reason_codes)))
    .bind(column(|r| joined(&r.assessment.exemptions)))
    .bind(column(|r| joined(&r.assessment.rules_fired)))
    .bind(version)
    .bind(at)
    .bind(rows.iter().map(|r| r.assessment.additional_preference).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.assessment.transfer).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?;
    let changed: Vec<&Reassessed> = rows.iter().filter(|r| r.changed).collect();
    if changed.is_empty() {
        return Ok(());
    }
    let column = |f: fn(&Reassessed) -> String| changed.iter().map(|r| f(r)).collect::<Vec<_>>();
    sqlx::query(
        "UPDATE applications a
         SET outcome = x.outcome, band = x.band, points = x.points, priority = x.priority,
             bedroom_need = x.bedroom_need, effective_date = x.effective_date,
             awaiting_reassessment = string_to_array(x.awaiting, E'\\x1f'),
             scheme_version = $10
         FROM UNNEST($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[],
                     $7::int[], $8::date[], $9::text[])
              AS x(application_id, seen_updated_at, outcome, band, points, priority, bedroom_need,
                   effective_date, awaiting)
         WHERE a.id = x.application_id AND a.updated_at = x.seen_updated_at",
    )
    .bind(changed.iter().map(|r| r.application_id).collect::<Vec<_>>())
    .bind(
        changed
            .iter()
            .map(|r| r.seen_updated_at)
            .collect::<Vec<_>>(),
    )
    .bind(column(|r| r.assessment.outcome.as_str().to_owned()))
    .bind(column(|r| r.assessment.band.clone()))
    .bind(
        changed
            .iter()
            .map(|r| r.assessment.points.map(|p| p as i32))
            .collect::<Vec<_>>(),
    )
    .bind(changed.iter().map(|r| r.priority).collect::<Vec<_>>())
    .bind(
        changed
            .iter()
            .map(|r| r.assessment.bedroom_need as i32)
            .collect::<Vec<_>>(),
    )
    .bind(
        changed
            .iter()
            .map(|r| r.assessment.effective_date)
            .collect::<Vec<_>>(),
    )
    .bind(column(|r| joined(r.awaiting)))
    .bind(version)
    .execute(conn)
    .await?;
    Ok(())
}

/// Live applications an officer or a job changed since `since`: the run's last sweep
/// re-assesses them one by one, under lock.
pub async fn changed_since(pool: &Pool, since: DateTime<Utc>) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM applications
         WHERE status IN ('active', 'suspended') AND updated_at >= $1 ORDER BY id",
    )
    .bind(since)
    .fetch_all(pool)
    .await
}

/// The batch's moves into the report and its progress into the run.
pub async fn record_progress(
    conn: &mut PgConnection,
    run: Uuid,
    moves: &[Move<'_>],
    done: i64,
    cursor: Uuid,
) -> Result<(), sqlx::Error> {
    if !moves.is_empty() {
        sqlx::query(
            "INSERT INTO reassessment_moves (run_id, application_id, reference, from_outcome, to_outcome,
                                             from_band, to_band, from_points, to_points)
             SELECT $2, application_id, reference, from_outcome, to_outcome, from_band, to_band,
                    from_points, to_points
             FROM jsonb_to_recordset($1) AS m(application_id uuid, reference text, from_outcome text,
                  to_outcome text, from_band text, to_band text, from_points integer, to_points integer)
             ON CONFLICT (run_id, application_id) DO UPDATE
             SET to_outcome = excluded.to_outcome, to_band = excluded.to_band, to_points = excluded.to_points",
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
    .bind(done)
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
