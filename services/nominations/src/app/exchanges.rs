//! Mutual exchanges between tenants: listings, the swaps and chains among them, and the
//! landlords' consent each exchange needs before it goes ahead.

use housing_platform::db::Pool;
use std::collections::HashMap;

use housing_platform::errors::{AppError, FieldViolations};
use housing_platform::idempotency;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::exchanges::{self as store, Exchange, Listing};
use crate::domain::exchange::{self, Home, Wants};

/// The landlord of council-owned homes in consents.
pub const COUNCIL: &str = "council";

pub async fn create_listing(
    pool: &Pool,
    request_id: &str,
    listing: Listing,
) -> Result<Listing, AppError> {
    let mut tx = pool.begin().await?;
    let id = match idempotency::replay::<String>(
        &mut tx,
        "nominations.CreateExchangeListing",
        request_id,
    )
    .await?
    {
        Some(id) => {
            Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?
        }
        None => {
            store::insert(&mut tx, &listing).await?;
            idempotency::record(
                &mut tx,
                "nominations.CreateExchangeListing",
                request_id,
                &listing.id.to_string(),
            )
            .await?;
            listing.id
        }
    };
    let listing = store::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("exchange listing", id))?;
    tx.commit().await?;
    Ok(listing)
}

/// Listings as the matching reads them: areas and kinds numbered as they are met.
struct Numbering {
    areas: HashMap<String, u16>,
    kinds: HashMap<String, u8>,
}

impl Numbering {
    fn area(&mut self, a: &str) -> u16 {
        let next = self.areas.len() as u16;
        *self.areas.entry(a.to_owned()).or_insert(next)
    }

    fn kind(&mut self, k: &str) -> u8 {
        let next = self.kinds.len() as u8;
        *self.kinds.entry(k.to_owned()).or_insert(next)
    }

    fn listing(&mut self, l: &Listing) -> exchange::Listing {
        exchange::Listing {
            home: Home {
                area: self.area(&l.area),
                bedrooms: l.bedrooms as u8,
                kind: self.kind(&l.property_type),
            },
            wants: Wants {
                areas: l.wants_areas.iter().map(|a| self.area(a)).collect(),
                min_bedrooms: l.min_bedrooms as u8,
                max_bedrooms: l.max_bedrooms as u8,
                kinds: l.wants_types.iter().map(|k| self.kind(k)).collect(),
            },
        }
    }
}

fn numbering() -> Numbering {
    Numbering {
        areas: HashMap::new(),
        kinds: HashMap::new(),
    }
}

/// Every swap and chain `id` is part of, each in moving order.
pub async fn find_for(pool: &Pool, id: Uuid) -> Result<(Vec<Vec<Uuid>>, Vec<Vec<Uuid>>), AppError> {
    let mut conn = pool.acquire().await?;
    let listings = store::active(&mut conn).await?;
    let Some(me) = listings.iter().position(|l| l.id == id) else {
        return Err(AppError::not_found("active exchange listing", id));
    };
    let mut n = numbering();
    let numbered: Vec<exchange::Listing> = listings.iter().map(|l| n.listing(l)).collect();
    let found = exchange::find(&numbered);
    let ids = |group: &[usize]| group.iter().map(|&i| listings[i].id).collect::<Vec<_>>();
    let swaps = found
        .swaps
        .iter()
        .filter(|s| s.contains(&me))
        .map(|s| ids(s))
        .collect();
    let chains = found
        .chains
        .iter()
        .filter(|c| c.contains(&me))
        .map(|c| ids(c))
        .collect();
    Ok((swaps, chains))
}

/// Puts the swap or chain to its landlords, if each tenant still wants the next one's home.
pub async fn propose(
    pool: &Pool,
    request_id: &str,
    ids: &[Uuid],
    by: &str,
) -> Result<(Exchange, Vec<String>), AppError> {
    let mut tx = pool.begin().await?;
    if let Some(id) =
        idempotency::replay::<String>(&mut tx, "nominations.ProposeExchange", request_id).await?
    {
        let id = Uuid::parse_str(&id).map_err(|e| AppError::FailedPrecondition(e.to_string()))?;
        return load(&mut tx, id).await;
    }
    let mut listings = Vec::new();
    for id in ids {
        let listing = store::find(&mut tx, *id)
            .await?
            .filter(|l| l.status == "active")
            .ok_or_else(|| AppError::not_found("active exchange listing", id))?;
        listings.push(listing);
    }
    let mut n = numbering();
    let numbered: Vec<exchange::Listing> = listings.iter().map(|l| n.listing(l)).collect();
    for (i, tenant) in numbered.iter().enumerate() {
        let next = &numbered[(i + 1) % numbered.len()];
        if !tenant.wants.accepts(&next.home) {
            return Err(AppError::FailedPrecondition(format!(
                "the tenant of listing {} does not want the home of listing {}",
                listings[i].id,
                listings[(i + 1) % listings.len()].id
            )));
        }
    }
    let mut landlords: Vec<String> = listings.iter().map(|l| l.landlord.clone()).collect();
    landlords.sort();
    landlords.dedup();
    let id = Uuid::now_v7();
    store::propose(&mut tx, id, ids, &landlords, by).await?;
    store::set_status(&mut tx, ids, "proposed").await?;
    idempotency::record(
        &mut tx,
        "nominations.ProposeExchange",
        request_id,
        &id.to_string(),
    )
    .await?;
    let result = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(result)
}

pub async fn get(pool: &Pool, id: Uuid) -> Result<(Exchange, Vec<String>), AppError> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await
}

async fn load(conn: &mut PgConnection, id: Uuid) -> Result<(Exchange, Vec<String>), AppError> {
    let exchange = store::find_exchange(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("exchange", id))?;
    let awaiting = store::awaiting(conn, id).await?;
    Ok((exchange, awaiting))
}

/// A landlord's answer. One refusal ends the exchange; when every landlord has consented it
/// is approved and the listings leave the register of exchanges.
pub async fn consent(
    pool: &Pool,
    id: Uuid,
    landlord: &str,
    consent: bool,
    reason: &str,
    by: &str,
) -> Result<(Exchange, Vec<String>), AppError> {
    if !consent && reason.trim().is_empty() {
        let mut v = FieldViolations::new();
        v.add("reason", "required when refusing");
        return Err(AppError::Invalid(v));
    }
    let mut tx = pool.begin().await?;
    let (exchange, _) = load(&mut tx, id).await?;
    if exchange.status != "awaiting_consent" {
        return Err(AppError::FailedPrecondition(format!(
            "exchange {id} is {}",
            exchange.status
        )));
    }
    // A landlord with no home in the exchange learns nothing about it.
    if !store::decide(&mut tx, id, landlord, consent, reason.trim(), by).await? {
        return Err(AppError::not_found("exchange", id));
    }
    if !consent {
        store::set_exchange_status(&mut tx, id, "refused").await?;
        store::set_status(&mut tx, &exchange.listing_ids, "active").await?;
    } else if store::awaiting(&mut tx, id).await?.is_empty() {
        store::set_exchange_status(&mut tx, id, "approved").await?;
        store::set_status(&mut tx, &exchange.listing_ids, "exchanged").await?;
    }
    let result = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(result)
}
