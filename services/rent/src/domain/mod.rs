//! Ledger arithmetic and rent charging rules. No I/O.
//!
//! Every sum of money here is checked: whatever posts to the ledger refuses an amount that
//! would overflow rather than post a wrong one. What only reads the ledger back saturates
//! instead ([`ledger::saturating_add`]), so that a ledger holding an absurd posting still
//! answers.
#![deny(clippy::arithmetic_side_effects)]

pub mod arrears;
pub mod bonds;
pub mod charges;
pub mod ledger;
pub mod payments;
pub mod report;
pub mod write_offs;
