use chrono::{NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::db::Pool;
use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::register::Register;
use housing_platform::{idempotency, time};
use housing_proto::accommodation::v1 as pb;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::app::vacancies::{Stock, Vacancies};
use crate::app::{household, s208};
use crate::db::clocks;
use crate::db::clocks::S208;
use crate::db::closure_reviews::{self, ClosureReview};
use crate::db::placements::{
    self as store, Decision, Filter, FromRegister, Listed, PlacementRecord, PlacementRequestRecord,
    Stay,
};
use crate::db::s213aa::{self, S213aa};
use crate::db::stock;
use crate::domain::clocks::{S208Standing, bnb_days, bnb_reached_by};
use crate::domain::household::reconcile;
use crate::domain::matching::{Need, score_parts, standing};
use crate::domain::placement::{ClosureReason, PlacementStatus, days_in_placement};
use crate::domain::unit::{Unit, UnitType};
use crate::wire::{closure_reason_proto, unit_type_proto};

const CREATE_REQUEST: &str = "accommodation.CreatePlacementRequest";

pub struct NewRequest<'a> {
    pub request_id: &'a str,
    pub request: PlacementRequestRecord,
    /// The officer has checked where the request differs from the register application.
    pub confirm_differences: bool,
    pub by: &'a str,
}

/// A placement request, its household taken from the register application when the
/// register is in use.
pub async fn create_request(
    pool: &Pool,
    register: Option<&Register>,
    new: NewRequest<'_>,
) -> Result<PlacementRequestRecord, AppError> {
    // A retry is answered before the register is asked again.
    if !new.request_id.is_empty()
        && let Some(found) = replay_request(&mut *pool.acquire().await?, new.request_id).await?
    {
        return Ok(found);
    }
    let mut request = new.request;
    if let (Some(register), Some(application_id)) = (register, request.application_id) {
        let from = household::from_register(register, application_id).await?;
        let differences = reconcile(
            &from,
            &mut request.lead_name,
            &mut request.need,
            request.needed_from,
        );
        if !differences.is_empty() && !new.confirm_differences {
            let mut v = FieldViolations::new();
            for d in &differences {
                v.add(
                    format!("placement_request.{}", d.field),
                    format!(
                        "{}: confirm the difference, or leave it blank to take the register's",
                        d.words
                    ),
                );
            }
            return Err(AppError::Invalid(v));
        }
        check_complete(&request)?;
        request.household = Some(FromRegister {
            people: from.people,
            confirmed_differences: differences.into_iter().map(|d| d.words).collect(),
        });
    }
    let mut tx = pool.begin().await?;
    if let Some(found) = replay_request(&mut tx, new.request_id).await? {
        return Ok(found);
    }
    request.id = Uuid::now_v7();
    store::insert_request(&mut tx, &request, new.by, Utc::now()).await?;
    idempotency::record(
        &mut tx,
        CREATE_REQUEST,
        new.request_id,
        &request.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(request)
}

async fn replay_request(
    conn: &mut PgConnection,
    request_id: &str,
) -> Result<Option<PlacementRequestRecord>, AppError> {
    let Some(id) = idempotency::replay::<String>(conn, CREATE_REQUEST, request_id).await? else {
        return Ok(None);
    };
    let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
    store::find_request(conn, id)
        .await?
        .map(Some)
        .ok_or_else(|| AppError::not_found("placement request", id))
}

/// What the register could not fill and the officer left blank, or a confirmed answer that
/// makes no sense with the rest.
fn check_complete(request: &PlacementRequestRecord) -> Result<(), AppError> {
    let mut v = FieldViolations::new();
    if request.lead_name.trim().is_empty() {
        v.add(
            "placement_request.lead_name",
            "required: the register names no lead applicant",
        );
    }
    if request.need.household_size == 0 {
        v.add("placement_request.household_size", "must be at least 1");
    } else if request.need.bedrooms_needed > request.need.household_size {
        v.add(
            "placement_request.bedrooms_needed",
            "more bedrooms than people",
        );
    }
    if v.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(v))
    }
}

/// The vacant units ranked for a request, with those excluded and why.
pub struct Ranking {
    pub request: PlacementRequestRecord,
    pub stock: std::sync::Arc<Stock>,
}

pub async fn ranking(
    pool: &Pool,
    vacancies: &Vacancies,
    placement_request_id: Uuid,
) -> Result<Ranking, AppError> {
    let request = store::find_request(&mut *pool.acquire().await?, placement_request_id)
        .await?
        .ok_or_else(|| AppError::not_found("placement request", placement_request_id))?;
    let stock = vacancies.current(pool).await?;
    Ok(Ranking { request, stock })
}

pub struct Start<'a> {
    pub request_id: &'a str,
    pub placement_request_id: Uuid,
    pub unit_id: Uuid,
    pub start_date: NaiveDate,
    pub reason: &'a str,
    pub officer: &'a str,
    pub home_authority: &'a str,
    pub vacancies: &'a Vacancies,
}

/// How old the rest of the vacant stock may be when a placement says where its unit ranked.
pub const RANKED_AGAINST_WITHIN: std::time::Duration = std::time::Duration::from_secs(1);

/// The officer's choice of unit: checked against the hard constraints again (stock changes),
/// recorded with the ranking that informed it, and announced; returned with its history.
pub async fn start(pool: &Pool, s: Start<'_>) -> Result<(PlacementRecord, History), AppError> {
    let stock = s.vacancies.within(pool, RANKED_AGAINST_WITHIN).await?;
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "accommodation.StartPlacement", s.request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        let placement = store::find(&mut tx, id)
            .await?
            .ok_or_else(|| AppError::not_found("placement", id))?;
        let history = history(&mut tx, id).await?;
        return Ok((placement, history));
    }
    let request = store::find_request(&mut tx, s.placement_request_id)
        .await?
        .ok_or_else(|| {
            let mut v = FieldViolations::new();
            v.add(
                "placement_request_id",
                format!("no placement request {}", s.placement_request_id),
            );
            AppError::Invalid(v)
        })?;
    let choice = choose_unit(
        &mut tx,
        &request.need,
        s.unit_id,
        s.start_date,
        s.home_authority,
        &stock,
    )
    .await?;
    let unit = choice.unit;
    let now = time::now();
    let mut placement = PlacementRecord {
        id: Uuid::now_v7(),
        reference: String::new(),
        placement_request_id: request.id,
        application_id: request.application_id,
        unit_id: unit.id,
        status: PlacementStatus::Offered,
        start_date: s.start_date,
        end_date: None,
        weekly_rent_pence: unit.weekly_rent_pence,
        weekly_service_charge_pence: unit.weekly_service_charge_pence,
        closure_reason: None,
        decided_by: s.officer.to_owned(),
        decided_at: now,
        signed_up_at: None,
        bnb_since: (unit.unit_type == UnitType::BedAndBreakfast).then_some(s.start_date),
        duty_ends_on: None,
    };
    let (reference, decision) =
        store::insert_placement(&mut tx, &placement, s.reason, choice.detail).await?;
    placement.reference = reference;
    let s208 = s208::start(
        &mut tx,
        &placement,
        &request,
        &unit,
        s.start_date,
        s.home_authority,
    )
    .await?;
    let s213aa = if request.need.has_children {
        s213aa::start(
            &mut tx,
            placement.id,
            placement.application_id,
            s.start_date,
        )
        .await?
    } else {
        None
    };
    let event = pb::PlacementStarted {
        placement_id: placement.id.to_string(),
        placement_reference: placement.reference.clone(),
        application_id: request
            .application_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        unit_id: unit.id.to_string(),
        unit_address: unit.address.clone(),
        unit_type: unit_type_proto(unit.unit_type) as i32,
        lead_name: request.lead_name.clone(),
        start_date: time::format_date(s.start_date),
        weekly_rent_pence: unit.weekly_rent_pence,
        weekly_service_charge_pence: unit.weekly_service_charge_pence,
        decided_by: s.officer.to_owned(),
        decided_at: Some(time::timestamp(now)),
    };
    outbox::enqueue(
        &mut tx,
        &OutgoingEvent::new(
            "housing.accommodation.placement.started.v1",
            placement.id,
            &event,
        ),
    )
    .await?;
    idempotency::record(
        &mut tx,
        "accommodation.StartPlacement",
        s.request_id,
        &placement.id.to_string(),
    )
    .await?;
    // Nothing else can refer to a placement before it commits, so its history is what this
    // transaction wrote, and reading it back would only cost round trips.
    let history = History {
        stays: vec![Stay::starting(&unit, s.start_date)],
        decisions: vec![decision],
        s208: s208.into_iter().collect(),
        closure_reviews: Vec::new(),
        s213aa,
    };
    tx.commit().await?;
    Ok((placement, history))
}

/// A unit an officer chose, with the ranking that informed the choice.
pub struct Choice {
    pub unit: Unit,
    pub detail: serde_json::Value,
}

/// The unit `unit_id` if it may house `need` from `on`: it exists, is vacant (locked so
/// two officers cannot fill it at once) and passes every hard constraint.
pub async fn choose_unit(
    conn: &mut PgConnection,
    need: &Need,
    unit_id: Uuid,
    on: NaiveDate,
    home_authority: &str,
    stock: &Stock,
) -> Result<Choice, AppError> {
    let locked = stock::lock_for_placement(conn, unit_id)
        .await?
        .ok_or_else(|| {
            let mut v = FieldViolations::new();
            v.add("unit_id", format!("no unit {unit_id}"));
            AppError::Invalid(v)
        })?;
    let unit = locked.unit;
    if !locked.vacant {
        return Err(AppError::FailedPrecondition(format!(
            "unit {} is occupied",
            unit.id
        )));
    }
    // The unit as it is now, among the rest of the vacant stock as last read.
    let others = stock.scans.iter().filter(|u| u.id != unit.id);
    let standing = standing(need, &unit, others, on, home_authority).map_err(|reasons| {
        AppError::FailedPrecondition(format!(
            "unit {} cannot be offered: {}",
            unit.id,
            reasons.join("; ")
        ))
    })?;
    let detail = serde_json::json!({
        "rank": standing.rank,
        "of": standing.of,
        "score": standing.score,
        "parts": score_parts(need, &unit, home_authority).iter().map(|p| serde_json::json!({"name": p.name, "value": p.value, "explanation": p.explanation})).collect::<Vec<_>>(),
    });
    Ok(Choice { unit, detail })
}

/// The documents service reports the sign-up checklist complete: the placement is active.
/// A placement already signed up, or closed meanwhile, is left as it is.
pub async fn sign_up(
    conn: &mut PgConnection,
    id: Uuid,
    checklist_id: &str,
    at: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let placement = store::find(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("placement", id))?;
    if placement.status != PlacementStatus::Offered {
        return Ok(());
    }
    store::sign_up(conn, id, at).await?;
    store::record_decision(
        conn,
        id,
        "signed_up",
        &format!("sign-up checklist {checklist_id} complete"),
        serde_json::json!({ "checklist_id": checklist_id }),
        "system:documents",
        Utc::now(),
    )
    .await?;
    Ok(())
}

/// Everything that happened to a placement: where the household lived, every decision,
/// the s.208 notices and the reviews for rent arrears it gave rise to.
pub struct History {
    pub stays: Vec<Stay>,
    pub decisions: Vec<Decision>,
    pub s208: Vec<S208>,
    pub closure_reviews: Vec<ClosureReview>,
    /// For a household with a child.
    pub s213aa: Option<S213aa>,
}

/// More arrears reviews than one placement could ever have.
const REVIEWS_KEPT: i64 = 1_000;

pub async fn history(conn: &mut PgConnection, id: Uuid) -> Result<History, AppError> {
    let reviews = closure_reviews::Filter {
        status: None,
        placement_id: Some(id),
    };
    Ok(History {
        stays: store::stays(conn, id).await?,
        decisions: store::decisions(conn, id).await?,
        s208: clocks::s208_for(conn, id).await?,
        closure_reviews: closure_reviews::list(conn, &reviews, None, REVIEWS_KEPT).await?,
        s213aa: s213aa::find(conn, id).await?,
    })
}

pub async fn get(pool: &Pool, id: Uuid) -> Result<(PlacementRecord, History), AppError> {
    let mut tx = pool.begin().await?;
    let placement = store::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("placement", id))?;
    let history = history(&mut tx, id).await?;
    tx.commit().await?;
    Ok((placement, history))
}

/// Ends a placement. Closing a closed placement with the same reason changes nothing.
pub async fn close(
    conn: &mut PgConnection,
    mut placement: PlacementRecord,
    reason: ClosureReason,
    end_date: NaiveDate,
    note: &str,
    by: &str,
) -> Result<PlacementRecord, AppError> {
    if placement.status == PlacementStatus::Closed {
        if placement.closure_reason == Some(reason) {
            return Ok(placement);
        }
        return Err(AppError::FailedPrecondition(format!(
            "placement {} is already closed",
            placement.id
        )));
    }
    if end_date < placement.start_date {
        let mut v = FieldViolations::new();
        v.add(
            "end_date",
            format!(
                "{end_date} is before the placement started on {}",
                placement.start_date
            ),
        );
        return Err(AppError::Invalid(v));
    }
    let now = Utc::now();
    store::close(conn, placement.id, end_date, reason).await?;
    store::record_decision(
        conn,
        placement.id,
        "closed",
        note,
        serde_json::json!({ "reason": reason }),
        by,
        now,
    )
    .await?;
    let event = pb::PlacementClosed {
        placement_id: placement.id.to_string(),
        placement_reference: placement.reference.clone(),
        application_id: placement
            .application_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        unit_id: placement.unit_id.to_string(),
        end_date: time::format_date(end_date),
        reason: closure_reason_proto(reason) as i32,
        decided_by: by.to_owned(),
        decided_at: Some(time::timestamp(now)),
    };
    outbox::enqueue(
        conn,
        &OutgoingEvent::new(
            "housing.accommodation.placement.closed.v1",
            placement.id,
            &event,
        ),
    )
    .await?;
    placement.status = PlacementStatus::Closed;
    placement.bnb_since = None;
    placement.end_date = Some(end_date);
    placement.closure_reason = Some(reason);
    Ok(placement)
}

pub async fn close_by_id(
    pool: &Pool,
    id: Uuid,
    reason: ClosureReason,
    end_date: NaiveDate,
    note: &str,
    by: &str,
) -> Result<PlacementRecord, AppError> {
    let mut tx = pool.begin().await?;
    let placement = store::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("placement", id))?;
    let placement = close(&mut tx, placement, reason, end_date, note, by).await?;
    tx.commit().await?;
    Ok(placement)
}

/// A page of placements for an officer's queue: those matching the filter after the
/// position `after` (start date, id), oldest start first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPlacements {
    pub status: Option<PlacementStatus>,
    pub application_id: Option<Uuid>,
    pub unit_type: Option<UnitType>,
    /// Only families in B&B whose six-week clock has reached this day.
    pub bnb_clock_day_at_least: Option<u32>,
    pub s208_notice: Option<S208Standing>,
    pub after: Option<(NaiveDate, Uuid)>,
    pub limit: i64,
}

/// A placement as a queue shows it, on the day it was listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementSummary {
    pub placement: Listed,
    pub days_in_placement: i64,
    /// For a family in B&B, the day its six-week clock has reached.
    pub bnb_clock_day: Option<i64>,
}

pub async fn list(
    pool: &Pool,
    q: &ListPlacements,
    on: NaiveDate,
) -> Result<Vec<PlacementSummary>, AppError> {
    let filter = Filter {
        status: q.status,
        application_id: q.application_id,
        unit_type: q.unit_type,
        bnb_since_by: q.bnb_clock_day_at_least.map(|day| bnb_reached_by(day, on)),
        s208_outstanding: q.s208_notice.map(|standing| match standing {
            S208Standing::Outstanding => None,
            S208Standing::Overdue => Some(on),
        }),
    };
    let mut conn = pool.acquire().await?;
    let rows = store::list(&mut conn, &filter, q.after, q.limit).await?;
    Ok(rows
        .into_iter()
        .map(|p| PlacementSummary {
            days_in_placement: days_in_placement(p.start_date, p.end_date, on),
            bnb_clock_day: p
                .bnb_since
                .filter(|_| p.family)
                .map(|since| bnb_days(since, on).max(0)),
            placement: p,
        })
        .collect())
}
