//! A vacancy's life: open, nominated to or advertised, then let, or withdrawn before.

use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Nominated,
    Let,
    /// Open for bids in choice-based lettings.
    Advertised,
    /// Taken back by the partner before it was let.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::Nominated,
        Status::Let,
        Status::Advertised,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Nominated => "nominated",
            Status::Let => "let",
            Status::Advertised => "advertised",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl TryFrom<String> for Status {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or_else(|| format!("unknown vacancy status {s}"))
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reported before the home is empty: the tenant has given notice and the void is still to
/// start on `on`.
pub fn pre_void(void_start: NaiveDate, on: NaiveDate) -> bool {
    void_start > on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_as_itself() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("void"), None);
    }

    #[test]
    fn a_home_is_pre_void_until_the_day_its_void_starts() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert!(pre_void(day.succ_opt().unwrap(), day));
        assert!(!pre_void(day, day));
        assert!(!pre_void(day.pred_opt().unwrap(), day));
    }
}
