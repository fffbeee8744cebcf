//! Applications, their details and assessments as callers are shown them.

use housing_platform::time::{format_date, format_optional_date, timestamp};
use housing_proto::register::v1 as pb;

use crate::db::applications::{ApplicationRecord, AssessmentRecord, Summary};
use crate::domain::details::{Immigration, Mobility, PropertyType, Tenure};
use crate::domain::household::{Member, Relationship, Sex};
use crate::domain::lettings_answers::EqualityData;
use crate::grpc::lettings_answers;
use crate::wire::status_proto;

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
