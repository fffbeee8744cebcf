//! Temporary accommodation's use cases, one transaction each.

pub mod closure_reviews;
pub mod concerns;
pub mod daily;
pub mod household;
pub mod invoices;
pub mod placements;
pub mod portfolio;
pub mod providers;
pub mod removals;
pub mod returns;
pub mod s208;
pub mod s213aa;
pub mod stock;
pub mod transfers;
pub mod vacancies;

use housing_platform::errors::AppError;

use crate::domain::unit::CostOutOfRange;

impl From<CostOutOfRange> for AppError {
    fn from(error: CostOutOfRange) -> Self {
        AppError::FailedPrecondition(error.to_string())
    }
}
