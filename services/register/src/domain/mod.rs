//! The register's rules: households, the bedroom standard, the allocations scheme and
//! assessment under it. No I/O.

pub mod application;
pub mod assessment;
pub mod bedroom;
pub mod changes;
pub mod details;
pub mod eligibility;
pub mod household;
pub mod lahs;
pub mod lettings_answers;
pub mod overrides;
pub mod qualification;
pub mod scheme;
