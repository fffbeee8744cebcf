//! Nominations' use cases.

pub mod nominations;
pub mod register;
