//! The documents service's queries.

pub mod checklists;
pub mod letters;
