//! The register's use cases: each is one transaction that loads, applies the rules, writes
//! rows and outbox events, and commits.

pub mod applications;
