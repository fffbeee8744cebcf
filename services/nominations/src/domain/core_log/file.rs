//! The bulk-upload file: CORE's descriptive header rows, the `Field number` row, then one
//! row per log with column A left for labels (docs/core-lettings-2026.md §1.2–1.3).

use housing_platform::returns::defuse;

use super::{FIELDS, Row};

/// The header rows CORE's 2026 template carries, by their first-column label; only the
/// `Field number` row after them is read by CORE.
const LABELS: [&str; 6] = [
    "Question",
    "Additional info",
    "Values",
    "Can be empty?",
    "Type of letting the question applies to",
    "Duplicate check field?",
];

/// A file written a row at a time, so a national year's logs are never all held at once.
pub struct File {
    out: csv::Writer<Vec<u8>>,
    rows: i64,
}

impl Default for File {
    fn default() -> Self {
        let mut out = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail.
        let blank = vec![""; FIELDS];
        for label in LABELS {
            out.write_field(label).ok();
            out.write_record(&blank).ok();
        }
        out.write_field("Field number").ok();
        out.write_record((1..=FIELDS).map(|n| n.to_string())).ok();
        Self { out, rows: 0 }
    }
}

impl File {
    /// Adds one log, labelled in column A (ours: the letting's id).
    pub fn push(&mut self, label: &str, row: &Row) {
        self.out.write_field(defuse(label).as_bytes()).ok();
        for field in row.fields() {
            self.out.write_field(defuse(field).as_bytes()).ok();
        }
        self.out.write_record(None::<&[u8]>).ok();
        self.rows = self.rows.saturating_add(1);
    }

    /// Logs written.
    pub fn rows(&self) -> i64 {
        self.rows
    }

    pub fn finish(self) -> String {
        // Every cell is UTF-8 text.
        String::from_utf8(self.out.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}
