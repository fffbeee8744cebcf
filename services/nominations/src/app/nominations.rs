use chrono::{NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::calendar::WorkingDays;
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::{idempotency, time};
use housing_proto::nominations::v1 as pb;
use housing_proto::register::v1 as register_pb;
use sqlx::types::Json;
use uuid::Uuid;

use super::register::{Register, fits_home};
use crate::db::adverts;
use crate::db::lettings::{self, Letting};
use crate::db::nominations::{self, Nomination};
use crate::db::partners::{self, Partner};
use crate::db::vacancies::{self, Vacancy};
use crate::domain::core_log;
use crate::domain::household::{self, Access, Household, Person, Relationship, Shared};
use crate::domain::nomination::{ReferralSource, Status};
use crate::domain::vacancy::Status as VacancyStatus;

fn invalid(field: &str, description: impl Into<String>) -> AppError {
    let mut v = FieldViolations::new();
    v.add(field, description);
    AppError::Invalid(v)
}

fn replayed_id(id: String) -> Result<Uuid, AppError> {
    Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))
}

pub async fn create_partner(
    pool: &Pool,
    request_id: &str,
    partner: Partner,
    certificate_sha256: Option<&str>,
) -> Result<Partner, AppError> {
    let mut tx = pool.begin().await?;
    let id = match idempotency::replay::<String>(&mut tx, "nominations.CreatePartner", request_id)
        .await?
    {
        Some(id) => replayed_id(id)?,
        None => {
            partners::insert(&mut tx, &partner, certificate_sha256).await?;
            idempotency::record(
                &mut tx,
                "nominations.CreatePartner",
                request_id,
                &partner.id.to_string(),
            )
            .await?;
            partner.id
        }
    };
    let partner = partners::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("partner", id))?;
    tx.commit().await?;
    Ok(partner)
}

/// The partner presenting the client certificate with this fingerprint.
pub async fn partner_by_certificate(pool: &Pool, sha256: &str) -> Result<Partner, AppError> {
    let mut conn = pool.acquire().await?;
    partners::by_certificate(&mut conn, sha256)
        .await?
        .ok_or_else(|| AppError::PermissionDenied("the client certificate is no partner's".into()))
}

pub async fn report_vacancy(
    pool: &Pool,
    request_id: &str,
    mut vacancy: Vacancy,
) -> Result<Vacancy, AppError> {
    let scope = format!("nominations.ReportVacancy/{}", vacancy.partner_id);
    let mut tx = pool.begin().await?;
    if let Some(id) = idempotency::replay::<String>(&mut tx, &scope, request_id).await? {
        let id = replayed_id(id)?;
        return vacancies::find(&mut tx, id)
            .await?
            .ok_or_else(|| AppError::not_found("vacancy", id));
    }
    vacancy.id = Uuid::now_v7();
    vacancy.status = VacancyStatus::Open;
    vacancies::insert(&mut tx, &vacancy).await?;
    idempotency::record(&mut tx, &scope, request_id, &vacancy.id.to_string()).await?;
    tx.commit().await?;
    Ok(vacancy)
}

pub async fn vacancy(pool: &Pool, id: Uuid) -> Result<Vacancy, AppError> {
    let mut tx = pool.begin().await?;
    let vacancy = vacancies::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("vacancy", id))?;
    tx.commit().await?;
    Ok(vacancy)
}

/// Applicants who fit the vacancy, as the register ranks them (band, then date).
pub async fn shortlist(
    pool: &Pool,
    register: &Register,
    vacancy_id: Uuid,
    page_size: i32,
) -> Result<Vec<register_pb::ShortlistEntry>, AppError> {
    let vacancy = vacancy(pool, vacancy_id).await?;
    register.shortlist(fits_home(&vacancy, page_size)).await
}

/// Who is offered which home, and how.
pub struct Offer {
    pub vacancy_id: Uuid,
    pub application_id: Uuid,
    /// nomination, homeless_final_offer, decant or urgent.
    pub kind: &'static str,
    /// The mobility scheme the applicant comes through, counted against its quota.
    pub mobility_scheme: Option<Uuid>,
    /// Support needs and risks for the partner, with the applicant's agreement.
    pub shared: Shared,
}

/// Nominates an applicant to the partner, after checking with the register that the
/// applicant is active and needs this size of home.
pub async fn nominate(
    pool: &Pool,
    register: &Register,
    calendar: &WorkingDays,
    officer: &str,
    request_id: &str,
    offer: Offer,
) -> Result<Nomination, AppError> {
    let Offer {
        vacancy_id,
        application_id,
        kind: offer_kind,
        mobility_scheme,
        shared,
    } = offer;
    // Verification happens before the transaction: no lock is held across a network call.
    let application = register.application(application_id).await?.ok_or_else(|| {
        invalid(
            "application_id",
            format!("the register has no application {application_id}"),
        )
    })?;
    let assessment = application.assessment.clone().unwrap_or_default();
    let core_household = super::register::core_household(&application)?;

    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "nominations.CreateNomination", request_id).await?
    {
        let id = replayed_id(id)?;
        return nominations::find(&mut tx, id)
            .await?
            .ok_or_else(|| AppError::not_found("nomination", id));
    }
    let vacancy = vacancies::find(&mut tx, vacancy_id)
        .await?
        .ok_or_else(|| invalid("vacancy_id", format!("no vacancy {vacancy_id}")))?;
    if vacancy.status != VacancyStatus::Open {
        return Err(AppError::FailedPrecondition(format!(
            "vacancy {vacancy_id} is {}, not open",
            vacancy.status
        )));
    }
    if application.status != register_pb::ApplicationStatus::Active as i32 {
        return Err(AppError::FailedPrecondition(format!(
            "application {} is not active on the register",
            application.reference
        )));
    }
    if assessment.bedroom_need != vacancy.bedrooms {
        return Err(AppError::FailedPrecondition(format!(
            "application {} needs {}; the vacancy has {}",
            application.reference,
            housing_platform::words::count(assessment.bedroom_need, "bedroom"),
            vacancy.bedrooms
        )));
    }
    if offer_kind == "decant" {
        super::decants::require_awaiting(&mut tx, application_id).await?;
    }
    if let Some(scheme) = mobility_scheme
        && crate::db::measures::find_scheme(&mut tx, scheme)
            .await?
            .is_none()
    {
        return Err(invalid(
            "mobility_scheme_id",
            format!("no mobility scheme {scheme}"),
        ));
    }
    let partner = partners::find(&mut tx, vacancy.partner_id)
        .await?
        .ok_or_else(|| AppError::not_found("partner", vacancy.partner_id))?;
    let now = Utc::now();
    let nomination = Nomination {
        id: Uuid::now_v7(),
        vacancy_id,
        partner_id: partner.id,
        application_id,
        application_reference: application.reference.clone(),
        band: assessment.band.clone(),
        status: Status::Pending.as_str().into(),
        respond_by: calendar.add(time::today(), partner.response_days.max(0) as u32),
        rejection_reason: None,
        nominated_by: officer.to_owned(),
        nominated_at: now,
        homeless: assessment
            .reasonable_preference
            .iter()
            .any(|c| c == "a_homeless" || c == "b_owed_homelessness_duty"),
        offer_kind: offer_kind.to_owned(),
        mobility_scheme_id: mobility_scheme,
        overcrowded: assessment
            .reasonable_preference
            .iter()
            .any(|c| c == "c_overcrowded"),
        current_bedrooms: application
            .details
            .as_ref()
            .and_then(|d| d.circumstances.as_ref())
            .and_then(|c| c.current_bedrooms),
        social_tenant: application
            .details
            .as_ref()
            .and_then(|d| d.circumstances.as_ref())
            .map(|c| {
                matches!(
                    c.tenure(),
                    register_pb::Tenure::CouncilTenant
                        | register_pb::Tenure::HousingAssociationTenant
                )
            }),
        offered_on: None,
        viewed_on: None,
        viewing_notes: None,
        household: Some(Json(household_for_partner(
            &application,
            assessment.bedroom_need,
            shared,
        )?)),
    };
    nominations::insert(&mut tx, &nomination).await?;
    nominations::keep_core_household(&mut tx, nomination.id, &core_household).await?;
    vacancies::set_status(&mut tx, vacancy_id, VacancyStatus::Nominated).await?;
    let event = pb::NominationCreated {
        nomination_id: nomination.id.to_string(),
        vacancy_id: vacancy_id.to_string(),
        partner_id: partner.id.to_string(),
        application_id: application_id.to_string(),
        respond_by: time::format_date(nomination.respond_by),
        nominated_by: officer.to_owned(),
        nominated_at: Some(time::timestamp(now)),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new(
            "housing.nominations.nomination.created.v1",
            nomination.id,
            &event,
        ),
    )
    .await?;
    idempotency::record(
        &mut tx,
        "nominations.CreateNomination",
        request_id,
        &nomination.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(nomination)
}

/// What the partner is told about the applicant's household: names and dates of birth
/// stay with the register, except the lead applicant's name, which the offer is made to.
fn household_for_partner(
    application: &register_pb::Application,
    bedrooms_needed: i32,
    shared: Shared,
) -> Result<Household, AppError> {
    use register_pb::{MobilityCategory as M, Relationship as R};
    let people = application
        .lead_applicant
        .iter()
        .chain(&application.members)
        .map(|m| {
            let born = super::register::date_of_birth(m, &application.reference)?;
            let relationship = match m.relationship() {
                R::LeadApplicant => Relationship::LeadApplicant,
                R::Partner => Relationship::Partner,
                R::Child => Relationship::Child,
                R::OtherRelative => Relationship::OtherRelative,
                R::Other | R::Unspecified => Relationship::Other,
            };
            Ok((relationship, born))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let lead = application.lead_applicant.clone().unwrap_or_default();
    let access = match application.details.as_ref().map(|d| d.mobility()) {
        Some(M::WheelchairThroughout) => Access::WheelchairThroughout,
        Some(M::WheelchairPartial) => Access::WheelchairPartial,
        Some(M::StepFree) => Access::StepFree,
        Some(M::GeneralNeeds) => Access::GeneralNeeds,
        Some(M::Unspecified) | None => Access::Unknown,
    };
    Ok(household::for_partner(
        format!("{} {}", lead.given_name.trim(), lead.family_name.trim()),
        &people
            .iter()
            .map(|(relationship, born)| Person {
                relationship: *relationship,
                date_of_birth: born,
            })
            .collect::<Vec<_>>(),
        bedrooms_needed,
        access,
        shared,
        time::today(),
    ))
}

pub async fn get(pool: &Pool, id: Uuid) -> Result<Nomination, AppError> {
    let mut tx = pool.begin().await?;
    let n = nominations::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("nomination", id))?;
    tx.commit().await?;
    Ok(n)
}

/// The nomination if it is this partner's; another partner's is "not found", so its
/// existence is not disclosed.
async fn own_nomination(
    conn: &mut sqlx::PgConnection,
    partner_id: Uuid,
    id: Uuid,
) -> Result<Nomination, AppError> {
    match nominations::find(conn, id).await? {
        Some(n) if n.partner_id == partner_id => Ok(n),
        _ => Err(AppError::not_found("nomination", id)),
    }
}

pub async fn respond(
    pool: &Pool,
    partner_id: Uuid,
    id: Uuid,
    accept: bool,
    reason: &str,
) -> Result<Nomination, AppError> {
    let mut tx = pool.begin().await?;
    let n = own_nomination(&mut tx, partner_id, id).await?;
    let wanted = if accept {
        Status::Accepted
    } else {
        Status::Rejected
    };
    if Status::parse(&n.status) == Some(wanted) {
        return Ok(n);
    }
    if Status::parse(&n.status) != Some(Status::Pending) {
        return Err(AppError::FailedPrecondition(format!(
            "nomination {id} is {}, not pending",
            n.status
        )));
    }
    nominations::respond(&mut tx, id, wanted.as_str(), (!accept).then_some(reason)).await?;
    if !accept {
        // The council may nominate someone else.
        vacancies::set_status(&mut tx, n.vacancy_id, VacancyStatus::Open).await?;
        let partner = partners::find(&mut tx, partner_id)
            .await?
            .ok_or_else(|| AppError::not_found("partner", partner_id))?;
        let event = pb::NominationRejected {
            nomination_id: id.to_string(),
            vacancy_id: n.vacancy_id.to_string(),
            partner_id: partner_id.to_string(),
            partner_name: partner.name,
            application_id: n.application_id.to_string(),
            application_reference: n.application_reference.clone(),
            reason: reason.to_owned(),
            rejected_at: Some(time::timestamp(Utc::now())),
        };
        outbox::enqueue(
            &mut tx,
            &OutgoingEvent::new("housing.nominations.nomination.rejected.v1", id, &event),
        )
        .await?;
    }
    let n = nominations::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("nomination", id))?;
    tx.commit().await?;
    Ok(n)
}

/// The partner's formal offer of the home to an accepted nominee.
pub async fn record_offer(
    pool: &Pool,
    partner_id: Uuid,
    id: Uuid,
    offered_on: NaiveDate,
) -> Result<Nomination, AppError> {
    let mut tx = pool.begin().await?;
    let mut n =
        accepted_nomination(&mut tx, partner_id, id, "offer", offered_on, "offered_on").await?;
    nominations::record_offer(&mut tx, n.id, offered_on).await?;
    tx.commit().await?;
    n.offered_on = Some(offered_on);
    Ok(n)
}

/// The nominee's viewing of the home.
pub async fn record_viewing(
    pool: &Pool,
    partner_id: Uuid,
    id: Uuid,
    viewed_on: NaiveDate,
    notes: &str,
) -> Result<Nomination, AppError> {
    let mut tx = pool.begin().await?;
    let mut n =
        accepted_nomination(&mut tx, partner_id, id, "viewing", viewed_on, "viewed_on").await?;
    nominations::record_viewing(&mut tx, n.id, viewed_on, notes).await?;
    tx.commit().await?;
    n.viewed_on = Some(viewed_on);
    n.viewing_notes = Some(notes.to_owned());
    Ok(n)
}

/// The partner's own nomination, accepted, for a step on `on` that cannot be in the future
/// nor before the nomination.
async fn accepted_nomination(
    conn: &mut sqlx::PgConnection,
    partner_id: Uuid,
    id: Uuid,
    step: &str,
    on: NaiveDate,
    field: &str,
) -> Result<Nomination, AppError> {
    let n = own_nomination(conn, partner_id, id).await?;
    if Status::parse(&n.status) != Some(Status::Accepted) {
        return Err(AppError::FailedPrecondition(format!(
            "nomination {id} is {}; an {step} is recorded for an accepted nomination",
            n.status
        )));
    }
    if on > time::today() {
        return Err(invalid(field, format!("{on} is in the future")));
    }
    if on < housing_platform::time::council_date(n.nominated_at) {
        return Err(invalid(
            field,
            format!(
                "{on} is before the nomination on {}",
                housing_platform::time::council_date(n.nominated_at)
            ),
        ));
    }
    Ok(n)
}

/// The tenancy has started: the letting is recorded (CORE-shaped) and announced, so the
/// register houses the applicant and temporary accommodation ends any placement.
/// A letting as its landlord reports it.
pub struct LettingReport {
    pub tenancy_start: NaiveDate,
    pub weekly_rent_pence: i64,
    /// What CORE's log asks of the landlord, when given.
    pub details: Option<core_log::letting::Details>,
}

pub async fn report_letting(
    pool: &Pool,
    partner_id: Uuid,
    id: Uuid,
    report: LettingReport,
) -> Result<(Uuid, Nomination), AppError> {
    let LettingReport {
        tenancy_start,
        weekly_rent_pence,
        details,
    } = report;
    let mut tx = pool.begin().await?;
    let n = own_nomination(&mut tx, partner_id, id).await?;
    if let Some(letting_id) = lettings::for_nomination(&mut tx, id).await? {
        return Ok((letting_id, n));
    }
    if Status::parse(&n.status) != Some(Status::Accepted) {
        return Err(AppError::FailedPrecondition(format!(
            "nomination {id} is {}; only an accepted nomination is let",
            n.status
        )));
    }
    let vacancy = vacancies::find(&mut tx, n.vacancy_id)
        .await?
        .ok_or_else(|| AppError::not_found("vacancy", n.vacancy_id))?;
    if tenancy_start < vacancy.available_from {
        return Err(invalid(
            "tenancy_start_date",
            format!("before the home is available on {}", vacancy.available_from),
        ));
    }
    let partner = partners::find(&mut tx, partner_id)
        .await?
        .ok_or_else(|| AppError::not_found("partner", partner_id))?;
    let now = Utc::now();
    let advert = adverts::latest_for_vacancy(&mut tx, vacancy.id).await?;
    let letting = Letting {
        id: Uuid::now_v7(),
        nomination_id: id,
        vacancy_id: vacancy.id,
        partner_id,
        application_id: n.application_id,
        tenancy_start_date: tenancy_start,
        weekly_rent_pence,
        bedrooms: vacancy.bedrooms,
        void_start: vacancy.void_start,
        // CORE asks how the tenant came.
        referral_source: ReferralSource::of_landlord(partner.council_stock),
        choice_based: advert.is_some(),
        completed_at: now,
        core_details: details.map(Json),
    };
    lettings::insert(&mut tx, &letting).await?;
    super::decants::on_letting(&mut tx, n.application_id, tenancy_start).await?;
    nominations::set_status(&mut tx, id, Status::Let.as_str()).await?;
    vacancies::set_status(&mut tx, vacancy.id, VacancyStatus::Let).await?;
    let event = pb::LettingCompleted {
        letting_id: letting.id.to_string(),
        nomination_id: id.to_string(),
        vacancy_id: vacancy.id.to_string(),
        partner_id: partner_id.to_string(),
        application_id: n.application_id.to_string(),
        tenancy_start_date: time::format_date(tenancy_start),
        weekly_rent_pence,
        bedrooms: vacancy.bedrooms,
        completed_at: Some(time::timestamp(now)),
        council_stock: partner.council_stock,
        choice_based: letting.choice_based,
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new(
            "housing.nominations.letting.completed.v1",
            letting.id,
            &event,
        ),
    )
    .await?;
    if let Some(advert) = advert {
        publish_result(&mut tx, advert).await?;
    }
    let n = nominations::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("nomination", id))?;
    tx.commit().await?;
    Ok((letting.id, n))
}

/// Announces the result of an advert whose home was just let through it.
async fn publish_result(conn: &mut sqlx::PgConnection, advert: Uuid) -> Result<(), AppError> {
    // An advert closed without a let, then re-advertised, has no result of its own.
    let Some(result) = adverts::letting_result(conn, advert).await? else {
        return Ok(());
    };
    let event = pb::AdvertResultPublished {
        result: Some(super::adverts::letting_result_proto(&result)),
    };
    outbox::enqueue(
        conn,
        &OutgoingEvent::new(
            "housing.nominations.advert.result_published.v1",
            advert,
            &event,
        ),
    )
    .await?;
    Ok(())
}

/// Withdraws the applicant's pending and accepted nominations and reopens those vacancies;
/// the nomination that housed them is already let and stays so.
pub async fn withdraw_for_housed_applicant(
    conn: &mut sqlx::PgConnection,
    application_id: Uuid,
) -> Result<u64, AppError> {
    let vacancies: Vec<Uuid> = sqlx::query_scalar(
        "UPDATE nominations SET status = 'withdrawn'
         WHERE application_id = $1 AND status IN ('pending', 'accepted')
         RETURNING vacancy_id",
    )
    .bind(application_id)
    .fetch_all(&mut *conn)
    .await?;
    for vacancy in &vacancies {
        vacancies::set_status(conn, *vacancy, VacancyStatus::Open).await?;
    }
    Ok(vacancies.len() as u64)
}
