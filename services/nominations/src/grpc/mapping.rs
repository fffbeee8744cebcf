mod mobility;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use housing_platform::errors::FieldViolations;
use housing_platform::paging;
use housing_platform::time::{self, format_date, timestamp};
use housing_proto::nominations::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use crate::app::adverts::ListAdverts;
use crate::app::lists::{ListNominations, ListVacancies};
use crate::app::nominations::Offer;
use crate::app::partners::PartnerUpdate;
use crate::db::adverts::{self as stored_adverts, Advert, Stage};
use crate::db::nominations::{self as stored_nominations, Nomination};
use crate::db::partners::Partner;
use crate::db::vacancies::{self as stored_vacancies, Listed, Vacancy};
use crate::domain::household::{
    Access, Household, MAX_SHARED, MAX_SHARED_CHARS, Relationship, Shared,
};
use crate::domain::nomination::Status as NominationStatus;
use crate::domain::vacancy::Status as VacancyStatus;

pub use mobility::{ApproveIncentive, MobilityQuota, Period};

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

pub fn nomination_status_proto(status: NominationStatus) -> pb::NominationStatus {
    match status {
        NominationStatus::Pending => pb::NominationStatus::Pending,
        NominationStatus::Accepted => pb::NominationStatus::Accepted,
        NominationStatus::Rejected => pb::NominationStatus::Rejected,
        NominationStatus::Let => pb::NominationStatus::Let,
        NominationStatus::Withdrawn => pb::NominationStatus::Withdrawn,
        NominationStatus::Refused => pb::NominationStatus::Refused,
    }
}

/// Lists' pages: 25 items unless asked for fewer or more, and never more than 100.
pub(super) const PAGE_SIZE: i64 = 25;
pub(super) const MAX_PAGE_SIZE: i64 = 100;

/// The homes a vacancy may have, as a partner reports them.
const BEDROOMS: std::ops::RangeInclusive<i32> = 0..=10;

/// A list's enum filter: unspecified (0) is any, and a value with no meaning is named.
pub(super) fn filter_enum<P, D>(
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

pub fn vacancy_summary_proto(l: &Listed) -> pb::VacancySummary {
    pb::VacancySummary {
        vacancy: Some(vacancy_proto(&l.vacancy)),
        partner_name: l.partner_name.clone(),
        nominations: i32::try_from(l.live_nominations).unwrap_or(i32::MAX),
    }
}

impl TryFrom<&pb::CreateNominationRequest> for Offer {
    type Error = Status;

    fn try_from(r: &pb::CreateNominationRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let vacancy = v.uuid("vacancy_id", &r.vacancy_id);
        let application = v.uuid("application_id", &r.application_id);
        let kind = match pb::OfferKind::try_from(r.offer_kind) {
            Ok(pb::OfferKind::Unspecified | pb::OfferKind::Nomination) => Some("nomination"),
            Ok(pb::OfferKind::HomelessFinalOffer) => Some("homeless_final_offer"),
            Ok(pb::OfferKind::Decant) => Some("decant"),
            Ok(pb::OfferKind::Urgent) => Some("urgent"),
            Err(_) => {
                v.add("offer_kind", format!("unknown value {}", r.offer_kind));
                None
            }
        };
        let mobility_scheme = if r.mobility_scheme_id.is_empty() {
            None
        } else {
            v.uuid("mobility_scheme_id", &r.mobility_scheme_id)
        };
        let shared = shared(r.shared.as_ref(), &mut v);
        match (vacancy, application, kind) {
            (Some(vacancy_id), Some(application_id), Some(kind)) if v.is_empty() => Ok(Offer {
                vacancy_id,
                application_id,
                kind,
                mobility_scheme,
                shared,
            }),
            _ => Err(v.into_status()),
        }
    }
}

/// Support needs and risks for the partner: each said in words, within bounds, and only
/// with the applicant's agreement.
fn shared(s: Option<&pb::SharedWithPartner>, v: &mut FieldViolations) -> Shared {
    let Some(s) = s else {
        return Shared::default();
    };
    let mut items = |field: &str, given: &[String]| -> Vec<String> {
        if given.len() > MAX_SHARED {
            v.add(format!("shared.{field}"), format!("at most {MAX_SHARED}"));
        }
        given
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let item = item.trim();
                if item.is_empty() {
                    v.add(format!("shared.{field}[{i}]"), "must not be blank");
                } else if item.chars().count() > MAX_SHARED_CHARS {
                    v.add(
                        format!("shared.{field}[{i}]"),
                        format!("at most {MAX_SHARED_CHARS} characters"),
                    );
                }
                (!item.is_empty()).then(|| item.to_owned())
            })
            .collect()
    };
    let support_needs = items("support_needs", &s.support_needs);
    let risks = items("risks", &s.risks);
    let anything_shared = !support_needs.is_empty() || !risks.is_empty();
    if anything_shared && !s.applicant_agreed {
        v.add(
            "shared.applicant_agreed",
            "the applicant must agree before support needs or risks are shared with the landlord",
        );
    }
    Shared {
        support_needs,
        risks,
        applicant_agreed: s.applicant_agreed,
    }
}

/// A nomination as the partner sees it: what it needs to make an offer, and no more. The
/// register's id for the application, the band and the nominating officer stay with the
/// council.
pub fn partner_nomination_proto(n: &Nomination) -> pb::Nomination {
    pb::Nomination {
        application_id: String::new(),
        band: String::new(),
        nominated_by: String::new(),
        ..nomination_proto(n)
    }
}

fn household_proto(h: &Household) -> pb::NominatedHousehold {
    use pb::{AccessNeed as A, OccupantRelationship as R};
    pb::NominatedHousehold {
        lead_name: h.lead_name.clone(),
        occupants: h
            .occupants
            .iter()
            .map(|o| pb::Occupant {
                relationship: match o.relationship {
                    Relationship::LeadApplicant => R::LeadApplicant,
                    Relationship::Partner => R::Partner,
                    Relationship::Child => R::Child,
                    Relationship::OtherRelative => R::OtherRelative,
                    Relationship::Other => R::Other,
                } as i32,
                age: i32::try_from(o.age).unwrap_or(i32::MAX),
            })
            .collect(),
        bedrooms_needed: h.bedrooms_needed,
        access_need: match h.access {
            Access::Unknown => A::Unspecified,
            Access::GeneralNeeds => A::GeneralNeeds,
            Access::StepFree => A::StepFree,
            Access::WheelchairPartial => A::WheelchairPartial,
            Access::WheelchairThroughout => A::WheelchairThroughout,
        } as i32,
        support_needs: h.shared.support_needs.clone(),
        risks: h.shared.risks.clone(),
        applicant_agreed_to_share: h.shared.applicant_agreed,
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
        status: NominationStatus::parse(&n.status)
            .map_or(pb::NominationStatus::Unspecified, nomination_status_proto)
            as i32,
        respond_by: format_date(n.respond_by),
        rejection_reason: n.rejection_reason.clone().unwrap_or_default(),
        nominated_by: n.nominated_by.clone(),
        nominated_at: Some(timestamp(n.nominated_at)),
        offer_kind: match n.offer_kind.as_str() {
            "homeless_final_offer" => pb::OfferKind::HomelessFinalOffer,
            "decant" => pb::OfferKind::Decant,
            "urgent" => pb::OfferKind::Urgent,
            _ => pb::OfferKind::Nomination,
        } as i32,
        offered_on: time::format_optional_date(n.offered_on),
        viewed_on: time::format_optional_date(n.viewed_on),
        viewing_notes: n.viewing_notes.clone().unwrap_or_default(),
        household: n.household.as_ref().map(|h| household_proto(h)),
    }
}

/// A listing as a request gives it, every bad field named.
pub fn exchange_listing(
    l: Option<&pb::ExchangeListing>,
) -> Result<crate::db::exchanges::Listing, Status> {
    let mut v = FieldViolations::new();
    let Some(l) = l else {
        v.add("listing", "required");
        return Err(v.into_status());
    };
    v.require(
        "listing.tenant_name",
        &l.tenant_name,
        "the tenant listing their home",
    );
    let landlord = if l.landlord_partner_id.is_empty() {
        crate::app::exchanges::COUNCIL.to_owned()
    } else {
        v.uuid("listing.landlord_partner_id", &l.landlord_partner_id)
            .map(|id| id.to_string())
            .unwrap_or_default()
    };
    let home = l.home.clone().unwrap_or_default();
    v.require("listing.home.area", &home.area, "where the home is");
    v.require(
        "listing.home.property_type",
        &home.property_type,
        "the kind of home",
    );
    if !(0..=10).contains(&home.bedrooms) {
        v.add("listing.home.bedrooms", "must be 0 to 10");
    }
    let wants = l.wants.clone().unwrap_or_default();
    if !(0..=10).contains(&wants.min_bedrooms) || !(0..=10).contains(&wants.max_bedrooms) {
        v.add("listing.wants", "bedrooms must be 0 to 10");
    } else if wants.min_bedrooms > wants.max_bedrooms {
        v.add(
            "listing.wants.max_bedrooms",
            "must not be below min_bedrooms",
        );
    }
    v.into_result(crate::db::exchanges::Listing {
        id: uuid::Uuid::now_v7(),
        tenant_name: l.tenant_name.trim().to_owned(),
        landlord,
        area: home.area.trim().to_owned(),
        bedrooms: home.bedrooms,
        property_type: home.property_type.trim().to_owned(),
        wants_areas: wants.areas,
        min_bedrooms: wants.min_bedrooms,
        max_bedrooms: wants.max_bedrooms,
        wants_types: wants.property_types,
        status: "active".into(),
    })
}

pub fn exchange_listing_proto(l: &crate::db::exchanges::Listing) -> pb::ExchangeListing {
    pb::ExchangeListing {
        listing_id: l.id.to_string(),
        tenant_name: l.tenant_name.clone(),
        landlord_partner_id: if l.landlord == crate::app::exchanges::COUNCIL {
            String::new()
        } else {
            l.landlord.clone()
        },
        home: Some(pb::ExchangeHome {
            area: l.area.clone(),
            bedrooms: l.bedrooms,
            property_type: l.property_type.clone(),
        }),
        wants: Some(pb::ExchangeWants {
            areas: l.wants_areas.clone(),
            min_bedrooms: l.min_bedrooms,
            max_bedrooms: l.max_bedrooms,
            property_types: l.wants_types.clone(),
        }),
        status: super::lists::listing_status_proto(&l.status) as i32,
    }
}

pub fn exchange_proto(e: &crate::db::exchanges::Exchange, awaiting: Vec<String>) -> pb::Exchange {
    pb::Exchange {
        exchange_id: e.id.to_string(),
        listing_ids: e.listing_ids.iter().map(uuid::Uuid::to_string).collect(),
        status: e.status.clone(),
        awaiting,
    }
}

/// A decant as an officer records it: every bad field named.
pub fn decant(
    d: Option<&pb::Decant>,
    by: &str,
) -> Result<crate::db::decants::Decant, tonic::Status> {
    use crate::domain::decant::Tenure;
    let mut v = FieldViolations::new();
    let Some(d) = d else {
        v.add("decant", "required");
        return Err(v.into_status());
    };
    v.require("decant.scheme", &d.scheme, "the regeneration scheme");
    v.require("decant.payee_name", &d.payee_name, "who is paid");
    v.require("decant.address", &d.address, "the home being left");
    let application = v.uuid("decant.application_id", &d.application_id);
    let tenure = match pb::DecantTenure::try_from(d.tenure) {
        Ok(pb::DecantTenure::Tenant) => Some(Tenure::Tenant),
        Ok(pb::DecantTenure::OwnerOccupier) => Some(Tenure::OwnerOccupier),
        _ => {
            v.add("decant.tenure", "required: tenant or owner-occupier");
            None
        }
    };
    let occupied_since = v.date("decant.occupied_since", &d.occupied_since);
    if occupied_since.is_some_and(|since| since > time::today()) {
        v.add("decant.occupied_since", "is in the future");
    }
    match tenure {
        Some(Tenure::OwnerOccupier) if d.market_value_pence <= 0 => v.add(
            "decant.market_value_pence",
            "required for an owner-occupier: the home's market value",
        ),
        Some(Tenure::Tenant) if d.market_value_pence != 0 => v.add(
            "decant.market_value_pence",
            "a tenant's home-loss payment does not depend on the value: leave it 0",
        ),
        _ => {}
    }
    let (Some(application_id), Some(tenure), Some(occupied_since)) =
        (application, tenure, occupied_since)
    else {
        return Err(v.into_status());
    };
    v.into_result(crate::db::decants::Decant {
        id: uuid::Uuid::now_v7(),
        scheme: d.scheme.trim().to_owned(),
        application_id,
        payee_name: d.payee_name.trim().to_owned(),
        address: d.address.trim().to_owned(),
        tenure,
        occupied_since,
        market_value_pence: d.market_value_pence,
        right_to_return: d.right_to_return,
        status: "awaiting_move".into(),
        moved_on: None,
        home_loss_pence: None,
        home_loss_reason: None,
        rules_version: None,
        disturbance: Vec::new(),
        approved_by: None,
        approved_at: None,
        created_by: by.to_owned(),
    })
}

/// Disturbance costs as claimed: every bad item named.
pub fn disturbance(
    items: &[pb::DisturbanceItem],
) -> Result<Vec<crate::db::decants::DisturbanceItem>, tonic::Status> {
    let mut v = FieldViolations::new();
    for (i, item) in items.iter().enumerate() {
        v.require(
            &format!("disturbance[{i}].description"),
            &item.description,
            "what the cost was for",
        );
        if item.amount_pence <= 0 {
            v.add(format!("disturbance[{i}].amount_pence"), "must be above 0");
        }
    }
    v.into_result(
        items
            .iter()
            .map(|i| crate::db::decants::DisturbanceItem {
                description: i.description.trim().to_owned(),
                amount_pence: i.amount_pence,
            })
            .collect(),
    )
}

pub fn decant_proto(d: &crate::db::decants::Decant) -> pb::Decant {
    use crate::domain::decant::Tenure;
    pb::Decant {
        decant_id: d.id.to_string(),
        scheme: d.scheme.clone(),
        application_id: d.application_id.to_string(),
        payee_name: d.payee_name.clone(),
        address: d.address.clone(),
        tenure: match d.tenure {
            Tenure::Tenant => pb::DecantTenure::Tenant,
            Tenure::OwnerOccupier => pb::DecantTenure::OwnerOccupier,
        } as i32,
        occupied_since: format_date(d.occupied_since),
        market_value_pence: d.market_value_pence,
        right_to_return: d.right_to_return,
        status: match d.status.as_str() {
            "moved" => pb::DecantStatus::Moved,
            "payments_approved" => pb::DecantStatus::PaymentsApproved,
            _ => pb::DecantStatus::AwaitingMove,
        } as i32,
        moved_on: time::format_optional_date(d.moved_on),
        home_loss_pence: d.home_loss_pence.unwrap_or_default(),
        home_loss_reason: d.home_loss_reason.clone().unwrap_or_default(),
        rules_version: d.rules_version.clone().unwrap_or_default(),
        disturbance: d
            .disturbance
            .iter()
            .map(|i| pb::DisturbanceItem {
                description: i.description.clone(),
                amount_pence: i.amount_pence,
            })
            .collect(),
        disturbance_pence: d.disturbance_pence(),
        approved_by: d.approved_by.clone().unwrap_or_default(),
        approved_at: d.approved_at.map(timestamp),
        created_by: d.created_by.clone(),
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

/// A partner's agreement as a manager changes it: every bad field named.
pub fn partner_update(r: &pb::UpdatePartnerRequest) -> Result<PartnerUpdate, Status> {
    let mut v = FieldViolations::new();
    let id = v.uuid("partner_id", &r.partner_id);
    v.require("name", &r.name, "the partner's name");
    if !(1..=60).contains(&r.response_days) {
        v.add("response_days", "must be 1 to 60 working days");
    }
    let Some(id) = id else {
        return Err(v.into_status());
    };
    v.into_result(PartnerUpdate {
        id,
        name: r.name.trim().to_owned(),
        response_days: r.response_days,
        nomination_share_percent: r.nomination_share_percent,
    })
}

pub fn partner_proto(p: &Partner) -> pb::Partner {
    pb::Partner {
        partner_id: p.id.to_string(),
        name: p.name.clone(),
        response_days: p.response_days,
        nomination_share_percent: p.nomination_share_percent,
        council_stock: p.council_stock,
    }
}
