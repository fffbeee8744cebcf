//! Proto messages to domain values (checking every field) and back.

mod applications;
mod circumstances;
mod decision_reviews;
mod moves;
mod overrides;
mod referrals;
mod search;
mod submissions;

use housing_platform::errors::FieldViolations;
use housing_proto::register::v1 as pb;

use crate::domain::application::Status;

pub use applications::{application, assessment_proto, summary_proto};
pub use circumstances::{change_record_proto, changes_proto, report_change};
pub use decision_reviews::{RequestDecisionReview, decide_decision_review, decision_review_proto};
pub use moves::{run_proto, shortlist_entry, under_occupier_proto};
pub use overrides::OverrideAssessment;
pub use referrals::{RecordReferralOutcome, ReferApplication, referral_proto};
pub use search::SearchApplications;
pub use submissions::{mobility, picture, property_type, submission};

/// An optional enum answer: UNSPECIFIED is "not answered", an unknown number is an error.
pub(super) fn enumerated<T>(
    value: i32,
    field: &str,
    from: fn(i32) -> Option<Option<T>>,
    v: &mut FieldViolations,
) -> Option<T> {
    match from(value) {
        Some(answer) => answer,
        None => {
            v.add(field, format!("unknown value {value}"));
            None
        }
    }
}

/// The domain status a request names; `None` for UNSPECIFIED or an unknown number.
pub fn status_from_proto(value: i32) -> Option<Status> {
    use pb::ApplicationStatus as P;
    Some(match P::try_from(value).ok()? {
        P::Unspecified => return None,
        P::Draft => Status::Draft,
        P::Submitted => Status::Submitted,
        P::AwaitingInformation => Status::AwaitingInformation,
        P::Active => Status::Active,
        P::Suspended => Status::Suspended,
        P::Housed => Status::Housed,
        P::Withdrawn => Status::Withdrawn,
        P::Cancelled => Status::Cancelled,
        P::Closed => Status::Closed,
        P::NotEligible => Status::NotEligible,
        P::NotQualifying => Status::NotQualifying,
    })
}
