//! Proto messages to domain values (checking every field) and back.

use chrono::NaiveDate;
use housing_platform::errors::FieldViolations;
use housing_platform::time::{format_date, parse_date, timestamp};
use housing_proto::register::v1 as pb;

use crate::app::applications::Submission;
use crate::db::applications::{ApplicationRecord, AssessmentRecord, ShortlistRow, Summary};
use crate::domain::application::Status;
use crate::domain::assessment::Circumstances;
use crate::domain::household::{Household, Member, Relationship, Sex};
use crate::domain::scheme::Scheme;

/// Checks a submission whole: every bad field is named in one `INVALID_ARGUMENT`.
pub fn submission(
    request: &pb::SubmitApplicationRequest,
    scheme: &Scheme,
    today: NaiveDate,
) -> Result<Submission, tonic::Status> {
    let mut violations = FieldViolations::new();
    let mut members = Vec::new();
    match &request.lead_applicant {
        None => violations.add("lead_applicant", "required"),
        Some(lead) => {
            if let Some(m) = member(lead, "lead_applicant", true, today, &mut violations) {
                members.push(m);
            }
        }
    }
    for (i, m) in request.members.iter().enumerate() {
        if let Some(m) = member(m, &format!("members[{i}]"), false, today, &mut violations) {
            members.push(m);
        }
    }
    if request
        .members
        .iter()
        .filter(|m| m.relationship == pb::Relationship::Partner as i32)
        .count()
        > 1
    {
        violations.add("members", "at most one partner of the lead applicant");
    }
    if request.area.is_empty() {
        violations.add(
            "area",
            format!("required; one of {}", scheme.areas.join(", ")),
        );
    } else if !scheme.knows_area(&request.area) {
        violations.add(
            "area",
            format!(
                "unknown area {:?}; one of {}",
                request.area,
                scheme.areas.join(", ")
            ),
        );
    }
    let circumstances = request.circumstances.unwrap_or_default();
    if circumstances.current_bedrooms < 0 {
        violations.add("circumstances.current_bedrooms", "must not be negative");
    }
    violations.into_result(Submission {
        household: Household { members },
        area: request.area.clone(),
        postcode: request.postcode.trim().to_uppercase(),
        circumstances: Circumstances {
            current_bedrooms: circumstances.current_bedrooms.max(0) as u32,
            homeless: circumstances.homeless,
            owed_homelessness_duty: circumstances.owed_homelessness_duty,
            medical_need: circumstances.medical_need,
            needs_to_move_for_hardship: circumstances.needs_to_move_for_hardship,
        },
    })
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
    }
}

fn status_proto(status: Status) -> pb::ApplicationStatus {
    use pb::ApplicationStatus as P;
    match status {
        Status::Draft => P::Draft,
        Status::Submitted => P::Submitted,
        Status::AwaitingInformation => P::AwaitingInformation,
        Status::Active => P::Active,
        Status::Suspended => P::Suspended,
        Status::Housed => P::Housed,
        Status::Withdrawn => P::Withdrawn,
        Status::Cancelled => P::Cancelled,
        Status::Closed => P::Closed,
        Status::NotEligible => P::NotEligible,
        Status::NotQualifying => P::NotQualifying,
    }
}

pub fn application(record: &ApplicationRecord) -> pb::Application {
    let c = &record.circumstances;
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
        area: record.area.clone(),
        postcode: record.postcode.clone(),
        circumstances: Some(pb::HousingCircumstances {
            current_bedrooms: c.current_bedrooms as i32,
            homeless: c.homeless,
            owed_homelessness_duty: c.owed_homelessness_duty,
            medical_need: c.medical_need,
            needs_to_move_for_hardship: c.needs_to_move_for_hardship,
        }),
        assessment: record.assessment.as_ref().map(assessment_proto),
        submitted_at: Some(timestamp(record.submitted_at)),
    }
}

pub fn assessment_proto(a: &AssessmentRecord) -> pb::Assessment {
    pb::Assessment {
        band: a.assessment.band.clone(),
        bedroom_need: a.assessment.bedroom_need as i32,
        effective_date: format_date(a.assessment.effective_date),
        reasonable_preference: a.assessment.reasonable_preference.clone(),
        scheme_version: a.assessment.scheme_version.clone(),
        assessed_by: a.assessed_by.clone(),
        assessed_at: Some(timestamp(a.assessed_at)),
        rules_fired: a.assessment.rules_fired.clone(),
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
    }
}

pub fn shortlist_entry(row: &ShortlistRow) -> pb::ShortlistEntry {
    pb::ShortlistEntry {
        application_id: row.id.to_string(),
        reference: row.reference.clone(),
        band: row.band.clone(),
        effective_date: format_date(row.effective_date),
        bedroom_need: row.bedroom_need as i32,
    }
}
