//! Events the register consumes.

pub mod lettings;
