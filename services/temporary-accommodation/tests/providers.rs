//! Providers listed a page at a time, on real PostgreSQL and NATS: in the order they were
//! registered, each with its agreements, found by part of the name, and read by whoever may
//! read a provider.

mod common;

use common::*;
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_proto::accommodation::v1 as pb;
use tonic::Code;

async fn create(client: &mut Client, name: &str) -> String {
    client
        .create_provider(pb::CreateProviderRequest {
            request_id: format!("provider-{name}"),
            name: name.into(),
            contact_email: "bookings@provider.example".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .provider
        .unwrap()
        .provider_id
}

fn names(page: &pb::ListProvidersResponse) -> Vec<&str> {
    page.providers.iter().map(|p| p.name.as_str()).collect()
}

#[tokio::test]
async fn providers_are_listed_a_page_at_a_time_and_found_by_name() {
    let mut h = start().await;
    let riverside = create(&mut h.client, "Riverside Nightly").await;
    create(&mut h.client, "Greenway Leasing").await;
    h.client
        .add_agreement(pb::AddAgreementRequest {
            provider_id: riverside.clone(),
            agreement: Some(pb::Agreement {
                kind: pb::AgreementKind::BlockBooking as i32,
                reference: "RN-2026-01".into(),
                starts_on: "2026-01-01".into(),
                ends_on: "2027-01-01".into(),
                ..Default::default()
            }),
        })
        .await
        .unwrap();

    let first = h
        .client
        .list_providers(pb::ListProvidersRequest {
            page_size: 2,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(&first), ["Harbour Lettings", "Riverside Nightly"]);
    assert_eq!(
        first.providers[1].agreements.len(),
        1,
        "with its agreements"
    );
    assert_eq!(first.providers[1].agreements[0].reference, "RN-2026-01");
    assert!(first.providers[0].agreements.is_empty());
    let rest = h
        .client
        .list_providers(pb::ListProvidersRequest {
            page_size: 2,
            page_token: first.next_page_token,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(&rest), ["Greenway Leasing"]);
    assert!(rest.next_page_token.is_empty(), "the last page");

    // Part of the name, in any case; a wildcard is only a character.
    let found = h
        .client
        .list_providers(pb::ListProvidersRequest {
            name_contains: " nightly ".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(&found), ["Riverside Nightly"]);
    let none = h
        .client
        .list_providers(pb::ListProvidersRequest {
            name_contains: "%".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(none.providers.is_empty());

    let forged = h
        .client
        .list_providers(pb::ListProvidersRequest {
            page_token: "not-a-token".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(forged.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&forged), ["page_token"]);

    // Whoever may read a provider may list them; a register assistant may not.
    let mut income = client_as(h.running.addr(), Role::IncomeOfficer).await;
    let listed = income
        .list_providers(pb::ListProvidersRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.providers.len(), 3);
    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    let refused = assistant
        .list_providers(pb::ListProvidersRequest::default())
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    h.running.stop().await.unwrap();
}
