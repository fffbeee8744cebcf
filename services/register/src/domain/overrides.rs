//! An officer's override of band or bedroom need. It stands until an officer assesses the
//! application afresh; automatic re-assessments keep it and say where the rules now differ.

use super::assessment::{Assessment, Outcome};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub band: Option<String>,
    pub bedroom_need: Option<u32>,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        self.band.is_none() && self.bedroom_need.is_none()
    }

    /// Puts the overridden values over a fresh assessment and returns, for an officer, each
    /// place where the rules now give something else than the override.
    pub fn apply(&self, assessment: &mut Assessment) -> Vec<String> {
        let mut differences = Vec::new();
        if assessment.outcome != Outcome::Active {
            return differences;
        }
        if let Some(need) = self.bedroom_need {
            if assessment.bedroom_need != need {
                let plural = if assessment.bedroom_need == 1 {
                    ""
                } else {
                    "s"
                };
                differences.push(format!(
                    "the bedroom standard now gives {} bedroom{plural}; overridden to {need}",
                    assessment.bedroom_need
                ));
            }
            assessment.bedroom_need = need;
            assessment
                .rules_fired
                .push(format!("bedroom need overridden to {need}"));
        }
        if let Some(band) = &self.band {
            if &assessment.band != band {
                differences.push(format!(
                    "the scheme now gives band {}; overridden to {band}",
                    assessment.band
                ));
            }
            assessment.band = band.clone();
            assessment
                .rules_fired
                .push(format!("band overridden to {band}"));
        }
        differences
    }
}
