//! Decants for regeneration: the households to be moved out of homes a scheme will rebuild,
//! each recorded with its rehousing rights, and each decant's page with its move and the
//! payments approved for it (a manager approves them from the approvals queue).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::auth::Role;
use housing_platform::money::Pence;
use housing_proto::nominations::v1::{self as pb, DecantStatus, DecantTenure};
use housing_proto::register::v1 as reg;
use serde::Deserialize;

use super::Tab;
use super::exchanges::tabs;
use crate::format::{self, DateParts};
use crate::session::Officer;
use crate::web::approvals::decants::{DecantView, decant_view};
use crate::web::people::People;
use crate::web::{FieldError, Page, PageError, Section, approvals, encode, refusal, render};

/// Who records a decant, as the nominations service allows.
const RECORD: &[Role] = &[Role::SeniorOfficer, Role::Manager];
const PATH: &str = "/nominations/decants";
const PAGE_SIZE: i32 = 25;

pub struct DecantRow {
    pub id: String,
    pub payee: String,
    pub address: String,
    pub scheme: String,
    pub status: (&'static str, &'static str),
}

#[derive(Template)]
#[template(path = "nominations/decants.html")]
struct ListPage<'a> {
    page: Page<'a>,
    tabs: Vec<Tab>,
    decants: Vec<DecantRow>,
    can_record: bool,
    next_page: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    page: String,
}

pub async fn list(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    officer.require(super::OFFICERS)?;
    let found = state
        .nominations(&officer, PATH)
        .await?
        .list_decants(pb::ListDecantsRequest {
            page_size: PAGE_SIZE,
            page_token: query.page,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner();
    Ok(render(&ListPage {
        page: Page::new("Decants", Some(&officer), Section::Nominations),
        tabs: tabs("decants"),
        decants: found
            .decants
            .into_iter()
            .map(|d| DecantRow {
                status: crate::web::approvals::decants::status(d.status()),
                payee: d.payee_name,
                address: d.address,
                scheme: d.scheme,
                id: d.decant_id,
            })
            .collect(),
        can_record: officer.holds(RECORD),
        next_page: (!found.next_page_token.is_empty())
            .then(|| format!("{PATH}?page={}", encode(&found.next_page_token))),
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct DecantForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is first shown: a form sent twice records one decant.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    scheme: String,
    #[serde(default)]
    payee_name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    tenure: String,
    #[serde(default, flatten)]
    occupied_since: DateParts,
    #[serde(default)]
    market_value: String,
    #[serde(default)]
    right_to_return: String,
}

impl DecantForm {
    /// The decant, less its application, or each problem on the service's field ids.
    fn decant(&self) -> Result<pb::Decant, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.reference.trim().is_empty() {
            errors.push(FieldError::on(
                "decant-application_id",
                "Enter the household's application reference",
            ));
        }
        for (value, field, message) in [
            (
                &self.scheme,
                "decant-scheme",
                "Enter the regeneration scheme",
            ),
            (&self.payee_name, "decant-payee_name", "Enter who is paid"),
            (&self.address, "decant-address", "Enter the home being left"),
        ] {
            if value.trim().is_empty() {
                errors.push(FieldError::on(field, message));
            }
        }
        let tenure = match self.tenure.as_str() {
            "tenant" => DecantTenure::Tenant,
            "owner_occupier" => DecantTenure::OwnerOccupier,
            _ => {
                errors.push(FieldError::on(
                    "decant-tenure",
                    "Select whether the household are tenants or owner-occupiers",
                ));
                DecantTenure::Unspecified
            }
        };
        let occupied_since = self
            .occupied_since
            .iso("decant-occupied_since", "The date they began living there")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let market_value_pence = if tenure == DecantTenure::OwnerOccupier {
            crate::web::income::amount(
                &self.market_value,
                "decant-market_value_pence",
                "Enter the home's market value",
            )
            .map_err(|e| errors.push(e))
            .unwrap_or_default()
        } else {
            0
        };
        let right_to_return = match self.right_to_return.as_str() {
            "yes" => true,
            "no" => false,
            _ => {
                errors.push(FieldError::on(
                    "decant-right_to_return",
                    "Select whether the household may return to the rebuilt scheme",
                ));
                false
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::Decant {
            scheme: self.scheme.trim().to_owned(),
            payee_name: self.payee_name.trim().to_owned(),
            address: self.address.trim().to_owned(),
            tenure: tenure as i32,
            occupied_since,
            market_value_pence,
            right_to_return,
            ..Default::default()
        })
    }
}

type Choices = &'static [(&'static str, &'static str)];

#[derive(Template)]
#[template(path = "nominations/decant_new.html")]
struct NewPage<'a> {
    page: Page<'a>,
    form: DecantForm,
    tenures: Choices,
    yes_no: Choices,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl NewPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn new_page(officer: &Officer, mut form: DecantForm, errors: Vec<FieldError>) -> Response {
    if form.request_id.is_empty() {
        form.request_id = uuid::Uuid::new_v4().to_string();
    }
    let mut page = Page::new("Record a decant", Some(officer), Section::Nominations);
    page.error_count = errors.len();
    render(&NewPage {
        page,
        form,
        tenures: &[
            ("tenant", "Secure or assured tenants"),
            (
                "owner_occupier",
                "Owner-occupiers (leaseholders or freeholders)",
            ),
        ],
        yes_no: &[("yes", "Yes"), ("no", "No")],
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn new_decant(officer: Officer) -> Result<Response, PageError> {
    officer.require(RECORD)?;
    Ok(new_page(&officer, DecantForm::default(), Vec::new()))
}

pub async fn create(
    State(state): State<crate::web::State>,
    officer: Officer,
    Form(form): Form<DecantForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(RECORD)?;
    let mut decant = match form.decant() {
        Ok(decant) => decant,
        Err(errors) => return Ok(new_page(&officer, form, errors)),
    };
    let path = format!("{PATH}/new");
    let found = state
        .register(&officer, &path)
        .await?
        .search_applications(reg::SearchApplicationsRequest {
            reference: form.reference.trim().to_owned(),
            page_size: 1,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .applications
        .into_iter()
        .next();
    let Some(application) = found else {
        let errors = vec![FieldError::on(
            "decant-application_id",
            format!("No application has the reference {}", form.reference.trim()),
        )];
        return Ok(new_page(&officer, form, errors));
    };
    decant.application_id = application.application_id;
    let answer = state
        .nominations(&officer, &path)
        .await?
        .create_decant(pb::CreateDecantRequest {
            request_id: form.request_id.clone(),
            decant: Some(decant),
        })
        .await;
    match answer {
        Ok(created) => {
            let id = created
                .into_inner()
                .decant
                .map(|d| d.decant_id)
                .unwrap_or_default();
            Ok(Redirect::to(&format!("{PATH}/{id}?recorded=1")).into_response())
        }
        Err(status) => {
            let errors = refusal(status, &path)?;
            Ok(new_page(&officer, form, errors))
        }
    }
}

/// A payment approved, in words.
pub struct Payment {
    pub what: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "nominations/decant.html")]
struct DecantPage<'a> {
    page: Page<'a>,
    decant: DecantView,
    /// Once approved: each payment, and who approved them when.
    payments: Vec<Payment>,
    approved: Option<String>,
    /// The manager may approve its payments now.
    to_approve: bool,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    #[serde(default)]
    recorded: Option<String>,
}

pub async fn show(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, PageError> {
    officer.require(super::OFFICERS)?;
    let path = format!("{PATH}/{id}");
    let decant = state
        .nominations(&officer, &path)
        .await?
        .get_decant(pb::GetDecantRequest {
            decant_id: id.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .decant
        .ok_or(PageError::NotFound)?;
    let people = People::of(
        &state,
        &officer,
        [decant.created_by.as_str(), decant.approved_by.as_str()],
    )
    .await?;
    let status = decant.status();
    let (payments, approved) = if status == DecantStatus::PaymentsApproved {
        let payments = std::iter::once(Payment {
            what: format!("Home-loss payment: {}", decant.home_loss_reason),
            amount: Pence::new(decant.home_loss_pence).to_string(),
        })
        .chain(decant.disturbance.iter().map(|d| Payment {
            what: format!("Disturbance: {}", d.description),
            amount: Pence::new(d.amount_pence).to_string(),
        }))
        .collect();
        let approved = format!(
            "Approved by {} on {}",
            people.who(&decant.approved_by),
            format::timestamp(decant.approved_at.as_ref())
        );
        (payments, Some(approved))
    } else {
        (Vec::new(), None)
    };
    let title = format!("Decant from {}", decant.address);
    Ok(render(&DecantPage {
        page: Page::new(title, Some(&officer), Section::Nominations),
        to_approve: status == DecantStatus::Moved && officer.holds(approvals::DECIDE),
        decant: decant_view(decant, &people),
        payments,
        approved,
        notice: shown
            .recorded
            .is_some()
            .then_some("The decant has been recorded: a decant offer can now be made"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decant_form_names_each_missing_answer_on_the_services_field_ids() {
        let errors = DecantForm::default().decant().unwrap_err();
        let fields: Vec<_> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
        assert_eq!(
            fields,
            [
                "decant-application_id",
                "decant-scheme",
                "decant-payee_name",
                "decant-address",
                "decant-tenure",
                "decant-occupied_since",
                "decant-right_to_return"
            ]
        );
        let owner = DecantForm {
            reference: "REG-1".into(),
            scheme: "Canal Estate".into(),
            payee_name: "Ann Lee".into(),
            address: "1 Canal Estate".into(),
            tenure: "owner_occupier".into(),
            occupied_since: DateParts {
                day: "1".into(),
                month: "2".into(),
                year: "2015".into(),
            },
            market_value: "250,000".into(),
            right_to_return: "no".into(),
            ..Default::default()
        }
        .decant()
        .unwrap();
        assert_eq!(owner.market_value_pence, 25_000_000);
        assert_eq!(owner.occupied_since, "2015-02-01");
    }
}
