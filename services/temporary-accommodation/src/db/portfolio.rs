//! The whole portfolio at once: every signed-up household in its unit, and the figures.

use chrono::NaiveDate;
use sqlx::{PgConnection, Row};

use super::placements::need_from_row;
use super::stock::{UNIT_COLUMNS, attach_certificates, parse_enum, unit_from_row};
use crate::domain::clocks::BNB_LIMIT_DAYS;
use crate::domain::optimiser::Occupant;
use crate::domain::unit::UnitType;

/// Every active (signed-up) placement with its household's need and its unit.
pub async fn occupants(conn: &mut PgConnection) -> Result<Vec<Occupant>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {UNIT_COLUMNS}, p.id AS placement_id, r.household_size, r.bedrooms_needed, r.has_children,
                r.pregnant, r.needs_step_free, r.needs_lift, r.needs_wheelchair_access, r.weekly_income_pence, r.anchors, r.anchor_kinds
         FROM placements p JOIN units u ON u.id = p.unit_id
         JOIN placement_requests r ON r.id = p.placement_request_id
         WHERE p.status = 'active' ORDER BY p.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut occupants = rows
        .iter()
        .map(|r| {
            Ok(Occupant {
                placement_id: r.try_get("placement_id")?,
                need: need_from_row(r)?,
                unit: unit_from_row(r)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    attach_certificates(
        conn,
        occupants.iter_mut().map(|o| &mut o.unit).collect(),
        "SELECT unit_id FROM placements WHERE status = 'active'",
        None,
    )
    .await?;
    Ok(occupants)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub by_unit_type: Vec<(UnitType, i64)>,
    pub families_in_bnb_over_six_weeks: i64,
    pub out_of_district: i64,
}

/// Households in temporary accommodation on `on` (moved in, not yet left).
pub async fn figures(
    conn: &mut PgConnection,
    on: NaiveDate,
    home_authority: &str,
) -> Result<Figures, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.unit_type, count(*) AS placements
         FROM placements p JOIN units u ON u.id = p.unit_id
         WHERE p.status <> 'closed' AND p.start_date <= $1
         GROUP BY u.unit_type ORDER BY u.unit_type",
    )
    .bind(on)
    .fetch_all(&mut *conn)
    .await?;
    let by_unit_type = rows
        .iter()
        .map(|r| {
            Ok((
                parse_enum(r.try_get("unit_type")?)?,
                r.try_get("placements")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let (families_in_bnb_over_six_weeks, out_of_district): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE p.bnb_since <= $1::date - $3::int AND (r.has_children OR r.pregnant)),
                count(*) FILTER (WHERE u.local_authority <> $2)
         FROM placements p JOIN units u ON u.id = p.unit_id
         JOIN placement_requests r ON r.id = p.placement_request_id
         WHERE p.status <> 'closed' AND p.start_date <= $1",
    )
    .bind(on)
    .bind(home_authority)
    .bind(BNB_LIMIT_DAYS as i32)
    .fetch_one(conn)
    .await?;
    Ok(Figures {
        by_unit_type,
        families_in_bnb_over_six_weeks,
        out_of_district,
    })
}
