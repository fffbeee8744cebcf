//! The rent deposit and bond scheme: a bond guaranteeing a private landlord's deposit,
//! issued from the household's rent account; the landlord's claims paid against it, and the
//! household's repayments of what was paid.
//!
//! A bond is reached from the household's rent account, which lists its bonds, or by its
//! reference (its id) on the find page.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::money::Pence;
use housing_proto::rent::v1 as pb;
use serde::Deserialize;

use super::{INCOME, READ};
use crate::format::{self, DateParts};
use crate::session::Officer;
use crate::web::people::People;
use crate::web::{FieldError, Page, PageError, Section, encode, refusal, render};

const PATH: &str = "/income/bonds";

fn bond_path(id: &str) -> String {
    format!("{PATH}/{}", encode(id))
}

/// The bond `id` and its history, for a page at `path`.
async fn fetch(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<(pb::Bond, Vec<pb::BondEvent>), PageError> {
    let found = state
        .rent(officer, path)
        .await?
        .get_bond(pb::GetBondRequest {
            bond_id: id.to_owned(),
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner();
    Ok((found.bond.ok_or(PageError::NotFound)?, found.history))
}

pub struct BondView {
    pub id: String,
    pub household_name: String,
    pub landlord: String,
    pub property_address: String,
    pub application_id: String,
    pub issued_on: String,
    pub guaranteed: String,
    pub claimed: String,
    /// What the bond still guarantees after the claims paid.
    pub left: String,
    /// What the household still owes for the claims paid.
    pub owed: String,
    pub repaid: String,
    pub status: (&'static str, &'static str),
    pub can_claim: bool,
    pub can_repay: bool,
}

impl From<&pb::Bond> for BondView {
    fn from(b: &pb::Bond) -> Self {
        let money = |p: i64| Pence::new(p).to_string();
        let left = b.guaranteed_pence.saturating_sub(b.claimed_pence).max(0);
        let status = match pb::BondState::try_from(b.state) {
            Ok(pb::BondState::BeingRepaid) => ("Claimed: being repaid", "govuk-tag--orange"),
            Ok(pb::BondState::Repaid) => ("Claimed: repaid in full", "govuk-tag--green"),
            _ => ("No claims", "govuk-tag--blue"),
        };
        Self {
            id: b.bond_id.clone(),
            household_name: b.household_name.clone(),
            landlord: b.landlord.clone(),
            property_address: b.property_address.clone(),
            application_id: b.application_id.clone(),
            issued_on: format::date(&b.issued_on),
            guaranteed: money(b.guaranteed_pence),
            claimed: money(b.claimed_pence),
            left: money(left),
            owed: money(b.debt_pence),
            repaid: money(b.claimed_pence.saturating_sub(b.debt_pence).max(0)),
            status,
            can_claim: left > 0,
            can_repay: b.debt_pence > 0,
        }
    }
}

/// A line of a bond's history.
pub struct EventRow {
    pub what: &'static str,
    pub on: String,
    pub amount: String,
    pub reason: String,
    pub by: String,
    pub at: String,
}

fn event_row(e: &pb::BondEvent, people: &People) -> EventRow {
    let what = match pb::BondEventKind::try_from(e.kind) {
        Ok(pb::BondEventKind::Issued) => "Issued",
        Ok(pb::BondEventKind::Claim) => "Claim paid to the landlord",
        Ok(pb::BondEventKind::Repayment) => "Repayment by the household",
        Ok(pb::BondEventKind::Reversal) => "Reversal",
        _ => "Other",
    };
    EventRow {
        what,
        on: format::date(&e.effective_on),
        amount: Pence::new(e.amount_pence).to_string(),
        reason: e.reason.clone(),
        by: crate::web::sentence(&people.who(&e.recorded_by)),
        at: format::timestamp(e.recorded_at.as_ref()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct BondQuery {
    #[serde(default)]
    issued: Option<String>,
    #[serde(default)]
    claimed: Option<String>,
    #[serde(default)]
    repaid: Option<String>,
}

#[derive(Template)]
#[template(path = "income/bond.html")]
struct BondPage<'a> {
    page: Page<'a>,
    bond: BondView,
    history: Vec<EventRow>,
    /// The rent account of the bond's application, if it has one.
    account: Option<(String, String)>,
    can_act: bool,
    can_read_register: bool,
    notice: Option<&'static str>,
}

pub async fn show(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(query): Query<BondQuery>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let path = bond_path(&id);
    let (bond, history) = fetch(&state, &officer, &id, &path).await?;
    let people = People::of(
        &state,
        &officer,
        history.iter().map(|e| e.recorded_by.as_str()),
    )
    .await?;
    let account = if bond.application_id.is_empty() {
        None
    } else {
        state
            .rent(&officer, &path)
            .await?
            .list_accounts(pb::ListAccountsRequest {
                application_id: bond.application_id.clone(),
                page_size: 1,
                ..Default::default()
            })
            .await
            .map_err(|s| PageError::from_status(s, &path))?
            .into_inner()
            .accounts
            .into_iter()
            .find_map(|summary| summary.account)
            .map(|a| (a.account_id, a.payment_reference))
    };
    let notice = if query.issued.is_some() {
        Some("The bond has been issued: note its reference to find it again")
    } else if query.claimed.is_some() {
        Some("The claim has been paid and charged to the household")
    } else if query.repaid.is_some() {
        Some("The repayment has been recorded")
    } else {
        None
    };
    let view = BondView::from(&bond);
    Ok(render(&BondPage {
        page: Page::new(
            format!("Bond for {}", view.household_name),
            Some(&officer),
            Section::Income,
        ),
        bond: view,
        history: history.iter().map(|e| event_row(e, &people)).collect(),
        account,
        can_act: officer.holds(INCOME),
        can_read_register: officer.holds(crate::web::register::READ),
        notice,
    }))
}

/// How many of a household's bonds its account page lists at a time.
const ACCOUNT_PAGE: i32 = 10;

/// A page of the bonds of the household of the rent account `account_id`, from
/// `page_token`, with the token of the next page when there is one.
pub async fn of_account(
    rent: &mut pb::rent_service_client::RentServiceClient<crate::services::Authed>,
    account_id: &str,
    page_token: &str,
    path: &str,
) -> Result<(Vec<BondView>, Option<String>), PageError> {
    let found = rent
        .list_bonds(pb::ListBondsRequest {
            holder: Some(pb::list_bonds_request::Holder::AccountId(
                account_id.to_owned(),
            )),
            page_size: ACCOUNT_PAGE,
            page_token: page_token.to_owned(),
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner();
    let next = Some(found.next_page_token).filter(|token| !token.is_empty());
    Ok((found.bonds.iter().map(BondView::from).collect(), next))
}

#[derive(Debug, Default, Deserialize)]
pub struct FindQuery {
    #[serde(default)]
    reference: String,
}

#[derive(Template)]
#[template(path = "income/bond_find.html")]
struct FindPage<'a> {
    page: Page<'a>,
    reference: String,
    errors: Vec<FieldError>,
}

/// Finds a bond by its reference and goes to its page.
pub async fn find(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<FindQuery>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let reference = query.reference.trim().to_ascii_lowercase();
    let mut errors = Vec::new();
    if !reference.is_empty() {
        let answer = state
            .rent(&officer, PATH)
            .await?
            .get_bond(pb::GetBondRequest {
                bond_id: reference.clone(),
            })
            .await;
        match answer {
            Ok(_) => return Ok(Redirect::to(&bond_path(&reference)).into_response()),
            Err(status) => match status.code() {
                tonic::Code::InvalidArgument => errors.push(FieldError::on(
                    "reference",
                    "Enter the bond's reference as it was given when the bond was issued",
                )),
                tonic::Code::NotFound => errors.push(FieldError::on(
                    "reference",
                    format!("No bond has the reference {reference}"),
                )),
                _ => return Err(PageError::from_status(status, PATH)),
            },
        }
    }
    let mut page = Page::new("Find a bond", Some(&officer), Section::Income);
    page.error_count = errors.len();
    Ok(render(&FindPage {
        page,
        reference,
        errors,
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is shown: posting it twice issues one bond.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    household_name: String,
    #[serde(default)]
    landlord: String,
    #[serde(default)]
    property_address: String,
    #[serde(default)]
    guaranteed: String,
    #[serde(default, flatten)]
    issued: DateParts,
}

impl IssueForm {
    fn request(&self, application_id: &str) -> Result<pb::IssueBondRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, value, missing) in [
            (
                "household_name",
                &self.household_name,
                "Enter the household's name",
            ),
            ("landlord", &self.landlord, "Enter the landlord's name"),
            (
                "property_address",
                &self.property_address,
                "Enter the address of the property",
            ),
        ] {
            if value.trim().is_empty() {
                errors.push(FieldError::on(field, missing));
            }
        }
        let guaranteed = super::amount(
            &self.guaranteed,
            "guaranteed_pence",
            "Enter the amount the bond guarantees",
        )
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
        let issued_on = self
            .issued
            .iso("issued_on", "The date issued")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::IssueBondRequest {
            request_id: self.request_id.clone(),
            application_id: application_id.to_owned(),
            household_name: self.household_name.trim().to_owned(),
            landlord: self.landlord.trim().to_owned(),
            property_address: self.property_address.trim().to_owned(),
            guaranteed_pence: guaranteed,
            issued_on,
        })
    }
}

#[derive(Template)]
#[template(path = "income/bond_issue.html")]
struct IssuePage<'a> {
    page: Page<'a>,
    account: super::AccountHeading,
    form: IssueForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl IssuePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn issue_path(account_id: &str) -> String {
    format!("/income/accounts/{account_id}/bond")
}

fn issue_page(
    officer: &Officer,
    account: &pb::RentAccount,
    mut form: IssueForm,
    errors: Vec<FieldError>,
) -> Response {
    super::fresh_request_id(&mut form.request_id);
    let mut page = Page::new("Issue a bond", Some(officer), Section::Income);
    page.error_count = errors.len();
    render(&IssuePage {
        page,
        account: account.into(),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn new_bond(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(INCOME)?;
    let account = super::fetch(&state, &officer, &id, &issue_path(&id)).await?;
    Ok(issue_page(
        &officer,
        &account,
        IssueForm::default(),
        Vec::new(),
    ))
}

pub async fn issue(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<IssueForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(INCOME)?;
    let path = issue_path(&id);
    let account = super::fetch(&state, &officer, &id, &path).await?;
    let request = match form.request(&account.application_id) {
        Ok(request) => request,
        Err(errors) => return Ok(issue_page(&officer, &account, form, errors)),
    };
    let answer = state.rent(&officer, &path).await?.issue_bond(request).await;
    match answer {
        Ok(issued) => {
            let bond = issued.into_inner().bond.ok_or(PageError::NotFound)?;
            Ok(Redirect::to(&format!("{}?issued=1", bond_path(&bond.bond_id))).into_response())
        }
        Err(status) => Ok(issue_page(
            &officer,
            &account,
            form,
            refusal(status, &path)?,
        )),
    }
}

/// A service's refusal of a claim or repayment. The only reason it refuses one that is
/// well-formed is the amount (more than the bond still guarantees, or than is owed), so a
/// reason without a field is put on the amount, where the officer corrects it.
fn amount_refusal(status: tonic::Status, path: &str) -> Result<Vec<FieldError>, PageError> {
    Ok(refusal(status, path)?
        .into_iter()
        .map(|e| match e.field {
            None => FieldError::on("amount_pence", e.message),
            Some(_) => e,
        })
        .collect())
}

/// What a form about a bond (a claim or a repayment) asks; `Kind` says which.
#[derive(Debug, Default, Deserialize)]
pub struct MoneyForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is shown: posting it twice posts once.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    amount: String,
    /// Only a claim has a reason.
    #[serde(default)]
    reason: String,
    #[serde(default, flatten)]
    on: DateParts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Claim,
    Repayment,
}

impl Kind {
    fn action(self) -> &'static str {
        match self {
            Kind::Claim => "claim",
            Kind::Repayment => "repayment",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Kind::Claim => "Pay a landlord's claim",
            Kind::Repayment => "Record a repayment",
        }
    }

    fn date_field(self) -> &'static str {
        match self {
            Kind::Claim => "paid_on",
            Kind::Repayment => "received_on",
        }
    }
}

/// A claim or repayment as the rent service takes it.
enum Post {
    Claim(pb::ClaimBondRequest),
    Repayment(pb::RecordBondRepaymentRequest),
}

impl MoneyForm {
    fn request(&self, kind: Kind, bond_id: &str) -> Result<Post, Vec<FieldError>> {
        let mut errors = Vec::new();
        let missing = match kind {
            Kind::Claim => "Enter the amount paid to the landlord",
            Kind::Repayment => "Enter the amount repaid",
        };
        let amount = super::amount(&self.amount, "amount_pence", missing)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        if kind == Kind::Claim && self.reason.trim().is_empty() {
            errors.push(FieldError::on(
                "reason",
                "Enter what the landlord claims for",
            ));
        }
        let label = match kind {
            Kind::Claim => "The date paid",
            Kind::Repayment => "The date received",
        };
        let on = self
            .on
            .iso(kind.date_field(), label)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(match kind {
            Kind::Claim => Post::Claim(pb::ClaimBondRequest {
                request_id: self.request_id.clone(),
                bond_id: bond_id.to_owned(),
                amount_pence: amount,
                reason: self.reason.trim().to_owned(),
                paid_on: on,
            }),
            Kind::Repayment => Post::Repayment(pb::RecordBondRepaymentRequest {
                request_id: self.request_id.clone(),
                bond_id: bond_id.to_owned(),
                amount_pence: amount,
                received_on: on,
            }),
        })
    }
}

#[derive(Template)]
#[template(path = "income/bond_money.html")]
struct MoneyPage<'a> {
    page: Page<'a>,
    bond: BondView,
    claim: bool,
    action: String,
    form: MoneyForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl MoneyPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

fn money_path(kind: Kind, bond_id: &str) -> String {
    format!("{}/{}", bond_path(bond_id), kind.action())
}

fn money_page(
    officer: &Officer,
    kind: Kind,
    bond: &pb::Bond,
    mut form: MoneyForm,
    errors: Vec<FieldError>,
) -> Response {
    super::fresh_request_id(&mut form.request_id);
    let mut page = Page::new(kind.title(), Some(officer), Section::Income);
    page.error_count = errors.len();
    render(&MoneyPage {
        page,
        bond: bond.into(),
        claim: kind == Kind::Claim,
        action: money_path(kind, &bond.bond_id),
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

async fn new_money(
    state: crate::web::State,
    officer: Officer,
    kind: Kind,
    id: String,
) -> Result<Response, PageError> {
    officer.require(INCOME)?;
    let (bond, _) = fetch(&state, &officer, &id, &money_path(kind, &id)).await?;
    Ok(money_page(
        &officer,
        kind,
        &bond,
        MoneyForm::default(),
        Vec::new(),
    ))
}

async fn post_money(
    state: crate::web::State,
    officer: Officer,
    kind: Kind,
    id: String,
    form: MoneyForm,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(INCOME)?;
    let path = money_path(kind, &id);
    let (bond, _) = fetch(&state, &officer, &id, &path).await?;
    let request = match form.request(kind, &id) {
        Ok(request) => request,
        Err(errors) => return Ok(money_page(&officer, kind, &bond, form, errors)),
    };
    let mut rent = state.rent(&officer, &path).await?;
    let answer = match request {
        Post::Claim(claim) => rent.claim_bond(claim).await.map(|_| "claimed"),
        Post::Repayment(repayment) => rent
            .record_bond_repayment(repayment)
            .await
            .map(|_| "repaid"),
    };
    match answer {
        Ok(done) => Ok(Redirect::to(&format!("{}?{done}=1", bond_path(&id))).into_response()),
        Err(status) => Ok(money_page(
            &officer,
            kind,
            &bond,
            form,
            amount_refusal(status, &path)?,
        )),
    }
}

pub async fn new_claim(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    new_money(state, officer, Kind::Claim, id).await
}

pub async fn claim(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<MoneyForm>,
) -> Result<Response, PageError> {
    post_money(state, officer, Kind::Claim, id, form).await
}

pub async fn new_repayment(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    new_money(state, officer, Kind::Repayment, id).await
}

pub async fn repay(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<MoneyForm>,
) -> Result<Response, PageError> {
    post_money(state, officer, Kind::Repayment, id, form).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bond(guaranteed: i64, claimed: i64, debt: i64, state: pb::BondState) -> pb::Bond {
        pb::Bond {
            state: state as i32,
            bond_id: "b1".into(),
            guaranteed_pence: guaranteed,
            claimed_pence: claimed,
            debt_pence: debt,
            issued_on: "2026-12-05".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_bond_reads_as_what_it_guarantees_and_what_is_owed() {
        let issued = BondView::from(&bond(120_000, 0, 0, pb::BondState::Held));
        assert_eq!(issued.status.0, "No claims");
        assert_eq!(issued.left, "£1,200.00");
        assert_eq!(issued.issued_on, "5 December 2026");
        assert!(issued.can_claim && !issued.can_repay);

        let claimed = BondView::from(&bond(120_000, 120_000, 30_000, pb::BondState::BeingRepaid));
        assert_eq!(claimed.status.0, "Claimed: being repaid");
        assert_eq!(
            (claimed.left.as_str(), claimed.repaid.as_str()),
            ("£0.00", "£900.00")
        );
        assert!(!claimed.can_claim && claimed.can_repay);

        let repaid = BondView::from(&bond(120_000, 50_000, 0, pb::BondState::Repaid));
        assert_eq!(repaid.status.0, "Claimed: repaid in full");
        assert!(repaid.can_claim && !repaid.can_repay);
    }

    #[test]
    fn a_claim_names_each_missing_answer_and_a_repayment_needs_no_reason() {
        let empty = MoneyForm::default();
        let Err(errors) = empty.request(Kind::Claim, "b1") else {
            panic!("an empty claim");
        };
        let fields: Vec<_> = errors.iter().filter_map(|e| e.field.clone()).collect();
        assert_eq!(fields, ["amount_pence", "reason", "paid_on"]);

        let repayment = MoneyForm {
            request_id: "r".into(),
            amount: "£25.50".into(),
            on: DateParts {
                day: "5".into(),
                month: "12".into(),
                year: "2026".into(),
            },
            ..Default::default()
        };
        let Ok(Post::Repayment(request)) = repayment.request(Kind::Repayment, "b1") else {
            panic!("a repayment");
        };
        assert_eq!(request.amount_pence, 2_550);
        assert_eq!(request.received_on, "2026-12-05");
    }

    #[test]
    fn an_issue_form_names_each_missing_answer() {
        let errors = IssueForm::default().request("a1").unwrap_err();
        let fields: Vec<_> = errors.iter().filter_map(|e| e.field.clone()).collect();
        assert_eq!(
            fields,
            [
                "household_name",
                "landlord",
                "property_address",
                "guaranteed_pence",
                "issued_on"
            ]
        );
    }
}
