//! Rent use cases, one transaction each.

pub mod accounts;
