//! An application's household and details as a request gives them, every bad field named.

use chrono::NaiveDate;
use housing_platform::errors::FieldViolations;
use housing_platform::postcode;
use housing_platform::time::parse_date;
use housing_proto::register::v1 as pb;

use super::enumerated;
use crate::app::applications::Submission;
use crate::domain::details::{
    Circumstances, Details, Finances, Immigration, LocalConnection, Mobility, PropertyType, Tenure,
};
use crate::domain::household::{Household, Member, Relationship, Sex, age_on};
use crate::domain::scheme::Scheme;
use crate::grpc::lettings_answers;

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
