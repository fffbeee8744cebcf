//! What the register hears from other services, and the referral events it tells them.

pub mod evidence;
pub mod lettings;
pub mod offers;
pub mod referrals;
