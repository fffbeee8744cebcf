//! Nomination and exchange rules. No I/O.

pub mod exchange;
pub mod nomination;
