//! Providers' invoices read back: a manager's queue of those awaiting approval, oldest
//! first, a page at a time, and one invoice with its reconciled lines. Real PostgreSQL and
//! NATS.

mod common;

use common::*;
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::format_date;
use housing_proto::accommodation::v1 as pb;
use tonic::Code;
use uuid::Uuid;

/// A nightly-paid unit of `provider_id` at £100 a night.
async fn nightly_unit(client: &mut Client, provider_id: &str) -> pb::Unit {
    let mut u = unit(provider_id, pb::UnitType::NightlyPaidSelfContained, 1, 0);
    u.nightly_cost_pence = 10_000;
    create_unit(client, u).await
}

/// The provider's invoice `reference` for seven nights in `unit` at £110 a night.
async fn submit(client: &mut Client, unit: &pb::Unit, reference: &str) -> pb::Invoice {
    client
        .submit_invoice(pb::SubmitInvoiceRequest {
            request_id: reference.into(),
            provider_id: unit.provider_id.clone(),
            provider_reference: reference.into(),
            period_start: format_date(days(0)),
            period_end: format_date(days(7)),
            lines: vec![pb::InvoiceLine {
                unit_id: unit.unit_id.clone(),
                nights: 7,
                amount_pence: 77_000,
                ..Default::default()
            }],
        })
        .await
        .unwrap()
        .into_inner()
        .invoice
        .unwrap()
}

async fn list(client: &mut Client, request: pb::ListInvoicesRequest) -> pb::ListInvoicesResponse {
    client.list_invoices(request).await.unwrap().into_inner()
}

fn references(invoices: &[pb::Invoice]) -> Vec<&str> {
    invoices
        .iter()
        .map(|i| i.provider_reference.as_str())
        .collect()
}

#[tokio::test]
async fn invoices_are_listed_oldest_first_by_state_and_provider_and_read_one_by_one() {
    let mut h = start().await;
    let harbour = nightly_unit(&mut h.client, &h.provider_id.clone()).await;
    let other = h
        .client
        .create_provider(pb::CreateProviderRequest {
            request_id: "provider-2".into(),
            name: "Downs Nightly".into(),
            contact_email: "accounts@downs.example".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .provider
        .unwrap();
    let downs = nightly_unit(&mut h.client, &other.provider_id).await;
    let request = create_request(&mut h.client, household(false)).await;
    place(&mut h.client, &request, &harbour, days(0)).await;

    let paid = submit(&mut h.client, &harbour, "H-1").await;
    submit(&mut h.client, &downs, "D-1").await;
    let waiting = submit(&mut h.client, &harbour, "H-2").await;
    common::client_as(h.running.addr(), Role::Manager)
        .await
        .approve_invoice(pb::ApproveInvoiceRequest {
            invoice_id: paid.invoice_id.clone(),
        })
        .await
        .unwrap();

    let mut manager = client_as(h.running.addr(), Role::Manager).await;
    let queue = list(
        &mut manager,
        pb::ListInvoicesRequest {
            status: pb::InvoiceStatus::AwaitingApproval as i32,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(references(&queue.invoices), ["D-1", "H-2"]);
    assert!(queue.next_page_token.is_empty());
    let first = &queue.invoices[0];
    assert_eq!(first.provider_name, "Downs Nightly");
    assert_eq!(first.status(), pb::InvoiceStatus::AwaitingApproval);
    assert!(first.submitted_at.is_some() && first.approved_at.is_none());
    assert_eq!(
        (first.lines[0].nights, first.lines[0].occupied_nights),
        (7, 0)
    );

    let approved = list(
        &mut manager,
        pb::ListInvoicesRequest {
            status: pb::InvoiceStatus::Approved as i32,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(references(&approved.invoices), ["H-1"]);
    assert_eq!(approved.invoices[0].status(), pb::InvoiceStatus::Approved);
    assert!(approved.invoices[0].approved_at.is_some());
    let harbours = list(
        &mut h.client,
        pb::ListInvoicesRequest {
            provider_id: h.provider_id.clone(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(references(&harbours.invoices), ["H-1", "H-2"]);

    let mut pages = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = list(
            &mut manager,
            pb::ListInvoicesRequest {
                page_size: 2,
                page_token,
                ..Default::default()
            },
        )
        .await;
        assert!(page.invoices.len() <= 2);
        pages.extend(page.invoices);
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    assert_eq!(references(&pages), ["H-1", "D-1", "H-2"]);

    let got = manager
        .get_invoice(pb::GetInvoiceRequest {
            invoice_id: waiting.invoice_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .invoice
        .unwrap();
    assert_eq!(got.provider_name, "Harbour Lettings");
    assert_eq!(got.lines, waiting.lines);
    assert_eq!((got.invoiced_pence, got.expected_pence), (77_000, 70_000));
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn hostile_reads_are_named_unknown_invoices_not_found_and_other_roles_refused() {
    let mut h = start().await;
    let bad = h
        .client
        .list_invoices(pb::ListInvoicesRequest {
            page_size: 10,
            page_token: "not-a-token".into(),
            status: 99,
            provider_id: "harbour".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        vec!["page_token", "status", "provider_id"]
    );
    let bad = h
        .client
        .get_invoice(pb::GetInvoiceRequest {
            invoice_id: "'; DROP TABLE invoices; --".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&bad), vec!["invoice_id"]);
    let missing = h
        .client
        .get_invoice(pb::GetInvoiceRequest {
            invoice_id: Uuid::now_v7().to_string(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);

    let mut income = client_as(h.running.addr(), Role::IncomeOfficer).await;
    let refused = income
        .list_invoices(pb::ListInvoicesRequest::default())
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let refused = income
        .get_invoice(pb::GetInvoiceRequest {
            invoice_id: Uuid::now_v7().to_string(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    h.running.stop().await.unwrap();
}
