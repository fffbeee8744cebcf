//! Temporary accommodation's queries.

pub mod clocks;
pub mod closure_reviews;
pub mod compliance;
pub mod concerns;
pub mod invoices;
pub mod placements;
pub mod portfolio;
pub mod providers;
pub mod removals;
pub mod returns;
pub mod s213aa;
pub mod stock;
