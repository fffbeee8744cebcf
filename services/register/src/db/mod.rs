//! The register's tables, one module per thing stored.

pub mod applications;
pub mod changes;
pub mod evidence;
pub mod jobs;
pub mod reassessment;
pub mod referrals;
pub mod returns;
pub mod reviews;
pub mod shortlist;
