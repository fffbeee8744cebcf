//! Partners' agreements changed by the council, and partners' vacancies corrected or taken
//! back before anyone is nominated to them.

use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use uuid::Uuid;

use crate::db::partners::{self, Partner};
use crate::db::vacancies::{self, Vacancy};
use crate::domain::vacancy::Status;

/// A manager's change to a partner's agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerUpdate {
    pub id: Uuid,
    pub name: String,
    pub response_days: i32,
    pub nomination_share_percent: i32,
}

pub async fn update_partner(pool: &Pool, u: &PartnerUpdate) -> Result<Partner, AppError> {
    let mut tx = pool.begin().await?;
    let mut partner = partners::find(&mut tx, u.id)
        .await?
        .ok_or_else(|| AppError::not_found("partner", u.id))?;
    // The council's own stock is all the council's: its share is not negotiated.
    if !partner.council_stock && !(1..=100).contains(&u.nomination_share_percent) {
        let mut v = FieldViolations::new();
        v.add(
            "nomination_share_percent",
            "must be 1 to 100: the council's share of the partner's lets",
        );
        return Err(AppError::Invalid(v));
    }
    partner.name = u.name.clone();
    partner.response_days = u.response_days;
    if !partner.council_stock {
        partner.nomination_share_percent = u.nomination_share_percent;
    }
    partners::update(&mut tx, &partner).await?;
    tx.commit().await?;
    Ok(partner)
}

pub async fn list_partners(
    pool: &Pool,
    after: Option<(String, Uuid)>,
    limit: i64,
) -> Result<Vec<Partner>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(partners::list(&mut conn, after, limit).await?)
}

/// The partner's own vacancy, locked: another partner's is not found.
async fn own_vacancy(
    conn: &mut sqlx::PgConnection,
    partner_id: Uuid,
    id: Uuid,
) -> Result<Vacancy, AppError> {
    vacancies::find(conn, id)
        .await?
        .filter(|v| v.partner_id == partner_id)
        .ok_or_else(|| AppError::not_found("vacancy", id))
}

/// Corrects an open vacancy; one nominated to, advertised, let or withdrawn stays as it was.
pub async fn amend_vacancy(pool: &Pool, wanted: Vacancy) -> Result<Vacancy, AppError> {
    let mut tx = pool.begin().await?;
    let current = own_vacancy(&mut tx, wanted.partner_id, wanted.id).await?;
    if current.status != Status::Open {
        return Err(AppError::FailedPrecondition(format!(
            "vacancy {} is {}: only an open vacancy is amended",
            current.id, current.status
        )));
    }
    let amended = Vacancy {
        status: current.status,
        ..wanted
    };
    vacancies::amend(&mut tx, &amended).await?;
    tx.commit().await?;
    Ok(amended)
}

/// Takes back a vacancy nobody is nominated to; withdrawing it again changes nothing.
pub async fn withdraw_vacancy(
    pool: &Pool,
    partner_id: Uuid,
    id: Uuid,
    reason: &str,
) -> Result<Vacancy, AppError> {
    let mut tx = pool.begin().await?;
    let mut vacancy = own_vacancy(&mut tx, partner_id, id).await?;
    match vacancy.status {
        Status::Withdrawn => return Ok(vacancy),
        Status::Open | Status::Advertised => {}
        Status::Nominated | Status::Let => {
            return Err(AppError::FailedPrecondition(format!(
                "vacancy {id} is {}: answer the nomination, or report the letting, instead",
                vacancy.status
            )));
        }
    }
    vacancies::withdraw(&mut tx, id, reason).await?;
    tx.commit().await?;
    vacancy.status = Status::Withdrawn;
    Ok(vacancy)
}
