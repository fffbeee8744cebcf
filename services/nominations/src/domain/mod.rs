//! Nomination, vacancy and exchange rules. No I/O.

pub mod certificate;
pub mod core_log;
pub mod decant;
pub mod exchange;
pub mod household;
pub mod nomination;
pub mod report;
pub mod vacancy;
