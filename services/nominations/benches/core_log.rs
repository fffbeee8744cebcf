//! CORE's lettings log for a national year: 250,000 lettings of council homes (England's
//! social lettings in a year, about as many) built, checked and written, then the lettings
//! section of the management report over the same year, printing each one's time and peak
//! memory (goal: under 60 s each).
//!
//! Run with `cargo bench -p nominations --bench core_log`.

use std::time::Instant;

use chrono::NaiveDate;
use housing_platform::returns::RunBy;
use housing_testkit::TestDatabase;
use housing_testkit::memory::{PeakMemory, rss_kib};
use nominations::app::returns;
use nominations::domain::core_log::build::Council;
use nominations::domain::core_log::household::{Answers, Household, Person, SexAtBirth};
use nominations::domain::core_log::letting::Details;

const LETTINGS: i64 = 250_000;

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// A couple and a child, every question answered.
fn household() -> Household {
    let person = |partner, born: &str, sex, working| Person {
        partner,
        born: date(born),
        sex_at_birth: Some(sex),
        gender_same_as_sex: Some(1),
        gender_description: String::new(),
        working: Some(working),
        ethnic: Some(1),
        nationality: Some(826),
    };
    Household {
        people: vec![
            person(false, "1988-03-10", SexAtBirth::Female, 2),
            person(true, "1986-07-22", SexAtBirth::Male, 1),
            person(false, "2021-01-05", SexAtBirth::Female, 9),
        ],
        registered_on: date("2022-02-01"),
        answers: Answers {
            armed_forces: Some(2),
            pregnancy: Some(2),
            access_needs: vec![83],
            health_condition: Some(2),
            time_in_area: Some(11),
            reason_for_leaving: Some(12),
            previous_tenure: Some(3),
            last_settled_postcode: Some("E1 6AN".into()),
            reasonable_preference: vec![108],
            income_known: Some(1),
            income_frequency: Some(1),
            net_income_pence: Some(41_240),
            housing_benefit: Some(6),
            benefit_share: Some(2),
            ..Default::default()
        },
    }
}

fn details() -> Details {
    Details {
        postcode: "E3 4AB".into(),
        rent_type: 1,
        vacancy_reason: 8,
        previous_let_type: Some(1),
        unit_type: 1,
        building_type: 1,
        joint_tenancy: true,
        starter_tenancy: true,
        tenancy_type: 7,
        rent_period: 1,
        basic_rent_pence: 10_512,
        service_charge_pence: 1_250,
        rent_shortfall: Some(2),
        privacy_notice_seen: true,
        ..Default::default()
    }
}

#[tokio::main]
async fn main() {
    let db = TestDatabase::create("nominations", &nominations::migrators()).await;
    let pool = db.pool().await;
    let seeded = Instant::now();
    for statement in [
        "INSERT INTO partners (id, name, response_days, created_at, council_stock)
         VALUES ('00000000-0000-0000-0000-000000000001', 'Council homes', 5, now(), true)",
        // Every letting's home, nomination and letting; a tenth of the homes were let with
        // no landlord's details, so their logs fail CORE's checks and are withheld.
        "INSERT INTO vacancies (id, partner_id, address, area, bedrooms, property_type, step_free,
                                wheelchair_accessible, weekly_rent_pence, available_from, void_start,
                                status, reported_at)
         SELECT md5('v' || i)::uuid, '00000000-0000-0000-0000-000000000001',
                'Flat ' || i || ', Bow Road, London', 'east', 2, 'flat', false, false, 11762,
                DATE '2026-04-01' + (i % 360)::int, DATE '2026-03-20' + (i % 360)::int, 'let', now()
         FROM generate_series(1, $1) i",
        "INSERT INTO nominations (id, vacancy_id, partner_id, application_id, application_reference,
                                  band, status, respond_by, nominated_by, nominated_at, homeless,
                                  offer_kind, overcrowded, core_household)
         SELECT md5('n' || i)::uuid, md5('v' || i)::uuid, '00000000-0000-0000-0000-000000000001',
                md5('a' || i)::uuid, 'REG-' || i, 'B', 'let', DATE '2026-04-01', 'bench', now(),
                false, 'nomination', true, $2
         FROM generate_series(1, $1) i",
        "INSERT INTO lettings (id, nomination_id, vacancy_id, partner_id, application_id,
                               tenancy_start_date, weekly_rent_pence, bedrooms, void_start,
                               referral_source, choice_based, completed_at, core_details)
         SELECT md5('l' || i)::uuid, md5('n' || i)::uuid, md5('v' || i)::uuid,
                '00000000-0000-0000-0000-000000000001', md5('a' || i)::uuid,
                DATE '2026-04-01' + (i % 360)::int, 11762, 2, DATE '2026-03-20' + (i % 360)::int,
                'local_authority_housing_register', false, now(),
                CASE WHEN i % 10 = 0 THEN NULL ELSE $3 END
         FROM generate_series(1, $1) i",
    ] {
        sqlx::query(statement)
            .bind(LETTINGS)
            .bind(sqlx::types::Json(household()))
            .bind(sqlx::types::Json(details()))
            .execute(&pool)
            .await
            .unwrap_or_else(|e| panic!("seeding: {e}\n{statement}"));
    }
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    println!(
        "seeded {LETTINGS} lettings in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );
    let council = Council {
        organisation: "ORG1".into(),
        local_authority: "E09000033".into(),
        common_allocation_policy: false,
        common_housing_register: false,
        accessible_register: false,
    };
    let by = RunBy {
        id: "bench".into(),
        name: "Benchmark".into(),
    };
    let before = rss_kib();
    let memory = PeakMemory::start();
    let started = Instant::now();
    let (log, _) = returns::core_lettings_log(&pool, returns::CORE_YEAR_ENDING, &council, &by)
        .await
        .expect("the log");
    let elapsed = started.elapsed();
    let peak = memory.peak();
    println!(
        "CORE lettings log 2026/27 over {LETTINGS} lettings: {:.2} s (goal < 60 s); {} logs written ({} MiB of CSV), {} withheld with {} problems; memory {} MiB before, peak {} MiB",
        elapsed.as_secs_f64(),
        log.logs,
        log.csv.len() / (1024 * 1024),
        log.withheld,
        log.problems.len(),
        before / 1024,
        peak / 1024
    );

    let year = housing_platform::returns::Period {
        start: date("2026-04-01"),
        end: housing_platform::time::today(),
    };
    let memory = PeakMemory::start();
    let started = Instant::now();
    let (figures, _, _) = returns::management_report(&pool, year, &by)
        .await
        .expect("the report");
    println!(
        "management report, lettings section, {} to {} over {LETTINGS} lettings: {:.2} s (goal < 60 s); {} figures; peak {} MiB",
        year.start,
        year.end,
        started.elapsed().as_secs_f64(),
        figures.len(),
        memory.peak() / 1024
    );
}
