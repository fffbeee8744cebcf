//! Matching through the API: every hard constraint excludes a unit with its reason, bad
//! stock and requests are named field by field with nothing stored, and the portfolio
//! optimiser proposes transfers an officer applies. Real PostgreSQL and NATS.

mod common;

use chrono::Days;
use common::portfolio::{self, portfolio};
use common::*;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, long_date, today};
use housing_proto::accommodation::v1 as pb;
use temporary_accommodation::domain::optimiser::{Candidates, greedy, optimal};
use uuid::Uuid;

#[tokio::test]
async fn each_hard_constraint_keeps_a_unit_from_a_household_and_says_why() {
    let mut h = start().await;
    let p = h.provider_id.clone();
    let make = |f: fn(&mut pb::Unit)| {
        let mut u = unit(&p, pb::UnitType::PrivateSectorLeased, 2, 40_000);
        u.step_free = true;
        u.wheelchair_accessible = true;
        f(&mut u);
        u
    };
    let good = make(|_| {});
    let small = make(|u| u.bedrooms = 1);
    let crowded = make(|u| u.max_occupancy = 3);
    let steps = make(|u| u.step_free = false);
    let narrow = make(|u| u.wheelchair_accessible = false);
    let gas = with_gas_expiring(make(|_| {}), today() - Days::new(1));
    let bnb = make(|u| u.unit_type = pb::UnitType::BedAndBreakfast as i32);
    let mut ids = Vec::new();
    for u in [good, small, crowded, steps, narrow, gas, bnb] {
        ids.push(create_unit(&mut h.client, u).await.unit_id);
    }
    let mut need = household(true);
    need.needs_step_free = true;
    need.needs_wheelchair_access = true;
    let request = create_request(&mut h.client, need).await;
    let ranking = h
        .client
        .rank_units(pb::RankUnitsRequest {
            placement_request_id: request.placement_request_id.clone(),
            page_size: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        ranking
            .ranked
            .iter()
            .map(|r| r.unit.as_ref().unwrap().unit_id.clone())
            .collect::<Vec<_>>(),
        vec![ids[0].clone()]
    );
    let parts: Vec<&str> = ranking.ranked[0]
        .parts
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(parts, vec!["cost", "distance"]);
    let distance = &ranking.ranked[0].parts[1].explanation;
    assert!(distance.ends_with("km from school"), "{distance}");
    let year = long_date(today() + Days::new(365));
    assert_eq!(
        ranking.ranked[0].constraints_met,
        vec![
            "2 bedrooms; the household needs 2".to_owned(),
            "sleeps 5; the household is 4".to_owned(),
            "step-free".to_owned(),
            "wheelchair accessible".to_owned(),
            format!("gas safety record valid until {year}"),
            format!("electrical installation condition report valid until {year}"),
            format!("energy performance certificate valid until {year}"),
        ]
    );
    let reasons = |id: &str| {
        ranking
            .excluded
            .iter()
            .find(|e| e.unit_id == id)
            .map(|e| e.reasons.clone())
            .unwrap()
    };
    assert_eq!(reasons(&ids[1]), vec!["1 bedroom; the household needs 2"]);
    assert_eq!(reasons(&ids[2]), vec!["sleeps 3; the household is 4"]);
    assert_eq!(reasons(&ids[3]), vec!["not step-free"]);
    assert_eq!(reasons(&ids[4]), vec!["not wheelchair accessible"]);
    assert_eq!(
        reasons(&ids[5]),
        vec![format!(
            "gas safety record expired on {}",
            long_date(today() - Days::new(1))
        )]
    );
    assert_eq!(
        reasons(&ids[6]),
        vec!["bed and breakfast is unsuitable for a family while other units are available"]
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn bad_stock_and_requests_are_named_field_by_field_and_nothing_is_stored() {
    let mut h = start().await;
    let mut bad = unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 3, -1);
    bad.max_occupancy = 2;
    bad.nightly_cost_pence = -5;
    bad.certificates[1].issued_on = format_date(today() - Days::new(10));
    bad.certificates[1].expires_on = format_date(today() - Days::new(20));
    let refused = h
        .client
        .create_unit(pb::CreateUnitRequest {
            request_id: String::new(),
            unit: Some(bad),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&refused),
        vec![
            "unit.max_occupancy",
            "unit.weekly_cost_pence",
            "unit.nightly_cost_pence",
            "unit.certificates[1].expires_on"
        ]
    );
    let mut orphan = unit(&h.provider_id, pb::UnitType::Hostel, 1, 10_000);
    orphan.provider_id = Uuid::now_v7().to_string();
    let refused = h
        .client
        .create_unit(pb::CreateUnitRequest {
            request_id: String::new(),
            unit: Some(orphan),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&refused), vec!["unit.provider_id"]);
    assert_eq!(count(&h.pool, "units").await, 0);
    assert_eq!(count(&h.pool, "certificates").await, 0);

    let mut request = household(true);
    // A household is placed under its register application, or no letter could reach it.
    request.application_id = String::new();
    request.household_size = 0;
    request.duty = 0;
    request.needed_from = "23/11/2026".into();
    request.weekly_income_pence = -100;
    request.anchor_kinds.push(pb::AnchorKind::Work as i32);
    let refused = h
        .client
        .create_placement_request(pb::CreatePlacementRequestRequest {
            request_id: String::new(),
            placement_request: Some(request),
            confirm_differences: false,
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&refused),
        vec![
            "placement_request.application_id",
            "placement_request.household_size",
            "placement_request.bedrooms_needed",
            "placement_request.duty",
            "placement_request.anchor_kinds",
            "placement_request.weekly_income_pence",
            "placement_request.needed_from"
        ]
    );
    assert_eq!(count(&h.pool, "placement_requests").await, 0);

    let request = create_request(&mut h.client, household(false)).await;
    let refused = h
        .client
        .start_placement(pb::StartPlacementRequest {
            placement_request_id: request.placement_request_id.clone(),
            unit_id: Uuid::now_v7().to_string(),
            start_date: format_date(today()),
            reason: "nearest".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&refused), vec!["unit_id"]);
    assert_eq!(count(&h.pool, "placements").await, 0);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn the_optimiser_proposes_moving_a_family_out_of_bed_and_breakfast_and_only_an_officer_moves_it()
 {
    let mut h = start().await;
    let bnb = create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::BedAndBreakfast, 2, 30_000),
    )
    .await;
    let family = create_request(&mut h.client, household(true)).await;
    let placement = place(&mut h.client, &family, &bnb, today()).await;
    sign_up(&h, &placement.placement_id).await;
    let flat = create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 2, 32_000),
    )
    .await;

    let proposal = h
        .client
        .propose_transfers(pb::ProposeTransfersRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(proposal.transfers.len(), 1);
    let t = &proposal.transfers[0];
    assert_eq!(
        (
            t.placement_id.as_str(),
            t.from_unit_id.as_str(),
            t.to_unit_id.as_str()
        ),
        (
            placement.placement_id.as_str(),
            bnb.unit_id.as_str(),
            flat.unit_id.as_str()
        )
    );
    assert!(t.parts_before.iter().any(|p| p.name == "bnb_family"));
    assert!(t.parts_after.iter().any(|p| p.name == "move"));
    assert_eq!(t.points_before, 30_000 + 50_000);
    assert_eq!(t.points_after, 32_000 + 5_000);
    assert_eq!(proposal.total_points_proposed, 37_000);
    assert!(proposal.total_points_proposed <= proposal.total_points_greedy);
    assert_eq!(
        get(&mut h.client, &placement.placement_id).await.unit_id,
        bnb.unit_id
    );

    h.client
        .transfer_placement(pb::TransferPlacementRequest {
            placement_id: placement.placement_id.clone(),
            unit_id: flat.unit_id.clone(),
            transfer_date: format_date(today() + Days::new(1)),
            reason: "optimiser proposal".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let after = h
        .client
        .propose_transfers(pb::ProposeTransfersRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(after.transfers.is_empty());
    h.running.stop().await.unwrap();
}

#[test]
fn on_a_larger_portfolio_the_optimiser_beats_placing_households_greedily() {
    let (occupants, vacant) = portfolio(7, 400, 500);
    let c = Candidates::build(&occupants, &vacant, portfolio::on(), portfolio::HOME, 20).unwrap();
    let best = c.cost(&optimal(&c).unwrap()).unwrap();
    let first_come = c.cost(&greedy(&c)).unwrap();
    let stay: Vec<usize> = (0..occupants.len()).map(|i| vacant.len() + i).collect();
    assert!(best < first_come, "optimal {best}, greedy {first_come}");
    assert!(first_come < c.cost(&stay).unwrap());
}

#[tokio::test]
async fn a_ranking_sees_every_change_to_the_stock_since_the_last_one() {
    let mut h = start().await;
    let request = create_request(&mut h.client, household(false)).await;
    let ranked = |mut client: Client, id: String| async move {
        let mut ids: Vec<String> = client
            .rank_units(pb::RankUnitsRequest {
                placement_request_id: id,
                page_size: 0,
            })
            .await
            .unwrap()
            .into_inner()
            .ranked
            .into_iter()
            .map(|r| r.unit.unwrap().unit_id)
            .collect();
        ids.sort();
        ids
    };
    let id = request.placement_request_id.clone();
    assert!(ranked(h.client.clone(), id.clone()).await.is_empty());
    let first = create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 26_000),
    )
    .await;
    let second = create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 27_000),
    )
    .await;
    let mut both = vec![first.unit_id.clone(), second.unit_id.clone()];
    both.sort();
    let only_second = vec![second.unit_id.clone()];
    assert_eq!(ranked(h.client.clone(), id.clone()).await, both);
    // Filled: gone from the stock.
    let other = create_request(&mut h.client, household(false)).await;
    let placement = place(&mut h.client, &other, &first, today()).await;
    assert_eq!(ranked(h.client.clone(), id.clone()).await, only_second);
    // Empty again: back.
    h.client
        .close_placement(pb::ClosePlacementRequest {
            placement_id: placement.placement_id,
            reason: pb::ClosureReason::MovedOut as i32,
            end_date: format_date(today()),
            note: "moved on".into(),
        })
        .await
        .unwrap();
    assert_eq!(ranked(h.client.clone(), id.clone()).await, both);
    // Withdrawn: gone for good.
    h.client
        .withdraw_unit(pb::WithdrawUnitRequest {
            unit_id: first.unit_id.clone(),
            reason: "lease ended".into(),
        })
        .await
        .unwrap();
    assert_eq!(ranked(h.client.clone(), id.clone()).await, only_second);
    // A certificate lapsed behind the service's back: the unit can no longer be offered.
    sqlx::query("UPDATE certificates SET expires_on = issued_on + 1")
        .execute(&h.pool)
        .await
        .unwrap();
    assert!(ranked(h.client.clone(), id).await.is_empty());
    h.running.stop().await.unwrap();
}
