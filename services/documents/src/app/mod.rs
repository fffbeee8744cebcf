//! The documents service's use cases.

pub mod blobs;
pub mod checklists;
pub mod drafts;
pub mod evidence;
pub mod integrity;
pub mod letters;
pub mod retention;
pub mod subject_access;
pub mod templates;
pub mod upload;
