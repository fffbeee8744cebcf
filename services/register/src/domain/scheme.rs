//! The council's allocations scheme, as data: a versioned file that is checked whole before
//! it is used, and recorded on every assessment made under it.

use serde::{Deserialize, Serialize};

use super::bedroom::BedroomStandard;
use super::qualification::Qualification;

/// Facts about an application a band or points can be given for.
pub const CONDITIONS: &[&str] = &[
    "homeless",
    "owed_homelessness_duty",
    "overcrowded_by_1",
    "overcrowded_by_2",
    "unsatisfactory_conditions",
    "medical_need",
    "hardship_move",
    "armed_forces",
    "exceptional_circumstances",
];

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub name: String,
    pub version: String,
    pub kind: SchemeKind,
    pub areas: Vec<String>,
    pub bedroom_standard: BedroomStandard,
    #[serde(default)]
    pub qualification: Qualification,
    /// Banding schemes: bands from highest priority to lowest.
    #[serde(default)]
    pub bands: Vec<BandRule>,
    /// Points schemes: the points each condition gives; they add up.
    #[serde(default)]
    pub points: Vec<PointsRule>,
    pub tie_break: TieBreak,
    pub suspension: Suspension,
    pub annual_review: AnnualReview,
    /// Verified evidence an application needs before it goes live; none unless the scheme
    /// says.
    #[serde(default)]
    pub evidence: EvidenceRules,
    #[serde(default)]
    pub decision_reviews: DecisionReviewPeriods,
    /// Conditions that give additional preference to a household that already has
    /// reasonable preference (urgent needs, s.166A(3)); armed forces applicants in urgent
    /// need must have it under the Armed Forces regulations of 2012.
    #[serde(default = "default_additional_preference")]
    pub additional_preference: Vec<String>,
}

fn default_additional_preference() -> Vec<String> {
    vec!["armed_forces".into(), "exceptional_circumstances".into()]
}

/// The scheme's time limits on a review of a decision (s.166A(9)): the applicant asks
/// within `request_within_days` of the decision, and the council decides within
/// `decide_within_days` of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DecisionReviewPeriods {
    pub request_within_days: u32,
    pub decide_within_days: u32,
}

impl Default for DecisionReviewPeriods {
    fn default() -> Self {
        Self {
            request_within_days: 21,
            decide_within_days: 56,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRules {
    #[serde(default)]
    pub required: Vec<EvidenceKind>,
}

/// Evidence about the household that the register can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Identity,
    ImmigrationStatus,
    Address,
    IncomeAndSavings,
    Medical,
}

impl EvidenceKind {
    /// How the application's list of what is missing names this kind.
    pub fn missing_field(self) -> String {
        let name = match self {
            EvidenceKind::Identity => "identity",
            EvidenceKind::ImmigrationStatus => "immigration_status",
            EvidenceKind::Address => "address",
            EvidenceKind::IncomeAndSavings => "income_and_savings",
            EvidenceKind::Medical => "medical",
        };
        format!("evidence.{name}")
    }
}

impl EvidenceRules {
    /// The required kinds with no verified document among `verified`, as missing fields.
    pub fn missing(&self, verified: &[EvidenceKind]) -> Vec<String> {
        self.required
            .iter()
            .filter(|kind| !verified.contains(kind))
            .map(|kind| kind.missing_field())
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemeKind {
    Banding,
    Points,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandRule {
    pub band: String,
    pub when_any: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointsRule {
    pub condition: String,
    pub points: u32,
}

/// What orders applicants of equal priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// The date the applicant's current band (or points) was first awarded.
    PriorityDate,
    /// The date the application was submitted.
    RegistrationDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suspension {
    /// How long an applicant who refuses a suitable final offer is suspended.
    pub refused_final_offer_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualReview {
    pub every_months: u32,
    /// Days the applicant has to reply before the application is closed.
    pub reply_days: u32,
}

impl Scheme {
    /// Parses and checks a scheme file; every problem found is listed.
    pub fn parse(text: &str) -> Result<Self, Vec<String>> {
        let scheme: Scheme = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
        let problems = scheme.problems();
        if problems.is_empty() {
            Ok(scheme)
        } else {
            Err(problems)
        }
    }

    pub fn load(path: &std::path::Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("scheme file {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|problems| {
            anyhow::anyhow!(
                "scheme file {} is not valid:\n  {}",
                path.display(),
                problems.join("\n  ")
            )
        })
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.version.trim().is_empty() {
            problems.push("version: must not be empty".to_owned());
        }
        if self.areas.is_empty() {
            problems.push("areas: at least one area is needed".to_owned());
        }
        let standard = self.bedroom_standard;
        if standard.same_sex_sharing_age == 0 || standard.same_sex_sharing_age >= standard.adult_age
        {
            problems.push(
                "bedroom_standard: same_sex_sharing_age must be above 0 and below adult_age"
                    .to_owned(),
            );
        }
        problems.extend(self.qualification.problems());
        match self.kind {
            SchemeKind::Banding => self.band_problems(&mut problems),
            SchemeKind::Points => self.points_problems(&mut problems),
        }
        for (i, condition) in self.additional_preference.iter().enumerate() {
            if !CONDITIONS.contains(&condition.as_str()) {
                problems.push(format!(
                    "additional_preference[{i}]: unknown condition {condition:?}"
                ));
            }
        }
        if self.suspension.refused_final_offer_days == 0 {
            problems.push("suspension.refused_final_offer_days: must be at least 1".to_owned());
        }
        if self.annual_review.every_months == 0 {
            problems.push("annual_review.every_months: must be at least 1".to_owned());
        }
        if self.annual_review.reply_days == 0 {
            problems.push("annual_review.reply_days: must be at least 1".to_owned());
        }
        problems
    }

    fn band_problems(&self, problems: &mut Vec<String>) {
        if self.bands.is_empty() {
            problems.push("bands: a banding scheme needs at least one band".to_owned());
        }
        if !self.points.is_empty() {
            problems.push("points: a banding scheme gives no points".to_owned());
        }
        let mut seen = std::collections::HashSet::new();
        for (i, rule) in self.bands.iter().enumerate() {
            if !seen.insert(rule.band.as_str()) {
                problems.push(format!("bands[{i}]: band {} appears twice", rule.band));
            }
            for condition in &rule.when_any {
                if !CONDITIONS.contains(&condition.as_str()) {
                    problems.push(format!("bands[{i}]: unknown condition {condition:?}"));
                }
            }
            let last = i + 1 == self.bands.len();
            if last && !rule.when_any.is_empty() {
                problems.push(format!("bands[{i}]: the last band must have no conditions, so every application gets a band"));
            }
            if !last && rule.when_any.is_empty() {
                problems.push(format!(
                    "bands[{i}]: only the last band may have no conditions"
                ));
            }
        }
    }

    fn points_problems(&self, problems: &mut Vec<String>) {
        if self.points.is_empty() {
            problems
                .push("points: a points scheme needs points for at least one condition".to_owned());
        }
        if !self.bands.is_empty() {
            problems.push("bands: a points scheme has no bands".to_owned());
        }
        let mut seen = std::collections::HashSet::new();
        for (i, rule) in self.points.iter().enumerate() {
            if !CONDITIONS.contains(&rule.condition.as_str()) {
                problems.push(format!(
                    "points[{i}]: unknown condition {:?}",
                    rule.condition
                ));
            }
            if !seen.insert(rule.condition.as_str()) {
                problems.push(format!(
                    "points[{i}]: condition {} appears twice",
                    rule.condition
                ));
            }
            if rule.points == 0 {
                problems.push(format!("points[{i}]: points must be at least 1"));
            }
        }
    }

    pub fn knows_area(&self, area: &str) -> bool {
        self.areas.iter().any(|a| a == area)
    }

    pub fn knows_band(&self, band: &str) -> bool {
        self.bands.iter().any(|b| b.band == band)
    }

    /// Where a band or points total sorts on a shortlist: lower comes first.
    pub fn priority(&self, band: &str, points: Option<u32>) -> i32 {
        match self.kind {
            SchemeKind::Banding => self
                .bands
                .iter()
                .position(|b| b.band == band)
                .map_or(i32::MAX, |p| p as i32),
            SchemeKind::Points => -(points.unwrap_or(0) as i32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_banding_scheme_is_valid() {
        let scheme = Scheme::parse(include_str!("../../schemes/banding-example.toml")).unwrap();
        assert_eq!(scheme.bands.len(), 4);
        assert!(scheme.knows_area("north"));
        assert!(scheme.qualification.residence.is_some());
    }

    #[test]
    fn the_example_points_scheme_is_valid() {
        let scheme = Scheme::parse(include_str!("../../schemes/points-example.toml")).unwrap();
        assert_eq!(scheme.kind, SchemeKind::Points);
        assert!(scheme.priority("", Some(100)) < scheme.priority("", Some(50)));
    }

    #[test]
    fn a_bad_scheme_lists_every_problem() {
        let text = r#"
            name = "bad"
            version = ""
            kind = "banding"
            areas = []
            tie_break = "priority_date"
            [bedroom_standard]
            adult_age = 10
            same_sex_sharing_age = 10
            [qualification.income]
            cap_pence = -1
            exempt = ["tall"]
            [[bands]]
            band = "A"
            when_any = ["flying"]
            [[bands]]
            band = "A"
            when_any = ["homeless"]
            [suspension]
            refused_final_offer_days = 0
            [annual_review]
            every_months = 12
            reply_days = 0
        "#;
        let problems = Scheme::parse(text).unwrap_err();
        assert_eq!(problems.len(), 10, "{problems:#?}");
    }

    #[test]
    fn a_points_scheme_with_bands_is_refused() {
        let text = include_str!("../../schemes/points-example.toml").to_owned()
            + "\n[[bands]]\nband = \"A\"\nwhen_any = []\n";
        let problems = Scheme::parse(&text).unwrap_err();
        assert_eq!(problems, vec!["bands: a points scheme has no bands"]);
    }
}
