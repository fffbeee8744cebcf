//! The events a referral raises: opened, so the panel's team has a case to decide, and
//! decided, with the panel's finding.

use housing_platform::time;
use housing_proto::register::v1 as pb;

use crate::db::referrals::{Panel, Referral};

pub const OPENED: &str = "housing.register.referral.opened.v1";
pub const DECIDED: &str = "housing.register.referral.decided.v1";

impl From<Panel> for pb::ReferralPanel {
    fn from(panel: Panel) -> Self {
        match panel {
            Panel::MedicalWelfare => pb::ReferralPanel::MedicalWelfare,
            Panel::PrivateSectorHousing => pb::ReferralPanel::PrivateSectorHousing,
            Panel::SeniorOfficer => pb::ReferralPanel::SeniorOfficer,
        }
    }
}

pub fn opened(r: &Referral) -> pb::ReferralOpened {
    pb::ReferralOpened {
        referral_id: r.id.to_string(),
        application_id: r.application_id.to_string(),
        reference: r.application_reference.clone(),
        panel: pb::ReferralPanel::from(r.panel) as i32,
        question: r.question.clone(),
        referred_by: r.referred_by.clone(),
        referred_at: Some(time::timestamp(r.referred_at)),
    }
}

/// The decided referral's event; `None` for one not yet decided.
pub fn decided(r: &Referral) -> Option<pb::ReferralDecided> {
    Some(pb::ReferralDecided {
        referral_id: r.id.to_string(),
        application_id: r.application_id.to_string(),
        reference: r.application_reference.clone(),
        panel: pb::ReferralPanel::from(r.panel) as i32,
        accepted: r.status == "accepted",
        findings: r.findings.clone().unwrap_or_default(),
        decided_by: r.decided_by.clone()?,
        decided_at: Some(time::timestamp(r.decided_at?)),
    })
}
