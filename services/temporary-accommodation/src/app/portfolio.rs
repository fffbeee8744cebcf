//! The portfolio optimiser's proposal and the TA figures.

use chrono::NaiveDate;
use housing_platform::errors::AppError;
use sqlx::PgPool;
use uuid::Uuid;

use crate::db::portfolio::{self as store, Figures};
use crate::db::stock;
use crate::domain::matching::ScorePart;
use crate::domain::optimiser::{Candidates, greedy, optimal, points};

pub struct ProposedTransfer {
    pub placement_id: Uuid,
    pub from_unit_id: Uuid,
    pub to_unit_id: Uuid,
    pub before: Vec<ScorePart>,
    pub after: Vec<ScorePart>,
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
    pool: &PgPool,
    on: NaiveDate,
    home_authority: &str,
    per_household: usize,
) -> Result<Proposal, AppError> {
    let mut conn = pool.acquire().await?;
    let occupants = store::occupants(&mut conn).await?;
    let vacant = stock::vacant_units(&mut conn).await?;
    drop(conn);
    let candidates = Candidates::build(&occupants, &vacant, on, home_authority, per_household);
    let plan = optimal(&candidates);
    let stay: Vec<usize> = (0..occupants.len()).map(|i| vacant.len() + i).collect();
    let transfers = occupants
        .iter()
        .zip(&plan)
        .filter(|&(_, &col)| col < vacant.len())
        .map(|(o, &col)| ProposedTransfer {
            placement_id: o.placement_id,
            from_unit_id: o.unit.id,
            to_unit_id: vacant[col].id,
            before: points(&o.need, &o.unit, home_authority, false),
            after: points(&o.need, &vacant[col], home_authority, true),
        })
        .collect();
    Ok(Proposal {
        transfers,
        total_now: candidates.cost(&stay),
        total_proposed: candidates.cost(&plan),
        total_greedy: candidates.cost(&greedy(&candidates)),
    })
}

pub async fn figures(
    pool: &PgPool,
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
