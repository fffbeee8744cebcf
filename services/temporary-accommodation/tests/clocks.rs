//! The daily sweeps, with the test driving the days: certificates warned of 30 days ahead
//! and taken out of matching when they lapse, the B&B six-week clock, the s.208 clock, and
//! the TA figures they feed. Real PostgreSQL and NATS.

mod common;

use chrono::Days;
use common::*;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, long_date};
use housing_proto::accommodation::v1 as pb;
use temporary_accommodation::app::daily;

async fn run_day(h: &Harness, on: chrono::NaiveDate) {
    daily::run_day(&h.pool, on).await.unwrap();
}

const WARNING: &str = "housing.accommodation.bnb.limit_warning.v1";
const BREACH: &str = "housing.accommodation.bnb.limit_breached.v1";

async fn figures(h: &mut Harness, on: chrono::NaiveDate) -> pb::GetFiguresResponse {
    h.client
        .get_figures(pb::GetFiguresRequest {
            on: format_date(on),
        })
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn a_family_in_bed_and_breakfast_is_warned_of_on_day_41_and_breaches_on_day_42_once() {
    let mut h = start().await;
    let family_bnb = create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::BedAndBreakfast, 2, 30_000),
    )
    .await;
    let family = create_request(&mut h.client, household(true)).await;
    let placement = place(&mut h.client, &family, &family_bnb, days(0)).await;
    // A single person in B&B has no six-week limit.
    let single_bnb = create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::BedAndBreakfast, 1, 20_000),
    )
    .await;
    let single = create_request(&mut h.client, household(false)).await;
    place(&mut h.client, &single, &single_bnb, days(0)).await;

    run_day(&h, days(41)).await;
    let warned: Vec<pb::BedAndBreakfastLimit> = events(&h.pool, WARNING).await;
    assert_eq!(warned.len(), 1);
    assert_eq!(warned[0].placement_id, placement.placement_id);
    assert_eq!(warned[0].days, 41);
    assert_eq!(warned[0].limit_date, format_date(days(42)));
    assert!(
        events::<pb::BedAndBreakfastLimit>(&h.pool, BREACH)
            .await
            .is_empty()
    );
    assert_eq!(
        figures(&mut h, days(41))
            .await
            .families_in_bed_and_breakfast_over_six_weeks,
        0
    );

    run_day(&h, days(42)).await;
    let breached: Vec<pb::BedAndBreakfastLimit> = events(&h.pool, BREACH).await;
    assert_eq!(breached.len(), 1);
    assert_eq!(breached[0].days, 42);
    assert_eq!(breached[0].application_id, family.application_id);

    run_day(&h, days(43)).await;
    run_day(&h, days(43)).await;
    assert_eq!(
        events::<pb::BedAndBreakfastLimit>(&h.pool, BREACH)
            .await
            .len(),
        1
    );
    assert_eq!(
        events::<pb::BedAndBreakfastLimit>(&h.pool, WARNING)
            .await
            .len(),
        1
    );
    let on_43 = figures(&mut h, days(43)).await;
    assert_eq!(on_43.families_in_bed_and_breakfast_over_six_weeks, 1);
    assert!(
        on_43
            .csv
            .contains("families_in_bed_and_breakfast_over_six_weeks,,1\n"),
        "{}",
        on_43.csv
    );
    assert!(on_43.csv.contains("placements,bed_and_breakfast,2\n"));
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn an_out_of_district_placement_is_overdue_for_its_s208_notice_on_day_15_unless_sent() {
    let mut h = start().await;
    let mut away = unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 22_000);
    away.local_authority = "Swale".into();
    let away = create_unit(&mut h.client, away.clone()).await;
    let mut also_away = unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 23_000);
    also_away.local_authority = "Swale".into();
    let also_away = create_unit(&mut h.client, also_away).await;
    let at_home = create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 24_000),
    )
    .await;
    let unsent = create_request(&mut h.client, household(false)).await;
    let unsent = place(&mut h.client, &unsent, &away, days(0)).await;
    let sent = create_request(&mut h.client, household(false)).await;
    let sent = place(&mut h.client, &sent, &also_away, days(0)).await;
    let home = create_request(&mut h.client, household(false)).await;
    place(&mut h.client, &home, &at_home, days(0)).await;

    // Each out-of-district placement announces the notice due, with what s.208(2) requires.
    let due: Vec<pb::S208NotificationDue> =
        events(&h.pool, "housing.accommodation.s208.due.v1").await;
    assert_eq!(due.len(), 2, "{due:?}");
    let first = due
        .iter()
        .find(|d| d.placement_id == unsent.placement_id)
        .expect("the first placement's notice");
    assert_eq!(first.receiving_authority, "Swale");
    assert!(!first.placing_authority.is_empty());
    assert_ne!(first.placing_authority, "Swale");
    assert_eq!(first.lead_name, "Amara Mensah");
    assert_eq!(first.household_size, 1);
    assert!(!first.address.is_empty());
    assert_eq!(first.placed_on, format_date(days(0)));
    assert_eq!(first.due_on, format_date(days(14)));
    assert_eq!(first.duty, pb::DutyType::Interim as i32);
    assert!(first.placement_reference.starts_with("TAP-"), "{first:?}");
    assert_eq!(first.placement_reference, unsent.reference);

    let bad = h
        .client
        .record_s208_notification(pb::RecordS208NotificationRequest {
            placement_id: "x".into(),
            sent_on: "soon".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&bad), vec!["placement_id", "sent_on"]);
    let notice = h
        .client
        .record_s208_notification(pb::RecordS208NotificationRequest {
            placement_id: sent.placement_id.clone(),
            sent_on: format_date(days(0)),
        })
        .await
        .unwrap()
        .into_inner()
        .notification
        .unwrap();
    assert_eq!(notice.receiving_authority, "Swale");
    assert_eq!(notice.due_on, format_date(days(14)));

    const OVERDUE: &str = "housing.accommodation.s208.overdue.v1";
    run_day(&h, days(14)).await;
    assert!(
        events::<pb::S208NotificationOverdue>(&h.pool, OVERDUE)
            .await
            .is_empty()
    );
    run_day(&h, days(15)).await;
    run_day(&h, days(16)).await;
    let overdue: Vec<pb::S208NotificationOverdue> = events(&h.pool, OVERDUE).await;
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].placement_id, unsent.placement_id);
    assert_eq!(overdue[0].receiving_authority, "Swale");
    assert_eq!(overdue[0].due_on, format_date(days(14)));
    assert_eq!(figures(&mut h, days(16)).await.out_of_district, 2);
    let tracked = get(&mut h.client, &sent.placement_id)
        .await
        .s208_notifications;
    assert_eq!(tracked.len(), 1);
    assert_eq!(tracked[0].sent_on, format_date(days(0)));
    let outstanding = get(&mut h.client, &unsent.placement_id)
        .await
        .s208_notifications;
    assert_eq!(outstanding[0].sent_on, "");
    assert_eq!(outstanding[0].due_on, format_date(days(14)));
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_child_placed_in_ta_has_its_s213aa_notices_due_within_14_days_and_overdue_on_day_15() {
    let mut h = start().await;
    let mut units = Vec::new();
    for rent in [30_000, 31_000, 32_000] {
        units.push(
            create_unit(
                &mut h.client,
                unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 2, rent),
            )
            .await,
        );
    }
    let unanswered = create_request(&mut h.client, household(true)).await;
    let unanswered = place(&mut h.client, &unanswered, &units[0], days(0)).await;
    let consenting = create_request(&mut h.client, household(true)).await;
    let consenting = place(&mut h.client, &consenting, &units[1], days(0)).await;
    let single = create_request(&mut h.client, household(false)).await;
    let single = place(&mut h.client, &single, &units[2], days(0)).await;

    let clock = get(&mut h.client, &unanswered.placement_id)
        .await
        .s213aa_notification
        .expect("a household with a child has the s.213AA clock");
    assert_eq!(clock.placed_on, format_date(days(0)));
    assert_eq!(clock.due_on, format_date(days(14)));
    assert_eq!(clock.consent, pb::S213aaConsent::Pending as i32);
    assert!(
        get(&mut h.client, &single.placement_id)
            .await
            .s213aa_notification
            .is_none()
    );

    let consent = |given: bool, school: &str| pb::RecordS213aaConsentRequest {
        placement_id: consenting.placement_id.clone(),
        consent_given: given,
        school: school.into(),
        gp_practice: if given {
            "Mill Lane Surgery".into()
        } else {
            String::new()
        },
        health_visiting_service: String::new(),
    };
    let unnamed = h
        .client
        .record_s213aa_consent(pb::RecordS213aaConsentRequest {
            placement_id: "child".into(),
            consent_given: true,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&unnamed), vec!["placement_id", "school"]);
    let refused_but_named = h
        .client
        .record_s213aa_consent(pb::RecordS213aaConsentRequest {
            consent_given: false,
            ..consent(true, "Hill Primary School")
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&refused_but_named),
        vec!["consent_given"]
    );
    let not_a_family = h
        .client
        .record_s213aa_consent(pb::RecordS213aaConsentRequest {
            placement_id: single.placement_id.clone(),
            ..consent(true, "Hill Primary School")
        })
        .await
        .unwrap_err();
    assert_eq!(not_a_family.code(), tonic::Code::FailedPrecondition);

    let recorded = h
        .client
        .record_s213aa_consent(consent(true, "Hill Primary School"))
        .await
        .unwrap()
        .into_inner()
        .notification
        .unwrap();
    assert_eq!(recorded.consent, pb::S213aaConsent::Given as i32);
    assert_eq!(
        recorded.notified_on,
        format_date(housing_platform::time::today())
    );
    assert!(!recorded.recorded_by.is_empty());
    // The same answer again is a retry; a different one is refused.
    h.client
        .record_s213aa_consent(consent(true, "Hill Primary School"))
        .await
        .unwrap();
    let changed = h
        .client
        .record_s213aa_consent(consent(false, ""))
        .await
        .unwrap_err();
    assert_eq!(changed.code(), tonic::Code::FailedPrecondition);
    let notices: Vec<pb::S213aaNoticesDue> =
        events(&h.pool, "housing.accommodation.s213aa.due.v1").await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].placement_id, consenting.placement_id);
    assert_eq!(notices[0].school, "Hill Primary School");
    assert_eq!(notices[0].gp_practice, "Mill Lane Surgery");
    assert_eq!(notices[0].lead_name, "Amara Mensah");
    assert!(!notices[0].address.is_empty());
    assert!(!notices[0].placing_authority.is_empty());

    const OVERDUE: &str = "housing.accommodation.s213aa.overdue.v1";
    run_day(&h, days(14)).await;
    assert!(
        events::<pb::S213aaNotificationOverdue>(&h.pool, OVERDUE)
            .await
            .is_empty()
    );
    run_day(&h, days(15)).await;
    run_day(&h, days(16)).await;
    let overdue: Vec<pb::S213aaNotificationOverdue> = events(&h.pool, OVERDUE).await;
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert_eq!(overdue[0].placement_id, unanswered.placement_id);
    assert_eq!(overdue[0].placed_on, format_date(days(0)));
    assert_eq!(overdue[0].due_on, format_date(days(14)));
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_certificate_is_warned_of_30_days_ahead_and_a_lapsed_unit_leaves_matching_with_the_reason()
 {
    let mut h = start().await;
    let expiry = days(40);
    let lapsing = create_unit(
        &mut h.client,
        with_gas_expiring(
            unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 20_000),
            expiry,
        ),
    )
    .await;
    create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 30_000),
    )
    .await;
    const WARN: &str = "housing.accommodation.unit.compliance_warning.v1";
    const LAPSE: &str = "housing.accommodation.unit.compliance_lapsed.v1";

    run_day(&h, expiry - Days::new(31)).await;
    assert!(
        events::<pb::UnitComplianceWarning>(&h.pool, WARN)
            .await
            .is_empty()
    );
    run_day(&h, expiry - Days::new(30)).await;
    run_day(&h, expiry - Days::new(29)).await;
    let warned: Vec<pb::UnitComplianceWarning> = events(&h.pool, WARN).await;
    assert_eq!(warned.len(), 1);
    assert_eq!(warned[0].unit_id, lapsing.unit_id);
    assert_eq!(warned[0].kind, pb::CertificateKind::GasSafety as i32);
    assert_eq!(warned[0].days_left, 30);

    run_day(&h, expiry).await;
    assert!(
        events::<pb::UnitComplianceLapsed>(&h.pool, LAPSE)
            .await
            .is_empty()
    );
    run_day(&h, expiry + Days::new(1)).await;
    run_day(&h, expiry + Days::new(2)).await;
    let lapsed: Vec<pb::UnitComplianceLapsed> = events(&h.pool, LAPSE).await;
    assert_eq!(lapsed.len(), 1);
    assert_eq!(lapsed[0].expired_on, format_date(expiry));

    let mut later = household(false);
    later.needed_from = format_date(expiry + Days::new(1));
    let later = create_request(&mut h.client, later).await;
    let ranking = h
        .client
        .rank_units(pb::RankUnitsRequest {
            placement_request_id: later.placement_request_id.clone(),
            page_size: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        ranking.ranked.len(),
        1,
        "only the compliant unit is offered"
    );
    let excluded = ranking
        .excluded
        .iter()
        .find(|e| e.unit_id == lapsing.unit_id)
        .expect("the lapsed unit is listed as excluded");
    assert_eq!(
        excluded.reasons,
        vec![format!(
            "gas safety record expired on {}",
            long_date(expiry)
        )]
    );
    let refused = h
        .client
        .start_placement(pb::StartPlacementRequest {
            placement_request_id: later.placement_request_id.clone(),
            unit_id: lapsing.unit_id.clone(),
            start_date: format_date(expiry + Days::new(1)),
            reason: "cheapest".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::FailedPrecondition);
    assert!(refused.message().contains("gas safety record expired"));
    assert_eq!(count(&h.pool, "placements").await, 0);

    // The landlord sends a new gas safety record: the unit is offered again.
    let bad = h
        .client
        .renew_certificate(pb::RenewCertificateRequest {
            unit_id: "flat".into(),
            certificate: Some(pb::Certificate {
                kind: 0,
                issued_on: "soon".into(),
                expires_on: format_date(days(400)),
            }),
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        vec!["unit_id", "certificate.kind", "certificate.issued_on"]
    );
    let renewed = h
        .client
        .renew_certificate(pb::RenewCertificateRequest {
            unit_id: lapsing.unit_id.clone(),
            certificate: Some(pb::Certificate {
                kind: pb::CertificateKind::GasSafety as i32,
                issued_on: format_date(days(0)),
                expires_on: format_date(expiry + Days::new(365)),
            }),
        })
        .await
        .unwrap()
        .into_inner()
        .unit
        .unwrap();
    let gas = renewed
        .certificates
        .iter()
        .find(|c| c.kind == pb::CertificateKind::GasSafety as i32)
        .unwrap();
    assert_eq!(gas.expires_on, format_date(expiry + Days::new(365)));
    let ranking = h
        .client
        .rank_units(pb::RankUnitsRequest {
            placement_request_id: later.placement_request_id.clone(),
            page_size: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        ranking
            .ranked
            .iter()
            .any(|r| r.unit.as_ref().unwrap().unit_id == lapsing.unit_id),
        "the renewed unit is offered again"
    );
    let history = h
        .client
        .get_unit(pb::GetUnitRequest {
            unit_id: lapsing.unit_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .history;
    let changes: Vec<&str> = history.iter().map(|c| c.change.as_str()).collect();
    assert_eq!(changes, vec!["created", "certificate_renewed"]);
    assert!(history[1].detail.starts_with("gas safety record issued"));
    assert!(!history[1].changed_by.is_empty());
    h.running.stop().await.unwrap();
}

async fn listed_s208(h: &mut Harness, standing: pb::S208NoticeStanding) -> Vec<(String, String)> {
    h.client
        .list_placements(pb::ListPlacementsRequest {
            s208_notice: standing as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .placements
        .into_iter()
        .map(|p| (p.placement_id, p.s208_due_on))
        .collect()
}

#[tokio::test]
async fn placements_are_listed_by_their_s208_notice_outstanding_or_overdue_until_it_is_sent() {
    let mut h = start().await;
    let before = |n: u64| housing_platform::time::today() - Days::new(n);
    let mut placements = Vec::new();
    for (cost, authority, placed_on) in [
        (22_000, "Swale", before(15)),
        (23_000, "Swale", before(14)),
        (24_000, "Swale", before(2)),
        (25_000, HOME, before(20)),
        (26_000, "Swale", before(1)),
    ] {
        let mut u = unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, cost);
        u.local_authority = authority.into();
        let u = create_unit(&mut h.client, u).await;
        let request = create_request(&mut h.client, household(false)).await;
        placements.push(
            place(&mut h.client, &request, &u, placed_on)
                .await
                .placement_id,
        );
    }
    let [overdue, due_today, due_later, in_district, sent] = placements.try_into().unwrap();
    h.client
        .record_s208_notification(pb::RecordS208NotificationRequest {
            placement_id: sent.clone(),
            sent_on: format_date(days(0)),
        })
        .await
        .unwrap();

    let due = |n: u64| format_date(before(n) + Days::new(14));
    assert_eq!(
        listed_s208(&mut h, pb::S208NoticeStanding::Outstanding).await,
        vec![
            (overdue.clone(), due(15)),
            (due_today.clone(), due(14)),
            (due_later.clone(), due(2)),
        ]
    );
    assert_eq!(
        listed_s208(&mut h, pb::S208NoticeStanding::Overdue).await,
        vec![(overdue.clone(), due(15))],
        "due 14 days after the placement, overdue the day after, as the sweep reads it"
    );
    let all = listed_s208(&mut h, pb::S208NoticeStanding::Unspecified).await;
    assert_eq!(all.len(), 5);
    assert!(
        all.iter()
            .any(|(id, due_on)| *id == in_district && due_on.is_empty())
    );
    assert!(
        all.iter()
            .any(|(id, due_on)| *id == sent && due_on.is_empty())
    );

    // A closed placement's notice is moot.
    h.client
        .close_placement(pb::ClosePlacementRequest {
            placement_id: overdue.clone(),
            reason: pb::ClosureReason::MovedOut as i32,
            end_date: format_date(days(0)),
            note: "moved in with family".into(),
        })
        .await
        .unwrap();
    assert!(
        listed_s208(&mut h, pb::S208NoticeStanding::Overdue)
            .await
            .is_empty()
    );

    for hostile in [-1, 3, i32::MIN] {
        let bad = h
            .client
            .list_placements(pb::ListPlacementsRequest {
                s208_notice: hostile,
                bnb_clock_day_at_least: Some(-1),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(bad.code(), tonic::Code::InvalidArgument);
        assert_eq!(
            bad_request_fields(&bad),
            vec!["bnb_clock_day_at_least", "s208_notice"],
            "{hostile}"
        );
    }
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn changes_to_the_stock_are_kept_a_day_and_then_pruned() {
    let h = start().await;
    create_unit(
        &mut h.client.clone(),
        unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 26_000),
    )
    .await;
    // The unit's own changes (it and its certificates), and one made two days ago.
    sqlx::query(
        "INSERT INTO stock_changes (unit_id, at) SELECT id, now() - interval '2 days' FROM units",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    // Changes older than a day, and the rest.
    let ages = || async {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT count(*) FILTER (WHERE at < now() - interval '1 day'), count(*) FILTER (WHERE at >= now() - interval '1 day')
             FROM stock_changes",
        )
        .fetch_one(&h.pool)
        .await
        .unwrap()
    };
    let (old, recent) = ages().await;
    assert_eq!(old, 1);
    assert!(recent > 0);
    run_day(&h, days(1)).await;
    assert_eq!(ages().await, (0, recent));
    h.running.stop().await.unwrap();
}
