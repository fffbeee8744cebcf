//! The rent service's queries.

pub mod accounts;
pub mod charges;
pub mod ledger;
pub mod payments;
pub mod statements;
