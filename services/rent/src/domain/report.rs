//! Rent's section of the council's management report: the period's charges and collection
//! and the arrears at its end, as figures.

use housing_platform::money::Pence;
use housing_platform::returns::Figure;

use super::arrears::Stage;

/// What was collected of what was charged, in basis points (10,000 is all of it), rounded
/// to the nearest; none when nothing was charged (no rate to give) or the ratio is beyond
/// 64 bits.
pub fn collection_rate(charged: Pence, collected: Pence) -> Option<i64> {
    if charged <= Pence::ZERO {
        return None;
    }
    collected
        .checked_ratio(10_000, charged.get())
        .ok()
        .map(Pence::get)
}

/// Accounts at one recovery stage at the period's end, and what they owed then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageAtEnd {
    pub stage: Stage,
    pub accounts: i64,
    pub balance: Pence,
}

/// The section's figures: every stage but clear is listed, with none at it as zero, so the
/// table keeps its shape from one period to the next.
pub fn figures(charged: Pence, collected: Pence, stages: &[StageAtEnd]) -> Vec<Figure> {
    let mut figures = vec![
        Figure::new("rent charged", "", charged.get(), "pence"),
        Figure::new("rent collected", "", collected.get(), "pence"),
        match collection_rate(charged, collected) {
            Some(rate) => Figure::new("collection rate", "", rate, "basis_points"),
            None => Figure::omitted(
                "collection rate",
                "basis_points",
                "no rent was charged in the period",
            ),
        },
    ];
    for stage in Stage::ALL.into_iter().filter(|s| *s != Stage::Clear) {
        let found = stages.iter().find(|s| s.stage == stage);
        figures.push(Figure::new(
            "accounts in arrears at the period end",
            stage.as_str(),
            found.map_or(0, |s| s.accounts),
            "accounts",
        ));
        figures.push(Figure::new(
            "arrears at the period end",
            stage.as_str(),
            found.map_or(0, |s| s.balance.get()),
            "pence",
        ));
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pence: i64) -> Pence {
        Pence::new(pence)
    }

    #[test]
    fn the_rate_is_rounded_to_the_nearest_basis_point() {
        // 2/3 is 6,666.67 basis points.
        assert_eq!(collection_rate(p(300), p(200)), Some(6_667));
        assert_eq!(collection_rate(p(300), p(100)), Some(3_333));
        // Collecting more than was charged (arrears paid off) is over 100%.
        assert_eq!(collection_rate(p(100), p(150)), Some(15_000));
    }

    #[test]
    fn nothing_charged_gives_no_rate() {
        assert_eq!(collection_rate(p(0), p(500)), None);
        assert_eq!(collection_rate(p(-10), p(500)), None);
    }

    #[test]
    fn a_rate_beyond_64_bits_is_not_given() {
        assert_eq!(collection_rate(p(1), p(i64::MAX)), None);
    }

    #[test]
    fn every_stage_but_clear_is_listed() {
        let figures = figures(
            p(0),
            p(0),
            &[StageAtEnd {
                stage: Stage::Reminder,
                accounts: 2,
                balance: p(5_000),
            }],
        );
        assert_eq!(figures[2].value, None);
        let accounts: Vec<_> = figures
            .iter()
            .filter(|f| f.unit == "accounts")
            .map(|f| (f.breakdown.as_str(), f.value))
            .collect();
        assert_eq!(
            accounts,
            [
                ("reminder", Some(2)),
                ("first_letter", Some(0)),
                ("second_letter", Some(0)),
                ("payment_plan", Some(0)),
                ("referral", Some(0)),
            ]
        );
    }
}
