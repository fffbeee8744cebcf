//! Nominations' use cases.

pub mod adverts;
pub mod core_log;
pub mod decants;
pub mod exchanges;
pub mod lists;
pub mod mobility;
pub mod nominations;
pub mod overdue;
pub mod partners;
pub mod refusals;
pub mod register;
pub mod returns;
