//! Temporary accommodation's queries.

pub mod clocks;
pub mod compliance;
pub mod jobs;
pub mod placements;
pub mod portfolio;
pub mod removals;
pub mod stock;
