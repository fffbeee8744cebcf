//! The lists added for the console's approvals queue and mutual exchanges: requests read
//! into queries, every bad field named, and rows back into messages.

use chrono::{DateTime, Datelike, Utc};
use housing_platform::errors::FieldViolations;
use housing_platform::paging;
use housing_platform::time::{format_date, timestamp};
use housing_proto::nominations::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use super::mapping::{MAX_PAGE_SIZE, PAGE_SIZE, filter_enum, period};
use crate::app::lists::{ListDecants, ListExchangeListings, ListIncentives};
use crate::app::mobility::ListMobilitySchemes;
use crate::db::incentives::{Move, Stage};

/// A page size asked for beyond a page is refused, as ListAdverts does: a short page must
/// not read as the last.
fn page_size(size: i32, v: &mut FieldViolations) -> i64 {
    if !(0..=MAX_PAGE_SIZE).contains(&i64::from(size)) {
        v.add(
            "page_size",
            format!("must be from 0 (for {PAGE_SIZE}) to {MAX_PAGE_SIZE}"),
        );
    }
    paging::size(size, PAGE_SIZE, MAX_PAGE_SIZE)
}

/// A page token of the list `kind` in time order: the time and the id.
fn timed_page_token(kind: &str, next: Option<(DateTime<Utc>, Uuid)>) -> String {
    next.map(|(at, id)| paging::encode_position(&format!("{kind}:{id}:{}", at.to_rfc3339())))
        .unwrap_or_default()
}

/// Where the page of `kind` named by `token` starts; `None` for the first page, or with
/// `page_token` named when this list did not write it. Every time this service issues lies
/// in the years a date may take, so a forged one PostgreSQL cannot hold never reaches it.
fn timed_position(
    token: &str,
    kind: &str,
    v: &mut FieldViolations,
) -> Option<(DateTime<Utc>, Uuid)> {
    let text = match paging::decode_position(token) {
        Ok(text) => text?,
        Err(_) => {
            v.add("page_token", paging::NOT_A_TOKEN);
            return None;
        }
    };
    let parsed = (|| {
        let (id, at) = text
            .strip_prefix(kind)?
            .strip_prefix(':')?
            .split_once(':')?;
        let at = DateTime::parse_from_rfc3339(at).ok()?.to_utc();
        (1900..=2199)
            .contains(&at.year())
            .then_some((at, Uuid::parse_str(id).ok()?))
    })();
    if parsed.is_none() {
        v.add("page_token", paging::NOT_A_TOKEN);
    }
    parsed
}

pub fn incentives_page_token(next: Option<(DateTime<Utc>, Uuid)>) -> String {
    timed_page_token("incentive", next)
}

pub fn decants_page_token(next: Option<(DateTime<Utc>, Uuid)>) -> String {
    timed_page_token("decant", next)
}

/// A page token of the list `kind` in id order.
fn id_page_token(kind: &str, next: Option<Uuid>) -> String {
    next.map(|id| paging::encode_position(&format!("{kind}:{id}")))
        .unwrap_or_default()
}

/// Where the page of `kind` in id order named by `token` starts; `None` for the first page,
/// or with `page_token` named when this list did not write it.
fn id_position(token: &str, kind: &str, v: &mut FieldViolations) -> Option<Uuid> {
    let text = match paging::decode_position(token) {
        Ok(text) => text?,
        Err(_) => {
            v.add("page_token", paging::NOT_A_TOKEN);
            return None;
        }
    };
    let id = text
        .strip_prefix(kind)
        .and_then(|rest| rest.strip_prefix(':'))
        .and_then(|id| Uuid::parse_str(id).ok());
    if id.is_none() {
        v.add("page_token", paging::NOT_A_TOKEN);
    }
    id
}

pub fn exchange_listings_page_token(next: Option<Uuid>) -> String {
    id_page_token("listing", next)
}

impl TryFrom<pb::ListIncentivesRequest> for ListIncentives {
    type Error = Status;

    fn try_from(r: pb::ListIncentivesRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let stage = filter_enum(
            r.status,
            "status",
            &mut v,
            |s: pb::IncentiveStatus| match s {
                pb::IncentiveStatus::Unspecified => None,
                pb::IncentiveStatus::AwaitingApproval => Some(Stage::AwaitingApproval),
                pb::IncentiveStatus::Approved => Some(Stage::Approved),
            },
        );
        let limit = page_size(r.page_size, &mut v);
        let after = timed_position(&r.page_token, "incentive", &mut v);
        v.into_result(ListIncentives {
            stage,
            after,
            limit,
        })
    }
}

impl TryFrom<pb::ListDecantsRequest> for ListDecants {
    type Error = Status;

    fn try_from(r: pb::ListDecantsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let status = filter_enum(r.status, "status", &mut v, |s: pb::DecantStatus| match s {
            pb::DecantStatus::Unspecified => None,
            pb::DecantStatus::AwaitingMove => Some("awaiting_move"),
            pb::DecantStatus::Moved => Some("moved"),
            pb::DecantStatus::PaymentsApproved => Some("payments_approved"),
        });
        let limit = page_size(r.page_size, &mut v);
        let after = timed_position(&r.page_token, "decant", &mut v);
        v.into_result(ListDecants {
            status,
            after,
            limit,
        })
    }
}

pub fn mobility_schemes_page_token(next: Option<Uuid>) -> String {
    id_page_token("scheme", next)
}

impl TryFrom<pb::ListMobilitySchemesRequest> for ListMobilitySchemes {
    type Error = Status;

    fn try_from(r: pb::ListMobilitySchemesRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let period = period(&r.from, &r.to, &mut v);
        let page_size = page_size(r.page_size, &mut v);
        let after = id_position(&r.page_token, "scheme", &mut v);
        match period {
            Some(period) if v.is_empty() => Ok(ListMobilitySchemes {
                from: period.from,
                to: period.to,
                after,
                page_size,
            }),
            _ => Err(v.into_status()),
        }
    }
}

/// The most listings a request may name.
const MAX_LISTING_IDS: usize = 100;

impl TryFrom<pb::ListExchangeListingsRequest> for ListExchangeListings {
    type Error = Status;

    fn try_from(r: pb::ListExchangeListingsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let status = filter_enum(
            r.status,
            "status",
            &mut v,
            |s: pb::ExchangeListingStatus| match s {
                pb::ExchangeListingStatus::Unspecified => None,
                pb::ExchangeListingStatus::Active => Some("active"),
                pb::ExchangeListingStatus::Proposed => Some("proposed"),
                pb::ExchangeListingStatus::Exchanged => Some("exchanged"),
            },
        );
        if r.listing_ids.len() > MAX_LISTING_IDS {
            v.add(
                "listing_ids",
                format!("at most {MAX_LISTING_IDS}; page through the rest"),
            );
        }
        let ids = r
            .listing_ids
            .iter()
            .take(MAX_LISTING_IDS)
            .enumerate()
            .filter_map(|(i, id)| v.uuid(&format!("listing_ids[{i}]"), id))
            .collect();
        let limit = page_size(r.page_size, &mut v);
        let after = id_position(&r.page_token, "listing", &mut v);
        v.into_result(ListExchangeListings {
            status,
            ids,
            after,
            limit,
        })
    }
}

pub fn listing_status_proto(status: &str) -> pb::ExchangeListingStatus {
    match status {
        "active" => pb::ExchangeListingStatus::Active,
        "proposed" => pb::ExchangeListingStatus::Proposed,
        "exchanged" => pb::ExchangeListingStatus::Exchanged,
        _ => pb::ExchangeListingStatus::Unspecified,
    }
}

/// A move as listed; one awaiting approval is priced at `per_bedroom_pence`, as approving
/// it would pay.
pub fn incentive_proto(m: &Move, per_bedroom_pence: i64) -> pb::Incentive {
    let status = if m.approved {
        pb::IncentiveStatus::Approved
    } else {
        pb::IncentiveStatus::AwaitingApproval
    };
    pb::Incentive {
        application_id: m.application_id.to_string(),
        application_reference: m.application_reference.clone().unwrap_or_default(),
        status: status as i32,
        bedrooms_left: m.bedrooms_left.unwrap_or_default(),
        bedrooms_moved_to: m.bedrooms_moved_to.unwrap_or_default(),
        bedrooms_released: m.bedrooms_released,
        amount_pence: m
            .amount_pence
            .unwrap_or_else(|| per_bedroom_pence.saturating_mul(i64::from(m.bedrooms_released))),
        moved_on: m.moved_on.map(format_date).unwrap_or_default(),
        let_at: m.let_at.map(timestamp),
        move_id: m.move_id.map(|id| id.to_string()).unwrap_or_default(),
        payee_name: m.payee_name.clone().unwrap_or_default(),
        approved_by: m.approved_by.clone().unwrap_or_default(),
        approved_at: m.approved_at.map(timestamp),
    }
}
