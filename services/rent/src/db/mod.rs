//! The rent service's queries.

pub mod accounts;
pub mod ledger;
