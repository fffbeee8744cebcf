//! The officers' lists: vacancies to find one to nominate to, nominations to follow up,
//! exchange listings to match, and the moves and decants whose payments a manager approves.
//! Each page is one query, read in key order from where the last page ended, so vacancies
//! and nominations added meanwhile are neither skipped nor repeated.

use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use uuid::Uuid;

use crate::db::decants::{self, Decant};
use crate::db::exchanges::{self, Listing};
use crate::db::incentives::{self, Move, Stage};
use crate::db::nominations::{self, Nomination};
use crate::db::vacancies::{self, Listed};

/// Vacancies in `filter`, the earliest available first, after `after` (available_from, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListVacancies {
    pub filter: vacancies::Filter,
    pub after: Option<(NaiveDate, Uuid)>,
    pub limit: i64,
}

/// Nominations in `filter`, the first nominated first, after `after` (nominated_at, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListNominations {
    pub filter: nominations::Filter,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

/// Under-occupation moves at `stage` (any when `None`), the earliest first, after `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListIncentives {
    pub stage: Option<Stage>,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

/// Decants in `status` (any when `None`), the first recorded first, after `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListDecants {
    pub status: Option<&'static str>,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

/// Exchange listings in `status` (any when `None`) among `ids` (any when empty), the latest
/// first, after the listing `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListExchangeListings {
    pub status: Option<&'static str>,
    pub ids: Vec<Uuid>,
    pub after: Option<Uuid>,
    pub limit: i64,
}

/// A page of a list, and where the next page starts: `None` after the last.
#[derive(Debug, Clone)]
pub struct Page<T, P> {
    pub items: Vec<T>,
    pub next: Option<P>,
}

impl<T, P> Page<T, P> {
    /// The page out of `rows`, read one past `limit` to tell whether another follows.
    fn of(mut rows: Vec<T>, limit: i64, position: impl Fn(&T) -> P) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = rows.last().filter(|_| more).map(position);
        Page { items: rows, next }
    }
}

/// A page of vacancies, pre-void as of `on`.
pub async fn vacancies(
    pool: &Pool,
    q: &ListVacancies,
    on: NaiveDate,
) -> Result<Page<Listed, (NaiveDate, Uuid)>, AppError> {
    let mut conn = pool.acquire().await?;
    let rows = vacancies::list(&mut conn, &q.filter, on, q.after, q.limit + 1).await?;
    Ok(Page::of(rows, q.limit, |l| {
        (l.vacancy.available_from, l.vacancy.id)
    }))
}

/// A page of nominations, overdue as of `on`.
pub async fn nominations(
    pool: &Pool,
    q: &ListNominations,
    on: NaiveDate,
) -> Result<Page<Nomination, (DateTime<Utc>, Uuid)>, AppError> {
    let mut conn = pool.acquire().await?;
    let rows = nominations::list(&mut conn, &q.filter, on, q.after, q.limit + 1).await?;
    Ok(Page::of(rows, q.limit, |n| (n.nominated_at, n.id)))
}

pub async fn incentives(
    pool: &Pool,
    q: &ListIncentives,
) -> Result<Page<Move, (DateTime<Utc>, Uuid)>, AppError> {
    let mut conn = pool.acquire().await?;
    let rows = incentives::list(&mut conn, q.stage, q.after, q.limit + 1).await?;
    Ok(Page::of(rows, q.limit, |m| (m.at, m.id)))
}

pub async fn decants(
    pool: &Pool,
    q: &ListDecants,
) -> Result<Page<Decant, (DateTime<Utc>, Uuid)>, AppError> {
    let mut conn = pool.acquire().await?;
    let rows = decants::list(&mut conn, q.status, q.after, q.limit + 1).await?;
    let page = Page::of(rows, q.limit, |(at, d)| (*at, d.id));
    Ok(Page {
        items: page.items.into_iter().map(|(_, d)| d).collect(),
        next: page.next,
    })
}

pub async fn exchange_listings(
    pool: &Pool,
    q: &ListExchangeListings,
) -> Result<Page<Listing, Uuid>, AppError> {
    let mut conn = pool.acquire().await?;
    let rows = exchanges::list(&mut conn, q.status, &q.ids, q.after, q.limit + 1).await?;
    Ok(Page::of(rows, q.limit, |l| l.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_names_where_the_next_starts_only_when_one_follows() {
        let full = Page::of(vec![1, 2, 3], 2, |n| *n);
        assert_eq!((full.items, full.next), (vec![1, 2], Some(2)));
        let last = Page::of(vec![1, 2], 2, |n| *n);
        assert_eq!((last.items, last.next), (vec![1, 2], None));
        let empty = Page::of(Vec::<i32>::new(), 2, |n| *n);
        assert_eq!((empty.items, empty.next), (vec![], None));
    }
}
