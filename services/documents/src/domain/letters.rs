//! The letters the service writes: their kinds, the template each uses and the fields that
//! template may name, and how dates and money are written in them.

use housing_platform::money::Pence;

/// Letters write dates as people read them: "1 December 2026".
pub use housing_platform::time::long_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterKind {
    Placement,
    Acknowledgement,
    EligibilityDecision,
    QualificationDecision,
    Offer,
    SuitabilityDecision,
    RentAccount,
    Arrears,
    ClosureNotice,
    AnnualReview,
    SuspensionDecision,
    DecantPayments,
    S208Notice,
    S213aaNotice,
    InformationRequest,
    PlacementClosure,
    FinalBalance,
    ReviewDecision,
}

impl LetterKind {
    pub const ALL: [LetterKind; 18] = [
        LetterKind::Placement,
        LetterKind::Acknowledgement,
        LetterKind::EligibilityDecision,
        LetterKind::QualificationDecision,
        LetterKind::Offer,
        LetterKind::SuitabilityDecision,
        LetterKind::RentAccount,
        LetterKind::Arrears,
        LetterKind::ClosureNotice,
        LetterKind::AnnualReview,
        LetterKind::SuspensionDecision,
        LetterKind::DecantPayments,
        LetterKind::S208Notice,
        LetterKind::S213aaNotice,
        LetterKind::InformationRequest,
        LetterKind::PlacementClosure,
        LetterKind::FinalBalance,
        LetterKind::ReviewDecision,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Placement => "placement",
            LetterKind::Acknowledgement => "acknowledgement",
            LetterKind::EligibilityDecision => "eligibility_decision",
            LetterKind::QualificationDecision => "qualification_decision",
            LetterKind::Offer => "offer",
            LetterKind::SuitabilityDecision => "suitability_decision",
            LetterKind::RentAccount => "rent_account",
            LetterKind::Arrears => "arrears",
            LetterKind::ClosureNotice => "closure_notice",
            LetterKind::AnnualReview => "annual_review",
            LetterKind::SuspensionDecision => "suspension_decision",
            LetterKind::DecantPayments => "decant_payments",
            LetterKind::S208Notice => "s208_notice",
            LetterKind::S213aaNotice => "s213aa_notice",
            LetterKind::InformationRequest => "information_request",
            LetterKind::PlacementClosure => "placement_closure",
            LetterKind::FinalBalance => "final_balance",
            LetterKind::ReviewDecision => "review_decision",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Rent, arrears and payment letters are financial records for retention.
    pub fn is_financial(self) -> bool {
        matches!(
            self,
            LetterKind::RentAccount
                | LetterKind::Arrears
                | LetterKind::DecantPayments
                | LetterKind::FinalBalance
        )
    }
}

/// The council's own details, from configuration (`service.council`), at the head of every
/// letter.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Council {
    pub name: String,
    /// The postal address, a line each.
    pub address: Vec<String>,
    pub phone: String,
    pub email: String,
}

impl Default for Council {
    fn default() -> Self {
        Self {
            name: "Example Borough Council".into(),
            address: vec![
                "Civic Centre".into(),
                "1 High Street".into(),
                "Example Town EX1 1AA".into(),
            ],
            phone: "020 7946 0000".into(),
            email: "housing@example.gov.uk".into(),
        }
    }
}

impl Council {
    /// The address block of a household with no postal address: care of the council.
    pub fn care_of(&self) -> String {
        std::iter::once(format!("c/o {}", self.name))
            .chain(self.address.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The fields every template may name for the council.
    pub fn values(&self) -> [(&'static str, String); 4] {
        [
            ("council_name", self.name.clone()),
            ("council_address", self.address.join("\n")),
            ("council_phone", self.phone.clone()),
            ("council_email", self.email.clone()),
        ]
    }
}

/// A template file and the fields it may name. A council may replace any file; what it
/// writes is checked against these fields at start.
#[derive(Debug, Clone, Copy)]
pub struct TemplateSpec {
    pub file: &'static str,
    pub fields: &'static [&'static str],
    pub built_in: &'static str,
}

macro_rules! spec {
    ($file:literal, [$($field:literal),* $(,)?]) => {
        TemplateSpec {
            file: $file,
            fields: &[
                "letter_date",
                "lead_name",
                "recipient_address",
                "council_name",
                "council_address",
                "council_phone",
                "council_email",
                $($field),*
            ],
            built_in: include_str!(concat!("../../templates/", $file)),
        }
    };
}

pub const TEMPLATES: &[TemplateSpec] = &[
    spec!(
        "placement.txt",
        [
            "unit_address",
            "start_date",
            "weekly_charge",
            "review_deadline",
            "placement_id",
            "placement_reference"
        ]
    ),
    spec!(
        "acknowledgement.txt",
        [
            "reference",
            "priority",
            "effective_date",
            "bedroom_need",
            "areas"
        ]
    ),
    spec!(
        "eligibility_decision.txt",
        ["reference", "reasons", "review_deadline"]
    ),
    spec!(
        "qualification_decision.txt",
        ["reference", "reasons", "review_deadline"]
    ),
    spec!("offer.txt", ["reference", "nomination_id", "respond_by"]),
    spec!(
        "suitability_suitable.txt",
        ["reference", "reason", "nomination_id", "review_deadline"]
    ),
    spec!(
        "suitability_not_suitable.txt",
        ["reference", "reason", "nomination_id"]
    ),
    spec!(
        "rent_account.txt",
        [
            "account_id",
            "payment_reference",
            "opened_on",
            "weekly_rent",
            "weekly_service_charge",
            "weekly_total"
        ]
    ),
    spec!(
        "arrears_first_letter.txt",
        [
            "account_id",
            "payment_reference",
            "balance",
            "weeks_in_arrears",
            "reviewed_on"
        ]
    ),
    spec!(
        "arrears_second_letter.txt",
        [
            "account_id",
            "payment_reference",
            "balance",
            "weeks_in_arrears",
            "reviewed_on"
        ]
    ),
    spec!(
        "arrears_referral.txt",
        [
            "account_id",
            "payment_reference",
            "balance",
            "weeks_in_arrears",
            "reviewed_on"
        ]
    ),
    spec!(
        "closure_notice.txt",
        ["reference", "reason", "closed_on", "review_deadline"]
    ),
    spec!(
        "placement_closure.txt",
        [
            "placement_id",
            "placement_reference",
            "end_date",
            "reason",
            "review_deadline"
        ]
    ),
    spec!("annual_review.txt", ["reference", "reply_by"]),
    spec!(
        "suspension_decision.txt",
        ["reference", "reason", "suspended_until", "review_deadline"]
    ),
    spec!(
        "decant_payments.txt",
        [
            "reference",
            "scheme",
            "home_loss",
            "home_loss_reason",
            "disturbance",
            "total",
            "decant_id"
        ]
    ),
    spec!(
        "s208_notice.txt",
        [
            "receiving_authority",
            "placing_authority",
            "household",
            "address",
            "placed_on",
            "function",
            "placement_id",
            "placement_reference"
        ]
    ),
    spec!("information_request.txt", ["reference", "missing"]),
    spec!(
        "review_decision.txt",
        ["reference", "decision", "outcome", "reasons"]
    ),
    spec!(
        "final_balance.txt",
        [
            "payment_reference",
            "closed_on",
            "total_charged",
            "balance",
            "what_next"
        ]
    ),
    spec!(
        "s213aa_notice.txt",
        [
            "recipients",
            "placing_authority",
            "address",
            "placed_on",
            "placement_id",
            "placement_reference"
        ]
    ),
];

/// "£1,210.05"; negative amounts (credit) keep their sign in front.
pub fn pounds(pence: i64) -> String {
    Pence::new(pence).to_string()
}

/// A rule code as words: "not_habitually_resident" → "not habitually resident".
pub fn words(code: &str) -> String {
    code.replace('_', " ")
}

/// What an application is missing, as the applicant is asked for it: each field the register
/// names, in words.
pub fn missing_in_words(field: &str) -> String {
    match field {
        "details.circumstances.current_bedrooms" => {
            "How many bedrooms your current home has".into()
        }
        "details.circumstances.tenure" => {
            "Whether you own, rent or live with others in your current home".into()
        }
        "details.circumstances.address" => "Your current address".into(),
        "details.local_connection.years_resident" => {
            "How long you have lived in the borough".into()
        }
        "details.immigration_status" => "Your immigration status".into(),
        "details.finances.annual_income_pence" => "Your household's income for a year".into(),
        "details.finances.savings_pence" => "Your household's savings".into(),
        "details.mobility" => {
            "Whether anyone in your household needs a home adapted for them".into()
        }
        "evidence.identity" => {
            "Proof of identity for the lead applicant, such as a passport or driving licence".into()
        }
        "evidence.immigration_status" => "Proof of your immigration status".into(),
        "evidence.address" => {
            "Proof of your current address, such as a recent council tax or utility bill".into()
        }
        "evidence.income_and_savings" => {
            "Proof of your income and savings, such as recent payslips and bank statements".into()
        }
        "evidence.medical" => "Medical evidence supporting your application".into(),
        other => sentence_case(&words(other.rsplit('.').next().unwrap_or(other))),
    }
}

fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The household as s.208(2)(b) asks: how many live with the applicant, and who they are as
/// far as the placement records it.
pub fn household(size: i32, has_children: bool, pregnant: bool) -> String {
    let others = size.saturating_sub(1).max(0);
    let mut text = match others {
        0 => "the applicant alone".to_owned(),
        1 => "the applicant and 1 other person".to_owned(),
        n => format!("the applicant and {n} other people"),
    };
    if has_children && others > 0 {
        text.push_str(", including dependent children");
    }
    if pregnant {
        text.push_str("; a member of the household is pregnant");
    }
    text
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn every_missing_answer_is_asked_for_in_words() {
        assert_eq!(
            missing_in_words("evidence.identity"),
            "Proof of identity for the lead applicant, such as a passport or driving licence"
        );
        assert_eq!(
            missing_in_words("details.immigration_status"),
            "Your immigration status"
        );
        assert_eq!(missing_in_words("details.pets_kept"), "Pets kept");
    }

    #[test]
    fn a_household_is_described_as_section_208_asks() {
        assert_eq!(household(1, false, false), "the applicant alone");
        assert_eq!(
            household(2, false, true),
            "the applicant and 1 other person; a member of the household is pregnant"
        );
        assert_eq!(
            household(4, true, false),
            "the applicant and 3 other people, including dependent children"
        );
    }

    #[test]
    fn money_and_dates_read_as_in_a_letter() {
        assert_eq!(pounds(21_005), "£210.05");
        assert_eq!(pounds(-1_500), "-£15.00");
        assert_eq!(pounds(810_000), "£8,100.00");
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            "1 December 2026"
        );
        assert_eq!(words("not_habitually_resident"), "not habitually resident");
    }

    #[test]
    fn every_built_in_decision_letter_states_the_review_deadline() {
        let decisions: Vec<&str> = TEMPLATES
            .iter()
            .filter(|t| t.fields.contains(&"review_deadline"))
            .map(|t| {
                assert!(
                    t.built_in.contains("{{review_deadline}}")
                        && (t.built_in.contains("section 202")
                            || t.built_in.contains("section 166A(9)")),
                    "{}",
                    t.file
                );
                t.file
            })
            .collect();
        assert_eq!(decisions.len(), 7, "{decisions:?}");
    }

    #[test]
    fn every_kind_has_a_name_and_every_template_a_file() {
        for kind in LetterKind::ALL {
            assert_eq!(LetterKind::parse(kind.as_str()), Some(kind));
        }
        for spec in TEMPLATES {
            assert!(!spec.built_in.is_empty(), "{}", spec.file);
        }
    }
}
