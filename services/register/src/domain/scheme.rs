//! The council's allocations scheme, as data: a versioned file that is checked whole before
//! it is used, and recorded on every assessment made under it.

use serde::Deserialize;

use super::bedroom::BedroomStandard;

/// Facts about an application a band can be conditioned on.
pub const CONDITIONS: &[&str] = &[
    "homeless",
    "owed_homelessness_duty",
    "overcrowded_by_1",
    "overcrowded_by_2",
    "medical_need",
    "hardship_move",
];

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub name: String,
    pub version: String,
    pub kind: SchemeKind,
    pub areas: Vec<String>,
    pub bedroom_standard: BedroomStandard,
    pub bands: Vec<BandRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemeKind {
    Banding,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandRule {
    pub band: String,
    pub when_any: Vec<String>,
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
        if self.bands.is_empty() {
            problems.push("bands: at least one band is needed".to_owned());
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
        problems
    }

    pub fn knows_area(&self, area: &str) -> bool {
        self.areas.iter().any(|a| a == area)
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
    }

    #[test]
    fn a_bad_scheme_lists_every_problem() {
        let text = r#"
            name = "bad"
            version = ""
            kind = "banding"
            areas = []
            [bedroom_standard]
            adult_age = 10
            same_sex_sharing_age = 10
            [[bands]]
            band = "A"
            when_any = ["flying"]
            [[bands]]
            band = "A"
            when_any = ["homeless"]
        "#;
        let problems = Scheme::parse(text).unwrap_err();
        assert_eq!(problems.len(), 6, "{problems:#?}");
    }
}
