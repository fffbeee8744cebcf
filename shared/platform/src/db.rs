//! The service's own PostgreSQL database: pool and migrations.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use opentelemetry::metrics::Histogram;
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgQueryResult, PgRow, PgStatement};
use sqlx::{
    Connection, Describe, Either, Execute, Executor, PgConnection, PgPool, Postgres, Transaction,
};

use crate::settings::DatabaseSettings;

/// A connection idle no longer than this is handed out without a ping first: sqlx pinged it
/// when it was released, so only a server gone since then could have dropped it.
const TRUSTED_IDLE: Duration = Duration::from_secs(1);

/// How long after a connection is found cut every pooled connection is pinged before use:
/// a restart or failover cuts them all at once, and each would otherwise fail a call.
const PING_ALL_AFTER_A_LOSS: Duration = Duration::from_secs(10);

/// When a connection was last found cut, in milliseconds from [`since`]; zero for never.
static LOST_AT: AtomicU64 = AtomicU64::new(0);

fn since() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// Remembers a connection found cut (the server gone, restarting or failing over), so that
/// for a while every connection is pinged before it is handed out.
pub fn note_if_lost(error: &sqlx::Error) {
    let lost = match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
        _ => false,
    };
    if lost {
        let now = u64::try_from(since().as_millis()).unwrap_or(u64::MAX);
        LOST_AT.store(now.max(1), Ordering::Relaxed);
    }
}

fn lost_recently() -> bool {
    let at = LOST_AT.load(Ordering::Relaxed);
    at != 0 && since().saturating_sub(Duration::from_millis(at)) < PING_ALL_AFTER_A_LOSS
}

pub async fn connect(settings: &DatabaseSettings) -> Result<Pool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(5))
        // sqlx pings every connection it hands out as well as every one released: under load
        // a round trip more for each transaction, where the connection was tested moments ago.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > TRUSTED_IDLE || lost_recently() {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .connect(settings.url.expose())
        .await
        .map(Pool::from)
}

/// The service's connection pool. It is sqlx's pool, except that every acquisition is counted
/// while it waits for a connection and timed: sqlx keeps no such count, and it is what tells
/// a platform team the pool is too small (a pool fully in use may still be keeping up; tasks
/// queueing for it are not).
#[derive(Clone, Debug)]
pub struct Pool {
    inner: PgPool,
    waiting: Arc<AtomicI64>,
}

impl From<PgPool> for Pool {
    fn from(inner: PgPool) -> Self {
        Self {
            inner,
            waiting: Arc::default(),
        }
    }
}

/// Reads the pool's size and idle count, and hands it to what takes a `PgPool` (listeners,
/// migrators); what goes through here directly is not counted.
impl std::ops::Deref for Pool {
    type Target = PgPool;
    fn deref(&self) -> &PgPool {
        &self.inner
    }
}

impl Pool {
    /// Tasks waiting for a connection now.
    pub fn waiting(&self) -> i64 {
        self.waiting.load(Ordering::Relaxed)
    }

    pub async fn acquire(&self) -> Result<PoolConnection<Postgres>, sqlx::Error> {
        let _waiting = Waiting::start(&self.waiting);
        self.inner.acquire().await
    }

    /// A connection with a transaction begun on it, as `PgPool::begin`.
    pub async fn begin(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        let conn = self.acquire().await?;
        // How sqlx's own `Pool::begin` begins one on a connection it has acquired.
        Transaction::begin(conn, None).await
    }
}

/// One acquisition waiting: counted from the start, and on its end (or when dropped with
/// the caller's future) uncounted, with the wait recorded.
struct Waiting<'a> {
    count: &'a AtomicI64,
    since: Instant,
}

impl<'a> Waiting<'a> {
    fn start(count: &'a AtomicI64) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Self {
            count,
            since: Instant::now(),
        }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::Relaxed);
        static WAIT_TIME: std::sync::OnceLock<Histogram<f64>> = std::sync::OnceLock::new();
        WAIT_TIME
            .get_or_init(|| {
                crate::metrics::meter()
                    .f64_histogram("db.client.connection.wait_time")
                    .with_unit("s")
                    .with_description("Time taken to obtain a connection from the pool")
                    .with_boundaries(vec![
                        0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0,
                    ])
                    .build()
            })
            .record(
                self.since.elapsed().as_secs_f64(),
                &[opentelemetry::KeyValue::new(
                    "db.client.connection.pool.name",
                    "main",
                )],
            );
    }
}

/// A connection or a transaction from the pool where sqlx asks for `Acquire` (a migrator).
impl<'a> sqlx::Acquire<'a> for &'_ Pool {
    type Database = Postgres;
    type Connection = PoolConnection<Postgres>;

    fn acquire(self) -> BoxFuture<'static, Result<Self::Connection, sqlx::Error>> {
        let pool = self.clone();
        Box::pin(async move { pool.acquire().await })
    }

    fn begin(self) -> BoxFuture<'static, Result<Transaction<'a, Postgres>, sqlx::Error>> {
        let pool = self.clone();
        Box::pin(async move { pool.begin().await })
    }
}

/// Queries run on the pool as on sqlx's (`fetch_one(&pool)`), each on a connection acquired
/// through the count.
impl<'p> Executor<'p> for &'_ Pool {
    type Database = Postgres;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<Either<PgQueryResult, PgRow>, sqlx::Error>>
    where
        E: 'q + Execute<'q, Postgres>,
    {
        let pool = self.clone();
        Box::pin(sqlx_core::try_stream! {
            let mut conn = pool.acquire().await?;
            let mut rows = conn.fetch_many(query);
            while let Some(row) = rows.try_next().await? {
                r#yield!(row);
            }
            Ok(())
        })
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<Option<PgRow>, sqlx::Error>>
    where
        E: 'q + Execute<'q, Postgres>,
    {
        let pool = self.clone();
        Box::pin(async move { pool.acquire().await?.fetch_optional(query).await })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [sqlx::postgres::PgTypeInfo],
    ) -> BoxFuture<'e, Result<PgStatement<'q>, sqlx::Error>> {
        let pool = self.clone();
        Box::pin(async move { pool.acquire().await?.prepare_with(sql, parameters).await })
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> BoxFuture<'e, Result<Describe<Postgres>, sqlx::Error>> {
        let pool = self.clone();
        Box::pin(async move { pool.acquire().await?.describe(sql).await })
    }
}

/// Creates the service's database when it does not exist yet (a first local run); where the
/// database is managed elsewhere it is already there and this does nothing.
pub async fn ensure_database(settings: &DatabaseSettings) -> Result<(), sqlx::Error> {
    let options: PgConnectOptions = settings.url.expose().parse()?;
    let Some(name) = options.get_database().map(str::to_owned) else {
        return Ok(());
    };
    match PgConnection::connect_with(&options).await {
        Ok(conn) => conn.close().await,
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("3D000") => {
            let mut admin = PgConnection::connect_with(&options.database("postgres")).await?;
            let quoted = name.replace('"', "\"\"");
            match admin
                .execute(format!(r#"CREATE DATABASE "{quoted}""#).as_str())
                .await
            {
                // Another replica created it first.
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P04") => Ok(()),
                other => other.map(|_| ()),
            }
        }
        Err(e) => Err(e),
    }
}

/// The platform's own tables (idempotency keys).
pub fn migrator() -> Migrator {
    let mut migrator = sqlx::migrate!("./migrations");
    // Several migrators share one `_sqlx_migrations` table: each must ignore the others'.
    migrator.set_ignore_missing(true);
    migrator
}

/// Runs each migrator in turn; their version numbers never overlap.
pub async fn migrate(
    pool: &Pool,
    migrators: &[Migrator],
) -> Result<(), sqlx::migrate::MigrateError> {
    for migrator in migrators {
        migrator.run(pool).await?;
    }
    Ok(())
}

/// Records each subject's name as the authenticator first sees it (see the `officers`
/// table), until the sender is dropped or `stop` is cancelled.
pub async fn record_officers(
    pool: Pool,
    mut people: tokio::sync::mpsc::Receiver<(String, String)>,
    stop: tokio_util::sync::CancellationToken,
) -> anyhow::Result<()> {
    loop {
        let (subject, name) = tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            next = people.recv() => match next {
                Some(person) => person,
                None => return Ok(()),
            },
        };
        // A lost write only delays the name until the person is seen again by a new process;
        // it must not stop the service.
        if let Err(error) = sqlx::query(
            "INSERT INTO officers (subject, name) VALUES ($1, $2)
             ON CONFLICT (subject) DO UPDATE SET name = excluded.name, last_seen = now()",
        )
        .bind(&subject)
        .bind(&name)
        .execute(&pool)
        .await
        {
            tracing::warn!(%error, "could not record an officer's name");
        }
    }
}
