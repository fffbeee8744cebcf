//! The officers' lists: vacancies to find one to nominate to, and nominations to follow up.
//! Each page is one query, read in key order from where the last page ended, so vacancies
//! and nominations added meanwhile are neither skipped nor repeated.

use chrono::{DateTime, NaiveDate, Utc};
use housing_platform::errors::AppError;
use sqlx::PgPool;
use uuid::Uuid;

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
    pool: &PgPool,
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
    pool: &PgPool,
    q: &ListNominations,
    on: NaiveDate,
) -> Result<Page<Nomination, (DateTime<Utc>, Uuid)>, AppError> {
    let mut conn = pool.acquire().await?;
    let rows = nominations::list(&mut conn, &q.filter, on, q.after, q.limit + 1).await?;
    Ok(Page::of(rows, q.limit, |n| (n.nominated_at, n.id)))
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
