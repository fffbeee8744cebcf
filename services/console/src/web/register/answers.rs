//! Recording an applicant's answers: the details the register needs before it can assess,
//! sent as a change of circumstances so the register keeps what changed, when and who.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::money::Pence;
use housing_proto::register::v1::{self as pb, ImmigrationStatus, MobilityCategory, Tenure};
use serde::Deserialize;

use super::ASSESS;
use super::core_answers::{self, CoreForm, Effect, PersonQuestions, Questions, Who};
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

/// The words for an answer the register names by its field.
pub fn label(field: &str) -> &'static str {
    match field {
        "details.area" => "Area",
        "details.postcode" => "Postcode",
        "details.circumstances.current_bedrooms" => "Bedrooms in the current home",
        "details.circumstances.tenure" => "How the household lives now",
        "details.circumstances.address" => "Current address",
        "details.local_connection.years_resident" => "Years lived in the district",
        "details.immigration_status" => "Immigration status of the lead applicant",
        "details.finances.annual_income_pence" => "Household income a year",
        "details.finances.savings_pence" => "Household savings",
        "details.mobility" => "Access the household needs",
        _ => "Another answer",
    }
}

const TENURES: [(Tenure, &str); 8] = [
    (Tenure::PrivateRented, "Renting privately"),
    (Tenure::CouncilTenant, "Council tenant"),
    (
        Tenure::HousingAssociationTenant,
        "Housing association tenant",
    ),
    (Tenure::OwnerOccupier, "Owns their home"),
    (Tenure::WithFamilyOrFriends, "Living with family or friends"),
    (Tenure::TemporaryAccommodation, "In temporary accommodation"),
    (Tenure::SupportedHousing, "In supported housing"),
    (Tenure::NoFixedAbode, "No fixed abode"),
];

const IMMIGRATION: [(ImmigrationStatus, &str); 6] = [
    (
        ImmigrationStatus::BritishOrIrishCitizen,
        "British or Irish citizen",
    ),
    (ImmigrationStatus::SettledStatus, "Settled status"),
    (
        ImmigrationStatus::PreSettledStatusWorker,
        "Pre-settled status, working",
    ),
    (
        ImmigrationStatus::PreSettledStatusNotWorking,
        "Pre-settled status, not working",
    ),
    (
        ImmigrationStatus::RefugeeOrHumanitarianProtection,
        "Refugee or humanitarian protection",
    ),
    (
        ImmigrationStatus::SubjectToImmigrationControl,
        "Subject to immigration control",
    ),
];

const MOBILITY: [(MobilityCategory, &str); 4] = [
    (MobilityCategory::GeneralNeeds, "No particular access"),
    (MobilityCategory::StepFree, "Step-free access"),
    (
        MobilityCategory::WheelchairPartial,
        "Wheelchair use in part of the home",
    ),
    (
        MobilityCategory::WheelchairThroughout,
        "Wheelchair use throughout the home",
    ),
];

/// The answers form, as posted and as shown again.
#[derive(Debug, Default, Deserialize)]
pub struct Answers {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    current_bedrooms: String,
    #[serde(default)]
    tenure: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    homeless: Option<String>,
    #[serde(default)]
    owed_homelessness_duty: Option<String>,
    #[serde(default)]
    medical_need: Option<String>,
    #[serde(default)]
    armed_forces: Option<String>,
    #[serde(default)]
    care_leaver: Option<String>,
    #[serde(default)]
    domestic_abuse: Option<String>,
    #[serde(default)]
    years_resident: String,
    #[serde(default)]
    immigration_status: String,
    #[serde(default)]
    annual_income: String,
    #[serde(default)]
    savings: String,
    #[serde(default)]
    mobility: String,
    #[serde(default)]
    note: String,
    #[serde(flatten)]
    core: CoreForm,
}

pub(super) fn pounds(pence: Option<i64>) -> String {
    pence
        .map(|p| {
            if p % 100 == 0 {
                (p / 100).to_string()
            } else {
                format!("{}.{:02}", p / 100, p % 100)
            }
        })
        .unwrap_or_default()
}

/// "18,500.50" or "£18500" as pence; `None` for anything else.
pub(super) fn parse_pounds(text: &str) -> Option<i64> {
    Pence::parse_pounds(text).ok().map(Pence::get)
}

impl Answers {
    fn from_application(app: &pb::Application) -> Self {
        let d = app.details.clone().unwrap_or_default();
        let c = d.circumstances.clone().unwrap_or_default();
        let local = d.local_connection.unwrap_or_default();
        let money = d.finances.unwrap_or_default();
        let yes = |b: bool| b.then(|| "yes".to_owned());
        Self {
            csrf_token: String::new(),
            area: d.area.clone(),
            postcode: d.postcode.clone(),
            current_bedrooms: c
                .current_bedrooms
                .map(|n| n.to_string())
                .unwrap_or_default(),
            tenure: enum_value(c.tenure, Tenure::try_from, |t| t.as_str_name(), "TENURE_"),
            address: c.address.clone(),
            homeless: yes(c.homeless),
            owed_homelessness_duty: yes(c.owed_homelessness_duty),
            medical_need: yes(c.medical_need),
            armed_forces: yes(c.armed_forces),
            care_leaver: yes(c.care_leaver),
            domestic_abuse: yes(c.domestic_abuse),
            years_resident: local
                .years_resident
                .map(|n| n.to_string())
                .unwrap_or_default(),
            immigration_status: enum_value(
                d.immigration_status,
                ImmigrationStatus::try_from,
                |s| s.as_str_name(),
                "IMMIGRATION_STATUS_",
            ),
            annual_income: pounds(money.annual_income_pence),
            savings: pounds(money.savings_pence),
            mobility: enum_value(
                d.mobility,
                MobilityCategory::try_from,
                |m| m.as_str_name(),
                "MOBILITY_CATEGORY_",
            ),
            note: String::new(),
            core: CoreForm::from_application(
                &app.lead_applicant.clone().unwrap_or_default(),
                &app.members,
                &d.household_answers.unwrap_or_default(),
            ),
        }
    }

    /// The register's household and details from the form, keeping what the form does not
    /// show; every answer the console itself cannot read is named.
    fn household_and_details(&self, app: &pb::Application) -> Result<Household, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut lead = app.lead_applicant.clone().unwrap_or_default();
        let mut members = app.members.clone();
        let mut d = app.details.clone().unwrap_or_default();
        let mut core = d.household_answers.clone().unwrap_or_default();
        self.core
            .apply(&mut lead, &mut members, &mut core, &mut errors);
        d.household_answers = Some(core);
        d.area = self.area.trim().to_ascii_lowercase();
        d.postcode = self.postcode.trim().to_ascii_uppercase();
        let mut c = d.circumstances.clone().unwrap_or_default();
        c.current_bedrooms = optional(
            &self.current_bedrooms,
            |t| t.parse().ok(),
            "details.circumstances.current_bedrooms",
            "Enter the bedrooms in the current home as a number, like 2",
            &mut errors,
        );
        c.tenure = parse_enum(&self.tenure, "TENURE_", Tenure::from_str_name)
            .map(|t| t as i32)
            .unwrap_or_default();
        c.address = self.address.trim().to_owned();
        c.homeless = self.homeless.is_some();
        c.owed_homelessness_duty = self.owed_homelessness_duty.is_some();
        c.medical_need = self.medical_need.is_some();
        c.armed_forces = self.armed_forces.is_some();
        c.care_leaver = self.care_leaver.is_some();
        c.domestic_abuse = self.domestic_abuse.is_some();
        d.circumstances = Some(c);
        let mut local = d.local_connection.unwrap_or_default();
        local.years_resident = optional(
            &self.years_resident,
            |t| t.parse().ok(),
            "details.local_connection.years_resident",
            "Enter the years lived in the district as a number, like 5",
            &mut errors,
        );
        d.local_connection = Some(local);
        d.immigration_status = parse_enum(
            &self.immigration_status,
            "IMMIGRATION_STATUS_",
            ImmigrationStatus::from_str_name,
        )
        .map(|s| s as i32)
        .unwrap_or_default();
        let mut money = d.finances.unwrap_or_default();
        money.annual_income_pence = optional(
            &self.annual_income,
            parse_pounds,
            "details.finances.annual_income_pence",
            "Enter the household income a year in pounds, like 18500 or 18500.50",
            &mut errors,
        );
        money.savings_pence = optional(
            &self.savings,
            parse_pounds,
            "details.finances.savings_pence",
            "Enter the household savings in pounds, like 1200 or 1200.50",
            &mut errors,
        );
        d.finances = Some(money);
        d.mobility = parse_enum(
            &self.mobility,
            "MOBILITY_CATEGORY_",
            MobilityCategory::from_str_name,
        )
        .map(|m| m as i32)
        .unwrap_or_default();
        if self.note.trim().is_empty() {
            errors.push(field_error(
                "note",
                "Enter how the council heard these answers",
            ));
        }
        if errors.is_empty() {
            Ok((lead, members, d))
        } else {
            Err(errors)
        }
    }
}

/// The lead applicant, the other members and the details, as the register takes them.
type Household = (
    pb::HouseholdMember,
    Vec<pb::HouseholdMember>,
    pb::ApplicationDetails,
);

fn field_error(field: &str, message: &str) -> FieldError {
    FieldError {
        field: Some(field.replace('.', "-")),
        message: message.to_owned(),
    }
}

/// An answer the officer may leave blank: `None` when blank, and when unreadable, named in
/// `errors` with `message`.
pub(super) fn optional<T>(
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
    field: &str,
    message: &str,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    match text.trim() {
        "" => None,
        t => parse(t).or_else(|| {
            errors.push(field_error(field, message));
            None
        }),
    }
}

/// A proto enum's value for a form: `private_rented` for `TENURE_PRIVATE_RENTED`.
fn enum_value<E>(
    value: i32,
    parse: impl Fn(i32) -> Result<E, prost::UnknownEnumValue>,
    name: impl Fn(&E) -> &'static str,
    prefix: &str,
) -> String {
    match parse(value) {
        Ok(e) if value != 0 => name(&e).trim_start_matches(prefix).to_ascii_lowercase(),
        _ => String::new(),
    }
}

fn parse_enum<E>(value: &str, prefix: &str, parse: impl Fn(&str) -> Option<E>) -> Option<E> {
    if value.is_empty() {
        return None;
    }
    parse(&format!("{prefix}{}", value.to_ascii_uppercase()))
}

fn options<E: Copy>(
    choices: &[(E, &'static str)],
    name: impl Fn(E) -> &'static str,
    prefix: &str,
) -> Vec<(String, &'static str)> {
    choices
        .iter()
        .map(|(e, label)| {
            (
                name(*e).trim_start_matches(prefix).to_ascii_lowercase(),
                *label,
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "register/answers.html")]
struct AnswersPage<'a> {
    page: Page<'a>,
    id: String,
    reference: String,
    form: Answers,
    tenures: Vec<(String, &'static str)>,
    immigration: Vec<(String, &'static str)>,
    mobility: Vec<(String, &'static str)>,
    questions: Questions,
    /// Each member's questions but the lead's, in the register's order.
    members: Vec<PersonQuestions>,
    ethnic_backgrounds: Vec<(String, &'static str)>,
    health_effects: Vec<Effect>,
    reasons_for_leaving: Vec<(String, &'static str)>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl AnswersPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn page(
    officer: &Officer,
    app: &pb::Application,
    form: Answers,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new(
        "Record the applicant's answers",
        Some(officer),
        Section::Register,
    );
    page.error_count = errors.len();
    render(&AnswersPage {
        page,
        id: app.application_id.clone(),
        reference: app.reference.clone(),
        questions: form.core.questions(),
        members: form.core.member_questions(&app.members, &errors),
        ethnic_backgrounds: CoreForm::ethnic_backgrounds(),
        health_effects: form.core.health_effects(),
        reasons_for_leaving: CoreForm::reasons_for_leaving(),
        form,
        tenures: options(&TENURES, |t| t.as_str_name(), "TENURE_"),
        immigration: options(&IMMIGRATION, |s| s.as_str_name(), "IMMIGRATION_STATUS_"),
        mobility: options(&MOBILITY, |m| m.as_str_name(), "MOBILITY_CATEGORY_"),
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn edit_answers(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(ASSESS)?;
    let app = super::fetch(
        &state,
        &officer,
        &id,
        &format!("/register/applications/{id}/answers"),
    )
    .await?;
    let form = Answers::from_application(&app);
    Ok(page(&officer, &app, form, Vec::new()))
}

pub async fn save_answers(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<Answers>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(ASSESS)?;
    let app = super::fetch(
        &state,
        &officer,
        &id,
        &format!("/register/applications/{id}/answers"),
    )
    .await?;
    let (lead, members, details) = match form.household_and_details(&app) {
        Ok(answers) => answers,
        Err(errors) => return Ok(page(&officer, &app, form, errors)),
    };
    let path = format!("/register/applications/{id}/answers");
    let answer = state
        .services
        .register(&state.sessions, &officer)
        .await
        .map_err(|e| PageError::from_session(e, &path))?
        .report_change_of_circumstances(pb::ReportChangeOfCircumstancesRequest {
            application_id: id.clone(),
            lead_applicant: Some(lead),
            members,
            details: Some(details),
            note: form.note.trim().to_owned(),
        })
        .await;
    match answer {
        Ok(_) => {
            Ok(Redirect::to(&format!("/register/applications/{id}?answered=1")).into_response())
        }
        Err(status) => {
            let errors = core_answers::placed(refusal(status, &path)?, |i| {
                app.members.get(i).map(|m| {
                    let name = format!("{} {}", m.given_name, m.family_name);
                    (Who::named(&name), Some(core_answers::member_prefix(i)))
                })
            });
            Ok(page(&officer, &app, form, errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn application() -> pb::Application {
        let member = |given: &str, born: &str| pb::HouseholdMember {
            given_name: given.into(),
            family_name: "Osei".into(),
            date_of_birth: born.into(),
            relationship: pb::Relationship::Child as i32,
            ethnic_background: pb::EthnicBackground::BlackAfrican as i32,
            ..Default::default()
        };
        pb::Application {
            application_id: "a".into(),
            lead_applicant: Some(member("Amara", "1990-04-12")),
            members: vec![member("Kofi", "2019-09-30"), member("Ama", "2004-01-02")],
            ..Default::default()
        }
    }

    #[test]
    fn each_members_answers_are_posted_with_the_rest_and_their_errors_link_to_them() {
        let app = application();
        let form: Answers = serde_urlencoded::from_str(
            "csrf_token=t&note=Interview&members-0-working_situation=9\
             &members-1-sex_registered_at_birth=1&members-1-gender_identity=2\
             &members-1-gender_description=Non-binary&members-1-working_situation=999\
             &health_effect-3=yes",
        )
        .unwrap();
        let (_, members, details) = form.household_and_details(&app).unwrap();
        assert_eq!(
            members[0].working_situation,
            pb::WorkingSituation::ChildUnder16 as i32
        );
        assert_eq!(members[1].gender_description, "Non-binary");
        assert_eq!(members[1].working_situation, 0, "999 is not offered");
        // What the form does not ask of them is as the register returned it.
        assert_eq!(
            members[1].ethnic_background,
            pb::EthnicBackground::BlackAfrican as i32
        );
        assert_eq!(details.household_answers.unwrap().health_effects, [3]);

        let errors = core_answers::placed(
            vec![FieldError::on(
                "members[1]-gender_description",
                "At most 100 characters",
            )],
            |i| {
                Some((
                    Who::named(["Kofi Osei", "Ama Osei"][i]),
                    Some(core_answers::member_prefix(i)),
                ))
            },
        );
        let html = AnswersPage {
            page: Page::new("Record the applicant's answers", None, Section::Register),
            id: "a".into(),
            reference: "R".into(),
            questions: form.core.questions(),
            members: form.core.member_questions(&app.members, &errors),
            ethnic_backgrounds: CoreForm::ethnic_backgrounds(),
            health_effects: form.core.health_effects(),
            reasons_for_leaving: CoreForm::reasons_for_leaving(),
            form,
            tenures: Vec::new(),
            immigration: Vec::new(),
            mobility: Vec::new(),
            csrf_token: "t",
            errors,
        }
        .render()
        .unwrap();
        for shown in [
            r#"<h3 class="govuk-heading-s">About Kofi Osei</h3>"#,
            r#"<h3 class="govuk-heading-s">About Ama Osei</h3>"#,
            r##"<a href="#members-1-gender_description">Ama Osei: gender description at most 100 characters</a>"##,
            r#"id="members-1-gender_description" name="members-1-gender_description" type="text" value="Non-binary""#,
            r#"id="members-0-working_situation-9" name="members-0-working_situation" type="radio" value="9" checked"#,
            r#"class="govuk-radios__conditional" id="members-1-gender_description-conditional""#,
        ] {
            assert!(html.contains(shown), "{shown}");
        }
    }

    #[test]
    fn pounds_are_read_to_the_penny_and_anything_else_is_refused() {
        assert_eq!(parse_pounds("18500"), Some(1_850_000));
        assert_eq!(parse_pounds("£18,500.5"), Some(1_850_050));
        assert_eq!(parse_pounds("0.07"), Some(7));
        for bad in ["", "abc", "1.234", "-5", "1e3", "99999999999999999999"] {
            assert_eq!(parse_pounds(bad), None, "{bad}");
        }
        assert_eq!(pounds(Some(1_850_050)), "18500.50");
        assert_eq!(pounds(Some(1_850_000)), "18500");
    }
}
