//! What each step needs before it can go ahead.

/// Kinds of checklist and their items: (code, description).
pub fn items(kind: &str) -> Option<&'static [(&'static str, &'static str)]> {
    match kind {
        "ta_sign_up" => Some(&[
            (
                "signed_licence_agreement",
                "Licence agreement signed by the household",
            ),
            (
                "benefit_claim",
                "Housing Benefit or Universal Credit housing costs claim made",
            ),
            (
                "identity_verified",
                "Identity of the lead applicant verified",
            ),
        ]),
        _ => None,
    }
}
