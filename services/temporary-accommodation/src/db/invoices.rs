//! Invoices and their lines; the stays and block-booked units they are checked against.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::money::{Overflow, Pence};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::stock::cost;
use crate::domain::invoices::{InvoiceStatus, Reconciled, totals};
use crate::domain::unit::Cost;

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub unit_id: Uuid,
    pub reconciled: Reconciled,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Invoice {
    pub id: Uuid,
    pub provider_id: Uuid,
    /// As the providers table holds it when the invoice is read.
    pub provider_name: String,
    pub provider_reference: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub lines: Vec<Line>,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_amount_pence: Option<i64>,
}

impl Invoice {
    /// What the invoice comes to: invoiced, and expected at the agreed rates.
    pub fn totals(&self) -> Result<(Pence, Pence), Overflow> {
        totals(self.lines.iter().map(|l| l.reconciled))
    }

    pub fn status(&self) -> InvoiceStatus {
        if self.approved_by.is_some() {
            InvoiceStatus::Approved
        } else {
            InvoiceStatus::AwaitingApproval
        }
    }
}

/// Which invoices a list shows: `None` is any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filter {
    pub status: Option<InvoiceStatus>,
    pub provider_id: Option<Uuid>,
}

pub async fn insert(conn: &mut PgConnection, i: &Invoice) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invoices (id, provider_id, provider_reference, period_start, period_end, submitted_by, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(i.id)
    .bind(i.provider_id)
    .bind(&i.provider_reference)
    .bind(i.period_start)
    .bind(i.period_end)
    .bind(&i.submitted_by)
    .bind(i.submitted_at)
    .execute(&mut *conn)
    .await?;
    let column = |f: fn(&Line) -> i64| i.lines.iter().map(f).collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO invoice_lines (invoice_id, line, unit_id, invoiced_nights, invoiced_pence, occupied_nights, expected_pence)
         SELECT $1, l.n, l.unit_id, l.inights, l.ipence, l.onights, l.epence
         FROM UNNEST($2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
              WITH ORDINALITY AS l(unit_id, inights, ipence, onights, epence, n)",
    )
    .bind(i.id)
    .bind(i.lines.iter().map(|l| l.unit_id).collect::<Vec<_>>())
    .bind(column(|l| l.reconciled.invoiced_nights))
    .bind(column(|l| l.reconciled.invoiced_pence.get()))
    .bind(column(|l| l.reconciled.occupied_nights))
    .bind(column(|l| l.reconciled.expected_pence.get()))
    .execute(conn)
    .await?;
    Ok(())
}

const COLUMNS: &str = "i.id, i.provider_id, p.name AS provider_name, i.provider_reference,
    i.period_start, i.period_end, i.submitted_by, i.submitted_at, i.approved_by, i.approved_at,
    i.approved_amount_pence";

/// The invoice `id`, locked: it is read to be approved.
pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Invoice>, sqlx::Error> {
    by_id(conn, id, "FOR UPDATE OF i").await
}

/// The invoice `id`, to be shown.
pub async fn read(conn: &mut PgConnection, id: Uuid) -> Result<Option<Invoice>, sqlx::Error> {
    by_id(conn, id, "").await
}

async fn by_id(
    conn: &mut PgConnection,
    id: Uuid,
    lock: &str,
) -> Result<Option<Invoice>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM invoices i JOIN providers p ON p.id = i.provider_id
         WHERE i.id = $1 {lock}"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(with_lines(conn, &rows).await?.pop())
}

/// Up to `limit` invoices matching `filter`, oldest submitted first, after the position
/// `after` (submitted at, id).
pub async fn list(
    conn: &mut PgConnection,
    filter: Filter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Invoice>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM invoices i JOIN providers p ON p.id = i.provider_id
         WHERE ($1::boolean IS NULL OR (i.approved_by IS NOT NULL) = $1)
           AND ($2::uuid IS NULL OR i.provider_id = $2)
           AND ($3::timestamptz IS NULL OR (i.submitted_at, i.id) > ($3, $4::uuid))
         ORDER BY i.submitted_at, i.id
         LIMIT $5"
    ))
    .bind(filter.status.map(|s| s == InvoiceStatus::Approved))
    .bind(filter.provider_id)
    .bind(after.map(|(at, _)| at))
    .bind(after.map(|(_, id)| id))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    with_lines(conn, &rows).await
}

/// The invoices of `rows`, each with its lines (read in one query), in the same order.
async fn with_lines(conn: &mut PgConnection, rows: &[PgRow]) -> Result<Vec<Invoice>, sqlx::Error> {
    let ids = rows
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<Vec<Uuid>, _>>()?;
    let mut lines: HashMap<Uuid, Vec<Line>> = HashMap::new();
    for l in sqlx::query(
        "SELECT invoice_id, unit_id, invoiced_nights, invoiced_pence, occupied_nights, expected_pence
         FROM invoice_lines WHERE invoice_id = ANY($1) ORDER BY invoice_id, line",
    )
    .bind(&ids)
    .fetch_all(conn)
    .await?
    {
        lines.entry(l.try_get("invoice_id")?).or_default().push(Line {
            unit_id: l.try_get("unit_id")?,
            reconciled: Reconciled {
                invoiced_nights: l.try_get::<i32, _>("invoiced_nights")?.into(),
                invoiced_pence: Pence::new(l.try_get("invoiced_pence")?),
                occupied_nights: l.try_get::<i32, _>("occupied_nights")?.into(),
                expected_pence: Pence::new(l.try_get("expected_pence")?),
            },
        });
    }
    rows.iter()
        .zip(ids)
        .map(|(r, id)| {
            Ok(Invoice {
                id,
                provider_id: r.try_get("provider_id")?,
                provider_name: r.try_get("provider_name")?,
                provider_reference: r.try_get("provider_reference")?,
                period_start: r.try_get("period_start")?,
                period_end: r.try_get("period_end")?,
                lines: lines.remove(&id).unwrap_or_default(),
                submitted_by: r.try_get("submitted_by")?,
                submitted_at: r.try_get("submitted_at")?,
                approved_by: r.try_get("approved_by")?,
                approved_at: r.try_get("approved_at")?,
                approved_amount_pence: r.try_get("approved_amount_pence")?,
            })
        })
        .collect()
}

pub async fn approve(
    conn: &mut PgConnection,
    id: Uuid,
    by: &str,
    at: DateTime<Utc>,
    amount: Pence,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE invoices SET approved_by = $2, approved_at = $3, approved_amount_pence = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(by)
    .bind(at)
    .bind(amount.get())
    .execute(conn)
    .await?;
    Ok(())
}

/// A unit as invoicing sees it: whose it is, what it costs, whether it is block-booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PricedUnit {
    pub id: Uuid,
    pub provider_id: Uuid,
    pub cost: Cost,
    /// The first night the council held it (the day it was registered, in England) and the
    /// day it was withdrawn, if it was.
    pub held: (NaiveDate, Option<NaiveDate>),
}

/// The units among `ids` that exist, or every block-booked unit when `ids` is `None`.
pub async fn priced_units(
    conn: &mut PgConnection,
    ids: Option<&[Uuid]>,
) -> Result<Vec<PricedUnit>, sqlx::Error> {
    sqlx::query_as::<_, (Uuid, Uuid, i64, Option<i64>, NaiveDate, Option<NaiveDate>)>(
        "SELECT id, provider_id, weekly_cost_pence, nightly_cost_pence,
                (created_at AT TIME ZONE 'Europe/London')::date, withdrawn_on FROM units
         WHERE CASE WHEN $1::uuid[] IS NULL THEN block_booked ELSE id = ANY($1) END ORDER BY id",
    )
    .bind(ids)
    .fetch_all(conn)
    .await
    .map(|rows| {
        rows.into_iter()
            .map(
                |(id, provider_id, weekly, nightly, registered, withdrawn)| PricedUnit {
                    id,
                    provider_id,
                    cost: cost(weekly, nightly),
                    held: (registered, withdrawn),
                },
            )
            .collect()
    })
}

/// Stays in `units` that overlap `[start, end)`: (unit, from, to).
pub async fn stays_within(
    conn: &mut PgConnection,
    units: &[Uuid],
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<(Uuid, NaiveDate, Option<NaiveDate>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT unit_id, from_date, to_date FROM placement_stays
         WHERE unit_id = ANY($1) AND from_date < $3 AND (to_date IS NULL OR to_date > $2)",
    )
    .bind(units)
    .bind(start)
    .bind(end)
    .fetch_all(conn)
    .await
}
