//! The vacant stock kept in memory between changes. Ranking reads every vacant unit; reading
//! tens of thousands from PostgreSQL for each ranking costs more than ranking them, so a
//! replica keeps the last read, as of a snapshot, and brings it up to date by reading again
//! only the units changed since.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::db::stock;
use crate::domain::matching::Scan;
use crate::domain::unit::Unit;

/// The vacant units, and each as a placement's ranking scans it.
pub struct Stock {
    pub units: Vec<Unit>,
    pub scans: Vec<Scan>,
}

impl Stock {
    fn new(mut units: Vec<Unit>, home_authority: &str) -> Self {
        units.shrink_to_fit();
        let scans = units
            .iter()
            .map(|unit| Scan::of(unit, home_authority))
            .collect();
        Self { units, scans }
    }
}

/// Past this, the changes a held copy would need may soon be pruned, so the stock is read
/// whole: half of what is kept, so a change made by a transaction that ran long is still
/// there.
const CHANGES_COVER: Duration = Duration::from_secs(stock::CHANGES_KEPT.as_secs() / 2);

/// The vacant stock as last brought up to date: the snapshot it is as of and when.
struct Held {
    snapshot: String,
    read_at: Instant,
    stock: Arc<Stock>,
}

pub struct Vacancies {
    /// The council's own district, which a placement's ranking prefers.
    home_authority: String,
    held: std::sync::Mutex<Option<Held>>,
    /// Held by the one caller reading the stock afresh.
    reading: Mutex<()>,
}

impl Vacancies {
    pub fn new(home_authority: &str) -> Self {
        Self {
            home_authority: home_authority.to_owned(),
            held: Default::default(),
            reading: Default::default(),
        }
    }

    /// The vacant units as of now: those held if nothing changed since, else a fresh read.
    pub async fn current(&self, pool: &Pool) -> Result<Arc<Stock>, AppError> {
        let _reading = self.reading.lock().await;
        self.read_if_changed(pool).await
    }

    /// The vacant units as of at most `age` ago, or as of the last read while another
    /// caller reads them afresh. Every placement changes the stock, so under a stream of
    /// placements reading it afresh for each would cost each one a read of the whole stock;
    /// a placement checks its own unit afresh and needs the rest only to say where that
    /// unit ranks.
    pub async fn within(&self, pool: &Pool, age: Duration) -> Result<Arc<Stock>, AppError> {
        if let Some(stock) = self.held_within(age) {
            return Ok(stock);
        }
        let _reading = match self.reading.try_lock() {
            Ok(reading) => reading,
            Err(_) => match self.held_within(Duration::MAX) {
                Some(stock) => return Ok(stock),
                None => self.reading.lock().await,
            },
        };
        self.read_if_changed(pool).await
    }

    fn held_within(&self, age: Duration) -> Option<Arc<Stock>> {
        let held = self
            .held
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        held.as_ref()
            .filter(|h| h.read_at.elapsed() < age)
            .map(|h| h.stock.clone())
    }

    async fn read_if_changed(&self, pool: &Pool) -> Result<Arc<Stock>, AppError> {
        let since = {
            let held = self
                .held
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            held.as_ref()
                .filter(|h| h.read_at.elapsed() < CHANGES_COVER)
                .map(|h| (h.snapshot.clone(), h.stock.clone()))
        };
        let read_at = Instant::now();
        let (snapshot, vacant) = match since {
            None => {
                let (snapshot, units) = stock::vacant_snapshot(pool).await?;
                (snapshot, Arc::new(Stock::new(units, &self.home_authority)))
            }
            Some((since, held)) => {
                let changes = stock::changes_since(pool, &since).await?;
                (
                    changes.snapshot,
                    self.patched(&held, &changes.changed, changes.vacant),
                )
            }
        };
        *self
            .held
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Held {
            snapshot,
            read_at,
            stock: vacant.clone(),
        });
        Ok(vacant)
    }

    /// `held` with each unit in `changed` replaced by its vacant self in `vacant`, or dropped.
    fn patched(&self, held: &Arc<Stock>, changed: &[Uuid], vacant: Vec<Unit>) -> Arc<Stock> {
        if changed.is_empty() {
            return held.clone();
        }
        let changed: HashSet<&Uuid> = changed.iter().collect();
        let units: Vec<Unit> = held
            .units
            .iter()
            .filter(|u| !changed.contains(&u.id))
            .cloned()
            .chain(vacant)
            .collect();
        Arc::new(Stock::new(units, &self.home_authority))
    }
}
