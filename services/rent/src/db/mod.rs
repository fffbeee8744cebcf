//! The rent service's queries.

pub mod accounts;
pub mod arrears;
pub mod bonds;
pub mod charges;
pub mod figures;
pub mod ledger;
pub mod payables;
pub mod payments;
pub mod statements;
pub mod write_offs;
