//! Events temporary accommodation consumes.

pub mod lettings;
