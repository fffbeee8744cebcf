//! Mobility: under-occupation moves (a tenant who moves to a smaller home frees bedrooms for
//! a family; the council pays an incentive for each, which the rent service pays out) and
//! mobility schemes, owed a share of the council's lets.

use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use housing_platform::{idempotency, time};
use housing_proto::nominations::v1 as pb;
use uuid::Uuid;

use crate::db::measures;

/// The bedrooms the application's move released: those of the home it left less those of
/// the home it moved to, from the letting it was nominated to, never typed in. `stated`,
/// when not 0, must agree.
async fn released_by_the_move(
    conn: &mut sqlx::PgConnection,
    application: Uuid,
    stated: i32,
) -> Result<i32, AppError> {
    let moved = crate::db::lettings::latest_move(conn, application)
        .await?
        .ok_or_else(|| {
            AppError::FailedPrecondition(format!(
                "application {application} has moved through no letting: an incentive pays for a move that has happened"
            ))
        })?;
    // The incentive pays for a social home given back; a private tenant or an owner
    // releases none to the council's partners.
    if moved.social_tenant != Some(true) {
        return Err(AppError::FailedPrecondition(format!(
            "application {application} did not hold a council or housing association tenancy when nominated: an under-occupation incentive pays for releasing a social home"
        )));
    }
    let moved_to = moved.moved_to;
    let left = moved.left.ok_or_else(|| {
        AppError::FailedPrecondition(format!(
            "the register did not know how many bedrooms application {application}'s home had when it was nominated"
        ))
    })?;
    let released = left - moved_to;
    if released < 1 {
        return Err(AppError::FailedPrecondition(format!(
            "the move was from {left} bedrooms to {moved_to}: it released none"
        )));
    }
    if stated != 0 && stated != released {
        let mut v = housing_platform::errors::FieldViolations::new();
        v.add(
            "bedrooms_released",
            format!("the move released {released}: from {left} bedrooms to {moved_to}"),
        );
        return Err(AppError::Invalid(v));
    }
    Ok(released)
}

pub async fn approve_incentive(
    pool: &Pool,
    request_id: &str,
    application: Uuid,
    payee: &str,
    bedrooms_released: i32,
    per_bedroom_pence: i64,
    by: &str,
) -> Result<(Uuid, i64), AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "nominations.ApproveIncentive", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        let amount = measures::incentive_amount(&mut tx, id).await?;
        return Ok((id, amount));
    }
    let bedrooms_released = released_by_the_move(&mut tx, application, bedrooms_released).await?;
    let id = Uuid::now_v7();
    let amount = per_bedroom_pence
        .checked_mul(i64::from(bedrooms_released))
        .ok_or_else(|| {
            AppError::FailedPrecondition(format!(
                "{bedrooms_released} bedrooms at {per_bedroom_pence} pence each is beyond what a payment may be"
            ))
        })?;
    measures::insert_incentive(
        &mut tx,
        id,
        application,
        payee,
        bedrooms_released,
        amount,
        by,
    )
    .await?;
    let approved = pb::IncentiveApproved {
        move_id: id.to_string(),
        application_id: application.to_string(),
        payee_name: payee.to_owned(),
        bedrooms_released,
        amount_pence: amount,
        approved_by: by.to_owned(),
        approved_at: Some(time::timestamp(chrono::Utc::now())),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new("housing.nominations.incentive.approved.v1", id, &approved),
    )
    .await?;
    idempotency::record(
        &mut tx,
        "nominations.ApproveIncentive",
        request_id,
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok((id, amount))
}

pub async fn create_scheme(
    pool: &Pool,
    request_id: &str,
    name: &str,
    quota_percent: i32,
) -> Result<measures::MobilityScheme, AppError> {
    let mut tx = pool.begin().await?;
    let id = match idempotency::replay::<String>(
        &mut tx,
        "nominations.CreateMobilityScheme",
        request_id,
    )
    .await?
    {
        Some(id) => {
            Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?
        }
        None => {
            let scheme = measures::MobilityScheme {
                id: Uuid::now_v7(),
                name: name.to_owned(),
                quota_percent,
            };
            measures::insert_scheme(&mut tx, &scheme).await?;
            idempotency::record(
                &mut tx,
                "nominations.CreateMobilityScheme",
                request_id,
                &scheme.id.to_string(),
            )
            .await?;
            scheme.id
        }
    };
    let scheme = measures::find_scheme(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("mobility scheme", id))?;
    tx.commit().await?;
    Ok(scheme)
}

/// A scheme's share of a period's lets.
pub struct Quota {
    pub lettings: i64,
    pub through_scheme: i64,
    pub quota_lets: i64,
}

impl Quota {
    pub fn shortfall(&self) -> i64 {
        (self.quota_lets - self.through_scheme).max(0)
    }
}

pub async fn quota(
    pool: &Pool,
    id: Uuid,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<(measures::MobilityScheme, Quota), AppError> {
    let mut conn = pool.acquire().await?;
    let scheme = measures::find_scheme(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("mobility scheme", id))?;
    let (lettings, through_scheme) = measures::scheme_lets(&mut conn, id, from, to).await?;
    let quota_lets = crate::domain::nomination::share_of(lettings, scheme.quota_percent);
    Ok((
        scheme,
        Quota {
            lettings,
            through_scheme,
            quota_lets,
        },
    ))
}

/// The schemes asked for: a page of them after `after`, with their quotas from `from` to
/// `to` inclusive.
#[derive(Debug, PartialEq, Eq)]
pub struct ListMobilitySchemes {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub after: Option<Uuid>,
    pub page_size: i64,
}

/// A page of schemes, each with its quota over the period, and where the next page starts.
pub async fn schemes(
    pool: &Pool,
    asked: &ListMobilitySchemes,
) -> Result<(Vec<(measures::MobilityScheme, Quota)>, Option<Uuid>), AppError> {
    let mut conn = pool.acquire().await?;
    let mut rows = measures::list_schemes(
        &mut conn,
        asked.from,
        asked.to,
        asked.after,
        asked.page_size + 1,
    )
    .await?;
    let next = (rows.len() as i64 > asked.page_size).then(|| {
        rows.truncate(asked.page_size as usize);
        rows.last().map(|r| r.scheme.id)
    });
    let schemes = rows
        .into_iter()
        .map(|r| {
            let quota = Quota {
                lettings: r.lettings,
                through_scheme: r.through_scheme,
                quota_lets: crate::domain::nomination::share_of(r.lettings, r.scheme.quota_percent),
            };
            (r.scheme, quota)
        })
        .collect();
    Ok((schemes, next.flatten()))
}

/// The period's lettings figures, `from` and `to` inclusive.
pub async fn measures(
    pool: &Pool,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<measures::Measures, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(measures::measures(&mut conn, from, to).await?)
}
