//! Temporary accommodation's queries.

pub mod placements;
pub mod stock;
