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
use uuid::Uuid;

use super::matching::{Need, ScorePart, fits};
use super::unit::{Unit, UnitType};

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
) -> impl Iterator<Item = (&'static str, i64)> {
    let short = need.bedrooms_needed.saturating_sub(unit.bedrooms);
    let overcrowded = short > 0 || need.household_size > unit.max_occupancy;
    [
        Some(("cost", unit.cost.weekly_pence())),
        (need.is_family() && unit.unit_type == UnitType::BedAndBreakfast)
            .then_some(("bnb_family", BNB_FAMILY_POINTS)),
        overcrowded.then_some((
            "overcrowded",
            OVERCROWDED_POINTS_PER_BEDROOM * i64::from(short.max(1)),
        )),
        (unit.local_authority != home_authority)
            .then_some(("out_of_district", OUT_OF_DISTRICT_POINTS)),
        moving.then_some(("move", MOVE_POINTS)),
    ]
    .into_iter()
    .flatten()
}

pub fn total_points(need: &Need, unit: &Unit, home_authority: &str, moving: bool) -> i64 {
    charges(need, unit, home_authority, moving)
        .map(|(_, points)| points)
        .sum()
}

/// The points of a household in a unit, each part explained.
pub fn points(need: &Need, unit: &Unit, home_authority: &str, moving: bool) -> Vec<ScorePart> {
    charges(need, unit, home_authority, moving)
        .map(|(name, value)| ScorePart {
            name,
            value: value as f64,
            explanation: match name {
                "cost" => unit.cost.describe(),
                "bnb_family" => "a family in bed and breakfast".into(),
                "overcrowded" => format!(
                    "{} bedrooms for a household needing {}, sleeping {} for {}",
                    unit.bedrooms, need.bedrooms_needed, unit.max_occupancy, need.household_size
                ),
                "out_of_district" => {
                    format!("in {}, outside {home_authority}", unit.local_authority)
                }
                _ => "the disruption of moving".into(),
            },
        })
        .collect()
}

pub fn total(parts: &[ScorePart]) -> i64 {
    parts.iter().map(|p| p.value as i64).sum()
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
    pub fn build(
        occupants: &[Occupant],
        vacant: &[Unit],
        on: NaiveDate,
        home_authority: &str,
        per_household: usize,
    ) -> Self {
        let edges = occupants
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let stay = total_points(&o.need, &o.unit, home_authority, false);
                let mut options: Vec<(usize, i64)> = vacant
                    .iter()
                    .enumerate()
                    // B&B is never a move for a family: it always has its own unit to stay in.
                    .filter(|(_, u)| {
                        !(o.need.is_family() && u.unit_type == UnitType::BedAndBreakfast)
                    })
                    .filter(|(_, u)| fits(&o.need, u, on))
                    .map(|(j, u)| (j, total_points(&o.need, u, home_authority, true)))
                    .filter(|&(_, p)| p < stay)
                    .collect();
                if options.len() > per_household {
                    options.select_nth_unstable_by_key(per_household, |&(j, p)| (p, j));
                    options.truncate(per_household);
                }
                options.insert(0, (vacant.len() + i, stay));
                options
            })
            .collect();
        Self {
            vacant: vacant.len(),
            edges,
        }
    }

    fn columns(&self) -> usize {
        self.vacant + self.edges.len()
    }

    /// Points of an assignment (a column per household).
    pub fn cost(&self, assignment: &[usize]) -> i64 {
        assignment
            .iter()
            .enumerate()
            .map(|(i, &col)| {
                self.edges[i]
                    .iter()
                    .find(|&&(c, _)| c == col)
                    .map(|&(_, p)| p)
                    .expect("an assignment uses candidate edges")
            })
            .sum()
    }
}

/// The cheapest assignment over the candidates: a column per household.
pub fn optimal(candidates: &Candidates) -> Vec<usize> {
    let rows = candidates.edges.len();
    let cols = candidates.columns();
    // Nodes: rows 0..rows, then columns. Reduced cost of u→v is cost + pot[u] - pot[v].
    let nodes = rows + cols;
    let mut pot = vec![0i64; nodes];
    let mut row_col: Vec<Option<usize>> = vec![None; rows];
    let mut col_row: Vec<Option<usize>> = vec![None; cols];
    let mut dist = vec![i64::MAX; nodes];
    let mut parent = vec![usize::MAX; nodes];
    let mut done = vec![false; nodes];
    let mut touched: Vec<usize> = Vec::new();
    let mut heap = BinaryHeap::new();
    let edge_cost = |row: usize, col: usize| {
        candidates.edges[row]
            .iter()
            .find(|&&(c, _)| c == col)
            .map(|&(_, p)| p)
            .expect("a matched column is a candidate")
    };

    for source in 0..rows {
        for &v in &touched {
            dist[v] = i64::MAX;
            done[v] = false;
        }
        touched.clear();
        heap.clear();
        dist[source] = 0;
        touched.push(source);
        heap.push(Reverse((0i64, source)));
        let target = loop {
            let Reverse((d, node)) = heap.pop().expect("a household's own unit is always free");
            if done[node] {
                continue;
            }
            done[node] = true;
            if node < rows {
                for &(col, cost) in &candidates.edges[node] {
                    if row_col[node] == Some(col) {
                        continue;
                    }
                    let v = rows + col;
                    let nd = d + cost + pot[node] - pot[v];
                    if nd < dist[v] {
                        if dist[v] == i64::MAX {
                            touched.push(v);
                        }
                        dist[v] = nd;
                        parent[v] = node;
                        heap.push(Reverse((nd, v)));
                    }
                }
            } else {
                let col = node - rows;
                let Some(row) = col_row[col] else {
                    break node;
                };
                let nd = d - edge_cost(row, col) + pot[node] - pot[row];
                if nd < dist[row] {
                    if dist[row] == i64::MAX {
                        touched.push(row);
                    }
                    dist[row] = nd;
                    parent[row] = node;
                    heap.push(Reverse((nd, row)));
                }
            }
        };
        let reach = dist[target];
        for &v in &touched {
            if done[v] && dist[v] < reach {
                pot[v] += dist[v] - reach;
            }
        }
        let mut col_node = target;
        loop {
            let row = parent[col_node];
            let previous = row_col[row];
            row_col[row] = Some(col_node - rows);
            col_row[col_node - rows] = Some(row);
            match previous {
                Some(prev) if row != source => col_node = rows + prev,
                _ => break,
            }
        }
    }
    row_col
        .into_iter()
        .map(|c| c.expect("every household is assigned"))
        .collect()
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
            .prop_map(move |households| {
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
            })
        })
    }

    proptest! {
        #[test]
        fn the_optimiser_matches_exhaustive_search_and_never_loses_to_greedy(c in instance()) {
            let plan = optimal(&c);
            let mut used = plan.clone();
            used.sort_unstable();
            used.dedup();
            prop_assert_eq!(used.len(), plan.len(), "a unit holds one household");
            prop_assert_eq!(c.cost(&plan), exhaustive(&c));
            prop_assert!(c.cost(&plan) <= c.cost(&greedy(&c)));
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
        assert_eq!(optimal(&c), vec![1, 0]);
        assert_eq!(c.cost(&optimal(&c)), 21_000);
        assert_eq!(c.cost(&greedy(&c)), 90_000);
    }
}
