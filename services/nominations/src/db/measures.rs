use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::nomination::ReferralSource;

pub async fn insert_incentive(
    conn: &mut PgConnection,
    id: Uuid,
    application: Uuid,
    payee: &str,
    bedrooms_released: i32,
    amount_pence: i64,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO incentives (id, application_id, payee_name, bedrooms_released, amount_pence, approved_by, approved_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())",
    )
    .bind(id)
    .bind(application)
    .bind(payee)
    .bind(bedrooms_released)
    .bind(amount_pence)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn incentive_amount(conn: &mut PgConnection, id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT amount_pence FROM incentives WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

#[derive(Debug, Default)]
pub struct Measures {
    pub lettings: i64,
    pub mean_days_void_to_let: f64,
    pub lets_to_homeless: i64,
    pub offers: i64,
    pub refusals_by_reason: Vec<(String, i64)>,
    pub bedrooms_released: i64,
    pub lets_to_overcrowded: i64,
    pub bedrooms_gained: i64,
    pub partner_shares: Vec<PartnerShare>,
    pub lets_by_source: Vec<(ReferralSource, i64)>,
    pub choice_based_lets: i64,
}

/// A partner's vacancies in a period and those the council nominated to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartnerShare {
    pub partner_id: Uuid,
    pub name: String,
    pub nomination_share_percent: i32,
    pub vacancies: i64,
    pub nominated: i64,
}

/// The period's figures, `from` and `to` inclusive.
pub async fn measures(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Measures, sqlx::Error> {
    let (lettings, mean_days, homeless, overcrowded, gained, choice_based): (
        i64,
        Option<f64>,
        i64,
        i64,
        i64,
        i64,
    ) = sqlx::query_as(
        "SELECT count(*), avg(l.tenancy_start_date - l.void_start)::float8,
                count(*) FILTER (WHERE n.homeless),
                count(*) FILTER (WHERE n.overcrowded),
                coalesce(sum(greatest(l.bedrooms - n.current_bedrooms, 0)) FILTER (WHERE n.overcrowded), 0)::bigint,
                count(*) FILTER (WHERE l.choice_based)
         FROM lettings l JOIN nominations n ON n.id = l.nomination_id
         WHERE l.tenancy_start_date BETWEEN $1 AND $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let by_source: Vec<(String, i64)> = sqlx::query_as(
        "SELECT referral_source, count(*) FROM lettings WHERE tenancy_start_date BETWEEN $1 AND $2
         GROUP BY referral_source ORDER BY referral_source",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let lets_by_source = by_source
        .into_iter()
        .map(|(source, lets)| {
            ReferralSource::parse(&source)
                .map(|source| (source, lets))
                .ok_or_else(|| {
                    sqlx::Error::Decode(format!("a letting's referral source {source:?}").into())
                })
        })
        .collect::<Result<_, _>>()?;
    let offers: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM nominations WHERE nominated_at::date BETWEEN $1 AND $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let refusals_by_reason: Vec<(String, i64)> = sqlx::query_as(
        "SELECT reason, count(*) FROM refusals WHERE decided_at::date BETWEEN $1 AND $2
         GROUP BY reason ORDER BY reason",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let bedrooms_released: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(bedrooms_released), 0)::bigint FROM incentives WHERE approved_at::date BETWEEN $1 AND $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let partner_shares = sqlx::query_as(
        "SELECT p.id AS partner_id, p.name, p.nomination_share_percent,
                count(v.id) AS vacancies,
                count(v.id) FILTER (WHERE EXISTS (SELECT 1 FROM nominations n WHERE n.vacancy_id = v.id)) AS nominated
         FROM partners p
         LEFT JOIN vacancies v ON v.partner_id = p.id AND v.reported_at::date BETWEEN $1 AND $2
         WHERE NOT p.council_stock
         GROUP BY p.id ORDER BY p.name",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    Ok(Measures {
        lettings,
        mean_days_void_to_let: mean_days.unwrap_or(0.0),
        lets_to_homeless: homeless,
        offers,
        refusals_by_reason,
        bedrooms_released,
        lets_to_overcrowded: overcrowded,
        bedrooms_gained: gained,
        partner_shares,
        lets_by_source,
        choice_based_lets: choice_based,
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MobilityScheme {
    pub id: Uuid,
    pub name: String,
    pub quota_percent: i32,
}

pub async fn insert_scheme(conn: &mut PgConnection, s: &MobilityScheme) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO mobility_schemes (id, name, quota_percent, created_at) VALUES ($1, $2, $3, now())")
        .bind(s.id)
        .bind(&s.name)
        .bind(s.quota_percent)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find_scheme(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<MobilityScheme>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, quota_percent FROM mobility_schemes WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A scheme with the period's lets, all and through it.
#[derive(Debug, sqlx::FromRow)]
pub struct SchemeLets {
    #[sqlx(flatten)]
    pub scheme: MobilityScheme,
    pub lettings: i64,
    pub through_scheme: i64,
}

/// Up to `limit` schemes after `after`, oldest first, each with the period's lets.
pub async fn list_schemes(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<SchemeLets>, sqlx::Error> {
    sqlx::query_as(
        "WITH period AS (
             SELECT n.mobility_scheme_id FROM lettings l JOIN nominations n ON n.id = l.nomination_id
             WHERE l.tenancy_start_date BETWEEN $1 AND $2)
         SELECT s.id, s.name, s.quota_percent,
                (SELECT count(*) FROM period) AS lettings,
                (SELECT count(*) FROM period p WHERE p.mobility_scheme_id = s.id) AS through_scheme
         FROM mobility_schemes s
         WHERE $3::uuid IS NULL OR s.id > $3
         ORDER BY s.id LIMIT $4",
    )
    .bind(from)
    .bind(to)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// All lets in the period, and those through the scheme.
pub async fn scheme_lets(
    conn: &mut PgConnection,
    scheme: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE n.mobility_scheme_id = $1)
         FROM lettings l JOIN nominations n ON n.id = l.nomination_id
         WHERE l.tenancy_start_date BETWEEN $2 AND $3",
    )
    .bind(scheme)
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await
}
