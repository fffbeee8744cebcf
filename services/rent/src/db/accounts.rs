use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::money::Pence;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::domain::charges::Schedule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    Open,
    Closed,
}

#[derive(Debug, Clone)]
pub struct RentAccount {
    pub id: Uuid,
    pub placement_id: Uuid,
    pub application_id: Option<Uuid>,
    pub status: AccountStatus,
    /// The weekly rent.
    pub weekly_charge_pence: i64,
    /// Charged weekly on top of the rent.
    pub weekly_service_charge_pence: i64,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub charged_through: NaiveDate,
    /// Assigned by the database when the account opens.
    pub payment_reference: String,
}

pub async fn insert(
    conn: &mut PgConnection,
    a: &RentAccount,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rent_accounts (id, placement_id, application_id, status, weekly_charge_pence, opened_on,
                                    charged_through, created_at, payment_reference, weekly_service_charge_pence)
         VALUES ($1, $2, $3, 'open', $4, $5, $6, $7,
                 'TA' || lpad(nextval('payment_reference_seq')::text, 8, '0'), $8)",
    )
    .bind(a.id)
    .bind(a.placement_id)
    .bind(a.application_id)
    .bind(a.weekly_charge_pence)
    .bind(a.opened_on)
    .bind(a.charged_through)
    .bind(at)
    .bind(a.weekly_service_charge_pence)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn close(
    conn: &mut PgConnection,
    id: Uuid,
    closed_on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE rent_accounts SET status = 'closed', closed_on = $2, charged_through = greatest(charged_through, $2) WHERE id = $1")
        .bind(id)
        .bind(closed_on)
        .execute(conn)
        .await?;
    Ok(())
}

pub enum Key {
    Account(Uuid),
    Placement(Uuid),
    PaymentReference(String),
}

/// The account, locked for the rest of the transaction.
pub async fn find(conn: &mut PgConnection, key: Key) -> Result<Option<RentAccount>, sqlx::Error> {
    let column = match key {
        Key::Account(_) => "id",
        Key::Placement(_) => "placement_id",
        Key::PaymentReference(_) => "payment_reference",
    };
    let sql = format!(
        "SELECT id, placement_id, application_id, status, weekly_charge_pence, weekly_service_charge_pence, opened_on,
                closed_on, charged_through,
                payment_reference
         FROM rent_accounts WHERE {column} = $1 FOR UPDATE"
    );
    let query = sqlx::query(&sql);
    let query = match key {
        Key::Account(id) | Key::Placement(id) => query.bind(id),
        Key::PaymentReference(reference) => query.bind(reference),
    };
    let row = query.fetch_optional(conn).await?;
    row.map(|row| {
        Ok(RentAccount {
            id: row.try_get("id")?,
            placement_id: row.try_get("placement_id")?,
            application_id: row.try_get("application_id")?,
            status: if row.try_get::<String, _>("status")? == "open" {
                AccountStatus::Open
            } else {
                AccountStatus::Closed
            },
            weekly_charge_pence: row.try_get("weekly_charge_pence")?,
            weekly_service_charge_pence: row.try_get("weekly_service_charge_pence")?,
            opened_on: row.try_get("opened_on")?,
            closed_on: row.try_get("closed_on")?,
            charged_through: row.try_get("charged_through")?,
            payment_reference: row.try_get("payment_reference")?,
        })
    })
    .transpose()
}

pub async fn set_schedule(
    conn: &mut PgConnection,
    id: Uuid,
    schedule: Schedule,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE rent_accounts SET weekly_charge_pence = $2, weekly_service_charge_pence = $3 WHERE id = $1")
        .bind(id)
        .bind(schedule.rent_pence.get())
        .bind(schedule.service_pence.get())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn record_charge_change(
    conn: &mut PgConnection,
    account: &RentAccount,
    from: NaiveDate,
    new: Schedule,
    reason: &str,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO charge_changes (account_id, effective_from, old_weekly_pence, new_weekly_pence, old_weekly_service_pence,
                                     new_weekly_service_pence, reason, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(account.id)
    .bind(from)
    .bind(account.weekly_charge_pence)
    .bind(new.rent_pence.get())
    .bind(account.weekly_service_charge_pence)
    .bind(new.service_pence.get())
    .bind(reason)
    .bind(by)
    .bind(Utc::now())
    .execute(conn)
    .await?;
    Ok(())
}

impl RentAccount {
    pub fn schedule(&self) -> Schedule {
        Schedule {
            rent_pence: Pence::new(self.weekly_charge_pence),
            service_pence: Pence::new(self.weekly_service_charge_pence),
        }
    }
}
