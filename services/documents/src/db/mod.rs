//! The documents service's queries.

pub mod checklists;
pub mod documents;
pub mod letters;
pub mod people;
pub mod retention;
