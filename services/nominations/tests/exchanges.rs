//! Mutual exchanges over gRPC: listings, the chains among them, and landlords' consent.

mod common;

use common::{partner_client, staff, start};
use housing_platform::auth::Role;
use housing_proto::nominations::v1 as pb;
use tonic::Code;
use uuid::Uuid;

fn listing(
    n: u32,
    area: &str,
    bedrooms: i32,
    wants_area: &str,
    wants: i32,
    landlord: &str,
) -> pb::CreateExchangeListingRequest {
    pb::CreateExchangeListingRequest {
        request_id: format!("listing-{n}"),
        listing: Some(pb::ExchangeListing {
            tenant_name: format!("Tenant {n}"),
            landlord_partner_id: landlord.into(),
            home: Some(pb::ExchangeHome {
                area: area.into(),
                bedrooms,
                property_type: "flat".into(),
            }),
            wants: Some(pb::ExchangeWants {
                areas: vec![wants_area.into()],
                min_bedrooms: wants,
                max_bedrooms: wants,
                property_types: vec![],
            }),
            ..Default::default()
        }),
    }
}

#[tokio::test]
async fn a_three_way_chain_is_found_and_goes_ahead_only_when_every_landlord_consents() {
    let h = start().await;
    let partner = h.partner.to_string();
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    let mut create = async |r| {
        officer
            .create_exchange_listing(r)
            .await
            .unwrap()
            .into_inner()
            .listing
            .unwrap()
            .listing_id
    };
    // 1 wants 2's home, 2 wants 3's, 3 wants 1's; 4 wants nothing here.
    let one = create(listing(1, "north", 1, "south", 2, "")).await;
    let two = create(listing(2, "south", 2, "east", 3, &partner)).await;
    let three = create(listing(3, "east", 3, "north", 1, "")).await;
    create(listing(4, "west", 2, "west", 4, "")).await;

    let found = officer
        .find_exchanges(pb::FindExchangesRequest {
            listing_id: two.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(found.swaps.is_empty());
    assert_eq!(found.chains.len(), 1);
    assert_eq!(
        found.chains[0].listing_ids,
        vec![one.clone(), two.clone(), three.clone()]
    );

    let wrong_way = officer
        .propose_exchange(pb::ProposeExchangeRequest {
            request_id: "x-wrong".into(),
            listing_ids: vec![one.clone(), three.clone(), two.clone()],
        })
        .await
        .unwrap_err();
    assert_eq!(
        wrong_way.code(),
        Code::FailedPrecondition,
        "nobody wants the move that way round"
    );

    let exchange = officer
        .propose_exchange(pb::ProposeExchangeRequest {
            request_id: "x-1".into(),
            listing_ids: found.chains[0].listing_ids.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .exchange
        .unwrap();
    let mut awaiting = exchange.awaiting.clone();
    awaiting.sort();
    let mut both = vec!["council".to_owned(), partner.clone()];
    both.sort();
    assert_eq!(awaiting, both);
    assert_eq!(exchange.status, "awaiting_consent");

    // A partner with no home in the exchange cannot see or answer it.
    let stranger = Uuid::now_v7();
    sqlx::query("INSERT INTO partners (id, name, response_days, created_at) VALUES ($1, 'Stranger', 5, now())")
        .bind(stranger)
        .execute(&h.pool)
        .await
        .unwrap();
    let mut stranger_api = partner_client(&h, stranger).await;
    let hidden = stranger_api
        .decide_exchange_consent(pb::DecideExchangeConsentRequest {
            exchange_id: exchange.exchange_id.clone(),
            consent: true,
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(hidden.code(), Code::NotFound);

    let council = officer
        .record_council_consent(pb::RecordCouncilConsentRequest {
            exchange_id: exchange.exchange_id.clone(),
            consent: true,
            reason: String::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .exchange
        .unwrap();
    assert_eq!(council.status, "awaiting_consent");
    assert_eq!(council.awaiting, vec![partner.clone()]);
    let mut landlord = partner_client(&h, h.partner).await;
    let approved = landlord
        .decide_exchange_consent(pb::DecideExchangeConsentRequest {
            exchange_id: exchange.exchange_id.clone(),
            consent: true,
            reason: String::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .exchange
        .unwrap();
    assert_eq!(approved.status, "approved");
    let gone = officer
        .find_exchanges(pb::FindExchangesRequest { listing_id: one })
        .await
        .unwrap_err();
    assert_eq!(
        gone.code(),
        Code::NotFound,
        "exchanged listings leave the register"
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_bad_listing_names_every_field_and_a_refusal_needs_its_reason() {
    let h = start().await;
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    let bad = officer
        .create_exchange_listing(pb::CreateExchangeListingRequest {
            request_id: "bad".into(),
            listing: Some(pb::ExchangeListing {
                landlord_partner_id: "someone".into(),
                home: Some(pb::ExchangeHome {
                    area: String::new(),
                    bedrooms: -1,
                    property_type: "flat".into(),
                }),
                wants: Some(pb::ExchangeWants {
                    min_bedrooms: 3,
                    max_bedrooms: 2,
                    ..Default::default()
                }),
                ..Default::default()
            }),
        })
        .await
        .unwrap_err();
    let mut fields = housing_platform::errors::bad_request_fields(&bad);
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "listing.home.area",
            "listing.home.bedrooms",
            "listing.landlord_partner_id",
            "listing.tenant_name",
            "listing.wants.max_bedrooms"
        ]
    );
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM exchange_listings")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);

    let one = officer
        .create_exchange_listing(listing(1, "north", 2, "south", 2, ""))
        .await
        .unwrap()
        .into_inner()
        .listing
        .unwrap()
        .listing_id;
    let two = officer
        .create_exchange_listing(listing(2, "south", 2, "north", 2, ""))
        .await
        .unwrap()
        .into_inner()
        .listing
        .unwrap()
        .listing_id;
    let exchange = officer
        .propose_exchange(pb::ProposeExchangeRequest {
            request_id: "swap".into(),
            listing_ids: vec![one, two],
        })
        .await
        .unwrap()
        .into_inner()
        .exchange
        .unwrap();
    let no_reason = officer
        .record_council_consent(pb::RecordCouncilConsentRequest {
            exchange_id: exchange.exchange_id.clone(),
            consent: false,
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        housing_platform::errors::bad_request_fields(&no_reason),
        vec!["reason"]
    );
    let refused = officer
        .record_council_consent(pb::RecordCouncilConsentRequest {
            exchange_id: exchange.exchange_id,
            consent: false,
            reason: "rent arrears on the tenancy".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .exchange
        .unwrap();
    assert_eq!(refused.status, "refused");
    h.running.stop().await.unwrap();
}
