//! Requests to typed commands: every field checked, every bad one named at once. Every
//! amount of money a client sends is held to a stated range here, before anything sums it.

use chrono::NaiveDate;
use housing_platform::errors::FieldViolations;
use housing_platform::money::{Pence, Range};
use housing_platform::paging;
use housing_proto::rent::v1::{
    self as pb, get_account_request::Key as PbKey, list_accounts_request::Reference as PbReference,
    list_bonds_request::Holder as PbHolder,
};
use sha2::{Digest, Sha256};
use tonic::Status;
use uuid::Uuid;

use crate::app::accounts::AccountQuery;
use crate::app::adjustments::{Adjustment, Kind, Reversal};
use crate::app::arrears::NewPlan;
use crate::app::bonds::{BondQuery, Claim, Holder, Issue, Repayment};
use crate::app::payables::Pay;
use crate::app::payments::{Method, Payment, PaymentFile};
use crate::app::write_offs::{Decide, WriteOffQuery, WriteOffRequest};
use crate::db::accounts::{AccountStatus, Filter, Key, Position, Reference};
use crate::db::bonds::Bond;
use crate::db::write_offs::Filter as WriteOffFilter;
use crate::domain::arrears::Stage;
use crate::domain::bonds::{EventKind, State as BondState};
use crate::domain::write_offs::{Decision, Status as WriteOffStatus};
pub use crate::wire::{stage_from_proto, stage_proto};

/// A payment, refund, adjustment, write-off, instalment, bond guarantee, claim or
/// repayment: above zero (what kind of entry it is says which way the money goes) and no
/// more than any one amount may be.
const AMOUNT: Range = Range::AMOUNT;

fn method(value: i32, v: &mut FieldViolations) -> Option<Method> {
    match pb::PaymentMethod::try_from(value) {
        Ok(pb::PaymentMethod::Tenant) => Some(Method::Tenant),
        Ok(pb::PaymentMethod::HousingBenefit) => Some(Method::HousingBenefit),
        Ok(pb::PaymentMethod::UniversalCredit) => Some(Method::UniversalCredit),
        _ => {
            v.add(
                "method",
                "required: PAYMENT_METHOD_TENANT, _HOUSING_BENEFIT or _UNIVERSAL_CREDIT",
            );
            None
        }
    }
}

/// `from_date` to `to_date`, the one not before the other.
fn period(from: &str, to: &str, v: &mut FieldViolations) -> Option<(NaiveDate, NaiveDate)> {
    let from = v.date("from_date", from);
    let to = v.date("to_date", to);
    let (from, to) = (from?, to?);
    if to < from {
        v.add("to_date", format!("{to} is before {from}"));
    }
    Some((from, to))
}

pub fn account_key(key: Option<&PbKey>) -> Result<Key, Status> {
    let mut v = FieldViolations::new();
    let key = match key {
        Some(PbKey::AccountId(id)) => v.uuid("account_id", id).map(Key::Account),
        Some(PbKey::PlacementId(id)) => v.uuid("placement_id", id).map(Key::Placement),
        None => {
            v.add("key", "account_id or placement_id is required");
            None
        }
    };
    key.ok_or_else(|| v.into_status())
}

impl TryFrom<pb::RecordPaymentRequest> for Payment {
    type Error = Status;

    fn try_from(r: pb::RecordPaymentRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retried payment is posted once",
        );
        let account_id = v.uuid("account_id", &r.account_id);
        let amount = v.pence("amount_pence", r.amount_pence, AMOUNT);
        let received_on = v.date("received_on", &r.received_on);
        let method = method(r.method, &mut v);
        let (Some(account_id), Some(amount), Some(received_on), Some(method)) =
            (account_id, amount, received_on, method)
        else {
            return Err(v.into_status());
        };
        v.into_result(Payment {
            request_id: r.request_id.trim().to_owned(),
            account_id,
            amount,
            received_on,
            method,
        })
    }
}

impl TryFrom<pb::ImportPaymentsRequest> for PaymentFile {
    type Error = Status;

    /// The file's lines are read, and each amount held to its range, by the import.
    fn try_from(r: pb::ImportPaymentsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let method = method(r.method, &mut v);
        let content = String::from_utf8(r.content)
            .map_err(|_| v.add("content", "must be UTF-8 text"))
            .unwrap_or_default();
        if content.trim().is_empty() {
            v.add("content", "the file is empty");
        }
        let Some(method) = method else {
            return Err(v.into_status());
        };
        v.into_result(PaymentFile { content, method })
    }
}

/// The account and period of a statement.
pub fn statement(r: &pb::GetStatementRequest) -> Result<(Uuid, NaiveDate, NaiveDate), Status> {
    let mut v = FieldViolations::new();
    let account_id = v.uuid("account_id", &r.account_id);
    let period = period(&r.from_date, &r.to_date, &mut v);
    let (Some(account_id), Some((from, to))) = (account_id, period) else {
        return Err(v.into_status());
    };
    v.into_result((account_id, from, to))
}

/// The period of the income figures.
pub fn figures(r: &pb::GetIncomeFiguresRequest) -> Result<(NaiveDate, NaiveDate), Status> {
    let mut v = FieldViolations::new();
    let Some(period) = period(&r.from_date, &r.to_date, &mut v) else {
        return Err(v.into_status());
    };
    v.into_result(period)
}

impl TryFrom<pb::PostAdjustmentRequest> for Adjustment {
    type Error = Status;

    fn try_from(r: pb::PostAdjustmentRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let kind = match pb::AdjustmentKind::try_from(r.kind) {
            Ok(pb::AdjustmentKind::Credit) => Some(Kind::Credit),
            Ok(pb::AdjustmentKind::Debit) => Some(Kind::Debit),
            Ok(pb::AdjustmentKind::Refund) => Some(Kind::Refund),
            Ok(pb::AdjustmentKind::WriteOff) => Some(Kind::WriteOff),
            _ => {
                v.add("kind", "required: CREDIT, DEBIT, REFUND or WRITE_OFF");
                None
            }
        };
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry posts nothing more",
        );
        let account_id = v.uuid("account_id", &r.account_id);
        let amount = v.pence("amount_pence", r.amount_pence, AMOUNT);
        let effective_date = v.date("effective_date", &r.effective_date);
        v.require("reason", &r.reason, "why the account is adjusted");
        let (Some(kind), Some(account_id), Some(amount), Some(effective_date)) =
            (kind, account_id, amount, effective_date)
        else {
            return Err(v.into_status());
        };
        v.into_result(Adjustment {
            request_id: r.request_id.trim().to_owned(),
            account_id,
            kind,
            amount,
            effective_date,
            reason: r.reason.trim().to_owned(),
        })
    }
}

impl TryFrom<pb::ReverseJournalRequest> for Reversal {
    type Error = Status;

    fn try_from(r: pb::ReverseJournalRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry posts nothing more",
        );
        if r.journal_id <= 0 {
            v.add("journal_id", "required");
        }
        v.require("reason", &r.reason, "why the journal is reversed");
        v.into_result(Reversal {
            request_id: r.request_id.trim().to_owned(),
            journal_id: r.journal_id,
            reason: r.reason.trim().to_owned(),
        })
    }
}

impl TryFrom<pb::CreatePaymentPlanRequest> for NewPlan {
    type Error = Status;

    fn try_from(r: pb::CreatePaymentPlanRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry agrees one plan",
        );
        let account_id = v.uuid("account_id", &r.account_id);
        let instalment = v.pence("instalment_pence", r.instalment_pence, AMOUNT);
        let start = v.date("start_date", &r.start_date);
        let (Some(account_id), Some(instalment), Some(start)) = (account_id, instalment, start)
        else {
            return Err(v.into_status());
        };
        v.into_result(NewPlan {
            request_id: r.request_id.trim().to_owned(),
            account_id,
            instalment,
            start,
        })
    }
}

/// The account and the day its arrears are looked at.
pub fn arrears(r: &pb::GetArrearsRequest) -> Result<(Uuid, NaiveDate), Status> {
    let mut v = FieldViolations::new();
    let account_id = v.uuid("account_id", &r.account_id);
    let on = v.date("as_of", &r.as_of);
    let (Some(account_id), Some(on)) = (account_id, on) else {
        return Err(v.into_status());
    };
    Ok((account_id, on))
}

impl TryFrom<pb::IssueBondRequest> for Issue {
    type Error = Status;

    fn try_from(r: pb::IssueBondRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry issues one bond",
        );
        let application_id = if r.application_id.is_empty() {
            None
        } else {
            v.uuid("application_id", &r.application_id)
        };
        for (field, value) in [
            ("household_name", &r.household_name),
            ("landlord", &r.landlord),
            ("property_address", &r.property_address),
        ] {
            if value.trim().is_empty() {
                v.add(field, "required");
            }
        }
        let guaranteed = v.pence("guaranteed_pence", r.guaranteed_pence, AMOUNT);
        let issued_on = v.date("issued_on", &r.issued_on);
        let (Some(guaranteed_pence), Some(issued_on)) = (guaranteed, issued_on) else {
            return Err(v.into_status());
        };
        v.into_result(Issue {
            request_id: r.request_id.trim().to_owned(),
            bond: Bond {
                id: Uuid::nil(),
                application_id,
                household_name: r.household_name.trim().into(),
                landlord: r.landlord.trim().into(),
                property_address: r.property_address.trim().into(),
                guaranteed_pence,
                issued_on,
                claimed_pence: Pence::ZERO,
            },
        })
    }
}

impl TryFrom<pb::ClaimBondRequest> for Claim {
    type Error = Status;

    fn try_from(r: pb::ClaimBondRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry pays one claim",
        );
        let bond_id = v.uuid("bond_id", &r.bond_id);
        let amount = v.pence("amount_pence", r.amount_pence, AMOUNT);
        v.require("reason", &r.reason, "what the landlord claims for");
        let paid_on = v.date("paid_on", &r.paid_on);
        let (Some(bond_id), Some(amount), Some(paid_on)) = (bond_id, amount, paid_on) else {
            return Err(v.into_status());
        };
        v.into_result(Claim {
            request_id: r.request_id.trim().to_owned(),
            bond_id,
            amount,
            reason: r.reason.trim().to_owned(),
            paid_on,
        })
    }
}

impl TryFrom<pb::RecordBondRepaymentRequest> for Repayment {
    type Error = Status;

    fn try_from(r: pb::RecordBondRepaymentRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry posts one repayment",
        );
        let bond_id = v.uuid("bond_id", &r.bond_id);
        let amount = v.pence("amount_pence", r.amount_pence, AMOUNT);
        let received_on = v.date("received_on", &r.received_on);
        let (Some(bond_id), Some(amount), Some(received_on)) = (bond_id, amount, received_on)
        else {
            return Err(v.into_status());
        };
        v.into_result(Repayment {
            request_id: r.request_id.trim().to_owned(),
            bond_id,
            amount,
            received_on,
        })
    }
}

pub fn bond_state_proto(state: BondState) -> pb::BondState {
    match state {
        BondState::Held => pb::BondState::Held,
        BondState::BeingRepaid => pb::BondState::BeingRepaid,
        BondState::Repaid => pb::BondState::Repaid,
    }
}

pub fn bond_event_kind_proto(kind: EventKind) -> pb::BondEventKind {
    match kind {
        EventKind::Issued => pb::BondEventKind::Issued,
        EventKind::Claim => pb::BondEventKind::Claim,
        EventKind::Repayment => pb::BondEventKind::Repayment,
        EventKind::Reversal => pb::BondEventKind::Reversal,
    }
}

impl TryFrom<pb::ListBondsRequest> for BondQuery {
    type Error = Status;

    fn try_from(r: pb::ListBondsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let holder = match r.holder {
            Some(PbHolder::AccountId(id)) if !id.trim().is_empty() => {
                v.uuid("account_id", id.trim()).map(Holder::Account)
            }
            Some(PbHolder::ApplicationId(id)) if !id.trim().is_empty() => {
                v.uuid("application_id", id.trim()).map(Holder::Application)
            }
            _ => None,
        };
        let state = match pb::BondState::try_from(r.state) {
            Ok(pb::BondState::Unspecified) => None,
            Ok(pb::BondState::Held) => Some(BondState::Held),
            Ok(pb::BondState::BeingRepaid) => Some(BondState::BeingRepaid),
            Ok(pb::BondState::Repaid) => Some(BondState::Repaid),
            Err(_) => {
                v.add(
                    "state",
                    "not a bond state: BOND_STATE_HELD, _BEING_REPAID or _REPAID",
                );
                None
            }
        };
        let after = paging::decode(&r.page_token)
            .map_err(|_| v.add("page_token", paging::NOT_A_TOKEN))
            .unwrap_or_default();
        v.into_result(BondQuery {
            holder,
            state,
            after,
            limit: paging::size(r.page_size, PAGE.0, PAGE.1),
        })
    }
}

impl TryFrom<pb::PayPayableRequest> for Pay {
    type Error = Status;

    fn try_from(r: pb::PayPayableRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        v.require("request_id", &r.request_id, "so that a retry pays once");
        let payable_id = v.uuid("payable_id", &r.payable_id);
        let paid_on = v.date("paid_on", &r.paid_on);
        let (Some(payable_id), Some(paid_on)) = (payable_id, paid_on) else {
            return Err(v.into_status());
        };
        v.into_result(Pay {
            request_id: r.request_id.trim().to_owned(),
            payable_id,
            paid_on,
        })
    }
}

/// Lists page 25 at a time unless asked otherwise, and no more than 100.
const PAGE: (i64, i64) = (25, 100);

pub fn write_off_status_proto(status: WriteOffStatus) -> pb::WriteOffStatus {
    match status {
        WriteOffStatus::Pending => pb::WriteOffStatus::Pending,
        WriteOffStatus::Approved => pb::WriteOffStatus::Approved,
        WriteOffStatus::Declined => pb::WriteOffStatus::Declined,
    }
}

/// The text of a page token of the accounts queue: where the page ended, and a digest of
/// the filters, so that a token is not carried over to a list of other accounts.
fn account_position_text(position: &Position, filter: &Filter) -> String {
    format!(
        "a1:{}:{}:{}",
        position.balance,
        position.account_id,
        filter_digest(filter)
    )
}

pub fn account_page_token(position: &Position, filter: &Filter) -> String {
    paging::encode_position(&account_position_text(position, filter))
}

fn filter_digest(filter: &Filter) -> String {
    let reference = match &filter.reference {
        Some(Reference::Exact(r)) => format!("={r}"),
        Some(Reference::Prefix(r)) => format!("^{r}"),
        None => String::new(),
    };
    let canonical = format!(
        "{}|{}|{}|{}",
        filter.stage.map(Stage::as_str).unwrap_or_default(),
        filter.status.map(AccountStatus::as_str).unwrap_or_default(),
        reference,
        filter
            .application_id
            .map(|a| a.to_string())
            .unwrap_or_default()
    );
    Sha256::digest(canonical.as_bytes())[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where the page named by `token` starts, for a list under `filter`.
fn account_position(token: &str, filter: &Filter, v: &mut FieldViolations) -> Option<Position> {
    let text = match paging::decode_position(token) {
        Ok(text) => text?,
        Err(_) => {
            v.add("page_token", paging::NOT_A_TOKEN);
            return None;
        }
    };
    let parsed = (|| {
        let rest = text.strip_prefix("a1:")?;
        let (balance, rest) = rest.split_once(':')?;
        let (account_id, digest) = rest.split_once(':')?;
        Some((
            Position {
                balance: balance.parse().ok()?,
                account_id: Uuid::parse_str(account_id).ok()?,
            },
            digest,
        ))
    })();
    match parsed {
        None => {
            v.add("page_token", paging::NOT_A_TOKEN);
            None
        }
        Some((_, digest)) if digest != filter_digest(filter) => {
            v.add(
                "page_token",
                "is for a list with other filters: ask for the first page again",
            );
            None
        }
        Some((position, _)) => Some(position),
    }
}

impl TryFrom<pb::ListAccountsRequest> for AccountQuery {
    type Error = Status;

    fn try_from(r: pb::ListAccountsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let stage = pb::ArrearsStage::try_from(r.stage)
            .map(stage_from_proto)
            .unwrap_or_else(|_| {
                v.add(
                    "stage",
                    "not an arrears stage: ARREARS_STAGE_CLEAR, _REMINDER, _FIRST_LETTER, \
                     _SECOND_LETTER, _PAYMENT_PLAN or _REFERRAL",
                );
                None
            });
        let status = match pb::AccountStatus::try_from(r.status) {
            Ok(pb::AccountStatus::Unspecified) => None,
            Ok(pb::AccountStatus::Open) => Some(AccountStatus::Open),
            Ok(pb::AccountStatus::Closed) => Some(AccountStatus::Closed),
            Err(_) => {
                v.add(
                    "status",
                    "not an account status: ACCOUNT_STATUS_OPEN or _CLOSED",
                );
                None
            }
        };
        // References are written in capitals, as a payment file's are read.
        let reference = match r.reference {
            Some(PbReference::PaymentReference(text)) if !text.trim().is_empty() => {
                Some(Reference::Exact(text.trim().to_uppercase()))
            }
            Some(PbReference::PaymentReferencePrefix(text)) if !text.trim().is_empty() => {
                Some(Reference::Prefix(text.trim().to_uppercase()))
            }
            _ => None,
        };
        let application_id = if r.application_id.trim().is_empty() {
            None
        } else {
            v.uuid("application_id", r.application_id.trim())
        };
        let filter = Filter {
            stage,
            status,
            reference,
            application_id,
        };
        let after = account_position(&r.page_token, &filter, &mut v);
        v.into_result(AccountQuery {
            filter,
            after,
            limit: paging::size(r.page_size, PAGE.0, PAGE.1),
        })
    }
}

impl TryFrom<pb::RequestWriteOffRequest> for WriteOffRequest {
    type Error = Status;

    fn try_from(r: pb::RequestWriteOffRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry asks for one write-off",
        );
        let account_id = v.uuid("account_id", &r.account_id);
        let amount = v.pence("amount_pence", r.amount_pence, AMOUNT);
        v.require("reason", &r.reason, "why the debt cannot be recovered");
        let (Some(account_id), Some(amount)) = (account_id, amount) else {
            return Err(v.into_status());
        };
        v.into_result(WriteOffRequest {
            request_id: r.request_id.trim().to_owned(),
            account_id,
            amount,
            reason: r.reason.trim().to_owned(),
        })
    }
}

impl TryFrom<pb::ListWriteOffsRequest> for WriteOffQuery {
    type Error = Status;

    fn try_from(r: pb::ListWriteOffsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let status = match pb::WriteOffStatus::try_from(r.status) {
            Ok(pb::WriteOffStatus::Unspecified) => None,
            Ok(pb::WriteOffStatus::Pending) => Some(WriteOffStatus::Pending),
            Ok(pb::WriteOffStatus::Approved) => Some(WriteOffStatus::Approved),
            Ok(pb::WriteOffStatus::Declined) => Some(WriteOffStatus::Declined),
            Err(_) => {
                v.add(
                    "status",
                    "not a write-off status: WRITE_OFF_STATUS_PENDING, _APPROVED or _DECLINED",
                );
                None
            }
        };
        let account_id = if r.account_id.trim().is_empty() {
            None
        } else {
            v.uuid("account_id", r.account_id.trim())
        };
        let after = paging::decode(&r.page_token)
            .map_err(|_| v.add("page_token", paging::NOT_A_TOKEN))
            .unwrap_or_default();
        v.into_result(WriteOffQuery {
            filter: WriteOffFilter { status, account_id },
            after,
            limit: paging::size(r.page_size, PAGE.0, PAGE.1),
        })
    }
}

impl TryFrom<pb::DecideWriteOffRequest> for Decide {
    type Error = Status;

    fn try_from(r: pb::DecideWriteOffRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let write_off_id = v.uuid("write_off_id", &r.write_off_id);
        let decision = match pb::WriteOffDecision::try_from(r.decision) {
            Ok(pb::WriteOffDecision::Approve) => Some(Decision::Approve),
            Ok(pb::WriteOffDecision::Decline) => Some(Decision::Decline),
            _ => {
                v.add(
                    "decision",
                    "required: WRITE_OFF_DECISION_APPROVE or _DECLINE",
                );
                None
            }
        };
        if decision == Some(Decision::Decline) {
            v.require("reason", &r.reason, "why the write-off is declined");
        }
        let (Some(write_off_id), Some(decision)) = (write_off_id, decision) else {
            return Err(v.into_status());
        };
        let reason = Some(r.reason.trim().to_owned()).filter(|reason| !reason.is_empty());
        v.into_result(Decide {
            write_off_id,
            decision,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use housing_platform::errors::bad_request_fields;

    fn list(r: pb::ListAccountsRequest) -> Result<AccountQuery, Status> {
        AccountQuery::try_from(r)
    }

    #[test]
    fn a_queue_token_takes_the_list_on_from_where_its_page_ended_under_the_same_filters() {
        let filter = Filter {
            stage: Some(Stage::Referral),
            ..Filter::default()
        };
        let position = Position {
            balance: -(i128::from(i64::MAX) * 3),
            account_id: Uuid::now_v7(),
        };
        let token = account_page_token(&position, &filter);
        let query = list(pb::ListAccountsRequest {
            stage: pb::ArrearsStage::Referral as i32,
            page_token: token.clone(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(query.after, Some(position));
        assert_eq!(query.limit, 25);

        let other_filters = list(pb::ListAccountsRequest {
            stage: pb::ArrearsStage::Reminder as i32,
            page_token: token,
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(bad_request_fields(&other_filters), ["page_token"]);
        for garbage in [
            "garbage!",
            &paging::encode_position("a1:12:not-a-uuid:00"),
            &paging::encode(chrono::Utc::now(), Uuid::now_v7()),
        ] {
            let err = list(pb::ListAccountsRequest {
                page_token: garbage.into(),
                ..Default::default()
            })
            .unwrap_err();
            assert_eq!(bad_request_fields(&err), ["page_token"], "{garbage}");
        }
    }

    #[test]
    fn every_bad_filter_of_the_queue_is_named_at_once() {
        let err = list(pb::ListAccountsRequest {
            stage: 42,
            status: 9,
            application_id: "nope".into(),
            page_token: "%%".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            bad_request_fields(&err),
            ["stage", "status", "application_id", "page_token"]
        );
        let query = list(pb::ListAccountsRequest {
            reference: Some(PbReference::PaymentReferencePrefix(" ta0001 ".into())),
            page_size: 1_000,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            query.filter.reference,
            Some(Reference::Prefix("TA0001".into()))
        );
        assert_eq!(query.limit, 100);
    }

    #[test]
    fn a_decline_needs_a_reason_and_an_approval_does_not() {
        let id = Uuid::now_v7().to_string();
        let decline = Decide::try_from(pb::DecideWriteOffRequest {
            write_off_id: id.clone(),
            decision: pb::WriteOffDecision::Decline as i32,
            reason: "  ".into(),
        })
        .unwrap_err();
        assert_eq!(bad_request_fields(&decline), ["reason"]);
        let approve = Decide::try_from(pb::DecideWriteOffRequest {
            write_off_id: id,
            decision: pb::WriteOffDecision::Approve as i32,
            reason: String::new(),
        })
        .unwrap();
        assert_eq!(
            (approve.decision, approve.reason),
            (Decision::Approve, None)
        );
        let nothing = Decide::try_from(pb::DecideWriteOffRequest::default()).unwrap_err();
        assert_eq!(bad_request_fields(&nothing), ["write_off_id", "decision"]);
    }
}
