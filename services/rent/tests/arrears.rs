//! Arrears recovery over gRPC on a real PostgreSQL and NATS: stages with an event at each
//! step, payment plans kept and broken, former tenants.

use housing_platform::auth::{BearerToken, Role};
use housing_platform::money::Pence;
use housing_proto::rent::v1::{self as pb, rent_service_client::RentServiceClient};
use housing_testkit::{TestDatabase, TestEnv, servers, unique_prefix};
use prost::Message;
use uuid::Uuid;

type Client = RentServiceClient<
    tonic::service::interceptor::InterceptedService<tonic::transport::Channel, BearerToken>,
>;

/// Rent on a database and prefix of the test's own, with `extra` settings; an income
/// officer's client to it.
async fn rent_with(
    db: &TestDatabase,
    prefix: &str,
    extra: &[(&str, &str)],
) -> anyhow::Result<(housing_events::host::Running, Client)> {
    let env = TestEnv {
        database_url: db.url.clone(),
        nats_url: servers::nats_url().into(),
        subject_prefix: prefix.to_owned(),
    };
    let running = rent::build(env.settings(rent::DEFAULTS, extra)).await?;
    let token = housing_testkit::oidc::token_for(Role::IncomeOfficer, "api://housing-rent").await;
    let client = RentServiceClient::with_interceptor(
        housing_testkit::channel(running.addr()).await,
        BearerToken::new(&token),
    );
    Ok((running, client))
}

/// An account charged £200 a week from Monday 7 September 2026, nothing else on it.
async fn account_from_7_september(db: &TestDatabase) -> rent::db::accounts::RentAccount {
    let pool = db.pool().await;
    let mut tx = pool.begin().await.unwrap();
    let account = rent::app::accounts::open(
        &mut tx,
        Uuid::now_v7(),
        None,
        rent::domain::charges::Schedule {
            rent_pence: Pence::new(20_000),
            service_pence: Pence::ZERO,
        },
        chrono::NaiveDate::from_ymd_opt(2026, 9, 7).unwrap(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    account
}

#[tokio::test]
async fn arrears_move_through_the_stages_with_an_event_at_each_and_a_broken_plan_is_referred() {
    let db = TestDatabase::create("rent", &rent::migrators()).await;
    let prefix = unique_prefix();
    let (running, mut client) = rent_with(&db, &prefix, &[]).await.expect("rent starts");
    let account = account_from_7_september(&db).await;
    let review = |as_of: &str| pb::ReviewArrearsRequest {
        as_of: as_of.into(),
    };
    let arrears = |as_of: &str| pb::GetArrearsRequest {
        account_id: account.id.to_string(),
        as_of: as_of.into(),
    };

    // Two weeks charged, nothing paid: a first letter.
    for week in ["2026-09-07", "2026-09-14"] {
        client
            .run_weekly_charges(pb::RunWeeklyChargesRequest {
                week_start: week.into(),
            })
            .await
            .unwrap();
    }
    let r = client
        .review_arrears(review("2026-09-21"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.stages_changed, 1);
    let a = client
        .get_arrears(arrears("2026-09-21"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (a.stage.as_str(), a.balance_pence),
        ("first_letter", 40_000)
    );
    assert_eq!(a.weeks_in_arrears, 2.0);

    // Reviewing again changes nothing.
    assert_eq!(
        client
            .review_arrears(review("2026-09-21"))
            .await
            .unwrap()
            .into_inner()
            .stages_changed,
        0
    );

    // Two more weeks: a second letter; then a plan of £50 a week is agreed.
    for week in ["2026-09-21", "2026-09-28"] {
        client
            .run_weekly_charges(pb::RunWeeklyChargesRequest {
                week_start: week.into(),
            })
            .await
            .unwrap();
    }
    client.review_arrears(review("2026-10-05")).await.unwrap();
    assert_eq!(
        client
            .get_arrears(arrears("2026-10-05"))
            .await
            .unwrap()
            .into_inner()
            .stage,
        "second_letter"
    );
    let plan = client
        .create_payment_plan(pb::CreatePaymentPlanRequest {
            request_id: "plan-1".into(),
            account_id: account.id.to_string(),
            instalment_pence: 5_000,
            start_date: "2026-10-05".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(plan.start_balance_pence, 80_000);
    client.review_arrears(review("2026-10-05")).await.unwrap();
    assert_eq!(
        client
            .get_arrears(arrears("2026-10-05"))
            .await
            .unwrap()
            .into_inner()
            .stage,
        "payment_plan"
    );

    // Three weeks on, no payment at all: the plan is broken and the account referred.
    for week in ["2026-10-05", "2026-10-12", "2026-10-19"] {
        client
            .run_weekly_charges(pb::RunWeeklyChargesRequest {
                week_start: week.into(),
            })
            .await
            .unwrap();
    }
    client.review_arrears(review("2026-10-26")).await.unwrap();
    let a = client
        .get_arrears(arrears("2026-10-26"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(a.stage, "referral");
    assert!(!a.has_active_plan);
    assert_eq!(
        a.under_4_weeks_pence
            + a.weeks_4_to_8_pence
            + a.weeks_8_to_13_pence
            + a.over_13_weeks_pence,
        a.balance_pence
    );

    // Paid in full: cleared.
    client
        .record_payment(pb::RecordPaymentRequest {
            request_id: "pay-all".into(),
            account_id: account.id.to_string(),
            amount_pence: a.balance_pence,
            received_on: "2026-10-27".into(),
            method: pb::PaymentMethod::Tenant as i32,
        })
        .await
        .unwrap();
    client.review_arrears(review("2026-10-28")).await.unwrap();
    assert_eq!(
        client
            .get_arrears(arrears("2026-10-28"))
            .await
            .unwrap()
            .into_inner()
            .stage,
        "clear"
    );

    // Every move was announced, in order, for documents and temporary accommodation.
    let moves = housing_testkit::eventually(
        std::time::Duration::from_secs(20),
        "the stage events",
        || {
            let (url, prefix) = (servers::nats_url().to_owned(), prefix.clone());
            async move {
                let client = async_nats::connect(&url).await.ok()?;
                let js = async_nats::jetstream::new(client);
                let mut stream = js
                    .get_stream(housing_events::bus::stream_name(&prefix, "rent"))
                    .await
                    .ok()?;
                let info = stream.info().await.ok()?;
                let mut moves = Vec::new();
                for seq in 1..=info.state.last_sequence {
                    let message = stream.get_raw_message(seq).await.ok()?;
                    if message.subject.ends_with("arrears.stage_changed.v1") {
                        let e = pb::ArrearsStageChanged::decode(message.payload).ok()?;
                        moves.push((e.to(), e.from()));
                    }
                }
                (moves.len() == 5).then_some(moves)
            }
        },
    )
    .await;
    use pb::ArrearsStage::{Clear, FirstLetter, PaymentPlan, Referral, SecondLetter};
    assert_eq!(
        moves,
        vec![
            (FirstLetter, Clear),
            (SecondLetter, FirstLetter),
            (PaymentPlan, SecondLetter),
            (Referral, PaymentPlan),
            (Clear, Referral)
        ]
    );
    running.stop().await.unwrap();
}

#[tokio::test]
async fn the_councils_own_arrears_thresholds_are_configuration_and_must_rise() {
    let db = TestDatabase::create("rent", &rent::migrators()).await;
    let prefix = unique_prefix();
    let muddled = rent_with(
        &db,
        &prefix,
        &[("HOUSING__SERVICE__ARREARS__REFERRAL_WEEKS", "3")],
    )
    .await
    .err()
    .expect("thresholds out of order stop the service");
    assert!(
        muddled.to_string().contains("referral_weeks is 3"),
        "{muddled}"
    );

    // A council that refers at three weeks.
    let (running, mut client) = rent_with(
        &db,
        &prefix,
        &[
            ("HOUSING__SERVICE__ARREARS__FIRST_LETTER_WEEKS", "1.5"),
            ("HOUSING__SERVICE__ARREARS__SECOND_LETTER_WEEKS", "2"),
            ("HOUSING__SERVICE__ARREARS__REFERRAL_WEEKS", "3"),
        ],
    )
    .await
    .expect("rent starts");
    let account = account_from_7_september(&db).await;
    for week in ["2026-09-07", "2026-09-14", "2026-09-21"] {
        client
            .run_weekly_charges(pb::RunWeeklyChargesRequest {
                week_start: week.into(),
            })
            .await
            .unwrap();
    }
    client
        .review_arrears(pb::ReviewArrearsRequest {
            as_of: "2026-09-22".into(),
        })
        .await
        .unwrap();
    let stage = client
        .get_arrears(pb::GetArrearsRequest {
            account_id: account.id.to_string(),
            as_of: "2026-09-22".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stage.stage, "referral", "{stage:?}");
    running.stop().await.unwrap();
}
