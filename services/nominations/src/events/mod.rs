//! Events nominations consumes.

pub mod applications;
