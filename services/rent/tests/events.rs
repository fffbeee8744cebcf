//! Rent hears other services: placements open, re-price and close accounts; approvals
//! become payables.

use std::time::Duration;

use housing_platform::auth::{BearerToken, Role};
use housing_proto::accommodation::v1 as ta;
use housing_proto::rent::v1::{self as pb, rent_service_client::RentServiceClient};
use housing_testkit::{TestDatabase, TestEnv, eventually, publish_as};
use uuid::Uuid;

/// Temporary accommodation's word that `placement_id` started on Monday 2 November, each
/// time as a new event.
async fn start_placement(
    bus: &housing_events::EventBus,
    placement_id: &str,
    weekly_rent_pence: i64,
) {
    let started = ta::PlacementStarted {
        placement_id: placement_id.into(),
        unit_id: Uuid::now_v7().to_string(),
        lead_name: "Sam Lee".into(),
        start_date: "2026-11-02".into(),
        weekly_rent_pence,
        ..Default::default()
    };
    publish_as(
        bus,
        Uuid::now_v7(),
        "housing.accommodation.placement.started.v1",
        placement_id,
        &started,
    )
    .await;
}

#[tokio::test]
async fn a_transfer_reprices_the_account_from_the_transfer_date() {
    let db = TestDatabase::create("rent", &rent::migrators()).await;
    let env = TestEnv::for_database(&db);
    let running = rent::build(env.settings(rent::DEFAULTS, &[]))
        .await
        .expect("rent starts");
    let token = housing_testkit::oidc::token_for(Role::IncomeOfficer, "api://housing-rent").await;
    let mut client = RentServiceClient::with_interceptor(
        housing_testkit::channel(running.addr()).await,
        BearerToken::new(&token),
    );
    let bus = env.bus().await;
    bus.ensure_stream("accommodation").await.unwrap();

    let placement_id = Uuid::now_v7().to_string();
    start_placement(&bus, &placement_id, 21_000).await;
    let key = || pb::GetAccountRequest {
        key: Some(pb::get_account_request::Key::PlacementId(
            placement_id.clone(),
        )),
    };
    eventually(Duration::from_secs(20), "the account", || {
        let mut client = client.clone();
        let request = key();
        async move { client.get_account(request).await.ok() }
    })
    .await;

    // Charged at £210 through Sunday 8 November; the household moved on Thursday the 5th
    // to a unit at £140: four days re-priced.
    client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: "2026-11-02".into(),
        })
        .await
        .unwrap();
    let moved = ta::PlacementTransferred {
        placement_id: placement_id.clone(),
        to_unit_id: Uuid::now_v7().to_string(),
        transfer_date: "2026-11-05".into(),
        weekly_rent_pence: 14_000,
        ..Default::default()
    };
    publish_as(
        &bus,
        Uuid::now_v7(),
        "housing.accommodation.placement.transferred.v1",
        &placement_id,
        &moved,
    )
    .await;
    let account = eventually(Duration::from_secs(20), "the new charge", || {
        let mut client = client.clone();
        let request = key();
        async move {
            let a = client
                .get_account(request)
                .await
                .ok()?
                .into_inner()
                .account?;
            (a.weekly_charge_pence == 14_000).then_some(a)
        }
    })
    .await;
    assert_eq!(account.balance_pence, 21_000 - 12_000 + 8_000);

    client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: "2026-11-09".into(),
        })
        .await
        .unwrap();
    let account = client
        .get_account(key())
        .await
        .unwrap()
        .into_inner()
        .account
        .unwrap();
    assert_eq!(
        account.balance_pence,
        17_000 + 14_000,
        "the next week at the new rate"
    );
    running.stop().await.unwrap();
}

/// A placement started twice (a second event, not a redelivery of the first) keeps the one
/// account it opened, at the charge it opened with, and announces it once.
#[tokio::test]
async fn a_second_start_of_a_placement_opens_no_second_account() {
    let db = TestDatabase::create("rent", &rent::migrators()).await;
    let env = TestEnv::for_database(&db);
    let running = rent::build(env.settings(rent::DEFAULTS, &[]))
        .await
        .expect("rent starts");
    let pool = db.pool().await;
    let bus = env.bus().await;
    bus.ensure_stream("accommodation").await.unwrap();

    let placement_id = Uuid::now_v7().to_string();
    for weekly_rent_pence in [21_000, 99_000] {
        start_placement(&bus, &placement_id, weekly_rent_pence).await;
    }
    eventually(Duration::from_secs(20), "both events applied", || {
        let pool = pool.clone();
        async move {
            let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM inbox")
                .fetch_one(&pool)
                .await
                .ok()?;
            (applied == 2).then_some(())
        }
    })
    .await;
    let accounts: Vec<i64> = sqlx::query_scalar(
        "SELECT weekly_charge_pence FROM rent_accounts WHERE placement_id = $1::uuid",
    )
    .bind(&placement_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(accounts, vec![21_000]);
    let opened: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE subject = 'housing.rent.account.opened.v1'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(opened, 1);
    running.stop().await.unwrap();
}

#[tokio::test]
async fn approvals_become_payables_once_and_are_paid() {
    let db = TestDatabase::create("rent", &rent::migrators()).await;
    let env = TestEnv::for_database(&db);
    let running = rent::build(env.settings(rent::DEFAULTS, &[]))
        .await
        .expect("rent starts");
    let token = housing_testkit::oidc::token_for(Role::IncomeOfficer, "api://housing-rent").await;
    let mut client = RentServiceClient::with_interceptor(
        housing_testkit::channel(running.addr()).await,
        BearerToken::new(&token),
    );
    let bus = env.bus().await;
    bus.ensure_stream("accommodation").await.unwrap();
    bus.ensure_stream("nominations").await.unwrap();

    let invoice = ta::InvoiceApproved {
        invoice_id: "inv-1".into(),
        provider_name: "Riverside Nightly".into(),
        provider_reference: "RN-2211".into(),
        amount_pence: 412_500,
        period_start: "2026-10-01".into(),
        period_end: "2026-10-31".into(),
        approved_by: "manager-2".into(),
        ..Default::default()
    };
    let event_id = Uuid::now_v7();
    for _ in 0..2 {
        publish_as(
            &bus,
            event_id,
            "housing.accommodation.invoice.approved.v1",
            "inv-1",
            &invoice,
        )
        .await;
    }
    let incentive = housing_proto::nominations::v1::IncentiveApproved {
        move_id: "move-9".into(),
        payee_name: "Jo Brown".into(),
        bedrooms_released: 2,
        amount_pence: 200_000,
        approved_by: "manager-2".into(),
        ..Default::default()
    };
    publish_as(
        &bus,
        Uuid::now_v7(),
        "housing.nominations.incentive.approved.v1",
        "move-9",
        &incentive,
    )
    .await;

    let decant = housing_proto::nominations::v1::DecantPaymentsApproved {
        decant_id: "decant-3".into(),
        payee_name: "Sam Okafor".into(),
        scheme: "Northside Estate".into(),
        home_loss_pence: 810_000,
        disturbance_pence: 65_000,
        approved_by: "manager-2".into(),
        ..Default::default()
    };
    publish_as(
        &bus,
        Uuid::now_v7(),
        "housing.nominations.decant.payments_approved.v1",
        "decant-3",
        &decant,
    )
    .await;

    let payables = eventually(Duration::from_secs(20), "three payables", || {
        let mut client = client.clone();
        async move {
            let list = client
                .list_payables(pb::ListPayablesRequest {
                    unpaid_only: true,
                    ..Default::default()
                })
                .await
                .ok()?
                .into_inner()
                .payables;
            (list.len() == 3).then_some(list)
        }
    })
    .await;
    let invoice_payable = payables
        .iter()
        .find(|p| p.kind == pb::PayableKind::NightlyPaidInvoice as i32)
        .expect("the invoice");
    assert_eq!(
        (invoice_payable.payee.as_str(), invoice_payable.amount_pence),
        ("Riverside Nightly", 412_500)
    );
    assert!(
        payables
            .iter()
            .any(|p| p.kind == pb::PayableKind::MobilityIncentive as i32
                && p.amount_pence == 200_000)
    );
    assert!(
        payables
            .iter()
            .any(|p| p.kind == pb::PayableKind::DecantPayment as i32
                && p.amount_pence == 875_000
                && p.payee == "Sam Okafor")
    );

    let paid = client
        .pay_payable(pb::PayPayableRequest {
            request_id: "pay-inv-1".into(),
            payable_id: invoice_payable.payable_id.clone(),
            paid_on: "2026-11-20".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .payable
        .unwrap();
    assert!(paid.paid);
    let unpaid = client
        .list_payables(pb::ListPayablesRequest {
            unpaid_only: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .payables;
    assert_eq!(unpaid.len(), 2);

    // A second delivery of the invoice booked nothing: one approval journal each, and the
    // books balance.
    let pool = db.pool().await;
    let approvals: i64 =
        sqlx::query_scalar("SELECT count(*) FROM journal_entries WHERE kind = 'payable'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(approvals, 3);
    let total: i64 =
        sqlx::query_scalar("SELECT coalesce(sum(amount_pence), 0)::bigint FROM postings")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(total, 0);
    running.stop().await.unwrap();
}
