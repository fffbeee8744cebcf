//! Nightly-paid invoices reconciled against the nights households were there, their
//! approval for payment, and the void loss of block-booked units.

use housing_platform::db::Pool;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::money::{Overflow, Pence};
use housing_platform::{idempotency, time};
use housing_proto::accommodation::v1 as pb;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::invoices::{self as store, Filter, Invoice, Line, PricedUnit};
use crate::db::stock;
use crate::domain::invoices::{self, Reconciled, empty_nights};
use crate::domain::unit::CostOutOfRange;

/// A line as the provider sent it.
pub struct Claimed {
    pub unit_id: Uuid,
    pub nights: i64,
    pub amount: Pence,
}

/// Nights each unit in `units` was occupied in `[start, end)`.
async fn occupied_nights(
    conn: &mut PgConnection,
    units: &[Uuid],
    start: NaiveDate,
    end: NaiveDate,
) -> Result<HashMap<Uuid, i64>, AppError> {
    let stays = store::stays_within(conn, units, start, end).await?;
    invoices::occupied_nights(&stays, start, end).map_err(|_| {
        AppError::FailedPrecondition(format!(
            "the stays from {start} to {end} come to more nights than can be counted"
        ))
    })
}

/// The sums of an invoice overflow: only stored figures out of range could make them.
fn beyond_counting(invoice: Uuid) -> impl Fn(Overflow) -> AppError {
    move |_| {
        AppError::FailedPrecondition(format!(
            "invoice {invoice} comes to more than can be counted"
        ))
    }
}

pub async fn submit(
    pool: &Pool,
    request_id: &str,
    mut invoice: Invoice,
    claimed: Vec<Claimed>,
) -> Result<Invoice, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "accommodation.SubmitInvoice", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        return store::find(&mut tx, id)
            .await?
            .ok_or_else(|| AppError::not_found("invoice", id));
    }
    let mut v = FieldViolations::new();
    match stock::provider_name(&mut tx, invoice.provider_id).await? {
        Some((name, _)) => invoice.provider_name = name,
        None => v.add(
            "provider_id",
            format!("no provider {}", invoice.provider_id),
        ),
    }
    let ids: Vec<Uuid> = claimed.iter().map(|c| c.unit_id).collect();
    let units: HashMap<Uuid, PricedUnit> = store::priced_units(&mut tx, Some(&ids))
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    for (i, c) in claimed.iter().enumerate() {
        match units.get(&c.unit_id) {
            None => v.add(
                format!("lines[{i}].unit_id"),
                format!("no unit {}", c.unit_id),
            ),
            Some(u) if u.provider_id != invoice.provider_id => v.add(
                format!("lines[{i}].unit_id"),
                "the unit is another provider's",
            ),
            Some(_) => {}
        }
    }
    if !v.is_empty() {
        return Err(AppError::Invalid(v));
    }
    let occupied = occupied_nights(&mut tx, &ids, invoice.period_start, invoice.period_end).await?;
    invoice.lines = claimed
        .iter()
        .map(|c| {
            let occupied_nights = occupied.get(&c.unit_id).copied().unwrap_or(0);
            let expected_pence = units[&c.unit_id]
                .cost
                .for_nights(occupied_nights)
                .map_err(|_| CostOutOfRange(c.unit_id))?;
            Ok(Line {
                unit_id: c.unit_id,
                reconciled: Reconciled {
                    invoiced_nights: c.nights,
                    invoiced_pence: c.amount,
                    occupied_nights,
                    expected_pence,
                },
            })
        })
        .collect::<Result<_, CostOutOfRange>>()?;
    invoice.id = Uuid::now_v7();
    invoice.submitted_at = Utc::now();
    // An invoice is stored only if what it comes to can be read back.
    invoice.totals().map_err(beyond_counting(invoice.id))?;
    store::insert(&mut tx, &invoice).await?;
    idempotency::record(
        &mut tx,
        "accommodation.SubmitInvoice",
        request_id,
        &invoice.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(invoice)
}

/// Approves paying what the occupied nights cost at the agreed rates, whatever was
/// invoiced; approving twice changes nothing.
pub async fn approve(pool: &Pool, id: Uuid, by: &str) -> Result<Invoice, AppError> {
    let mut tx = pool.begin().await?;
    let mut invoice = store::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("invoice", id))?;
    if invoice.approved_by.is_some() {
        return Ok(invoice);
    }
    let (_, amount) = invoice.totals().map_err(beyond_counting(id))?;
    if amount == Pence::ZERO {
        return Err(AppError::FailedPrecondition(format!(
            "invoice {id} is for no occupied nights: nothing to pay"
        )));
    }
    let now = Utc::now();
    store::approve(&mut tx, id, by, now, amount).await?;
    let (provider_name, _) = stock::provider_name(&mut tx, invoice.provider_id)
        .await?
        .ok_or_else(|| AppError::not_found("provider", invoice.provider_id))?;
    let event = pb::InvoiceApproved {
        invoice_id: id.to_string(),
        provider_id: invoice.provider_id.to_string(),
        provider_name,
        provider_reference: invoice.provider_reference.clone(),
        amount_pence: amount.get(),
        period_start: time::format_date(invoice.period_start),
        period_end: time::format_date(invoice.period_end),
        approved_by: by.to_owned(),
        approved_at: Some(time::timestamp(now)),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new("housing.accommodation.invoice.approved.v1", id, &event),
    )
    .await?;
    tx.commit().await?;
    invoice.approved_by = Some(by.to_owned());
    invoice.approved_at = Some(now);
    invoice.approved_amount_pence = Some(amount.get());
    Ok(invoice)
}

/// A page of invoices: those matching `filter` after the position `after` (submitted at,
/// id), oldest submitted first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListInvoices {
    pub filter: Filter,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

pub async fn list(pool: &Pool, q: &ListInvoices) -> Result<Vec<Invoice>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(store::list(&mut conn, q.filter, q.after, q.limit).await?)
}

pub async fn get(pool: &Pool, id: Uuid) -> Result<Invoice, AppError> {
    let mut conn = pool.acquire().await?;
    store::read(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("invoice", id))
}

pub struct Void {
    pub unit_id: Uuid,
    pub nights: i64,
    pub loss_pence: Pence,
}

/// The voids of a period, unit by unit and in all.
pub struct Voids {
    pub units: Vec<Void>,
    pub nights: i64,
    pub loss_pence: Pence,
}

/// Every block-booked unit's empty nights in `[start, end)` and what they cost.
pub async fn voids(pool: &Pool, start: NaiveDate, end: NaiveDate) -> Result<Voids, AppError> {
    let mut conn = pool.acquire().await?;
    voids_in(&mut conn, start, end).await
}

/// [`voids`], read on a connection the caller holds (a report's snapshot, say).
pub async fn voids_in(
    conn: &mut PgConnection,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Voids, AppError> {
    let units = store::priced_units(conn, None).await?;
    let ids: Vec<Uuid> = units.iter().map(|u| u.id).collect();
    let occupied = occupied_nights(conn, &ids, start, end).await?;
    let mut voids = Voids {
        units: Vec::with_capacity(units.len()),
        nights: 0,
        loss_pence: Pence::ZERO,
    };
    for u in &units {
        let out_of_range = |_: Overflow| CostOutOfRange(u.id);
        let occupied = occupied.get(&u.id).copied().unwrap_or(0);
        let nights = empty_nights(u.held, start, end, occupied).map_err(out_of_range)?;
        let loss_pence = u.cost.for_nights(nights).map_err(out_of_range)?;
        voids.nights = voids
            .nights
            .checked_add(nights)
            .ok_or(CostOutOfRange(u.id))?;
        voids.loss_pence = voids
            .loss_pence
            .checked_add(loss_pence)
            .map_err(out_of_range)?;
        voids.units.push(Void {
            unit_id: u.id,
            nights,
            loss_pence,
        });
    }
    Ok(voids)
}
