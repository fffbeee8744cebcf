//! Ledger arithmetic and rent charging rules. No I/O.

pub mod arrears;
pub mod charges;
pub mod ledger;
pub mod payments;
