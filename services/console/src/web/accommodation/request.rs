//! A placement request started from the household's register application: who they are and
//! what they need come from the register, so nothing is typed twice; the officer adds the
//! duty owed, when they need to move in and what they can pay.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::accommodation::v1::{self as pb, DutyType};
use housing_proto::register::v1 as reg;
use serde::Deserialize;

use super::WORK;
use crate::format::DateParts;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

const PATH: &str = "/accommodation/new";

/// The household as the register has it, shown for the officer to check. Temporary
/// accommodation reads the same application itself: the console sends only what changed.
pub struct Household {
    pub application_id: String,
    pub reference: String,
    pub lead_name: String,
    /// Each person: name, date of birth (UK format) and relationship.
    pub people: Vec<(String, String, &'static str)>,
    /// Once assessed.
    pub bedrooms: Option<i32>,
    pub access: &'static str,
}

impl Household {
    fn from_application(app: &reg::Application) -> Self {
        let lead = app.lead_applicant.clone().unwrap_or_default();
        let mobility = app
            .details
            .as_ref()
            .map(|d| d.mobility())
            .unwrap_or_default();
        Self {
            application_id: app.application_id.clone(),
            reference: app.reference.clone(),
            lead_name: format!("{} {}", lead.given_name, lead.family_name),
            people: app
                .lead_applicant
                .iter()
                .chain(app.members.iter())
                .map(|m| {
                    (
                        format!("{} {}", m.given_name, m.family_name),
                        crate::format::date(&m.date_of_birth),
                        relationship(m.relationship()),
                    )
                })
                .collect(),
            bedrooms: app
                .assessment
                .as_ref()
                .map(|a| a.bedroom_need)
                .filter(|&n| n > 0),
            access: match mobility {
                reg::MobilityCategory::WheelchairThroughout
                | reg::MobilityCategory::WheelchairPartial => "Wheelchair access",
                reg::MobilityCategory::StepFree => "Step-free",
                reg::MobilityCategory::GeneralNeeds => "None",
                reg::MobilityCategory::Unspecified => "Not recorded",
            },
        }
    }
}

fn relationship(r: reg::Relationship) -> &'static str {
    use reg::Relationship as R;
    match r {
        R::LeadApplicant => "Lead applicant",
        R::Partner => "Partner",
        R::Child => "Child",
        R::OtherRelative => "Other relative",
        R::Other | R::Unspecified => "Other",
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    duty: String,
    #[serde(default, flatten)]
    needed_from: DateParts,
    #[serde(default)]
    weekly_income: String,
    /// Where the household has changed since its application: blank takes the register's.
    #[serde(default)]
    household_size: String,
    #[serde(default)]
    bedrooms_needed: String,
    #[serde(default)]
    pregnant: Option<String>,
    #[serde(default)]
    needs_step_free: Option<String>,
    #[serde(default)]
    needs_wheelchair_access: Option<String>,
    /// The officer has checked the differences temporary accommodation named.
    #[serde(default)]
    confirm_differences: Option<String>,
}

/// The fields temporary accommodation compares with the register application.
const COMPARED: [&str; 5] = [
    "placement_request-household_size",
    "placement_request-bedrooms_needed",
    "placement_request-pregnant",
    "placement_request-needs_step_free",
    "placement_request-needs_wheelchair_access",
];

/// A count the officer may leave blank: 0 then, for the register's.
fn count(text: &str, id: &str, what: &str, errors: &mut Vec<FieldError>) -> i32 {
    match text.trim() {
        "" => 0,
        text => match text.parse::<i32>() {
            Ok(n) if (1..=30).contains(&n) => n,
            _ => {
                errors.push(FieldError::on(
                    id,
                    format!("Enter {what} as a whole number from 1 to 30, or leave it blank"),
                ));
                0
            }
        },
    }
}

const DUTIES: [(&str, &str); 2] = [
    (
        "interim",
        "Interim duty (section 188): while the council decides",
    ),
    ("main", "Main housing duty (section 193)"),
];

impl RequestForm {
    fn request(
        &self,
        household: &Household,
    ) -> Result<pb::CreatePlacementRequestRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let duty = match self.duty.as_str() {
            "interim" => DutyType::Interim,
            "main" => DutyType::Main,
            _ => {
                errors.push(FieldError::on(
                    "placement_request-duty",
                    "Select the duty the council owes the household",
                ));
                DutyType::Unspecified
            }
        };
        let needed_from = self
            .needed_from
            .iso(
                "placement_request-needed_from",
                "The date they need to move in",
            )
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let weekly_income_pence = match self.weekly_income.trim() {
            "" => 0,
            text => housing_platform::money::Pence::parse_pounds(text)
                .map(|p| p.get())
                .unwrap_or_else(|_| {
                    errors.push(FieldError::on(
                        "placement_request-weekly_income_pence",
                        "Enter the weekly income in pounds and pence, like 310.50, or leave it blank",
                    ));
                    0
                }),
        };
        let household_size = count(
            &self.household_size,
            COMPARED[0],
            "the number of people",
            &mut errors,
        );
        let bedrooms_needed = count(
            &self.bedrooms_needed,
            COMPARED[1],
            "the bedrooms needed",
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::CreatePlacementRequestRequest {
            request_id: self.request_id.clone(),
            placement_request: Some(pb::PlacementRequest {
                application_id: household.application_id.clone(),
                household_size,
                bedrooms_needed,
                pregnant: self.pregnant.is_some(),
                needs_step_free: self.needs_step_free.is_some(),
                needs_wheelchair_access: self.needs_wheelchair_access.is_some(),
                duty: duty as i32,
                needed_from,
                weekly_income_pence,
                ..Default::default()
            }),
            confirm_differences: self.confirm_differences.is_some(),
        })
    }
}

#[derive(Template)]
#[template(path = "accommodation/request.html")]
struct RequestPage<'a> {
    page: Page<'a>,
    household: Option<Household>,
    form: RequestForm,
    duties: Vec<(&'static str, &'static str)>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl RequestPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }

    /// Temporary accommodation found answers that differ from the register: the officer
    /// is asked to confirm them, and the changes stay open to read.
    fn differs(&self) -> bool {
        COMPARED.iter().any(|f| self.error_for(f).is_some())
            || !self.form.household_size.is_empty()
            || !self.form.bedrooms_needed.is_empty()
            || self.form.pregnant.is_some()
            || self.form.needs_step_free.is_some()
            || self.form.needs_wheelchair_access.is_some()
    }

    /// Each need the officer may add: id, name, label and whether it is ticked.
    fn needs(&self) -> [(&'static str, &'static str, &'static str, bool); 3] {
        [
            (
                COMPARED[2],
                "pregnant",
                "Someone is pregnant",
                self.form.pregnant.is_some(),
            ),
            (
                COMPARED[3],
                "needs_step_free",
                "Step-free access",
                self.form.needs_step_free.is_some(),
            ),
            (
                COMPARED[4],
                "needs_wheelchair_access",
                "Wheelchair access",
                self.form.needs_wheelchair_access.is_some(),
            ),
        ]
    }

    fn needs_error(&self) -> Option<&str> {
        COMPARED[2..].iter().find_map(|f| self.error_for(f))
    }

    fn differences_named(&self) -> bool {
        COMPARED.iter().any(|f| self.error_for(f).is_some())
    }
}

fn page(
    officer: &Officer,
    household: Option<Household>,
    mut form: RequestForm,
    errors: Vec<FieldError>,
) -> Response {
    if form.request_id.is_empty() {
        form.request_id = uuid::Uuid::new_v4().to_string();
    }
    let mut page = Page::new(
        "Find temporary accommodation",
        Some(officer),
        Section::Accommodation,
    );
    page.error_count = errors.len();
    render(&RequestPage {
        page,
        household,
        form,
        duties: DUTIES.to_vec(),
        csrf_token: &officer.csrf_token,
        errors,
    })
}

/// The application with this reference, as the register has it.
async fn household(
    state: &crate::web::State,
    officer: &Officer,
    reference: &str,
) -> Result<Result<Household, FieldError>, PageError> {
    let reference = reference.trim().to_ascii_uppercase();
    if reference.is_empty() {
        return Ok(Err(FieldError::on(
            "reference",
            "Enter the household's application reference",
        )));
    }
    let mut register = state.register(officer, PATH).await?;
    let found = register
        .search_applications(reg::SearchApplicationsRequest {
            reference: reference.clone(),
            page_size: 1,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner();
    let Some(summary) = found.applications.first() else {
        return Ok(Err(FieldError::on(
            "reference",
            format!("No application has the reference {reference}"),
        )));
    };
    let app = register
        .get_application(reg::GetApplicationRequest {
            application_id: summary.application_id.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner()
        .application
        .ok_or(PageError::NotFound)?;
    Ok(Ok(Household::from_application(&app)))
}

#[derive(Debug, Default, Deserialize)]
pub struct Find {
    #[serde(default)]
    reference: String,
}

pub async fn new_request(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(find): Query<Find>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let mut form = RequestForm {
        reference: find.reference.clone(),
        ..Default::default()
    };
    if find.reference.is_empty() {
        return Ok(page(&officer, None, form, Vec::new()));
    }
    match household(&state, &officer, &find.reference).await? {
        Ok(household) => {
            form.reference = household.reference.clone();
            Ok(page(&officer, Some(household), form, Vec::new()))
        }
        Err(error) => Ok(page(&officer, None, form, vec![error])),
    }
}

pub async fn create_request(
    State(state): State<crate::web::State>,
    officer: Officer,
    Form(form): Form<RequestForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let household = match household(&state, &officer, &form.reference).await? {
        Ok(household) => household,
        Err(error) => return Ok(page(&officer, None, form, vec![error])),
    };
    let request = match form.request(&household) {
        Ok(request) => request,
        Err(errors) => return Ok(page(&officer, Some(household), form, errors)),
    };
    let answer = state
        .accommodation(&officer, PATH)
        .await?
        .create_placement_request(request)
        .await;
    match answer {
        Ok(created) => {
            let id = created
                .into_inner()
                .placement_request
                .map(|r| r.placement_request_id)
                .unwrap_or_default();
            Ok(Redirect::to(&format!("/accommodation/requests/{id}/units")).into_response())
        }
        Err(status) => {
            let errors = refusal(status, PATH)?;
            Ok(page(&officer, Some(household), form, errors))
        }
    }
}
