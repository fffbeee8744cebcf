//! LAHS section C (allocations): the waiting list as it stood at the end of 31 March and the
//! financial year's lettings, counted from what the register recorded at the time.

use chrono::NaiveDate;

use housing_platform::returns::{Period, csv_table};

/// s.166A(3) categories as assessments record them.
const HOMELESS: &str = "a_homeless";
const OWED_DUTY: &str = "b_owed_homelessness_duty";
const OVERCROWDED: &str = "c_overcrowded";
const UNSATISFACTORY: &str = "c_unsatisfactory_conditions";
const MEDICAL: &str = "d_medical_or_welfare";
const HARDSHIP: &str = "e_hardship_move";

/// An application on the register at the count, as its assessment in force then had it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub bedroom_need: u32,
    pub reasonable_preference: Vec<String>,
    pub additional_preference: bool,
    pub transfer: bool,
}

impl Standing {
    fn has(&self, category: &str) -> bool {
        self.reasonable_preference.iter().any(|c| c == category)
    }
}

/// One figure per LAHS line for a group of households.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Households {
    pub total: i64,
    pub one_bedroom: i64,
    pub two_bedrooms: i64,
    pub three_bedrooms: i64,
    pub four_or_more_bedrooms: i64,
    pub homeless: i64,
    pub owed_homelessness_duty: i64,
    pub insanitary_overcrowded_or_unsatisfactory: i64,
    pub medical_or_welfare: i64,
    pub hardship: i64,
    pub any_reasonable_preference: i64,
    pub additional_preference: i64,
}

impl Households {
    fn add(&mut self, s: &Standing) {
        let count = |holds: bool| i64::from(holds);
        self.total += 1;
        // A need of 0 cannot come from the bedroom standard (everyone needs a room); an
        // override to 0 counts with one bedroom, as the smallest home offered.
        match s.bedroom_need {
            0 | 1 => self.one_bedroom += 1,
            2 => self.two_bedrooms += 1,
            3 => self.three_bedrooms += 1,
            _ => self.four_or_more_bedrooms += 1,
        }
        self.homeless += count(s.has(HOMELESS));
        self.owed_homelessness_duty += count(s.has(OWED_DUTY));
        self.insanitary_overcrowded_or_unsatisfactory +=
            count(s.has(OVERCROWDED) || s.has(UNSATISFACTORY));
        self.medical_or_welfare += count(s.has(MEDICAL));
        self.hardship += count(s.has(HARDSHIP));
        self.any_reasonable_preference += count(!s.reasonable_preference.is_empty());
        self.additional_preference += count(s.additional_preference);
    }

    fn lines(&self) -> [(&'static str, i64); 12] {
        [
            ("households", self.total),
            ("needing 1 bedroom", self.one_bedroom),
            ("needing 2 bedrooms", self.two_bedrooms),
            ("needing 3 bedrooms", self.three_bedrooms),
            ("needing 4 or more bedrooms", self.four_or_more_bedrooms),
            ("reasonable preference: homeless", self.homeless),
            (
                "reasonable preference: owed a homelessness duty",
                self.owed_homelessness_duty,
            ),
            (
                "reasonable preference: insanitary, overcrowded or unsatisfactory housing",
                self.insanitary_overcrowded_or_unsatisfactory,
            ),
            (
                "reasonable preference: medical or welfare grounds",
                self.medical_or_welfare,
            ),
            ("reasonable preference: to avoid hardship", self.hardship),
            (
                "in any reasonable preference category",
                self.any_reasonable_preference,
            ),
            ("given additional preference", self.additional_preference),
        ]
    }
}

/// A letting whose tenancy began in the year, with the household as assessed when housed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letting {
    pub council_stock: bool,
    pub choice_based: bool,
    /// The assessment in force when the household was housed; none for an application
    /// housed before it was ever assessed.
    pub standing: Option<Standing>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lettings {
    pub total: i64,
    pub council_stock: i64,
    pub nominations_to_housing_associations: i64,
    pub new_tenants: i64,
    pub transfers: i64,
    pub with_reasonable_preference: i64,
    pub homeless_households: i64,
    pub choice_based: i64,
}

impl Lettings {
    fn add(&mut self, l: &Letting) {
        let count = |holds: bool| i64::from(holds);
        let standing = l.standing.as_ref();
        let transfer = standing.is_some_and(|s| s.transfer);
        self.total += 1;
        self.council_stock += count(l.council_stock);
        self.nominations_to_housing_associations += count(!l.council_stock);
        self.new_tenants += count(!transfer);
        self.transfers += count(transfer);
        self.with_reasonable_preference +=
            count(standing.is_some_and(|s| !s.reasonable_preference.is_empty()));
        self.homeless_households +=
            count(standing.is_some_and(|s| s.has(HOMELESS) || s.has(OWED_DUTY)));
        self.choice_based += count(l.choice_based);
    }

    fn lines(&self) -> [(&'static str, i64); 8] {
        [
            ("lettings", self.total),
            ("lettings of the council's own homes", self.council_stock),
            (
                "lettings by nomination to housing associations",
                self.nominations_to_housing_associations,
            ),
            ("lettings to new social tenants", self.new_tenants),
            (
                "lettings to existing social tenants (transfers)",
                self.transfers,
            ),
            (
                "lettings to households with reasonable preference",
                self.with_reasonable_preference,
            ),
            ("lettings to homeless households", self.homeless_households),
            ("lettings through choice-based lettings", self.choice_based),
        ]
    }
}

/// The whole section for one financial year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionC {
    pub year: Period,
    pub waiting_list: Households,
    pub transfer_list: Households,
    pub lettings: Lettings,
}

impl SectionC {
    pub fn new(year: Period) -> Self {
        Self {
            year,
            waiting_list: Households::default(),
            transfer_list: Households::default(),
            lettings: Lettings::default(),
        }
    }

    /// The day the waiting list is counted on: the year's last day.
    pub fn count_date(&self) -> NaiveDate {
        self.year.end
    }

    pub fn count(&mut self, standing: &Standing) {
        if standing.transfer {
            self.transfer_list.add(standing);
        } else {
            self.waiting_list.add(standing);
        }
    }

    pub fn let_(&mut self, letting: &Letting) {
        self.lettings.add(letting);
    }

    /// The return as CSV, one line per figure: the list it belongs to, what it counts, and
    /// the figure.
    pub fn csv(&self) -> (String, i64) {
        let mut rows = Vec::new();
        for (list, households) in [
            ("waiting list", &self.waiting_list),
            ("transfer list", &self.transfer_list),
        ] {
            for (what, figure) in households.lines() {
                rows.push(vec![list.to_owned(), what.to_owned(), figure.to_string()]);
            }
        }
        for (what, figure) in self.lettings.lines() {
            rows.push(vec![
                "lettings".to_owned(),
                what.to_owned(),
                figure.to_string(),
            ]);
        }
        let count = rows.len() as i64;
        (csv_table(&["section", "line", "figure"], rows), count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(need: u32, rp: &[&str], additional: bool, transfer: bool) -> Standing {
        Standing {
            bedroom_need: need,
            reasonable_preference: rp.iter().map(|c| c.to_string()).collect(),
            additional_preference: additional,
            transfer,
        }
    }

    fn year() -> Period {
        Period::financial_year(2026).unwrap()
    }

    #[test]
    fn a_household_in_several_categories_counts_in_each_and_once_in_any() {
        let mut c = SectionC::new(year());
        c.count(&standing(
            2,
            &[HOMELESS, OWED_DUTY, OVERCROWDED, UNSATISFACTORY],
            true,
            false,
        ));
        c.count(&standing(5, &[], false, false));
        let w = c.waiting_list;
        assert_eq!(w.total, 2);
        assert_eq!((w.two_bedrooms, w.four_or_more_bedrooms), (1, 1));
        assert_eq!((w.homeless, w.owed_homelessness_duty), (1, 1));
        // Overcrowded and unsatisfactory are one LAHS category: counted once.
        assert_eq!(w.insanitary_overcrowded_or_unsatisfactory, 1);
        assert_eq!(w.any_reasonable_preference, 1);
        assert_eq!(w.additional_preference, 1);
        assert_eq!(c.transfer_list, Households::default());
    }

    #[test]
    fn transfers_are_counted_apart_from_the_waiting_list() {
        let mut c = SectionC::new(year());
        c.count(&standing(1, &[MEDICAL], false, true));
        assert_eq!(c.waiting_list.total, 0);
        assert_eq!(c.transfer_list.total, 1);
        assert_eq!(c.transfer_list.medical_or_welfare, 1);
    }

    #[test]
    fn lettings_count_by_landlord_and_by_who_was_housed() {
        let mut c = SectionC::new(year());
        c.let_(&Letting {
            council_stock: true,
            choice_based: true,
            standing: Some(standing(2, &[OWED_DUTY], false, false)),
        });
        c.let_(&Letting {
            council_stock: false,
            choice_based: false,
            standing: Some(standing(1, &[], false, true)),
        });
        c.let_(&Letting {
            council_stock: false,
            choice_based: false,
            standing: None,
        });
        let l = c.lettings;
        assert_eq!(l.total, 3);
        assert_eq!(
            (l.council_stock, l.nominations_to_housing_associations),
            (1, 2)
        );
        assert_eq!((l.new_tenants, l.transfers), (2, 1));
        assert_eq!(
            (l.with_reasonable_preference, l.homeless_households),
            (1, 1)
        );
        assert_eq!(l.choice_based, 1);
    }

    #[test]
    fn the_csv_has_one_line_per_figure() {
        let mut c = SectionC::new(year());
        c.count(&standing(3, &[HARDSHIP], false, false));
        let (csv, rows) = c.csv();
        assert_eq!(rows, 32);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("section,line,figure"));
        assert_eq!(lines.next(), Some("waiting list,households,1"));
        assert!(csv.contains("waiting list,needing 3 bedrooms,1\n"));
        assert!(csv.contains("waiting list,reasonable preference: to avoid hardship,1\n"));
        assert!(csv.contains(
            "waiting list,\"reasonable preference: insanitary, overcrowded or unsatisfactory housing\",0\n"
        ));
        assert_eq!(csv.lines().count(), 33);
    }
}
