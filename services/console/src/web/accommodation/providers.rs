//! The providers temporary accommodation is taken from: listed and found by name, each with
//! the people to call, the agreements its units are taken on and its units' certificates;
//! a provider added, and an agreement added to one.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_proto::accommodation::v1::{self as pb, AgreementKind};
use serde::Deserialize;

use super::{TabLink, WORK, sections, stock};
use crate::format::{self, DateParts, PrefixedDates};
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, encode, error_for, refusal, render};

const PAGE_SIZE: i32 = 25;
/// A provider's units on its page; a provider with more links to the units list.
const UNITS_SHOWN: i32 = 50;

const KINDS: [(AgreementKind, &str, &str); 3] = [
    (
        AgreementKind::BlockBooking,
        "block_booking",
        "Block booking",
    ),
    (
        AgreementKind::SpotPurchase,
        "spot_purchase",
        "Spot purchase",
    ),
    (AgreementKind::Lease, "lease", "Lease"),
];

fn kind_words(kind: i32) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _, _)| *k as i32 == kind)
        .map(|(_, _, words)| *words)
        .unwrap_or("Other")
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    name: String,
    #[serde(default)]
    page: String,
}

pub struct ProviderRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub landlord: bool,
    pub agreements: usize,
}

#[derive(Template)]
#[template(path = "accommodation/providers.html")]
struct ProvidersPage<'a> {
    page: Page<'a>,
    sections: Vec<TabLink>,
    name: String,
    rows: Vec<ProviderRow>,
    next_page: Option<String>,
}

pub async fn providers(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let path = "/accommodation/providers";
    let name = query.name.trim().to_owned();
    let found = state
        .accommodation(&officer, path)
        .await?
        .list_providers(pb::ListProvidersRequest {
            page_size: PAGE_SIZE,
            page_token: query.page,
            name_contains: name.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner();
    let next_page = (!found.next_page_token.is_empty()).then(|| {
        format!(
            "{path}?name={}&page={}",
            encode(&name),
            encode(&found.next_page_token)
        )
    });
    Ok(render(&ProvidersPage {
        page: Page::new("Providers", Some(&officer), Section::Accommodation),
        sections: sections(path),
        rows: found
            .providers
            .into_iter()
            .map(|p| ProviderRow {
                agreements: p.agreements.len(),
                id: p.provider_id,
                name: p.name,
                email: p.contact_email,
                landlord: p.landlord,
            })
            .collect(),
        name,
        next_page,
    }))
}

pub struct AgreementView {
    pub kind: &'static str,
    pub reference: String,
    pub starts: String,
    pub ends: String,
    /// In force today, not yet begun, or ended.
    pub state: (&'static str, &'static str),
}

fn agreement_view(a: pb::Agreement) -> AgreementView {
    let today = housing_platform::time::today()
        .format("%Y-%m-%d")
        .to_string();
    // ISO dates compare as text.
    let state = if a.ends_on.as_str() <= today.as_str() {
        ("Ended", "govuk-tag--grey")
    } else if a.starts_on.as_str() > today.as_str() {
        ("Not yet begun", "govuk-tag--blue")
    } else {
        ("In force", "govuk-tag--green")
    };
    AgreementView {
        kind: kind_words(a.kind),
        starts: format::date(&a.starts_on),
        ends: format::date(&a.ends_on),
        reference: a.reference,
        state,
    }
}

#[derive(Template)]
#[template(path = "accommodation/provider.html")]
struct ProviderPage<'a> {
    page: Page<'a>,
    id: String,
    email: String,
    landlord: bool,
    contacts: Vec<pb::Contact>,
    agreements: Vec<AgreementView>,
    units: Vec<stock::UnitRow>,
    more_units: bool,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    #[serde(default)]
    added: Option<String>,
    #[serde(default)]
    agreed: Option<String>,
}

async fn fetch(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<pb::Provider, PageError> {
    state
        .accommodation(officer, path)
        .await?
        .get_provider(pb::GetProviderRequest {
            provider_id: id.to_owned(),
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .provider
        .ok_or(PageError::NotFound)
}

pub async fn provider(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let path = format!("/accommodation/providers/{id}");
    let provider = fetch(&state, &officer, &id, &path).await?;
    let units = state
        .accommodation(&officer, &path)
        .await?
        .list_units(pb::ListUnitsRequest {
            page_size: UNITS_SHOWN,
            provider_id: id.clone(),
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner();
    let notice = if shown.added.is_some() {
        Some("The provider has been added")
    } else if shown.agreed.is_some() {
        Some("The agreement has been added")
    } else {
        None
    };
    Ok(render(&ProviderPage {
        page: Page::new(provider.name, Some(&officer), Section::Accommodation),
        id,
        email: provider.contact_email,
        landlord: provider.landlord,
        contacts: provider.contacts,
        agreements: provider
            .agreements
            .into_iter()
            .map(agreement_view)
            .collect(),
        more_units: !units.next_page_token.is_empty(),
        units: units
            .units
            .into_iter()
            .map(|u| stock::UnitRow::new(u, ""))
            .collect(),
        notice,
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct ProviderForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is shown: posting it twice adds the provider once.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact_email: String,
}

#[derive(Template)]
#[template(path = "accommodation/provider_new.html")]
struct NewProviderPage<'a> {
    page: Page<'a>,
    form: ProviderForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl NewProviderPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn new_provider_page(
    officer: &Officer,
    mut form: ProviderForm,
    errors: Vec<FieldError>,
) -> Response {
    if form.request_id.is_empty() {
        form.request_id = uuid::Uuid::new_v4().to_string();
    }
    let mut page = Page::new("Add a provider", Some(officer), Section::Accommodation);
    page.error_count = errors.len();
    render(&NewProviderPage {
        page,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn new_provider(officer: Officer) -> Result<Response, PageError> {
    officer.require(WORK)?;
    Ok(new_provider_page(
        &officer,
        ProviderForm::default(),
        Vec::new(),
    ))
}

pub async fn create_provider(
    State(state): State<crate::web::State>,
    officer: Officer,
    Form(form): Form<ProviderForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let path = "/accommodation/providers/new";
    // The service names each field it refuses, as the form's ids.
    match state
        .accommodation(&officer, path)
        .await?
        .create_provider(pb::CreateProviderRequest {
            request_id: form.request_id.clone(),
            name: form.name.trim().to_owned(),
            contact_email: form.contact_email.trim().to_owned(),
        })
        .await
    {
        Ok(created) => {
            let id = created
                .into_inner()
                .provider
                .map(|p| p.provider_id)
                .unwrap_or_default();
            Ok(Redirect::to(&format!("/accommodation/providers/{id}?added=1")).into_response())
        }
        Err(status) => Ok(new_provider_page(&officer, form, refusal(status, path)?)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AgreementForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reference: String,
    #[serde(default, flatten)]
    dates: PrefixedDates,
}

impl AgreementForm {
    fn starts(&self) -> DateParts {
        self.dates.get("starts-")
    }

    fn ends(&self) -> DateParts {
        self.dates.get("ends-")
    }

    /// The agreement, or each field the console can tell is wrong before asking the service
    /// (which checks the rest: the reference, and that it ends after it starts).
    fn request(&self, provider_id: &str) -> Result<pb::AddAgreementRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = KINDS.iter().find(|(_, value, _)| *value == self.kind);
        if kind.is_none() {
            errors.push(FieldError::on(
                "agreement-kind",
                "Select the kind of agreement",
            ));
        }
        if self.reference.trim().is_empty() {
            errors.push(FieldError::on(
                "agreement-reference",
                "Enter the agreement's reference",
            ));
        }
        let starts_on = self
            .starts()
            .read("agreement-starts_on", "The start date", &mut errors);
        let ends_on = self
            .ends()
            .read("agreement-ends_on", "The end date", &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::AddAgreementRequest {
            provider_id: provider_id.to_owned(),
            agreement: Some(pb::Agreement {
                kind: kind.map(|(k, _, _)| *k as i32).unwrap_or_default(),
                reference: self.reference.trim().to_owned(),
                starts_on,
                ends_on,
                ..Default::default()
            }),
        })
    }
}

#[derive(Template)]
#[template(path = "accommodation/agreement_new.html")]
struct NewAgreementPage<'a> {
    page: Page<'a>,
    id: String,
    provider: String,
    kinds: Vec<(&'static str, &'static str)>,
    form: AgreementForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl NewAgreementPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn new_agreement_page(
    officer: &Officer,
    provider: pb::Provider,
    form: AgreementForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new("Add an agreement", Some(officer), Section::Accommodation);
    page.error_count = errors.len();
    render(&NewAgreementPage {
        page,
        id: provider.provider_id,
        provider: provider.name,
        kinds: KINDS.iter().map(|(_, v, w)| (*v, *w)).collect(),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn agreement_path(id: &str) -> String {
    format!("/accommodation/providers/{id}/agreements/new")
}

pub async fn new_agreement(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let provider = fetch(&state, &officer, &id, &agreement_path(&id)).await?;
    Ok(new_agreement_page(
        &officer,
        provider,
        AgreementForm::default(),
        Vec::new(),
    ))
}

pub async fn add_agreement(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<AgreementForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let path = agreement_path(&id);
    let provider = fetch(&state, &officer, &id, &path).await?;
    let request = match form.request(&id) {
        Ok(request) => request,
        Err(errors) => return Ok(new_agreement_page(&officer, provider, form, errors)),
    };
    match state
        .accommodation(&officer, &path)
        .await?
        .add_agreement(request)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/accommodation/providers/{id}?agreed=1")).into_response())
        }
        // The one precondition: a provider's references are its own and not reused.
        Err(status) if status.code() == tonic::Code::FailedPrecondition => Ok(new_agreement_page(
            &officer,
            provider,
            form,
            vec![FieldError::on(
                "agreement-reference",
                "This provider already has an agreement with this reference",
            )],
        )),
        Err(status) => {
            let errors = refusal(status, &path)?;
            Ok(new_agreement_page(&officer, provider, form, errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agreement_needs_a_kind_a_reference_and_two_real_dates() {
        let form = |query: &str| serde_urlencoded::from_str::<AgreementForm>(query).unwrap();
        let fields: Vec<_> = form("starts-day=31&starts-month=2&starts-year=2026")
            .request("p")
            .unwrap_err()
            .into_iter()
            .filter_map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "agreement-kind",
                "agreement-reference",
                "agreement-starts_on",
                "agreement-ends_on"
            ]
        );
        let request = form(
            "kind=lease&reference=+GL-7+&starts-day=1&starts-month=4&starts-year=2026\
             &ends-day=31&ends-month=3&ends-year=2029",
        )
        .request("p")
        .unwrap();
        let agreement = request.agreement.unwrap();
        assert_eq!(
            (
                agreement.kind,
                agreement.reference.as_str(),
                agreement.starts_on.as_str(),
                agreement.ends_on.as_str()
            ),
            (
                AgreementKind::Lease as i32,
                "GL-7",
                "2026-04-01",
                "2029-03-31"
            )
        );
    }
}
