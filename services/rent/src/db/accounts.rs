use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::money::Pence;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::domain::arrears::Stage;
use crate::domain::charges::Schedule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    Open,
    Closed,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Open => "open",
            AccountStatus::Closed => "closed",
        }
    }
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

/// Opens `a` unless its placement has an account already: the account as stored, or none.
pub async fn insert(
    conn: &mut PgConnection,
    a: &RentAccount,
    at: DateTime<Utc>,
) -> Result<Option<RentAccount>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "INSERT INTO rent_accounts (id, placement_id, application_id, status, weekly_charge_pence, opened_on,
                                    charged_through, created_at, payment_reference, weekly_service_charge_pence)
         VALUES ($1, $2, $3, 'open', $4, $5, $6, $7,
                 'TA' || lpad(nextval('payment_reference_seq')::text, 8, '0'), $8)
         ON CONFLICT (placement_id) DO NOTHING
         RETURNING {ACCOUNT_COLUMNS}"
    ))
    .bind(a.id)
    .bind(a.placement_id)
    .bind(a.application_id)
    .bind(a.weekly_charge_pence)
    .bind(a.opened_on)
    .bind(a.charged_through)
    .bind(at)
    .bind(a.weekly_service_charge_pence)
    .fetch_optional(conn)
    .await?;
    row.map(|row| account_from_row(&row)).transpose()
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

const ACCOUNT_COLUMNS: &str = "id, placement_id, application_id, status, weekly_charge_pence,
    weekly_service_charge_pence, opened_on, closed_on, charged_through, payment_reference";

/// The account, locked for the rest of the transaction.
pub async fn find(conn: &mut PgConnection, key: Key) -> Result<Option<RentAccount>, sqlx::Error> {
    let column = match key {
        Key::Account(_) => "id",
        Key::Placement(_) => "placement_id",
        Key::PaymentReference(_) => "payment_reference",
    };
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM rent_accounts WHERE {column} = $1 FOR UPDATE");
    let query = sqlx::query(&sql);
    let query = match key {
        Key::Account(id) | Key::Placement(id) => query.bind(id),
        Key::PaymentReference(reference) => query.bind(reference),
    };
    let row = query.fetch_optional(conn).await?;
    row.map(|row| account_from_row(&row)).transpose()
}

fn account_from_row(row: &PgRow) -> Result<RentAccount, sqlx::Error> {
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
}

/// Which accounts a list takes; each filter left out takes them all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// As of the last arrears review; an account never reviewed is clear.
    pub stage: Option<Stage>,
    pub status: Option<AccountStatus>,
    pub reference: Option<Reference>,
    pub application_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    Exact(String),
    /// References that start with this.
    Prefix(String),
}

/// Where a page of the queue ends: the last account's balance, exact as stored (beyond 64
/// bits only in a ledger holding an absurd posting), and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub balance: i128,
    pub account_id: Uuid,
}

/// An account as the queue lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub account: RentAccount,
    /// Saturated, as every sum read back is.
    pub balance: Pence,
    pub position: Position,
    pub stage: Stage,
    pub has_active_plan: bool,
}

/// Accounts in `filter` after `after`, the highest balance first, then by id.
pub async fn list(
    conn: &mut PgConnection,
    filter: &Filter,
    after: Option<Position>,
    limit: i64,
) -> Result<Vec<Listed>, sqlx::Error> {
    // The page is sorted out of the queue's narrow rows first (the balance has no index:
    // see the migration), and only its accounts are read.
    let mut q = QueryBuilder::<Postgres>::new(
        "SELECT a.id, a.placement_id, a.application_id, a.status, a.weekly_charge_pence,
                a.weekly_service_charge_pence, a.opened_on, a.closed_on, a.charged_through,
                a.payment_reference,
                saturating_pence(q.balance_pence) AS balance, q.balance_pence::text AS position,
                q.stage, pp.id IS NOT NULL AS has_active_plan
         FROM (",
    );
    push_from(&mut q, "q.account_id, q.balance_pence, q.stage", filter);
    push_filter(&mut q, filter, true);
    if let Some(after) = after {
        let balance = after.balance.to_string();
        q.push(" AND q.balance_pence <= ")
            .push_bind(balance.clone())
            .push("::numeric AND (q.balance_pence < ")
            .push_bind(balance)
            .push("::numeric OR q.account_id > ")
            .push_bind(after.account_id)
            .push(")");
    }
    q.push(" ORDER BY q.balance_pence DESC, q.account_id LIMIT ")
        .push_bind(limit)
        .push(
            ") q
             JOIN rent_accounts a ON a.id = q.account_id
             -- At most one: payment_plans_one_active.
             LEFT JOIN payment_plans pp ON pp.account_id = a.id AND pp.status = 'active'
             ORDER BY q.balance_pence DESC, q.account_id",
        );
    let rows = q.build().fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            let account = account_from_row(row)?;
            let position: String = row.try_get("position")?;
            let balance = position.parse().map_err(|e| sqlx::Error::ColumnDecode {
                index: "position".into(),
                source: Box::new(e),
            })?;
            Ok(Listed {
                position: Position {
                    balance,
                    account_id: account.id,
                },
                account,
                balance: Pence::new(row.try_get("balance")?),
                stage: Stage::parse(&row.try_get::<String, _>("stage")?).unwrap_or(Stage::Clear),
                has_active_plan: row.try_get("has_active_plan")?,
            })
        })
        .collect()
}

/// How many accounts in `filter`, its stage left out, stand at each stage: every stage, in
/// the order of recovery.
pub async fn count_by_stage(
    conn: &mut PgConnection,
    filter: &Filter,
) -> Result<Vec<(Stage, i64)>, sqlx::Error> {
    let mut q = QueryBuilder::<Postgres>::new("");
    push_from(&mut q, "q.stage, count(*) AS accounts", filter);
    push_filter(&mut q, filter, false);
    q.push(" GROUP BY 1");
    let counted: Vec<(String, i64)> = q.build_query_as().fetch_all(conn).await?;
    Ok(Stage::ALL
        .into_iter()
        .map(|stage| {
            let accounts = counted
                .iter()
                .filter(|(s, _)| Stage::parse(s).unwrap_or(Stage::Clear) == stage)
                .map(|(_, n)| *n)
                .sum();
            (stage, accounts)
        })
        .collect())
}

/// `SELECT columns` from the queue (`q`), with the account (`a`) only where the filter needs
/// it: counting or sorting the whole queue reads the queue alone.
fn push_from(q: &mut QueryBuilder<'_, Postgres>, columns: &str, filter: &Filter) {
    q.push("SELECT ")
        .push(columns)
        .push(" FROM account_queue q");
    if filter.reference.is_some() || filter.application_id.is_some() {
        q.push(" JOIN rent_accounts a ON a.id = q.account_id");
    }
    q.push(" WHERE true");
}

/// The filter's conditions on `q` (the account's place in the queue) and `a` (the account,
/// for its reference and application); the stage only with `by_stage`.
fn push_filter(q: &mut QueryBuilder<'_, Postgres>, filter: &Filter, by_stage: bool) {
    if let Some(stage) = filter.stage.filter(|_| by_stage) {
        q.push(" AND q.stage = ").push_bind(stage.as_str());
    }
    if let Some(status) = filter.status {
        q.push(" AND q.status = ").push_bind(status.as_str());
    }
    match &filter.reference {
        Some(Reference::Exact(reference)) => {
            q.push(" AND a.payment_reference = ")
                .push_bind(reference.clone());
        }
        // A range of the byte-ordered index, so that a prepared plan uses it too.
        Some(Reference::Prefix(prefix)) => {
            q.push(r#" AND a.payment_reference COLLATE "C" >= "#)
                .push_bind(prefix.clone());
            if let Some(end) = prefix_end(prefix) {
                q.push(r#" AND a.payment_reference COLLATE "C" < "#)
                    .push_bind(end);
            }
        }
        None => {}
    }
    if let Some(application_id) = filter.application_id {
        q.push(" AND a.application_id = ").push_bind(application_id);
    }
}

/// The first text after every text that starts with `prefix`, byte by byte (as UTF-8, so
/// character by character): the prefix with its last character moved on one. `None` when
/// nothing comes after (an empty prefix, or one of the last character only).
fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match u32::from(last) {
            // The surrogates are no characters: the next after U+D7FF is U+E000.
            0xD7FF => Some('\u{E000}'),
            code => code.checked_add(1).and_then(char::from_u32),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::prefix_end;

    #[test]
    fn a_prefix_ends_where_its_last_character_moves_on() {
        assert_eq!(prefix_end("TA0001").as_deref(), Some("TA0002"));
        assert_eq!(prefix_end("TA09").as_deref(), Some("TA0:"));
        assert_eq!(prefix_end("TAZ").as_deref(), Some("TA["));
        assert_eq!(prefix_end("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_end("\u{10FFFF}"), None);
        assert_eq!(prefix_end(""), None);
    }
}
