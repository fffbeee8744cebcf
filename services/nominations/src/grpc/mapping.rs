use housing_platform::time::{self, format_date, timestamp};
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
        offer_kind: match n.offer_kind.as_str() {
            "homeless_final_offer" => pb::OfferKind::HomelessFinalOffer,
            "decant" => pb::OfferKind::Decant,
            "urgent" => pb::OfferKind::Urgent,
            _ => pb::OfferKind::Nomination,
        } as i32,
    }
}

/// A listing as a request gives it, every bad field named.
pub fn exchange_listing(
    l: Option<&pb::ExchangeListing>,
) -> Result<crate::db::exchanges::Listing, tonic::Status> {
    let mut v = housing_platform::errors::FieldViolations::new();
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

pub fn letting_result_proto(r: &crate::db::adverts::LettingResult) -> pb::LettingResult {
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
