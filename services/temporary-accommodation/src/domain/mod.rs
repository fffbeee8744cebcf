//! Temporary accommodation rules: units and their compliance, matching a household to
//! units, closure reasons. No I/O.
//!
//! Every sum of money and of nights here is checked: what the council pays, and what the
//! portfolio optimiser weighs, fails with [`Overflow`](housing_platform::money::Overflow)
//! rather than wrap. Only figures for showing and ranking saturate.
#![deny(clippy::arithmetic_side_effects)]

pub mod clocks;
pub mod concern;
pub mod hclic;
pub mod household;
pub mod invoices;
pub mod matching;
pub mod optimiser;
pub mod placement;
pub mod provider;
pub mod report;
pub mod unit;
