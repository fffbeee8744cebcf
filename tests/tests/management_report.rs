//! The council's management report from a small made-up borough: temporary accommodation,
//! rent and lettings each made through the real services, moved into October to December
//! 2025 as if they had happened then, and every figure of each section worked out by hand.

mod common;

use common::{as_partner, as_role, placement_request, start_accommodation, start_nominations};
use common::{start_register, start_rent};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::money::Pence;
use housing_platform::time::{format_date, today};
use housing_proto::accommodation::v1::{
    self as ta, accommodation_service_client::AccommodationServiceClient,
};
use housing_proto::nominations::v1::{
    self as noms, nominations_service_client::NominationsServiceClient,
    partner_service_client::PartnerServiceClient,
};
use housing_proto::rent::v1::{self as rent_pb, rent_service_client::RentServiceClient};
use housing_proto::returns::v1::{self as returns_pb, ReportFigure};
use housing_testkit::{servers, unique_prefix};
use tonic::Code;
use tonic::transport::Channel;
use uuid::Uuid;

const START: &str = "2025-10-01";
const END: &str = "2025-12-31";

fn date(text: &str) -> chrono::NaiveDate {
    housing_platform::time::parse_date(text).unwrap()
}

/// A figure as the test states it: measure, breakdown, value, unit.
type Expected<'a> = (&'a str, &'a str, Option<i64>, &'a str);

fn figures_of(figures: &[ReportFigure]) -> Vec<(String, String, Option<i64>, String)> {
    figures
        .iter()
        .map(|f| {
            (
                f.measure.clone(),
                f.breakdown.clone(),
                f.value,
                f.unit.clone(),
            )
        })
        .collect()
}

fn expected(figures: &[Expected<'_>]) -> Vec<(String, String, Option<i64>, String)> {
    figures
        .iter()
        .map(|(m, b, v, u)| (m.to_string(), b.to_string(), *v, u.to_string()))
        .collect()
}

/// Each service refuses a period that is not one, naming each bad field.
fn bad_periods() -> [(&'static str, &'static str, Vec<&'static str>); 4] {
    [
        ("2025-13-01", "someday", vec!["period_start", "period_end"]),
        ("2025-12-31", "2025-10-01", vec!["period_end"]),
        ("2024-01-01", "2025-06-30", vec!["period_end"]),
        ("", "", vec!["period_start", "period_end"]),
    ]
}

/// A compliant unit of `kind` in the borough costing `weekly` (or `nightly`) pence,
/// block-booked or not.
async fn unit(
    client: &mut AccommodationServiceClient<common::Authed>,
    kind: ta::UnitType,
    (weekly, nightly): (i64, i64),
    block_booked: bool,
) -> ta::Unit {
    let template = common::new_unit(
        client,
        &format!("{kind:?} {weekly} {nightly}"),
        "Example Borough",
        today() + chrono::Days::new(300),
    )
    .await;
    client
        .create_unit(ta::CreateUnitRequest {
            request_id: String::new(),
            unit: Some(ta::Unit {
                unit_id: String::new(),
                unit_type: kind as i32,
                bedrooms: 3,
                max_occupancy: 7,
                weekly_cost_pence: weekly,
                nightly_cost_pence: nightly,
                block_booked,
                ..template
            }),
        })
        .await
        .unwrap()
        .into_inner()
        .unit
        .unwrap()
}

/// `lead`'s household (of `size`, with children or not) placed in `unit` from `start` until
/// `end`, as if placed then.
async fn lived(
    client: &mut AccommodationServiceClient<common::Authed>,
    pool: &housing_platform::db::Pool,
    lead: &str,
    household: (i32, bool),
    unit: &ta::Unit,
    (start, end): (&str, Option<&str>),
) {
    let request = placement_request(
        client,
        &Uuid::now_v7().to_string(),
        lead,
        household,
        ta::DutyType::Interim,
    )
    .await;
    let placement = client
        .start_placement(ta::StartPlacementRequest {
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
        .unwrap();
    let id = Uuid::parse_str(&placement.placement_id).unwrap();
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
async fn temporary_accommodation_section_matches_the_borough_worked_out_by_hand() {
    let prefix = unique_prefix();
    let nats = servers::nats_url();
    let accommodation = start_accommodation(nats, &prefix, None).await;
    let pool = accommodation.db.pool().await;
    let mut ta_client =
        AccommodationServiceClient::new(as_role(&accommodation, Role::TaOfficer).await);
    use ta::UnitType::{BedAndBreakfast, Hostel, NightlyPaidSelfContained, PrivateSectorLeased};

    // Families go into B&B only while no other unit would do: these two, of six, fit none
    // of the two-bedroom units registered alongside.
    // Ann's family in a B&B at £40 a night (£280 a week) from 1 November: on 31 December
    // the 60th day of the run, past the six weeks (day 42).
    let ann_bnb = unit(&mut ta_client, BedAndBreakfast, (0, 4_000), false).await;
    lived(
        &mut ta_client,
        &pool,
        "Ann",
        (6, true),
        &ann_bnb,
        ("2025-11-01", None),
    )
    .await;
    // Fay's family in a B&B at £300 a week from 15 December: day 16 on 31 December.
    let fay_bnb = unit(&mut ta_client, BedAndBreakfast, (30_000, 0), false).await;
    lived(
        &mut ta_client,
        &pool,
        "Fay",
        (6, true),
        &fay_bnb,
        ("2025-12-15", None),
    )
    .await;
    // Ben alone in a hostel at £210 a week since September.
    let hostel = unit(&mut ta_client, Hostel, (21_000, 0), false).await;
    lived(
        &mut ta_client,
        &pool,
        "Ben",
        (1, false),
        &hostel,
        ("2025-09-15", None),
    )
    .await;
    // Cas's family leased at £250 a week from 10 October: a family, but not in B&B.
    let leased = unit(&mut ta_client, PrivateSectorLeased, (25_000, 0), false).await;
    lived(
        &mut ta_client,
        &pool,
        "Cas",
        (3, true),
        &leased,
        ("2025-10-10", None),
    )
    .await;
    // Dan nightly paid at £60 a night from 5 October to 20 November: gone by the end.
    let nightly = unit(&mut ta_client, NightlyPaidSelfContained, (0, 6_000), false).await;
    let dan = ("2025-10-05", Some("2025-11-20"));
    lived(&mut ta_client, &pool, "Dan", (1, false), &nightly, dan).await;
    // A hostel room block-booked at £140 a week (£20 a night), registered on 1 December,
    // Gus in it from 11 December: empty on the nights of 1 to 10 December.
    let block = unit(&mut ta_client, Hostel, (14_000, 0), true).await;
    sqlx::query("UPDATE units SET created_at = '2025-12-01T12:00:00Z' WHERE id = $1")
        .bind(Uuid::parse_str(&block.unit_id).unwrap())
        .execute(&pool)
        .await
        .unwrap();
    lived(
        &mut ta_client,
        &pool,
        "Gus",
        (1, false),
        &block,
        ("2025-12-11", None),
    )
    .await;

    let mut returns = ta::returns_service_client::ReturnsServiceClient::new(
        as_role(&accommodation, Role::TaOfficer).await,
    );
    let report = returns
        .produce_management_report(ta::ProduceManagementReportRequest {
            period_start: START.into(),
            period_end: END.into(),
        })
        .await
        .unwrap()
        .into_inner();
    let at_end = "households in TA at the period end";
    let cost = "weekly cost at the period end";
    assert_eq!(
        figures_of(&report.figures),
        expected(&[
            // On the night of 31 December: Ann and Fay in B&B, Ben and Gus in hostels, Cas
            // leased; Dan left in November.
            (at_end, "bed and breakfast", Some(2), "households"),
            (
                at_end,
                "nightly paid, privately managed, self-contained",
                Some(0),
                "households"
            ),
            (at_end, "hostel", Some(2), "households"),
            (at_end, "private sector leased", Some(1), "households"),
            (
                at_end,
                "local authority or housing association stock",
                Some(0),
                "households"
            ),
            (at_end, "other", Some(0), "households"),
            (at_end, "all types", Some(5), "households"),
            // B&B: 7 × £40 + £300 = £580. Hostels: £210 + £140 = £350. Leased: £250.
            (cost, "bed and breakfast", Some(58_000), "pence"),
            (
                cost,
                "nightly paid, privately managed, self-contained",
                Some(0),
                "pence"
            ),
            (cost, "hostel", Some(35_000), "pence"),
            (cost, "private sector leased", Some(25_000), "pence"),
            (
                cost,
                "local authority or housing association stock",
                Some(0),
                "pence"
            ),
            (cost, "other", Some(0), "pence"),
            (cost, "all types", Some(118_000), "pence"),
            // Ann and Fay; Cas's family was never in B&B.
            ("families in B&B in the period", "", Some(2), "households"),
            // Ann only: Fay reached day 16.
            (
                "families in B&B beyond six weeks in the period",
                "",
                Some(1),
                "households"
            ),
            // The block-booked room: held 1 to 31 December (31 nights), occupied 11 to 31
            // December (21 nights): 10 nights empty at £140 a week, £200.
            ("void nights", "", Some(10), "nights"),
            ("void loss", "", Some(20_000), "pence"),
        ])
    );
    assert_eq!(
        (report.period_start.as_str(), report.period_end.as_str()),
        (START, END)
    );
    let run = report.run.unwrap();
    assert_eq!(run.kind, returns_pb::ReturnKind::ManagementReport as i32);
    assert_eq!(
        run.run_by,
        housing_testkit::oidc::officer(Role::TaOfficer).sub
    );
    assert_eq!(
        (run.period_start.as_str(), run.period_end.as_str()),
        (START, END)
    );
    assert_eq!(run.rows, 18);
    assert!(report.csv.starts_with(
        "section,measure,breakdown,value,unit,note\n\
         temporary accommodation,households in TA at the period end,bed and breakfast,2,households,\n"
    ));

    for (start, end, fields) in bad_periods() {
        let refused = returns
            .produce_management_report(ta::ProduceManagementReportRequest {
                period_start: start.into(),
                period_end: end.into(),
            })
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::InvalidArgument, "{start}..{end}");
        assert_eq!(bad_request_fields(&refused), fields, "{start}..{end}");
    }
    let income = ta::returns_service_client::ReturnsServiceClient::new(
        as_role(&accommodation, Role::IncomeOfficer).await,
    )
    .produce_management_report(ta::ProduceManagementReportRequest {
        period_start: START.into(),
        period_end: END.into(),
    })
    .await
    .unwrap_err();
    assert_eq!(income.code(), Code::PermissionDenied);
    // The one good run, and nothing for the refused ones.
    let runs = returns
        .list_return_runs(ta::ListReturnRunsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .runs;
    assert_eq!(runs.len(), 1);

    accommodation.running.stop().await.unwrap();
}

#[tokio::test]
async fn rent_section_matches_the_borough_worked_out_by_hand() {
    let prefix = unique_prefix();
    let rent = start_rent(servers::nats_url(), &prefix).await;
    let pool = rent.db.pool().await;
    let mut client = RentServiceClient::new(as_role(&rent, Role::IncomeOfficer).await);

    // Three accounts charged from Monday 6 October 2025: £200, £150 and £100 a week.
    let mut accounts = Vec::new();
    for weekly in [20_000, 15_000, 10_000] {
        let mut tx = pool.begin().await.unwrap();
        let account = rent::app::accounts::open(
            &mut tx,
            Uuid::now_v7(),
            None,
            rent::domain::charges::Schedule {
                rent_pence: Pence::new(weekly),
                service_pence: Pence::ZERO,
            },
            date("2025-10-06"),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        accounts.push(account.id.to_string());
    }
    // Two weeks charged to each: £900 in all.
    for week in ["2025-10-06", "2025-10-13"] {
        client
            .run_weekly_charges(rent_pb::RunWeeklyChargesRequest {
                week_start: week.into(),
            })
            .await
            .unwrap();
    }
    let pay = |account: &str, pence: i64, on: &str| rent_pb::RecordPaymentRequest {
        request_id: format!("{account}-{on}"),
        account_id: account.to_owned(),
        amount_pence: pence,
        received_on: on.into(),
        method: rent_pb::PaymentMethod::Tenant as i32,
    };
    // The first two pay in full on 20 October (£700); the third pays nothing in the period.
    client
        .record_payment(pay(&accounts[0], 40_000, "2025-10-20"))
        .await
        .unwrap();
    client
        .record_payment(pay(&accounts[1], 30_000, "2025-10-20"))
        .await
        .unwrap();
    // Two weeks owed on the third: a first letter, as if reviewed on 27 October.
    client
        .review_arrears(rent_pb::ReviewArrearsRequest {
            as_of: "2025-10-27".into(),
        })
        .await
        .unwrap();
    sqlx::query("UPDATE arrears_stage_changes SET decided_at = '2025-10-27T12:00:00Z'")
        .execute(&pool)
        .await
        .unwrap();
    // £50 from the third in January: after the period, so neither collected in it nor off
    // what was owed at its end.
    client
        .record_payment(pay(&accounts[2], 5_000, "2026-01-05"))
        .await
        .unwrap();

    let mut returns = rent_pb::returns_service_client::ReturnsServiceClient::new(
        as_role(&rent, Role::IncomeOfficer).await,
    );
    let report = returns
        .produce_management_report(rent_pb::ProduceManagementReportRequest {
            period_start: START.into(),
            period_end: END.into(),
        })
        .await
        .unwrap()
        .into_inner();
    let accounts_at = "accounts in arrears at the period end";
    let arrears_at = "arrears at the period end";
    assert_eq!(
        figures_of(&report.figures),
        expected(&[
            // 2 × (£200 + £150 + £100).
            ("rent charged", "", Some(90_000), "pence"),
            // £400 + £300.
            ("rent collected", "", Some(70_000), "pence"),
            // 70,000 / 90,000 = 0.77777…: 7,777.8 basis points, rounded to 7,778.
            ("collection rate", "", Some(7_778), "basis_points"),
            (accounts_at, "reminder", Some(0), "accounts"),
            (arrears_at, "reminder", Some(0), "pence"),
            // The third account: £200 owed at the end of December.
            (accounts_at, "first_letter", Some(1), "accounts"),
            (arrears_at, "first_letter", Some(20_000), "pence"),
            (accounts_at, "second_letter", Some(0), "accounts"),
            (arrears_at, "second_letter", Some(0), "pence"),
            (accounts_at, "payment_plan", Some(0), "accounts"),
            (arrears_at, "payment_plan", Some(0), "pence"),
            (accounts_at, "referral", Some(0), "accounts"),
            (arrears_at, "referral", Some(0), "pence"),
        ])
    );
    assert_eq!(
        report.csv,
        "section,measure,breakdown,value,unit,note\n\
         rent,rent charged,,90000,pence,\n\
         rent,rent collected,,70000,pence,\n\
         rent,collection rate,,7778,basis_points,\n\
         rent,accounts in arrears at the period end,reminder,0,accounts,\n\
         rent,arrears at the period end,reminder,0,pence,\n\
         rent,accounts in arrears at the period end,first_letter,1,accounts,\n\
         rent,arrears at the period end,first_letter,20000,pence,\n\
         rent,accounts in arrears at the period end,second_letter,0,accounts,\n\
         rent,arrears at the period end,second_letter,0,pence,\n\
         rent,accounts in arrears at the period end,payment_plan,0,accounts,\n\
         rent,arrears at the period end,payment_plan,0,pence,\n\
         rent,accounts in arrears at the period end,referral,0,accounts,\n\
         rent,arrears at the period end,referral,0,pence,\n"
    );
    let run = report.run.unwrap();
    assert_eq!(
        run.run_by,
        housing_testkit::oidc::officer(Role::IncomeOfficer).sub
    );
    assert_eq!(run.rows, 13);

    // September: nothing charged, so no rate, and the figure says why.
    let september = returns
        .produce_management_report(rent_pb::ProduceManagementReportRequest {
            period_start: "2025-09-01".into(),
            period_end: "2025-09-30".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let rate = &september.figures[2];
    assert_eq!(
        (rate.measure.as_str(), rate.value),
        ("collection rate", None)
    );
    assert_eq!(rate.note, "no rent was charged in the period");

    for (start, end, fields) in bad_periods() {
        let refused = returns
            .produce_management_report(rent_pb::ProduceManagementReportRequest {
                period_start: start.into(),
                period_end: end.into(),
            })
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::InvalidArgument, "{start}..{end}");
        assert_eq!(bad_request_fields(&refused), fields, "{start}..{end}");
    }
    let ta_officer = rent_pb::returns_service_client::ReturnsServiceClient::new(
        as_role(&rent, Role::TaOfficer).await,
    )
    .produce_management_report(rent_pb::ProduceManagementReportRequest {
        period_start: START.into(),
        period_end: END.into(),
    })
    .await
    .unwrap_err();
    assert_eq!(ta_officer.code(), Code::PermissionDenied);
    let runs = returns
        .list_return_runs(rent_pb::ListReturnRunsRequest {
            kind: returns_pb::ReturnKind::ManagementReport as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .runs;
    assert_eq!(runs.len(), 2, "December's and September's");

    rent.running.stop().await.unwrap();
}

/// A home the partner reports empty today.
async fn vacancy(partner: &mut PartnerServiceClient<Channel>, n: usize) -> noms::Vacancy {
    partner
        .report_vacancy(noms::ReportVacancyRequest {
            request_id: format!("v-{n}"),
            vacancy: Some(noms::Vacancy {
                address: format!("{n} Mill Lane"),
                area: "north".into(),
                bedrooms: 2,
                property_type: "flat".into(),
                weekly_rent_pence: 14_000,
                available_from: format_date(today()),
                void_start: format_date(today()),
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_inner()
        .vacancy
        .unwrap()
}

/// A nomination to `vacancy` as the council makes one (the register's checks aside).
async fn nominate(
    pool: &housing_platform::db::Pool,
    vacancy: &noms::Vacancy,
    status: &str,
    homeless: bool,
) -> String {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO nominations (id, vacancy_id, partner_id, application_id, application_reference,
                                  band, status, respond_by, nominated_by, nominated_at, homeless)
         SELECT $1, v.id, v.partner_id, $3, 'REG-0000001', 'B', $4, current_date + 5, 'officer',
                now(), $5
         FROM vacancies v WHERE v.id = $2",
    )
    .bind(id)
    .bind(Uuid::parse_str(&vacancy.vacancy_id).unwrap())
    .bind(Uuid::now_v7())
    .bind(status)
    .bind(homeless)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("UPDATE vacancies SET status = 'nominated' WHERE id = $1")
        .bind(Uuid::parse_str(&vacancy.vacancy_id).unwrap())
        .execute(pool)
        .await
        .unwrap();
    id.to_string()
}

#[tokio::test]
async fn lettings_section_matches_the_borough_worked_out_by_hand() {
    let prefix = unique_prefix();
    let nats = servers::nats_url();
    let register = start_register(nats, &prefix).await;
    let nominations = start_nominations(nats, &prefix, &register, &[]).await;
    let pool = nominations.db.pool().await;
    let mut manager = NominationsServiceClient::new(as_role(&nominations, Role::Manager).await);
    // A housing association whose name a spreadsheet would take for a formula, and the
    // council's own homes.
    let barnes = "=Barnes, \"Riverside\" Homes";
    for (name, council_stock, certificate) in [
        (barnes, false, "barnes"),
        ("Example Borough Council", true, "council"),
    ] {
        manager
            .create_partner(noms::CreatePartnerRequest {
                request_id: certificate.into(),
                name: name.into(),
                response_days: 5,
                nomination_share_percent: 50,
                council_stock,
                client_certificate_pem: nominations.pki().certificate(certificate),
            })
            .await
            .unwrap();
    }
    let mut association = PartnerServiceClient::new(as_partner(&nominations, "barnes").await);
    let mut council = PartnerServiceClient::new(as_partner(&nominations, "council").await);
    let v1 = vacancy(&mut council, 1).await;
    let v2 = vacancy(&mut association, 2).await;
    let v3 = vacancy(&mut association, 3).await;
    let v4 = vacancy(&mut association, 4).await;
    let v5 = vacancy(&mut association, 5).await;
    let v6 = vacancy(&mut association, 6).await;
    let mut officer =
        NominationsServiceClient::new(as_role(&nominations, Role::AllocationsOfficer).await);
    // The second home is advertised: its let is choice-based.
    officer
        .create_advert(noms::CreateAdvertRequest {
            request_id: "advert-2".into(),
            vacancy_id: v2.vacancy_id.clone(),
            closes_on: format_date(today() + chrono::Days::new(7)),
            ..Default::default()
        })
        .await
        .unwrap();

    // Each let as if it happened then: (the council's home?, vacancy, homeless, void start,
    // tenancy start).
    let lets = [
        // The council's home to a homeless household: void 1 October, let 21 October, 20
        // days.
        (true, &v1, true, "2025-10-01", "2025-10-21"),
        // Barnes's advertised home: 10 October to 19 November, 40 days.
        (false, &v2, false, "2025-10-10", "2025-11-19"),
        // Barnes's: 6 November to 1 December, 25 days.
        (false, &v3, false, "2025-11-06", "2025-12-01"),
        // Barnes's, let in January: after the period.
        (false, &v4, false, "2025-12-20", "2026-01-10"),
    ];
    for (council_home, vacancy, homeless, void_start, tenancy) in lets {
        let nomination = nominate(&pool, vacancy, "accepted", homeless).await;
        let partner = if council_home {
            &mut council
        } else {
            &mut association
        };
        partner
            .report_letting(noms::ReportLettingRequest {
                nomination_id: nomination.clone(),
                tenancy_start_date: format_date(today()),
                weekly_rent_pence: 14_000,
                details: None,
            })
            .await
            .unwrap();
        sqlx::query(
            "UPDATE lettings SET void_start = $2, tenancy_start_date = $3 WHERE nomination_id = $1",
        )
        .bind(Uuid::parse_str(&nomination).unwrap())
        .bind(date(void_start))
        .bind(date(tenancy))
        .execute(&pool)
        .await
        .unwrap();
    }
    // Two offers refused: one on 15 November for where the home is, one today (after the
    // period) for its size.
    for (vacancy, reason, on) in [
        (
            &v5,
            noms::RefusalReason::Location,
            Some("2025-11-15T12:00:00Z"),
        ),
        (&v6, noms::RefusalReason::Size, None),
    ] {
        let nomination = nominate(&pool, vacancy, "pending", false).await;
        officer
            .record_refusal(noms::RecordRefusalRequest {
                nomination_id: nomination.clone(),
                reason: reason as i32,
                interview_notes: "said no at the viewing".into(),
                final_offer: false,
                suitable: false,
                suitability_reasons: "not a final offer".into(),
            })
            .await
            .unwrap();
        if let Some(on) = on {
            sqlx::query(
                "UPDATE refusals SET decided_at = $2::timestamptz WHERE nomination_id = $1",
            )
            .bind(Uuid::parse_str(&nomination).unwrap())
            .bind(on)
            .execute(&pool)
            .await
            .unwrap();
        }
    }

    let mut returns = noms::returns_service_client::ReturnsServiceClient::new(
        as_role(&nominations, Role::AllocationsOfficer).await,
    );
    let produced = returns
        .produce_management_report(noms::ProduceManagementReportRequest {
            period_start: START.into(),
            period_end: END.into(),
        })
        .await
        .unwrap()
        .into_inner();
    let void_to_let = "days from void to let";
    assert_eq!(
        figures_of(&produced.figures),
        expected(&[
            // October, November and December's three; January's is not in the period.
            ("lets", "", Some(3), "lets"),
            (
                "lets by referral source",
                "local_authority_housing_register",
                Some(1),
                "lets"
            ),
            (
                "lets by referral source",
                "nominated_by_local_authority",
                Some(2),
                "lets"
            ),
            ("lets by route", "choice-based", Some(1), "lets"),
            ("lets by route", "direct", Some(2), "lets"),
            ("lets by landlord", barnes, Some(2), "lets"),
            (
                "lets by landlord",
                "Example Borough Council",
                Some(1),
                "lets"
            ),
            ("lets to homeless households", "", Some(1), "lets"),
            (void_to_let, "lets", Some(3), "lets"),
            // 20 + 40 + 25 = 85; 85 / 3 = 28.3, so 28; the middle of 20, 25, 40 is 25.
            (void_to_let, "total", Some(85), "days"),
            (void_to_let, "mean", Some(28), "days"),
            (void_to_let, "median", Some(25), "days"),
            // Today's refusal is after the period.
            ("refusals by reason", "location", Some(1), "refusals"),
            ("refusals by reason", "all reasons", Some(1), "refusals"),
        ])
    );
    // The landlord's name is quoted for its comma and quotes, and kept from being run as a
    // formula.
    assert_eq!(
        produced.csv,
        "section,measure,breakdown,value,unit,note\n\
         lettings,lets,,3,lets,\n\
         lettings,lets by referral source,local_authority_housing_register,1,lets,\n\
         lettings,lets by referral source,nominated_by_local_authority,2,lets,\n\
         lettings,lets by route,choice-based,1,lets,\n\
         lettings,lets by route,direct,2,lets,\n\
         lettings,lets by landlord,\"'=Barnes, \"\"Riverside\"\" Homes\",2,lets,\n\
         lettings,lets by landlord,Example Borough Council,1,lets,\n\
         lettings,lets to homeless households,,1,lets,\n\
         lettings,days from void to let,lets,3,lets,\n\
         lettings,days from void to let,total,85,days,\n\
         lettings,days from void to let,mean,28,days,\n\
         lettings,days from void to let,median,25,days,\n\
         lettings,refusals by reason,location,1,refusals,\n\
         lettings,refusals by reason,all reasons,1,refusals,\n"
    );
    let run = produced.run.unwrap();
    assert_eq!(run.kind, returns_pb::ReturnKind::ManagementReport as i32);
    assert_eq!(
        run.run_by,
        housing_testkit::oidc::officer(Role::AllocationsOfficer).sub
    );
    assert_eq!(run.rows, 14);

    for (start, end, fields) in bad_periods() {
        let refused = returns
            .produce_management_report(noms::ProduceManagementReportRequest {
                period_start: start.into(),
                period_end: end.into(),
            })
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::InvalidArgument, "{start}..{end}");
        assert_eq!(bad_request_fields(&refused), fields, "{start}..{end}");
    }
    let income = noms::returns_service_client::ReturnsServiceClient::new(
        as_role(&nominations, Role::IncomeOfficer).await,
    )
    .produce_management_report(noms::ProduceManagementReportRequest {
        period_start: START.into(),
        period_end: END.into(),
    })
    .await
    .unwrap_err();
    assert_eq!(income.code(), Code::PermissionDenied);

    nominations.running.stop().await.unwrap();
    register.running.stop().await.unwrap();
}
