//! Eligibility for an allocation is the law's, not the council's (s.160ZA): people subject
//! to immigration control and those without a qualifying right to reside are not eligible.

use super::details::Immigration;

/// The reason code when the applicant is not eligible, with the rule that decided.
pub fn check(
    immigration: Option<Immigration>,
) -> Result<&'static str, (&'static str, &'static str)> {
    use Immigration::*;
    match immigration {
        Some(BritishOrIrishCitizen) => Ok("eligible: British or Irish citizen"),
        Some(SettledStatus) => Ok("eligible: settled status"),
        Some(PreSettledStatusWorker) => {
            Ok("eligible: pre-settled status with a right to reside as a worker")
        }
        Some(RefugeeOrHumanitarianProtection) => {
            Ok("eligible: refugee or humanitarian protection (prescribed class)")
        }
        Some(PreSettledStatusNotWorking) => Err((
            "no_right_to_reside",
            "not eligible: pre-settled status without a qualifying right to reside (s.160ZA(4))",
        )),
        Some(SubjectToImmigrationControl) => Err((
            "subject_to_immigration_control",
            "not eligible: subject to immigration control and in no prescribed class (s.160ZA(2))",
        )),
        None => Err((
            "immigration_status_unknown",
            "not eligible until the immigration status is known",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn british_irish_settled_workers_and_refugees_are_eligible() {
        for status in [
            Immigration::BritishOrIrishCitizen,
            Immigration::SettledStatus,
            Immigration::PreSettledStatusWorker,
            Immigration::RefugeeOrHumanitarianProtection,
        ] {
            assert!(check(Some(status)).is_ok(), "{status:?}");
        }
    }

    #[test]
    fn a_person_subject_to_immigration_control_is_not_eligible() {
        assert_eq!(
            check(Some(Immigration::SubjectToImmigrationControl))
                .unwrap_err()
                .0,
            "subject_to_immigration_control"
        );
    }

    #[test]
    fn pre_settled_status_without_work_is_not_eligible() {
        assert_eq!(
            check(Some(Immigration::PreSettledStatusNotWorking))
                .unwrap_err()
                .0,
            "no_right_to_reside"
        );
    }
}
