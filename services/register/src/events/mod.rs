//! What the register hears from other services.

pub mod lettings;
pub mod offers;
