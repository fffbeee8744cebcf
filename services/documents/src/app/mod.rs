//! The documents service's use cases.

pub mod blobs;
pub mod letters;
