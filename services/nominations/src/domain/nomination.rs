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

/// How a let household came to the landlord, as CORE's referral field records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralSource {
    /// The council's own home, let from its housing register.
    CouncilRegister,
    /// A housing association's home, let to the council's nominee.
    Nomination,
}

impl ReferralSource {
    /// The council's own homes come from its register, a partner's from its nomination.
    pub fn of_landlord(council_stock: bool) -> Self {
        if council_stock {
            ReferralSource::CouncilRegister
        } else {
            ReferralSource::Nomination
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralSource::CouncilRegister => "local_authority_housing_register",
            ReferralSource::Nomination => "nominated_by_local_authority",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [ReferralSource::CouncilRegister, ReferralSource::Nomination]
            .into_iter()
            .find(|source| source.as_str() == s)
    }
}

/// A share of `count` lets, rounded up: 5 % of 30 lets is two lets, not one and a half.
pub fn share_of(count: i64, percent: i32) -> i64 {
    (count * i64::from(percent) + 99) / 100
}
