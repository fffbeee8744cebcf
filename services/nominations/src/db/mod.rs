//! Nominations' queries.

pub mod adverts;
pub mod decants;
pub mod exchanges;
pub mod incentives;
pub mod lettings;
pub mod measures;
pub mod nominations;
pub mod partners;
pub mod refusals;
pub mod returns;
pub mod vacancies;
