//! Events temporary accommodation consumes.

pub mod checklists;
pub mod lettings;
pub mod refusals;
