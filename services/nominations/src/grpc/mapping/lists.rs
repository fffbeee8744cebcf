//! List requests' filters, page sizes and page tokens.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use housing_platform::errors::FieldViolations;
use housing_platform::paging;
use housing_platform::time::{self, format_date};
use housing_proto::nominations::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use crate::app::adverts::ListAdverts;
use crate::app::lists::{ListNominations, ListVacancies};
use crate::db::adverts::Stage;
use crate::db::nominations as stored_nominations;
use crate::db::vacancies as stored_vacancies;
use crate::domain::nomination::Status as NominationStatus;
use crate::domain::vacancy::Status as VacancyStatus;

/// Lists' pages: 25 items unless asked for fewer or more, and never more than 100.
pub(in crate::grpc) const PAGE_SIZE: i64 = 25;
pub(in crate::grpc) const MAX_PAGE_SIZE: i64 = 100;

/// The homes a vacancy may have, as a partner reports them.
const BEDROOMS: std::ops::RangeInclusive<i32> = 0..=10;

/// A list's enum filter: unspecified (0) is any, and a value with no meaning is named.
pub(in crate::grpc) fn filter_enum<P, D>(
    value: i32,
    field: &str,
    v: &mut FieldViolations,
    from_proto: impl Fn(P) -> Option<D>,
) -> Option<D>
where
    P: TryFrom<i32>,
{
    match P::try_from(value) {
        Ok(known) => from_proto(known),
        Err(_) => {
            v.add(
                field,
                format!("{value} is not a known value; leave it unspecified for any"),
            );
            None
        }
    }
}

/// A list's id filter: empty is any.
fn filter_uuid(value: &str, field: &str, v: &mut FieldViolations) -> Option<Uuid> {
    match value.trim() {
        "" => None,
        id => v.uuid(field, id),
    }
}

/// A page token naming where a list of `kind` in date order ended: the date and the id.
fn dated_page_token(kind: &str, next: Option<(NaiveDate, Uuid)>) -> String {
    next.map(|(on, id)| paging::encode_position(&format!("{kind}:{}:{id}", format_date(on))))
        .unwrap_or_default()
}

pub fn vacancies_page_token(next: Option<(NaiveDate, Uuid)>) -> String {
    dated_page_token("vacancy", next)
}

pub fn adverts_page_token(next: Option<(NaiveDate, Uuid)>) -> String {
    dated_page_token("advert", next)
}

/// Where the page of `kind` named by `token` starts; `None` for the first page, or with
/// `page_token` named when this list did not write it.
fn dated_position(token: &str, kind: &str, v: &mut FieldViolations) -> Option<(NaiveDate, Uuid)> {
    let text = match paging::decode_position(token) {
        Ok(text) => text?,
        Err(_) => {
            v.add("page_token", paging::NOT_A_TOKEN);
            return None;
        }
    };
    let parsed = (|| {
        let (on, id) = text
            .strip_prefix(kind)?
            .strip_prefix(':')?
            .split_once(':')?;
        Some((time::parse_date(on).ok()?, Uuid::parse_str(id).ok()?))
    })();
    if parsed.is_none() {
        v.add("page_token", paging::NOT_A_TOKEN);
    }
    parsed
}

pub fn nominations_page_token(next: Option<(DateTime<Utc>, Uuid)>) -> String {
    next.map(|(at, id)| paging::encode(at, id))
        .unwrap_or_default()
}

/// Where the page of nominations named by `token` starts. Every position this service
/// issues lies in the years a date may take, so a forged one beyond what PostgreSQL holds
/// never reaches it.
fn nomination_position(token: &str, v: &mut FieldViolations) -> Option<(DateTime<Utc>, Uuid)> {
    match paging::decode(token) {
        Ok(None) => None,
        Ok(Some((at, id))) if (1900..=2199).contains(&at.year()) => Some((at, id)),
        _ => {
            v.add("page_token", paging::NOT_A_TOKEN);
            None
        }
    }
}

impl TryFrom<pb::ListVacanciesRequest> for ListVacancies {
    type Error = Status;

    fn try_from(r: pb::ListVacanciesRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let status = filter_enum(r.status, "status", &mut v, |s: pb::VacancyStatus| match s {
            pb::VacancyStatus::Unspecified => None,
            pb::VacancyStatus::Open => Some(VacancyStatus::Open),
            pb::VacancyStatus::Nominated => Some(VacancyStatus::Nominated),
            pb::VacancyStatus::Let => Some(VacancyStatus::Let),
            pb::VacancyStatus::Advertised => Some(VacancyStatus::Advertised),
            pb::VacancyStatus::Withdrawn => Some(VacancyStatus::Withdrawn),
        });
        let partner_id = filter_uuid(&r.partner_id, "partner_id", &mut v);
        if let Some(bedrooms) = r.bedrooms
            && !BEDROOMS.contains(&bedrooms)
        {
            v.add(
                "bedrooms",
                format!(
                    "must be from {} to {}, or unset",
                    BEDROOMS.start(),
                    BEDROOMS.end()
                ),
            );
        }
        let after = dated_position(&r.page_token, "vacancy", &mut v);
        v.into_result(ListVacancies {
            filter: stored_vacancies::Filter {
                status,
                partner_id,
                pre_void: r.pre_void,
                bedrooms: r.bedrooms,
            },
            after,
            limit: paging::size(r.page_size, PAGE_SIZE, MAX_PAGE_SIZE),
        })
    }
}

impl TryFrom<pb::NominationsServiceListNominationsRequest> for ListNominations {
    type Error = Status;

    fn try_from(r: pb::NominationsServiceListNominationsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let status = filter_enum(
            r.status,
            "status",
            &mut v,
            |s: pb::NominationStatus| match s {
                pb::NominationStatus::Unspecified => None,
                pb::NominationStatus::Pending => Some(NominationStatus::Pending),
                pb::NominationStatus::Accepted => Some(NominationStatus::Accepted),
                pb::NominationStatus::Rejected => Some(NominationStatus::Rejected),
                pb::NominationStatus::Let => Some(NominationStatus::Let),
                pb::NominationStatus::Withdrawn => Some(NominationStatus::Withdrawn),
                pb::NominationStatus::Refused => Some(NominationStatus::Refused),
            },
        );
        let vacancy_id = filter_uuid(&r.vacancy_id, "vacancy_id", &mut v);
        let application_id = filter_uuid(&r.application_id, "application_id", &mut v);
        let after = nomination_position(&r.page_token, &mut v);
        v.into_result(ListNominations {
            filter: stored_nominations::Filter {
                status,
                vacancy_id,
                application_id,
                overdue: r.overdue,
            },
            after,
            limit: paging::size(r.page_size, PAGE_SIZE, MAX_PAGE_SIZE),
        })
    }
}

impl TryFrom<pb::ListAdvertsRequest> for ListAdverts {
    type Error = Status;

    fn try_from(r: pb::ListAdvertsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let stage = filter_enum(r.status, "status", &mut v, |s: pb::AdvertStatus| match s {
            pb::AdvertStatus::Unspecified => None,
            pb::AdvertStatus::Open => Some(Stage::Open),
            pb::AdvertStatus::Closed => Some(Stage::Closed),
            pb::AdvertStatus::Let => Some(Stage::Let),
        });
        // Refused rather than bounded, unlike the older lists: a caller asking for more
        // than a page holds should hear so instead of reading a short page as the last.
        if !(0..=MAX_PAGE_SIZE).contains(&i64::from(r.page_size)) {
            v.add(
                "page_size",
                format!("must be from 0 (for {PAGE_SIZE}) to {MAX_PAGE_SIZE}"),
            );
        }
        let after = dated_position(&r.page_token, "advert", &mut v);
        v.into_result(ListAdverts {
            stage,
            after,
            limit: paging::size(r.page_size, PAGE_SIZE, MAX_PAGE_SIZE),
        })
    }
}
