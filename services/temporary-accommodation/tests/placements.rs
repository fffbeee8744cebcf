//! A placement's life: offered, signed up on the documents service's word, transferred with
//! one history, closed with a reason; removals approved by a manager only. Real PostgreSQL
//! and NATS.

mod common;

use common::*;
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, timestamp};
use housing_proto::accommodation::v1 as pb;
use housing_proto::documents::v1 as documents;
use housing_proto::nominations::v1 as nominations;
use housing_testkit::{eventually, publish_as};
use temporary_accommodation::app::daily;
use tonic::Code;
use uuid::Uuid;

#[tokio::test]
async fn a_placement_is_offered_until_the_documents_service_reports_the_sign_up_checklist_complete()
{
    let mut h = start().await;
    let (_, placement, _) = placed(
        &mut h,
        pb::UnitType::PrivateSectorLeased,
        2,
        40_000,
        household(true),
        days(0),
    )
    .await;
    assert_eq!(placement.status, pb::PlacementStatus::Offered as i32);
    assert!(placement.signed_up_at.is_none());
    let started: Vec<pb::PlacementStarted> =
        events(&h.pool, "housing.accommodation.placement.started.v1").await;
    assert_eq!(
        started.len(),
        1,
        "documents opens the sign-up checklist on it"
    );

    // Another checklist about the same id signs nothing up.
    checklist_completed(
        &h,
        documents::ChecklistKind::RegisterApplication,
        &placement.placement_id,
    )
    .await;
    let refused = h
        .client
        .transfer_placement(pb::TransferPlacementRequest {
            placement_id: placement.placement_id.clone(),
            unit_id: Uuid::now_v7().to_string(),
            transfer_date: format_date(days(5)),
            reason: "larger".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert!(
        refused.message().contains("offered"),
        "{}",
        refused.message()
    );

    let active = sign_up(&h, &placement.placement_id).await;
    assert!(active.signed_up_at.is_some());
    let decisions: Vec<(&str, &str)> = active
        .decisions
        .iter()
        .map(|d| (d.decision.as_str(), d.decided_by.as_str()))
        .collect();
    assert_eq!(
        decisions,
        vec![
            (
                "started",
                housing_testkit::oidc::officer(Role::TaOfficer).sub.as_str()
            ),
            ("signed_up", "system:documents")
        ]
    );
    h.running.stop().await.unwrap();
}

/// The reply to a placement is made from what its transaction wrote, not read back: it must
/// say what every later read says.
#[tokio::test]
async fn a_placement_is_answered_as_it_is_read_afterwards() {
    let mut h = start().await;
    let mut away = unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 2, 41_000);
    away.local_authority = "Medway".into();
    let away = create_unit(&mut h.client, away).await;
    let family = create_request(&mut h.client, household(true)).await;
    let placed_away = place(&mut h.client, &family, &away, days(0)).await;
    assert_eq!(placed_away.stays.len(), 1);
    assert_eq!(placed_away.decisions.len(), 1);
    assert!(
        placed_away.s208_notifications.len() == 1,
        "out of district: the s.208 clock"
    );
    assert!(
        placed_away.s213aa_notification.is_some(),
        "a child: the s.213AA clock"
    );
    assert_eq!(
        get(&mut h.client, &placed_away.placement_id).await,
        placed_away
    );

    let (_, placed_home, _) = placed(
        &mut h,
        pb::UnitType::PrivateSectorLeased,
        1,
        30_000,
        household(false),
        days(0),
    )
    .await;
    assert!(placed_home.s208_notifications.is_empty());
    assert!(placed_home.s213aa_notification.is_none());
    assert_eq!(
        get(&mut h.client, &placed_home.placement_id).await,
        placed_home
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_transfer_keeps_one_placement_history_and_tells_rent_the_new_charge() {
    let mut h = start().await;
    let (_, placement, bnb) = placed(
        &mut h,
        pb::UnitType::BedAndBreakfast,
        2,
        30_000,
        household(false),
        days(0),
    )
    .await;
    sign_up(&h, &placement.placement_id).await;
    let flat = create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 26_000),
    )
    .await;
    let moved = h
        .client
        .transfer_placement(pb::TransferPlacementRequest {
            request_id: "move-1".into(),
            placement_id: placement.placement_id.clone(),
            unit_id: flat.unit_id.clone(),
            transfer_date: format_date(days(10)),
            reason: "self-contained flat came free".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .placement
        .unwrap();
    assert_eq!(moved.placement_id, placement.placement_id);
    assert_eq!(moved.unit_id, flat.unit_id);
    assert_eq!(moved.weekly_rent_pence, 13_000);
    let history: Vec<(String, String, String)> = moved
        .stays
        .iter()
        .map(|s| (s.unit_id.clone(), s.from_date.clone(), s.to_date.clone()))
        .collect();
    assert_eq!(
        history,
        vec![
            (
                bnb.unit_id.clone(),
                format_date(days(0)),
                format_date(days(10))
            ),
            (flat.unit_id.clone(), format_date(days(10)), String::new()),
        ]
    );
    let transferred: Vec<pb::PlacementTransferred> =
        events(&h.pool, "housing.accommodation.placement.transferred.v1").await;
    assert_eq!(transferred.len(), 1);
    assert_eq!(transferred[0].from_unit_id, bnb.unit_id);
    assert_eq!(transferred[0].to_unit_id, flat.unit_id);
    assert_eq!(transferred[0].transfer_date, format_date(days(10)));
    assert_eq!(transferred[0].weekly_rent_pence, 13_000);
    assert_eq!(transferred[0].weekly_service_charge_pence, 1_500);

    // The B&B is free again: another household can be placed there.
    let next = create_request(&mut h.client, household(false)).await;
    place(&mut h.client, &next, &bnb, days(11)).await;
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_transfer_with_bad_input_names_every_field_and_stores_nothing() {
    let mut h = start().await;
    let (_, placement, flat) = placed(
        &mut h,
        pb::UnitType::PrivateSectorLeased,
        1,
        26_000,
        household(false),
        days(3),
    )
    .await;
    sign_up(&h, &placement.placement_id).await;
    let bad = h
        .client
        .transfer_placement(pb::TransferPlacementRequest {
            placement_id: placement.placement_id.clone(),
            unit_id: flat.unit_id.clone(),
            transfer_date: format_date(days(2)),
            reason: "x".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&bad), vec!["transfer_date", "unit_id"]);
    let unknown = h
        .client
        .transfer_placement(pb::TransferPlacementRequest {
            placement_id: placement.placement_id.clone(),
            unit_id: Uuid::now_v7().to_string(),
            transfer_date: format_date(days(5)),
            reason: "x".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&unknown), vec!["unit_id"]);
    let blank = h
        .client
        .transfer_placement(pb::TransferPlacementRequest::default())
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&blank),
        vec!["placement_id", "unit_id", "transfer_date", "reason"]
    );
    assert_eq!(count(&h.pool, "placement_stays").await, 1);
    assert!(
        events::<pb::PlacementTransferred>(
            &h.pool,
            "housing.accommodation.placement.transferred.v1"
        )
        .await
        .is_empty()
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_closed_placement_records_its_reason_ends_its_stay_and_frees_the_unit() {
    let mut h = start().await;
    let (_, placement, flat) = placed(
        &mut h,
        pb::UnitType::PrivateSectorLeased,
        1,
        26_000,
        household(false),
        days(0),
    )
    .await;
    let bad = h
        .client
        .close_placement(pb::ClosePlacementRequest {
            placement_id: placement.placement_id.clone(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&bad), vec!["reason", "end_date"]);
    let closed = h
        .client
        .close_placement(pb::ClosePlacementRequest {
            placement_id: placement.placement_id.clone(),
            reason: pb::ClosureReason::AbandonmentVerified as i32,
            end_date: format_date(days(20)),
            note: "no contact for 14 days; provider inspected".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .placement
        .unwrap();
    assert_eq!(closed.status, pb::PlacementStatus::Closed as i32);
    assert_eq!(
        closed.closure_reason,
        pb::ClosureReason::AbandonmentVerified as i32
    );
    assert_eq!(closed.stays[0].to_date, format_date(days(20)));
    let announced: Vec<pb::PlacementClosed> =
        events(&h.pool, "housing.accommodation.placement.closed.v1").await;
    assert_eq!(announced.len(), 1);
    assert_eq!(
        announced[0].reason,
        pb::ClosureReason::AbandonmentVerified as i32
    );
    let next = create_request(&mut h.client, household(false)).await;
    place(&mut h.client, &next, &flat, days(21)).await;
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_letting_from_nominations_closes_the_placement_without_an_officer() {
    let mut h = start().await;
    let (request, placement, _) = placed(
        &mut h,
        pb::UnitType::PrivateSectorLeased,
        2,
        40_000,
        household(true),
        days(0),
    )
    .await;
    let bus = h.env.bus().await;
    bus.ensure_stream("nominations").await.unwrap();
    publish_as(
        &bus,
        Uuid::now_v7(),
        "housing.nominations.letting.completed.v1",
        &request.application_id,
        &nominations::LettingCompleted {
            letting_id: Uuid::now_v7().to_string(),
            application_id: request.application_id.clone(),
            tenancy_start_date: format_date(days(30)),
            ..Default::default()
        },
    )
    .await;
    let closed = eventually(WAIT, "the placement to close", || {
        let mut client = h.client.clone();
        let id = placement.placement_id.clone();
        async move {
            let p = get(&mut client, &id).await;
            (p.status == pb::PlacementStatus::Closed as i32).then_some(p)
        }
    })
    .await;
    assert_eq!(
        closed.closure_reason,
        pb::ClosureReason::DutyDischargedFinalOfferAccepted as i32
    );
    assert_eq!(closed.end_date, format_date(days(30)));
    let closed_by: String = sqlx::query_scalar(
        "SELECT decided_by FROM placement_decisions WHERE placement_id = $1::uuid AND decision = 'closed'",
    )
    .bind(&placement.placement_id)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(closed_by, "system:nominations");
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_refused_suitable_final_offer_ends_the_duty_and_the_placement_after_the_notice() {
    let mut h = start().await;
    let (request, placement, _) = placed(
        &mut h,
        pb::UnitType::PrivateSectorLeased,
        2,
        40_000,
        household(true),
        days(0),
    )
    .await;
    sign_up(&h, &placement.placement_id).await;
    let bus = h.env.bus().await;
    bus.ensure_stream("nominations").await.unwrap();
    let refusal = |final_offer: bool| nominations::OfferRefused {
        nomination_id: Uuid::now_v7().to_string(),
        application_id: request.application_id.clone(),
        reason: nominations::RefusalReason::Location as i32,
        final_offer,
        suitable: true,
        decided_by: "senior-1".into(),
        refused_at: Some(timestamp(days(0).and_hms_opt(10, 0, 0).unwrap().and_utc())),
        ..Default::default()
    };
    // An offer that was not the final one leaves the duty as it is.
    for final_offer in [false, true] {
        publish_as(
            &bus,
            Uuid::now_v7(),
            "housing.nominations.offer.refused.v1",
            &request.application_id,
            &refusal(final_offer),
        )
        .await;
    }
    let noticed = eventually(WAIT, "notice of the end of the duty", || {
        let mut client = h.client.clone();
        let id = placement.placement_id.clone();
        async move {
            let p = get(&mut client, &id).await;
            (!p.duty_ends_on.is_empty()).then_some(p)
        }
    })
    .await;
    assert_eq!(noticed.duty_ends_on, format_date(days(28)));
    assert_eq!(noticed.status, pb::PlacementStatus::Active as i32);
    let ended: Vec<&pb::Decision> = noticed
        .decisions
        .iter()
        .filter(|d| d.decision == "duty_ended")
        .collect();
    assert_eq!(ended.len(), 1);
    assert!(
        ended[0]
            .reason
            .starts_with("suitable final offer refused on")
    );

    daily::run_day(&h.pool, days(27)).await.unwrap();
    let p = get(&mut h.client, &placement.placement_id).await;
    assert_eq!(p.status, pb::PlacementStatus::Active as i32);
    daily::run_day(&h.pool, days(28)).await.unwrap();
    let p = get(&mut h.client, &placement.placement_id).await;
    assert_eq!(p.status, pb::PlacementStatus::Closed as i32);
    assert_eq!(
        p.closure_reason,
        pb::ClosureReason::DutyDischargedFinalOfferRefused as i32
    );
    assert_eq!(p.end_date, format_date(days(28)));
    let closed: Vec<pb::PlacementClosed> =
        events(&h.pool, "housing.accommodation.placement.closed.v1").await;
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].decided_by, "system:daily");
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_refusal_at_half_past_midnight_in_summer_counts_the_notice_from_that_london_day() {
    let mut h = start().await;
    let (request, placement, _) = placed(
        &mut h,
        pb::UnitType::PrivateSectorLeased,
        1,
        30_000,
        household(false),
        days(0),
    )
    .await;
    let bus = h.env.bus().await;
    bus.ensure_stream("nominations").await.unwrap();
    // 00:30 BST on 1 June 2027 is 23:30 UTC on 31 May.
    let at = chrono::DateTime::parse_from_rfc3339("2027-05-31T23:30:00Z")
        .unwrap()
        .to_utc();
    publish_as(
        &bus,
        Uuid::now_v7(),
        "housing.nominations.offer.refused.v1",
        &request.application_id,
        &nominations::OfferRefused {
            nomination_id: Uuid::now_v7().to_string(),
            application_id: request.application_id.clone(),
            reason: nominations::RefusalReason::Location as i32,
            final_offer: true,
            suitable: true,
            decided_by: "senior-1".into(),
            refused_at: Some(timestamp(at)),
            ..Default::default()
        },
    )
    .await;
    let noticed = eventually(WAIT, "notice of the end of the duty", || {
        let mut client = h.client.clone();
        let id = placement.placement_id.clone();
        async move {
            let p = get(&mut client, &id).await;
            (!p.duty_ends_on.is_empty()).then_some(p)
        }
    })
    .await;
    // Refused on 1 June; 28 days' notice runs to 29 June (from 31 May it would be 28 June).
    assert_eq!(noticed.duty_ends_on, "2027-06-29");
    assert!(
        noticed.decisions.iter().any(|d| d
            .reason
            .starts_with("suitable final offer refused on 2027-06-01")),
        "{:?}",
        noticed.decisions
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn removals_and_storage_are_approved_by_a_manager_and_never_by_an_officer() {
    let mut h = start().await;
    let (_, placement, _) = placed(
        &mut h,
        pb::UnitType::PrivateSectorLeased,
        1,
        26_000,
        household(false),
        days(0),
    )
    .await;
    let bad = h
        .client
        .request_removal(pb::RequestRemovalRequest {
            placement_id: placement.placement_id.clone(),
            amount_pence: -5,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        vec![
            "kind",
            "supplier_name",
            "supplier_reference",
            "amount_pence"
        ]
    );
    let removal = h
        .client
        .request_removal(pb::RequestRemovalRequest {
            request_id: "store-1".into(),
            placement_id: placement.placement_id.clone(),
            kind: pb::RemovalKind::Storage as i32,
            supplier_name: "Safe Store Ltd".into(),
            supplier_reference: "Q-7781".into(),
            amount_pence: 48_000,
        })
        .await
        .unwrap()
        .into_inner()
        .removal
        .unwrap();
    assert_eq!(count(&h.pool, "removals").await, 1);

    let refused = h
        .client
        .approve_removal(pb::ApproveRemovalRequest {
            removal_id: removal.removal_id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    assert!(
        events::<pb::RemovalApproved>(&h.pool, "housing.accommodation.removal.approved.v1")
            .await
            .is_empty()
    );

    let mut manager = client_as(h.running.addr(), Role::Manager).await;
    let approved = manager
        .approve_removal(pb::ApproveRemovalRequest {
            removal_id: removal.removal_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .removal
        .unwrap();
    assert_eq!(
        approved.approved_by,
        housing_testkit::oidc::officer(Role::Manager).sub
    );
    let paid: Vec<pb::RemovalApproved> =
        events(&h.pool, "housing.accommodation.removal.approved.v1").await;
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].amount_pence, 48_000);
    assert_eq!(paid[0].supplier_name, "Safe Store Ltd");
    assert_eq!(paid[0].placement_id, placement.placement_id);
    h.running.stop().await.unwrap();
}
