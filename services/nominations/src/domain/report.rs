//! Lettings' section of the council's management report: lets in a period by how they came
//! and to whom, days from void to let, and refusals by reason.

use std::collections::BTreeMap;

use housing_platform::returns::Figure;

/// A letting whose tenancy started in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Let {
    pub referral_source: String,
    pub choice_based: bool,
    /// The landlord's name, as the council knows the partner (or its own stock).
    pub landlord: String,
    pub homeless: bool,
    /// From the home's void start to the tenancy's start.
    pub void_days: i64,
}

/// The middle of `values`, or halfway between the two middles rounded half up; none of
/// nothing.
pub fn median(values: &[i64]) -> Option<i64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let middle = sorted.len() / 2;
    let upper = *sorted.get(middle)?;
    if sorted.len() % 2 == 1 {
        return Some(upper);
    }
    let lower = i128::from(*sorted.get(middle.checked_sub(1)?)?);
    i64::try_from((lower + i128::from(upper) + 1).div_euclid(2)).ok()
}

/// `total` shared over `count`, rounded half up; none of nothing.
pub fn mean(total: i64, count: i64) -> Option<i64> {
    if count <= 0 {
        return None;
    }
    let (total, count) = (i128::from(total), i128::from(count));
    i64::try_from((2 * total + count).div_euclid(2 * count)).ok()
}

const VOID_TO_LET: &str = "days from void to let";

fn count_by(keys: impl Iterator<Item = String>) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for key in keys {
        let n: &mut i64 = counts.entry(key).or_default();
        *n = n.saturating_add(1);
    }
    counts
}

/// The section's figures from the period's lets and its refusals by reason.
pub fn figures(lets: &[Let], refusals: &[(String, i64)]) -> Vec<Figure> {
    let count = i64::try_from(lets.len()).unwrap_or(i64::MAX);
    let mut figures = vec![Figure::new("lets", "", count, "lets")];
    for (source, n) in count_by(lets.iter().map(|l| l.referral_source.clone())) {
        figures.push(Figure::new("lets by referral source", source, n, "lets"));
    }
    let choice_based = lets.iter().filter(|l| l.choice_based).count();
    for (route, n) in [
        ("choice-based", choice_based),
        ("direct", lets.len().saturating_sub(choice_based)),
    ] {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        figures.push(Figure::new("lets by route", route, n, "lets"));
    }
    for (landlord, n) in count_by(lets.iter().map(|l| l.landlord.clone())) {
        figures.push(Figure::new("lets by landlord", landlord, n, "lets"));
    }
    let homeless = lets.iter().filter(|l| l.homeless).count();
    figures.push(Figure::new(
        "lets to homeless households",
        "",
        i64::try_from(homeless).unwrap_or(i64::MAX),
        "lets",
    ));
    let days: Vec<i64> = lets.iter().map(|l| l.void_days).collect();
    let total = days.iter().fold(0_i64, |sum, d| sum.saturating_add(*d));
    figures.push(Figure::new(VOID_TO_LET, "lets", count, "lets"));
    figures.push(Figure::new(VOID_TO_LET, "total", total, "days"));
    for (breakdown, value) in [("mean", mean(total, count)), ("median", median(&days))] {
        figures.push(match value {
            Some(days) => Figure::new(VOID_TO_LET, breakdown, days, "days"),
            None => Figure {
                breakdown: breakdown.to_owned(),
                ..Figure::omitted(VOID_TO_LET, "days", "no lets in the period")
            },
        });
    }
    let mut all = 0_i64;
    for (reason, n) in refusals {
        all = all.saturating_add(*n);
        figures.push(Figure::new(
            "refusals by reason",
            reason.clone(),
            *n,
            "refusals",
        ));
    }
    figures.push(Figure::new(
        "refusals by reason",
        "all reasons",
        all,
        "refusals",
    ));
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_halfway_rounded_up() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[9]), Some(9));
        assert_eq!(median(&[30, 10, 20]), Some(20));
        assert_eq!(median(&[10, 40, 20, 30]), Some(25));
        assert_eq!(median(&[10, 15]), Some(13));
        assert_eq!(median(&[-3, -2]), Some(-2));
        assert_eq!(median(&[i64::MAX, i64::MAX]), Some(i64::MAX));
    }

    #[test]
    fn the_mean_is_rounded_half_up_and_none_of_nothing() {
        assert_eq!(mean(0, 0), None);
        assert_eq!(mean(10, 4), Some(3));
        assert_eq!(mean(9, 4), Some(2));
        assert_eq!(mean(i64::MAX, 1), Some(i64::MAX));
    }

    #[test]
    fn no_lets_give_no_mean_or_median_but_say_why() {
        let figures = figures(&[], &[]);
        let median = figures
            .iter()
            .find(|f| f.measure == VOID_TO_LET && f.breakdown == "median")
            .unwrap();
        assert_eq!(median.value, None);
        assert_eq!(median.note, "no lets in the period");
    }
}
