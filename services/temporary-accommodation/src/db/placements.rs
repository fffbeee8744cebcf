use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::money::Pence;
use sqlx::types::Json;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::clocks::S208_OUTSTANDING;
use super::stock::{enum_name, parse_enum};
use crate::domain::household::Person;
use crate::domain::matching::{Anchor, AnchorKind, Need};
use crate::domain::placement::{ClosureReason, Duty, PlacementStatus};
use crate::domain::unit::{Location, Unit, UnitType};

#[derive(Debug, Clone)]
pub struct PlacementRequestRecord {
    pub id: Uuid,
    pub application_id: Option<Uuid>,
    pub lead_name: String,
    pub need: Need,
    pub duty: Duty,
    pub needed_from: NaiveDate,
    /// The household as the register application holds it, when taken from there.
    pub household: Option<FromRegister>,
}

/// What a placement request took from the register application.
#[derive(Debug, Clone, Default)]
pub struct FromRegister {
    pub people: Vec<Person>,
    /// The officer's answers that differ from the register, confirmed by whoever made the
    /// request.
    pub confirmed_differences: Vec<String>,
}

pub async fn insert_request(
    conn: &mut PgConnection,
    r: &PlacementRequestRecord,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let anchors: Vec<(f64, f64)> = r
        .need
        .anchors
        .iter()
        .map(|a| (a.location.latitude, a.location.longitude))
        .collect();
    let kinds: Vec<Option<AnchorKind>> = r.need.anchors.iter().map(|a| a.kind).collect();
    sqlx::query(
        "INSERT INTO placement_requests (id, application_id, lead_name, household_size, bedrooms_needed, has_children,
             pregnant, needs_step_free, needs_wheelchair_access, duty, anchors, needed_from, requested_by, created_at,
             weekly_income_pence, anchor_kinds, needs_lift, from_register, people, confirmed_differences)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
    )
    .bind(r.id)
    .bind(r.application_id)
    .bind(&r.lead_name)
    .bind(r.need.household_size as i32)
    .bind(r.need.bedrooms_needed as i32)
    .bind(r.need.has_children)
    .bind(r.need.pregnant)
    .bind(r.need.needs_step_free)
    .bind(r.need.needs_wheelchair_access)
    .bind(enum_name(&r.duty))
    .bind(Json(anchors))
    .bind(r.needed_from)
    .bind(by)
    .bind(at)
    .bind(r.need.weekly_income_pence)
    .bind(Json(kinds))
    .bind(r.need.needs_lift)
    .bind(r.household.is_some())
    .bind(Json(r.household.as_ref().map_or(&[][..], |h| &h.people[..])))
    .bind(r.household.as_ref().map_or(&[][..], |h| &h.confirmed_differences[..]))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_request(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<PlacementRequestRecord>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM placement_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        Ok(PlacementRequestRecord {
            id: row.try_get("id")?,
            application_id: row.try_get("application_id")?,
            lead_name: row.try_get("lead_name")?,
            need: need_from_row(&row)?,
            duty: parse_enum(row.try_get("duty")?)?,
            needed_from: row.try_get("needed_from")?,
            household: if row.try_get("from_register")? {
                Some(FromRegister {
                    people: row.try_get::<Json<Vec<Person>>, _>("people")?.0,
                    confirmed_differences: row.try_get("confirmed_differences")?,
                })
            } else {
                None
            },
        })
    })
    .transpose()
}

/// The household's need from a row with `placement_requests`' columns.
pub fn need_from_row(row: &sqlx::postgres::PgRow) -> Result<Need, sqlx::Error> {
    let anchors: Vec<(f64, f64)> = row.try_get::<Json<Vec<(f64, f64)>>, _>("anchors")?.0;
    let kinds: Vec<Option<AnchorKind>> = row
        .try_get::<Json<Vec<Option<AnchorKind>>>, _>("anchor_kinds")?
        .0;
    Ok(Need {
        household_size: row.try_get::<i32, _>("household_size")? as u32,
        bedrooms_needed: row.try_get::<i32, _>("bedrooms_needed")? as u32,
        has_children: row.try_get("has_children")?,
        pregnant: row.try_get("pregnant")?,
        needs_step_free: row.try_get("needs_step_free")?,
        needs_lift: row.try_get("needs_lift")?,
        needs_wheelchair_access: row.try_get("needs_wheelchair_access")?,
        weekly_income_pence: row.try_get("weekly_income_pence")?,
        anchors: anchors
            .into_iter()
            .enumerate()
            .map(|(i, (latitude, longitude))| Anchor {
                kind: kinds.get(i).copied().flatten(),
                location: Location {
                    latitude,
                    longitude,
                },
            })
            .collect(),
    })
}

#[derive(Debug, Clone)]
pub struct PlacementRecord {
    pub id: Uuid,
    /// The reference people quote ("TAP-0000123"), assigned when the placement is stored.
    pub reference: String,
    pub placement_request_id: Uuid,
    pub application_id: Option<Uuid>,
    pub unit_id: Uuid,
    pub status: PlacementStatus,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub weekly_rent_pence: i64,
    pub weekly_service_charge_pence: i64,
    pub closure_reason: Option<ClosureReason>,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
    pub signed_up_at: Option<DateTime<Utc>>,
    /// The first night of the current run in bed and breakfast, while in one.
    pub bnb_since: Option<NaiveDate>,
    /// Where a decision ended the duty: the last day of the notice the household was given.
    pub duty_ends_on: Option<NaiveDate>,
}

/// The decision that starts every placement.
const STARTED: &str = "started";

/// Stores a new placement with its first stay and the decision that started it (`reason`,
/// with `detail` on the ranking behind it); returns the reference it was given and the
/// decision as stored.
pub async fn insert_placement(
    conn: &mut PgConnection,
    p: &PlacementRecord,
    reason: &str,
    detail: serde_json::Value,
) -> Result<(String, Decision), sqlx::Error> {
    // The placement, its first stay and the decision that started it in one statement: two
    // round trips fewer for every placement made.
    let (reference, decided_at) = sqlx::query_as(
        "WITH placed AS (
             INSERT INTO placements (id, placement_request_id, application_id, unit_id, status, start_date,
                                     weekly_rent_pence, decided_by, decided_at, weekly_service_charge_pence, bnb_since)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             RETURNING id, unit_id, start_date, reference, decided_by, decided_at),
         stay AS (
             INSERT INTO placement_stays (placement_id, unit_id, from_date)
             SELECT id, unit_id, start_date FROM placed),
         decided AS (
             INSERT INTO placement_decisions (placement_id, decision, reason, detail, decided_by, decided_at)
             SELECT id, $12, $13, $14, decided_by, decided_at FROM placed
             RETURNING decided_at)
         SELECT placed.reference, decided.decided_at FROM placed, decided",
    )
    .bind(p.id)
    .bind(p.placement_request_id)
    .bind(p.application_id)
    .bind(p.unit_id)
    .bind(enum_name(&p.status))
    .bind(p.start_date)
    .bind(p.weekly_rent_pence)
    .bind(&p.decided_by)
    .bind(p.decided_at)
    .bind(p.weekly_service_charge_pence)
    .bind(p.bnb_since)
    .bind(STARTED)
    .bind(reason)
    .bind(detail)
    .fetch_one(conn)
    .await?;
    Ok((
        reference,
        Decision {
            decision: STARTED.to_owned(),
            reason: reason.to_owned(),
            decided_by: p.decided_by.clone(),
            decided_at,
        },
    ))
}

/// Records a decision on a placement: the decision as stored.
pub async fn record_decision(
    conn: &mut PgConnection,
    placement_id: Uuid,
    decision: &str,
    reason: &str,
    detail: serde_json::Value,
    by: &str,
    at: DateTime<Utc>,
) -> Result<Decision, sqlx::Error> {
    let decided_at = sqlx::query_scalar(
        "INSERT INTO placement_decisions (placement_id, decision, reason, detail, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING decided_at",
    )
    .bind(placement_id)
    .bind(decision)
    .bind(reason)
    .bind(detail)
    .bind(by)
    .bind(at)
    .fetch_one(conn)
    .await?;
    Ok(Decision {
        decision: decision.to_owned(),
        reason: reason.to_owned(),
        decided_by: by.to_owned(),
        decided_at,
    })
}

pub async fn close(
    conn: &mut PgConnection,
    id: Uuid,
    end: NaiveDate,
    reason: ClosureReason,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE placements SET status = 'closed', end_date = $2, closure_reason = $3, bnb_since = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(end)
    .bind(enum_name(&reason))
    .execute(&mut *conn)
    .await?;
    end_stay(conn, id, end).await
}

async fn end_stay(conn: &mut PgConnection, id: Uuid, end: NaiveDate) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE placement_stays SET to_date = $2 WHERE placement_id = $1 AND to_date IS NULL",
    )
    .bind(id)
    .bind(end)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn sign_up(
    conn: &mut PgConnection,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE placements SET status = 'active', signed_up_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves the placement to `p.unit_id` from `p`'s transfer date: the stay before ends the
/// night before, and the charges and B&B run follow the new unit.
pub async fn transfer(
    conn: &mut PgConnection,
    p: &PlacementRecord,
    on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE placements SET unit_id = $2, weekly_rent_pence = $3, weekly_service_charge_pence = $4, bnb_since = $5
         WHERE id = $1",
    )
    .bind(p.id)
    .bind(p.unit_id)
    .bind(p.weekly_rent_pence)
    .bind(p.weekly_service_charge_pence)
    .bind(p.bnb_since)
    .execute(&mut *conn)
    .await?;
    end_stay(conn, p.id, on).await?;
    sqlx::query(
        "INSERT INTO placement_stays (placement_id, unit_id, from_date) VALUES ($1, $2, $3)",
    )
    .bind(p.id)
    .bind(p.unit_id)
    .bind(on)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub decision: String,
    pub reason: String,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

pub async fn decisions(conn: &mut PgConnection, id: Uuid) -> Result<Vec<Decision>, sqlx::Error> {
    let rows: Vec<(String, String, String, DateTime<Utc>)> = sqlx::query_as(
        "SELECT decision, reason, decided_by, decided_at FROM placement_decisions
         WHERE placement_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(decision, reason, decided_by, decided_at)| Decision {
            decision,
            reason,
            decided_by,
            decided_at,
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stay {
    pub unit_id: Uuid,
    pub unit_type: UnitType,
    pub address: String,
    pub local_authority: String,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}

impl Stay {
    /// A stay in `unit` from `from`, not ended.
    pub fn starting(unit: &Unit, from: NaiveDate) -> Self {
        Self {
            unit_id: unit.id,
            unit_type: unit.unit_type,
            address: unit.address.clone(),
            local_authority: unit.local_authority.clone(),
            from_date: from,
            to_date: None,
        }
    }
}

pub async fn stays(conn: &mut PgConnection, id: Uuid) -> Result<Vec<Stay>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.unit_id, u.unit_type, u.address, u.local_authority, s.from_date, s.to_date
         FROM placement_stays s JOIN units u ON u.id = s.unit_id
         WHERE s.placement_id = $1 ORDER BY s.from_date",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Stay {
                unit_id: r.try_get("unit_id")?,
                unit_type: parse_enum(r.try_get("unit_type")?)?,
                address: r.try_get("address")?,
                local_authority: r.try_get("local_authority")?,
                from_date: r.try_get("from_date")?,
                to_date: r.try_get("to_date")?,
            })
        })
        .collect()
}

const PLACEMENT_COLUMNS: &str =
    "id, reference, placement_request_id, application_id, unit_id, status, start_date, end_date,
    weekly_rent_pence, weekly_service_charge_pence, closure_reason, decided_by, decided_at,
    signed_up_at, bnb_since, duty_ends_on";

pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<PlacementRecord>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {PLACEMENT_COLUMNS} FROM placements WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| from_row(&r)).transpose()
}

pub async fn set_duty_end(
    conn: &mut PgConnection,
    placement_id: Uuid,
    on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE placements SET duty_ends_on = $2 WHERE id = $1")
        .bind(placement_id)
        .bind(on)
        .execute(conn)
        .await?;
    Ok(())
}

/// Open placements whose notice after a duty-ending decision has run out by `on`.
pub async fn duty_ended_by(
    conn: &mut PgConnection,
    on: NaiveDate,
) -> Result<Vec<PlacementRecord>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {PLACEMENT_COLUMNS} FROM placements
         WHERE status <> 'closed' AND duty_ends_on <= $1 ORDER BY id FOR UPDATE"
    ))
    .bind(on)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn active_for_application(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> Result<Option<PlacementRecord>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {PLACEMENT_COLUMNS} FROM placements WHERE application_id = $1 AND status <> 'closed' FOR UPDATE"
    ))
    .bind(application_id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| from_row(&r)).transpose()
}

fn from_row(row: &sqlx::postgres::PgRow) -> Result<PlacementRecord, sqlx::Error> {
    Ok(PlacementRecord {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        placement_request_id: row.try_get("placement_request_id")?,
        application_id: row.try_get("application_id")?,
        unit_id: row.try_get("unit_id")?,
        status: parse_enum(row.try_get("status")?)?,
        start_date: row.try_get("start_date")?,
        end_date: row.try_get("end_date")?,
        weekly_rent_pence: row.try_get("weekly_rent_pence")?,
        weekly_service_charge_pence: row.try_get("weekly_service_charge_pence")?,
        closure_reason: row
            .try_get::<Option<String>, _>("closure_reason")?
            .map(parse_enum)
            .transpose()?,
        decided_by: row.try_get("decided_by")?,
        decided_at: row.try_get("decided_at")?,
        signed_up_at: row.try_get("signed_up_at")?,
        bnb_since: row.try_get("bnb_since")?,
        duty_ends_on: row.try_get("duty_ends_on")?,
    })
}

/// Which placements a list shows: `None` is any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<PlacementStatus>,
    pub application_id: Option<Uuid>,
    /// The type of the unit the household is in now.
    pub unit_type: Option<UnitType>,
    /// Only families in B&B whose run began on or before this date.
    pub bnb_since_by: Option<NaiveDate>,
    /// Only placements with an s.208 notice outstanding, and with `Some(on)` only those
    /// whose notice was due before `on`.
    pub s208_outstanding: Option<Option<NaiveDate>>,
}

/// A placement as a list shows it, with the unit the household is in now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: Uuid,
    pub application_id: Option<Uuid>,
    pub unit_id: Uuid,
    pub unit_address: String,
    pub unit_type: UnitType,
    pub status: PlacementStatus,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub weekly_rent: Pence,
    pub bnb_since: Option<NaiveDate>,
    /// Children or someone pregnant: the B&B limit applies.
    pub family: bool,
    /// The day the outstanding s.208 notice is due, while one is.
    pub s208_due_on: Option<NaiveDate>,
}

/// Up to `limit` placements matching `filter`, oldest start first, after the position
/// `after` (start date, id).
pub async fn list(
    conn: &mut PgConnection,
    filter: &Filter,
    after: Option<(NaiveDate, Uuid)>,
    limit: i64,
) -> Result<Vec<Listed>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT p.id, p.application_id, p.unit_id, u.address, u.unit_type, p.status, p.start_date,
                p.end_date, p.weekly_rent_pence, p.bnb_since, (r.has_children OR r.pregnant) AS family,
                s208.due_on AS s208_due_on
         FROM placements p JOIN units u ON u.id = p.unit_id
         JOIN placement_requests r ON r.id = p.placement_request_id
         LEFT JOIN LATERAL (
             SELECT min(n.due_on) AS due_on FROM s208_notifications n
             WHERE n.placement_id = p.id AND {S208_OUTSTANDING}) s208 ON true
         WHERE ($1::text IS NULL OR p.status = $1)
           AND ($2::uuid IS NULL OR p.application_id = $2)
           AND ($3::text IS NULL OR u.unit_type = $3)
           AND ($4::date IS NULL OR ((r.has_children OR r.pregnant) AND p.bnb_since <= $4))
           AND ($5::date IS NULL OR (p.start_date, p.id) > ($5, $6::uuid))
           AND (NOT $8 OR s208.due_on < coalesce($9::date, 'infinity'::date))
         ORDER BY p.start_date, p.id
         LIMIT $7"
    ))
    .bind(filter.status.as_ref().map(enum_name))
    .bind(filter.application_id)
    .bind(filter.unit_type.as_ref().map(enum_name))
    .bind(filter.bnb_since_by)
    .bind(after.map(|(on, _)| on))
    .bind(after.map(|(_, id)| id))
    .bind(limit)
    .bind(filter.s208_outstanding.is_some())
    .bind(filter.s208_outstanding.flatten())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Listed {
                id: r.try_get("id")?,
                application_id: r.try_get("application_id")?,
                unit_id: r.try_get("unit_id")?,
                unit_address: r.try_get("address")?,
                unit_type: parse_enum(r.try_get("unit_type")?)?,
                status: parse_enum(r.try_get("status")?)?,
                start_date: r.try_get("start_date")?,
                end_date: r.try_get("end_date")?,
                weekly_rent: Pence::new(r.try_get("weekly_rent_pence")?),
                bnb_since: r.try_get("bnb_since")?,
                family: r.try_get("family")?,
                s208_due_on: r.try_get("s208_due_on")?,
            })
        })
        .collect()
}
