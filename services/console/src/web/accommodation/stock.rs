//! The units temporary accommodation offers: listed with whether their certificates are in
//! date, each read with its certificates and history, a certificate renewed, and a unit
//! withdrawn from use. A unit with a lapsed certificate is not offered until it is renewed.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveDate};
use housing_platform::money::Pence;
use housing_proto::accommodation::v1::{self as pb, CertificateKind};
use serde::Deserialize;

use super::{TabLink, WORK, sections, unit_type_words};
use crate::format::{self, DateParts, PrefixedDates};
use crate::session::Officer;
use crate::web::people::People;
use crate::web::{FieldError, Page, PageError, Section, encode, error_for, refusal, render};

const PAGE_SIZE: i32 = 25;
/// A certificate this close to its expiry is flagged, so it is renewed before it lapses.
const EXPIRING_WITHIN_DAYS: u64 = 30;
/// Providers offered in the units list's filter.
const PROVIDERS_LISTED: i32 = 100;

const KINDS: [(CertificateKind, &str, &str); 5] = [
    (CertificateKind::GasSafety, "gas_safety", "Gas safety"),
    (
        CertificateKind::Electrical,
        "electrical",
        "Electrical safety",
    ),
    (
        CertificateKind::EnergyPerformance,
        "energy_performance",
        "Energy performance",
    ),
    (CertificateKind::HmoLicence, "hmo_licence", "HMO licence"),
    (
        CertificateKind::FireRiskAssessment,
        "fire_risk_assessment",
        "Fire risk assessment",
    ),
];

fn kind_words(kind: i32) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _, _)| *k as i32 == kind)
        .map(|(_, _, words)| *words)
        .unwrap_or("Other certificate")
}

/// Where a certificate stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Standing {
    Valid,
    Expiring,
    Lapsed,
}

impl Standing {
    /// As the service reads it: a certificate is good to the end of its expiry date.
    fn of(expires_on: &str, today: NaiveDate) -> Self {
        match NaiveDate::parse_from_str(expires_on, "%Y-%m-%d") {
            Ok(expires) if expires < today => Standing::Lapsed,
            Ok(expires) if expires <= today + Days::new(EXPIRING_WITHIN_DAYS) => Standing::Expiring,
            Ok(_) => Standing::Valid,
            Err(_) => Standing::Lapsed,
        }
    }

    fn tag(self) -> (&'static str, &'static str) {
        match self {
            Standing::Valid => ("Valid", "govuk-tag--green"),
            Standing::Expiring => ("Expires within 30 days", "govuk-tag--yellow"),
            Standing::Lapsed => ("Lapsed", "govuk-tag--red"),
        }
    }

    /// A unit's certificates together: as the worst of them.
    fn unit_tag(self) -> (&'static str, &'static str) {
        match self {
            Standing::Valid => ("Certificates valid", "govuk-tag--green"),
            Standing::Expiring => ("Certificate expiring", "govuk-tag--yellow"),
            Standing::Lapsed => ("Certificate lapsed", "govuk-tag--red"),
        }
    }
}

fn worst(certificates: &[pb::Certificate], today: NaiveDate) -> Standing {
    certificates
        .iter()
        .map(|c| Standing::of(&c.expires_on, today))
        .max()
        .unwrap_or(Standing::Valid)
}

/// A unit as a list shows it.
pub struct UnitRow {
    pub id: String,
    pub address: String,
    pub unit_type: &'static str,
    pub provider: String,
    pub bedrooms: i32,
    pub cost: String,
    pub compliance: (&'static str, &'static str),
}

impl UnitRow {
    pub fn new(u: pb::Unit, provider: &str) -> Self {
        let today = housing_platform::time::today();
        UnitRow {
            compliance: worst(&u.certificates, today).unit_tag(),
            address: u.address,
            unit_type: unit_type_words(u.unit_type),
            provider: provider.to_owned(),
            bedrooms: u.bedrooms,
            cost: Pence::new(u.weekly_cost_pence).to_string(),
            id: u.unit_id,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    provider: String,
    #[serde(default)]
    certificates: String,
    #[serde(default)]
    page: String,
}

/// The units list's tabs: its `certificates` value, the service's filter, and the words.
const COMPLIANCE_TABS: [(&str, pb::UnitCompliance, &str); 4] = [
    ("", pb::UnitCompliance::Unspecified, "All units"),
    (
        "expiring-or-lapsed",
        pb::UnitCompliance::ExpiringOrLapsed,
        "Certificates expiring or lapsed",
    ),
    (
        "expiring",
        pb::UnitCompliance::Expiring,
        "Certificate expiring",
    ),
    ("lapsed", pb::UnitCompliance::Lapsed, "Certificate lapsed"),
];

#[derive(Template)]
#[template(path = "accommodation/unit_list.html")]
struct UnitsPage<'a> {
    page: Page<'a>,
    sections: Vec<TabLink>,
    providers: Vec<(String, String)>,
    provider: String,
    tabs: Vec<TabLink>,
    certificates: &'static str,
    units: Vec<UnitRow>,
    next_page: Option<String>,
}

pub async fn units(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let path = "/accommodation/units";
    let mut client = state.accommodation(&officer, path).await?;
    let providers: Vec<(String, String)> = client
        .list_providers(pb::ListProvidersRequest {
            page_size: PROVIDERS_LISTED,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .providers
        .into_iter()
        .map(|p| (p.provider_id, p.name))
        .collect();
    let (certificates, compliance, _) = COMPLIANCE_TABS
        .iter()
        .find(|(value, _, _)| *value == query.certificates)
        .copied()
        .unwrap_or(COMPLIANCE_TABS[0]);
    let found = client
        .list_units(pb::ListUnitsRequest {
            page_size: PAGE_SIZE,
            page_token: query.page,
            provider_id: query.provider.clone(),
            compliance: compliance as i32,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner();
    let names: HashMap<&str, &str> = providers
        .iter()
        .map(|(id, name)| (id.as_str(), name.as_str()))
        .collect();
    let units = found
        .units
        .into_iter()
        .map(|u| {
            let provider = names.get(u.provider_id.as_str()).copied().unwrap_or("");
            UnitRow::new(u, provider)
        })
        .collect();
    let next_page = (!found.next_page_token.is_empty()).then(|| {
        format!(
            "{path}?provider={}&certificates={certificates}&page={}",
            encode(&query.provider),
            encode(&found.next_page_token)
        )
    });
    let tabs = COMPLIANCE_TABS
        .iter()
        .map(|(value, _, text)| TabLink {
            text,
            href: format!(
                "{path}?provider={}&certificates={value}",
                encode(&query.provider)
            ),
            current: *value == certificates,
        })
        .collect();
    Ok(render(&UnitsPage {
        page: Page::new("Units", Some(&officer), Section::Accommodation),
        sections: sections(path),
        providers,
        provider: query.provider,
        tabs,
        certificates,
        units,
        next_page,
    }))
}

pub struct CertificateView {
    pub kind: &'static str,
    pub value: &'static str,
    pub issued: String,
    pub expires: String,
    pub state: (&'static str, &'static str),
}

pub struct ChangeView {
    pub title: String,
    pub detail: String,
    pub by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "accommodation/unit.html")]
struct UnitPage<'a> {
    page: Page<'a>,
    id: String,
    provider_id: String,
    provider: String,
    unit_type: &'static str,
    authority: String,
    bedrooms: i32,
    sleeps: i32,
    features: String,
    weekly_cost: String,
    nightly_cost: Option<String>,
    rent: String,
    service_charge: String,
    block_booked: bool,
    withdrawn_on: String,
    occupied: bool,
    compliance: (&'static str, &'static str),
    certificates: Vec<CertificateView>,
    history: Vec<ChangeView>,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    #[serde(default)]
    renewed: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
}

fn change_words(change: &str) -> String {
    match change {
        "created" => "Registered".into(),
        "updated" => "Updated".into(),
        "certificate_renewed" => "Certificate renewed".into(),
        "withdrawn" => "Withdrawn".into(),
        other => crate::web::sentence(&other.replace('_', " ")),
    }
}

async fn fetch(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<pb::GetUnitResponse, PageError> {
    let found = state
        .accommodation(officer, path)
        .await?
        .get_unit(pb::GetUnitRequest {
            unit_id: id.to_owned(),
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner();
    if found.unit.is_none() {
        return Err(PageError::NotFound);
    }
    Ok(found)
}

pub async fn unit(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let path = format!("/accommodation/units/{id}");
    let found = fetch(&state, &officer, &id, &path).await?;
    let unit = found.unit.unwrap_or_default();
    let provider = state
        .accommodation(&officer, &path)
        .await?
        .get_provider(pb::GetProviderRequest {
            provider_id: unit.provider_id.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .provider
        .map(|p| p.name)
        .unwrap_or_default();
    let people = People::of(
        &state,
        &officer,
        found.history.iter().map(|c| c.changed_by.as_str()),
    )
    .await?;
    let today = housing_platform::time::today();
    let features: Vec<&str> = [
        (unit.self_contained, "self-contained"),
        (unit.step_free, "step-free"),
        (unit.wheelchair_accessible, "wheelchair accessible"),
        (unit.lift, "a lift to its floor"),
    ]
    .into_iter()
    .filter_map(|(has, words)| has.then_some(words))
    .collect();
    let mut history: Vec<ChangeView> = found
        .history
        .iter()
        .map(|c| ChangeView {
            title: change_words(&c.change),
            detail: c.detail.clone(),
            by: people.who(&c.changed_by),
            at: format::timestamp(c.changed_at.as_ref()),
        })
        .collect();
    // Newest first, as a timeline reads.
    history.reverse();
    let notice = if shown.renewed.is_some() {
        Some("The certificate has been renewed")
    } else if shown.withdrawn.is_some() {
        Some("The unit has been withdrawn: it is no longer offered")
    } else {
        None
    };
    Ok(render(&UnitPage {
        page: Page::new(unit.address.clone(), Some(&officer), Section::Accommodation),
        id,
        provider_id: unit.provider_id.clone(),
        provider,
        unit_type: unit_type_words(unit.unit_type),
        authority: unit.local_authority.clone(),
        bedrooms: unit.bedrooms,
        sleeps: unit.max_occupancy,
        features: crate::web::sentence(&if features.is_empty() {
            "none of these: self-contained, step-free, wheelchair accessible, a lift".to_owned()
        } else {
            features.join(", ")
        }),
        weekly_cost: Pence::new(unit.weekly_cost_pence).to_string(),
        nightly_cost: (unit.nightly_cost_pence > 0)
            .then(|| Pence::new(unit.nightly_cost_pence).to_string()),
        rent: Pence::new(unit.weekly_rent_pence).to_string(),
        service_charge: Pence::new(unit.weekly_service_charge_pence).to_string(),
        block_booked: unit.block_booked,
        withdrawn_on: format::date(&found.withdrawn_on),
        occupied: found.occupied,
        compliance: worst(&unit.certificates, today).unit_tag(),
        certificates: unit
            .certificates
            .iter()
            .map(|c| CertificateView {
                kind: kind_words(c.kind),
                value: KINDS
                    .iter()
                    .find(|(k, _, _)| *k as i32 == c.kind)
                    .map(|(_, v, _)| *v)
                    .unwrap_or(""),
                issued: format::date(&c.issued_on),
                expires: format::date(&c.expires_on),
                state: Standing::of(&c.expires_on, today).tag(),
            })
            .collect(),
        history,
        notice,
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct RenewalForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    kind: String,
    #[serde(default, flatten)]
    dates: PrefixedDates,
}

impl RenewalForm {
    fn issued(&self) -> DateParts {
        self.dates.get("issued-")
    }

    fn expires(&self) -> DateParts {
        self.dates.get("expires-")
    }

    /// The renewal, or each field the console can tell is wrong before asking the service
    /// (which checks the rest: issued by today, and expiring after it was issued).
    fn request(&self, unit_id: &str) -> Result<pb::RenewCertificateRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = KINDS.iter().find(|(_, value, _)| *value == self.kind);
        if kind.is_none() {
            errors.push(FieldError::on(
                "certificate-kind",
                "Select the certificate renewed",
            ));
        }
        let issued_on = self
            .issued()
            .read("certificate-issued_on", "The date issued", &mut errors);
        let expires_on =
            self.expires()
                .read("certificate-expires_on", "The expiry date", &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::RenewCertificateRequest {
            unit_id: unit_id.to_owned(),
            certificate: Some(pb::Certificate {
                kind: kind.map(|(k, _, _)| *k as i32).unwrap_or_default(),
                issued_on,
                expires_on,
            }),
        })
    }
}

#[derive(Template)]
#[template(path = "accommodation/certificate_renew.html")]
struct RenewalPage<'a> {
    page: Page<'a>,
    id: String,
    address: String,
    kinds: Vec<(&'static str, &'static str)>,
    form: RenewalForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl RenewalPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn renewal_page(
    officer: &Officer,
    id: &str,
    address: String,
    form: RenewalForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new("Renew a certificate", Some(officer), Section::Accommodation);
    page.error_count = errors.len();
    render(&RenewalPage {
        page,
        id: id.to_owned(),
        address,
        kinds: KINDS.iter().map(|(_, v, w)| (*v, *w)).collect(),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn renewal_path(id: &str) -> String {
    format!("/accommodation/units/{id}/certificates")
}

#[derive(Debug, Default, Deserialize)]
pub struct RenewalQuery {
    #[serde(default)]
    kind: String,
}

pub async fn edit_renewal(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(query): Query<RenewalQuery>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let found = fetch(&state, &officer, &id, &renewal_path(&id)).await?;
    let form = RenewalForm {
        kind: query.kind,
        ..Default::default()
    };
    Ok(renewal_page(
        &officer,
        &id,
        found.unit.unwrap_or_default().address,
        form,
        Vec::new(),
    ))
}

pub async fn renew_certificate(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<RenewalForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let path = renewal_path(&id);
    let address = fetch(&state, &officer, &id, &path)
        .await?
        .unit
        .unwrap_or_default()
        .address;
    let request = match form.request(&id) {
        Ok(request) => request,
        Err(errors) => return Ok(renewal_page(&officer, &id, address, form, errors)),
    };
    match state
        .accommodation(&officer, &path)
        .await?
        .renew_certificate(request)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/accommodation/units/{id}?renewed=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, &path)?;
            Ok(renewal_page(&officer, &id, address, form, errors))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct WithdrawalForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "accommodation/unit_withdraw.html")]
struct WithdrawalPage<'a> {
    page: Page<'a>,
    id: String,
    form: WithdrawalForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl WithdrawalPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn withdrawal_page(
    officer: &Officer,
    id: &str,
    address: &str,
    form: WithdrawalForm,
    errors: Vec<FieldError>,
) -> Response {
    let mut page = Page::new(
        format!("Withdraw {address}"),
        Some(officer),
        Section::Accommodation,
    );
    page.error_count = errors.len();
    render(&WithdrawalPage {
        page,
        id: id.to_owned(),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

fn withdrawal_path(id: &str) -> String {
    format!("/accommodation/units/{id}/withdraw")
}

/// The unit at `path`, while it may still be withdrawn.
async fn in_use(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<pb::Unit, PageError> {
    let found = fetch(state, officer, id, path).await?;
    if !found.withdrawn_on.is_empty() {
        return Err(PageError::NotFound);
    }
    Ok(found.unit.unwrap_or_default())
}

pub async fn edit_withdrawal(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let unit = in_use(&state, &officer, &id, &withdrawal_path(&id)).await?;
    Ok(withdrawal_page(
        &officer,
        &id,
        &unit.address,
        WithdrawalForm::default(),
        Vec::new(),
    ))
}

pub async fn withdraw_unit(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<WithdrawalForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let path = withdrawal_path(&id);
    let unit = in_use(&state, &officer, &id, &path).await?;
    if form.reason.trim().is_empty() {
        let errors = vec![FieldError::on("reason", "Enter why the unit is withdrawn")];
        return Ok(withdrawal_page(&officer, &id, &unit.address, form, errors));
    }
    match state
        .accommodation(&officer, &path)
        .await?
        .withdraw_unit(pb::WithdrawUnitRequest {
            unit_id: id.clone(),
            reason: form.reason.trim().to_owned(),
        })
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/accommodation/units/{id}?withdrawn=1")).into_response())
        }
        Err(status) => {
            let errors = refusal(status, &path)?;
            Ok(withdrawal_page(&officer, &id, &unit.address, form, errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_is_valid_then_expiring_then_lapsed() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(Standing::of("2027-01-01", today), Standing::Valid);
        assert_eq!(Standing::of("2026-12-31", today), Standing::Expiring);
        assert_eq!(Standing::of("2026-12-01", today), Standing::Expiring);
        assert_eq!(Standing::of("2026-11-30", today), Standing::Lapsed);
        let certificates = |expiries: &[&str]| -> Vec<pb::Certificate> {
            expiries
                .iter()
                .map(|e| pb::Certificate {
                    expires_on: (*e).into(),
                    ..Default::default()
                })
                .collect()
        };
        assert_eq!(
            worst(&certificates(&["2027-06-01", "2026-12-10"]), today),
            Standing::Expiring
        );
        assert_eq!(
            worst(&certificates(&["2026-12-10", "2026-01-01"]), today),
            Standing::Lapsed
        );
    }

    #[test]
    fn a_renewal_names_the_certificate_and_two_real_dates() {
        let fields: Vec<_> = RenewalForm::default()
            .request("u")
            .unwrap_err()
            .into_iter()
            .filter_map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "certificate-kind",
                "certificate-issued_on",
                "certificate-expires_on"
            ]
        );
        let renewal = serde_urlencoded::from_str::<RenewalForm>(
            "kind=gas_safety&issued-day=2&issued-month=11&issued-year=2026\
             &expires-day=1&expires-month=11&expires-year=2027",
        )
        .unwrap()
        .request("u")
        .unwrap()
        .certificate
        .unwrap();
        assert_eq!(
            (
                renewal.kind,
                renewal.issued_on.as_str(),
                renewal.expires_on.as_str()
            ),
            (
                CertificateKind::GasSafety as i32,
                "2026-11-02",
                "2027-11-01"
            )
        );
    }
}
