//! The portfolio optimiser: across every household in temporary accommodation and every
//! vacant unit, the set of transfers that minimises total weekly cost plus unsuitability.
//!
//! Each household may stay where it is or move to one of its best vacant candidates that
//! pass the hard constraints; each vacant unit takes at most one household. That is an
//! assignment problem, solved exactly by successive shortest augmenting paths (the
//! Hungarian method on a sparse graph, Dijkstra with potentials), so the plan is optimal
//! over the candidate set. Moving only into vacant units keeps every transfer applicable on
//! its own, in any order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::NaiveDate;
use housing_platform::money::Overflow;
use housing_platform::words::count;
use uuid::Uuid;

use super::matching::{Need, ScorePart, fits};
use super::unit::{CostOutOfRange, Unit, UnitType};

/// Points are pence a week: a pound of weekly cost is 100 points.
const BNB_FAMILY_POINTS: i64 = 50_000;
const OVERCROWDED_POINTS_PER_BEDROOM: i64 = 30_000;
const OUT_OF_DISTRICT_POINTS: i64 = 15_000;
/// Moving a household disrupts it; a move must be worth more than this.
const MOVE_POINTS: i64 = 5_000;
pub const DEFAULT_CANDIDATES: usize = 20;

/// A household where it lives now.
#[derive(Debug, Clone)]
pub struct Occupant {
    pub placement_id: Uuid,
    pub need: Need,
    pub unit: Unit,
}

/// What a household in a unit costs, part by part, in points; `moving` adds the disruption
/// of a move.
fn charges(
    need: &Need,
    unit: &Unit,
    home_authority: &str,
    moving: bool,
) -> Result<impl Iterator<Item = (&'static str, i64)>, Overflow> {
    let short = need.bedrooms_needed.saturating_sub(unit.bedrooms);
    let overcrowded = short > 0 || need.household_size > unit.max_occupancy;
    let overcrowding = if overcrowded {
        let points = OVERCROWDED_POINTS_PER_BEDROOM.checked_mul(i64::from(short.max(1)));
        Some(("overcrowded", points.ok_or(Overflow)?))
    } else {
        None
    };
    Ok([
        Some(("cost", unit.cost.weekly_pence()?.get())),
        (need.is_family() && unit.unit_type == UnitType::BedAndBreakfast)
            .then_some(("bnb_family", BNB_FAMILY_POINTS)),
        overcrowding,
        (unit.local_authority != home_authority)
            .then_some(("out_of_district", OUT_OF_DISTRICT_POINTS)),
        moving.then_some(("move", MOVE_POINTS)),
    ]
    .into_iter()
    .flatten())
}

pub fn total_points(
    need: &Need,
    unit: &Unit,
    home_authority: &str,
    moving: bool,
) -> Result<i64, Overflow> {
    charges(need, unit, home_authority, moving)?
        .try_fold(0i64, |total, (_, points)| total.checked_add(points))
        .ok_or(Overflow)
}

/// The points of a household in a unit, each part explained.
pub fn points(
    need: &Need,
    unit: &Unit,
    home_authority: &str,
    moving: bool,
) -> Result<Vec<ScorePart>, Overflow> {
    Ok(charges(need, unit, home_authority, moving)?
        .map(|(name, value)| ScorePart {
            name,
            value: value as f64,
            explanation: match name {
                "cost" => unit.cost.describe(),
                "bnb_family" => "a family in bed and breakfast".into(),
                "overcrowded" => format!(
                    "{} for a household needing {}, sleeping {} for {}",
                    count(unit.bedrooms, "bedroom"),
                    need.bedrooms_needed,
                    unit.max_occupancy,
                    need.household_size
                ),
                "out_of_district" => {
                    format!("in {}, outside {home_authority}", unit.local_authority)
                }
                _ => "the disruption of moving".into(),
            },
        })
        .collect())
}

/// Who may go where, at what cost: for each household its own unit (column `vacant + i`)
/// and its best vacant candidates (columns `0..vacant`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidates {
    pub vacant: usize,
    /// Per household: (column, points), its own unit first.
    pub edges: Vec<Vec<(usize, i64)>>,
}

impl Candidates {
    /// The candidates, or the first unit whose cost is out of range to weigh.
    pub fn build(
        occupants: &[Occupant],
        vacant: &[Unit],
        on: NaiveDate,
        home_authority: &str,
        per_household: usize,
    ) -> Result<Self, CostOutOfRange> {
        let points = |need: &Need, unit: &Unit, moving: bool| {
            total_points(need, unit, home_authority, moving).map_err(|_| CostOutOfRange(unit.id))
        };
        let edges = (vacant.len()..)
            .zip(occupants)
            .map(|(own, o)| {
                let stay = points(&o.need, &o.unit, false)?;
                let mut options: Vec<(usize, i64)> = vacant
                    .iter()
                    .enumerate()
                    // B&B is never a move for a family: it always has its own unit to stay in.
                    .filter(|(_, u)| {
                        !(o.need.is_family() && u.unit_type == UnitType::BedAndBreakfast)
                    })
                    .filter(|(_, u)| fits(&o.need, u, on))
                    .map(|(j, u)| Ok((j, points(&o.need, u, true)?)))
                    .filter(|option| option.as_ref().map_or(true, |&(_, p)| p < stay))
                    .collect::<Result<_, _>>()?;
                if options.len() > per_household {
                    options.select_nth_unstable_by_key(per_household, |&(j, p)| (p, j));
                    options.truncate(per_household);
                }
                options.insert(0, (own, stay));
                Ok(options)
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            vacant: vacant.len(),
            edges,
        })
    }

    fn columns(&self) -> usize {
        // Two lengths of vectors held in memory: their sum cannot reach the limit.
        self.vacant.saturating_add(self.edges.len())
    }

    /// Points of an assignment (a column per household).
    pub fn cost(&self, assignment: &[usize]) -> Result<i64, Overflow> {
        assignment
            .iter()
            .zip(&self.edges)
            .try_fold(0i64, |total, (&col, edges)| {
                let &(_, points) = edges
                    .iter()
                    .find(|&&(c, _)| c == col)
                    .expect("an assignment uses candidate edges");
                total.checked_add(points).ok_or(Overflow)
            })
    }
}

/// A node of the assignment graph: a household, or a unit it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    Row(usize),
    Col(usize),
}

/// `a + b - c`, or [`Overflow`].
fn plus_minus(a: i64, b: i64, c: i64) -> Result<i64, Overflow> {
    a.checked_add(b)
        .and_then(|ab| ab.checked_sub(c))
        .ok_or(Overflow)
}

/// The cheapest assignment over the candidates: a column per household. [`Overflow`] only
/// for points no portfolio of real costs comes near.
pub fn optimal(candidates: &Candidates) -> Result<Vec<usize>, Overflow> {
    let rows = candidates.edges.len();
    let cols = candidates.columns();
    // Reduced cost of u→v is cost + pot[u] - pot[v].
    let mut row_pot = vec![0i64; rows];
    let mut col_pot = vec![0i64; cols];
    let mut row_col: Vec<Option<usize>> = vec![None; rows];
    let mut col_row: Vec<Option<usize>> = vec![None; cols];
    // Distances from the source; none until reached.
    let mut row_dist: Vec<Option<i64>> = vec![None; rows];
    let mut col_dist: Vec<Option<i64>> = vec![None; cols];
    let mut row_done = vec![false; rows];
    let mut col_done = vec![false; cols];
    // The household each unit was reached from.
    let mut parent = vec![usize::MAX; cols];
    let mut touched: Vec<Node> = Vec::new();
    let mut heap = BinaryHeap::new();
    let edge_cost = |row: usize, col: usize| {
        candidates.edges[row]
            .iter()
            .find(|&&(c, _)| c == col)
            .map(|&(_, p)| p)
            .expect("a matched column is a candidate")
    };

    for source in 0..rows {
        for &node in &touched {
            match node {
                Node::Row(r) => (row_dist[r], row_done[r]) = (None, false),
                Node::Col(c) => (col_dist[c], col_done[c]) = (None, false),
            }
        }
        touched.clear();
        heap.clear();
        row_dist[source] = Some(0);
        touched.push(Node::Row(source));
        heap.push(Reverse((0i64, Node::Row(source))));
        let target = loop {
            let Reverse((d, node)) = heap.pop().expect("a household's own unit is always free");
            match node {
                Node::Row(row) => {
                    if row_done[row] {
                        continue;
                    }
                    row_done[row] = true;
                    for &(col, cost) in &candidates.edges[row] {
                        if row_col[row] == Some(col) {
                            continue;
                        }
                        let nd = plus_minus(d, cost, col_pot[col])?;
                        let nd = nd.checked_add(row_pot[row]).ok_or(Overflow)?;
                        if col_dist[col].is_none_or(|known| nd < known) {
                            if col_dist[col].is_none() {
                                touched.push(Node::Col(col));
                            }
                            col_dist[col] = Some(nd);
                            parent[col] = row;
                            heap.push(Reverse((nd, Node::Col(col))));
                        }
                    }
                }
                Node::Col(col) => {
                    if col_done[col] {
                        continue;
                    }
                    col_done[col] = true;
                    let Some(row) = col_row[col] else {
                        break col;
                    };
                    let nd = plus_minus(d, col_pot[col], edge_cost(row, col))?;
                    let nd = nd.checked_sub(row_pot[row]).ok_or(Overflow)?;
                    if row_dist[row].is_none_or(|known| nd < known) {
                        if row_dist[row].is_none() {
                            touched.push(Node::Row(row));
                        }
                        row_dist[row] = Some(nd);
                        heap.push(Reverse((nd, Node::Row(row))));
                    }
                }
            }
        };
        let reach = col_dist[target].expect("the target was reached");
        for &node in &touched {
            let (done, dist, pot) = match node {
                Node::Row(r) => (row_done[r], row_dist[r], &mut row_pot[r]),
                Node::Col(c) => (col_done[c], col_dist[c], &mut col_pot[c]),
            };
            if let Some(dist) = dist.filter(|&dist| done && dist < reach) {
                *pot = plus_minus(*pot, dist, reach)?;
            }
        }
        let mut col = target;
        loop {
            let row = parent[col];
            let previous = row_col[row];
            row_col[row] = Some(col);
            col_row[col] = Some(row);
            match previous {
                Some(prev) if row != source => col = prev,
                _ => break,
            }
        }
    }
    Ok(row_col
        .into_iter()
        .map(|c| c.expect("every household is assigned"))
        .collect())
}

/// Households one at a time, worst off first, each taking its cheapest free candidate.
pub fn greedy(candidates: &Candidates) -> Vec<usize> {
    let mut order: Vec<usize> = (0..candidates.edges.len()).collect();
    order.sort_by_key(|&i| (Reverse(candidates.edges[i][0].1), i));
    let mut taken = vec![false; candidates.columns()];
    let mut assignment = vec![0; candidates.edges.len()];
    for i in order {
        let &(col, _) = candidates.edges[i]
            .iter()
            .filter(|&&(c, _)| !taken[c])
            .min_by_key(|&&(c, p)| (p, c))
            .expect("a household's own unit is always free");
        taken[col] = true;
        assignment[i] = col;
    }
    assignment
}

#[cfg(test)]
// The exhaustive search sums small points in plain arithmetic.
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every assignment tried: the true optimum of a small instance.
    fn exhaustive(c: &Candidates) -> i64 {
        fn go(c: &Candidates, row: usize, taken: &mut Vec<bool>) -> i64 {
            if row == c.edges.len() {
                return 0;
            }
            let mut best = i64::MAX;
            for &(col, p) in &c.edges[row] {
                if !taken[col] {
                    taken[col] = true;
                    let rest = go(c, row + 1, taken);
                    taken[col] = false;
                    if rest != i64::MAX {
                        best = best.min(p + rest);
                    }
                }
            }
            best
        }
        go(c, 0, &mut vec![false; c.columns()])
    }

    /// Each household's own unit at its points, and the vacant units it could move to.
    fn candidates(vacant: usize, households: Vec<(i64, Vec<(usize, i64)>)>) -> Candidates {
        let edges = households
            .into_iter()
            .enumerate()
            .map(|(i, (stay, moves))| {
                let mut e = vec![(vacant + i, stay)];
                for (col, p) in moves {
                    if col < vacant && !e.iter().any(|&(c, _)| c == col) {
                        e.push((col, p));
                    }
                }
                e
            })
            .collect();
        Candidates { vacant, edges }
    }

    /// Random candidates: each household's own unit, and some vacant units each cheaper.
    fn instance() -> impl Strategy<Value = Candidates> {
        (1usize..7, 0usize..7).prop_flat_map(|(rows, vacant)| {
            proptest::collection::vec(
                (
                    1_000i64..100_000,
                    proptest::collection::vec((0..vacant.max(1), 0i64..100_000), 0..=vacant),
                ),
                rows,
            )
            .prop_map(move |households| candidates(vacant, households))
        })
    }

    proptest! {
        #[test]
        fn the_optimiser_matches_exhaustive_search_and_never_loses_to_greedy(c in instance()) {
            let plan = optimal(&c).unwrap();
            let mut used = plan.clone();
            used.sort_unstable();
            used.dedup();
            prop_assert_eq!(used.len(), plan.len(), "a unit holds one household");
            prop_assert_eq!(c.cost(&plan), Ok(exhaustive(&c)));
            prop_assert!(c.cost(&plan).unwrap() <= c.cost(&greedy(&c)).unwrap());
        }
    }

    #[test]
    fn greedy_gives_the_one_good_unit_to_the_worst_off_where_the_optimiser_shares_them() {
        // Household 0 is worst off now and can go to either unit; household 1 only to unit 0.
        let c = Candidates {
            vacant: 2,
            edges: vec![
                vec![(2, 90_000), (0, 10_000), (1, 11_000)],
                vec![(3, 80_000), (0, 10_000)],
            ],
        };
        assert_eq!(greedy(&c), vec![0, 3]);
        assert_eq!(optimal(&c), Ok(vec![1, 0]));
        assert_eq!(c.cost(&[1, 0]), Ok(21_000));
        assert_eq!(c.cost(&greedy(&c)), Ok(90_000));
    }

    #[test]
    fn points_beyond_64_bits_say_so() {
        let c = Candidates {
            vacant: 0,
            edges: vec![vec![(0, i64::MAX)], vec![(1, 1)]],
        };
        assert_eq!(optimal(&c), Ok(vec![0, 1]));
        assert_eq!(c.cost(&[0, 1]), Err(Overflow));
    }

    /// Candidates as `instance`, with points anywhere in 64 bits.
    fn huge() -> impl Strategy<Value = Candidates> {
        (1usize..6, 0usize..6).prop_flat_map(|(rows, vacant)| {
            let points = prop_oneof![0..=i64::MAX, (i64::MAX - 1_000)..=i64::MAX];
            proptest::collection::vec(
                (
                    points.clone(),
                    proptest::collection::vec((0..vacant.max(1), points), 0..=vacant),
                ),
                rows,
            )
            .prop_map(move |households| candidates(vacant, households))
        })
    }

    proptest! {
        #[test]
        fn points_of_any_size_give_a_plan_or_say_they_overflow(c in huge()) {
            // The only error is Overflow; a plan given is a true assignment.
            if let Ok(plan) = optimal(&c) {
                let mut used = plan.clone();
                used.sort_unstable();
                used.dedup();
                prop_assert_eq!(used.len(), c.edges.len(), "a unit holds one household");
            }
        }
    }
}
