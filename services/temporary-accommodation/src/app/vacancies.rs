//! The vacant stock kept in memory between changes. Ranking reads every vacant unit; reading
//! tens of thousands from PostgreSQL for each ranking costs more than ranking them, so a
//! replica keeps the last read and reads again only when the stock version has moved.

use std::sync::Arc;
use std::time::{Duration, Instant};

use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use tokio::sync::Mutex;

use crate::db::stock;
use crate::domain::unit::Unit;

/// The vacant stock as last read: its version and when it was read.
struct Held {
    version: i64,
    read_at: Instant,
    units: Arc<Vec<Unit>>,
}

#[derive(Default)]
pub struct Vacancies {
    held: std::sync::Mutex<Option<Held>>,
    /// Held by the one caller reading the stock afresh.
    reading: Mutex<()>,
}

impl Vacancies {
    /// The vacant units as of now: those held if nothing changed since, else a fresh read.
    pub async fn current(&self, pool: &Pool) -> Result<Arc<Vec<Unit>>, AppError> {
        let _reading = self.reading.lock().await;
        self.read_if_changed(pool).await
    }

    /// The vacant units as of at most `age` ago, or as of the last read while another
    /// caller reads them afresh. Every placement changes the stock, so under a stream of
    /// placements reading it afresh for each would cost each one a read of the whole stock;
    /// a placement checks its own unit afresh and needs the rest only to say where that
    /// unit ranks.
    pub async fn within(&self, pool: &Pool, age: Duration) -> Result<Arc<Vec<Unit>>, AppError> {
        if let Some(units) = self.held_within(age) {
            return Ok(units);
        }
        let _reading = match self.reading.try_lock() {
            Ok(reading) => reading,
            Err(_) => match self.held_within(Duration::MAX) {
                Some(units) => return Ok(units),
                None => self.reading.lock().await,
            },
        };
        self.read_if_changed(pool).await
    }

    fn held_within(&self, age: Duration) -> Option<Arc<Vec<Unit>>> {
        let held = self
            .held
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        held.as_ref()
            .filter(|h| h.read_at.elapsed() < age)
            .map(|h| h.units.clone())
    }

    async fn read_if_changed(&self, pool: &Pool) -> Result<Arc<Vec<Unit>>, AppError> {
        let version = stock::version(&mut *pool.acquire().await?).await?;
        {
            let mut held = self
                .held
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(h) = held.as_mut()
                && h.version == version
            {
                h.read_at = Instant::now();
                return Ok(h.units.clone());
            }
        }
        let read_at = Instant::now();
        let (version, units) = stock::vacant_snapshot(pool).await?;
        let units = Arc::new(units);
        *self
            .held
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Held {
            version,
            read_at,
            units: units.clone(),
        });
        Ok(units)
    }
}
