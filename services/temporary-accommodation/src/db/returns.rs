//! What the returns read. H-CLIC: every placement with a stay in the quarter, its household
//! and each unit it was in. The management report: the same placements with what each unit
//! cost.

use futures::TryStreamExt;
use housing_platform::returns::Period;
use sqlx::types::Json;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::stock::{cost, parse_enum};
use crate::domain::hclic::{Placement, Stay};
use crate::domain::household::Person;
use crate::domain::report;

pub async fn placements_in(
    conn: &mut PgConnection,
    quarter: Period,
) -> Result<Vec<Placement>, sqlx::Error> {
    let mut rows = sqlx::query(
        "SELECT p.id, p.reference, p.application_id, p.start_date, p.end_date,
                r.household_size, r.has_children, r.pregnant, r.people,
                s.from_date, s.to_date, u.unit_type, u.local_authority
         FROM placements p
         JOIN placement_requests r ON r.id = p.placement_request_id
         JOIN placement_stays s ON s.placement_id = p.id
         JOIN units u ON u.id = s.unit_id
         WHERE p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date >= $1)
         ORDER BY p.id, s.from_date",
    )
    .bind(quarter.start)
    .bind(quarter.end)
    .fetch(&mut *conn);
    let mut placements: Vec<(Uuid, Placement)> = Vec::new();
    while let Some(row) = rows.try_next().await? {
        let id: Uuid = row.try_get("id")?;
        let stay = Stay {
            from: row.try_get("from_date")?,
            to: row.try_get("to_date")?,
            unit_type: parse_enum(row.try_get("unit_type")?)?,
            local_authority: row.try_get("local_authority")?,
        };
        if let Some((last, placement)) = placements.last_mut()
            && *last == id
        {
            placement.stays.push(stay);
            continue;
        }
        let mut people: Vec<Person> = row.try_get::<Json<Vec<Person>>, _>("people")?.0;
        // The lead first, as the return lists people.
        people.sort_by_key(|p| !p.lead);
        placements.push((
            id,
            Placement {
                reference: row.try_get("reference")?,
                application_id: row
                    .try_get::<Option<Uuid>, _>("application_id")?
                    .map(|id| id.to_string()),
                household_size: row.try_get("household_size")?,
                has_children: row.try_get("has_children")?,
                pregnant: row.try_get("pregnant")?,
                dates_of_birth: people.iter().map(|p| p.date_of_birth).collect(),
                start: row.try_get("start_date")?,
                end: row.try_get("end_date")?,
                stays: vec![stay],
            },
        ));
    }
    Ok(placements.into_iter().map(|(_, p)| p).collect())
}

/// What the management report reads: every placement with a stay in the period, whether
/// it is a family's, and each unit it was in with its type and cost.
pub async fn report_placements(
    conn: &mut PgConnection,
    period: Period,
) -> Result<Vec<report::Placement>, sqlx::Error> {
    let mut rows = sqlx::query(
        "SELECT p.id, r.has_children OR r.pregnant AS family, s.unit_id, s.from_date, s.to_date,
                u.unit_type, u.weekly_cost_pence, u.nightly_cost_pence
         FROM placements p
         JOIN placement_requests r ON r.id = p.placement_request_id
         JOIN placement_stays s ON s.placement_id = p.id
         JOIN units u ON u.id = s.unit_id
         WHERE p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date >= $1)
         ORDER BY p.id, s.from_date",
    )
    .bind(period.start)
    .bind(period.end)
    .fetch(&mut *conn);
    let mut placements: Vec<(Uuid, report::Placement)> = Vec::new();
    while let Some(row) = rows.try_next().await? {
        let id: Uuid = row.try_get("id")?;
        let stay = report::Stay {
            unit_id: row.try_get("unit_id")?,
            unit_type: parse_enum(row.try_get("unit_type")?)?,
            cost: cost(
                row.try_get("weekly_cost_pence")?,
                row.try_get("nightly_cost_pence")?,
            ),
            from: row.try_get("from_date")?,
            to: row.try_get("to_date")?,
        };
        match placements.last_mut() {
            Some((last, placement)) if *last == id => placement.stays.push(stay),
            _ => placements.push((
                id,
                report::Placement {
                    family: row.try_get("family")?,
                    stays: vec![stay],
                },
            )),
        }
    }
    Ok(placements.into_iter().map(|(_, p)| p).collect())
}
