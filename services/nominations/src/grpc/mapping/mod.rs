//! Proto messages to typed commands (checking every field) and domain values back, a file
//! an area.

mod adverts;
mod decants;
mod exchanges;
mod lists;
mod mobility;
mod nominations;
mod partners;
mod vacancies;

pub use adverts::{advert_proto, advert_result_proto, advert_summary_proto};
pub use decants::{decant, decant_proto, disturbance};
pub use exchanges::{exchange_listing, exchange_listing_proto, exchange_proto};
pub(super) use lists::{MAX_PAGE_SIZE, PAGE_SIZE, filter_enum};
pub use lists::{adverts_page_token, nominations_page_token, vacancies_page_token};
pub(super) use mobility::period;
pub use mobility::{ApproveIncentive, MobilityQuota, Period};
pub use nominations::{nomination_proto, partner_nomination_proto};
pub use partners::{partner_proto, partner_update};
pub use vacancies::{amendment, vacancy, vacancy_proto, vacancy_summary_proto, withdrawal};
