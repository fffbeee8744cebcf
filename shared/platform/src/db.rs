//! The service's own PostgreSQL database: pool and migrations.

use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::settings::DatabaseSettings;

pub async fn connect(settings: &DatabaseSettings) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect(&settings.url)
        .await
}

/// The platform's own tables (idempotency keys).
pub fn migrator() -> Migrator {
    let mut migrator = sqlx::migrate!("./migrations");
    // Several migrators share one `_sqlx_migrations` table: each must ignore the others'.
    migrator.set_ignore_missing(true);
    migrator
}

/// Runs each migrator in turn; their version numbers never overlap.
pub async fn migrate(pool: &PgPool, migrators: &[Migrator]) -> Result<(), sqlx::migrate::MigrateError> {
    for migrator in migrators {
        migrator.run(pool).await?;
    }
    Ok(())
}
