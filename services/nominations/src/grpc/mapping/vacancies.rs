//! Vacancies as partners report, amend and withdraw them, and as lists show them.

use housing_platform::errors::FieldViolations;
use housing_platform::time::{self, format_date};
use housing_proto::nominations::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use crate::db::vacancies::{Listed, Vacancy};
use crate::domain::vacancy::Status as VacancyStatus;

pub fn vacancy_proto(v: &Vacancy) -> pb::Vacancy {
    pb::Vacancy {
        vacancy_id: v.id.to_string(),
        partner_id: v.partner_id.to_string(),
        address: v.address.clone(),
        area: v.area.clone(),
        bedrooms: v.bedrooms,
        property_type: v.property_type.clone(),
        step_free: v.step_free,
        wheelchair_accessible: v.wheelchair_accessible,
        weekly_rent_pence: v.weekly_rent_pence,
        available_from: format_date(v.available_from),
        void_start: format_date(v.void_start),
        status: vacancy_status_proto(v.status) as i32,
        pre_void: crate::domain::vacancy::pre_void(v.void_start, time::today()),
    }
}

pub fn vacancy_status_proto(status: VacancyStatus) -> pb::VacancyStatus {
    match status {
        VacancyStatus::Open => pb::VacancyStatus::Open,
        VacancyStatus::Nominated => pb::VacancyStatus::Nominated,
        VacancyStatus::Let => pb::VacancyStatus::Let,
        VacancyStatus::Advertised => pb::VacancyStatus::Advertised,
        VacancyStatus::Withdrawn => pb::VacancyStatus::Withdrawn,
    }
}

pub fn vacancy_summary_proto(l: &Listed) -> pb::VacancySummary {
    pb::VacancySummary {
        vacancy: Some(vacancy_proto(&l.vacancy)),
        partner_name: l.partner_name.clone(),
        nominations: i32::try_from(l.live_nominations).unwrap_or(i32::MAX),
    }
}

/// A vacancy as a partner reports or amends it: every bad field named.
pub fn vacancy(vac: Option<&pb::Vacancy>, partner_id: Uuid) -> Result<Vacancy, Status> {
    let mut v = FieldViolations::new();
    let vacancy = vacancy_fields(vac, partner_id, &mut v);
    match vacancy {
        Some(vacancy) if v.is_empty() => Ok(vacancy),
        _ => Err(v.into_status()),
    }
}

/// A partner's correction of its open vacancy: the id and every bad field named together.
pub fn amendment(r: &pb::AmendVacancyRequest, partner_id: Uuid) -> Result<Vacancy, Status> {
    let mut v = FieldViolations::new();
    let id = v.uuid("vacancy_id", &r.vacancy_id);
    let vacancy = vacancy_fields(r.vacancy.as_ref(), partner_id, &mut v);
    match (id, vacancy) {
        (Some(id), Some(vacancy)) if v.is_empty() => Ok(Vacancy { id, ..vacancy }),
        _ => Err(v.into_status()),
    }
}

/// A partner's vacancy withdrawn: which, and why.
pub fn withdrawal(r: &pb::WithdrawVacancyRequest) -> Result<(Uuid, String), Status> {
    let mut v = FieldViolations::new();
    let id = v.uuid("vacancy_id", &r.vacancy_id);
    v.require("reason", &r.reason, "why the home is no longer to let");
    match id {
        Some(id) if v.is_empty() => Ok((id, r.reason.trim().to_owned())),
        _ => Err(v.into_status()),
    }
}

fn vacancy_fields(
    vac: Option<&pb::Vacancy>,
    partner_id: Uuid,
    v: &mut FieldViolations,
) -> Option<Vacancy> {
    let Some(vac) = vac else {
        v.add("vacancy", "required");
        return None;
    };
    for (field, value) in [
        ("vacancy.address", &vac.address),
        ("vacancy.area", &vac.area),
        ("vacancy.property_type", &vac.property_type),
    ] {
        if value.trim().is_empty() {
            v.add(field, "required");
        }
    }
    if !(0..=10).contains(&vac.bedrooms) {
        v.add("vacancy.bedrooms", "must be 0 to 10");
    }
    if vac.weekly_rent_pence < 0 {
        v.add("vacancy.weekly_rent_pence", "must not be negative");
    }
    let available_from = v.date("vacancy.available_from", &vac.available_from);
    let void_start = v.date("vacancy.void_start", &vac.void_start);
    if let (Some(a), Some(s)) = (available_from, void_start)
        && a < s
    {
        v.add(
            "vacancy.available_from",
            format!("{a} is before the void started on {s}"),
        );
    }
    let (Some(available_from), Some(void_start)) = (available_from, void_start) else {
        return None;
    };
    Some(Vacancy {
        id: Uuid::nil(),
        partner_id,
        address: vac.address.trim().to_owned(),
        area: vac.area.trim().to_owned(),
        bedrooms: vac.bedrooms,
        property_type: vac.property_type.trim().to_owned(),
        step_free: vac.step_free,
        wheelchair_accessible: vac.wheelchair_accessible,
        weekly_rent_pence: vac.weekly_rent_pence,
        available_from,
        void_start,
        status: VacancyStatus::Open,
    })
}
