//! A made-up portfolio, the same for every run: households where they live now and the
//! vacant units they might move to. Shared by the optimiser's tests and its benchmark.

use chrono::{Days, NaiveDate};
use housing_platform::money::Pence;
use temporary_accommodation::domain::matching::Need;
use temporary_accommodation::domain::optimiser::Occupant;
use temporary_accommodation::domain::unit::{Certificate, Cost, Location, Unit, UnitType};
use uuid::Uuid;

pub const HOME: &str = "Example Borough";

pub use housing_testkit::Lcg;

pub fn on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// What a week of nightly-paid accommodation starts at, in pence.
const NIGHTLY_BASE: i64 = 35_000;

pub fn unit(rng: &mut Lcg) -> Unit {
    let unit_type = match rng.below(100) {
        0..10 => UnitType::BedAndBreakfast,
        10..25 => UnitType::NightlyPaidSelfContained,
        25..35 => UnitType::Hostel,
        35..85 => UnitType::PrivateSectorLeased,
        _ => UnitType::SocialHousingStock,
    };
    let bedrooms = 1 + rng.below(4) as u32;
    let base = match unit_type {
        UnitType::BedAndBreakfast | UnitType::NightlyPaidSelfContained => NIGHTLY_BASE,
        UnitType::Hostel => 25_000,
        _ => 20_000,
    };
    let self_contained = !matches!(unit_type, UnitType::BedAndBreakfast | UnitType::Hostel);
    let certificate = |kind| Certificate {
        kind,
        issued_on: on() - Days::new(100),
        expires_on: on() + Days::new(265),
    };
    let mut unit = Unit {
        id: Uuid::now_v7(),
        provider_id: Uuid::nil(),
        address: "1 High Street".into(),
        local_authority: if rng.chance(70) { HOME } else { "Elsewhere" }.into(),
        location: Location {
            latitude: 51.0 + rng.below(1000) as f64 / 1000.0,
            longitude: -0.5 + rng.below(1000) as f64 / 1000.0,
        },
        unit_type,
        bedrooms,
        max_occupancy: bedrooms * 2,
        self_contained,
        step_free: rng.chance(30),
        wheelchair_accessible: rng.chance(10),
        lift: rng.chance(20),
        cost: match base + i64::from(bedrooms) * 5_000 + rng.below(10_000) as i64 {
            week if base == NIGHTLY_BASE => Cost::Nightly(Pence::new(week / 7)),
            week => Cost::Weekly(Pence::new(week)),
        },
        weekly_rent_pence: 15_000,
        weekly_service_charge_pence: 0,
        block_booked: rng.chance(20),
        certificates: vec![],
    };
    // Every certificate the unit needs, in date.
    unit.certificates = unit.required_certificates().map(certificate).collect();
    unit
}

pub fn need(rng: &mut Lcg) -> Need {
    let bedrooms_needed = 1 + rng.below(3) as u32;
    let family = bedrooms_needed > 1 || rng.chance(20);
    Need {
        household_size: bedrooms_needed + rng.below(u64::from(bedrooms_needed) + 1) as u32,
        bedrooms_needed,
        has_children: family,
        pregnant: !family && rng.chance(5),
        needs_step_free: rng.chance(10),
        needs_lift: rng.chance(10),
        needs_wheelchair_access: rng.chance(3),
        weekly_income_pence: None,
        anchors: vec![],
    }
}

/// `households` households each in a unit of their own, and `vacant` vacant units.
pub fn portfolio(seed: u64, households: usize, vacant: usize) -> (Vec<Occupant>, Vec<Unit>) {
    let mut rng = Lcg::new(seed);
    let occupants = (0..households)
        .map(|_| Occupant {
            placement_id: Uuid::now_v7(),
            need: need(&mut rng),
            unit: unit(&mut rng),
        })
        .collect();
    let vacant = (0..vacant).map(|_| unit(&mut rng)).collect();
    (occupants, vacant)
}
