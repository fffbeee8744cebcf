//! A placement request's household, read from the register application it names.

use housing_platform::errors::AppError;
use housing_platform::register::Register;
use housing_platform::time::parse_date;
use housing_proto::register::v1 as register;
use uuid::Uuid;

use crate::domain::household::{Mobility, Person, RegisterHousehold};

/// The household on the register application `id`; an application the register does not
/// hold is the request's mistake, named against its field.
pub async fn from_register(register: &Register, id: Uuid) -> Result<RegisterHousehold, AppError> {
    let Some(application) = register.application(id).await? else {
        let mut v = housing_platform::errors::FieldViolations::new();
        v.add(
            "placement_request.application_id",
            "the register has no application with this id",
        );
        return Err(AppError::Invalid(v));
    };
    household(&application)
}

fn household(a: &register::Application) -> Result<RegisterHousehold, AppError> {
    let people = a
        .lead_applicant
        .iter()
        .map(|m| (m, true))
        .chain(a.members.iter().map(|m| (m, false)))
        .map(|(m, lead)| person(&a.reference, m, lead))
        .collect::<Result<_, _>>()?;
    use register::MobilityCategory as M;
    let mobility = match a.details.as_ref().map(|d| d.mobility()) {
        Some(M::WheelchairThroughout | M::WheelchairPartial) => Mobility::Wheelchair,
        Some(M::StepFree) => Mobility::StepFree,
        Some(M::GeneralNeeds) => Mobility::GeneralNeeds,
        Some(M::Unspecified) | None => Mobility::Unknown,
    };
    Ok(RegisterHousehold {
        reference: a.reference.clone(),
        people,
        bedroom_need: a
            .assessment
            .as_ref()
            .and_then(|s| u32::try_from(s.bedroom_need).ok())
            .filter(|&n| n > 0),
        mobility,
    })
}

fn person(reference: &str, m: &register::HouseholdMember, lead: bool) -> Result<Person, AppError> {
    let date_of_birth = parse_date(&m.date_of_birth).map_err(|e| {
        AppError::FailedPrecondition(format!(
            "the register application {reference} has a date of birth this service cannot read: {e}"
        ))
    })?;
    Ok(Person {
        name: format!("{} {}", m.given_name.trim(), m.family_name.trim())
            .trim()
            .to_owned(),
        date_of_birth,
        lead,
        pregnant: m.pregnant,
    })
}
