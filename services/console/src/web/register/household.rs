//! A change in the household: someone has left, someone has joined (a baby, a partner), or
//! a member is pregnant. The register records what changed, with how the council heard,
//! and re-assesses.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::register::v1::{self as pb, Relationship, Sex};
use serde::Deserialize;

use super::core_answers::{self, PersonAnswers, PersonQuestions, Who};
use super::{TAKE_IN, fetch, relationship};
use crate::format::{self, DateParts};
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, error_for, refusal, render};

const JOINING_AS: [(&str, &str); 3] = [
    ("partner", "Partner"),
    ("child", "Child"),
    ("other_relative", "Other relative"),
];

#[derive(Debug, Default, Deserialize)]
pub struct HouseholdForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default, flatten)]
    born: DateParts,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    joining_as: String,
    #[serde(default)]
    joining_pregnant: String,
    #[serde(default)]
    note: String,
    /// `pregnant-N` and `left-N` for the household's members in order (the lead is 0); and
    /// `joining-question` for the CORE questions asked of the person joining.
    #[serde(flatten)]
    members: HashMap<String, String>,
}

impl HouseholdForm {
    /// The form as the household is now, for it to be shown first.
    fn from_application(app: &pb::Application) -> Self {
        let mut form = Self::default();
        for (i, member) in household(app).enumerate() {
            if member.pregnant {
                form.members.insert(format!("pregnant-{i}"), "yes".into());
            }
        }
        form
    }

    fn ticked(&self, name: &str, i: usize) -> bool {
        self.members.contains_key(&format!("{name}-{i}"))
    }

    /// The answers to the CORE questions asked of the person joining.
    fn joining(&self) -> PersonAnswers {
        PersonAnswers::from_fields(&self.members, JOINING)
    }

    fn someone_joins(&self) -> bool {
        !self.joining().is_empty()
            || [
                &self.given_name,
                &self.family_name,
                &self.sex,
                &self.joining_as,
            ]
            .iter()
            .any(|v| !v.trim().is_empty())
            || [&self.born.day, &self.born.month, &self.born.year]
                .iter()
                .any(|v| !v.trim().is_empty())
    }

    fn request(
        &self,
        app: &pb::Application,
    ) -> Result<pb::ReportChangeOfCircumstancesRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut lead = app.lead_applicant.clone().unwrap_or_default();
        lead.pregnant = self.ticked("pregnant", 0);
        let mut members: Vec<pb::HouseholdMember> = app
            .members
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.ticked("left", i + 1))
            .map(|(i, m)| pb::HouseholdMember {
                pregnant: self.ticked("pregnant", i + 1),
                ..m.clone()
            })
            .collect();
        if self.someone_joins() {
            let needed = [
                (
                    "joining-given_name",
                    &self.given_name,
                    "Enter the given name of the person joining",
                ),
                (
                    "joining-family_name",
                    &self.family_name,
                    "Enter the family name of the person joining",
                ),
            ];
            for (field, value, message) in needed {
                if value.trim().is_empty() {
                    errors.push(FieldError::on(field, message));
                }
            }
            let date_of_birth = self
                .born
                .iso("joining-date_of_birth", "Their date of birth")
                .map_err(|e| errors.push(e))
                .unwrap_or_default();
            let sex = match self.sex.as_str() {
                "female" => Sex::Female,
                "male" => Sex::Male,
                _ => {
                    errors.push(FieldError::on(
                        "joining-sex",
                        "Select the sex of the person joining",
                    ));
                    Sex::Unspecified
                }
            };
            let relationship = match self.joining_as.as_str() {
                "partner" => Relationship::Partner,
                "child" => Relationship::Child,
                "other_relative" => Relationship::OtherRelative,
                _ => {
                    errors.push(FieldError::on(
                        "joining-relationship",
                        "Select how the person joining is related to the lead applicant",
                    ));
                    Relationship::Unspecified
                }
            };
            let mut joining = pb::HouseholdMember {
                given_name: self.given_name.trim().to_owned(),
                family_name: self.family_name.trim().to_owned(),
                date_of_birth,
                sex: sex as i32,
                relationship: relationship as i32,
                pregnant: !self.joining_pregnant.is_empty(),
                ..Default::default()
            };
            self.joining().apply(&mut joining);
            members.push(joining);
        }
        if self.note.trim().is_empty() {
            errors.push(FieldError::on(
                "note",
                "Enter how the council heard of the change",
            ));
        }
        let unchanged =
            lead == app.lead_applicant.clone().unwrap_or_default() && members == app.members;
        if unchanged && errors.is_empty() {
            errors.push(FieldError {
                field: None,
                message: "Nothing in the household has changed: tick who has left or is pregnant, or add who has joined".into(),
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::ReportChangeOfCircumstancesRequest {
            application_id: app.application_id.clone(),
            lead_applicant: Some(lead),
            members,
            details: app.details.clone(),
            note: self.note.trim().to_owned(),
        })
    }
}

/// The form fields of the person joining's CORE questions: `joining-question`.
const JOINING: &str = "joining";

/// The register's refusal of `request` put to the form: a problem with the person joining's
/// answers at its field, and one with another member's (not asked here) named.
fn placed(
    errors: Vec<FieldError>,
    request: &pb::ReportChangeOfCircumstancesRequest,
    someone_joins: bool,
) -> Vec<FieldError> {
    let joining = someone_joins.then(|| request.members.len().saturating_sub(1));
    core_answers::placed(errors, |i| {
        if Some(i) == joining {
            return Some((Who::joining(), Some(JOINING.to_owned())));
        }
        request.members.get(i).map(|m| {
            let name = format!("{} {}", m.given_name, m.family_name);
            (Who::named(&name), None)
        })
    })
}

fn household(app: &pb::Application) -> impl Iterator<Item = &pb::HouseholdMember> {
    app.lead_applicant.iter().chain(app.members.iter())
}

/// A member as the form lists them.
pub struct Listed {
    pub index: usize,
    pub name: String,
    pub relationship: &'static str,
    pub born: String,
    pub pregnant: bool,
    pub left: bool,
}

#[derive(Template)]
#[template(path = "register/household.html")]
struct HouseholdPage<'a> {
    page: Page<'a>,
    id: String,
    reference: String,
    listed: Vec<Listed>,
    joining_as: Vec<(&'static str, &'static str)>,
    /// The CORE questions asked of the person joining.
    joining: PersonQuestions,
    form: HouseholdForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl HouseholdPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn page(
    officer: &Officer,
    app: &pb::Application,
    form: HouseholdForm,
    errors: Vec<FieldError>,
) -> Response {
    let listed = household(app)
        .enumerate()
        .map(|(index, m)| Listed {
            index,
            name: format!("{} {}", m.given_name, m.family_name),
            relationship: relationship(m.relationship),
            born: format::date(&m.date_of_birth),
            pregnant: form.ticked("pregnant", index),
            left: form.ticked("left", index),
        })
        .collect();
    let mut page = Page::new(
        "Record a change in the household",
        Some(officer),
        Section::Register,
    );
    page.error_count = errors.len();
    render(&HouseholdPage {
        page,
        id: app.application_id.clone(),
        reference: app.reference.clone(),
        listed,
        joining_as: JOINING_AS.to_vec(),
        joining: form
            .joining()
            .questions(JOINING, &Who::joining(), String::new(), &errors),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn path(id: &str) -> String {
    format!("/register/applications/{id}/household")
}

pub async fn edit_household(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    // Register assistants record a change too; an officer then assesses it.
    officer.require(TAKE_IN)?;
    let app = fetch(&state, &officer, &id, &path(&id)).await?;
    let form = HouseholdForm::from_application(&app);
    Ok(page(&officer, &app, form, Vec::new()))
}

pub async fn save_household(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<HouseholdForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    // Register assistants record a change too; an officer then assesses it.
    officer.require(TAKE_IN)?;
    let app = fetch(&state, &officer, &id, &path(&id)).await?;
    let request = match form.request(&app) {
        Ok(request) => request,
        Err(errors) => return Ok(page(&officer, &app, form, errors)),
    };
    match state
        .register(&officer, &path(&id))
        .await?
        .report_change_of_circumstances(request.clone())
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/register/applications/{id}?household_changed=1"))
                .into_response(),
        ),
        Err(status) => {
            let errors = placed(refusal(status, &path(&id))?, &request, form.someone_joins());
            Ok(page(&officer, &app, form, errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(given: &str, relationship: Relationship) -> pb::HouseholdMember {
        pb::HouseholdMember {
            given_name: given.into(),
            family_name: "Okafor".into(),
            date_of_birth: "2015-03-02".into(),
            sex: Sex::Female as i32,
            relationship: relationship as i32,
            pregnant: false,
            ..Default::default()
        }
    }

    fn application() -> pb::Application {
        pb::Application {
            application_id: "a".into(),
            lead_applicant: Some(member("Ada", Relationship::LeadApplicant)),
            members: vec![
                member("Bea", Relationship::Child),
                member("Cy", Relationship::Child),
            ],
            ..Default::default()
        }
    }

    fn form(pairs: &[(&str, &str)]) -> HouseholdForm {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        serde_urlencoded::from_str(&body).unwrap()
    }

    #[test]
    fn someone_leaves_someone_joins_and_the_lead_is_pregnant() {
        let form = form(&[
            ("left-1", "yes"),
            ("pregnant-0", "yes"),
            ("given_name", "Dee"),
            ("family_name", "Okafor"),
            ("day", "1"),
            ("month", "6"),
            ("year", "2026"),
            ("sex", "male"),
            ("joining_as", "child"),
            ("note", "phone call from Ada"),
        ]);
        let request = form.request(&application()).unwrap();
        assert!(request.lead_applicant.unwrap().pregnant);
        let names: Vec<_> = request
            .members
            .iter()
            .map(|m| m.given_name.as_str())
            .collect();
        assert_eq!(names, ["Cy", "Dee"]);
        assert_eq!(request.members[1].date_of_birth, "2026-06-01");
    }

    #[test]
    fn a_half_told_newcomer_and_a_missing_note_are_each_named() {
        let form = form(&[
            ("given_name", "Dee"),
            ("day", "31"),
            ("month", "2"),
            ("year", "2026"),
        ]);
        let fields: Vec<_> = form
            .request(&application())
            .unwrap_err()
            .into_iter()
            .filter_map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "joining-family_name",
                "joining-date_of_birth",
                "joining-sex",
                "joining-relationship",
                "note"
            ]
        );
    }

    #[test]
    fn the_person_joinings_core_answers_go_with_them_and_an_unoffered_one_is_unanswered() {
        let joining = [
            ("given_name", "Dee"),
            ("family_name", "Okafor"),
            ("day", "1"),
            ("month", "6"),
            ("year", "2000"),
            ("sex", "female"),
            ("joining_as", "partner"),
            ("joining-sex_registered_at_birth", "3"),
            ("joining-gender_identity", "2"),
            ("joining-gender_description", " Non-binary "),
            ("joining-working_situation", "9"),
            ("note", "letter"),
        ];
        let request = form(&joining).request(&application()).unwrap();
        let dee = request.members.last().unwrap();
        assert_eq!(
            (
                dee.sex_registered_at_birth,
                dee.gender_identity,
                dee.gender_description.as_str(),
                dee.working_situation
            ),
            (
                pb::SexRegisteredAtBirth::PrefersNotToSay as i32,
                pb::GenderIdentity::Different as i32,
                "Non-binary",
                pb::WorkingSituation::ChildUnder16 as i32
            )
        );
        // Those already in the household keep what they had.
        assert_eq!(request.members[..2], application().members[..]);
        let mut odd = joining.to_vec();
        odd.retain(|(k, _)| !k.starts_with("joining-"));
        odd.push(("joining-working_situation", "77"));
        let request = form(&odd).request(&application()).unwrap();
        assert_eq!(request.members.last().unwrap().working_situation, 0);
    }

    #[test]
    fn answering_a_core_question_alone_is_someone_half_told() {
        let fields: Vec<_> = form(&[("joining-working_situation", "1"), ("note", "call")])
            .request(&application())
            .unwrap_err()
            .into_iter()
            .filter_map(|e| e.field)
            .collect();
        assert!(
            fields.contains(&"joining-given_name".to_owned()),
            "{fields:?}"
        );
    }

    #[test]
    fn the_registers_refusal_of_the_joiners_working_situation_links_to_its_field() {
        let form = form(&[
            ("given_name", "Dee"),
            ("family_name", "Okafor"),
            ("day", "1"),
            ("month", "6"),
            ("year", "2000"),
            ("sex", "female"),
            ("joining_as", "partner"),
            ("joining-working_situation", "9"),
            ("note", "letter"),
        ]);
        let app = application();
        let request = form.request(&app).unwrap();
        let refused = vec![
            FieldError::on(
                "members[2]-working_situation",
                "Can be 'child under 16' only for someone under 16 today",
            ),
            FieldError::on("members[0]-working_situation", "Unknown value 99"),
        ];
        let errors = placed(refused, &request, form.someone_joins());
        assert_eq!(
            errors[0].field.as_deref(),
            Some("joining-working_situation")
        );
        assert_eq!(
            errors[0].message,
            "The person joining is 16 or over: choose a working situation other than child under 16"
        );
        // Bea's answers are not asked here: her problem is named, with no field to link to.
        assert_eq!(errors[1].field, None);
        assert!(errors[1].message.starts_with("Bea Okafor:"));

        let html = HouseholdPage {
            page: Page::new("Record a change in the household", None, Section::Register),
            id: app.application_id.clone(),
            reference: "R".into(),
            listed: Vec::new(),
            joining_as: JOINING_AS.to_vec(),
            joining: form
                .joining()
                .questions(JOINING, &Who::joining(), String::new(), &errors),
            form,
            csrf_token: "t",
            errors,
        }
        .render()
        .unwrap();
        assert!(
            html.contains(r##"<a href="#joining-working_situation">The person joining is 16"##)
        );
        assert!(html.contains(r#"id="joining-working_situation-error""#));
        assert!(html.contains(
            r#"id="joining-working_situation" name="joining-working_situation" type="radio" value="1""#
        ));
        assert!(html.contains(r#"value="9" checked"#));
        // The follow-up is under its choice, shown with or without JavaScript.
        assert!(html.contains(
            r#"class="govuk-radios__conditional" id="joining-gender_description-conditional""#
        ));
        assert!(!html.contains("aria-controls"));
    }

    #[test]
    fn nothing_changed_is_refused() {
        let errors = form(&[("note", "checked")])
            .request(&application())
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].field.is_none());
    }
}
