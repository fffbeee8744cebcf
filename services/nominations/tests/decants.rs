//! Decants for regeneration: the household's rights recorded, the move taken from its
//! letting, and the home-loss and disturbance payments a manager approves for the rent
//! service to pay. Real PostgreSQL and NATS.

mod common;

use chrono::Days;
use common::{nomination, outbox, partner_client, staff, start};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, today};
use housing_proto::nominations::v1 as pb;
use prost::Message;
use tonic::Code;
use uuid::Uuid;

fn tenant(application: Uuid) -> pb::Decant {
    pb::Decant {
        scheme: "Northside Estate regeneration".into(),
        application_id: application.to_string(),
        payee_name: "Sam Okafor".into(),
        address: "14 Tower Block, Northside".into(),
        tenure: pb::DecantTenure::Tenant as i32,
        occupied_since: format_date(today() - Days::new(800)),
        right_to_return: true,
        ..Default::default()
    }
}

fn item(description: &str, amount_pence: i64) -> pb::DisturbanceItem {
    pb::DisturbanceItem {
        description: description.into(),
        amount_pence,
    }
}

#[tokio::test]
async fn a_decanted_tenant_is_paid_home_loss_and_disturbance_after_moving_on_a_managers_approval() {
    let h = start().await;
    let mut senior = staff(&h, Role::SeniorOfficer).await;
    let mut manager = staff(&h, Role::Manager).await;
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    let application = Uuid::now_v7();
    let create = |request_id: &str, decant: pb::Decant| pb::CreateDecantRequest {
        request_id: request_id.into(),
        decant: Some(decant),
    };

    let bad = senior
        .create_decant(create(
            "bad",
            pb::Decant {
                scheme: " ".into(),
                address: String::new(),
                application_id: "nobody".into(),
                occupied_since: format_date(today() + Days::new(1)),
                market_value_pence: 5,
                ..tenant(application)
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&bad),
        vec![
            "decant.scheme",
            "decant.address",
            "decant.application_id",
            "decant.occupied_since",
            "decant.market_value_pence"
        ]
    );
    let refused = officer
        .create_decant(create("d-1", tenant(application)))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM decants")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);

    let decant = senior
        .create_decant(create("d-1", tenant(application)))
        .await
        .unwrap()
        .into_inner()
        .decant
        .unwrap();
    assert_eq!(decant.status, pb::DecantStatus::AwaitingMove as i32);
    assert!(decant.right_to_return);
    let twice = senior
        .create_decant(create("d-2", tenant(application)))
        .await
        .unwrap_err();
    assert_eq!(twice.code(), Code::FailedPrecondition);
    let approve = |items: Vec<pb::DisturbanceItem>| pb::ApproveDecantPaymentsRequest {
        decant_id: decant.decant_id.clone(),
        disturbance: items,
    };
    let early = manager
        .approve_decant_payments(approve(vec![]))
        .await
        .unwrap_err();
    assert_eq!(
        early.code(),
        Code::FailedPrecondition,
        "{}",
        early.message()
    );

    // The household is rehoused by a decant offer; the letting is its move.
    let offer = nomination(&h, "accepted").await;
    sqlx::query("UPDATE nominations SET application_id = $2, offer_kind = 'decant' WHERE id = $1")
        .bind(offer)
        .bind(application)
        .execute(&h.pool)
        .await
        .unwrap();
    partner_client(&h, h.partner)
        .await
        .report_letting(pb::ReportLettingRequest {
            nomination_id: offer.to_string(),
            tenancy_start_date: format_date(today()),
            weekly_rent_pence: 15_000,
            details: None,
        })
        .await
        .unwrap();
    let moved = officer
        .get_decant(pb::GetDecantRequest {
            decant_id: decant.decant_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .decant
        .unwrap();
    assert_eq!(moved.status, pb::DecantStatus::Moved as i32);
    assert_eq!(moved.moved_on, format_date(today()));

    let claim = vec![
        item("removals", 45_000),
        item("reconnecting the cooker", 20_000),
    ];
    let officer_approval = officer
        .approve_decant_payments(approve(claim.clone()))
        .await
        .unwrap_err();
    assert_eq!(officer_approval.code(), Code::PermissionDenied);
    let bad_claim = manager
        .approve_decant_payments(approve(vec![item("removals", 45_000), item(" ", 0)]))
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad_claim),
        vec!["disturbance[1].description", "disturbance[1].amount_pence"]
    );
    let paid = manager
        .approve_decant_payments(approve(claim.clone()))
        .await
        .unwrap()
        .into_inner()
        .decant
        .unwrap();
    assert_eq!(paid.status, pb::DecantStatus::PaymentsApproved as i32);
    assert_eq!(
        (paid.home_loss_pence, paid.disturbance_pence),
        (810_000, 65_000)
    );
    assert!(paid.home_loss_reason.contains("a tenant of a year or more"));
    assert_eq!(paid.rules_version, "example-2026");
    assert_eq!(
        paid.approved_by,
        housing_testkit::oidc::officer(Role::Manager).sub
    );
    let again = manager
        .approve_decant_payments(approve(claim))
        .await
        .unwrap_err();
    assert_eq!(again.code(), Code::FailedPrecondition);

    let events = outbox(&h.pool, "housing.nominations.decant.payments_approved.v1").await;
    assert_eq!(events.len(), 1, "approved once, paid once");
    let event = pb::DecantPaymentsApproved::decode(events[0].as_slice()).unwrap();
    assert_eq!(event.payee_name, "Sam Okafor");
    assert_eq!(
        (event.home_loss_pence, event.disturbance_pence),
        (810_000, 65_000)
    );
    h.running.stop().await.unwrap();
}
