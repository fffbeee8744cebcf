//! Paying providers and looking after units: nightly-paid invoices reconciled against
//! occupied nights, approval for the rent service's payables, void loss of block-booked
//! units, and concerns logged, escalated and actioned. Real PostgreSQL and NATS.

mod common;

use common::*;
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::format_date;
use housing_proto::accommodation::v1 as pb;
use uuid::Uuid;

#[tokio::test]
async fn a_nightly_paid_invoice_is_reconciled_against_occupied_nights_and_its_approval_is_paid() {
    let mut h = start().await;
    let mut nightly = unit(&h.provider_id, pb::UnitType::NightlyPaidSelfContained, 1, 0);
    nightly.nightly_cost_pence = 10_000;
    nightly.block_booked = true;
    let nightly = create_unit(&mut h.client, nightly).await;
    assert_eq!(
        (nightly.nightly_cost_pence, nightly.weekly_cost_pence),
        (10_000, 70_000)
    );
    let request = create_request(&mut h.client, household(false)).await;
    let placement = place(&mut h.client, &request, &nightly, days(0)).await;
    h.client
        .close_placement(pb::ClosePlacementRequest {
            placement_id: placement.placement_id.clone(),
            reason: pb::ClosureReason::MovedOut as i32,
            end_date: format_date(days(5)),
            note: "moved in with family".into(),
        })
        .await
        .unwrap();

    let bad = h
        .client
        .submit_invoice(pb::SubmitInvoiceRequest {
            provider_id: h.provider_id.clone(),
            provider_reference: "INV-1".into(),
            period_start: format_date(days(7)),
            period_end: format_date(days(0)),
            lines: vec![
                pb::InvoiceLine {
                    unit_id: nightly.unit_id.clone(),
                    nights: 7,
                    amount_pence: -1,
                    ..Default::default()
                },
                pb::InvoiceLine {
                    unit_id: "somewhere".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        vec![
            "period_end",
            "lines[0].nights",
            "lines[0].amount_pence",
            "lines[1].unit_id"
        ]
    );
    let unknown = h
        .client
        .submit_invoice(pb::SubmitInvoiceRequest {
            provider_id: h.provider_id.clone(),
            provider_reference: "INV-1".into(),
            period_start: format_date(days(0)),
            period_end: format_date(days(7)),
            lines: vec![pb::InvoiceLine {
                unit_id: Uuid::now_v7().to_string(),
                nights: 7,
                amount_pence: 70_000,
                ..Default::default()
            }],
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&unknown), vec!["lines[0].unit_id"]);
    assert_eq!(count(&h.pool, "invoices").await, 0);

    let invoice = h
        .client
        .submit_invoice(pb::SubmitInvoiceRequest {
            request_id: "inv-1".into(),
            provider_id: h.provider_id.clone(),
            provider_reference: "INV-1".into(),
            period_start: format_date(days(0)),
            period_end: format_date(days(7)),
            lines: vec![pb::InvoiceLine {
                unit_id: nightly.unit_id.clone(),
                nights: 7,
                amount_pence: 70_000,
                ..Default::default()
            }],
        })
        .await
        .unwrap()
        .into_inner()
        .invoice
        .unwrap();
    let line = &invoice.lines[0];
    assert_eq!((line.occupied_nights, line.expected_pence), (5, 50_000));
    assert_eq!(line.difference, "7 nights invoiced; 5 occupied");
    assert_eq!(
        (invoice.invoiced_pence, invoice.expected_pence),
        (70_000, 50_000)
    );

    // An officer checks and submits; paying is a manager's approval.
    let refused = h
        .client
        .approve_invoice(pb::ApproveInvoiceRequest {
            invoice_id: invoice.invoice_id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::PermissionDenied);
    let approved = common::client_as(h.running.addr(), Role::Manager)
        .await
        .approve_invoice(pb::ApproveInvoiceRequest {
            invoice_id: invoice.invoice_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .invoice
        .unwrap();
    assert_eq!(approved.approved_amount_pence, 50_000);
    let paid: Vec<pb::InvoiceApproved> =
        events(&h.pool, "housing.accommodation.invoice.approved.v1").await;
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].amount_pence, 50_000);
    assert_eq!(paid[0].provider_name, "Harbour Lettings");
    assert_eq!(paid[0].provider_reference, "INV-1");
    assert_eq!(paid[0].period_end, format_date(days(7)));

    let voids = h
        .client
        .get_voids(pb::GetVoidsRequest {
            period_start: format_date(days(0)),
            period_end: format_date(days(7)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((voids.void_nights, voids.void_loss_pence), (2, 20_000));
    assert_eq!(voids.units[0].unit_id, nightly.unit_id);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_concern_about_a_unit_is_logged_escalated_and_actioned_with_every_step_kept() {
    let mut h = start().await;
    let flat = create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 26_000),
    )
    .await;
    let bad = h
        .client
        .log_concern(pb::LogConcernRequest {
            unit_id: flat.unit_id.clone(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&bad), vec!["source", "description"]);
    assert_eq!(count(&h.pool, "concerns").await, 0);

    let concern = h
        .client
        .log_concern(pb::LogConcernRequest {
            request_id: "c-1".into(),
            unit_id: flat.unit_id.clone(),
            source: pb::ConcernSource::Neighbour as i32,
            description: "damp spreading through the party wall".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .concern
        .unwrap();
    assert_eq!(concern.status, pb::ConcernStatus::Open as i32);
    for (status, note) in [
        (
            pb::ConcernStatus::Escalated,
            "provider has not replied in 10 days",
        ),
        (pb::ConcernStatus::Actioned, "damp-proof course booked"),
    ] {
        h.client
            .act_on_concern(pb::ActOnConcernRequest {
                concern_id: concern.concern_id.clone(),
                status: status as i32,
                note: note.into(),
            })
            .await
            .unwrap();
    }
    let listed = h
        .client
        .list_concerns(pb::ListConcernsRequest {
            unit_id: flat.unit_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .concerns;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status, pb::ConcernStatus::Actioned as i32);
    let steps: Vec<(i32, &str)> = listed[0]
        .actions
        .iter()
        .map(|a| (a.status, a.note.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (pb::ConcernStatus::Open as i32, "logged"),
            (
                pb::ConcernStatus::Escalated as i32,
                "provider has not replied in 10 days"
            ),
            (
                pb::ConcernStatus::Actioned as i32,
                "damp-proof course booked"
            ),
        ]
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_provider_keeps_its_contacts_and_agreements_and_bad_terms_are_named_field_by_field() {
    let mut h = start().await;
    let bad = h
        .client
        .update_provider(pb::UpdateProviderRequest {
            provider_id: h.provider_id.clone(),
            landlord: true,
            contacts: vec![pb::Contact {
                email: "not an address".into(),
                ..Default::default()
            }],
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        vec!["contacts[0].name", "contacts[0].email"]
    );
    h.client
        .update_provider(pb::UpdateProviderRequest {
            provider_id: h.provider_id.clone(),
            landlord: true,
            contacts: vec![pb::Contact {
                name: "Priya Shah".into(),
                role: "repairs".into(),
                phone: "01233 000111".into(),
                ..Default::default()
            }],
        })
        .await
        .unwrap();

    let backwards = h
        .client
        .add_agreement(pb::AddAgreementRequest {
            provider_id: h.provider_id.clone(),
            agreement: Some(pb::Agreement {
                kind: 0,
                reference: "BB-2026".into(),
                starts_on: format_date(days(30)),
                ends_on: format_date(days(0)),
                ..Default::default()
            }),
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&backwards),
        vec!["agreement.kind", "agreement.ends_on"]
    );
    assert_eq!(count(&h.pool, "agreements").await, 0);
    let agreement = pb::Agreement {
        kind: pb::AgreementKind::BlockBooking as i32,
        reference: "BB-2026".into(),
        starts_on: format_date(days(0)),
        ends_on: format_date(days(365)),
        ..Default::default()
    };
    h.client
        .add_agreement(pb::AddAgreementRequest {
            provider_id: h.provider_id.clone(),
            agreement: Some(agreement.clone()),
        })
        .await
        .unwrap();
    let again = h
        .client
        .add_agreement(pb::AddAgreementRequest {
            provider_id: h.provider_id.clone(),
            agreement: Some(agreement),
        })
        .await
        .unwrap_err();
    assert_eq!(again.code(), tonic::Code::FailedPrecondition);

    let provider = h
        .client
        .get_provider(pb::GetProviderRequest {
            provider_id: h.provider_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .provider
        .unwrap();
    assert!(provider.landlord);
    assert_eq!(provider.contacts[0].name, "Priya Shah");
    assert_eq!(provider.agreements.len(), 1);
    assert_eq!(
        provider.agreements[0].kind,
        pb::AgreementKind::BlockBooking as i32
    );
    h.running.stop().await.unwrap();
}
