//! Partners' agreements and vacancies after they are made, over gRPC on real PostgreSQL:
//! the council lists and updates partners; a partner corrects an open vacancy or takes it
//! back, and never one nominated to.

mod common;

use common::{nomination, partner_client, staff, start};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, today};
use housing_proto::nominations::v1 as pb;
use tonic::Code;

fn flat() -> pb::Vacancy {
    pb::Vacancy {
        address: "Flat 4, 9 Canal Walk".into(),
        area: "north".into(),
        bedrooms: 2,
        property_type: "flat".into(),
        weekly_rent_pence: 16_000,
        available_from: format_date(today()),
        void_start: format_date(today()),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_partner_corrects_an_open_vacancy_or_withdraws_it_but_never_one_nominated_to() {
    let h = start().await;
    let mut partner = partner_client(&h, h.partner).await;
    let reported = partner
        .report_vacancy(pb::ReportVacancyRequest {
            request_id: "canal-walk".into(),
            vacancy: Some(flat()),
        })
        .await
        .unwrap()
        .into_inner()
        .vacancy
        .unwrap();

    let bad = partner
        .amend_vacancy(pb::AmendVacancyRequest {
            vacancy_id: reported.vacancy_id.clone(),
            vacancy: Some(pb::Vacancy {
                bedrooms: 11,
                address: " ".into(),
                ..flat()
            }),
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        vec!["vacancy.address", "vacancy.bedrooms"]
    );
    // A bad id and bad fields are named together, not one at a time.
    let worse = partner
        .amend_vacancy(pb::AmendVacancyRequest {
            vacancy_id: "not-an-id".into(),
            vacancy: Some(pb::Vacancy {
                bedrooms: 11,
                ..flat()
            }),
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&worse),
        vec!["vacancy_id", "vacancy.bedrooms"]
    );
    let amended = partner
        .amend_vacancy(pb::AmendVacancyRequest {
            vacancy_id: reported.vacancy_id.clone(),
            vacancy: Some(pb::Vacancy {
                weekly_rent_pence: 15_500,
                step_free: true,
                ..flat()
            }),
        })
        .await
        .unwrap()
        .into_inner()
        .vacancy
        .unwrap();
    assert_eq!(amended.weekly_rent_pence, 15_500);
    assert!(amended.step_free);
    assert_eq!(amended.status, pb::VacancyStatus::Open as i32);

    let unexplained = partner
        .withdraw_vacancy(pb::WithdrawVacancyRequest {
            vacancy_id: reported.vacancy_id.clone(),
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&unexplained), vec!["reason"]);
    let withdrawn = partner
        .withdraw_vacancy(pb::WithdrawVacancyRequest {
            vacancy_id: reported.vacancy_id.clone(),
            reason: "the tenant withdrew their notice".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .vacancy
        .unwrap();
    assert_eq!(withdrawn.status, pb::VacancyStatus::Withdrawn as i32);
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    let open = officer
        .list_vacancies(pb::ListVacanciesRequest {
            status: pb::VacancyStatus::Open as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .vacancies;
    assert!(
        open.is_empty(),
        "a withdrawn vacancy is not offered: {open:?}"
    );
    let again = partner
        .amend_vacancy(pb::AmendVacancyRequest {
            vacancy_id: reported.vacancy_id.clone(),
            vacancy: Some(flat()),
        })
        .await
        .unwrap_err();
    assert_eq!(again.code(), Code::FailedPrecondition);

    // A vacancy someone is nominated to is answered, not withdrawn.
    let nominated = nomination(&h, "pending").await;
    let vacancy_id: uuid::Uuid =
        sqlx::query_scalar("SELECT vacancy_id FROM nominations WHERE id = $1")
            .bind(nominated)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let refused = partner
        .withdraw_vacancy(pb::WithdrawVacancyRequest {
            vacancy_id: vacancy_id.to_string(),
            reason: "sold".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn the_council_lists_partners_and_a_manager_updates_an_agreement() {
    let h = start().await;
    let mut manager = staff(&h, Role::Manager).await;
    for (name, days) in [("Oak Housing", 10), ("Birch Homes", 7)] {
        manager
            .create_partner(pb::CreatePartnerRequest {
                request_id: name.into(),
                name: name.into(),
                response_days: days,
                nomination_share_percent: 50,
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let first = manager
        .list_partners(pb::ListPartnersRequest {
            page_size: 2,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let names: Vec<&str> = first.partners.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["Birch Homes", "Oak Housing"]);
    let rest = manager
        .list_partners(pb::ListPartnersRequest {
            page_size: 2,
            page_token: first.next_page_token,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rest.partners[0].name, "Riverside Homes");
    assert!(rest.next_page_token.is_empty());

    let bad = manager
        .update_partner(pb::UpdatePartnerRequest {
            partner_id: "oak".into(),
            name: String::new(),
            response_days: 0,
            nomination_share_percent: 50,
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        vec!["partner_id", "name", "response_days"]
    );
    let oak = &first.partners[1];
    let updated = manager
        .update_partner(pb::UpdatePartnerRequest {
            partner_id: oak.partner_id.clone(),
            name: "Oak Housing Association".into(),
            response_days: 5,
            nomination_share_percent: 75,
        })
        .await
        .unwrap()
        .into_inner()
        .partner
        .unwrap();
    assert_eq!(
        (
            updated.name.as_str(),
            updated.response_days,
            updated.nomination_share_percent
        ),
        ("Oak Housing Association", 5, 75)
    );
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    let denied = officer
        .update_partner(pb::UpdatePartnerRequest {
            partner_id: oak.partner_id.clone(),
            name: "Oak".into(),
            response_days: 5,
            nomination_share_percent: 75,
        })
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    h.running.stop().await.unwrap();
}
