//! What each step needs before it can go ahead, and which service owns the step. Items are
//! met by verified evidence of their type.

use super::evidence::EvidenceType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub code: &'static str,
    pub description: &'static str,
    pub evidence: EvidenceType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub name: &'static str,
    /// The area of the service that hears when the checklist is complete.
    pub owner_area: &'static str,
    pub items: &'static [Item],
}

pub const TA_SIGN_UP: Kind = Kind {
    name: "ta_sign_up",
    owner_area: "accommodation",
    items: &[
        Item {
            code: "signed_licence_agreement",
            description: "Licence agreement signed by the household",
            evidence: EvidenceType::SignedLicenceAgreement,
        },
        Item {
            code: "benefit_claim",
            description: "Housing Benefit or Universal Credit housing costs claim made",
            evidence: EvidenceType::BenefitClaim,
        },
        Item {
            code: "identity_verified",
            description: "Identity of the lead applicant verified",
            evidence: EvidenceType::Identity,
        },
    ],
};

pub const REGISTER_APPLICATION: Kind = Kind {
    name: "register_application",
    owner_area: "register",
    items: &[
        Item {
            code: "identity_verified",
            description: "Identity of the lead applicant verified",
            evidence: EvidenceType::Identity,
        },
        Item {
            code: "address_verified",
            description: "Current address verified",
            evidence: EvidenceType::Address,
        },
        Item {
            code: "income_verified",
            description: "Income and savings verified",
            evidence: EvidenceType::IncomeAndSavings,
        },
    ],
};

pub fn kind(name: &str) -> Option<Kind> {
    [TA_SIGN_UP, REGISTER_APPLICATION]
        .into_iter()
        .find(|k| k.name == name)
}

/// The items `evidence` meets.
pub fn met_by(kind: &Kind, evidence: EvidenceType) -> impl Iterator<Item = &'static Item> {
    kind.items.iter().filter(move |i| i.evidence == evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_up_needs_a_licence_a_benefit_claim_and_identity() {
        let sign_up = kind("ta_sign_up").unwrap();
        let needs: Vec<EvidenceType> = sign_up.items.iter().map(|i| i.evidence).collect();
        assert_eq!(
            needs,
            [
                EvidenceType::SignedLicenceAgreement,
                EvidenceType::BenefitClaim,
                EvidenceType::Identity
            ]
        );
        assert_eq!(sign_up.owner_area, "accommodation");
        assert_eq!(met_by(&sign_up, EvidenceType::Medical).count(), 0);
        assert!(kind("nonsense").is_none());
    }
}
