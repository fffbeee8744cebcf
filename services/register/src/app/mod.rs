//! The register's use cases: each is one transaction that loads, applies the rules, writes
//! rows and outbox events, and commits.

pub mod applications;
pub mod assessing;
pub mod birthdays;
pub mod circumstances;
pub mod daily;
pub mod decision_reviews;
pub mod evidence;
pub mod overrides;
pub mod reassessment;
pub mod referrals;
pub mod returns;
pub mod reviews;
pub mod suspensions;
pub mod under_occupation;

use crate::domain::lettings_answers::EqualityData;

/// Who is acting: an officer (senior or not) or one of the register's own jobs.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    /// Senior officers decide eligibility, suspensions and reviews.
    pub senior: bool,
    pub equality_data: EqualityData,
}

impl Actor {
    pub fn system(job: &str) -> Self {
        Self {
            id: format!("system:{job}"),
            senior: true,
            equality_data: EqualityData::Shown,
        }
    }
}
