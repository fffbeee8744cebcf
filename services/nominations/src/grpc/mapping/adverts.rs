//! Choice-based lettings adverts and their results.

use housing_platform::time::format_date;
use housing_proto::nominations::v1 as pb;

use super::vacancy_summary_proto;
use crate::db::adverts::{self as stored_adverts, Advert};

pub fn advert_proto(a: &Advert) -> pb::Advert {
    let status = match (a.status.as_str(), a.is_let) {
        ("open", _) => pb::AdvertStatus::Open,
        (_, true) => pb::AdvertStatus::Let,
        _ => pb::AdvertStatus::Closed,
    };
    pb::Advert {
        advert_id: a.id.to_string(),
        vacancy_id: a.vacancy_id.to_string(),
        closes_on: format_date(a.closes_on),
        minimum_age: a.minimum_age,
        adapted: a.adapted,
        status: status as i32,
        bids: i32::try_from(a.bids).unwrap_or(i32::MAX),
    }
}

pub fn advert_result_proto(r: &stored_adverts::Result) -> pb::AdvertResult {
    pb::AdvertResult {
        position: r.position,
        application_id: r.application_id.to_string(),
        reference: r.reference.clone(),
        band: r.band.clone(),
        points: r.points,
        effective_date: format_date(r.effective_date),
    }
}

pub fn advert_summary_proto(l: &stored_adverts::Listed) -> pb::AdvertSummary {
    pb::AdvertSummary {
        advert: Some(advert_proto(&l.advert)),
        vacancy: Some(vacancy_summary_proto(&l.vacancy)),
    }
}
