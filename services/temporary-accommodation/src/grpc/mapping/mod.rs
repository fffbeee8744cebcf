//! Proto messages to domain values (checking every field) and back.

mod invoices;
mod matching;
mod placements;
mod providers;
mod stock;

use housing_platform::errors::FieldViolations;
use housing_proto::accommodation::v1 as pb;

use crate::domain::unit::Location;
use crate::wire::{from_proto, to_proto};

pub use invoices::{invoice, invoice_proto};
pub use matching::{placement_request, placement_request_proto, ranked_proto, score_parts_proto};
pub use placements::{
    closure_reason, placement_proto, removal, removal_kind, removal_proto, s208_proto,
};
pub use providers::{agreement, contacts, provider_proto};
pub use stock::{concern_proto, concern_source, concern_step, unit, unit_proto};

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
