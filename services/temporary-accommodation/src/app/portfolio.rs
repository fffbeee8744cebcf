//! The portfolio optimiser's proposal and the TA figures.

use chrono::NaiveDate;
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::money::Overflow;
use uuid::Uuid;

use crate::db::portfolio::{self as store, Figures};
use crate::db::stock;
use crate::domain::matching::{Need, ScorePart};
use crate::domain::optimiser::{Candidates, greedy, optimal, points, total_points};
use crate::domain::unit::{CostOutOfRange, Unit};

pub struct ProposedTransfer {
    pub placement_id: Uuid,
    pub from_unit_id: Uuid,
    pub to_unit_id: Uuid,
    pub points_before: i64,
    pub points_after: i64,
    pub before: Vec<ScorePart>,
    pub after: Vec<ScorePart>,
}

/// A household's points in a unit, in all and part by part.
fn weighed(
    need: &Need,
    unit: &Unit,
    home_authority: &str,
    moving: bool,
) -> Result<(i64, Vec<ScorePart>), CostOutOfRange> {
    let out_of_range = |_: Overflow| CostOutOfRange(unit.id);
    Ok((
        total_points(need, unit, home_authority, moving).map_err(out_of_range)?,
        points(need, unit, home_authority, moving).map_err(out_of_range)?,
    ))
}

/// The portfolio's points sum beyond 64 bits: only units whose costs are each in range, but
/// of a portfolio no council has, could.
fn too_large(_: Overflow) -> AppError {
    AppError::FailedPrecondition("the portfolio's points are out of range to weigh".into())
}

pub struct Proposal {
    pub transfers: Vec<ProposedTransfer>,
    pub total_now: i64,
    pub total_proposed: i64,
    pub total_greedy: i64,
}

/// The optimal transfers over each household's best `per_household` vacant units. Nothing
/// is moved: an officer applies each transfer.
pub async fn propose(
    pool: &Pool,
    on: NaiveDate,
    home_authority: &str,
    per_household: usize,
) -> Result<Proposal, AppError> {
    let mut conn = pool.acquire().await?;
    let occupants = store::occupants(&mut conn).await?;
    let vacant = stock::vacant_units(&mut conn).await?;
    drop(conn);
    let candidates = Candidates::build(&occupants, &vacant, on, home_authority, per_household)?;
    let plan = optimal(&candidates).map_err(too_large)?;
    let stay: Vec<usize> = (vacant.len()..).take(occupants.len()).collect();
    let transfers = occupants
        .iter()
        .zip(&plan)
        .filter_map(|(o, &col)| vacant.get(col).map(|to| (o, to)))
        .map(|(o, to)| {
            let (points_before, before) = weighed(&o.need, &o.unit, home_authority, false)?;
            let (points_after, after) = weighed(&o.need, to, home_authority, true)?;
            Ok(ProposedTransfer {
                placement_id: o.placement_id,
                from_unit_id: o.unit.id,
                to_unit_id: to.id,
                points_before,
                points_after,
                before,
                after,
            })
        })
        .collect::<Result<_, CostOutOfRange>>()?;
    Ok(Proposal {
        transfers,
        total_now: candidates.cost(&stay).map_err(too_large)?,
        total_proposed: candidates.cost(&plan).map_err(too_large)?,
        total_greedy: candidates.cost(&greedy(&candidates)).map_err(too_large)?,
    })
}

pub async fn figures(
    pool: &Pool,
    on: NaiveDate,
    home_authority: &str,
) -> Result<Figures, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(store::figures(&mut conn, on, home_authority).await?)
}

/// The figures as CSV, one measure a line.
pub fn csv(figures: &Figures) -> String {
    let mut out = String::from("measure,unit_type,value\n");
    for (unit_type, n) in &figures.by_unit_type {
        out.push_str(&format!("placements,{},{n}\n", stock::enum_name(unit_type)));
    }
    out.push_str(&format!(
        "families_in_bed_and_breakfast_over_six_weeks,,{}\nout_of_district,,{}\n",
        figures.families_in_bnb_over_six_weeks, figures.out_of_district
    ));
    out
}
