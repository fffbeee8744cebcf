//! Choice-based lettings: a vacancy is advertised for a bidding cycle, applicants bid (up to
//! the council's limit of live bids), and at the close the register ranks the bidders who
//! fit the advert. The officer then nominates from the top, verified as any nomination is.

use chrono::{NaiveDate, Utc};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::{idempotency, time};
use housing_proto::nominations::v1 as pb;
use housing_proto::register::v1 as register_pb;
use uuid::Uuid;

use super::lists::Page;
use super::register::{Register, fits_home};
use crate::db::adverts::{self, Advert, Listed, Stage};
use crate::db::vacancies::{self, Vacancy};
use crate::domain::vacancy::Status as VacancyStatus;

pub struct NewAdvert {
    pub vacancy_id: Uuid,
    pub closes_on: NaiveDate,
    pub minimum_age: i32,
    pub adapted: bool,
}

pub async fn create(
    pool: &Pool,
    request_id: &str,
    new: NewAdvert,
    by: &str,
) -> Result<Advert, AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "nominations.CreateAdvert", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        return load(&mut tx, id).await;
    }
    let vacancy = vacancies::find(&mut tx, new.vacancy_id)
        .await?
        .ok_or_else(|| AppError::not_found("vacancy", new.vacancy_id))?;
    if vacancy.status != VacancyStatus::Open {
        return Err(AppError::FailedPrecondition(format!(
            "vacancy {} is {}; only an open vacancy is advertised",
            vacancy.id, vacancy.status
        )));
    }
    if new.closes_on < time::today() {
        let mut v = FieldViolations::new();
        v.add("closes_on", "the bidding cycle cannot close in the past");
        return Err(AppError::Invalid(v));
    }
    let advert = Advert {
        id: Uuid::now_v7(),
        vacancy_id: vacancy.id,
        closes_on: new.closes_on,
        minimum_age: new.minimum_age,
        adapted: new.adapted,
        status: "open".into(),
        bids: 0,
        is_let: false,
    };
    adverts::insert(&mut tx, &advert, by, Utc::now()).await?;
    vacancies::set_status(&mut tx, vacancy.id, VacancyStatus::Advertised).await?;
    idempotency::record(
        &mut tx,
        "nominations.CreateAdvert",
        request_id,
        &advert.id.to_string(),
    )
    .await?;
    let advert = load(&mut tx, advert.id).await?;
    tx.commit().await?;
    Ok(advert)
}

async fn load(conn: &mut sqlx::PgConnection, id: Uuid) -> Result<Advert, AppError> {
    adverts::find(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("advert", id))
}

/// A bid from an applicant active on the register, within the limit of live bids; with
/// whether it was placed now (false when the applicant already had a live bid on it).
pub async fn bid(
    pool: &Pool,
    register: &Register,
    advert_id: Uuid,
    application_id: Uuid,
    bid_limit: i64,
    by: &str,
) -> Result<(Advert, bool), AppError> {
    let application = register
        .application(application_id)
        .await?
        .ok_or_else(|| AppError::not_found("application", application_id))?;
    if application.status != register_pb::ApplicationStatus::Active as i32 {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is not active on the register, so it cannot bid",
            application.reference
        )));
    }
    let mut tx = pool.begin().await?;
    let advert = load(&mut tx, advert_id).await?;
    if advert.status != "open" || advert.closes_on < time::today() {
        return Err(AppError::FailedPrecondition(format!(
            "bidding for advert {advert_id} closed on {}",
            advert.closes_on
        )));
    }
    let live = adverts::live_bids(&mut tx, application_id).await?;
    if live >= bid_limit {
        return Err(AppError::FailedPrecondition(format!(
            "application {} already has {live} live bids, the limit; withdraw one to bid again",
            application.reference
        )));
    }
    let placed = adverts::bid(&mut tx, advert_id, application_id, by).await?;
    let advert = load(&mut tx, advert_id).await?;
    tx.commit().await?;
    Ok((advert, placed))
}

/// Withdraws the applicant's bid; with whether there was a live bid to withdraw.
pub async fn withdraw(
    pool: &Pool,
    advert_id: Uuid,
    application_id: Uuid,
) -> Result<(Advert, bool), AppError> {
    let mut tx = pool.begin().await?;
    let advert = load(&mut tx, advert_id).await?;
    if advert.status != "open" {
        return Err(AppError::FailedPrecondition(format!(
            "advert {advert_id} is closed"
        )));
    }
    let withdrawn = adverts::withdraw(&mut tx, advert_id, application_id).await?;
    let advert = load(&mut tx, advert_id).await?;
    tx.commit().await?;
    Ok((advert, withdrawn))
}

/// Ends bidding and keeps the register's ranking of the bidders who fit; closing again
/// returns the same result.
pub async fn close(
    pool: &Pool,
    register: &Register,
    advert_id: Uuid,
) -> Result<(Advert, Vec<adverts::Result>), AppError> {
    let mut tx = pool.begin().await?;
    let advert = load(&mut tx, advert_id).await?;
    if advert.status == "closed" {
        let results = adverts::results(&mut tx, advert_id).await?;
        return Ok((advert, results));
    }
    let vacancy = vacancies::find(&mut tx, advert.vacancy_id)
        .await?
        .ok_or_else(|| AppError::not_found("vacancy", advert.vacancy_id))?;
    let bidders = adverts::bidders(&mut tx, advert_id).await?;
    let ranked = if bidders.is_empty() {
        Vec::new()
    } else {
        register
            .shortlist(criteria(&vacancy, &advert, &bidders))
            .await?
    };
    let results: Vec<adverts::Result> = ranked
        .iter()
        .enumerate()
        .map(|(i, e)| {
            Ok(adverts::Result {
                position: i as i32 + 1,
                application_id: Uuid::parse_str(&e.application_id)
                    .map_err(|err| AppError::Upstream(tonic::Status::internal(err.to_string())))?,
                reference: e.reference.clone(),
                band: e.band.clone(),
                points: e.points,
                effective_date: time::parse_date(&e.effective_date)
                    .map_err(|err| AppError::Upstream(tonic::Status::internal(err)))?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    adverts::close(&mut tx, advert_id, &results).await?;
    vacancies::set_status(&mut tx, vacancy.id, VacancyStatus::Open).await?;
    let advert = load(&mut tx, advert_id).await?;
    tx.commit().await?;
    Ok((advert, results))
}

/// The published result of a let advert and, for a bidder, where they stood.
pub async fn letting_result(
    pool: &Pool,
    advert_id: Uuid,
    bidder: Option<Uuid>,
) -> Result<(adverts::LettingResult, Option<i32>), AppError> {
    let mut conn = pool.acquire().await?;
    let advert = load(&mut conn, advert_id).await?;
    let result = adverts::letting_result(&mut conn, advert_id)
        .await?
        .ok_or_else(|| {
            AppError::FailedPrecondition(format!(
                "advert {advert_id} ({}) has not led to a letting; its result is published once the home is let",
                advert.status
            ))
        })?;
    let position = match bidder {
        Some(application) => adverts::position_of(&mut conn, advert_id, application).await?,
        None => None,
    };
    Ok((result, position))
}

/// Adverts at `stage` (any when `None`), the latest closing first, after `after`
/// (closes_on, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListAdverts {
    pub stage: Option<Stage>,
    pub after: Option<(NaiveDate, Uuid)>,
    pub limit: i64,
}

pub async fn list(
    pool: &Pool,
    q: &ListAdverts,
) -> Result<Page<Listed, (NaiveDate, Uuid)>, AppError> {
    let mut conn = pool.acquire().await?;
    // One past the page tells whether another follows.
    let mut rows = adverts::list(&mut conn, q.stage, q.after, q.limit + 1).await?;
    let more = rows.len() as i64 > q.limit;
    rows.truncate(usize::try_from(q.limit).unwrap_or(0));
    let next = rows
        .last()
        .filter(|_| more)
        .map(|l| (l.advert.closes_on, l.advert.id));
    Ok(Page { items: rows, next })
}

/// An advert as it stands: the ranked bidders once closed, the published result once let.
pub struct Shown {
    pub listed: Listed,
    pub results: Vec<adverts::Result>,
    pub letting: Option<adverts::LettingResult>,
}

pub async fn get(pool: &Pool, id: Uuid) -> Result<Shown, AppError> {
    // One transaction, so the advert, its ranking and its letting agree.
    let mut tx = pool.begin().await?;
    let listed = adverts::find_listed(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("advert", id))?;
    let results = adverts::results(&mut tx, id).await?;
    let letting = if listed.advert.is_let {
        adverts::letting_result(&mut tx, id).await?
    } else {
        None
    };
    tx.commit().await?;
    Ok(Shown {
        listed,
        results,
        letting,
    })
}

/// The published result as the wire carries it, in the event and in `GetLettingResult`.
pub fn letting_result_proto(r: &adverts::LettingResult) -> pb::LettingResult {
    pb::LettingResult {
        advert_id: r.advert_id.to_string(),
        vacancy_id: r.vacancy_id.to_string(),
        area: r.area.clone(),
        bedrooms: r.bedrooms,
        bids: r.bids as i32,
        position: r.position.unwrap_or_default(),
        band: r.band.clone().unwrap_or_default(),
        points: r.points.unwrap_or_default(),
        effective_date: time::format_optional_date(r.effective_date),
        tenancy_start_date: time::format_date(r.tenancy_start_date),
    }
}

/// What the register ranks the bidders by: the home's size, area, accessibility, kind and
/// the advert's age rule and adaptation.
fn criteria(
    vacancy: &Vacancy,
    advert: &Advert,
    bidders: &[Uuid],
) -> register_pb::ListShortlistRequest {
    register_pb::ListShortlistRequest {
        adapted: advert.adapted,
        minimum_age: advert.minimum_age,
        application_ids: bidders.iter().map(Uuid::to_string).collect(),
        ..fits_home(vacancy, bidders.len().min(500) as i32)
    }
}
