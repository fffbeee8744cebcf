//! Providers' invoices, and the nights units stood empty.

use housing_platform::auth::{Role, caller};
use housing_platform::db::Pool;
use housing_platform::errors::{FieldViolations, uuid_field};
use housing_proto::accommodation::v1 as pb;
use tonic::{Request, Response};

use super::{READ, Reply, TA_STAFF, mapping};
use crate::app::invoices::{self, ListInvoices};

pub(super) async fn submit_invoice(
    pool: &Pool,
    request: Request<pb::SubmitInvoiceRequest>,
) -> Reply<pb::SubmitInvoiceResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let r = request.into_inner();
    let (invoice, claimed) = mapping::invoice(&r, &caller.id)?;
    let invoice = invoices::submit(pool, &r.request_id, invoice, claimed).await?;
    Ok(Response::new(pb::SubmitInvoiceResponse {
        invoice: Some(mapping::invoice_proto(&invoice)?),
    }))
}

pub(super) async fn approve_invoice(
    pool: &Pool,
    request: Request<pb::ApproveInvoiceRequest>,
) -> Reply<pb::ApproveInvoiceResponse> {
    let caller = caller(&request)?;
    // Paying a provider is a manager's approval, as every approval is; officers check and
    // submit.
    caller.require(&[Role::Manager])?;
    let id = uuid_field("invoice_id", &request.get_ref().invoice_id)?;
    let invoice = invoices::approve(pool, id, &caller.id).await?;
    Ok(Response::new(pb::ApproveInvoiceResponse {
        invoice: Some(mapping::invoice_proto(&invoice)?),
    }))
}

pub(super) async fn list_invoices(
    pool: &Pool,
    request: Request<pb::ListInvoicesRequest>,
) -> Reply<pb::ListInvoicesResponse> {
    caller(&request)?.require(TA_STAFF)?;
    let query = ListInvoices::try_from(request.into_inner())?;
    let page = invoices::list(pool, &query).await?;
    Ok(Response::new(pb::ListInvoicesResponse {
        next_page_token: mapping::invoices_page_token(&page, query.limit),
        invoices: page
            .iter()
            .map(mapping::invoice_proto)
            .collect::<Result<_, _>>()?,
    }))
}

pub(super) async fn get_invoice(
    pool: &Pool,
    request: Request<pb::GetInvoiceRequest>,
) -> Reply<pb::GetInvoiceResponse> {
    caller(&request)?.require(TA_STAFF)?;
    let id = uuid_field("invoice_id", &request.get_ref().invoice_id)?;
    let invoice = invoices::get(pool, id).await?;
    Ok(Response::new(pb::GetInvoiceResponse {
        invoice: Some(mapping::invoice_proto(&invoice)?),
    }))
}

pub(super) async fn get_voids(
    pool: &Pool,
    request: Request<pb::GetVoidsRequest>,
) -> Reply<pb::GetVoidsResponse> {
    caller(&request)?.require(READ)?;
    let r = request.into_inner();
    let mut v = FieldViolations::new();
    let start = v.date("period_start", &r.period_start);
    let end = v.date("period_end", &r.period_end);
    let (Some(start), Some(end)) = (start, end) else {
        return Err(v.into_status());
    };
    if end <= start {
        v.add(
            "period_end",
            format!("{end} is not after the period start {start}"),
        );
    }
    v.into_result(())?;
    let voids = invoices::voids(pool, start, end).await?;
    // Nights go out in 32 bits: a count beyond them reads as the most they hold.
    let nights = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    Ok(Response::new(pb::GetVoidsResponse {
        void_nights: nights(voids.nights),
        void_loss_pence: voids.loss_pence.get(),
        units: voids
            .units
            .iter()
            .map(|u| pb::UnitVoid {
                unit_id: u.unit_id.to_string(),
                void_nights: nights(u.nights),
                void_loss_pence: u.loss_pence.get(),
            })
            .collect(),
    }))
}
