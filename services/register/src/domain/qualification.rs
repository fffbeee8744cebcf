//! Who qualifies for the council's register (s.160ZA(7)): the scheme's own rules on
//! residence, income, savings, home ownership and rent arrears, each with the exemptions
//! the council chose. A rule waived on review (s.166A(9)) does not apply to that applicant.

use housing_platform::money::Pence;
use housing_platform::words::count;
use serde::Deserialize;

/// Facts an exemption can rest on.
pub const EXEMPTIONS: &[&str] = &[
    "aged_55_or_over",
    "medical_need",
    "homeless",
    "owed_homelessness_duty",
    "armed_forces",
    "care_leaver_under_25",
    "domestic_abuse",
    "works_in_area",
    "close_family_in_area",
];

/// Who the law exempts from any local connection test, whatever the scheme says: care
/// leavers under 25 and victims of domestic abuse (regulations in force 10 July 2025). The
/// residence rule is the scheme's local connection test.
pub const LOCAL_CONNECTION_EXEMPT_BY_LAW: &[&str] = &["care_leaver_under_25", "domestic_abuse"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qualification {
    pub residence: Option<ResidenceRule>,
    pub income: Option<CapRule>,
    pub savings: Option<CapRule>,
    pub home_ownership: Option<ExemptionsOnly>,
    pub rent_arrears: Option<CapRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResidenceRule {
    pub years: u32,
    #[serde(default)]
    pub exempt: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapRule {
    pub cap_pence: i64,
    #[serde(default)]
    pub exempt: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExemptionsOnly {
    #[serde(default)]
    pub exempt: Vec<String>,
}

/// What the rules need to know about the applicant.
#[derive(Debug, Clone, Default)]
pub struct Applicant {
    pub years_resident: u32,
    pub annual_income_pence: i64,
    pub savings_pence: i64,
    pub owns_a_home: bool,
    pub rent_arrears_pence: i64,
    /// The exemption facts that hold, from [`EXEMPTIONS`].
    pub exempting_facts: Vec<&'static str>,
    /// Rule codes a decision review waived for this applicant.
    pub waived: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Codes of the rules that failed: the applicant does not qualify if any did.
    pub failed: Vec<String>,
    /// Rules that would have failed but an exemption or waiver applied, e.g.
    /// `residence: owed_homelessness_duty`.
    pub exemptions: Vec<String>,
    pub rules_fired: Vec<String>,
}

impl Qualification {
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut exemptions = |rule: &str, exempt: &[String]| {
            for e in exempt {
                if !EXEMPTIONS.contains(&e.as_str()) {
                    problems.push(format!(
                        "qualification.{rule}.exempt: unknown exemption {e:?}; one of {}",
                        EXEMPTIONS.join(", ")
                    ));
                }
            }
        };
        if let Some(r) = &self.residence {
            exemptions("residence", &r.exempt);
        }
        for (rule, cap) in [
            ("income", &self.income),
            ("savings", &self.savings),
            ("rent_arrears", &self.rent_arrears),
        ] {
            if let Some(cap) = cap {
                exemptions(rule, &cap.exempt);
            }
        }
        if let Some(r) = &self.home_ownership {
            exemptions("home_ownership", &r.exempt);
        }
        for (rule, cap) in [
            ("income", &self.income),
            ("savings", &self.savings),
            ("rent_arrears", &self.rent_arrears),
        ] {
            if let Some(cap) = cap
                && cap.cap_pence < 0
            {
                problems.push(format!(
                    "qualification.{rule}.cap_pence: must not be negative"
                ));
            }
        }
        problems
    }

    pub fn check(&self, applicant: &Applicant) -> Outcome {
        let mut outcome = Outcome::default();
        let mut rule = |code: &str, breached: bool, what: String, exempt: &[String]| {
            if !breached {
                outcome.rules_fired.push(format!("qualifies: {what}"));
                return;
            }
            if applicant.waived.iter().any(|w| w == code) {
                outcome.exemptions.push(format!("{code}: waived on review"));
                outcome
                    .rules_fired
                    .push(format!("{code}: {what}, but waived on review"));
                return;
            }
            let by_law = (code == "residence")
                .then(|| {
                    LOCAL_CONNECTION_EXEMPT_BY_LAW
                        .iter()
                        .find(|e| applicant.exempting_facts.contains(e))
                })
                .flatten();
            let exemption = exempt
                .iter()
                .map(String::as_str)
                .find(|e| applicant.exempting_facts.contains(e));
            match (by_law, exemption) {
                (Some(e), _) => {
                    outcome.exemptions.push(format!("{code}: {e}"));
                    outcome.rules_fired.push(format!(
                        "{code}: {what}, but exempt by law ({e}, from 10 July 2025)"
                    ));
                }
                (None, Some(e)) => {
                    outcome.exemptions.push(format!("{code}: {e}"));
                    outcome
                        .rules_fired
                        .push(format!("{code}: {what}, but exempt ({e})"));
                }
                (None, None) => {
                    outcome.failed.push(code.to_owned());
                    outcome
                        .rules_fired
                        .push(format!("does not qualify: {what}"));
                }
            }
        };
        if let Some(r) = &self.residence {
            rule(
                "residence",
                applicant.years_resident < r.years,
                format!(
                    "{}{} residence against {} required",
                    count(applicant.years_resident, "year"),
                    if applicant.years_resident == 1 {
                        "'s"
                    } else {
                        "'"
                    },
                    r.years
                ),
                &r.exempt,
            );
        }
        if let Some(r) = &self.income {
            rule(
                "income",
                applicant.annual_income_pence > r.cap_pence,
                format!(
                    "income of {} a year against a cap of {}",
                    Pence::new(applicant.annual_income_pence),
                    Pence::new(r.cap_pence)
                ),
                &r.exempt,
            );
        }
        if let Some(r) = &self.savings {
            rule(
                "savings",
                applicant.savings_pence > r.cap_pence,
                format!(
                    "savings of {} against a cap of {}",
                    Pence::new(applicant.savings_pence),
                    Pence::new(r.cap_pence)
                ),
                &r.exempt,
            );
        }
        if let Some(r) = &self.home_ownership {
            rule(
                "home_ownership",
                applicant.owns_a_home,
                if applicant.owns_a_home {
                    "owns a home".to_owned()
                } else {
                    "owns no home".to_owned()
                },
                &r.exempt,
            );
        }
        if let Some(r) = &self.rent_arrears {
            rule(
                "rent_arrears",
                applicant.rent_arrears_pence > r.cap_pence,
                format!(
                    "rent arrears of {} against a limit of {}",
                    Pence::new(applicant.rent_arrears_pence),
                    Pence::new(r.cap_pence)
                ),
                &r.exempt,
            );
        }
        outcome
    }
}

// Amounts are written pounds_pence, as an officer reads them.
#[cfg(test)]
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::*;

    fn rules() -> Qualification {
        Qualification {
            residence: Some(ResidenceRule {
                years: 2,
                exempt: vec!["owed_homelessness_duty".into(), "armed_forces".into()],
            }),
            income: Some(CapRule {
                cap_pence: 60_000_00,
                exempt: vec!["aged_55_or_over".into()],
            }),
            savings: Some(CapRule {
                cap_pence: 30_000_00,
                exempt: vec!["aged_55_or_over".into()],
            }),
            home_ownership: Some(ExemptionsOnly {
                exempt: vec!["medical_need".into()],
            }),
            rent_arrears: Some(CapRule {
                cap_pence: 500_00,
                exempt: vec!["owed_homelessness_duty".into()],
            }),
        }
    }

    fn qualifying() -> Applicant {
        Applicant {
            years_resident: 5,
            annual_income_pence: 20_000_00,
            savings_pence: 1_000_00,
            ..Default::default()
        }
    }

    #[test]
    fn an_applicant_meeting_every_rule_qualifies() {
        let outcome = rules().check(&qualifying());
        assert!(outcome.failed.is_empty());
        assert_eq!(outcome.rules_fired.len(), 5);
    }

    #[test]
    fn residence_rule_fails_under_the_required_years() {
        let applicant = Applicant {
            years_resident: 1,
            ..qualifying()
        };
        assert_eq!(rules().check(&applicant).failed, vec!["residence"]);
    }

    #[test]
    fn residence_rule_exempts_a_household_owed_a_homelessness_duty() {
        let applicant = Applicant {
            years_resident: 0,
            exempting_facts: vec!["owed_homelessness_duty"],
            ..qualifying()
        };
        let outcome = rules().check(&applicant);
        assert!(outcome.failed.is_empty());
        assert_eq!(
            outcome.exemptions,
            vec!["residence: owed_homelessness_duty"]
        );
    }

    #[test]
    fn the_law_exempts_care_leavers_under_25_and_victims_of_domestic_abuse_whatever_the_scheme() {
        // The scheme's residence rule names neither: the regulations of 10 July 2025 do.
        assert!(
            !rules()
                .residence
                .as_ref()
                .unwrap()
                .exempt
                .iter()
                .any(|e| e == "domestic_abuse")
        );
        for fact in ["care_leaver_under_25", "domestic_abuse"] {
            let outcome = rules().check(&Applicant {
                years_resident: 0,
                exempting_facts: vec![fact],
                ..qualifying()
            });
            assert!(outcome.failed.is_empty(), "{fact}");
            assert_eq!(outcome.exemptions, vec![format!("residence: {fact}")]);
            assert!(
                outcome
                    .rules_fired
                    .iter()
                    .any(|r| r.contains("exempt by law"))
            );
        }
        // The law exempts from local connection only: an income over the cap still fails.
        let outcome = rules().check(&Applicant {
            annual_income_pence: i64::MAX,
            exempting_facts: vec!["domestic_abuse"],
            ..qualifying()
        });
        assert_eq!(outcome.failed, vec!["income"]);
    }

    #[test]
    fn residence_rule_exempts_armed_forces() {
        let applicant = Applicant {
            years_resident: 0,
            exempting_facts: vec!["armed_forces"],
            ..qualifying()
        };
        assert!(rules().check(&applicant).failed.is_empty());
    }

    #[test]
    fn income_rule_fails_over_the_cap() {
        let applicant = Applicant {
            annual_income_pence: 60_000_01,
            ..qualifying()
        };
        assert_eq!(rules().check(&applicant).failed, vec!["income"]);
    }

    #[test]
    fn the_explanation_gives_money_in_pounds_and_pence() {
        let applicant = Applicant {
            annual_income_pence: 60_000_01,
            ..qualifying()
        };
        let fired = rules().check(&applicant).rules_fired;
        assert!(
            fired.contains(
                &"does not qualify: income of £60,000.01 a year against a cap of £60,000.00".into()
            ),
            "{fired:?}"
        );
        assert!(fired.iter().all(|f| !f.contains("00p")), "{fired:?}");
    }

    #[test]
    fn income_and_savings_caps_exempt_applicants_aged_55_or_over() {
        let applicant = Applicant {
            annual_income_pence: 90_000_00,
            savings_pence: 90_000_00,
            exempting_facts: vec!["aged_55_or_over"],
            ..qualifying()
        };
        let outcome = rules().check(&applicant);
        assert!(outcome.failed.is_empty());
        assert_eq!(
            outcome.exemptions,
            vec!["income: aged_55_or_over", "savings: aged_55_or_over"]
        );
    }

    #[test]
    fn savings_rule_fails_over_the_cap() {
        let applicant = Applicant {
            savings_pence: 30_000_01,
            ..qualifying()
        };
        assert_eq!(rules().check(&applicant).failed, vec!["savings"]);
    }

    #[test]
    fn home_ownership_rule_fails_a_home_owner() {
        let applicant = Applicant {
            owns_a_home: true,
            ..qualifying()
        };
        assert_eq!(rules().check(&applicant).failed, vec!["home_ownership"]);
    }

    #[test]
    fn home_ownership_rule_exempts_medical_need() {
        let applicant = Applicant {
            owns_a_home: true,
            exempting_facts: vec!["medical_need"],
            ..qualifying()
        };
        assert!(rules().check(&applicant).failed.is_empty());
    }

    #[test]
    fn rent_arrears_rule_fails_over_the_limit() {
        let applicant = Applicant {
            rent_arrears_pence: 500_01,
            ..qualifying()
        };
        assert_eq!(rules().check(&applicant).failed, vec!["rent_arrears"]);
    }

    #[test]
    fn every_failed_rule_is_listed() {
        let applicant = Applicant {
            years_resident: 0,
            owns_a_home: true,
            rent_arrears_pence: 1_000_00,
            ..qualifying()
        };
        assert_eq!(
            rules().check(&applicant).failed,
            vec!["residence", "home_ownership", "rent_arrears"]
        );
    }

    #[test]
    fn a_rule_waived_on_review_no_longer_fails() {
        let applicant = Applicant {
            years_resident: 0,
            waived: vec!["residence".into()],
            ..qualifying()
        };
        let outcome = rules().check(&applicant);
        assert!(outcome.failed.is_empty());
        assert_eq!(outcome.exemptions, vec!["residence: waived on review"]);
    }

    #[test]
    fn an_unknown_exemption_is_a_problem() {
        let mut q = rules();
        q.income.as_mut().unwrap().exempt.push("tall".into());
        assert_eq!(q.problems().len(), 1);
    }
}
