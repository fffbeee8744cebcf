//! Proto messages to domain values (checking every field) and back.

mod circumstances;
mod decision_reviews;
mod overrides;
mod referrals;
mod search;

use chrono::NaiveDate;
use housing_platform::errors::FieldViolations;
use housing_platform::time::{format_date, format_optional_date, parse_date, timestamp};
use housing_proto::register::v1 as pb;

use crate::app::applications::Submission;
use crate::app::under_occupation::UnderOccupier;
use crate::db::applications::{ApplicationRecord, AssessmentRecord, Summary};
use crate::db::reassessment::{MoveRow, Run};
use crate::db::shortlist::ShortlistRow;
use crate::domain::application::Status;
use crate::domain::details::{
    Circumstances, Details, Finances, Immigration, LocalConnection, Mobility, PropertyType, Tenure,
};
use crate::domain::household::{Household, Member, Relationship, Sex, age_on};
use crate::domain::lettings_answers::EqualityData;
use crate::domain::scheme::Scheme;
pub use crate::wire::status_proto;
use housing_platform::postcode;

use super::lettings_answers;

pub use circumstances::{change_record_proto, changes_proto, report_change};
pub use decision_reviews::{RequestDecisionReview, decide_decision_review, decision_review_proto};
pub use overrides::OverrideAssessment;
pub use referrals::{RecordReferralOutcome, ReferApplication, referral_proto};
pub use search::SearchApplications;

/// Checks a submission whole: every bad field is named in one `INVALID_ARGUMENT`.
pub fn submission(
    request: &pb::SubmitApplicationRequest,
    scheme: &Scheme,
    today: NaiveDate,
) -> Result<Submission, tonic::Status> {
    let mut v = FieldViolations::new();
    let s = picture(
        request.lead_applicant.as_ref(),
        &request.members,
        request.details.as_ref(),
        scheme,
        today,
        &mut v,
    );
    v.into_result(s)
}

/// The household and details as a request gives them, with each bad field in `v`.
pub fn picture(
    lead_applicant: Option<&pb::HouseholdMember>,
    others: &[pb::HouseholdMember],
    details: Option<&pb::ApplicationDetails>,
    scheme: &Scheme,
    today: NaiveDate,
    v: &mut FieldViolations,
) -> Submission {
    let mut members = Vec::new();
    match lead_applicant {
        None => v.add("lead_applicant", "required"),
        Some(lead) => {
            if let Some(m) = member(lead, "lead_applicant", true, today, v) {
                members.push(m);
            }
        }
    }
    for (i, m) in others.iter().enumerate() {
        if let Some(m) = member(m, &format!("members[{i}]"), false, today, v) {
            members.push(m);
        }
    }
    if others
        .iter()
        .filter(|m| m.relationship == pb::Relationship::Partner as i32)
        .count()
        > 1
    {
        v.add("members", "at most one partner of the lead applicant");
    }
    let empty = pb::ApplicationDetails::default();
    let d = details.unwrap_or(&empty);
    let areas = scheme.areas.join(", ");
    if d.area.is_empty() {
        v.add("details.area", format!("required; one of {areas}"));
    } else if !scheme.knows_area(&d.area) {
        v.add(
            "details.area",
            format!("unknown area {:?}; one of {areas}", d.area),
        );
    }
    for (i, area) in d.areas_wanted.iter().enumerate() {
        if !scheme.knows_area(area) {
            v.add(
                format!("details.areas_wanted[{i}]"),
                format!("unknown area {area:?}; one of {areas}"),
            );
        }
    }
    let c = d.circumstances.clone().unwrap_or_default();
    if c.current_bedrooms.is_some_and(|b| b < 0) {
        v.add(
            "details.circumstances.current_bedrooms",
            "must not be negative",
        );
    }
    if c.rent_arrears_pence < 0 {
        v.add(
            "details.circumstances.rent_arrears_pence",
            "must not be negative",
        );
    }
    if c.exceptional_circumstances {
        v.add(
            "details.circumstances.exceptional_circumstances",
            "set only by a senior officer's referral finding",
        );
    }
    let tenure = enumerated(c.tenure, "details.circumstances.tenure", tenure, v);
    let local = d.local_connection.unwrap_or_default();
    if local.years_resident.is_some_and(|y| y < 0) {
        v.add(
            "details.local_connection.years_resident",
            "must not be negative",
        );
    }
    let money = d.finances.unwrap_or_default();
    if money.annual_income_pence.is_some_and(|p| p < 0) {
        v.add(
            "details.finances.annual_income_pence",
            "must not be negative",
        );
    }
    if money.savings_pence.is_some_and(|p| p < 0) {
        v.add("details.finances.savings_pence", "must not be negative");
    }
    let immigration = enumerated(
        d.immigration_status,
        "details.immigration_status",
        immigration,
        v,
    );
    let mobility = enumerated(d.mobility, "details.mobility", mobility, v);
    let mut property_types = Vec::new();
    for (i, t) in d.property_types.iter().enumerate() {
        match enumerated(
            *t,
            &format!("details.property_types[{i}]"),
            property_type,
            v,
        ) {
            Some(t) => property_types.push(t),
            None if *t == 0 => v.add(
                format!("details.property_types[{i}]"),
                "must name a property type",
            ),
            None => {}
        }
    }
    Submission {
        household: Household { members },
        area: d.area.clone(),
        postcode: postcode::normalise(&d.postcode),
        details: Details {
            circumstances: Circumstances {
                current_bedrooms: c.current_bedrooms.map(|b| b.max(0) as u32),
                tenure,
                address: c.address.trim().to_owned(),
                homeless: c.homeless,
                owed_homelessness_duty: c.owed_homelessness_duty,
                medical_need: c.medical_need,
                needs_to_move_for_hardship: c.needs_to_move_for_hardship,
                unsatisfactory_conditions: c.unsatisfactory_conditions,
                owns_a_home: c.owns_a_home,
                rent_arrears_pence: c.rent_arrears_pence,
                armed_forces: c.armed_forces,
                exceptional_circumstances: false,
                care_leaver: c.care_leaver,
                domestic_abuse: c.domestic_abuse,
            },
            local_connection: LocalConnection {
                years_resident: local.years_resident.map(|y| y.max(0) as u32),
                works_in_area: local.works_in_area,
                close_family_in_area: local.close_family_in_area,
            },
            immigration,
            finances: Finances {
                annual_income_pence: money.annual_income_pence,
                savings_pence: money.savings_pence,
            },
            mobility,
            areas_wanted: d.areas_wanted.clone(),
            property_types,
            household_answers: lettings_answers::household(d.household_answers.as_ref(), v),
        },
    }
}

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

fn tenure(value: i32) -> Option<Option<Tenure>> {
    use pb::Tenure as P;
    Some(Some(match P::try_from(value).ok()? {
        P::Unspecified => return Some(None),
        P::PrivateRented => Tenure::PrivateRented,
        P::CouncilTenant => Tenure::CouncilTenant,
        P::HousingAssociationTenant => Tenure::HousingAssociationTenant,
        P::OwnerOccupier => Tenure::OwnerOccupier,
        P::WithFamilyOrFriends => Tenure::WithFamilyOrFriends,
        P::TemporaryAccommodation => Tenure::TemporaryAccommodation,
        P::SupportedHousing => Tenure::SupportedHousing,
        P::NoFixedAbode => Tenure::NoFixedAbode,
    }))
}

fn immigration(value: i32) -> Option<Option<Immigration>> {
    use pb::ImmigrationStatus as P;
    Some(Some(match P::try_from(value).ok()? {
        P::Unspecified => return Some(None),
        P::BritishOrIrishCitizen => Immigration::BritishOrIrishCitizen,
        P::SettledStatus => Immigration::SettledStatus,
        P::PreSettledStatusWorker => Immigration::PreSettledStatusWorker,
        P::PreSettledStatusNotWorking => Immigration::PreSettledStatusNotWorking,
        P::RefugeeOrHumanitarianProtection => Immigration::RefugeeOrHumanitarianProtection,
        P::SubjectToImmigrationControl => Immigration::SubjectToImmigrationControl,
    }))
}

pub fn mobility(value: i32) -> Option<Option<Mobility>> {
    use pb::MobilityCategory as P;
    Some(Some(match P::try_from(value).ok()? {
        P::Unspecified => return Some(None),
        P::WheelchairThroughout => Mobility::WheelchairThroughout,
        P::WheelchairPartial => Mobility::WheelchairPartial,
        P::StepFree => Mobility::StepFree,
        P::GeneralNeeds => Mobility::GeneralNeeds,
    }))
}

pub fn property_type(value: i32) -> Option<Option<PropertyType>> {
    use pb::PropertyType as P;
    Some(Some(match P::try_from(value).ok()? {
        P::Unspecified => return Some(None),
        P::Flat => PropertyType::Flat,
        P::House => PropertyType::House,
        P::Bungalow => PropertyType::Bungalow,
        P::Maisonette => PropertyType::Maisonette,
        P::Sheltered => PropertyType::Sheltered,
    }))
}

fn mobility_proto(m: Option<Mobility>) -> pb::MobilityCategory {
    use pb::MobilityCategory as P;
    match m {
        None => P::Unspecified,
        Some(Mobility::WheelchairThroughout) => P::WheelchairThroughout,
        Some(Mobility::WheelchairPartial) => P::WheelchairPartial,
        Some(Mobility::StepFree) => P::StepFree,
        Some(Mobility::GeneralNeeds) => P::GeneralNeeds,
    }
}

fn details_proto(record: &ApplicationRecord) -> pb::ApplicationDetails {
    let d = &record.details;
    let c = &d.circumstances;
    use pb::{ImmigrationStatus as I, PropertyType as T};
    pb::ApplicationDetails {
        area: record.area.clone(),
        postcode: record.postcode.clone(),
        circumstances: Some(pb::HousingCircumstances {
            current_bedrooms: c.current_bedrooms.map(|b| b as i32),
            homeless: c.homeless,
            owed_homelessness_duty: c.owed_homelessness_duty,
            medical_need: c.medical_need,
            needs_to_move_for_hardship: c.needs_to_move_for_hardship,
            tenure: tenure_proto(c.tenure) as i32,
            address: c.address.clone(),
            unsatisfactory_conditions: c.unsatisfactory_conditions,
            owns_a_home: c.owns_a_home,
            rent_arrears_pence: c.rent_arrears_pence,
            armed_forces: c.armed_forces,
            exceptional_circumstances: c.exceptional_circumstances,
            care_leaver: c.care_leaver,
            domestic_abuse: c.domestic_abuse,
        }),
        local_connection: Some(pb::LocalConnection {
            years_resident: d.local_connection.years_resident.map(|y| y as i32),
            works_in_area: d.local_connection.works_in_area,
            close_family_in_area: d.local_connection.close_family_in_area,
        }),
        immigration_status: match d.immigration {
            None => I::Unspecified,
            Some(Immigration::BritishOrIrishCitizen) => I::BritishOrIrishCitizen,
            Some(Immigration::SettledStatus) => I::SettledStatus,
            Some(Immigration::PreSettledStatusWorker) => I::PreSettledStatusWorker,
            Some(Immigration::PreSettledStatusNotWorking) => I::PreSettledStatusNotWorking,
            Some(Immigration::RefugeeOrHumanitarianProtection) => {
                I::RefugeeOrHumanitarianProtection
            }
            Some(Immigration::SubjectToImmigrationControl) => I::SubjectToImmigrationControl,
        } as i32,
        finances: Some(pb::Finances {
            annual_income_pence: d.finances.annual_income_pence,
            savings_pence: d.finances.savings_pence,
        }),
        mobility: mobility_proto(d.mobility) as i32,
        areas_wanted: d.areas_wanted.clone(),
        property_types: d
            .property_types
            .iter()
            .map(|t| match t {
                PropertyType::Flat => T::Flat,
                PropertyType::House => T::House,
                PropertyType::Bungalow => T::Bungalow,
                PropertyType::Maisonette => T::Maisonette,
                PropertyType::Sheltered => T::Sheltered,
            } as i32)
            .collect(),
        household_answers: Some(lettings_answers::household_proto(&d.household_answers)),
    }
}

fn member(
    m: &pb::HouseholdMember,
    at: &str,
    lead: bool,
    today: NaiveDate,
    v: &mut FieldViolations,
) -> Option<Member> {
    let before = v.clone();
    if m.given_name.trim().is_empty() {
        v.add(format!("{at}.given_name"), "required");
    }
    if m.family_name.trim().is_empty() {
        v.add(format!("{at}.family_name"), "required");
    }
    let date_of_birth = match parse_date(&m.date_of_birth) {
        Ok(d) if d > today => {
            v.add(
                format!("{at}.date_of_birth"),
                format!("{} is in the future", m.date_of_birth),
            );
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            v.add(format!("{at}.date_of_birth"), e);
            None
        }
    };
    let sex = match pb::Sex::try_from(m.sex) {
        Ok(pb::Sex::Female) => Some(Sex::Female),
        Ok(pb::Sex::Male) => Some(Sex::Male),
        _ => {
            v.add(format!("{at}.sex"), "required: SEX_FEMALE or SEX_MALE");
            None
        }
    };
    let relationship = match (lead, pb::Relationship::try_from(m.relationship)) {
        (true, Ok(pb::Relationship::LeadApplicant | pb::Relationship::Unspecified)) => {
            Some(Relationship::LeadApplicant)
        }
        (true, _) => {
            v.add(
                format!("{at}.relationship"),
                "the lead applicant's relationship is LEAD_APPLICANT",
            );
            None
        }
        (false, Ok(pb::Relationship::Partner)) => Some(Relationship::Partner),
        (false, Ok(pb::Relationship::Child)) => Some(Relationship::Child),
        (false, Ok(pb::Relationship::OtherRelative)) => Some(Relationship::OtherRelative),
        (false, Ok(pb::Relationship::Other)) => Some(Relationship::Other),
        (false, _) => {
            v.add(
                format!("{at}.relationship"),
                "required: the member's relationship to the lead applicant",
            );
            None
        }
    };
    let answers = lettings_answers::person(
        m,
        at,
        lead,
        date_of_birth.map(|born| age_on(born, today)),
        v,
    );
    if *v != before {
        return None;
    }
    Some(Member {
        given_name: m.given_name.trim().to_owned(),
        family_name: m.family_name.trim().to_owned(),
        date_of_birth: date_of_birth?,
        sex: sex?,
        relationship: relationship?,
        pregnant: m.pregnant,
        answers,
    })
}

fn member_proto(m: &Member) -> pb::HouseholdMember {
    pb::HouseholdMember {
        given_name: m.given_name.clone(),
        family_name: m.family_name.clone(),
        date_of_birth: format_date(m.date_of_birth),
        sex: match m.sex {
            Sex::Female => pb::Sex::Female,
            Sex::Male => pb::Sex::Male,
        } as i32,
        relationship: match m.relationship {
            Relationship::LeadApplicant => pb::Relationship::LeadApplicant,
            Relationship::Partner => pb::Relationship::Partner,
            Relationship::Child => pb::Relationship::Child,
            Relationship::OtherRelative => pb::Relationship::OtherRelative,
            Relationship::Other => pb::Relationship::Other,
        } as i32,
        pregnant: m.pregnant,
        ..lettings_answers::person_proto(&m.answers)
    }
}

/// The application as a caller is shown it: equality data only to the roles that need it.
pub fn application(record: &ApplicationRecord, equality_data: EqualityData) -> pb::Application {
    match equality_data {
        EqualityData::Shown => application_proto(record),
        EqualityData::Withheld => application_proto(&ApplicationRecord {
            household: record.household.without_equality_data(),
            details: record.details.without_equality_data(),
            ..record.clone()
        }),
    }
}

fn application_proto(record: &ApplicationRecord) -> pb::Application {
    pb::Application {
        application_id: record.id.to_string(),
        reference: record.reference.clone(),
        status: status_proto(record.status) as i32,
        lead_applicant: Some(member_proto(record.household.lead())),
        members: record
            .household
            .members
            .iter()
            .skip(1)
            .map(member_proto)
            .collect(),
        details: Some(details_proto(record)),
        assessment: record.assessment.as_ref().map(assessment_proto),
        submitted_at: Some(timestamp(record.submitted_at)),
        missing: record.missing.clone(),
        awaiting_reassessment: record.awaiting_reassessment.clone(),
        suspended_until: format_optional_date(record.suspended_until),
        next_review_on: format_optional_date(record.next_review_on),
    }
}

pub fn assessment_proto(a: &AssessmentRecord) -> pb::Assessment {
    let d = &a.assessment;
    pb::Assessment {
        band: d.band.clone(),
        bedroom_need: d.bedroom_need as i32,
        effective_date: format_date(d.effective_date),
        reasonable_preference: d.reasonable_preference.clone(),
        scheme_version: d.scheme_version.clone(),
        assessed_by: a.assessed_by.clone(),
        assessed_at: Some(timestamp(a.assessed_at)),
        rules_fired: d.rules_fired.clone(),
        outcome: d.outcome.as_str().to_owned(),
        reason_codes: d.reason_codes.clone(),
        exemptions: d.exemptions.clone(),
        points: d.points.unwrap_or(0) as i32,
        trigger: a.trigger.as_str().to_owned(),
        override_reason: a.override_reason.clone().unwrap_or_default(),
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

pub fn summary_proto(s: &Summary) -> pb::ApplicationSummary {
    pb::ApplicationSummary {
        application_id: s.id.to_string(),
        reference: s.reference.clone(),
        lead_name: s.lead_name.clone(),
        postcode: s.postcode.clone(),
        status: status_proto(s.status) as i32,
        band: s.band.clone().unwrap_or_default(),
        submitted_at: Some(timestamp(s.submitted_at)),
        review_due_on: format_optional_date(s.review_due_on),
        review_reply_by: format_optional_date(s.review_reply_by),
    }
}

pub fn shortlist_entry(row: &ShortlistRow) -> pb::ShortlistEntry {
    pb::ShortlistEntry {
        application_id: row.id.to_string(),
        reference: row.reference.clone(),
        band: row.band.clone(),
        effective_date: format_date(row.effective_date),
        bedroom_need: row.bedroom_need as i32,
        points: row.points.unwrap_or(0) as i32,
        mobility: row.mobility.into(),
    }
}

pub fn run_proto(run: &Run, moves: &[MoveRow]) -> pb::GetReassessmentRunResponse {
    pb::GetReassessmentRunResponse {
        run_id: run.id.to_string(),
        scheme_version: run.scheme_version.clone(),
        state: run.state.clone(),
        total: run.total,
        done: run.done,
        moved: run.moved,
        started_at: Some(timestamp(run.started_at)),
        completed_at: run.completed_at.map(timestamp),
        moves: moves
            .iter()
            .map(|m| pb::BandMove {
                application_id: m.application_id.to_string(),
                reference: m.reference.clone(),
                from_band: m.from_band.clone().unwrap_or_default(),
                to_band: m.to_band.clone(),
                from_points: m.from_points.unwrap_or(0),
                to_points: m.to_points.unwrap_or(0),
                from_outcome: m.from_outcome.clone().unwrap_or_default(),
                to_outcome: m.to_outcome.clone(),
            })
            .collect(),
    }
}

pub fn tenure_proto(tenure: Option<Tenure>) -> pb::Tenure {
    use pb::Tenure as N;
    match tenure {
        None => N::Unspecified,
        Some(Tenure::PrivateRented) => N::PrivateRented,
        Some(Tenure::CouncilTenant) => N::CouncilTenant,
        Some(Tenure::HousingAssociationTenant) => N::HousingAssociationTenant,
        Some(Tenure::OwnerOccupier) => N::OwnerOccupier,
        Some(Tenure::WithFamilyOrFriends) => N::WithFamilyOrFriends,
        Some(Tenure::TemporaryAccommodation) => N::TemporaryAccommodation,
        Some(Tenure::SupportedHousing) => N::SupportedHousing,
        Some(Tenure::NoFixedAbode) => N::NoFixedAbode,
    }
}

pub fn under_occupier_proto(u: &UnderOccupier) -> pb::UnderOccupier {
    pb::UnderOccupier {
        application_id: u.record.id.to_string(),
        reference: u.record.reference.clone(),
        lead_name: u.record.lead_name(),
        tenure: tenure_proto(u.record.details.circumstances.tenure) as i32,
        current_bedrooms: i32::try_from(u.current_bedrooms).unwrap_or(i32::MAX),
        bedrooms_needed: i32::try_from(u.bedrooms_needed).unwrap_or(i32::MAX),
        spare_bedrooms: i32::try_from(u.spare_bedrooms).unwrap_or(i32::MAX),
    }
}
