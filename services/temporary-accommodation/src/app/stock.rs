//! Units of temporary accommodation for life: registered, read with their history, listed,
//! updated, their certificates renewed and withdrawn. Every change is kept with who made
//! it, when and why; matching reads the stock as it stands, so a renewed certificate
//! returns a lapsed unit to matching and a withdrawn unit leaves it.

use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::{idempotency, time};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::stock::{self as store, HistoryEntry, UnitChange};
use crate::domain::clocks::UnitCompliance;
use crate::domain::unit::{Certificate, Unit, describe_changes};

/// Registers a unit of the provider's; the unit's id is assigned here.
pub async fn create_unit(
    pool: &Pool,
    request_id: &str,
    mut unit: Unit,
    officer: &str,
) -> Result<Unit, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "accommodation.CreateUnit", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        return store::find_unit(&mut tx, id)
            .await?
            .ok_or_else(|| AppError::not_found("unit", id));
    }
    if store::provider_name(&mut tx, unit.provider_id)
        .await?
        .is_none()
    {
        let mut v = FieldViolations::new();
        v.add(
            "unit.provider_id",
            format!("no provider {}", unit.provider_id),
        );
        return Err(AppError::Invalid(v));
    }
    unit.id = Uuid::now_v7();
    let now = Utc::now();
    store::insert_unit(&mut tx, &unit, now).await?;
    store::record_change(
        &mut tx,
        unit.id,
        UnitChange::Created,
        "registered",
        officer,
        now,
    )
    .await?;
    idempotency::record(
        &mut tx,
        "accommodation.CreateUnit",
        request_id,
        &unit.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(unit)
}

/// A unit as it stands: the unit, its history, when it was withdrawn and whether a
/// household lives in it.
pub struct UnitRecord {
    pub unit: Unit,
    pub history: Vec<HistoryEntry>,
    pub withdrawn_on: Option<NaiveDate>,
    pub occupied: bool,
}

async fn record(conn: &mut PgConnection, id: Uuid) -> Result<UnitRecord, AppError> {
    let unit = store::find_unit(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("unit", id))?;
    let (withdrawn_on, occupied) = store::standing(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("unit", id))?;
    Ok(UnitRecord {
        unit,
        history: store::history(conn, id).await?,
        withdrawn_on,
        occupied,
    })
}

pub async fn get_unit(pool: &Pool, id: Uuid) -> Result<UnitRecord, AppError> {
    let mut tx = pool.begin().await?;
    let found = record(&mut tx, id).await?;
    tx.commit().await?;
    Ok(found)
}

/// A page of units in the order they were registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListUnits {
    pub provider_id: Option<Uuid>,
    pub compliance: Option<UnitCompliance>,
    pub include_withdrawn: bool,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

pub async fn list_units(
    pool: &Pool,
    q: &ListUnits,
    on: NaiveDate,
) -> Result<Vec<(DateTime<Utc>, Unit)>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(store::list_units(
        &mut conn,
        q.provider_id,
        q.compliance.map(|c| c.earliest_expiry(on)),
        q.include_withdrawn,
        q.after,
        q.limit,
    )
    .await?)
}

/// An officer's change to a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub unit: Unit,
    pub reason: String,
}

/// Replaces what may change of a unit, keeping what changed and why. The provider and the
/// certificates stay as they are; the same values again change nothing.
pub async fn update_unit(pool: &Pool, u: Update, officer: &str) -> Result<Unit, AppError> {
    let mut tx = pool.begin().await?;
    let before = record(&mut tx, u.unit.id).await?;
    if before.withdrawn_on.is_some() {
        return Err(AppError::FailedPrecondition(format!(
            "unit {} is withdrawn: it is kept as it was",
            u.unit.id
        )));
    }
    let mut after = u.unit;
    after.provider_id = before.unit.provider_id;
    after.certificates = before.unit.certificates.clone();
    let changes = describe_changes(&before.unit, &after);
    if changes.is_empty() {
        return Ok(before.unit);
    }
    store::update_unit(&mut tx, &after).await?;
    store::record_change(
        &mut tx,
        after.id,
        UnitChange::Updated,
        &format!("{} ({})", changes.join("; "), u.reason),
        officer,
        Utc::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Records a certificate issued afresh for a unit, by an officer or as the documents
/// service verified it. A unit kept from matching by the old one's lapse is offered again
/// once all its certificates are current.
pub async fn renew_certificate(
    conn: &mut PgConnection,
    unit_id: Uuid,
    c: &Certificate,
    by: &str,
) -> Result<Unit, AppError> {
    let Some((withdrawn_on, _)) = store::standing(conn, unit_id).await? else {
        return Err(AppError::not_found("unit", unit_id));
    };
    if withdrawn_on.is_some() {
        return Err(AppError::FailedPrecondition(format!(
            "unit {unit_id} is withdrawn: its certificates are no longer kept"
        )));
    }
    store::renew_certificate(conn, unit_id, c).await?;
    store::record_change(
        conn,
        unit_id,
        UnitChange::CertificateRenewed,
        &format!(
            "{} issued {}, expires {}",
            c.kind.describe(),
            time::format_date(c.issued_on),
            time::format_date(c.expires_on)
        ),
        by,
        Utc::now(),
    )
    .await?;
    store::find_unit(conn, unit_id)
        .await?
        .ok_or_else(|| AppError::not_found("unit", unit_id))
}

/// A certificate issued afresh for a unit, as an officer records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renewal {
    pub unit_id: Uuid,
    pub certificate: Certificate,
}

pub async fn renew_certificate_by(
    pool: &Pool,
    r: &Renewal,
    officer: &str,
) -> Result<Unit, AppError> {
    let mut tx = pool.begin().await?;
    let unit = renew_certificate(&mut tx, r.unit_id, &r.certificate, officer).await?;
    tx.commit().await?;
    Ok(unit)
}

/// Takes a vacant unit out of use for good, with the reason; a unit a household lives in is
/// withdrawn once they have moved. Withdrawing it again changes nothing.
/// An officer's withdrawal of a unit, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub unit_id: Uuid,
    pub reason: String,
}

pub async fn withdraw_unit(
    pool: &Pool,
    w: &Withdrawal,
    officer: &str,
) -> Result<(Unit, NaiveDate), AppError> {
    let (unit_id, reason) = (w.unit_id, w.reason.as_str());
    let mut tx = pool.begin().await?;
    let found = record(&mut tx, unit_id).await?;
    if let Some(on) = found.withdrawn_on {
        return Ok((found.unit, on));
    }
    if found.occupied {
        return Err(AppError::FailedPrecondition(format!(
            "a household lives in unit {unit_id}: move them or close the placement first"
        )));
    }
    let now = Utc::now();
    let on = time::council_date(now);
    store::withdraw(&mut tx, unit_id, on, officer, reason).await?;
    store::record_change(
        &mut tx,
        unit_id,
        UnitChange::Withdrawn,
        reason,
        officer,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((found.unit, on))
}
