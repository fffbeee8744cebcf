//! Rent hears placements: an account opens, a transfer re-prices it, a closure closes it.

use std::time::Duration;

use housing_events::EventBus;
use housing_events::envelope::headers;
use housing_platform::auth::{BearerToken, Role};
use housing_platform::settings::NatsSettings;
use housing_proto::accommodation::v1 as ta;
use housing_proto::rent::v1::{self as pb, rent_service_client::RentServiceClient};
use housing_testkit::{TestDatabase, TestEnv, authenticator, eventually, servers, unique_prefix};
use prost::{Message, Name};
use uuid::Uuid;

async fn publish<M: Message + Name>(bus: &EventBus, subject: &str, aggregate: &str, message: &M) {
    let h = headers(
        Uuid::now_v7(),
        &M::full_name(),
        "/services/temporary-accommodation",
        aggregate,
        chrono::Utc::now(),
        None,
    );
    bus.jetstream()
        .publish_with_headers(bus.subject(subject), h, message.encode_to_vec().into())
        .await
        .unwrap()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_transfer_reprices_the_account_from_the_transfer_date() {
    let db = TestDatabase::create("rent", &rent::migrators()).await;
    let prefix = unique_prefix();
    let env = TestEnv {
        database_url: db.url.clone(),
        nats_url: servers::nats_url().into(),
        subject_prefix: prefix.clone(),
    };
    let running = rent::build(env.settings(rent::DEFAULTS, &[]))
        .await
        .expect("rent starts");
    let token = authenticator().token(
        "income-1",
        Role::IncomeOfficer,
        None,
        chrono::Duration::minutes(30),
    );
    let mut client = RentServiceClient::with_interceptor(
        housing_testkit::channel(running.addr()).await,
        BearerToken::new(&token),
    );
    let bus = EventBus::connect(
        &NatsSettings {
            url: servers::nats_url().into(),
            subject_prefix: prefix,
            stream_replicas: 1,
        },
        "test",
    )
    .await
    .unwrap();
    bus.ensure_stream("accommodation").await.unwrap();

    let placement_id = Uuid::now_v7().to_string();
    let started = ta::PlacementStarted {
        placement_id: placement_id.clone(),
        unit_id: Uuid::now_v7().to_string(),
        lead_name: "Sam Lee".into(),
        start_date: "2026-11-02".into(),
        weekly_rent_pence: 21_000,
        ..Default::default()
    };
    publish(
        &bus,
        "housing.accommodation.placement.started.v1",
        &placement_id,
        &started,
    )
    .await;
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
    publish(
        &bus,
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
