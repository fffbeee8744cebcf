//! The vacant stock kept in memory between changes. Ranking reads every vacant unit; reading
//! tens of thousands from PostgreSQL for each ranking costs more than ranking them, so a
//! replica keeps the last read and reads again only when the stock version has moved.

use std::sync::Arc;

use housing_platform::errors::AppError;
use sqlx::PgPool;
use tokio::sync::Mutex;

use crate::db::stock;
use crate::domain::unit::Unit;

#[derive(Default)]
pub struct Vacancies {
    held: Mutex<Option<(i64, Arc<Vec<Unit>>)>>,
}

impl Vacancies {
    /// The vacant units as of now: those held if nothing changed since, else a fresh read.
    pub async fn current(&self, pool: &PgPool) -> Result<Arc<Vec<Unit>>, AppError> {
        let version = stock::version(&mut *pool.acquire().await?).await?;
        let mut held = self.held.lock().await;
        if let Some((at, units)) = held.as_ref()
            && *at == version
        {
            return Ok(units.clone());
        }
        let (version, units) = stock::vacant_snapshot(pool).await?;
        let units = Arc::new(units);
        *held = Some((version, units.clone()));
        Ok(units)
    }
}
