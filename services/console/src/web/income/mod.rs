//! Rent and income for temporary accommodation: the arrears queue, an account with its
//! statement, payments one at a time or a file of them, and write-offs asked of a manager;
//! payables to suppliers, and bonds guaranteeing private landlords' deposits.

mod adjustment;
mod bonds;
mod charges;
mod import;
mod payables;
mod payment;
mod plan;
mod queue;
mod write_off;

pub use adjustment::{new_adjustment, post_adjustment};
pub use bonds::{
    claim as claim_bond, find as find_bond, issue as issue_bond, new_bond,
    new_claim as new_bond_claim, new_repayment as new_bond_repayment, repay as repay_bond,
    show as bond,
};
pub use charges::{run as run_charges, show as charges};
pub use import::{import_form, import_payments};
pub use payables::{list as payables, new_payment as new_payable_payment, pay as pay_payable};
pub use payment::{new_payment, record_payment};
pub use plan::{create_plan, new_plan};
pub use queue::queue;
pub use write_off::{new_write_off, request_write_off};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Days, NaiveDate};
use housing_platform::auth::Role;
use housing_platform::money::Pence;
use housing_proto::rent::v1::{self as pb, AccountStatus};
use serde::Deserialize;

use super::{FieldError, Page, PageError, Section, render};
use crate::format;
use crate::session::Officer;

/// Who may read rent accounts (as the rent service allows).
pub const READ: &[Role] = &[Role::IncomeOfficer, Role::TaOfficer, Role::Manager];
/// Who may take payments and ask for corrections (as the rent service allows).
pub const INCOME: &[Role] = &[Role::IncomeOfficer, Role::Manager];

/// A recovery stage's words and tag colour.
pub fn stage_tag(stage: &str) -> (&'static str, &'static str) {
    match stage {
        "clear" => ("Clear", "govuk-tag--green"),
        "reminder" => ("Reminder", "govuk-tag--blue"),
        "first_letter" => ("First letter", "govuk-tag--yellow"),
        "second_letter" => ("Second letter", "govuk-tag--orange"),
        "payment_plan" => ("Payment plan", "govuk-tag--purple"),
        "referral" => ("Referral", "govuk-tag--red"),
        _ => ("Not reviewed", "govuk-tag--grey"),
    }
}

/// The account a form is about, as the form's heading shows it.
pub struct AccountHeading {
    pub id: String,
    pub reference: String,
    pub balance: String,
}

impl From<&pb::RentAccount> for AccountHeading {
    fn from(account: &pb::RentAccount) -> Self {
        Self {
            id: account.account_id.clone(),
            reference: account.payment_reference.clone(),
            balance: balance_words(account.balance_pence),
        }
    }
}

/// A form's request id, made when the form is first shown, so that posting it twice does
/// what it asks once.
pub fn fresh_request_id(request_id: &mut String) {
    if request_id.is_empty() {
        *request_id = uuid::Uuid::new_v4().to_string();
    }
}

/// An amount of money a form asks for, in pounds and pence: more than £0, or the message
/// for the field `field` (`missing` when nothing was entered).
pub fn amount(text: &str, field: &str, missing: &str) -> Result<i64, FieldError> {
    match Pence::parse_pounds(text) {
        Ok(amount) if amount.get() > 0 => Ok(amount.get()),
        Ok(_) => Err(FieldError::on(field, "Enter an amount more than £0")),
        Err(_) if text.trim().is_empty() => Err(FieldError::on(field, missing)),
        Err(_) => Err(FieldError::on(
            field,
            "Enter the amount in pounds and pence, like 125.50",
        )),
    }
}

/// A journal's kind as a statement names it: "write_off" is "Write-off".
fn kind_words(kind: &str) -> String {
    match kind {
        "write_off" => "Write-off".into(),
        other => super::sentence(&other.replace('_', " ")),
    }
}

/// What is owed, in words a statement uses: "£12.00 in arrears", "£3.00 in credit".
pub fn balance_words(pence: i64) -> String {
    match pence {
        0 => "Nothing owed".into(),
        p if p > 0 => format!("{} in arrears", Pence::new(p)),
        p => format!("{} in credit", Pence::new(p.saturating_neg())),
    }
}

pub struct StatementRow {
    pub date: String,
    pub kind: String,
    pub description: String,
    pub charged: String,
    pub paid: String,
    pub balance: String,
}

pub struct AccountView {
    pub id: String,
    pub reference: String,
    pub application_id: String,
    pub open: bool,
    pub opened_on: String,
    pub closed_on: String,
    pub weekly_rent: String,
    pub weekly_service_charge: String,
    pub balance: String,
    pub stage: (&'static str, &'static str),
    pub weeks_in_arrears: String,
    pub has_plan: bool,
    /// Owing by the age of the charge: under 4 weeks, 4 to 8, 8 to 13, over 13.
    pub aged: [String; 4],
}

#[derive(Debug, Default, Deserialize)]
pub struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    paid: Option<String>,
    #[serde(default)]
    write_off_asked: Option<String>,
    #[serde(default)]
    planned: Option<String>,
    #[serde(default)]
    adjusted: Option<String>,
    /// Where the list of the household's bonds starts, from its previous page.
    #[serde(default)]
    bonds_page: String,
}

#[derive(Template)]
#[template(path = "income/account.html")]
struct AccountPage<'a> {
    page: Page<'a>,
    account: AccountView,
    from: String,
    to: String,
    opening: String,
    closing: String,
    lines: Vec<StatementRow>,
    csv_href: String,
    bonds: Vec<bonds::BondView>,
    /// The next page of the household's bonds.
    next_page: Option<String>,
    can_take_payments: bool,
    can_read_register: bool,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

/// How far back a statement goes unless the officer asks for another period.
const STATEMENT_DAYS: u64 = 91;

fn today() -> NaiveDate {
    housing_platform::time::today()
}

/// The account `id`, for a page at `path`.
pub(super) async fn fetch(
    state: &super::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<pb::RentAccount, PageError> {
    state
        .rent(officer, path)
        .await?
        .get_account(pb::GetAccountRequest {
            key: Some(pb::get_account_request::Key::AccountId(id.to_owned())),
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .account
        .ok_or(PageError::NotFound)
}

/// The period asked for, or the last thirteen weeks (never before the account opened).
fn period(account: &pb::RentAccount, asked: &Period) -> (String, String, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut read = |text: &str, field: &str, default: NaiveDate| match text.trim() {
        "" => default,
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|_| {
            errors.push(FieldError {
                field: Some(field.into()),
                message: "Enter the date as year, month and day, like 2026-11-30".into(),
            });
            default
        }),
    };
    let to = read(&asked.to, "to", today());
    let opened = NaiveDate::parse_from_str(&account.opened_on, "%Y-%m-%d").unwrap_or(to);
    let default_from = to
        .checked_sub_days(Days::new(STATEMENT_DAYS))
        .unwrap_or(to)
        .max(opened);
    let from = read(&asked.from, "from", default_from);
    (
        from.format("%Y-%m-%d").to_string(),
        to.format("%Y-%m-%d").to_string(),
        errors,
    )
}

pub async fn show(
    State(state): State<super::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(asked): Query<Period>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let path = format!("/income/accounts/{id}");
    let account = fetch(&state, &officer, &id, &path).await?;
    let (from, to, mut errors) = period(&account, &asked);
    let mut rent = state.rent(&officer, &path).await?;
    let arrears = rent
        .get_arrears(pb::GetArrearsRequest {
            account_id: id.clone(),
            as_of: today().format("%Y-%m-%d").to_string(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner();
    let statement = match rent
        .get_statement(pb::GetStatementRequest {
            account_id: id.clone(),
            from_date: from.clone(),
            to_date: to.clone(),
        })
        .await
    {
        Ok(statement) => statement.into_inner(),
        Err(status) => {
            errors.extend(super::refusal(status, &path)?);
            pb::GetStatementResponse::default()
        }
    };
    let (bonds, bonds_next) = bonds::of_account(&mut rent, &id, &asked.bonds_page, &path).await?;
    let money = |p: i64| Pence::new(p).to_string();
    let lines = statement
        .lines
        .iter()
        .map(|l| StatementRow {
            date: format::date(&l.date),
            kind: kind_words(&l.kind),
            description: l.description.clone(),
            charged: if l.amount_pence > 0 {
                money(l.amount_pence)
            } else {
                String::new()
            },
            paid: if l.amount_pence < 0 {
                money(l.amount_pence.saturating_neg())
            } else {
                String::new()
            },
            balance: balance_words(l.balance_pence),
        })
        .collect();
    let notice = if asked.paid.is_some() {
        Some("The payment has been recorded")
    } else if asked.write_off_asked.is_some() {
        Some("The write-off has been sent to a manager to approve")
    } else if asked.planned.is_some() {
        Some("The payment plan has been set up")
    } else if asked.adjusted.is_some() {
        Some("The account has been adjusted")
    } else {
        None
    };
    let view = AccountView {
        id: account.account_id.clone(),
        reference: account.payment_reference.clone(),
        application_id: account.application_id.clone(),
        open: account.status == AccountStatus::Open as i32,
        opened_on: format::date(&account.opened_on),
        closed_on: format::date(&account.closed_on),
        weekly_rent: money(account.weekly_charge_pence),
        weekly_service_charge: money(account.weekly_service_charge_pence),
        balance: balance_words(account.balance_pence),
        stage: stage_tag(&arrears.stage),
        weeks_in_arrears: format!("{:.1}", arrears.weeks_in_arrears),
        has_plan: arrears.has_active_plan,
        aged: [
            money(arrears.under_4_weeks_pence),
            money(arrears.weeks_4_to_8_pence),
            money(arrears.weeks_8_to_13_pence),
            money(arrears.over_13_weeks_pence),
        ],
    };
    let mut page = Page::new(
        format!("Rent account {}", view.reference),
        Some(&officer),
        Section::Income,
    );
    page.error_count = errors.len();
    Ok(render(&AccountPage {
        page,
        csv_href: format!(
            "/income/accounts/{id}/statement.csv?from={}&to={}",
            super::encode(&from),
            super::encode(&to)
        ),
        next_page: bonds_next.map(|token| {
            format!(
                "/income/accounts/{id}?from={}&to={}&bonds_page={}#bonds",
                super::encode(&from),
                super::encode(&to),
                super::encode(&token)
            )
        }),
        bonds,
        account: view,
        opening: balance_words(statement.opening_balance_pence),
        closing: balance_words(statement.closing_balance_pence),
        from,
        to,
        lines,
        can_take_payments: officer.holds(INCOME),
        can_read_register: officer.holds(super::register::READ),
        errors,
        notice,
    }))
}

/// The statement for the period as CSV, as the rent service writes it.
pub async fn statement_csv(
    State(state): State<super::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(asked): Query<Period>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let path = format!("/income/accounts/{id}");
    let account = fetch(&state, &officer, &id, &path).await?;
    let (from, to, errors) = period(&account, &asked);
    if !errors.is_empty() {
        return Err(PageError::NotFound);
    }
    let statement = state
        .rent(&officer, &path)
        .await?
        .get_statement(pb::GetStatementRequest {
            account_id: id,
            from_date: from.clone(),
            to_date: to.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner();
    let name = format!(
        "attachment; filename=\"statement-{}-{from}-{to}.csv\"",
        account.payment_reference
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        statement.csv,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_balance_reads_as_arrears_or_credit() {
        assert_eq!(balance_words(0), "Nothing owed");
        assert_eq!(balance_words(12_345), "£123.45 in arrears");
        assert_eq!(balance_words(-300), "£3.00 in credit");
        assert_eq!(
            balance_words(i64::MIN),
            "£92,233,720,368,547,758.07 in credit"
        );
    }
}
