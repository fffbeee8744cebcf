//! Evidence and certificates: what a document is, what it is about, and its review.

/// What a document is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKind {
    Application,
    Household,
    Placement,
    Unit,
    Account,
}

impl OwnerKind {
    pub const ALL: [OwnerKind; 5] = [
        OwnerKind::Application,
        OwnerKind::Household,
        OwnerKind::Placement,
        OwnerKind::Unit,
        OwnerKind::Account,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Application => "application",
            OwnerKind::Household => "household",
            OwnerKind::Placement => "placement",
            OwnerKind::Unit => "unit",
            OwnerKind::Account => "account",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceType {
    Identity,
    ImmigrationStatus,
    Address,
    IncomeAndSavings,
    Medical,
    NoticeToQuit,
    SignedLicenceAgreement,
    BenefitClaim,
    GasSafetyCertificate,
    ElectricalCertificate,
    EnergyPerformanceCertificate,
    HmoLicence,
    FireRiskAssessment,
}

impl EvidenceType {
    pub const ALL: [EvidenceType; 13] = [
        EvidenceType::Identity,
        EvidenceType::ImmigrationStatus,
        EvidenceType::Address,
        EvidenceType::IncomeAndSavings,
        EvidenceType::Medical,
        EvidenceType::NoticeToQuit,
        EvidenceType::SignedLicenceAgreement,
        EvidenceType::BenefitClaim,
        EvidenceType::GasSafetyCertificate,
        EvidenceType::ElectricalCertificate,
        EvidenceType::EnergyPerformanceCertificate,
        EvidenceType::HmoLicence,
        EvidenceType::FireRiskAssessment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceType::Identity => "identity",
            EvidenceType::ImmigrationStatus => "immigration_status",
            EvidenceType::Address => "address",
            EvidenceType::IncomeAndSavings => "income_and_savings",
            EvidenceType::Medical => "medical",
            EvidenceType::NoticeToQuit => "notice_to_quit",
            EvidenceType::SignedLicenceAgreement => "signed_licence_agreement",
            EvidenceType::BenefitClaim => "benefit_claim",
            EvidenceType::GasSafetyCertificate => "gas_safety_certificate",
            EvidenceType::ElectricalCertificate => "electrical_certificate",
            EvidenceType::EnergyPerformanceCertificate => "energy_performance_certificate",
            EvidenceType::HmoLicence => "hmo_licence",
            EvidenceType::FireRiskAssessment => "fire_risk_assessment",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// Safety certificates: about a unit, with an expiry date, and of interest to temporary
    /// accommodation rather than the register.
    pub fn is_certificate(self) -> bool {
        matches!(
            self,
            EvidenceType::GasSafetyCertificate
                | EvidenceType::ElectricalCertificate
                | EvidenceType::EnergyPerformanceCertificate
                | EvidenceType::HmoLicence
                | EvidenceType::FireRiskAssessment
        )
    }

    /// Money matters are kept as financial records, whatever case they belong to.
    pub fn is_financial(self) -> bool {
        matches!(
            self,
            EvidenceType::IncomeAndSavings | EvidenceType::BenefitClaim
        )
    }

    /// The event subject area a change to this evidence is announced on.
    pub fn subject_noun(self) -> &'static str {
        if self.is_certificate() {
            "certificate"
        } else {
            "evidence"
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Verified,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Verified => "verified",
            Status::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Status::Pending, Status::Verified, Status::Rejected]
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    /// Only pending evidence is reviewed; a decision stands, and fresh evidence is a new
    /// upload, so what an officer relied on is never rewritten.
    pub fn review(self, to: Status) -> Result<Status, String> {
        match (self, to) {
            (Status::Pending, Status::Verified | Status::Rejected) => Ok(to),
            (from, _) => Err(format!(
                "the document is already {}; upload new evidence instead",
                from.as_str()
            )),
        }
    }
}

/// The case a document's retention follows: (kind, id). A household's papers are kept with
/// its application's.
pub fn case_of(
    owner: OwnerKind,
    owner_id: &str,
    application_id: Option<uuid::Uuid>,
) -> (&'static str, String) {
    match owner {
        OwnerKind::Application | OwnerKind::Household => (
            "application",
            application_id
                .map(|a| a.to_string())
                .unwrap_or_else(|| owner_id.to_owned()),
        ),
        other => (other.as_str(), owner_id.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in EvidenceType::ALL {
            assert_eq!(EvidenceType::parse(t.as_str()), Some(t));
        }
        for k in OwnerKind::ALL {
            assert_eq!(OwnerKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn only_pending_evidence_is_reviewed() {
        assert_eq!(
            Status::Pending.review(Status::Verified),
            Ok(Status::Verified)
        );
        assert_eq!(
            Status::Pending.review(Status::Rejected),
            Ok(Status::Rejected)
        );
        assert!(Status::Verified.review(Status::Rejected).is_err());
        assert!(Status::Rejected.review(Status::Verified).is_err());
    }

    #[test]
    fn certificates_are_announced_for_temporary_accommodation() {
        assert_eq!(
            EvidenceType::GasSafetyCertificate.subject_noun(),
            "certificate"
        );
        assert_eq!(EvidenceType::Identity.subject_noun(), "evidence");
    }
}
