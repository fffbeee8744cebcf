//! Officers following adverts, on real PostgreSQL and NATS: the list by stage and in pages,
//! an advert read back when open, closed and let, and hostile requests.

mod common;

use chrono::Days;
use common::{Harness, staff, start};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, today};
use housing_proto::nominations::v1::{self as pb, AdvertStatus};
use tonic::Code;
use uuid::Uuid;

/// An open vacancy of the partner's at `address`.
async fn vacancy(h: &Harness, address: &str) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO vacancies (id, partner_id, address, area, bedrooms, property_type, step_free, wheelchair_accessible,
                                weekly_rent_pence, available_from, void_start, status, reported_at)
         VALUES ($1, $2, $3, 'north', 2, 'flat', false, false, 15000, current_date, current_date, 'open', now())",
    )
    .bind(id)
    .bind(h.partner)
    .bind(address)
    .execute(&h.pool)
    .await
    .unwrap();
    id
}

/// An advert of a new vacancy at `address`, closing `days` from today.
async fn advert(h: &Harness, address: &str, days: u64) -> String {
    let vacancy = vacancy(h, address).await;
    staff(h, Role::AllocationsOfficer)
        .await
        .create_advert(pb::CreateAdvertRequest {
            request_id: Uuid::now_v7().to_string(),
            vacancy_id: vacancy.to_string(),
            closes_on: format_date(today() + Days::new(days)),
            minimum_age: 0,
            adapted: false,
        })
        .await
        .unwrap()
        .into_inner()
        .advert
        .unwrap()
        .advert_id
}

/// Closes `advert` with `ranked` bidders as the register would have ranked them (the
/// harness runs no register), and returns their application ids, best placed first.
async fn close(h: &Harness, advert: &str, ranked: i32) -> Vec<Uuid> {
    staff(h, Role::AllocationsOfficer)
        .await
        .close_advert(pb::CloseAdvertRequest {
            advert_id: advert.to_owned(),
        })
        .await
        .unwrap();
    let advert = Uuid::parse_str(advert).unwrap();
    let mut bidders = Vec::new();
    for position in 1..=ranked {
        let application = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO bids (advert_id, application_id, status, placed_by, placed_at)
             VALUES ($1, $2, 'closed', 'portal', now())",
        )
        .bind(advert)
        .bind(application)
        .execute(&h.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO advert_results (advert_id, position, application_id, reference, band, points, effective_date)
             VALUES ($1, $2, $3, $4, 'A', 0, '2025-01-02')",
        )
        .bind(advert)
        .bind(position)
        .bind(application)
        .bind(format!("REG-000000{position}"))
        .execute(&h.pool)
        .await
        .unwrap();
        bidders.push(application);
    }
    bidders
}

/// Lets the advert's home to `application`, nominated from its result.
async fn let_to(h: &Harness, advert: &str, application: Uuid) {
    let vacancy: Uuid = sqlx::query_scalar("SELECT vacancy_id FROM adverts WHERE id = $1::uuid")
        .bind(advert)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let nomination = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO nominations (id, vacancy_id, partner_id, application_id, application_reference, band, status,
                                  respond_by, nominated_by, nominated_at)
         VALUES ($1, $2, $3, $4, 'REG-0000001', 'A', 'let', current_date + 5, 'officer', now())",
    )
    .bind(nomination)
    .bind(vacancy)
    .bind(h.partner)
    .bind(application)
    .execute(&h.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO lettings (id, nomination_id, vacancy_id, partner_id, application_id, tenancy_start_date,
                               weekly_rent_pence, bedrooms, void_start, referral_source, choice_based, completed_at)
         VALUES ($1, $2, $3, $4, $5, current_date, 15000, 2, current_date, 'choice_based', true, now())",
    )
    .bind(Uuid::now_v7())
    .bind(nomination)
    .bind(vacancy)
    .bind(h.partner)
    .bind(application)
    .execute(&h.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE vacancies SET status = 'let' WHERE id = $1")
        .bind(vacancy)
        .execute(&h.pool)
        .await
        .unwrap();
}

fn ids(page: &pb::ListAdvertsResponse) -> Vec<&String> {
    page.adverts
        .iter()
        .map(|a| &a.advert.as_ref().unwrap().advert_id)
        .collect()
}

#[tokio::test]
async fn adverts_are_listed_by_stage_latest_closing_first_and_read_back_at_each_stage() {
    let h = start().await;
    let open = advert(&h, "1 Open Road", 10).await;
    let closed = advert(&h, "2 Closed Road", 5).await;
    let soon = advert(&h, "3 Soon Road", 3).await;
    let let_ = advert(&h, "4 Let Road", 1).await;
    let ranked = close(&h, &closed, 2).await;
    let housed = close(&h, &let_, 1).await;
    let_to(&h, &let_, housed[0]).await;
    let mut officer = staff(&h, Role::SeniorOfficer).await;

    let list = |status: AdvertStatus, page_size: i32, page_token: String| pb::ListAdvertsRequest {
        page_size,
        page_token,
        status: status as i32,
    };
    let first = officer
        .list_adverts(list(AdvertStatus::Unspecified, 3, String::new()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ids(&first), [&open, &closed, &soon]);
    assert!(!first.next_page_token.is_empty());
    let summary = &first.adverts[0];
    let home = summary.vacancy.as_ref().unwrap();
    assert_eq!(home.vacancy.as_ref().unwrap().address, "1 Open Road");
    assert_eq!(home.partner_name, "Riverside Homes");
    let second = officer
        .list_adverts(list(AdvertStatus::Unspecified, 3, first.next_page_token))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ids(&second), [&let_]);
    assert_eq!(second.next_page_token, "");

    for (status, expected) in [
        (AdvertStatus::Open, vec![&open, &soon]),
        (AdvertStatus::Closed, vec![&closed]),
        (AdvertStatus::Let, vec![&let_]),
    ] {
        let page = officer
            .list_adverts(list(status, 0, String::new()))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(ids(&page), expected, "{status:?}");
        assert!(
            page.adverts
                .iter()
                .all(|a| a.advert.as_ref().unwrap().status() == status)
        );
    }

    let get = |id: &str| pb::GetAdvertRequest {
        advert_id: id.to_owned(),
    };
    let shown = officer.get_advert(get(&open)).await.unwrap().into_inner();
    let advert = shown.advert.unwrap();
    assert_eq!(advert.status(), AdvertStatus::Open);
    assert_eq!(advert.closes_on, format_date(today() + Days::new(10)));
    assert_eq!(advert.bids, 0);
    assert_eq!(
        shown.vacancy.unwrap().vacancy.unwrap().address,
        "1 Open Road"
    );
    assert!(shown.results.is_empty() && shown.letting_result.is_none());

    let shown = officer.get_advert(get(&closed)).await.unwrap().into_inner();
    assert_eq!(shown.advert.unwrap().status(), AdvertStatus::Closed);
    let placed: Vec<_> = shown
        .results
        .iter()
        .map(|r| (r.position, r.application_id.clone()))
        .collect();
    assert_eq!(
        placed,
        [(1, ranked[0].to_string()), (2, ranked[1].to_string())]
    );
    assert!(shown.letting_result.is_none());

    let shown = officer.get_advert(get(&let_)).await.unwrap().into_inner();
    let advert = shown.advert.unwrap();
    assert_eq!((advert.status(), advert.bids), (AdvertStatus::Let, 1));
    assert_eq!(shown.results.len(), 1);
    let published = officer
        .get_letting_result(pb::GetLettingResultRequest {
            advert_id: let_.clone(),
            application_id: String::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .result;
    assert_eq!(shown.letting_result, published);
    assert_eq!(shown.letting_result.unwrap().position, 1);
}

#[tokio::test]
async fn hostile_requests_are_refused_naming_the_field_and_only_officers_read_adverts() {
    let h = start().await;
    let id = advert(&h, "1 Open Road", 10).await;
    vacancy(&h, "2 Spare Road").await;
    let mut officer = staff(&h, Role::AllocationsOfficer).await;

    let refused = officer
        .get_advert(pb::GetAdvertRequest {
            advert_id: "not-a-uuid".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&refused), ["advert_id"]);
    let unknown = officer
        .get_advert(pb::GetAdvertRequest {
            advert_id: Uuid::now_v7().to_string(),
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);

    // A vacancies token names a place in another list (two vacancies, pages of one).
    let vacancies_token = officer
        .list_vacancies(pb::ListVacanciesRequest {
            page_size: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .next_page_token;
    for (request, field) in [
        (
            pb::ListAdvertsRequest {
                page_token: "garbage".into(),
                ..Default::default()
            },
            "page_token",
        ),
        (
            pb::ListAdvertsRequest {
                page_token: vacancies_token,
                ..Default::default()
            },
            "page_token",
        ),
        (
            pb::ListAdvertsRequest {
                page_size: 101,
                ..Default::default()
            },
            "page_size",
        ),
        (
            pb::ListAdvertsRequest {
                status: 9,
                ..Default::default()
            },
            "status",
        ),
    ] {
        let refused = officer.list_adverts(request).await.unwrap_err();
        assert_eq!(refused.code(), Code::InvalidArgument, "{field}");
        assert_eq!(bad_request_fields(&refused), [field]);
    }

    let mut assistant = staff(&h, Role::RegisterAssistant).await;
    let denied = assistant
        .list_adverts(pb::ListAdvertsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    let denied = assistant
        .get_advert(pb::GetAdvertRequest { advert_id: id })
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
}
