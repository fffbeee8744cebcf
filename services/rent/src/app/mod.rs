//! Rent use cases, one transaction each.

pub mod accounts;
pub mod adjustments;
pub mod arrears;
pub mod bonds;
pub mod charge_run;
pub mod payables;
pub mod payments;
pub mod returns;
pub mod statements;
pub mod write_offs;
