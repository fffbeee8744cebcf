//! The service's own PostgreSQL database: pool and migrations.

use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Executor, PgConnection, PgPool};

use crate::settings::DatabaseSettings;

pub async fn connect(settings: &DatabaseSettings) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect(settings.url.expose())
        .await
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
    pool: &PgPool,
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
    pool: PgPool,
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
