//! Proto messages to domain values (checking every field) and back.

mod closure_reviews;
mod invoices;
mod matching;
mod placements;
mod providers;
mod removals;
mod stock;

use chrono::{DateTime, Datelike, Utc};
use housing_platform::errors::FieldViolations;
use housing_platform::paging;
use housing_proto::accommodation::v1 as pb;
use uuid::Uuid;

use crate::domain::unit::Location;
use crate::wire::{from_proto, to_proto};

pub use closure_reviews::{closure_review_proto, closure_reviews_page_token};
pub use invoices::{invoice, invoice_proto, invoices_page_token};
pub use matching::{placement_request, placement_request_proto, ranked_proto, score_parts_proto};
pub use placements::{
    closure_reason, placement_proto, placement_summary_proto, placements_page_token, s208_proto,
    s213aa_proto,
};
pub use providers::{agreement, contacts, provider_proto};
pub use removals::{removal, removal_kind, removal_proto, removals_page_token};
pub use stock::{concern_proto, concern_source, concern_step, unit, unit_change_proto, unit_proto};

fn location(field: &str, l: Option<&pb::Location>, v: &mut FieldViolations) -> Location {
    let l = l.cloned().unwrap_or_default();
    if !(-90.0..=90.0).contains(&l.latitude)
        || !(-180.0..=180.0).contains(&l.longitude)
        || (l.latitude == 0.0 && l.longitude == 0.0)
    {
        v.add(field, "required: latitude -90..90 and longitude -180..180");
    }
    Location {
        latitude: l.latitude,
        longitude: l.longitude,
    }
}

/// Far beyond any household or home temporary accommodation sees (a large HMO houses a
/// few dozen), so a typing slip or a hostile number is refused rather than stored.
const MAX_PEOPLE: i32 = 100;
const MAX_BEDROOMS: i32 = 50;

/// Lists' pages: 25 items unless asked for fewer or more, and never more than 100.
const PAGE_SIZE: i64 = 25;
const MAX_PAGE_SIZE: i64 = 100;

/// The position a list's `page_token` stands for, `None` for the first page; a token this
/// service did not issue is named. Every position it issues lies in the years a date may
/// take (1900 to 2199), so a forged one beyond what PostgreSQL holds never reaches it.
fn page_after(token: &str, v: &mut FieldViolations) -> Option<(DateTime<Utc>, Uuid)> {
    match paging::decode(token) {
        Ok(None) => None,
        Ok(Some((at, id))) if (1900..=2199).contains(&at.year()) => Some((at, id)),
        _ => {
            v.add("page_token", "not a page token from this service");
            None
        }
    }
}

/// An enum a list is filtered by: unspecified (0) is any, and a value with no meaning is
/// named.
fn filter_enum<D: Copy, P: Copy + Into<i32>>(
    table: &[(D, P)],
    value: i32,
    field: &str,
    v: &mut FieldViolations,
) -> Option<D> {
    if value == 0 {
        return None;
    }
    let found = from_proto(table, value);
    if found.is_none() {
        v.add(
            field,
            format!("{value} is not a known value; leave it unspecified for any"),
        );
    }
    found
}
