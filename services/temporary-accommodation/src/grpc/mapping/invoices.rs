//! Providers' invoices.

use chrono::Utc;
use housing_platform::errors::FieldViolations;
use housing_platform::money::{MAX_AMOUNT, Range};
use housing_platform::paging;
use housing_platform::time::{format_date, timestamp};
use housing_proto::accommodation::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use super::{MAX_PAGE_SIZE, PAGE_SIZE, filter_enum, page_after, to_proto};
use crate::app::invoices::{Claimed, ListInvoices};
use crate::db::invoices::{Filter, Invoice};
use crate::domain::invoices::InvoiceStatus;

const INVOICE_STATUSES: [(InvoiceStatus, pb::InvoiceStatus); 2] = [
    (
        InvoiceStatus::AwaitingApproval,
        pb::InvoiceStatus::AwaitingApproval,
    ),
    (InvoiceStatus::Approved, pb::InvoiceStatus::Approved),
];

/// An invoice line: what the provider asks for its nights; nothing for a unit it lists with
/// none.
const INVOICE_LINE: Range = Range::up_to(MAX_AMOUNT);

/// An invoice as a provider sent it, for `submitted_by`, and its lines: every bad field
/// named.
pub fn invoice(
    r: &pb::SubmitInvoiceRequest,
    submitted_by: &str,
) -> Result<(Invoice, Vec<Claimed>), Status> {
    let mut v = FieldViolations::new();
    let provider_id = v.uuid("provider_id", &r.provider_id);
    v.require(
        "provider_reference",
        &r.provider_reference,
        "the provider's invoice number",
    );
    let start = v.date("period_start", &r.period_start);
    let end = v.date("period_end", &r.period_end);
    let period = match (start, end) {
        (Some(s), Some(e)) if e <= s => {
            v.add(
                "period_end",
                format!("{e} is not after the period start {s}"),
            );
            0
        }
        (Some(s), Some(e)) => e.signed_duration_since(s).num_days(),
        _ => 0,
    };
    if r.lines.is_empty() {
        v.add("lines", "required: at least one unit");
    }
    let mut claimed = Vec::new();
    for (i, l) in r.lines.iter().enumerate() {
        let unit_id = v.uuid(&format!("lines[{i}].unit_id"), &l.unit_id);
        if l.nights < 0 || i64::from(l.nights) > period {
            v.add(
                format!("lines[{i}].nights"),
                format!("must be between 0 and the {period} nights of the period"),
            );
        }
        let amount = v.pence(
            &format!("lines[{i}].amount_pence"),
            l.amount_pence,
            INVOICE_LINE,
        );
        if let (Some(unit_id), Some(amount)) = (unit_id, amount) {
            claimed.push(Claimed {
                unit_id,
                nights: l.nights.into(),
                amount,
            });
        }
    }
    let (Some(provider_id), Some(period_start), Some(period_end)) = (provider_id, start, end)
    else {
        return Err(v.into_status());
    };
    let invoice = Invoice {
        id: Uuid::nil(),
        provider_id,
        provider_name: String::new(),
        provider_reference: r.provider_reference.trim().to_owned(),
        period_start,
        period_end,
        lines: vec![],
        submitted_by: submitted_by.to_owned(),
        submitted_at: Utc::now(),
        approved_by: None,
        approved_at: None,
        approved_amount_pence: None,
    };
    v.into_result((invoice, claimed))
}

/// The invoice as a reply; one whose stored sums overflow says so.
pub fn invoice_proto(i: &Invoice) -> Result<pb::Invoice, Status> {
    let (invoiced, expected) = i.totals().map_err(|_| {
        Status::failed_precondition(format!(
            "invoice {} comes to more than can be counted",
            i.id
        ))
    })?;
    Ok(pb::Invoice {
        invoice_id: i.id.to_string(),
        provider_id: i.provider_id.to_string(),
        provider_reference: i.provider_reference.clone(),
        period_start: format_date(i.period_start),
        period_end: format_date(i.period_end),
        lines: i
            .lines
            .iter()
            .map(|l| pb::InvoiceLine {
                unit_id: l.unit_id.to_string(),
                nights: l.reconciled.invoiced_nights as i32,
                amount_pence: l.reconciled.invoiced_pence.get(),
                occupied_nights: l.reconciled.occupied_nights as i32,
                expected_pence: l.reconciled.expected_pence.get(),
                difference: l.reconciled.difference().unwrap_or_default(),
            })
            .collect(),
        invoiced_pence: invoiced.get(),
        expected_pence: expected.get(),
        submitted_by: i.submitted_by.clone(),
        approved_by: i.approved_by.clone().unwrap_or_default(),
        approved_amount_pence: i.approved_amount_pence.unwrap_or_default(),
        submitted_at: Some(timestamp(i.submitted_at)),
        approved_at: i.approved_at.map(timestamp),
        status: to_proto(&INVOICE_STATUSES, i.status()) as i32,
        provider_name: i.provider_name.clone(),
    })
}

impl TryFrom<pb::ListInvoicesRequest> for ListInvoices {
    type Error = Status;

    fn try_from(r: pb::ListInvoicesRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let after = page_after(&r.page_token, &mut v);
        let status = filter_enum(&INVOICE_STATUSES, r.status, "status", &mut v);
        let provider_id = match r.provider_id.as_str() {
            "" => None,
            id => v.uuid("provider_id", id),
        };
        v.into_result(ListInvoices {
            filter: Filter {
                status,
                provider_id,
            },
            after,
            limit: paging::size(r.page_size, PAGE_SIZE, MAX_PAGE_SIZE),
        })
    }
}

/// The token for the page of invoices after `page`, empty after the last.
pub fn invoices_page_token(page: &[Invoice], limit: i64) -> String {
    paging::next_token(page, limit, |i| (i.submitted_at, i.id))
}
