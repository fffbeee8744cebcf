//! Under-occupiers: social tenants on the register whose home has more bedrooms than the
//! bedroom standard gives them. A move to a home of the size they need frees bedrooms for a
//! household that needs them, which is what an under-occupation incentive pays for.

use housing_platform::db::Pool;
use housing_platform::errors::AppError;

use super::assessing::load;
use crate::db::applications::{self as store, ApplicationRecord};

pub struct UnderOccupier {
    pub record: ApplicationRecord,
    pub current_bedrooms: u32,
    pub bedrooms_needed: u32,
    pub spare_bedrooms: u32,
}

/// A page of under-occupiers, the most spare bedrooms first, after the position `after`
/// (spare bedrooms, reference).
pub async fn list(
    pool: &Pool,
    after: Option<(i32, String)>,
    limit: i64,
) -> Result<Vec<UnderOccupier>, AppError> {
    let mut conn = pool.acquire().await?;
    let found = store::under_occupiers(&mut conn, after, limit).await?;
    let mut page = Vec::with_capacity(found.len());
    for (id, current, needed) in found {
        let record = load(&mut conn, id).await?;
        page.push(UnderOccupier {
            record,
            current_bedrooms: current,
            bedrooms_needed: needed,
            spare_bedrooms: current.saturating_sub(needed),
        });
    }
    Ok(page)
}
