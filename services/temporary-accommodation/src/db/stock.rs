use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::money::Pence;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::domain::unit::{Certificate, Cost, Location, Unit};

pub async fn provider_name(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT name, contact_email FROM providers WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn insert_unit(
    conn: &mut PgConnection,
    unit: &Unit,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO units (id, provider_id, address, local_authority, latitude, longitude, unit_type, bedrooms,
                            max_occupancy, self_contained, step_free, wheelchair_accessible, weekly_cost_pence,
                            weekly_rent_pence, block_booked, created_at, weekly_service_charge_pence, lift,
                            nightly_cost_pence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(unit.id)
    .bind(unit.provider_id)
    .bind(&unit.address)
    .bind(&unit.local_authority)
    .bind(unit.location.latitude)
    .bind(unit.location.longitude)
    .bind(enum_name(&unit.unit_type))
    .bind(unit.bedrooms as i32)
    .bind(unit.max_occupancy as i32)
    .bind(unit.self_contained)
    .bind(unit.step_free)
    .bind(unit.wheelchair_accessible)
    // A unit's costs are held to their ranges before it is stored: a week of any of them fits.
    .bind(
        unit.cost
            .weekly_pence()
            .map_err(|e| sqlx::Error::Encode(e.into()))?
            .get(),
    )
    .bind(unit.weekly_rent_pence)
    .bind(unit.block_booked)
    .bind(at)
    .bind(unit.weekly_service_charge_pence)
    .bind(unit.lift)
    .bind(unit.cost.nightly_pence().map(Pence::get))
    .execute(&mut *conn)
    .await?;
    for c in &unit.certificates {
        sqlx::query("INSERT INTO certificates (unit_id, kind, issued_on, expires_on) VALUES ($1, $2, $3, $4)")
            .bind(unit.id)
            .bind(enum_name(&c.kind))
            .bind(c.issued_on)
            .bind(c.expires_on)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub const UNIT_COLUMNS: &str = "u.id, u.provider_id, u.address, u.local_authority, u.latitude, u.longitude, u.unit_type,
    u.bedrooms, u.max_occupancy, u.self_contained, u.step_free, u.wheelchair_accessible, u.weekly_cost_pence,
    u.weekly_rent_pence, u.weekly_service_charge_pence, u.block_booked, u.lift, u.nightly_cost_pence";

pub async fn find_unit(conn: &mut PgConnection, id: Uuid) -> Result<Option<Unit>, sqlx::Error> {
    Ok(units_where(conn, "u.id = ANY($1)", Some(&[id]))
        .await?
        .pop())
}

/// The units meeting `condition` (on `units u`, its `$1` bound to `ids` if given), each
/// with its certificates.
async fn units_where(
    conn: &mut PgConnection,
    condition: &str,
    ids: Option<&[Uuid]>,
) -> Result<Vec<Unit>, sqlx::Error> {
    let sql = format!("SELECT {UNIT_COLUMNS} FROM units u WHERE {condition}");
    let mut query = sqlx::query(&sql);
    if let Some(ids) = ids {
        query = query.bind(ids);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut units = rows
        .iter()
        .map(unit_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let selecting = format!("SELECT u.id FROM units u WHERE {condition}");
    attach_certificates(conn, units.iter_mut().collect(), &selecting, ids).await?;
    Ok(units)
}

/// The vacant units as of the snapshot returned (PostgreSQL's `pg_snapshot`, as text).
pub async fn vacant_snapshot(
    pool: &housing_platform::db::Pool,
) -> Result<(String, Vec<Unit>), sqlx::Error> {
    let mut tx = begin_snapshot(pool).await?;
    let snapshot = sqlx::query_scalar("SELECT pg_current_snapshot()::text")
        .fetch_one(&mut *tx)
        .await?;
    let units = vacant_units(&mut tx).await?;
    tx.commit().await?;
    Ok((snapshot, units))
}

/// What changed in the stock since the snapshot `since`: the snapshot it is as of now,
/// the units changed meanwhile, and those of them vacant now. A change is a transaction
/// that committed after `since` was taken and before now.
pub struct Changes {
    pub snapshot: String,
    pub changed: Vec<Uuid>,
    pub vacant: Vec<Unit>,
}

pub async fn changes_since(
    pool: &housing_platform::db::Pool,
    since: &str,
) -> Result<Changes, sqlx::Error> {
    let mut tx = begin_snapshot(pool).await?;
    let (snapshot, changed): (String, Vec<Uuid>) = sqlx::query_as(
        "SELECT pg_current_snapshot()::text,
                ARRAY(SELECT DISTINCT unit_id FROM stock_changes
                      WHERE xid >= pg_snapshot_xmin($1::pg_snapshot)
                        AND NOT pg_visible_in_snapshot(xid, $1::pg_snapshot))",
    )
    .bind(since)
    .fetch_one(&mut *tx)
    .await?;
    let vacant = if changed.is_empty() {
        Vec::new()
    } else {
        units_where(
            &mut tx,
            &format!("u.id = ANY($1) AND {VACANT}"),
            Some(&changed),
        )
        .await?
    };
    tx.commit().await?;
    Ok(Changes {
        snapshot,
        changed,
        vacant,
    })
}

/// One snapshot for every statement, so the units read agree with the snapshot named.
async fn begin_snapshot(
    pool: &housing_platform::db::Pool,
) -> Result<housing_platform::db::Tx, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// How long changes to the stock are kept for replicas to bring their copies up to date from.
pub const CHANGES_KEPT: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Forgets changes older than [`CHANGES_KEPT`]; returns how many.
pub async fn prune_changes(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM stock_changes WHERE at < now() - make_interval(secs => $1)")
            .bind(CHANGES_KEPT.as_secs_f64())
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

/// In use and with no household in it now. A withdrawn unit is never offered.
const VACANT: &str = "u.withdrawn_on IS NULL
    AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.unit_id = u.id AND p.status <> 'closed')";

/// What happened to a unit, in its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitChange {
    Created,
    Updated,
    CertificateRenewed,
    Withdrawn,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub change: String,
    pub detail: String,
    pub changed_by: String,
    pub changed_at: DateTime<Utc>,
}

pub async fn record_change(
    conn: &mut PgConnection,
    unit_id: Uuid,
    change: UnitChange,
    detail: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO unit_history (unit_id, change, detail, changed_by, changed_at)
         VALUES ($1, $2::text::unit_change, $3, $4, $5)",
    )
    .bind(unit_id)
    .bind(enum_name(&change))
    .bind(detail)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn history(
    conn: &mut PgConnection,
    unit_id: Uuid,
) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    let rows: Vec<(String, String, String, DateTime<Utc>)> = sqlx::query_as(
        "SELECT change::text, detail, changed_by, changed_at FROM unit_history
         WHERE unit_id = $1 ORDER BY id",
    )
    .bind(unit_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(change, detail, changed_by, changed_at)| HistoryEntry {
            change,
            detail,
            changed_by,
            changed_at,
        })
        .collect())
}

/// Whether the unit is withdrawn (from when) and whether a household lives in it now; the
/// unit is locked for a change.
pub async fn standing(
    conn: &mut PgConnection,
    unit_id: Uuid,
) -> Result<Option<(Option<NaiveDate>, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.withdrawn_on,
                EXISTS (SELECT 1 FROM placements p WHERE p.unit_id = u.id AND p.status <> 'closed')
         FROM units u WHERE u.id = $1 FOR UPDATE OF u",
    )
    .bind(unit_id)
    .fetch_optional(conn)
    .await
}

/// Replaces what may change of a unit after registration: all but its provider and
/// certificates.
pub async fn update_unit(conn: &mut PgConnection, unit: &Unit) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE units SET address = $2, local_authority = $3, latitude = $4, longitude = $5,
                          unit_type = $6, bedrooms = $7, max_occupancy = $8, self_contained = $9,
                          step_free = $10, wheelchair_accessible = $11, weekly_cost_pence = $12,
                          weekly_rent_pence = $13, block_booked = $14, weekly_service_charge_pence = $15,
                          lift = $16, nightly_cost_pence = $17
         WHERE id = $1",
    )
    .bind(unit.id)
    .bind(&unit.address)
    .bind(&unit.local_authority)
    .bind(unit.location.latitude)
    .bind(unit.location.longitude)
    .bind(enum_name(&unit.unit_type))
    .bind(unit.bedrooms as i32)
    .bind(unit.max_occupancy as i32)
    .bind(unit.self_contained)
    .bind(unit.step_free)
    .bind(unit.wheelchair_accessible)
    .bind(
        unit.cost
            .weekly_pence()
            .map_err(|e| sqlx::Error::Encode(e.into()))?
            .get(),
    )
    .bind(unit.weekly_rent_pence)
    .bind(unit.block_booked)
    .bind(unit.weekly_service_charge_pence)
    .bind(unit.lift)
    .bind(unit.cost.nightly_pence().map(Pence::get))
    .execute(conn)
    .await?;
    Ok(())
}

/// The unit's certificate of this kind, issued afresh.
pub async fn renew_certificate(
    conn: &mut PgConnection,
    unit_id: Uuid,
    c: &Certificate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO certificates (unit_id, kind, issued_on, expires_on) VALUES ($1, $2, $3, $4)
         ON CONFLICT (unit_id, kind) DO UPDATE SET issued_on = excluded.issued_on,
                                                   expires_on = excluded.expires_on",
    )
    .bind(unit_id)
    .bind(enum_name(&c.kind))
    .bind(c.issued_on)
    .bind(c.expires_on)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn withdraw(
    conn: &mut PgConnection,
    unit_id: Uuid,
    on: NaiveDate,
    by: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE units SET withdrawn_on = $2, withdrawn_by = $3, withdrawal_reason = $4 WHERE id = $1",
    )
    .bind(unit_id)
    .bind(on)
    .bind(by)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(())
}

/// Up to `limit` units in the order they were registered, after the position `after`
/// (created at, id): `provider_id`'s only when given, those whose earliest certificate
/// expiry lies in `earliest_expiry` (from, to: inclusive, either open) only when given, and
/// withdrawn ones only when asked.
pub async fn list_units(
    conn: &mut PgConnection,
    provider_id: Option<Uuid>,
    earliest_expiry: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    include_withdrawn: bool,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<(DateTime<Utc>, Unit)>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {UNIT_COLUMNS}, u.created_at FROM units u
         WHERE ($1::uuid IS NULL OR u.provider_id = $1)
           AND ($2 OR u.withdrawn_on IS NULL)
           AND ($3::timestamptz IS NULL OR (u.created_at, u.id) > ($3, $4::uuid))
           AND (NOT $6 OR (SELECT min(c.expires_on) FROM certificates c WHERE c.unit_id = u.id)
                BETWEEN coalesce($7::date, '-infinity'::date) AND coalesce($8::date, 'infinity'::date))
         ORDER BY u.created_at, u.id
         LIMIT $5"
    ))
    .bind(provider_id)
    .bind(include_withdrawn)
    .bind(after.map(|(at, _)| at))
    .bind(after.map(|(_, id)| id))
    .bind(limit)
    .bind(earliest_expiry.is_some())
    .bind(earliest_expiry.and_then(|(from, _)| from))
    .bind(earliest_expiry.and_then(|(_, to)| to))
    .fetch_all(&mut *conn)
    .await?;
    let mut units = rows
        .iter()
        .map(|row| Ok((row.try_get("created_at")?, unit_from_row(row)?)))
        .collect::<Result<Vec<(DateTime<Utc>, Unit)>, sqlx::Error>>()?;
    // One query for the page's certificates, not one a unit.
    let ids: Vec<Uuid> = units.iter().map(|(_, u)| u.id).collect();
    attach_certificates(
        conn,
        units.iter_mut().map(|(_, u)| u).collect(),
        "SELECT unnest($1::uuid[])",
        Some(&ids),
    )
    .await?;
    Ok(units)
}

/// A unit locked for a placement, as it is once locked.
pub struct Locked {
    pub unit: Unit,
    /// In use with no household in it, as committed when the lock was granted.
    pub vacant: bool,
}

/// Locks the unit `id` for a placement, so two officers cannot fill it at once. Two
/// statements, not one: a statement sees what was committed when it began, so only one
/// begun after the lock was granted sees a placement in the unit made meanwhile.
pub async fn lock_for_placement(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Locked>, sqlx::Error> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {UNIT_COLUMNS} FROM units u WHERE u.id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let mut unit = unit_from_row(&row)?;
    let rows = sqlx::query(&format!(
        "SELECT ({VACANT}) AS vacant, c.kind, c.issued_on, c.expires_on
         FROM units u LEFT JOIN certificates c ON c.unit_id = u.id
         WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_all(conn)
    .await?;
    let mut vacant = false;
    for row in rows {
        vacant = row.try_get("vacant")?;
        // A unit without certificates is one row, its certificate columns null.
        if let Some(kind) = row.try_get::<Option<String>, _>("kind")? {
            unit.certificates.push(Certificate {
                kind: parse_enum(kind)?,
                issued_on: row.try_get("issued_on")?,
                expires_on: row.try_get("expires_on")?,
            });
        }
    }
    Ok(Some(Locked { unit, vacant }))
}

pub async fn vacant_units(conn: &mut PgConnection) -> Result<Vec<Unit>, sqlx::Error> {
    units_where(conn, VACANT, None).await
}

/// Fills in the certificates of `units`, which `selecting` (a query of unit ids, with `$1`
/// bound to `ids` if given) selected. One plain query beside the units' own, rather than a
/// JSON aggregate per unit or an array of ids: ranking reads every vacant unit, and this
/// is several times faster over tens of thousands.
pub async fn attach_certificates(
    conn: &mut PgConnection,
    units: Vec<&mut Unit>,
    selecting: &str,
    ids: Option<&[Uuid]>,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "SELECT unit_id, kind, issued_on, expires_on FROM certificates WHERE unit_id IN ({selecting})"
    );
    let mut query = sqlx::query_as::<_, (Uuid, String, NaiveDate, NaiveDate)>(&sql);
    if let Some(ids) = ids {
        query = query.bind(ids);
    }
    let rows = query.fetch_all(conn).await?;
    let mut by_unit: HashMap<Uuid, Vec<Certificate>> = HashMap::with_capacity(units.len());
    for (unit_id, kind, issued_on, expires_on) in rows {
        by_unit.entry(unit_id).or_default().push(Certificate {
            kind: parse_enum(kind)?,
            issued_on,
            expires_on,
        });
    }
    for unit in units {
        unit.certificates = by_unit.remove(&unit.id).unwrap_or_default();
    }
    Ok(())
}

pub fn unit_from_row(row: &sqlx::postgres::PgRow) -> Result<Unit, sqlx::Error> {
    Ok(Unit {
        id: row.try_get("id")?,
        provider_id: row.try_get("provider_id")?,
        address: row.try_get("address")?,
        local_authority: row.try_get("local_authority")?,
        location: Location {
            latitude: row.try_get("latitude")?,
            longitude: row.try_get("longitude")?,
        },
        unit_type: parse_enum(row.try_get("unit_type")?)?,
        bedrooms: row.try_get::<i32, _>("bedrooms")? as u32,
        max_occupancy: row.try_get::<i32, _>("max_occupancy")? as u32,
        self_contained: row.try_get("self_contained")?,
        step_free: row.try_get("step_free")?,
        wheelchair_accessible: row.try_get("wheelchair_accessible")?,
        lift: row.try_get("lift")?,
        cost: cost(
            row.try_get("weekly_cost_pence")?,
            row.try_get("nightly_cost_pence")?,
        ),
        weekly_rent_pence: row.try_get("weekly_rent_pence")?,
        weekly_service_charge_pence: row.try_get("weekly_service_charge_pence")?,
        block_booked: row.try_get("block_booked")?,
        certificates: Vec::new(),
    })
}

/// A unit's cost from its stored columns: a nightly rate when it has one, else the weekly.
pub fn cost(weekly_pence: i64, nightly_pence: Option<i64>) -> Cost {
    nightly_pence.map_or(Cost::Weekly(Pence::new(weekly_pence)), |night| {
        Cost::Nightly(Pence::new(night))
    })
}

/// Enums are stored by their serde names, the same words the domain uses.
pub fn enum_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub fn parse_enum<T: serde::de::DeserializeOwned>(name: String) -> Result<T, sqlx::Error> {
    serde_json::from_value(serde_json::Value::String(name))
        .map_err(|e| sqlx::Error::Decode(e.into()))
}
