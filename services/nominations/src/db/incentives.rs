//! Under-occupation moves as the approvals queue reads them: a social tenant's latest move
//! through a letting that released bedrooms, awaiting its incentive until one is approved
//! after it; and the incentives approved, each with the move it paid for.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

/// Which moves a list reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    AwaitingApproval,
    Approved,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Move {
    pub approved: bool,
    pub application_id: Uuid,
    pub application_reference: Option<String>,
    pub bedrooms_left: Option<i32>,
    pub bedrooms_moved_to: Option<i32>,
    pub bedrooms_released: i32,
    /// Only once approved: until then the rate of the day gives it.
    pub amount_pence: Option<i64>,
    pub moved_on: Option<NaiveDate>,
    pub let_at: Option<DateTime<Utc>>,
    pub move_id: Option<Uuid>,
    pub payee_name: Option<String>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// The list's order: when the letting was reported, or the incentive approved.
    pub at: DateTime<Utc>,
    /// The letting's id while awaiting, the incentive's once approved.
    pub id: Uuid,
}

/// The latest move of each application, as `mobility::released_by_the_move` reads it, that
/// released bedrooms from a social tenancy and has no incentive approved since.
const AWAITING: &str = "
    SELECT false AS approved, l.application_id, n.application_reference,
           n.current_bedrooms AS bedrooms_left, l.bedrooms AS bedrooms_moved_to,
           n.current_bedrooms - l.bedrooms AS bedrooms_released, NULL::bigint AS amount_pence,
           l.tenancy_start_date AS moved_on, l.completed_at AS let_at, NULL::uuid AS move_id,
           NULL::text AS payee_name, NULL::text AS approved_by, NULL::timestamptz AS approved_at,
           l.completed_at AS at, l.id
    FROM lettings l JOIN nominations n ON n.id = l.nomination_id
    WHERE n.social_tenant AND n.current_bedrooms > l.bedrooms
      AND NOT EXISTS (SELECT 1 FROM lettings later
                      WHERE later.application_id = l.application_id AND later.completed_at > l.completed_at)
      AND NOT EXISTS (SELECT 1 FROM incentives i
                      WHERE i.application_id = l.application_id AND i.approved_at >= l.completed_at)";

/// Each incentive with the latest move reported before it was approved.
const APPROVED: &str = "
    SELECT true AS approved, i.application_id, m.application_reference,
           m.bedrooms_left, m.bedrooms_moved_to, i.bedrooms_released, i.amount_pence,
           m.moved_on, m.let_at, i.id AS move_id, i.payee_name, i.approved_by, i.approved_at,
           i.approved_at AS at, i.id
    FROM incentives i LEFT JOIN LATERAL (
        SELECT n.application_reference, n.current_bedrooms AS bedrooms_left,
               l.bedrooms AS bedrooms_moved_to, l.tenancy_start_date AS moved_on,
               l.completed_at AS let_at
        FROM lettings l JOIN nominations n ON n.id = l.nomination_id
        WHERE l.application_id = i.application_id AND l.completed_at <= i.approved_at
        ORDER BY l.completed_at DESC LIMIT 1
    ) m ON true";

/// Moves at `stage` (any when `None`), the earliest first, after `after` (at, id).
pub async fn list(
    conn: &mut PgConnection,
    stage: Option<Stage>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Move>, sqlx::Error> {
    let moves = match stage {
        Some(Stage::AwaitingApproval) => AWAITING.to_owned(),
        Some(Stage::Approved) => APPROVED.to_owned(),
        None => format!("{AWAITING} UNION ALL {APPROVED}"),
    };
    let mut q = QueryBuilder::<Postgres>::new(format!("SELECT * FROM ({moves}) m WHERE true"));
    if let Some((at, id)) = after {
        q.push(" AND (at, id) > (")
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" ORDER BY at, id LIMIT ").push_bind(limit);
    q.build_query_as().fetch_all(conn).await
}
