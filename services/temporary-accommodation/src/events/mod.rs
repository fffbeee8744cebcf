//! Events temporary accommodation consumes.

pub mod arrears;
pub mod checklists;
pub mod lettings;
pub mod refusals;
