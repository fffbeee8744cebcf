//! Events the documents service consumes.

pub mod placements;
