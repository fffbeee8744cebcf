//! A nomination's life: pending with the partner, accepted or rejected, then let.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Accepted,
    Rejected,
    Let,
    Withdrawn,
    Refused,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Let => "let",
            Status::Withdrawn => "withdrawn",
            Status::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Status::Pending,
            Status::Accepted,
            Status::Rejected,
            Status::Let,
            Status::Withdrawn,
            Status::Refused,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// A share of `count` lets, rounded up: 5 % of 30 lets is two lets, not one and a half.
pub fn share_of(count: i64, percent: i32) -> i64 {
    (count * i64::from(percent) + 99) / 100
}
