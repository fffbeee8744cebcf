//! The officers' queues: placements listed oldest start first by status, application, unit
//! type and the B&B clock, a page at a time; removals and storage awaiting a manager, who
//! approves or declines each once. Real PostgreSQL and NATS.

mod common;

use chrono::{Days, NaiveDate};
use common::*;
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, today};
use housing_proto::accommodation::v1 as pb;
use tonic::Code;

fn ago(n: u64) -> NaiveDate {
    today() - Days::new(n)
}

/// The placements the queue tests look at, each started `n` days ago.
struct Seeded {
    /// A family in B&B for 45 days: past the six-week limit. Offered.
    family_bnb_45: pb::Placement,
    /// A family in B&B for 36 days: warned, not yet in breach. Offered.
    family_bnb_36: pb::Placement,
    /// A single person in B&B for 50 days: no six-week limit. Offered.
    single_bnb_50: pb::Placement,
    /// A family in leased stock for 60 days, signed up. Active.
    family_leased_60: pb::Placement,
    /// Two single people in leased stock from the same day, 20 days ago. Offered.
    single_leased_20: [pb::Placement; 2],
    /// A single person in leased stock from 10 days ago to 2 days ago. Closed.
    closed_10: pb::Placement,
    /// Each placement's unit address, by placement id.
    addresses: std::collections::HashMap<String, String>,
}

async fn seed(h: &mut Harness) -> Seeded {
    let mut addresses = std::collections::HashMap::new();
    let mut cost = 20_000;
    let mut place_one = async |h: &mut Harness, t: pb::UnitType, family: bool, days_ago: u64| {
        cost += 100;
        let (_, placement, unit) = placed(h, t, 2, cost, household(family), ago(days_ago)).await;
        addresses.insert(placement.placement_id.clone(), unit.address);
        placement
    };
    let bnb = pb::UnitType::BedAndBreakfast;
    let leased = pb::UnitType::PrivateSectorLeased;
    let family_bnb_45 = place_one(h, bnb, true, 45).await;
    let family_bnb_36 = place_one(h, bnb, true, 36).await;
    let single_bnb_50 = place_one(h, bnb, false, 50).await;
    let family_leased_60 = place_one(h, leased, true, 60).await;
    let single_leased_20 = [
        place_one(h, leased, false, 20).await,
        place_one(h, leased, false, 20).await,
    ];
    let closed_10 = place_one(h, leased, false, 10).await;
    sign_up(h, &family_leased_60.placement_id).await;
    h.client
        .close_placement(pb::ClosePlacementRequest {
            placement_id: closed_10.placement_id.clone(),
            reason: pb::ClosureReason::MovedOut as i32,
            end_date: format_date(ago(2)),
            note: "moved in with family".into(),
        })
        .await
        .unwrap();
    Seeded {
        family_bnb_45,
        family_bnb_36,
        single_bnb_50,
        family_leased_60,
        single_leased_20,
        closed_10,
        addresses,
    }
}

async fn list(
    client: &mut Client,
    request: pb::ListPlacementsRequest,
) -> Vec<pb::PlacementSummary> {
    client
        .list_placements(request)
        .await
        .unwrap()
        .into_inner()
        .placements
}

fn ids(list: &[pb::PlacementSummary]) -> Vec<&str> {
    list.iter().map(|p| p.placement_id.as_str()).collect()
}

fn id(p: &pb::Placement) -> &str {
    p.placement_id.as_str()
}

#[tokio::test]
async fn placements_are_listed_oldest_start_first_by_status_application_unit_type_and_bnb_clock() {
    let mut h = start().await;
    let s = seed(&mut h).await;
    let [twenty_a, twenty_b] = &s.single_leased_20;
    let (twenty_a, twenty_b) = if twenty_a.placement_id < twenty_b.placement_id {
        (twenty_a, twenty_b)
    } else {
        (twenty_b, twenty_a)
    };

    let all = list(&mut h.client, Default::default()).await;
    assert_eq!(
        ids(&all),
        vec![
            id(&s.family_leased_60),
            id(&s.single_bnb_50),
            id(&s.family_bnb_45),
            id(&s.family_bnb_36),
            id(twenty_a),
            id(twenty_b),
            id(&s.closed_10),
        ]
    );

    // Each item is a summary of where the household is and since when.
    let breach = &all[2];
    assert_eq!(
        breach,
        &pb::PlacementSummary {
            placement_id: s.family_bnb_45.placement_id.clone(),
            application_id: s.family_bnb_45.application_id.clone(),
            unit_id: s.family_bnb_45.unit_id.clone(),
            unit_address: s.addresses[&s.family_bnb_45.placement_id].clone(),
            unit_type: pb::UnitType::BedAndBreakfast as i32,
            status: pb::PlacementStatus::Offered as i32,
            start_date: format_date(ago(45)),
            end_date: String::new(),
            days_in_placement: 45,
            weekly_rent_pence: s.family_bnb_45.weekly_rent_pence,
            bnb_clock_day: Some(45),
            // In the home district: no s.208 notice.
            s208_due_on: String::new(),
        }
    );
    assert!(breach.weekly_rent_pence > 0);
    // A single person in B&B has no clock; nor has anyone outside B&B.
    assert_eq!(all[1].bnb_clock_day, None);
    assert_eq!(all[1].days_in_placement, 50);
    assert_eq!(all[0].bnb_clock_day, None);
    assert_eq!(all[0].status, pb::PlacementStatus::Active as i32);
    // A closed placement counts its nights to its end.
    let closed = &all[6];
    assert_eq!(closed.status, pb::PlacementStatus::Closed as i32);
    assert_eq!(closed.end_date, format_date(ago(2)));
    assert_eq!(closed.days_in_placement, 8);

    let by_status = async |h: &mut Harness, status: pb::PlacementStatus| {
        list(
            &mut h.client,
            pb::ListPlacementsRequest {
                status: status as i32,
                ..Default::default()
            },
        )
        .await
    };
    assert_eq!(
        ids(&by_status(&mut h, pb::PlacementStatus::Offered).await),
        vec![
            id(&s.single_bnb_50),
            id(&s.family_bnb_45),
            id(&s.family_bnb_36),
            id(twenty_a),
            id(twenty_b),
        ]
    );
    assert_eq!(
        ids(&by_status(&mut h, pb::PlacementStatus::Active).await),
        vec![id(&s.family_leased_60)]
    );
    assert_eq!(
        ids(&by_status(&mut h, pb::PlacementStatus::Closed).await),
        vec![id(&s.closed_10)]
    );

    let of_application = list(
        &mut h.client,
        pb::ListPlacementsRequest {
            application_id: s.family_bnb_36.application_id.clone(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(ids(&of_application), vec![id(&s.family_bnb_36)]);

    let in_bnb = list(
        &mut h.client,
        pb::ListPlacementsRequest {
            unit_type: pb::UnitType::BedAndBreakfast as i32,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        ids(&in_bnb),
        vec![
            id(&s.single_bnb_50),
            id(&s.family_bnb_45),
            id(&s.family_bnb_36)
        ]
    );

    // The B&B clock: families only, at or past the day asked for.
    let at_day = async |h: &mut Harness, day: i32| {
        list(
            &mut h.client,
            pb::ListPlacementsRequest {
                bnb_clock_day_at_least: Some(day),
                ..Default::default()
            },
        )
        .await
    };
    assert_eq!(
        ids(&at_day(&mut h, 0).await),
        vec![id(&s.family_bnb_45), id(&s.family_bnb_36)]
    );
    assert_eq!(
        ids(&at_day(&mut h, 36).await),
        vec![id(&s.family_bnb_45), id(&s.family_bnb_36)]
    );
    assert_eq!(ids(&at_day(&mut h, 37).await), vec![id(&s.family_bnb_45)]);
    assert_eq!(ids(&at_day(&mut h, 42).await), vec![id(&s.family_bnb_45)]);
    assert_eq!(ids(&at_day(&mut h, 45).await), vec![id(&s.family_bnb_45)]);
    assert!(at_day(&mut h, 46).await.is_empty());

    // Filters combine.
    let none = list(
        &mut h.client,
        pb::ListPlacementsRequest {
            status: pb::PlacementStatus::Active as i32,
            bnb_clock_day_at_least: Some(0),
            ..Default::default()
        },
    )
    .await;
    assert!(none.is_empty());

    // Whoever may read a placement may list them; others may not.
    let mut income = client_as(h.running.addr(), Role::IncomeOfficer).await;
    assert_eq!(list(&mut income, Default::default()).await.len(), 7);
    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    let denied = assistant
        .list_placements(pb::ListPlacementsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn placements_come_a_page_at_a_time_and_a_bad_request_names_every_field() {
    let mut h = start().await;
    let s = seed(&mut h).await;
    let all = list(&mut h.client, Default::default()).await;
    assert_eq!(all.len(), 7);

    // Every page size reaches every placement once, in order, whatever falls on a page's
    // edge (two placements start on the same day).
    for size in 1..=8 {
        let mut seen = Vec::new();
        let mut token = String::new();
        let mut pages = 0;
        loop {
            let page = h
                .client
                .list_placements(pb::ListPlacementsRequest {
                    page_size: size,
                    page_token: token.clone(),
                    ..Default::default()
                })
                .await
                .unwrap()
                .into_inner();
            pages += 1;
            assert!(page.placements.len() <= size as usize);
            seen.extend(page.placements);
            token = page.next_page_token;
            if token.is_empty() {
                break;
            }
        }
        assert_eq!(seen, all, "pages of {size}");
        assert_eq!(pages, 7 / size + 1, "pages of {size}");
    }

    // A filtered list pages the same way.
    let first = h
        .client
        .list_placements(pb::ListPlacementsRequest {
            page_size: 2,
            status: pb::PlacementStatus::Offered as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        ids(&first.placements),
        vec![id(&s.single_bnb_50), id(&s.family_bnb_45)]
    );
    let second = h
        .client
        .list_placements(pb::ListPlacementsRequest {
            page_size: 2,
            page_token: first.next_page_token,
            status: pb::PlacementStatus::Offered as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        second.placements[0].placement_id,
        s.family_bnb_36.placement_id
    );
    assert_eq!(second.placements.len(), 2);

    // Over the largest page the list keeps to it.
    let most = h
        .client
        .list_placements(pb::ListPlacementsRequest {
            page_size: 1_000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(most.placements.len(), 7);
    assert!(most.next_page_token.is_empty());

    let bad_token = h
        .client
        .list_placements(pb::ListPlacementsRequest {
            page_token: "not-a-token".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_token.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&bad_token), vec!["page_token"]);
    let forged = h
        .client
        .list_placements(pb::ListPlacementsRequest {
            page_token: beyond_the_calendar(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&forged), vec!["page_token"]);

    let bad = h
        .client
        .list_placements(pb::ListPlacementsRequest {
            page_token: "%%%".into(),
            status: 99,
            application_id: "A-17".into(),
            unit_type: 42,
            bnb_clock_day_at_least: Some(-1),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&bad),
        vec![
            "page_token",
            "status",
            "application_id",
            "unit_type",
            "bnb_clock_day_at_least"
        ]
    );
    let too_long = h
        .client
        .list_placements(pb::ListPlacementsRequest {
            bnb_clock_day_at_least: Some(i32::MAX),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&too_long),
        vec!["bnb_clock_day_at_least"]
    );
    h.running.stop().await.unwrap();
}

/// A token in this service's form for a time PostgreSQL cannot hold (10,000 BC), as only
/// someone forging one could send.
fn beyond_the_calendar() -> String {
    let at = NaiveDate::from_ymd_opt(-10_000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    housing_platform::paging::encode(at, uuid::Uuid::now_v7())
}

async fn request_removal(client: &mut Client, placement_id: &str, reference: &str) -> pb::Removal {
    client
        .request_removal(pb::RequestRemovalRequest {
            request_id: reference.into(),
            placement_id: placement_id.into(),
            kind: pb::RemovalKind::Removal as i32,
            supplier_name: "Kent Removals Ltd".into(),
            supplier_reference: reference.into(),
            amount_pence: 35_000,
        })
        .await
        .unwrap()
        .into_inner()
        .removal
        .unwrap()
}

async fn removals(client: &mut Client, status: pb::RemovalStatus) -> Vec<String> {
    client
        .list_removals(pb::ListRemovalsRequest {
            status: status as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .removals
        .into_iter()
        .map(|r| r.removal_id)
        .collect()
}

#[tokio::test]
async fn a_manager_declines_a_removal_once_with_a_reason_and_the_queue_keeps_only_those_awaiting() {
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
    let first = request_removal(&mut h.client, &placement.placement_id, "Q-1").await;
    let second = request_removal(&mut h.client, &placement.placement_id, "Q-2").await;
    let third = request_removal(&mut h.client, &placement.placement_id, "Q-3").await;
    assert_eq!(first.status, pb::RemovalStatus::AwaitingApproval as i32);
    assert!(first.requested_at.is_some());
    let mut manager = client_as(h.running.addr(), Role::Manager).await;
    let manager_id = housing_testkit::oidc::officer(Role::Manager).sub.clone();

    let awaiting = pb::RemovalStatus::AwaitingApproval;
    let everything = vec![
        first.removal_id.clone(),
        second.removal_id.clone(),
        third.removal_id.clone(),
    ];
    assert_eq!(removals(&mut h.client, awaiting).await, everything);

    // Only a manager declines, and only with a reason.
    let officer_declines = h
        .client
        .decline_removal(pb::DeclineRemovalRequest {
            removal_id: first.removal_id.clone(),
            reason: "quote too high".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(officer_declines.code(), Code::PermissionDenied);
    let bad = manager
        .decline_removal(pb::DeclineRemovalRequest {
            removal_id: "R-1".into(),
            reason: " ".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&bad), vec!["removal_id", "reason"]);
    let unknown = manager
        .decline_removal(pb::DeclineRemovalRequest {
            removal_id: uuid::Uuid::now_v7().to_string(),
            reason: "no such quote".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
    assert_eq!(removals(&mut h.client, awaiting).await, everything);

    let declined = manager
        .decline_removal(pb::DeclineRemovalRequest {
            removal_id: first.removal_id.clone(),
            reason: "  quote too high: get two more  ".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .removal
        .unwrap();
    assert_eq!(declined.status, pb::RemovalStatus::Declined as i32);
    assert_eq!(declined.declined_by, manager_id);
    assert_eq!(declined.decline_reason, "quote too high: get two more");
    assert!(declined.declined_at.is_some());
    assert!(declined.approved_by.is_empty() && declined.approved_at.is_none());

    // A retry changes nothing; any other decision on it is refused.
    let again = manager
        .decline_removal(pb::DeclineRemovalRequest {
            removal_id: first.removal_id.clone(),
            reason: "quote too high: get two more".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .removal
        .unwrap();
    assert_eq!(again.decline_reason, declined.decline_reason);
    assert_eq!(again.declined_by, declined.declined_by);
    let other_reason = manager
        .decline_removal(pb::DeclineRemovalRequest {
            removal_id: first.removal_id.clone(),
            reason: "not needed".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(other_reason.code(), Code::FailedPrecondition);
    let approve_declined = manager
        .approve_removal(pb::ApproveRemovalRequest {
            removal_id: first.removal_id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(approve_declined.code(), Code::FailedPrecondition);
    assert!(
        events::<pb::RemovalApproved>(&h.pool, "housing.accommodation.removal.approved.v1")
            .await
            .is_empty()
    );

    let approved = manager
        .approve_removal(pb::ApproveRemovalRequest {
            removal_id: second.removal_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .removal
        .unwrap();
    assert_eq!(approved.status, pb::RemovalStatus::Approved as i32);
    let decline_approved = manager
        .decline_removal(pb::DeclineRemovalRequest {
            removal_id: second.removal_id.clone(),
            reason: "changed my mind".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(decline_approved.code(), Code::FailedPrecondition);
    let paid: Vec<pb::RemovalApproved> =
        events(&h.pool, "housing.accommodation.removal.approved.v1").await;
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].removal_id, second.removal_id);

    // The queue keeps only what awaits a manager; the others are listed by their decision.
    assert_eq!(
        removals(&mut manager, awaiting).await,
        vec![third.removal_id.clone()]
    );
    assert_eq!(
        removals(&mut manager, pb::RemovalStatus::Approved).await,
        vec![second.removal_id.clone()]
    );
    assert_eq!(
        removals(&mut manager, pb::RemovalStatus::Declined).await,
        vec![first.removal_id.clone()]
    );
    assert_eq!(
        removals(&mut manager, pb::RemovalStatus::Unspecified).await,
        everything
    );
    let listed = manager
        .list_removals(pb::ListRemovalsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .removals;
    assert_eq!(listed[0], again);
    assert_eq!(listed[0].status, pb::RemovalStatus::Declined as i32);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn removals_come_a_page_at_a_time_oldest_first_for_ta_staff_only() {
    let mut h = start().await;
    let (_, one, _) = placed(
        &mut h,
        pb::UnitType::PrivateSectorLeased,
        1,
        26_000,
        household(false),
        days(0),
    )
    .await;
    let (_, other, _) = placed(
        &mut h,
        pb::UnitType::Hostel,
        1,
        21_000,
        household(false),
        days(0),
    )
    .await;
    let mut requested = Vec::new();
    for (i, placement) in [&one, &other, &one, &other, &one].iter().enumerate() {
        let r = request_removal(&mut h.client, &placement.placement_id, &format!("Q-{i}")).await;
        requested.push(r.removal_id);
    }

    let mut seen = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let page = h
            .client
            .list_removals(pb::ListRemovalsRequest {
                page_size: 2,
                page_token: token,
                status: pb::RemovalStatus::AwaitingApproval as i32,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        pages += 1;
        assert!(page.removals.len() <= 2);
        seen.extend(page.removals.into_iter().map(|r| r.removal_id));
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, requested);

    let of_one: Vec<String> = h
        .client
        .list_removals(pb::ListRemovalsRequest {
            placement_id: one.placement_id.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .removals
        .into_iter()
        .map(|r| r.removal_id)
        .collect();
    assert_eq!(
        of_one,
        vec![
            requested[0].clone(),
            requested[2].clone(),
            requested[4].clone()
        ]
    );

    let bad_token = h
        .client
        .list_removals(pb::ListRemovalsRequest {
            page_token: "bm90IGEgdG9rZW4".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_token.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&bad_token), vec!["page_token"]);
    let forged = h
        .client
        .list_removals(pb::ListRemovalsRequest {
            page_token: beyond_the_calendar(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&forged), vec!["page_token"]);
    let bad = h
        .client
        .list_removals(pb::ListRemovalsRequest {
            status: 7,
            placement_id: "P-1".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&bad), vec!["status", "placement_id"]);

    for role in [Role::IncomeOfficer, Role::AllocationsOfficer] {
        let mut reader = client_as(h.running.addr(), role).await;
        let denied = reader
            .list_removals(pb::ListRemovalsRequest::default())
            .await
            .unwrap_err();
        assert_eq!(denied.code(), Code::PermissionDenied, "{role:?}");
    }
    h.running.stop().await.unwrap();
}
