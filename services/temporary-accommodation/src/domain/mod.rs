//! Temporary accommodation rules: units and their compliance, matching a household to
//! units, closure reasons. No I/O.

pub mod matching;
pub mod placement;
pub mod unit;
