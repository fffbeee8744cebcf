//! The lists the console's approvals queue and exchange pages read: under-occupation moves
//! awaiting their incentive, decants by status, exchange listings, and an exchange as it
//! stands. Real PostgreSQL and NATS.

mod common;

use chrono::Days;
use common::{Harness, nomination, partner_client, staff, start};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, today};
use housing_proto::nominations::v1 as pb;
use tonic::Code;
use uuid::Uuid;

/// A nominee from `left` bedrooms (a social tenant or not) let a home of two; the
/// application's id.
async fn moved(h: &Harness, left: i32, social_tenant: bool) -> String {
    let offer = nomination(h, "accepted").await;
    sqlx::query("UPDATE nominations SET current_bedrooms = $2, social_tenant = $3 WHERE id = $1")
        .bind(offer)
        .bind(left)
        .bind(social_tenant)
        .execute(&h.pool)
        .await
        .unwrap();
    partner_client(h, h.partner)
        .await
        .report_letting(pb::ReportLettingRequest {
            nomination_id: offer.to_string(),
            tenancy_start_date: format_date(today()),
            weekly_rent_pence: 15_000,
            details: None,
        })
        .await
        .unwrap();
    let application: Uuid =
        sqlx::query_scalar("SELECT application_id FROM nominations WHERE id = $1")
            .bind(offer)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    application.to_string()
}

fn incentives(status: pb::IncentiveStatus, page_token: &str) -> pb::ListIncentivesRequest {
    pb::ListIncentivesRequest {
        page_size: 1,
        page_token: page_token.into(),
        status: status as i32,
    }
}

#[tokio::test]
async fn moves_that_released_social_homes_wait_for_their_incentive_until_a_manager_approves_it() {
    let h = start().await;
    let mut manager = staff(&h, Role::Manager).await;
    let first = moved(&h, 4, true).await;
    let second = moved(&h, 3, true).await;
    // Neither is owed an incentive: a private tenant, and a move that released nothing.
    moved(&h, 4, false).await;
    moved(&h, 2, true).await;

    let page = manager
        .list_incentives(incentives(pb::IncentiveStatus::AwaitingApproval, ""))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.incentives.len(), 1);
    let waiting = &page.incentives[0];
    assert_eq!(waiting.application_id, first);
    assert_eq!(waiting.status, pb::IncentiveStatus::AwaitingApproval as i32);
    assert_eq!(
        (
            waiting.bedrooms_left,
            waiting.bedrooms_moved_to,
            waiting.bedrooms_released
        ),
        (4, 2, 2)
    );
    assert_eq!(waiting.application_reference, "REG-0000001");
    assert_eq!(waiting.moved_on, format_date(today()));
    assert!(waiting.move_id.is_empty() && waiting.approved_at.is_none());
    assert!(!page.next_page_token.is_empty());
    let last = manager
        .list_incentives(incentives(
            pb::IncentiveStatus::AwaitingApproval,
            &page.next_page_token,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(last.incentives.len(), 1);
    assert_eq!(last.incentives[0].application_id, second);
    assert!(last.next_page_token.is_empty());

    // The amount listed is what approving pays.
    let approved = manager
        .approve_incentive(pb::ApproveIncentiveRequest {
            request_id: "move-1".into(),
            application_id: first.clone(),
            payee_name: "Mrs E. Shaw".into(),
            bedrooms_released: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(approved.amount_pence, waiting.amount_pence);
    let awaiting = manager
        .list_incentives(pb::ListIncentivesRequest {
            status: pb::IncentiveStatus::AwaitingApproval as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .incentives;
    let ids: Vec<_> = awaiting.iter().map(|i| i.application_id.as_str()).collect();
    assert_eq!(ids, [second.as_str()]);
    let paid = manager
        .list_incentives(pb::ListIncentivesRequest {
            status: pb::IncentiveStatus::Approved as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .incentives;
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].move_id, approved.move_id);
    assert_eq!(paid[0].payee_name, "Mrs E. Shaw");
    assert_eq!(paid[0].bedrooms_left, 4);
    assert_eq!(
        paid[0].approved_by,
        housing_testkit::oidc::officer(Role::Manager).sub
    );
    // Unfiltered, both stages: the move awaiting came first, the approval after.
    let every = manager
        .list_incentives(pb::ListIncentivesRequest::default())
        .await
        .unwrap()
        .into_inner()
        .incentives;
    assert_eq!(every.len(), 2);

    let bad = manager
        .list_incentives(pb::ListIncentivesRequest {
            page_size: 101,
            page_token: "not-a-token".into(),
            status: 9,
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&bad),
        vec!["status", "page_size", "page_token"]
    );
    // Approvals are a manager's, and so is their queue.
    let officer = staff(&h, Role::AllocationsOfficer)
        .await
        .list_incentives(pb::ListIncentivesRequest::default())
        .await
        .unwrap_err();
    assert_eq!(officer.code(), Code::PermissionDenied);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn decants_are_listed_the_first_recorded_first_and_by_status() {
    let h = start().await;
    let mut senior = staff(&h, Role::SeniorOfficer).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let decant = senior
            .create_decant(pb::CreateDecantRequest {
                request_id: format!("d-{n}"),
                decant: Some(pb::Decant {
                    scheme: "Northside Estate regeneration".into(),
                    application_id: Uuid::now_v7().to_string(),
                    payee_name: format!("Tenant {n}"),
                    address: format!("{n} Tower Block, Northside"),
                    tenure: pb::DecantTenure::Tenant as i32,
                    occupied_since: format_date(today() - Days::new(800)),
                    ..Default::default()
                }),
            })
            .await
            .unwrap()
            .into_inner()
            .decant
            .unwrap();
        ids.push(decant.decant_id);
    }
    sqlx::query("UPDATE decants SET status = 'moved', moved_on = current_date WHERE id = $1")
        .bind(Uuid::parse_str(&ids[1]).unwrap())
        .execute(&h.pool)
        .await
        .unwrap();

    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    let moved = officer
        .list_decants(pb::ListDecantsRequest {
            status: pb::DecantStatus::Moved as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(moved.decants.len(), 1);
    assert_eq!(moved.decants[0].decant_id, ids[1]);
    assert_eq!(moved.decants[0].payee_name, "Tenant 1");
    assert_eq!(moved.decants[0].moved_on, format_date(today()));

    let first = officer
        .list_decants(pb::ListDecantsRequest {
            page_size: 2,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let rest = officer
        .list_decants(pb::ListDecantsRequest {
            page_size: 2,
            page_token: first.next_page_token.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(rest.next_page_token.is_empty());
    let listed: Vec<_> = first
        .decants
        .iter()
        .chain(&rest.decants)
        .map(|d| d.decant_id.clone())
        .collect();
    assert_eq!(listed, ids);

    let bad = officer
        .list_decants(pb::ListDecantsRequest {
            page_size: 101,
            page_token: "x".into(),
            status: 7,
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&bad),
        vec!["status", "page_size", "page_token"]
    );
    let assistant = staff(&h, Role::RegisterAssistant)
        .await
        .list_decants(pb::ListDecantsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(assistant.code(), Code::PermissionDenied);
    h.running.stop().await.unwrap();
}

fn listing(
    n: u32,
    area: &str,
    bedrooms: i32,
    wants_area: &str,
    wants: i32,
) -> pb::CreateExchangeListingRequest {
    pb::CreateExchangeListingRequest {
        request_id: format!("listing-{n}"),
        listing: Some(pb::ExchangeListing {
            tenant_name: format!("Tenant {n}"),
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
async fn exchange_listings_are_listed_the_latest_first_and_an_exchange_read_as_it_stands() {
    let h = start().await;
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    let mut ids = Vec::new();
    for request in [
        listing(1, "north", 2, "south", 3),
        listing(2, "south", 3, "north", 2),
        listing(3, "west", 1, "west", 4),
    ] {
        let listing = officer
            .create_exchange_listing(request)
            .await
            .unwrap()
            .into_inner()
            .listing
            .unwrap();
        assert_eq!(listing.status, pb::ExchangeListingStatus::Active as i32);
        ids.push(listing.listing_id);
    }
    let list = |status: pb::ExchangeListingStatus, listing_ids: Vec<String>| {
        pb::ListExchangeListingsRequest {
            status: status as i32,
            listing_ids,
            ..Default::default()
        }
    };
    let active = officer
        .list_exchange_listings(list(pb::ExchangeListingStatus::Active, vec![]))
        .await
        .unwrap()
        .into_inner();
    let listed: Vec<_> = active
        .listings
        .iter()
        .map(|l| l.listing_id.clone())
        .collect();
    assert_eq!(listed, [ids[2].clone(), ids[1].clone(), ids[0].clone()]);
    assert_eq!(active.listings[2].tenant_name, "Tenant 1");
    let paged = officer
        .list_exchange_listings(pb::ListExchangeListingsRequest {
            page_size: 2,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let rest = officer
        .list_exchange_listings(pb::ListExchangeListingsRequest {
            page_size: 2,
            page_token: paged.next_page_token,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rest.listings.len(), 1);
    assert_eq!(rest.listings[0].listing_id, ids[0]);

    let exchange = officer
        .propose_exchange(pb::ProposeExchangeRequest {
            request_id: "x-1".into(),
            listing_ids: vec![ids[0].clone(), ids[1].clone()],
        })
        .await
        .unwrap()
        .into_inner()
        .exchange
        .unwrap();
    let proposed = officer
        .list_exchange_listings(list(
            pb::ExchangeListingStatus::Proposed,
            vec![ids[1].clone(), ids[2].clone()],
        ))
        .await
        .unwrap()
        .into_inner()
        .listings;
    assert_eq!(proposed.len(), 1);
    assert_eq!(proposed[0].listing_id, ids[1]);
    let read = officer
        .get_exchange(pb::GetExchangeRequest {
            exchange_id: exchange.exchange_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .exchange
        .unwrap();
    assert_eq!(read, exchange);
    assert_eq!(read.awaiting, ["council"]);

    let bad = officer
        .list_exchange_listings(pb::ListExchangeListingsRequest {
            status: 8,
            listing_ids: vec![ids[0].clone(), "nope".into()],
            page_size: 500,
            page_token: "x".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        vec!["status", "listing_ids[1]", "page_size", "page_token"]
    );
    let unknown = officer
        .get_exchange(pb::GetExchangeRequest {
            exchange_id: Uuid::now_v7().to_string(),
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
    let malformed = officer
        .get_exchange(pb::GetExchangeRequest {
            exchange_id: "x".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&malformed), vec!["exchange_id"]);
    h.running.stop().await.unwrap();
}
