//! The arrears queue: accounts by recovery stage, the highest balance first, with how many
//! stand at each stage; and finding an account by its payment reference.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use housing_platform::money::Pence;
use housing_proto::rent::v1::{self as pb, AccountStatus, ArrearsStage};
use serde::Deserialize;

use super::{INCOME, READ};
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, encode, render};

const PATH: &str = "/income";
const PAGE_SIZE: i32 = 25;

/// The stages in the order of recovery: their value in a URL and their words.
pub const STAGES: [(ArrearsStage, &str, &str); 6] = [
    (ArrearsStage::Clear, "clear", "Clear"),
    (ArrearsStage::Reminder, "reminder", "Reminder"),
    (ArrearsStage::FirstLetter, "first_letter", "First letter"),
    (ArrearsStage::SecondLetter, "second_letter", "Second letter"),
    (ArrearsStage::PaymentPlan, "payment_plan", "Payment plan"),
    (ArrearsStage::Referral, "referral", "Referral"),
];

fn stage_value(stage: i32) -> &'static str {
    STAGES
        .iter()
        .find(|(s, _, _)| *s as i32 == stage)
        .map(|(_, v, _)| *v)
        .unwrap_or("")
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    page: String,
}

pub struct Tab {
    pub text: String,
    pub href: String,
    pub current: bool,
}

pub struct Row {
    pub id: String,
    pub reference: String,
    pub balance: String,
    pub weekly: String,
    pub stage: (&'static str, &'static str),
    pub plan: bool,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "income/queue.html")]
struct QueuePage<'a> {
    page: Page<'a>,
    tabs: Vec<Tab>,
    reference: String,
    rows: Vec<Row>,
    next_page: Option<String>,
    can_import: bool,
    errors: Vec<FieldError>,
}

pub async fn queue(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<QueueQuery>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let stage = STAGES
        .iter()
        .find(|(_, v, _)| *v == query.stage)
        .map(|(s, _, _)| *s);
    let reference = query.reference.trim().to_ascii_uppercase();
    let answer = state
        .rent(&officer, PATH)
        .await?
        .list_accounts(pb::ListAccountsRequest {
            stage: stage.map(|s| s as i32).unwrap_or_default(),
            status: AccountStatus::Unspecified as i32,
            reference: (!reference.is_empty()).then(|| {
                pb::list_accounts_request::Reference::PaymentReferencePrefix(reference.clone())
            }),
            application_id: String::new(),
            page_size: PAGE_SIZE,
            page_token: query.page.clone(),
        })
        .await;
    let (found, errors) = match answer {
        Ok(found) => (found.into_inner(), Vec::new()),
        Err(status) => (
            pb::ListAccountsResponse::default(),
            crate::web::refusal(status, PATH)?
                .into_iter()
                .map(|e| match e.field.as_deref() {
                    Some(f) if f.starts_with("payment_reference") => {
                        FieldError::on("reference", e.message)
                    }
                    _ => e,
                })
                .collect(),
        ),
    };
    let link = |stage: &str, page: &str| {
        let mut href = format!("{PATH}?stage={stage}");
        if !reference.is_empty() {
            href.push_str(&format!("&reference={}", encode(&reference)));
        }
        if !page.is_empty() {
            href.push_str(&format!("&page={}", encode(page)));
        }
        href
    };
    let all: i64 = found.stage_counts.iter().map(|c| c.accounts).sum();
    let mut tabs = vec![Tab {
        text: format!("All ({all})"),
        href: link("", ""),
        current: stage.is_none(),
    }];
    tabs.extend(found.stage_counts.iter().map(|count| {
        let value = stage_value(count.stage);
        let words = STAGES
            .iter()
            .find(|(_, v, _)| *v == value)
            .map(|(_, _, w)| *w)
            .unwrap_or("Other");
        Tab {
            text: format!("{words} ({})", count.accounts),
            href: link(value, ""),
            current: stage.is_some_and(|s| s as i32 == count.stage),
        }
    }));
    let rows = found
        .accounts
        .iter()
        .filter_map(|summary| {
            let account = summary.account.as_ref()?;
            let weekly = account
                .weekly_charge_pence
                .saturating_add(account.weekly_service_charge_pence);
            Some(Row {
                id: account.account_id.clone(),
                reference: account.payment_reference.clone(),
                balance: super::balance_words(account.balance_pence),
                weekly: Pence::new(weekly).to_string(),
                stage: super::stage_tag(stage_value(summary.arrears_stage)),
                plan: summary.has_active_plan,
                open: account.status == AccountStatus::Open as i32,
            })
        })
        .collect();
    let next_page = (!found.next_page_token.is_empty()).then(|| {
        link(
            stage.map(|s| stage_value(s as i32)).unwrap_or(""),
            &found.next_page_token,
        )
    });
    let mut page = Page::new("Rent and income", Some(&officer), Section::Income);
    page.error_count = errors.len();
    Ok(render(&QueuePage {
        page,
        tabs,
        reference,
        rows,
        next_page,
        can_import: officer.holds(INCOME),
        errors,
    }))
}
