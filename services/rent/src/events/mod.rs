//! Events the rent service consumes.

pub mod placements;
