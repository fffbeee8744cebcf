//! Amounts no unit could cost and no household could pay: refused by name when a client
//! sends them, and reckoned with, or refused clearly, when a unit already stored has one.
//! Real PostgreSQL and NATS.

mod common;

use common::*;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::format_date;
use housing_proto::accommodation::v1 as pb;
use tonic::Code;
use uuid::Uuid;

const TWO_TO_THE_62: i64 = 4_611_686_018_427_387_904;

async fn voids(client: &mut Client, nights: u64) -> Result<pb::GetVoidsResponse, tonic::Status> {
    client
        .get_voids(pb::GetVoidsRequest {
            period_start: format_date(days(0)),
            period_end: format_date(days(nights)),
        })
        .await
        .map(tonic::Response::into_inner)
}

fn invoice(provider_id: &str, request_id: &str, line: pb::InvoiceLine) -> pb::SubmitInvoiceRequest {
    pb::SubmitInvoiceRequest {
        request_id: request_id.into(),
        provider_id: provider_id.into(),
        provider_reference: request_id.into(),
        period_start: format_date(days(0)),
        period_end: format_date(days(7)),
        lines: vec![line],
    }
}

#[tokio::test]
async fn unit_costs_out_of_range_are_refused_by_name_and_nothing_is_stored() {
    let mut h = start().await;
    let block = |weekly: i64, nightly: i64| {
        let mut u = unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 2, weekly);
        u.nightly_cost_pence = nightly;
        u.weekly_rent_pence = 15_000;
        u.block_booked = true;
        u
    };
    let mut charges = block(30_000, 0);
    charges.weekly_rent_pence = 2_500_001;
    charges.weekly_service_charge_pence = -1;
    let cases = [
        (block(TWO_TO_THE_62, 0), vec!["unit.weekly_cost_pence"]),
        (block(0, TWO_TO_THE_62), vec!["unit.nightly_cost_pence"]),
        (
            block(i64::MAX, i64::MAX),
            vec!["unit.weekly_cost_pence", "unit.nightly_cost_pence"],
        ),
        // Seven nights of the rate are the weekly cost, but both are beyond their ranges.
        (
            block(3_500_007, 500_001),
            vec!["unit.weekly_cost_pence", "unit.nightly_cost_pence"],
        ),
        (block(2_500_001, 0), vec!["unit.weekly_cost_pence"]),
        (block(0, 500_001), vec!["unit.nightly_cost_pence"]),
        (
            block(-1, -1),
            vec!["unit.weekly_cost_pence", "unit.nightly_cost_pence"],
        ),
        (
            charges,
            vec!["unit.weekly_rent_pence", "unit.weekly_service_charge_pence"],
        ),
    ];
    for (bad, fields) in cases {
        let sent = (bad.weekly_cost_pence, bad.nightly_cost_pence);
        let refused = h
            .client
            .create_unit(pb::CreateUnitRequest {
                request_id: String::new(),
                unit: Some(bad),
            })
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::InvalidArgument);
        assert_eq!(bad_request_fields(&refused), fields, "{sent:?}");
    }
    assert_eq!(count(&h.pool, "units").await, 0, "nothing stored");

    // The most a unit may cost, by the week and by the night: each accepted.
    let dearest = create_unit(&mut h.client, block(2_500_000, 0)).await;
    let nightly = create_unit(&mut h.client, block(0, 500_000)).await;
    assert_eq!(nightly.weekly_cost_pence, 3_500_000);
    let week = voids(&mut h.client, 7).await.expect("GetVoids answers");
    assert_eq!(
        (week.void_nights, week.void_loss_pence),
        (14, 2_500_000 + 3_500_000)
    );
    // A century of empty nights at those costs still reckons.
    let century = voids(&mut h.client, 36_525)
        .await
        .expect("GetVoids answers");
    assert_eq!(
        century.void_loss_pence,
        (2_500_000 + 3_500_000) * 36_525 / 7
    );

    let line = |amount_pence| pb::InvoiceLine {
        unit_id: dearest.unit_id.clone(),
        nights: 7,
        amount_pence,
        ..Default::default()
    };
    let refused = h
        .client
        .submit_invoice(invoice(&h.provider_id, "inv-max", line(i64::MAX)))
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&refused), vec!["lines[0].amount_pence"]);
    assert_eq!(count(&h.pool, "invoices").await, 0);
    let submitted = h
        .client
        .submit_invoice(invoice(&h.provider_id, "inv-1", line(2_500_000)))
        .await
        .expect("SubmitInvoice answers")
        .into_inner()
        .invoice
        .unwrap();
    assert_eq!(submitted.invoiced_pence, 2_500_000);

    // The other amounts a client sends are held to their ranges too.
    let mut rich = household(false);
    rich.weekly_income_pence = i64::MAX;
    let refused = h
        .client
        .create_placement_request(pb::CreatePlacementRequestRequest {
            request_id: String::new(),
            placement_request: Some(rich),
            confirm_differences: false,
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&refused),
        vec!["placement_request.weekly_income_pence"]
    );
    let refused = h
        .client
        .request_removal(pb::RequestRemovalRequest {
            request_id: "removal-max".into(),
            placement_id: Uuid::now_v7().to_string(),
            kind: pb::RemovalKind::Storage as i32,
            supplier_name: "Safe Store".into(),
            supplier_reference: "Q-1".into(),
            amount_pence: i64::MAX,
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&refused), vec!["amount_pence"]);
    assert_eq!(count(&h.pool, "placement_requests").await, 0);
    assert_eq!(count(&h.pool, "removals").await, 0);
    h.running.stop().await.unwrap();
}

/// The screen in front of every service refuses any amount beyond what one amount may be;
/// behind it, the mapping holds each to its own range, and would alone.
#[test]
fn the_mapping_holds_unit_costs_to_their_ranges_without_the_screen() {
    let provider = Uuid::now_v7().to_string();
    let fields = |weekly: i64, nightly: i64| {
        let mut u = unit(&provider, pb::UnitType::PrivateSectorLeased, 2, weekly);
        u.nightly_cost_pence = nightly;
        u.weekly_rent_pence = i64::MIN;
        u.block_booked = true;
        bad_request_fields(&temporary_accommodation::grpc::mapping::unit(Some(&u)).unwrap_err())
    };
    let rent = "unit.weekly_rent_pence";
    let (weekly, nightly) = ("unit.weekly_cost_pence", "unit.nightly_cost_pence");
    assert_eq!(fields(TWO_TO_THE_62, 0), [weekly, rent]);
    assert_eq!(fields(0, TWO_TO_THE_62), [nightly, rent]);
    assert_eq!(fields(i64::MAX, i64::MAX), [weekly, nightly, rent]);
    assert_eq!(
        fields(7_000_000_000, 1_000_000_000),
        [weekly, nightly, rent]
    );
    assert_eq!(fields(i64::MIN, i64::MIN), [weekly, nightly, rent]);
}

#[tokio::test]
async fn a_unit_stored_with_an_absurd_cost_is_reckoned_with_or_refused_by_name_never_wrapped() {
    let mut h = start().await;
    let mut u = unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 2, 70_000);
    u.block_booked = true;
    let absurd = create_unit(&mut h.client, u).await;
    // As a unit registered before costs were held to their ranges was stored.
    sqlx::query("UPDATE units SET weekly_cost_pence = $2 WHERE id = $1")
        .bind(Uuid::parse_str(&absurd.unit_id).unwrap())
        .bind(TWO_TO_THE_62)
        .execute(&h.pool)
        .await
        .unwrap();

    // A week of it is 2^62 pence: within 64 bits, so reckoned exactly.
    let week = voids(&mut h.client, 7).await.expect("GetVoids answers");
    assert_eq!(week.void_loss_pence, TWO_TO_THE_62);
    // Four weeks are not: refused, naming the unit, rather than wrapped or panicking.
    let month = voids(&mut h.client, 28).await.unwrap_err();
    assert_eq!(month.code(), Code::FailedPrecondition);
    assert!(month.message().contains(&absurd.unit_id), "{month:?}");

    let request = create_request(&mut h.client, household(false)).await;
    let placement = place(&mut h.client, &request, &absurd, days(0)).await;
    h.client
        .close_placement(pb::ClosePlacementRequest {
            placement_id: placement.placement_id,
            reason: pb::ClosureReason::MovedOut as i32,
            end_date: format_date(days(3)),
            note: "moved on".into(),
        })
        .await
        .unwrap();
    let line = pb::InvoiceLine {
        unit_id: absurd.unit_id.clone(),
        nights: 3,
        amount_pence: 30_000,
        ..Default::default()
    };
    let invoice = h
        .client
        .submit_invoice(invoice(&h.provider_id, "inv-1", line))
        .await
        .expect("SubmitInvoice answers")
        .into_inner()
        .invoice
        .unwrap();
    // Three sevenths of 2^62, to the penny.
    assert_eq!(invoice.expected_pence, 1_976_436_865_040_309_102);
    h.running.stop().await.unwrap();
}
