//! CORE's social housing lettings log in its 2026/27 bulk-upload form: one row of 148 fields
//! per letting, checked with CORE's own validations before it leaves. The field list, codes
//! and messages are in `docs/core-lettings-2026.md`.

pub mod build;
pub mod file;
pub mod household;
pub mod letting;
pub mod validate;

/// Fields in a 2026/27 row.
pub const FIELDS: usize = 148;

/// One letting's log as CORE's bulk upload reads it: field `n` (1 to 148) holds the text
/// written to the CSV cell, empty for no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    fields: Vec<String>,
}

impl Default for Row {
    fn default() -> Self {
        Self {
            fields: vec![String::new(); FIELDS],
        }
    }
}

impl Row {
    /// Field `n`, 1-based as CORE numbers them. Panics on a number outside 1..=148, which is
    /// a programming error, never input.
    pub fn get(&self, n: usize) -> &str {
        &self.fields[n - 1]
    }

    pub fn set(&mut self, n: usize, value: impl Into<String>) {
        self.fields[n - 1] = value.into();
    }

    /// The fields in CORE's order, field 1 first.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }
}
