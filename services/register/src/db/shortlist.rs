use chrono::NaiveDate;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// What the property offers and asks; applicants are matched against it.
#[derive(Debug, Clone)]
pub struct Property {
    pub bedrooms: u32,
    /// Empty for any area.
    pub area: String,
    /// The property's mobility category (1 most accessible, 4 general needs).
    pub mobility: i16,
    pub adapted: bool,
    /// The latest date of birth a lead applicant may have, for an age restriction.
    pub born_on_or_before: Option<NaiveDate>,
    pub property_type: Option<&'static str>,
    /// Only these applications (an advert's bidders); `None` for all.
    pub only: Option<Vec<Uuid>>,
}

#[derive(Debug, Clone)]
pub struct ShortlistRow {
    pub id: Uuid,
    pub reference: String,
    pub band: String,
    pub points: Option<u32>,
    pub effective_date: NaiveDate,
    pub bedroom_need: u32,
    pub mobility: i16,
}

/// Active applications that fit the property, by priority then effective date. Suspended
/// applications are not active, so never appear.
pub async fn shortlist(
    conn: &mut PgConnection,
    property: &Property,
    offset: i64,
    limit: i64,
) -> Result<Vec<ShortlistRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, reference, band, points, effective_date, bedroom_need, mobility FROM applications
         WHERE status = 'active' AND bedroom_need = $1
           AND ($2 = '' OR areas_wanted = '{}' OR $2 = ANY (areas_wanted))
           AND mobility >= $3
           AND (NOT $4 OR mobility < 4)
           AND ($5::date IS NULL OR lead_date_of_birth <= $5)
           AND ($6::text IS NULL OR property_types = '{}' OR $6 = ANY (property_types))
           AND ($9::uuid[] IS NULL OR id = ANY ($9))
         ORDER BY priority, effective_date, reference
         OFFSET $7 LIMIT $8",
    )
    .bind(property.bedrooms as i32)
    .bind(&property.area)
    .bind(property.mobility)
    .bind(property.adapted)
    .bind(property.born_on_or_before)
    .bind(property.property_type)
    .bind(offset)
    .bind(limit)
    .bind(&property.only)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(ShortlistRow {
                id: row.try_get("id")?,
                reference: row.try_get("reference")?,
                band: row.try_get("band")?,
                points: row.try_get::<Option<i32>, _>("points")?.map(|p| p as u32),
                effective_date: row.try_get("effective_date")?,
                bedroom_need: row.try_get::<i32, _>("bedroom_need")? as u32,
                mobility: row.try_get("mobility")?,
            })
        })
        .collect()
}
