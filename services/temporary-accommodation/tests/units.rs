//! A unit's life after registration, on real PostgreSQL and NATS: read with its history,
//! listed, updated with who, when and why, and withdrawn from use.

mod common;

use common::*;
use housing_platform::errors::bad_request_fields;
use housing_proto::accommodation::v1 as pb;
use tonic::Code;

async fn ranked_ids(h: &mut Harness, request: &pb::PlacementRequest) -> Vec<String> {
    h.client
        .rank_units(pb::RankUnitsRequest {
            placement_request_id: request.placement_request_id.clone(),
            page_size: 0,
        })
        .await
        .unwrap()
        .into_inner()
        .ranked
        .into_iter()
        .map(|r| r.unit.unwrap().unit_id)
        .collect()
}

#[tokio::test]
async fn a_unit_is_updated_with_its_history_and_a_withdrawn_unit_is_never_offered() {
    let mut h = start().await;
    let flat = create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 20_000),
    )
    .await;
    let other = create_unit(
        &mut h.client,
        unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, 21_000),
    )
    .await;
    let request = create_request(&mut h.client, household(false)).await;
    assert_eq!(ranked_ids(&mut h, &request).await.len(), 2);

    let mut changed = flat.clone();
    changed.weekly_rent_pence = 19_500;
    changed.step_free = true;
    let bad = h
        .client
        .update_unit(pb::UpdateUnitRequest {
            unit_id: "flat".into(),
            unit: Some(pb::Unit {
                bedrooms: -1,
                ..changed.clone()
            }),
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        vec!["unit_id", "reason", "unit.bedrooms"]
    );
    let updated = h
        .client
        .update_unit(pb::UpdateUnitRequest {
            unit_id: flat.unit_id.clone(),
            unit: Some(changed.clone()),
            reason: "ramp fitted; rent agreed with the landlord".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .unit
        .unwrap();
    assert_eq!(updated.weekly_rent_pence, 19_500);
    assert!(updated.step_free);
    assert_eq!(updated.certificates, flat.certificates, "certificates kept");

    let page = h
        .client
        .list_units(pb::ListUnitsRequest {
            page_size: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.units.len(), 1);
    assert_eq!(page.units[0].unit_id, flat.unit_id);
    let rest = h
        .client
        .list_units(pb::ListUnitsRequest {
            page_size: 1,
            page_token: page.next_page_token,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rest.units[0].unit_id, other.unit_id);

    let unreasoned = h
        .client
        .withdraw_unit(pb::WithdrawUnitRequest {
            unit_id: flat.unit_id.clone(),
            reason: " ".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&unreasoned), vec!["reason"]);
    let withdrawn = h
        .client
        .withdraw_unit(pb::WithdrawUnitRequest {
            unit_id: flat.unit_id.clone(),
            reason: "lease handed back to the landlord".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        withdrawn.withdrawn_on,
        housing_platform::time::format_date(days(0))
    );
    assert_eq!(
        ranked_ids(&mut h, &request).await,
        vec![other.unit_id.clone()]
    );
    let listed = h
        .client
        .list_units(pb::ListUnitsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .units;
    assert_eq!(
        listed.len(),
        1,
        "a withdrawn unit is listed only when asked"
    );
    let again = h
        .client
        .update_unit(pb::UpdateUnitRequest {
            unit_id: flat.unit_id.clone(),
            unit: Some(changed),
            reason: "typo".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(again.code(), Code::FailedPrecondition);

    let read = h
        .client
        .get_unit(pb::GetUnitRequest {
            unit_id: flat.unit_id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(!read.occupied);
    assert_eq!(read.withdrawn_on, withdrawn.withdrawn_on);
    let changes: Vec<(&str, &str)> = read
        .history
        .iter()
        .map(|c| (c.change.as_str(), c.detail.as_str()))
        .collect();
    assert_eq!(changes[0].0, "created");
    assert_eq!(changes[1].0, "updated");
    assert!(
        changes[1].1.contains("step-free: no → yes")
            && changes[1].1.contains("weekly rent: £100.00 → £195.00")
            && changes[1].1.contains("ramp fitted"),
        "{}",
        changes[1].1
    );
    assert_eq!(
        changes[2],
        ("withdrawn", "lease handed back to the landlord")
    );

    // A unit a household lives in is not withdrawn under them.
    let placed = place(&mut h.client, &request, &other, days(0)).await;
    let occupied = h
        .client
        .withdraw_unit(pb::WithdrawUnitRequest {
            unit_id: other.unit_id.clone(),
            reason: "sold".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(occupied.code(), Code::FailedPrecondition, "{placed:?}");
    h.running.stop().await.unwrap();
}

async fn listed_ids(h: &mut Harness, compliance: pb::UnitCompliance) -> Vec<String> {
    h.client
        .list_units(pb::ListUnitsRequest {
            compliance: compliance as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .units
        .into_iter()
        .map(|u| u.unit_id)
        .collect()
}

#[tokio::test]
async fn units_are_listed_by_their_worst_certificate_as_the_sweep_warns_of_and_lapses_it() {
    let mut h = start().await;
    let yesterday = housing_platform::time::today() - chrono::Days::new(1);
    let mut made = Vec::new();
    for (cost, gas, electrical) in [
        (20_000, yesterday, days(365)),
        (21_000, days(0), days(365)),
        (22_000, days(30), days(365)),
        (23_000, days(31), days(365)),
        (24_000, days(10), yesterday),
    ] {
        let mut u = with_gas_expiring(
            unit(&h.provider_id, pb::UnitType::PrivateSectorLeased, 1, cost),
            gas,
        );
        u.certificates[1].expires_on = housing_platform::time::format_date(electrical);
        made.push(create_unit(&mut h.client, u).await.unit_id);
    }
    let [lapsed, due_today, due_in_30, _valid, both] = made.clone().try_into().unwrap();

    assert_eq!(
        listed_ids(&mut h, pb::UnitCompliance::Lapsed).await,
        vec![lapsed.clone(), both.clone()]
    );
    assert_eq!(
        listed_ids(&mut h, pb::UnitCompliance::Expiring).await,
        vec![due_today.clone(), due_in_30.clone()],
        "a certificate expiring today or 30 days on, none lapsed"
    );
    assert_eq!(
        listed_ids(&mut h, pb::UnitCompliance::ExpiringOrLapsed).await,
        vec![lapsed, due_today, due_in_30, both.clone()]
    );
    assert_eq!(
        listed_ids(&mut h, pb::UnitCompliance::Unspecified).await,
        made
    );

    // Filtered lists page like the whole one.
    let first = h
        .client
        .list_units(pb::ListUnitsRequest {
            page_size: 1,
            compliance: pb::UnitCompliance::Lapsed as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let rest = h
        .client
        .list_units(pb::ListUnitsRequest {
            page_token: first.next_page_token,
            compliance: pb::UnitCompliance::Lapsed as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rest.units.len(), 1);
    assert_eq!(rest.units[0].unit_id, both);
    assert!(rest.next_page_token.is_empty());

    for hostile in [-1, 4, i32::MAX] {
        let bad = h
            .client
            .list_units(pb::ListUnitsRequest {
                compliance: hostile,
                provider_id: "not-a-provider".into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(bad.code(), Code::InvalidArgument);
        assert_eq!(
            bad_request_fields(&bad),
            vec!["provider_id", "compliance"],
            "{hostile}"
        );
    }
    h.running.stop().await.unwrap();
}
