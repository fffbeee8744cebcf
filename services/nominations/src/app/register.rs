//! The register, asked over gRPC: this service keeps no copy of applications.

pub use housing_platform::register::Register;
use housing_proto::register::v1 as pb;

use crate::db::vacancies::Vacancy;

/// Who a home fits, as the register filters: its size, area, access and kind. Adverts add
/// their own rules to it.
pub fn fits_home(vacancy: &Vacancy, page_size: i32) -> pb::ListShortlistRequest {
    use pb::{MobilityCategory as M, PropertyType as T};
    pb::ListShortlistRequest {
        bedrooms: vacancy.bedrooms,
        area: vacancy.area.clone(),
        page_size,
        mobility: if vacancy.wheelchair_accessible {
            M::WheelchairThroughout
        } else if vacancy.step_free {
            M::StepFree
        } else {
            M::GeneralNeeds
        } as i32,
        property_type: match vacancy.property_type.as_str() {
            "flat" => T::Flat,
            "house" => T::House,
            "bungalow" => T::Bungalow,
            "maisonette" => T::Maisonette,
            "sheltered" => T::Sheltered,
            _ => T::Unspecified,
        } as i32,
        ..Default::default()
    }
}
