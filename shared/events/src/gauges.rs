//! The gauges a platform team watches for a service's events, read every few seconds: the
//! outbox's depth and the age of its oldest unpublished event, each consumer's lag,
//! redeliveries and unacknowledged events, and the database pool: connections used and idle,
//! and tasks waiting for one.

use std::time::Duration;

use async_nats::jetstream::consumer::pull;
use housing_platform::db::Pool;
use opentelemetry::KeyValue;
use opentelemetry::metrics::Gauge;
use tokio_util::sync::CancellationToken;

use crate::EventBus;

const EVERY: Duration = Duration::from_secs(5);

struct Instruments {
    outbox_pending: Gauge<i64>,
    outbox_oldest_age: Gauge<f64>,
    consumer_lag: Gauge<u64>,
    consumer_redelivered: Gauge<u64>,
    consumer_unacknowledged: Gauge<u64>,
    pool_connections: Gauge<i64>,
    pool_max: Gauge<i64>,
    pool_waiting: Gauge<i64>,
}

impl Instruments {
    fn new() -> Self {
        let meter = housing_platform::metrics::meter();
        Self {
            outbox_pending: meter
                .i64_gauge("housing.outbox.pending")
                .with_unit("{event}")
                .with_description(
                    "Events written to the outbox and not yet acknowledged by JetStream",
                )
                .build(),
            outbox_oldest_age: meter
                .f64_gauge("housing.outbox.oldest_age")
                .with_unit("s")
                .with_description("Age of the oldest event not yet published; 0 when none waits")
                .build(),
            consumer_lag: meter
                .u64_gauge("messaging.consumer.lag")
                .with_unit("{message}")
                .with_description("Events in the stream a consumer has not yet been delivered")
                .build(),
            consumer_redelivered: meter
                .u64_gauge("messaging.consumer.redelivered")
                .with_unit("{message}")
                .with_description(
                    "Events delivered to a consumer more than once and not yet acknowledged",
                )
                .build(),
            consumer_unacknowledged: meter
                .u64_gauge("messaging.consumer.unacknowledged")
                .with_unit("{message}")
                .with_description("Events delivered to a consumer and not yet acknowledged")
                .build(),
            pool_connections: meter
                .i64_gauge("db.client.connection.count")
                .with_unit("{connection}")
                .with_description("Database connections by state: used or idle")
                .build(),
            pool_max: meter
                .i64_gauge("db.client.connection.max")
                .with_unit("{connection}")
                .with_description("The most connections the pool opens")
                .build(),
            pool_waiting: meter
                .i64_gauge("db.client.connection.pending_requests")
                .with_unit("{request}")
                .with_description("Tasks waiting for a connection from the pool")
                .build(),
        }
    }
}

/// Reads the gauges until `stop`; `consumers` are (area, durable name) pairs.
pub async fn run(
    pool: Pool,
    bus: EventBus,
    max_connections: u32,
    consumers: Vec<(&'static str, String)>,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    let instruments = Instruments::new();
    loop {
        if let Err(error) = read(&instruments, &pool, &bus, max_connections, &consumers).await {
            tracing::debug!(%error, "gauges could not be read this time");
        }
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tokio::time::sleep(EVERY) => {}
        }
    }
}

async fn read(
    g: &Instruments,
    pool: &Pool,
    bus: &EventBus,
    max_connections: u32,
    consumers: &[(&'static str, String)],
) -> anyhow::Result<()> {
    let size = i64::try_from(pool.size()).unwrap_or(i64::MAX);
    let idle = i64::try_from(pool.idle()).unwrap_or(i64::MAX);
    let pool_name = KeyValue::new("db.client.connection.pool.name", "main");
    g.pool_connections.record(
        size - idle,
        &[
            pool_name.clone(),
            KeyValue::new("db.client.connection.state", "used"),
        ],
    );
    g.pool_connections.record(
        idle,
        &[
            pool_name.clone(),
            KeyValue::new("db.client.connection.state", "idle"),
        ],
    );
    g.pool_waiting
        .record(pool.waiting(), std::slice::from_ref(&pool_name));
    g.pool_max.record(i64::from(max_connections), &[pool_name]);

    let (pending, oldest): (i64, Option<f64>) = sqlx::query_as(
        "SELECT count(*), extract(epoch FROM now() - min(occurred_at))::float8
         FROM outbox WHERE published_at IS NULL",
    )
    .fetch_one(pool)
    .await?;
    g.outbox_pending.record(pending, &[]);
    g.outbox_oldest_age
        .record(oldest.unwrap_or(0.0).max(0.0), &[]);

    for (area, durable) in consumers {
        let Ok(stream) = bus.jetstream().get_stream(bus.stream_name(area)).await else {
            continue;
        };
        let Ok(mut consumer) = stream.get_consumer::<pull::Config>(durable).await else {
            continue;
        };
        let info = consumer.info().await?;
        let name = [KeyValue::new(
            "messaging.consumer.group.name",
            durable.clone(),
        )];
        g.consumer_lag.record(info.num_pending, &name);
        g.consumer_redelivered
            .record(info.num_redelivered as u64, &name);
        g.consumer_unacknowledged
            .record(info.num_ack_pending as u64, &name);
    }
    Ok(())
}
