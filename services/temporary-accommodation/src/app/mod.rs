//! Temporary accommodation's use cases, one transaction each.

pub mod placements;
pub mod stock;
