//! Nomination and exchange rules. No I/O.

pub mod certificate;
pub mod exchange;
pub mod nomination;
