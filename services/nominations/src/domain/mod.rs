//! Nomination rules. No I/O.

pub mod nomination;
