//! What a platform team relies on to run a service on its own: its event stream brought up
//! to the configured replicas and limits, one aggregate's events published in commit order
//! however many replicas relay and whichever of them does, exactly-once records pruned when
//! they can no longer matter, load shed at once while health stays serving, and dead letters
//! an operator can list, read, replay and discard; PostgreSQL and NATS reached only over
//! verified TLS, NATS with the service's own credentials.

mod common;

use std::time::Duration;

use async_nats::jetstream::stream;
use common::{
    as_role, place_a_household, read_stream, start_accommodation, start_documents_with, start_rent,
};
use housing_events::deadletters::DeadLetters;
use housing_events::housekeeping::{Pruned, prune};
use housing_events::outbox::{Relay, enqueue};
use housing_events::{EventBus, OutgoingEvent};
use housing_platform::auth::Role;
use housing_platform::db::Pool;
use housing_proto::accommodation::v1::{
    self as ta, accommodation_service_client::AccommodationServiceClient,
};
use housing_proto::documents::v1::{
    self as docs, documents_service_client::DocumentsServiceClient,
};
use housing_proto::rent::v1 as rent;
use housing_testkit::{TestDatabase, eventually, publish_as, servers, unique_prefix};
use tokio_util::sync::CancellationToken;
use tonic::Code;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_stream_made_with_older_limits_is_brought_up_to_its_settings_keeping_its_events() {
    let prefix = unique_prefix();
    let nats_url = servers::nats_url();
    let jetstream = async_nats::jetstream::new(async_nats::connect(nats_url).await.unwrap());
    let name = housing_events::bus::stream_name(&prefix, "ops");
    // As an earlier release made it: no age or size limit.
    jetstream
        .create_stream(stream::Config {
            name: name.clone(),
            subjects: vec![format!("{prefix}housing.ops.>")],
            ..Default::default()
        })
        .await
        .unwrap();
    jetstream
        .publish(
            format!("{prefix}housing.ops.thing.happened.v1"),
            "before".into(),
        )
        .await
        .unwrap()
        .await
        .unwrap();

    let bus = EventBus::connect(
        &housing_platform::settings::NatsSettings {
            url: nats_url.to_owned(),
            subject_prefix: prefix.clone(),
            stream_replicas: 1,
            stream_max_age_days: 30,
            stream_max_bytes: 64 << 20,
            ..Default::default()
        },
        "ops",
    )
    .await
    .unwrap();
    let mut updated = bus.ensure_stream("ops").await.unwrap();
    let info = updated.info().await.unwrap();
    assert_eq!(info.config.max_age, Duration::from_secs(30 * 86_400));
    assert_eq!(info.config.max_bytes, 64 << 20);
    assert_eq!(info.config.duplicate_window, Duration::from_secs(600));
    assert_eq!(info.state.messages, 1, "the stream keeps its events");
    // Already up to date: nothing changes a second time.
    let mut again = bus.ensure_stream("ops").await.unwrap();
    let again = again.info().await.unwrap();
    assert_eq!(again.config.max_age, info.config.max_age);
    jetstream.delete_stream(&name).await.unwrap();
}

/// The events' order numbers, as relayed to the stream.
#[derive(Clone, PartialEq, prost::Message)]
struct Numbered {
    #[prost(uint32, tag = "1")]
    n: u32,
}

impl prost::Name for Numbered {
    const NAME: &'static str = "Numbered";
    const PACKAGE: &'static str = "housing.ops.v1";
}

#[tokio::test]
async fn two_relays_publish_one_aggregates_events_in_commit_order() {
    const EVENTS: u32 = 1_000;
    let prefix = unique_prefix();
    let db = relay_database("relay").await;
    let pool = db.pool().await;
    let aggregate = uuid::Uuid::now_v7();
    for first in (0..EVENTS).step_by(100) {
        write_numbered(&pool, aggregate, first..first + 100).await;
    }
    // Two replicas' relays, each with its own pool and connection to NATS.
    let stop = CancellationToken::new();
    let relays = [
        start_relay(&db, &prefix, &stop).await,
        start_relay(&db, &prefix, &stop).await,
    ];
    let order = relayed(&prefix, EVENTS).await;
    stop.cancel();
    for relay in relays {
        relay.await.unwrap().unwrap();
    }
    assert_eq!(
        order,
        (0..EVENTS).collect::<Vec<_>>(),
        "in commit order, once each"
    );
}

/// A database with an outbox and nothing else.
async fn relay_database(name: &str) -> TestDatabase {
    TestDatabase::create(
        name,
        &[housing_platform::db::migrator(), housing_events::migrator()],
    )
    .await
}

/// Events of `aggregate` numbered `numbers`, written in one transaction.
async fn write_numbered(pool: &Pool, aggregate: uuid::Uuid, numbers: std::ops::Range<u32>) {
    let mut tx = pool.begin().await.unwrap();
    for n in numbers {
        enqueue(
            &mut tx,
            &OutgoingEvent::new("housing.ops.thing.happened.v1", aggregate, &Numbered { n }),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// A replica's relay, with its own pool and connection to NATS.
async fn start_relay(
    db: &TestDatabase,
    prefix: &str,
    stop: &CancellationToken,
) -> tokio::task::JoinHandle<anyhow::Result<()>> {
    let bus: EventBus = housing_testkit::bus(servers::nats_url(), prefix).await;
    tokio::spawn(Relay::new(db.pool().await, bus, "ops").run(stop.clone()))
}

/// The order numbers of the first `count` events in the stream, once that many are there.
async fn relayed(prefix: &str, count: u32) -> Vec<u32> {
    let delivered = eventually(WAIT, "events relayed", || async {
        let delivered = read_stream(servers::nats_url(), prefix, "ops").await;
        (delivered.len() >= count as usize).then_some(delivered)
    })
    .await;
    delivered
        .iter()
        .map(|m| {
            <Numbered as prost::Message>::decode(m.payload.as_slice())
                .unwrap()
                .n
        })
        .collect()
}

#[tokio::test]
async fn another_replica_takes_over_relaying_when_the_relaying_one_stops() {
    const EVENTS: u32 = 40;
    let prefix = unique_prefix();
    let db = relay_database("relay_lead").await;
    let pool = db.pool().await;
    let aggregate = uuid::Uuid::now_v7();
    let write = |n: u32| write_numbered(&pool, aggregate, n..n + 1);
    // The first replica relays alone; the second stands by beside it.
    let (first_stop, second_stop) = (CancellationToken::new(), CancellationToken::new());
    let first = start_relay(&db, &prefix, &first_stop).await;
    write(0).await;
    relayed(&prefix, 1).await;
    let second = start_relay(&db, &prefix, &second_stop).await;
    for n in 1..EVENTS / 2 {
        write(n).await;
    }
    relayed(&prefix, EVENTS / 2).await;
    let leads: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database =
         (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(leads, 1, "one replica relays");

    // The relaying replica stops; the other takes over what is written after.
    first_stop.cancel();
    first.await.unwrap().unwrap();
    for n in EVENTS / 2..EVENTS {
        write(n).await;
    }
    let order = relayed(&prefix, EVENTS).await;
    second_stop.cancel();
    second.await.unwrap().unwrap();
    assert_eq!(
        order,
        (0..EVENTS).collect::<Vec<_>>(),
        "in commit order, once each"
    );
}

#[tokio::test]
async fn housekeeping_prunes_only_what_can_no_longer_matter() {
    let db = TestDatabase::create(
        "housekeeping",
        &[housing_platform::db::migrator(), housing_events::migrator()],
    )
    .await;
    let pool = db.pool().await;
    // Ninety days ago and yesterday; the cut at 45 days.
    let old = chrono::Utc::now() - chrono::Days::new(90);
    let recent = chrono::Utc::now() - chrono::Days::new(1);
    let cutoff = chrono::Utc::now() - chrono::Days::new(45);
    for (published, at) in [(true, old), (true, recent), (false, old)] {
        sqlx::query(
            "INSERT INTO outbox (event_id, subject, ce_type, ce_subject, occurred_at, payload, published_at)
             VALUES ($1, 'housing.ops.x.v1', 'x', 'x', $2, '', $3)",
        )
        .bind(uuid::Uuid::now_v7())
        .bind(at)
        .bind(published.then_some(at))
        .execute(&pool)
        .await
        .unwrap();
    }
    for at in [old, recent] {
        sqlx::query(
            "INSERT INTO inbox (consumer, event_id, subject, processed_at) VALUES ('c', $1, 's', $2)",
        )
        .bind(uuid::Uuid::now_v7())
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO idempotency_keys (scope, request_id, response, created_at) VALUES ('s', $1, '', $2)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
    }
    let pruned = prune(&pool, cutoff).await.unwrap();
    assert_eq!(
        pruned,
        Pruned {
            outbox: 1,
            inbox: 1,
            idempotency_keys: 1
        }
    );
    // An event never published is still to send, however old.
    let unpublished: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(unpublished, 1);
    assert_eq!(prune(&pool, cutoff).await.unwrap(), Pruned::default());
}

#[tokio::test]
async fn an_overloaded_service_refuses_calls_at_once_and_health_stays_serving() {
    let prefix = unique_prefix();
    let (documents, _files) = start_documents_with(
        servers::nats_url(),
        &prefix,
        &[("HOUSING__GRPC__MAX_CONCURRENT_CALLS", "1")],
    )
    .await;
    let client = DocumentsServiceClient::new(as_role(&documents, Role::AllocationsOfficer).await);

    // An upload left open, its header sent and its bytes still to come, holds the one call
    // the service answers at once (tried again if it was itself the call refused).
    let (parts, upload) = eventually(WAIT, "an upload holding the one call", || async {
        let (parts, upload) = open_upload(client.clone()).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        (!upload.is_finished()).then_some((parts, upload))
    })
    .await;
    let listing = || {
        let mut client = client.clone();
        async move {
            client
                .list_letters(docs::ListLettersRequest {
                    application_id: uuid::Uuid::now_v7().to_string(),
                    ..Default::default()
                })
                .await
        }
    };
    let refused = eventually(WAIT, "a call refused at the limit", || async {
        listing()
            .await
            .err()
            .filter(|s| s.code() == Code::ResourceExhausted)
    })
    .await;
    assert!(
        refused.message().contains("limit of 1 calls"),
        "{refused:?}"
    );
    let mut health = tonic_health::pb::health_client::HealthClient::new(
        housing_testkit::channel(documents.running.addr()).await,
    );
    let status = health
        .check(tonic_health::pb::HealthCheckRequest::default())
        .await
        .unwrap()
        .into_inner()
        .status;
    assert_eq!(
        status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );

    // The upload ends (unfinished, so refused): the service answers again.
    drop(parts);
    let ended = upload.await.unwrap();
    assert!(ended.is_err(), "an upload cut short is refused");
    eventually(WAIT, "calls answered again", || async {
        listing().await.ok()
    })
    .await;
    documents.running.stop().await.unwrap();
}

type Upload =
    tokio::task::JoinHandle<Result<tonic::Response<docs::UploadDocumentResponse>, tonic::Status>>;

/// An upload whose header is sent and whose bytes are still to come.
async fn open_upload(
    mut client: DocumentsServiceClient<common::Authed>,
) -> (
    tokio::sync::mpsc::Sender<docs::UploadDocumentRequest>,
    Upload,
) {
    let (parts, open) = tokio::sync::mpsc::channel::<docs::UploadDocumentRequest>(1);
    let application = uuid::Uuid::now_v7().to_string();
    parts
        .send(docs::UploadDocumentRequest {
            part: Some(docs::upload_document_request::Part::Header(
                docs::UploadHeader {
                    request_id: uuid::Uuid::now_v7().to_string(),
                    owner_kind: docs::OwnerKind::Application as i32,
                    owner_id: application.clone(),
                    application_id: application,
                    evidence_type: docs::EvidenceType::Identity as i32,
                    filename: "passport.pdf".into(),
                    content_type: "application/pdf".into(),
                    size_bytes: 1_000,
                    sha256: "0".repeat(64),
                    ..Default::default()
                },
            )),
        })
        .await
        .unwrap();
    let upload = tokio::spawn(async move {
        client
            .upload_document(tokio_stream::wrappers::ReceiverStream::new(open))
            .await
    });
    (parts, upload)
}

#[tokio::test]
async fn an_operator_lists_reads_replays_and_discards_a_services_dead_letters() {
    let prefix = unique_prefix();
    let nats_url = servers::nats_url();
    let accommodation = start_accommodation(nats_url, &prefix, None).await;
    let bus = housing_testkit::bus(nats_url, &prefix).await;
    bus.ensure_stream("rent").await.unwrap();
    // An arrears referral naming no placement: temporary accommodation can never apply it.
    let event_id = uuid::Uuid::now_v7();
    let referral = rent::ArrearsStageChanged {
        account_id: uuid::Uuid::now_v7().to_string(),
        placement_id: "not-a-placement".into(),
        to: rent::ArrearsStage::Referral as i32,
        ..Default::default()
    };
    publish_as(
        &bus,
        event_id,
        "housing.rent.arrears.stage_changed.v1",
        &referral.account_id,
        &referral,
    )
    .await;

    let letters = DeadLetters::new(bus.clone(), "accommodation");
    let listed = eventually(WAIT, "the dead letter", || async {
        let found = letters.list(0, 10).await.ok()?;
        (!found.is_empty()).then_some(found)
    })
    .await;
    assert_eq!(listed.len(), 1);
    let letter = &listed[0];
    assert_eq!(letter.consumer, "accommodation-arrears");
    assert_eq!(letter.ce_id, event_id.to_string());
    assert!(
        letter
            .subject
            .ends_with("housing.rent.arrears.stage_changed.v1")
    );
    assert!(
        letter.reason.contains("not-a-placement"),
        "{}",
        letter.reason
    );
    let (shown, payload) = letters.show(letter.sequence).await.unwrap();
    assert_eq!(shown.reason, letter.reason);
    assert_eq!(
        <rent::ArrearsStageChanged as prost::Message>::decode(payload.as_slice()).unwrap(),
        referral
    );

    // Replayed, the consumer tries again: still wrong, so a new dead letter replaces it.
    letters.replay(letter.sequence).await.unwrap();
    let again = eventually(WAIT, "the replayed event dead-lettered again", || async {
        let found = letters.list(0, 10).await.ok()?;
        found
            .first()
            .filter(|d| d.sequence > letter.sequence)
            .cloned()
    })
    .await;
    assert_eq!(again.ce_id, letter.ce_id, "the same event");
    assert!(
        letters.show(letter.sequence).await.is_err(),
        "the old one is gone"
    );

    letters
        .discard(again.sequence, "the referral was sent in error")
        .await
        .unwrap();
    assert!(letters.list(0, 10).await.unwrap().is_empty());
    accommodation.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_service_reaches_postgresql_only_over_tls_verifying_the_server() {
    let pg = housing_testkit::tls::TlsPostgres::start();
    let ca = pg.ca_file();
    let admin = sqlx::PgPool::connect(&pg.url("postgres", &ca))
        .await
        .unwrap();
    sqlx::query("CREATE DATABASE housing_rent")
        .execute(&admin)
        .await
        .unwrap();
    // The server takes no connection without TLS, and a client trusting another authority
    // refuses the server's certificate.
    assert!(
        sqlx::PgPool::connect(&pg.plain_url("postgres"))
            .await
            .is_err()
    );
    let stranger = housing_testkit::pki::PartnerPki::new();
    assert!(
        sqlx::PgPool::connect(&pg.url("postgres", &stranger.path("ca.pem")))
            .await
            .is_err()
    );

    let env = housing_testkit::TestEnv {
        database_url: pg.url("housing_rent", &ca),
        nats_url: servers::nats_url().to_owned(),
        subject_prefix: unique_prefix(),
    };
    let running = ::rent::build(env.settings(::rent::DEFAULTS, &[]))
        .await
        .expect("rent starts over TLS, migrating its database");
    let token = housing_testkit::oidc::token_for(Role::IncomeOfficer, "api://housing-rent").await;
    let mut client =
        housing_proto::rent::v1::rent_service_client::RentServiceClient::with_interceptor(
            housing_testkit::channel(running.addr()).await,
            housing_platform::auth::BearerToken::new(&token),
        );
    let answer = client
        .get_account(rent::GetAccountRequest {
            key: Some(rent::get_account_request::Key::PlacementId(
                uuid::Uuid::now_v7().to_string(),
            )),
        })
        .await
        .unwrap_err();
    assert_eq!(
        answer.code(),
        Code::NotFound,
        "the database answered: {answer:?}"
    );
    running.stop().await.unwrap();
}

#[tokio::test]
async fn a_service_reaches_nats_only_with_its_credentials_over_verified_tls() {
    let nats = housing_testkit::tls::TlsNats::start();
    let prefix = unique_prefix();
    let settings =
        |password: &str, ca: &std::path::Path| housing_platform::settings::NatsSettings {
            url: nats.url(),
            subject_prefix: prefix.clone(),
            stream_replicas: 1,
            stream_max_age_days: 30,
            stream_max_bytes: -1,
            user: housing_testkit::tls::TlsNats::USER.into(),
            password: housing_platform::settings::Secret::new(password),
            tls_ca_file: ca.display().to_string(),
            ..Default::default()
        };
    let bus = EventBus::connect(
        &settings(housing_testkit::tls::TlsNats::PASSWORD, &nats.ca_file()),
        "ops",
    )
    .await
    .unwrap();
    bus.ensure_stream("ops").await.unwrap();
    bus.jetstream()
        .publish(
            bus.subject("housing.ops.thing.happened.v1"),
            "over TLS".into(),
        )
        .await
        .unwrap()
        .await
        .expect("JetStream stores it");

    // A wrong password, or a server whose certificate another authority signed, gets the
    // service nowhere.
    let stranger = housing_testkit::pki::PartnerPki::new();
    for wrong in [
        settings("not-the-password", &nats.ca_file()),
        settings(
            housing_testkit::tls::TlsNats::PASSWORD,
            &stranger.path("ca.pem"),
        ),
    ] {
        let bus = EventBus::connect(&wrong, "ops").await.unwrap();
        let reached = tokio::time::timeout(Duration::from_secs(8), bus.ensure_stream("ops")).await;
        assert!(
            !matches!(reached, Ok(Ok(_))),
            "reached NATS with {:?}",
            wrong.tls_ca_file
        );
    }
}

/// The value of the first series named `name` whose labels include every one of `labels`.
fn series(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with(['{', ' ']))
        .find(|l| labels.iter().all(|label| l.contains(label)))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[tokio::test]
async fn the_metrics_endpoint_shows_calls_the_outbox_and_consumers_moving_during_a_journey() {
    let prefix = unique_prefix();
    let nats_url = servers::nats_url();
    let accommodation = start_accommodation(nats_url, &prefix, None).await;
    let rent_service = start_rent(nats_url, &prefix).await;
    let admin = accommodation
        .running
        .addr_of("admin")
        .expect("an admin port");
    let scrape = || async move {
        reqwest::get(format!("http://{admin}/metrics"))
            .await
            .expect("the admin port answers")
            .text()
            .await
            .expect("text")
    };
    let started = |text: &str| {
        series(
            text,
            "rpc_server_call_duration_seconds_count",
            &[
                "rpc_method=\"StartPlacement\"",
                "rpc_grpc_status_code=\"0\"",
            ],
        )
        .unwrap_or(0.0)
    };
    let before = scrape().await;

    let mut ta_client =
        AccommodationServiceClient::new(as_role(&accommodation, Role::TaOfficer).await);
    place_a_household(&mut ta_client).await;
    let after = eventually(WAIT, "the journey in the metrics", || async {
        let text = scrape().await;
        let moved = started(&text) > started(&before)
            && series(&text, "housing_outbox_pending", &[]).is_some()
            && series(&text, "housing_outbox_oldest_age_seconds", &[]).is_some()
            && series(
                &text,
                "messaging_consumer_lag",
                &["messaging_consumer_group_name=\"rent-placements\""],
            )
            .is_some()
            && series(&text, "db_client_connection_count", &["state=\"used\""]).is_some()
            && series(&text, "db_client_connection_pending_requests", &[]).is_some()
            && series(&text, "db_client_connection_wait_time_seconds_count", &[])
                .is_some_and(|n| n > 0.0);
        moved.then_some(text)
    })
    .await;
    // Refused calls are counted by their code.
    let refused = ta_client
        .get_placement(ta::GetPlacementRequest {
            placement_id: "not-an-id".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
    let text = scrape().await;
    assert!(
        series(
            &text,
            "rpc_server_call_duration_seconds_count",
            &["rpc_method=\"GetPlacement\"", "rpc_grpc_status_code=\"3\""],
        )
        .is_some_and(|n| n >= 1.0),
        "{text}"
    );
    assert!(after.contains("# TYPE rpc_server_call_duration_seconds histogram"));
    accommodation.running.stop().await.unwrap();
    rent_service.running.stop().await.unwrap();
}

#[tokio::test]
async fn the_pool_counts_the_calls_waiting_for_a_connection() {
    let db = TestDatabase::create("ops_pool", &[]).await;
    let pool = Pool::open(&db.url, 1).await.unwrap();
    let held = pool.acquire().await.unwrap();
    assert_eq!(pool.waiting(), 0);

    // Two callers queue behind the one connection: a query and a transaction.
    let query = tokio::spawn({
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i32>("SELECT 1")
                .fetch_one(&pool)
                .await
        }
    });
    let transaction = tokio::spawn({
        let pool = pool.clone();
        async move { pool.begin().await.map(|_| ()) }
    });
    eventually(WAIT, "both callers waiting", || async {
        (pool.waiting() == 2).then_some(())
    })
    .await;

    drop(held);
    assert_eq!(query.await.unwrap().unwrap(), 1);
    transaction.await.unwrap().unwrap();
    assert_eq!(pool.waiting(), 0);

    // A caller that gives up waiting is no longer counted.
    let held = pool.acquire().await.unwrap();
    let gave_up = tokio::time::timeout(Duration::from_millis(50), pool.acquire()).await;
    assert!(gave_up.is_err());
    assert_eq!(pool.waiting(), 0);
    drop(held);
}

/// The pool hands a connection back at once when its last exchange was read to the end, and
/// otherwise settles it first (sqlx's own pool pinged every one). The test runs on one
/// thread, so a connection being settled is not back until this test's task waits.
#[tokio::test]
async fn the_pool_takes_a_finished_connection_back_at_once_and_settles_an_unfinished_one() {
    let db = TestDatabase::create("ops_pool_settle", &[]).await;
    let pool = Pool::open(&db.url, 2).await.unwrap();
    assert_eq!((pool.size(), pool.idle()), (1, 1));

    let one: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(one, 1);
    assert_eq!(pool.idle(), 1, "a query read to the end is back at once");

    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SELECT pg_advisory_xact_lock(42)")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        pool.idle(),
        1,
        "a committed transaction's connection is back at once"
    );

    // A transaction dropped unfinished: its rollback must reach the server even though no one
    // takes the connection again, or its locks would be held for as long as it sits idle.
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SELECT pg_advisory_xact_lock(42)")
        .execute(&mut *tx)
        .await
        .unwrap();
    drop(tx);
    assert_eq!(pool.idle(), 0, "not back before it is settled");
    let other = &Pool::open(&db.url, 1).await.unwrap();
    eventually(WAIT, "the dropped transaction's lock free", || async move {
        let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock(42)")
            .fetch_one(other)
            .await
            .unwrap();
        free.then_some(())
    })
    .await;
    eventually(WAIT, "the settled connection back", || async {
        (pool.idle() == 1).then_some(())
    })
    .await;

    // A query given up on mid-answer: the next caller on the same connection gets its own.
    let mut conn = pool.acquire().await.unwrap();
    let slow = sqlx::query_scalar::<_, i32>("SELECT 7 FROM pg_sleep(0.3)").fetch_one(&mut *conn);
    assert!(
        tokio::time::timeout(Duration::from_millis(50), slow)
            .await
            .is_err()
    );
    drop(conn);
    eventually(WAIT, "the settled connection back", || async {
        (pool.idle() == 1).then_some(())
    })
    .await;
    let mut conn = pool.acquire().await.unwrap();
    let two: i32 = sqlx::query_scalar("SELECT 2")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(two, 2);
    assert_eq!(
        pool.size(),
        1,
        "the same connection, settled and used again"
    );
}
