//! A fresh database per test, cloned from a template migrated once per set of migrations.

use housing_platform::db::Pool;
use sha2::{Digest, Sha256};
use sqlx::migrate::Migrator;
use sqlx::{Connection, Executor, PgConnection};

use crate::servers::postgres_base_url;

/// A database of the test's own; dropped when the value is.
pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

impl TestDatabase {
    /// A new database for `service` holding every migration in `migrators`.
    pub async fn create(service: &str, migrators: &[Migrator]) -> Self {
        let base = postgres_base_url();
        let template = template_name(service, migrators);
        let mut admin = PgConnection::connect(&format!("{base}/postgres"))
            .await
            .expect("connect to PostgreSQL");
        ensure_template(&mut admin, base, &template, migrators).await;

        let name = format!(
            "housing_test_{}_{}",
            service.replace('-', "_"),
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        let mut attempts = 0;
        loop {
            let created = admin
                .execute(format!(r#"CREATE DATABASE "{name}" TEMPLATE "{template}""#).as_str())
                .await;
            match created {
                Ok(_) => break,
                // Another process is still closing its connection to the template.
                Err(e)
                    if attempts < 50 && e.to_string().contains("being accessed by other users") =>
                {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("create test database: {e}"),
            }
        }
        Self {
            url: format!("{base}/{name}"),
            name,
        }
    }

    pub async fn pool(&self) -> Pool {
        Pool::open(&self.url, 10)
            .await
            .expect("connect to test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin_url = format!("{}/postgres", postgres_base_url());
        let name = self.name.clone();
        // Drop runs outside any runtime guarantee: use a thread with its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await.ok()?;
                admin
                    .execute(format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#).as_str())
                    .await
                    .ok()
            })
        })
        .join();
    }
}

fn template_name(service: &str, migrators: &[Migrator]) -> String {
    let mut hash = Sha256::new();
    for migration in migrators.iter().flat_map(|m| m.iter()) {
        hash.update(migration.version.to_be_bytes());
        hash.update(&migration.checksum);
    }
    let digest = hash.finalize();
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("housing_tpl_{}_{hex}", service.replace('-', "_"))
}

async fn ensure_template(
    admin: &mut PgConnection,
    base: &str,
    template: &str,
    migrators: &[Migrator],
) {
    // One process builds the template; the others wait on the lock and then find it.
    sqlx::query("SELECT pg_advisory_lock(hashtext($1))")
        .bind(template)
        .execute(&mut *admin)
        .await
        .expect("template lock");
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(template)
            .fetch_one(&mut *admin)
            .await
            .expect("look for template");
    if !exists {
        let building = format!("{template}_building");
        admin
            .execute(format!(r#"DROP DATABASE IF EXISTS "{building}" WITH (FORCE)"#).as_str())
            .await
            .expect("drop half-built template");
        admin
            .execute(format!(r#"CREATE DATABASE "{building}""#).as_str())
            .await
            .expect("create template");
        {
            let pool = Pool::open(&format!("{base}/{building}"), 1)
                .await
                .expect("connect to template");
            housing_platform::db::migrate(&pool, migrators)
                .await
                .expect("migrate template");
            pool.close().await;
        }
        // Renamed only once complete, so a crash never leaves a half-migrated template.
        admin
            .execute(format!(r#"ALTER DATABASE "{building}" RENAME TO "{template}""#).as_str())
            .await
            .expect("publish template");
    }
    sqlx::query("SELECT pg_advisory_unlock(hashtext($1))")
        .bind(template)
        .execute(&mut *admin)
        .await
        .expect("template unlock");
}
