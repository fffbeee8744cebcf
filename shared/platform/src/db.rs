//! The service's own PostgreSQL database: pool and migrations.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use deadpool::managed::{self, Metrics, Object, PoolError, RecycleError, RecycleResult};
use futures::TryStreamExt;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use opentelemetry::metrics::Histogram;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgQueryResult, PgRow, PgStatement, PgTransactionManager};
use sqlx::{
    Connection, Describe, Either, Execute, Executor, PgConnection, Postgres, TransactionManager,
};

use crate::settings::DatabaseSettings;

/// A connection handed out less than this long ago is handed out again without a ping first:
/// only a server gone in the meantime could have dropped it.
const TRUSTED_IDLE: Duration = Duration::from_secs(1);

/// How long after a connection is found cut every pooled connection is pinged before use:
/// a restart or failover cuts them all at once, and each would otherwise fail a call.
const PING_ALL_AFTER_A_LOSS: Duration = Duration::from_secs(10);

/// How long a caller waits for a connection, and a connection for the server, before the call
/// fails as unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections are replaced after this long, so that a failover or a change of the server's
/// settings reaches every one of them.
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// Connections idle this long are closed, so that a quiet service does not hold the server's
/// connection slots.
const IDLE_TIMEOUT: Duration = Duration::from_secs(10 * 60);

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
    Pool::open(settings.url.expose(), settings.max_connections).await
}

/// Opens the service's connections and checks a pooled one before it is handed out again.
#[derive(Debug)]
struct Connector {
    options: PgConnectOptions,
}

impl managed::Manager for Connector {
    type Type = PgConnection;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<PgConnection, sqlx::Error> {
        PgConnection::connect_with(&self.options).await
    }

    async fn recycle(
        &self,
        conn: &mut PgConnection,
        metrics: &Metrics,
    ) -> RecycleResult<sqlx::Error> {
        if metrics.age() > MAX_LIFETIME {
            return Err(RecycleError::message("past its lifetime"));
        }
        if metrics.last_used() > TRUSTED_IDLE || lost_recently() {
            conn.ping().await?;
        }
        Ok(())
    }
}

/// The service's connection pool.
///
/// sqlx's own pool pings every connection as it comes back, to flush what a dropped
/// transaction or query left in flight: a round trip more for every transaction, though
/// nearly every connection comes back from a transaction that committed, its last answer
/// read to the end. Under load those pings cost PostgreSQL and the service as much as a
/// statement each (BENCHMARKS.md). So sqlx's connections are pooled here by deadpool, and a
/// [`Conn`] goes back at once when it is known to be settled, and is pinged first only when
/// it is not.
///
/// Every acquisition is also counted while it waits and timed: what tells a platform team
/// the pool is too small (a pool fully in use may still be keeping up; tasks queueing for it
/// are not).
#[derive(Clone)]
pub struct Pool {
    inner: managed::Pool<Connector>,
    waiting: Arc<AtomicI64>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("status", &self.inner.status())
            .finish()
    }
}

impl Pool {
    /// A pool of up to `max_connections` to `url`, with one connection opened to prove the
    /// server is there.
    pub async fn open(url: &str, max_connections: u32) -> Result<Self, sqlx::Error> {
        let options: PgConnectOptions = url.parse()?;
        let inner = managed::Pool::builder(Connector { options })
            .max_size(usize::try_from(max_connections).unwrap_or(usize::MAX))
            .wait_timeout(Some(ACQUIRE_TIMEOUT))
            .create_timeout(Some(ACQUIRE_TIMEOUT))
            .recycle_timeout(Some(ACQUIRE_TIMEOUT))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| sqlx::Error::Configuration(e.into()))?;
        tokio::spawn(close_idle(inner.weak()));
        let pool = Self {
            inner,
            waiting: Arc::default(),
        };
        // Nothing was sent on it: it goes straight back.
        pool.acquire().await?.settled = true;
        Ok(pool)
    }

    /// Tasks waiting for a connection now.
    pub fn waiting(&self) -> i64 {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Connections open now, in use or idle.
    pub fn size(&self) -> usize {
        self.inner.status().size
    }

    /// Connections open and idle now.
    pub fn idle(&self) -> usize {
        self.inner.status().available
    }

    pub async fn acquire(&self) -> Result<Conn, sqlx::Error> {
        let _waiting = Waiting::start(&self.waiting);
        let object = self.inner.get().await.map_err(|error| match error {
            PoolError::Backend(error) => error,
            PoolError::Timeout(_) => sqlx::Error::PoolTimedOut,
            PoolError::Closed => sqlx::Error::PoolClosed,
            other => sqlx::Error::Configuration(other.to_string().into()),
        })?;
        Ok(Conn {
            object: Some(object),
            settled: false,
        })
    }

    /// A connection with a transaction begun on it.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        let mut conn = self.acquire().await?;
        PgTransactionManager::begin(&mut conn, None).await?;
        Ok(Tx { conn, open: true })
    }

    /// Closes the idle connections and refuses new acquisitions; connections in use close as
    /// they come back.
    pub async fn close(&self) {
        let idle = self.inner.retain(|_, _| false).removed;
        self.inner.close();
        for conn in idle {
            let _ = conn.close().await;
        }
    }
}

/// Closes connections idle too long or past their lifetime, until the pool is gone.
async fn close_idle(pool: managed::WeakPool<Connector>) {
    loop {
        tokio::time::sleep(IDLE_TIMEOUT / 10).await;
        let Some(pool) = pool.upgrade() else { return };
        let stale = pool
            .retain(|_, m| m.last_used() < IDLE_TIMEOUT && m.age() < MAX_LIFETIME)
            .removed;
        drop(pool);
        for conn in stale {
            let _ = conn.close().await;
        }
    }
}

/// A connection from the pool, back in it when dropped: at once if its last exchange was
/// read to the end, else after a ping (see [`Pool`]).
pub struct Conn {
    object: Option<Object<Connector>>,
    /// Every exchange begun on it was read to the end: it is ready for the next user.
    settled: bool,
}

impl Conn {
    /// The connection, out of the pool for good: its session ends when it is dropped or
    /// closed (the outbox relay holds its lock that way).
    pub fn detach(mut self) -> PgConnection {
        let object = self.object.take().expect("a connection until dropped");
        Object::take(object)
    }
}

impl Deref for Conn {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        self.object.as_ref().expect("a connection until dropped")
    }
}

impl DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut PgConnection {
        self.object.as_mut().expect("a connection until dropped")
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        let Some(object) = self.object.take() else {
            return;
        };
        if self.settled {
            // Back in the pool as it drops here.
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(settle(object));
            }
            // No runtime to flush it on: close it rather than return it unsettled.
            Err(_) => drop(Object::take(object)),
        }
    }
}

/// Flushes what was left in flight (a dropped transaction's rollback, a dropped query's
/// answer) before the connection is handed out again; one that does not answer is closed.
async fn settle(mut object: Object<Connector>) {
    match tokio::time::timeout(ACQUIRE_TIMEOUT, object.ping()).await {
        Ok(Ok(())) => {}
        outcome => {
            if let Ok(Err(error)) = outcome {
                note_if_lost(&error);
            }
            tracing::warn!("a connection returned unsettled did not answer; closing it");
            drop(Object::take(object));
        }
    }
}

/// A transaction on a connection from the pool, as sqlx's `Transaction`: committed only by
/// [`Tx::commit`], rolled back when dropped.
pub struct Tx {
    conn: Conn,
    open: bool,
}

impl Tx {
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        PgTransactionManager::commit(&mut self.conn).await?;
        self.open = false;
        self.conn.settled = true;
        Ok(())
    }
}

impl Deref for Tx {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.conn
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.conn
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if self.open {
            // Queued here and sent by the ping as the connection goes back.
            PgTransactionManager::start_rollback(&mut self.conn);
        }
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

/// Queries run on the pool as on sqlx's (`fetch_one(&pool)`), each on a connection of its
/// own, which goes straight back once its answer has been read to the end.
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
            drop(rows);
            conn.settled = true;
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
        Box::pin(async move {
            let mut conn = pool.acquire().await?;
            // sqlx reads a query's answer to the end even when it keeps only the first row.
            let row = conn.fetch_optional(query).await?;
            conn.settled = true;
            Ok(row)
        })
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
    let mut conn = pool.acquire().await?;
    for migrator in migrators {
        migrator.run(&mut *conn).await?;
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
