//! Letters (templates and PDF rendering) and checklists. No I/O.

pub mod checklist;
pub mod pdf;
pub mod template;
