//! Rules with no I/O: evidence and its review, checklists, letters (templates, PDF),
//! retention, content sniffing and the tar bundle format.

pub mod checklist;
pub mod evidence;
pub mod letters;
pub mod pdf;
pub mod retention;
pub mod sniff;
pub mod tar;
pub mod template;
