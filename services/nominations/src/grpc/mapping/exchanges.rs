//! Mutual exchange listings and exchanges.

use housing_platform::errors::FieldViolations;
use housing_proto::nominations::v1 as pb;
use tonic::Status;

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
        status: crate::grpc::lists::listing_status_proto(&l.status) as i32,
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
