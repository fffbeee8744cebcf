//! Events the rent service consumes.

pub mod payables;
pub mod placements;
