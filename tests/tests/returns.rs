//! H-CLIC's temporary accommodation return from a small made-up borough: households taken
//! from the real register into temporary accommodation, their placements moved into a past
//! quarter, and the records and tables worked out by hand.

mod common;

use common::{Authed, adult, as_role, start_accommodation, start_register};
use housing_platform::auth::Role;
use housing_platform::time::{format_date, today};
use housing_proto::accommodation::v1::{
    self as ta, accommodation_service_client::AccommodationServiceClient,
    returns_service_client::ReturnsServiceClient,
};
use housing_proto::register::v1::{self as reg, register_service_client::RegisterServiceClient};
use housing_proto::returns::v1 as returns_pb;
use housing_testkit::{servers, unique_prefix};
use tonic::Code;

fn date(text: &str) -> chrono::NaiveDate {
    housing_platform::time::parse_date(text).unwrap()
}

fn person(
    given: &str,
    born: &str,
    sex: reg::Sex,
    relationship: reg::Relationship,
) -> reg::HouseholdMember {
    reg::HouseholdMember {
        sex: sex as i32,
        ..adult(given, born, relationship)
    }
}

/// An application for `lead` and `others`, homeless and owed a duty.
fn application(lead: &str, others: Vec<reg::HouseholdMember>) -> reg::SubmitApplicationRequest {
    let mut request = common::application(&uuid::Uuid::now_v7().to_string(), true, false);
    request.lead_applicant = Some(adult(lead, "1985-05-05", reg::Relationship::LeadApplicant));
    request.members = others;
    request
}

/// A compliant, self-contained unit of three bedrooms of `kind` in `district`.
async fn unit(
    ta: &mut AccommodationServiceClient<Authed>,
    kind: ta::UnitType,
    district: &str,
) -> ta::Unit {
    let template = common::new_unit(
        ta,
        &format!("{kind:?} in {district}"),
        district,
        today() + chrono::Days::new(300),
    )
    .await;
    ta.create_unit(ta::CreateUnitRequest {
        request_id: String::new(),
        unit: Some(ta::Unit {
            unit_id: String::new(),
            unit_type: kind as i32,
            bedrooms: 3,
            max_occupancy: 7,
            ..template.clone()
        }),
    })
    .await
    .unwrap()
    .into_inner()
    .unit
    .unwrap()
}

/// The household of `application` placed in `unit` today.
async fn place(
    ta: &mut AccommodationServiceClient<Authed>,
    application: &reg::Application,
    unit: &ta::Unit,
) -> ta::Placement {
    let request = ta
        .create_placement_request(ta::CreatePlacementRequestRequest {
            request_id: String::new(),
            placement_request: Some(ta::PlacementRequest {
                application_id: application.application_id.clone(),
                duty: ta::DutyType::Interim as i32,
                needed_from: format_date(today()),
                ..Default::default()
            }),
            confirm_differences: false,
        })
        .await
        .unwrap()
        .into_inner()
        .placement_request
        .unwrap();
    ta.start_placement(ta::StartPlacementRequest {
        request_id: String::new(),
        placement_request_id: request.placement_request_id,
        unit_id: unit.unit_id.clone(),
        start_date: format_date(today()),
        reason: "the only suitable unit".into(),
    })
    .await
    .unwrap()
    .into_inner()
    .placement
    .unwrap()
}

/// Moves a placement (and its one stay) to the dates given, as if made then.
async fn lived(
    pool: &housing_platform::db::Pool,
    placement: &ta::Placement,
    start: &str,
    end: Option<&str>,
) {
    let id = uuid::Uuid::parse_str(&placement.placement_id).unwrap();
    let (start, end) = (date(start), end.map(date));
    sqlx::query("UPDATE placements SET start_date = $2, end_date = $3 WHERE id = $1")
        .bind(id)
        .bind(start)
        .bind(end)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE placement_stays SET from_date = $2, to_date = $3 WHERE placement_id = $1")
        .bind(id)
        .bind(start)
        .bind(end)
        .execute(pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn hclic_records_and_tables_match_the_borough_worked_out_by_hand() {
    let prefix = unique_prefix();
    let nats = servers::nats_url();
    let register = start_register(nats, &prefix).await;
    let accommodation = start_accommodation(nats, &prefix, Some(&register)).await;
    let officer = RegisterServiceClient::new(as_role(&register, Role::AllocationsOfficer).await);
    let mut ta = AccommodationServiceClient::new(as_role(&accommodation, Role::TaOfficer).await);
    let submit = |request: reg::SubmitApplicationRequest| {
        let mut officer = officer.clone();
        async move {
            officer
                .submit_application(request)
                .await
                .unwrap()
                .into_inner()
                .application
                .unwrap()
        }
    };
    let child = |given: &str, born: &str, sex| person(given, born, sex, reg::Relationship::Child);

    // Ann with children born June 2022 and March 2015 (3 and 10 at the end of 2025), in a
    // bed and breakfast in the borough from 1 November: 61 nights, over six weeks. Placed
    // first, while no other unit would do.
    let ann = submit(application(
        "Ann",
        vec![
            child("Al", "2022-06-01", reg::Sex::Male),
            child("Bea", "2015-03-01", reg::Sex::Female),
        ],
    ))
    .await;
    let bnb = unit(&mut ta, ta::UnitType::BedAndBreakfast, "Example Borough").await;
    let ann_placed = place(&mut ta, &ann, &bnb).await;
    // Ben alone in a hostel in the borough since 15 September, before the quarter.
    let ben = submit(application("Ben", vec![])).await;
    let hostel = unit(&mut ta, ta::UnitType::Hostel, "Example Borough").await;
    let ben_placed = place(&mut ta, &ben, &hostel).await;
    // Cas, a partner and a son born July 2009 (16), leased in Luton from 10 October.
    let cas = submit(application(
        "Cas",
        vec![
            person(
                "Cy",
                "1981-03-03",
                reg::Sex::Male,
                reg::Relationship::Partner,
            ),
            child("Cal", "2009-07-01", reg::Sex::Male),
        ],
    ))
    .await;
    let luton = unit(&mut ta, ta::UnitType::PrivateSectorLeased, "Luton").await;
    let cas_placed = place(&mut ta, &cas, &luton).await;
    // Dan alone, nightly paid in the borough from 5 October until 20 November.
    let dan = submit(application("Dan", vec![])).await;
    let nightly = unit(
        &mut ta,
        ta::UnitType::NightlyPaidSelfContained,
        "Example Borough",
    )
    .await;
    let dan_placed = place(&mut ta, &dan, &nightly).await;
    ta.close_placement(ta::ClosePlacementRequest {
        placement_id: dan_placed.placement_id.clone(),
        reason: ta::ClosureReason::MovedOut as i32,
        end_date: format_date(today() + chrono::Days::new(1)),
        note: "moved in with family".into(),
    })
    .await
    .unwrap();
    // Eve in a hostel from June to August: before the quarter, no record.
    let eve = submit(application("Eve", vec![])).await;
    let eve_hostel = unit(&mut ta, ta::UnitType::Hostel, "Example Borough").await;
    let eve_placed = place(&mut ta, &eve, &eve_hostel).await;
    ta.close_placement(ta::ClosePlacementRequest {
        placement_id: eve_placed.placement_id.clone(),
        reason: ta::ClosureReason::MovedOut as i32,
        end_date: format_date(today() + chrono::Days::new(1)),
        note: "found a private let".into(),
    })
    .await
    .unwrap();

    let pool = accommodation.db.pool().await;
    lived(&pool, &ann_placed, "2025-11-01", None).await;
    lived(&pool, &ben_placed, "2025-09-15", None).await;
    lived(&pool, &cas_placed, "2025-10-10", None).await;
    lived(&pool, &dan_placed, "2025-10-05", Some("2025-11-20")).await;
    lived(&pool, &eve_placed, "2025-06-01", Some("2025-08-01")).await;

    let mut returns = ReturnsServiceClient::new(as_role(&accommodation, Role::TaOfficer).await);
    // October to December 2025: the third quarter of 2025/26.
    let hclic = returns
        .produce_hclic_return(ta::ProduceHclicReturnRequest {
            year_ending: 2026,
            quarter: 3,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (hclic.period_start.as_str(), hclic.period_end.as_str()),
        ("2025-10-01", "2025-12-31")
    );
    assert!(hclic.problems.is_empty(), "{:?}", hclic.problems);
    assert_eq!(hclic.records, 4);

    let figures: Vec<(String, String, i64)> = hclic
        .tables
        .iter()
        .map(|f| (f.table.clone(), f.line.clone(), f.figure))
        .collect();
    let expected: Vec<(&str, &str, i64)> = vec![
        ("households in TA at the end of the quarter", "all", 3),
        (
            "households in TA at the end of the quarter",
            "with children",
            2,
        ),
        ("by accommodation type", "bed and breakfast", 1),
        (
            "by accommodation type, with children",
            "bed and breakfast",
            1,
        ),
        ("by accommodation type", "hostel", 1),
        ("by accommodation type, with children", "hostel", 0),
        (
            "by accommodation type",
            "local authority or housing association stock",
            0,
        ),
        (
            "by accommodation type, with children",
            "local authority or housing association stock",
            0,
        ),
        (
            "by accommodation type",
            "nightly paid, privately managed, self-contained",
            0,
        ),
        (
            "by accommodation type, with children",
            "nightly paid, privately managed, self-contained",
            0,
        ),
        ("by accommodation type", "other", 0),
        ("by accommodation type, with children", "other", 0),
        ("by accommodation type", "private sector leased", 1),
        (
            "by accommodation type, with children",
            "private sector leased",
            1,
        ),
        ("children in TA at the end of the quarter", "all", 3),
        ("children in TA at the end of the quarter", "aged 0 to 4", 1),
        (
            "children in TA at the end of the quarter",
            "aged 5 to 10",
            1,
        ),
        (
            "children in TA at the end of the quarter",
            "aged 11 to 15",
            0,
        ),
        (
            "children in TA at the end of the quarter",
            "aged 16 or 17",
            1,
        ),
        ("placed in another district", "all", 1),
        (
            "placed in another district, by region",
            "East of England",
            1,
        ),
        ("families in bed and breakfast", "all", 1),
        ("families in bed and breakfast", "over six weeks", 1),
        ("placements", "started in the quarter", 3),
        ("placements", "ended in the quarter", 1),
    ];
    assert_eq!(
        figures,
        expected
            .iter()
            .map(|(t, l, f)| (t.to_string(), l.to_string(), *f))
            .collect::<Vec<_>>()
    );

    // The records, one a household, by placement reference.
    let mut reader = csv::Reader::from_reader(hclic.records_csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows: Vec<std::collections::HashMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect();
    let row = |placement: &ta::Placement| {
        rows.iter()
            .find(|r| r["placement_reference"] == placement.reference)
            .unwrap_or_else(|| panic!("a record for {}", placement.reference))
            .clone()
    };
    let ann_row = row(&ann_placed);
    assert_eq!(ann_row["household_id"], ann.application_id);
    assert_eq!(ann_row["household_size"], "3");
    assert_eq!(ann_row["children"], "2");
    assert_eq!(ann_row["children_dates_of_birth"], "2022-06-01;2015-03-01");
    assert_eq!(ann_row["accommodation_type"], "bed and breakfast");
    assert_eq!(ann_row["start_date"], "2025-11-01");
    assert_eq!(ann_row["end_date"], "");
    assert_eq!(ann_row["in_district"], "Y");
    assert_eq!(ann_row["family_bnb_nights_in_quarter"], "61");
    let cas_row = row(&cas_placed);
    assert_eq!(
        (
            cas_row["in_district"].as_str(),
            cas_row["destination_council"].as_str(),
            cas_row["destination_council_code"].as_str(),
            cas_row["destination_region"].as_str()
        ),
        ("N", "Luton", "E06000032", "East of England")
    );
    assert_eq!(cas_row["children_dates_of_birth"], "2009-07-01");
    let dan_row = row(&dan_placed);
    assert_eq!(
        (dan_row["start_date"].as_str(), dan_row["end_date"].as_str()),
        ("2025-10-05", "2025-11-20")
    );
    assert_eq!(
        dan_row["accommodation_type"],
        "nightly paid, privately managed, self-contained"
    );
    assert_eq!(row(&ben_placed)["start_date"], "2025-09-15");
    assert!(
        !rows
            .iter()
            .any(|r| r["placement_reference"] == eve_placed.reference)
    );

    let run = hclic.run.unwrap();
    assert_eq!(
        run.kind,
        returns_pb::ReturnKind::HclicTemporaryAccommodation as i32
    );
    assert_eq!(run.rows, 4);
    assert_eq!(
        run.run_by,
        housing_testkit::oidc::officer(Role::TaOfficer).sub
    );

    // A quarter not yet ended, and nonsense, are refused and recorded nowhere.
    let this_year = housing_platform::returns::Period::year_ending_of(today());
    let early = returns
        .produce_hclic_return(ta::ProduceHclicReturnRequest {
            year_ending: this_year + 1,
            quarter: 1,
        })
        .await
        .unwrap_err();
    assert_eq!(early.code(), Code::FailedPrecondition);
    let bad = returns
        .produce_hclic_return(ta::ProduceHclicReturnRequest {
            year_ending: 1999,
            quarter: 5,
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert!(bad.message().contains("year_ending") && bad.message().contains("quarter"));
    let runs = returns
        .list_return_runs(ta::ListReturnRunsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .runs;
    assert_eq!(runs.len(), 1);

    accommodation.running.stop().await.unwrap();
    register.running.stop().await.unwrap();
}
