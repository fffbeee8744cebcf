//! Events temporary accommodation consumes.

pub mod arrears;
pub mod certificates;
pub mod checklists;
pub mod lettings;
pub mod refusals;
