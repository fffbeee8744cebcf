//! Requests to typed commands: every field checked, every bad one named at once. Every
//! amount of money a client sends is held to a stated range here, before anything sums it.

use chrono::NaiveDate;
use housing_platform::errors::FieldViolations;
use housing_platform::money::{Pence, Range};
use housing_proto::rent::v1::{self as pb, get_account_request::Key as PbKey};
use tonic::Status;
use uuid::Uuid;

use crate::app::adjustments::{Adjustment, Kind, Reversal};
use crate::app::arrears::NewPlan;
use crate::app::bonds::{Claim, Issue, Repayment};
use crate::app::payables::Pay;
use crate::app::payments::{Method, Payment, PaymentFile};
use crate::db::accounts::Key;
use crate::db::bonds::Bond;

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
