//! The register's queries.

pub mod applications;
