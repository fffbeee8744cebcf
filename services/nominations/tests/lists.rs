//! The officers' lists of vacancies and nominations, on real PostgreSQL and NATS: each
//! filter, the order, pages, bad filters and tokens, and who may read them.

mod common;

use chrono::{DateTime, Days, NaiveDate, Utc};
use common::{Harness, partner_client, staff, start};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::paging;
use housing_platform::time::{format_date, today};
use housing_proto::nominations::v1::{self as pb, partner_service_client::PartnerServiceClient};
use tonic::Code;
use tonic::transport::Channel;
use uuid::Uuid;

fn days_ago(days: i64) -> NaiveDate {
    if days >= 0 {
        today() - Days::new(days as u64)
    } else {
        today() + Days::new((-days) as u64)
    }
}

/// A second partner, with a client of its own on the partner port.
async fn hillside(h: &Harness) -> (Uuid, PartnerServiceClient<Channel>) {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO partners (id, name, response_days, created_at) VALUES ($1, 'Hillside Homes', 5, now())",
    )
    .bind(id)
    .execute(&h.pool)
    .await
    .unwrap();
    (id, partner_client(h, id).await)
}

/// A vacancy the partner reports over mutual TLS: available `available` days ago (negative
/// for days to come), its void starting `void` days ago.
async fn report(
    partner: &mut PartnerServiceClient<Channel>,
    request_id: &str,
    available: i64,
    void: i64,
    bedrooms: i32,
) -> pb::Vacancy {
    partner
        .report_vacancy(pb::ReportVacancyRequest {
            request_id: request_id.into(),
            vacancy: Some(pb::Vacancy {
                address: format!("{request_id} Mill Lane"),
                area: "north".into(),
                bedrooms,
                property_type: "flat".into(),
                weekly_rent_pence: 15_000,
                available_from: format_date(days_ago(available)),
                void_start: format_date(days_ago(void)),
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_inner()
        .vacancy
        .unwrap()
}

/// A nomination to `vacancy` as the council makes one (the register's checks aside), made
/// at `at`; a live one marks the vacancy nominated, as nominating does.
async fn nominate(
    h: &Harness,
    vacancy: &str,
    application: Uuid,
    status: &str,
    respond_by: NaiveDate,
    at: DateTime<Utc>,
) -> String {
    let id = Uuid::now_v7();
    let vacancy = Uuid::parse_str(vacancy).unwrap();
    sqlx::query(
        "INSERT INTO nominations (id, vacancy_id, partner_id, application_id, application_reference, band, status,
                                  respond_by, nominated_by, nominated_at)
         SELECT $1, v.id, v.partner_id, $3, 'REG-0000001', 'B', $4, $5, 'officer', $6
         FROM vacancies v WHERE v.id = $2",
    )
    .bind(id)
    .bind(vacancy)
    .bind(application)
    .bind(status)
    .bind(respond_by)
    .bind(at)
    .execute(&h.pool)
    .await
    .unwrap();
    if matches!(status, "pending" | "accepted") {
        sqlx::query("UPDATE vacancies SET status = 'nominated' WHERE id = $1")
            .bind(vacancy)
            .execute(&h.pool)
            .await
            .unwrap();
    }
    id.to_string()
}

type Staff = pb::nominations_service_client::NominationsServiceClient<
    tonic::codegen::InterceptedService<Channel, housing_platform::auth::BearerToken>,
>;

/// Every page of vacancies for `request`: the ids in order, and each page's length.
async fn all_vacancies(
    officer: &mut Staff,
    request: pb::ListVacanciesRequest,
) -> (Vec<String>, Vec<usize>) {
    let (mut ids, mut pages) = (Vec::new(), Vec::new());
    let mut token = String::new();
    loop {
        let page = officer
            .list_vacancies(pb::ListVacanciesRequest {
                page_token: token,
                ..request.clone()
            })
            .await
            .unwrap()
            .into_inner();
        pages.push(page.vacancies.len());
        ids.extend(
            page.vacancies
                .into_iter()
                .map(|s| s.vacancy.unwrap().vacancy_id),
        );
        if page.next_page_token.is_empty() {
            return (ids, pages);
        }
        assert!(pages.len() < 50, "the pages end");
        token = page.next_page_token;
    }
}

/// Every page of nominations for `request`: the ids in order, and each page's length.
async fn all_nominations(
    officer: &mut Staff,
    request: pb::NominationsServiceListNominationsRequest,
) -> (Vec<String>, Vec<usize>) {
    let (mut ids, mut pages) = (Vec::new(), Vec::new());
    let mut token = String::new();
    loop {
        let page = officer
            .list_nominations(pb::NominationsServiceListNominationsRequest {
                page_token: token,
                ..request.clone()
            })
            .await
            .unwrap()
            .into_inner();
        pages.push(page.nominations.len());
        ids.extend(page.nominations.into_iter().map(|n| n.nomination_id));
        if page.next_page_token.is_empty() {
            return (ids, pages);
        }
        assert!(pages.len() < 50, "the pages end");
        token = page.next_page_token;
    }
}

fn ids(vacancies: &[&pb::Vacancy]) -> Vec<String> {
    vacancies.iter().map(|v| v.vacancy_id.clone()).collect()
}

#[tokio::test]
async fn vacancies_are_listed_the_earliest_available_first_by_each_filter_a_page_at_a_time() {
    let h = start().await;
    let mut riverside = partner_client(&h, h.partner).await;
    let (hillside_id, mut hillside) = hillside(&h).await;
    let a = report(&mut riverside, "a", 30, 40, 2).await;
    let b = report(&mut riverside, "b", 20, 25, 1).await;
    let c = report(&mut riverside, "c", -14, -10, 2).await;
    // d's void starts today: it is empty, not pre-void.
    let d = report(&mut riverside, "d", 0, 0, 3).await;
    // Available the same day as b: the id settles which comes first.
    let e = report(&mut riverside, "e", 20, 20, 2).await;
    let f = report(&mut hillside, "f", 25, 30, 2).await;
    let g = report(&mut hillside, "g", -5, -3, 0).await;

    // a is nominated; b was, and the partner turned the nominee down; d is advertised; e
    // is let.
    nominate(
        &h,
        &a.vacancy_id,
        Uuid::now_v7(),
        "pending",
        days_ago(-5),
        Utc::now(),
    )
    .await;
    let turned_down = nominate(
        &h,
        &b.vacancy_id,
        Uuid::now_v7(),
        "pending",
        days_ago(-5),
        Utc::now(),
    )
    .await;
    riverside
        .respond_to_nomination(pb::RespondToNominationRequest {
            nomination_id: turned_down,
            accept: false,
            rejection_reason: "the household's income does not meet our affordability test".into(),
        })
        .await
        .unwrap();
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    officer
        .create_advert(pb::CreateAdvertRequest {
            request_id: "advert-d".into(),
            vacancy_id: d.vacancy_id.clone(),
            closes_on: format_date(days_ago(-7)),
            minimum_age: 0,
            adapted: false,
        })
        .await
        .unwrap();
    let housed = nominate(
        &h,
        &e.vacancy_id,
        Uuid::now_v7(),
        "accepted",
        days_ago(15),
        Utc::now(),
    )
    .await;
    riverside
        .report_letting(pb::ReportLettingRequest {
            nomination_id: housed,
            tenancy_start_date: format_date(today()),
            weekly_rent_pence: 15_000,
            details: None,
        })
        .await
        .unwrap();

    let (b_e, e_b) = if b.vacancy_id < e.vacancy_id {
        (&b, &e)
    } else {
        (&e, &b)
    };
    let in_order = ids(&[&a, &f, b_e, e_b, &d, &g, &c]);

    // Every vacancy, the earliest available first, on one page of the default size.
    let first = officer
        .list_vacancies(pb::ListVacanciesRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(first.next_page_token.is_empty(), "one page holds them all");
    let listed: Vec<String> = first
        .vacancies
        .iter()
        .map(|s| s.vacancy.as_ref().unwrap().vacancy_id.clone())
        .collect();
    assert_eq!(listed, in_order);
    let summary = |id: &str| {
        first
            .vacancies
            .iter()
            .find(|s| s.vacancy.as_ref().unwrap().vacancy_id == id)
            .unwrap()
            .clone()
    };
    let status = |id: &str| summary(id).vacancy.unwrap().status;
    assert_eq!(status(&a.vacancy_id), pb::VacancyStatus::Nominated as i32);
    assert_eq!(status(&b.vacancy_id), pb::VacancyStatus::Open as i32);
    assert_eq!(status(&d.vacancy_id), pb::VacancyStatus::Advertised as i32);
    assert_eq!(status(&e.vacancy_id), pb::VacancyStatus::Let as i32);
    assert_eq!(summary(&a.vacancy_id).partner_name, "Riverside Homes");
    assert_eq!(summary(&f.vacancy_id).partner_name, "Hillside Homes");
    let live: Vec<i32> = [&a, &b, &d, &e]
        .iter()
        .map(|v| summary(&v.vacancy_id).nominations)
        .collect();
    assert_eq!(
        live,
        [1, 0, 0, 1],
        "a rejected nomination is no longer live"
    );
    assert!(summary(&c.vacancy_id).vacancy.unwrap().pre_void);
    assert!(!summary(&a.vacancy_id).vacancy.unwrap().pre_void);
    assert_eq!(summary(&g.vacancy_id).vacancy.unwrap().bedrooms, 0);

    // Pages of two: the same order, nothing missed or repeated, no token after the last.
    let (paged, pages) = all_vacancies(
        &mut officer,
        pb::ListVacanciesRequest {
            page_size: 2,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(paged, in_order);
    assert_eq!(pages, [2, 2, 2, 1]);
    // A page that ends exactly with the list has no token after it.
    let exact = officer
        .list_vacancies(pb::ListVacanciesRequest {
            page_size: 7,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(exact.vacancies.len(), 7);
    assert!(exact.next_page_token.is_empty());

    // Each filter, alone and together; pages under a filter keep to it.
    let cases = [
        (
            "open",
            pb::ListVacanciesRequest {
                status: pb::VacancyStatus::Open as i32,
                ..Default::default()
            },
            vec![&f, &b, &g, &c],
        ),
        (
            "nominated",
            pb::ListVacanciesRequest {
                status: pb::VacancyStatus::Nominated as i32,
                ..Default::default()
            },
            vec![&a],
        ),
        (
            "advertised",
            pb::ListVacanciesRequest {
                status: pb::VacancyStatus::Advertised as i32,
                ..Default::default()
            },
            vec![&d],
        ),
        (
            "let",
            pb::ListVacanciesRequest {
                status: pb::VacancyStatus::Let as i32,
                ..Default::default()
            },
            vec![&e],
        ),
        (
            "hillside's",
            pb::ListVacanciesRequest {
                partner_id: hillside_id.to_string(),
                ..Default::default()
            },
            vec![&f, &g],
        ),
        (
            "riverside's",
            pb::ListVacanciesRequest {
                partner_id: h.partner.to_string(),
                ..Default::default()
            },
            vec![&a, b_e, e_b, &d, &c],
        ),
        (
            "pre-void",
            pb::ListVacanciesRequest {
                pre_void: Some(true),
                ..Default::default()
            },
            vec![&g, &c],
        ),
        (
            "already empty",
            pb::ListVacanciesRequest {
                pre_void: Some(false),
                ..Default::default()
            },
            vec![&a, &f, b_e, e_b, &d],
        ),
        (
            "two bedrooms",
            pb::ListVacanciesRequest {
                bedrooms: Some(2),
                ..Default::default()
            },
            vec![&a, &f, &e, &c],
        ),
        (
            "studios",
            pb::ListVacanciesRequest {
                bedrooms: Some(0),
                ..Default::default()
            },
            vec![&g],
        ),
        (
            "riverside's open, already empty, one bedroom",
            pb::ListVacanciesRequest {
                status: pb::VacancyStatus::Open as i32,
                partner_id: h.partner.to_string(),
                pre_void: Some(false),
                bedrooms: Some(1),
                ..Default::default()
            },
            vec![&b],
        ),
        (
            "open and pre-void",
            pb::ListVacanciesRequest {
                status: pb::VacancyStatus::Open as i32,
                pre_void: Some(true),
                ..Default::default()
            },
            vec![&g, &c],
        ),
        (
            "let and pre-void",
            pb::ListVacanciesRequest {
                status: pb::VacancyStatus::Let as i32,
                pre_void: Some(true),
                ..Default::default()
            },
            vec![],
        ),
    ];
    for (name, request, expected) in cases {
        let expected = ids(&expected);
        let (whole, _) = all_vacancies(&mut officer, request.clone()).await;
        assert_eq!(whole, expected, "{name}");
        let (paged, pages) = all_vacancies(
            &mut officer,
            pb::ListVacanciesRequest {
                page_size: 1,
                ..request
            },
        )
        .await;
        assert_eq!(paged, expected, "{name}, a page at a time");
        assert_eq!(pages.len(), expected.len().max(1), "{name}");
    }
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn nominations_are_listed_the_first_nominated_first_by_each_filter_and_overdue_ones_found() {
    let h = start().await;
    let mut riverside = partner_client(&h, h.partner).await;
    let (_, mut hillside) = hillside(&h).await;
    // Four of riverside's homes and one of hillside's (the fourth).
    let mut homes = Vec::new();
    for n in 0..5 {
        let partner = if n == 3 {
            &mut hillside
        } else {
            &mut riverside
        };
        homes.push(
            report(partner, &format!("home-{n}"), 10, 10, 2)
                .await
                .vacancy_id,
        );
    }
    let (x, y, z) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let at = |hours: u64| Utc::now() - chrono::Duration::hours(hours as i64);
    let same_moment = at(50);
    // Overdue: pending and due before today.
    let n1 = nominate(&h, &homes[0], x, "rejected", days_ago(9), at(100)).await;
    let n2 = nominate(&h, &homes[0], y, "pending", days_ago(2), at(90)).await;
    let n3 = nominate(&h, &homes[1], z, "refused", days_ago(8), at(80)).await;
    let n4 = nominate(&h, &homes[1], x, "pending", days_ago(-3), at(70)).await;
    // Due today is not yet overdue.
    let n5 = nominate(&h, &homes[2], y, "pending", today(), same_moment).await;
    let n6 = nominate(&h, &homes[3], z, "accepted", days_ago(1), same_moment).await;
    let n7 = nominate(&h, &homes[3], x, "withdrawn", days_ago(4), at(20)).await;
    let n8 = nominate(&h, &homes[4], z, "let", days_ago(6), at(10)).await;
    // Nominated at the same moment: the id settles which comes first.
    let (tie_first, tie_second) = if n5 < n6 { (&n5, &n6) } else { (&n6, &n5) };
    let in_order: Vec<String> = [&n1, &n2, &n3, &n4, tie_first, tie_second, &n7, &n8]
        .into_iter()
        .cloned()
        .collect();

    let mut officer = staff(&h, Role::SeniorOfficer).await;
    let first = officer
        .list_nominations(pb::NominationsServiceListNominationsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(first.next_page_token.is_empty());
    let listed: Vec<String> = first
        .nominations
        .iter()
        .map(|n| n.nomination_id.clone())
        .collect();
    assert_eq!(listed, in_order);
    let overdue = &first.nominations[1];
    assert_eq!(overdue.status, pb::NominationStatus::Pending as i32);
    assert_eq!(overdue.respond_by, format_date(days_ago(2)));
    assert_eq!(overdue.vacancy_id, homes[0]);
    assert_eq!(overdue.application_id, y.to_string());
    assert_eq!(overdue.partner_id, h.partner.to_string());

    let (paged, pages) = all_nominations(
        &mut officer,
        pb::NominationsServiceListNominationsRequest {
            page_size: 3,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(paged, in_order);
    assert_eq!(pages, [3, 3, 2]);

    let status = |s: pb::NominationStatus| pb::NominationsServiceListNominationsRequest {
        status: s as i32,
        ..Default::default()
    };
    let cases = [
        (
            "pending",
            status(pb::NominationStatus::Pending),
            vec![&n2, &n4, &n5],
        ),
        (
            "accepted",
            status(pb::NominationStatus::Accepted),
            vec![&n6],
        ),
        (
            "rejected",
            status(pb::NominationStatus::Rejected),
            vec![&n1],
        ),
        ("let", status(pb::NominationStatus::Let), vec![&n8]),
        (
            "withdrawn",
            status(pb::NominationStatus::Withdrawn),
            vec![&n7],
        ),
        ("refused", status(pb::NominationStatus::Refused), vec![&n3]),
        (
            "to the first home",
            pb::NominationsServiceListNominationsRequest {
                vacancy_id: homes[0].clone(),
                ..Default::default()
            },
            vec![&n1, &n2],
        ),
        (
            "to hillside's home",
            pb::NominationsServiceListNominationsRequest {
                vacancy_id: homes[3].clone(),
                ..Default::default()
            },
            vec![&n6, &n7],
        ),
        (
            "of application x",
            pb::NominationsServiceListNominationsRequest {
                application_id: x.to_string(),
                ..Default::default()
            },
            vec![&n1, &n4, &n7],
        ),
        (
            "overdue",
            pb::NominationsServiceListNominationsRequest {
                overdue: Some(true),
                ..Default::default()
            },
            vec![&n2],
        ),
        (
            "not overdue",
            pb::NominationsServiceListNominationsRequest {
                overdue: Some(false),
                ..Default::default()
            },
            vec![&n1, &n3, &n4, tie_first, tie_second, &n7, &n8],
        ),
        (
            "pending, not overdue",
            pb::NominationsServiceListNominationsRequest {
                status: pb::NominationStatus::Pending as i32,
                overdue: Some(false),
                ..Default::default()
            },
            vec![&n4, &n5],
        ),
        (
            "overdue, of application y, to the first home",
            pb::NominationsServiceListNominationsRequest {
                overdue: Some(true),
                application_id: y.to_string(),
                vacancy_id: homes[0].clone(),
                ..Default::default()
            },
            vec![&n2],
        ),
        (
            "overdue and accepted",
            pb::NominationsServiceListNominationsRequest {
                status: pb::NominationStatus::Accepted as i32,
                overdue: Some(true),
                ..Default::default()
            },
            vec![],
        ),
        (
            "of an application never nominated",
            pb::NominationsServiceListNominationsRequest {
                application_id: Uuid::now_v7().to_string(),
                ..Default::default()
            },
            vec![],
        ),
    ];
    for (name, request, expected) in cases {
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        let (whole, _) = all_nominations(&mut officer, request.clone()).await;
        assert_eq!(whole, expected, "{name}");
        let (paged, pages) = all_nominations(
            &mut officer,
            pb::NominationsServiceListNominationsRequest {
                page_size: 1,
                ..request
            },
        )
        .await;
        assert_eq!(paged, expected, "{name}, a page at a time");
        assert_eq!(pages.len(), expected.len().max(1), "{name}");
    }
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn pages_are_25_unless_asked_and_never_more_than_100() {
    let h = start().await;
    sqlx::query(
        "INSERT INTO vacancies (id, partner_id, address, area, bedrooms, property_type, step_free, wheelchair_accessible,
                                weekly_rent_pence, available_from, void_start, status, reported_at)
         SELECT gen_random_uuid(), $1, i || ' Road', 'north', 2, 'flat', false, false, 15000,
                current_date - i, current_date - i, 'nominated', now()
         FROM generate_series(1, 130) AS i",
    )
    .bind(h.partner)
    .execute(&h.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO nominations (id, vacancy_id, partner_id, application_id, application_reference, band, status,
                                  respond_by, nominated_by, nominated_at)
         SELECT gen_random_uuid(), id, partner_id, gen_random_uuid(), 'REG-0000001', 'B', 'pending',
                current_date + 5, 'officer', now() - (current_date - available_from) * interval '1 minute'
         FROM vacancies",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    let mut officer = staff(&h, Role::Manager).await;
    for (page_size, expected) in [(0, 25), (1, 1), (100, 100), (101, 100), (1_000, 100)] {
        let vacancies = officer
            .list_vacancies(pb::ListVacanciesRequest {
                page_size,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(vacancies.vacancies.len(), expected, "{page_size}");
        assert!(!vacancies.next_page_token.is_empty());
        let nominations = officer
            .list_nominations(pb::NominationsServiceListNominationsRequest {
                page_size,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(nominations.nominations.len(), expected, "{page_size}");
        assert!(!nominations.next_page_token.is_empty());
    }
    let (vacancies, pages) = all_vacancies(
        &mut officer,
        pb::ListVacanciesRequest {
            page_size: 1_000,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(pages, [100, 30]);
    let mut distinct = vacancies.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 130);
    let (nominations, pages) = all_nominations(
        &mut officer,
        pb::NominationsServiceListNominationsRequest::default(),
    )
    .await;
    assert_eq!(pages, [25, 25, 25, 25, 25, 5]);
    let mut distinct = nominations.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 130);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn every_bad_filter_and_a_token_from_elsewhere_are_named() {
    let h = start().await;
    for _ in 0..2 {
        common::nomination(&h, "pending").await;
    }
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    let bad = officer
        .list_vacancies(pb::ListVacanciesRequest {
            page_token: "garbage!".into(),
            status: 99,
            partner_id: "riverside".into(),
            bedrooms: Some(11),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&bad),
        ["status", "partner_id", "bedrooms", "page_token"]
    );
    let negative = officer
        .list_vacancies(pb::ListVacanciesRequest {
            bedrooms: Some(-1),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&negative), ["bedrooms"]);
    let bad = officer
        .list_nominations(pb::NominationsServiceListNominationsRequest {
            page_token: "garbage!".into(),
            status: 42,
            vacancy_id: "the flat".into(),
            application_id: "REG-0000001".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&bad),
        ["status", "vacancy_id", "application_id", "page_token"]
    );

    // Each list's token is its own: one from the other list, or one this service never
    // wrote, is refused.
    let vacancies_token = officer
        .list_vacancies(pb::ListVacanciesRequest {
            page_size: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .next_page_token;
    let nominations_token = officer
        .list_nominations(pb::NominationsServiceListNominationsRequest {
            page_size: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .next_page_token;
    assert!(!vacancies_token.is_empty() && !nominations_token.is_empty());
    let far_future = DateTime::from_timestamp(32_503_680_000 * 10, 0).unwrap();
    for token in [
        nominations_token.clone(),
        paging::encode_position("vacancy:2026-02-30:00000000-0000-0000-0000-000000000000"),
        paging::encode_position(&format!("vacancy:1066-10-14:{}", Uuid::now_v7())),
        paging::encode_position("vacancy:"),
    ] {
        let refused = officer
            .list_vacancies(pb::ListVacanciesRequest {
                page_token: token.clone(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::InvalidArgument, "{token}");
        assert_eq!(bad_request_fields(&refused), ["page_token"], "{token}");
    }
    for token in [
        vacancies_token.clone(),
        paging::encode(far_future, Uuid::now_v7()),
        paging::encode_position("1700000000000000:not-an-id"),
    ] {
        let refused = officer
            .list_nominations(pb::NominationsServiceListNominationsRequest {
                page_token: token.clone(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::InvalidArgument, "{token}");
        assert_eq!(bad_request_fields(&refused), ["page_token"], "{token}");
    }
    // And each takes its own list on.
    for (token, expected) in [(vacancies_token, 1), (String::new(), 2)] {
        let listed = officer
            .list_vacancies(pb::ListVacanciesRequest {
                page_token: token,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(listed.vacancies.len(), expected);
    }
    let rest = officer
        .list_nominations(pb::NominationsServiceListNominationsRequest {
            page_token: nominations_token,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rest.nominations.len(), 1);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn only_allocations_staff_read_the_lists() {
    let h = start().await;
    common::nomination(&h, "pending").await;
    for role in [
        Role::RegisterAssistant,
        Role::TaOfficer,
        Role::IncomeOfficer,
    ] {
        let mut client = staff(&h, role).await;
        let vacancies = client
            .list_vacancies(pb::ListVacanciesRequest::default())
            .await
            .unwrap_err();
        assert_eq!(vacancies.code(), Code::PermissionDenied, "{role:?}");
        let nominations = client
            .list_nominations(pb::NominationsServiceListNominationsRequest::default())
            .await
            .unwrap_err();
        assert_eq!(nominations.code(), Code::PermissionDenied, "{role:?}");
    }
    for role in [Role::AllocationsOfficer, Role::SeniorOfficer, Role::Manager] {
        let mut client = staff(&h, role).await;
        let vacancies = client
            .list_vacancies(pb::ListVacanciesRequest::default())
            .await
            .unwrap()
            .into_inner()
            .vacancies;
        assert_eq!(vacancies.len(), 1, "{role:?}");
        let nominations = client
            .list_nominations(pb::NominationsServiceListNominationsRequest::default())
            .await
            .unwrap()
            .into_inner()
            .nominations;
        assert_eq!(nominations.len(), 1, "{role:?}");
    }
    h.running.stop().await.unwrap();
}
