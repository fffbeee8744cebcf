use housing_platform::time::{format_date, timestamp};
use housing_proto::nominations::v1 as pb;

use crate::db::nominations::Nomination;
use crate::db::vacancies::Vacancy;
use crate::domain::nomination::Status as NominationStatus;

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
        status: match v.status.as_str() {
            "open" => pb::VacancyStatus::Open,
            "nominated" => pb::VacancyStatus::Nominated,
            "let" => pb::VacancyStatus::Let,
            "advertised" => pb::VacancyStatus::Advertised,
            _ => pb::VacancyStatus::Unspecified,
        } as i32,
    }
}

pub fn nomination_proto(n: &Nomination) -> pb::Nomination {
    pb::Nomination {
        nomination_id: n.id.to_string(),
        vacancy_id: n.vacancy_id.to_string(),
        partner_id: n.partner_id.to_string(),
        application_id: n.application_id.to_string(),
        application_reference: n.application_reference.clone(),
        band: n.band.clone(),
        status: match NominationStatus::parse(&n.status) {
            Some(NominationStatus::Pending) => pb::NominationStatus::Pending,
            Some(NominationStatus::Accepted) => pb::NominationStatus::Accepted,
            Some(NominationStatus::Rejected) => pb::NominationStatus::Rejected,
            Some(NominationStatus::Let) => pb::NominationStatus::Let,
            Some(NominationStatus::Withdrawn) => pb::NominationStatus::Withdrawn,
            Some(NominationStatus::Refused) => pb::NominationStatus::Refused,
            None => pb::NominationStatus::Unspecified,
        } as i32,
        respond_by: format_date(n.respond_by),
        rejection_reason: n.rejection_reason.clone().unwrap_or_default(),
        nominated_by: n.nominated_by.clone(),
        nominated_at: Some(timestamp(n.nominated_at)),
    }
}
