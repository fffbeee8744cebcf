//! Temporary accommodation rules: units and their compliance, matching a household to
//! units, closure reasons. No I/O.

pub mod clocks;
pub mod concern;
pub mod invoices;
pub mod matching;
pub mod optimiser;
pub mod placement;
pub mod provider;
pub mod unit;
