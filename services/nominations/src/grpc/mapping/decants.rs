//! Decants from regeneration schemes and their payments.

use housing_platform::errors::FieldViolations;
use housing_platform::time::{self, format_date, timestamp};
use housing_proto::nominations::v1 as pb;

/// A decant as an officer records it: every bad field named.
pub fn decant(
    d: Option<&pb::Decant>,
    by: &str,
) -> Result<crate::db::decants::Decant, tonic::Status> {
    use crate::domain::decant::Tenure;
    let mut v = FieldViolations::new();
    let Some(d) = d else {
        v.add("decant", "required");
        return Err(v.into_status());
    };
    v.require("decant.scheme", &d.scheme, "the regeneration scheme");
    v.require("decant.payee_name", &d.payee_name, "who is paid");
    v.require("decant.address", &d.address, "the home being left");
    let application = v.uuid("decant.application_id", &d.application_id);
    let tenure = match pb::DecantTenure::try_from(d.tenure) {
        Ok(pb::DecantTenure::Tenant) => Some(Tenure::Tenant),
        Ok(pb::DecantTenure::OwnerOccupier) => Some(Tenure::OwnerOccupier),
        _ => {
            v.add("decant.tenure", "required: tenant or owner-occupier");
            None
        }
    };
    let occupied_since = v.date("decant.occupied_since", &d.occupied_since);
    if occupied_since.is_some_and(|since| since > time::today()) {
        v.add("decant.occupied_since", "is in the future");
    }
    match tenure {
        Some(Tenure::OwnerOccupier) if d.market_value_pence <= 0 => v.add(
            "decant.market_value_pence",
            "required for an owner-occupier: the home's market value",
        ),
        Some(Tenure::Tenant) if d.market_value_pence != 0 => v.add(
            "decant.market_value_pence",
            "a tenant's home-loss payment does not depend on the value: leave it 0",
        ),
        _ => {}
    }
    let (Some(application_id), Some(tenure), Some(occupied_since)) =
        (application, tenure, occupied_since)
    else {
        return Err(v.into_status());
    };
    v.into_result(crate::db::decants::Decant {
        id: uuid::Uuid::now_v7(),
        scheme: d.scheme.trim().to_owned(),
        application_id,
        payee_name: d.payee_name.trim().to_owned(),
        address: d.address.trim().to_owned(),
        tenure,
        occupied_since,
        market_value_pence: d.market_value_pence,
        right_to_return: d.right_to_return,
        status: "awaiting_move".into(),
        moved_on: None,
        home_loss_pence: None,
        home_loss_reason: None,
        rules_version: None,
        disturbance: Vec::new(),
        approved_by: None,
        approved_at: None,
        created_by: by.to_owned(),
    })
}

/// Disturbance costs as claimed: every bad item named.
pub fn disturbance(
    items: &[pb::DisturbanceItem],
) -> Result<Vec<crate::db::decants::DisturbanceItem>, tonic::Status> {
    let mut v = FieldViolations::new();
    for (i, item) in items.iter().enumerate() {
        v.require(
            &format!("disturbance[{i}].description"),
            &item.description,
            "what the cost was for",
        );
        if item.amount_pence <= 0 {
            v.add(format!("disturbance[{i}].amount_pence"), "must be above 0");
        }
    }
    v.into_result(
        items
            .iter()
            .map(|i| crate::db::decants::DisturbanceItem {
                description: i.description.trim().to_owned(),
                amount_pence: i.amount_pence,
            })
            .collect(),
    )
}

pub fn decant_proto(d: &crate::db::decants::Decant) -> pb::Decant {
    use crate::domain::decant::Tenure;
    pb::Decant {
        decant_id: d.id.to_string(),
        scheme: d.scheme.clone(),
        application_id: d.application_id.to_string(),
        payee_name: d.payee_name.clone(),
        address: d.address.clone(),
        tenure: match d.tenure {
            Tenure::Tenant => pb::DecantTenure::Tenant,
            Tenure::OwnerOccupier => pb::DecantTenure::OwnerOccupier,
        } as i32,
        occupied_since: format_date(d.occupied_since),
        market_value_pence: d.market_value_pence,
        right_to_return: d.right_to_return,
        status: match d.status.as_str() {
            "moved" => pb::DecantStatus::Moved,
            "payments_approved" => pb::DecantStatus::PaymentsApproved,
            _ => pb::DecantStatus::AwaitingMove,
        } as i32,
        moved_on: time::format_optional_date(d.moved_on),
        home_loss_pence: d.home_loss_pence.unwrap_or_default(),
        home_loss_reason: d.home_loss_reason.clone().unwrap_or_default(),
        rules_version: d.rules_version.clone().unwrap_or_default(),
        disturbance: d
            .disturbance
            .iter()
            .map(|i| pb::DisturbanceItem {
                description: i.description.clone(),
                amount_pence: i.amount_pence,
            })
            .collect(),
        disturbance_pence: d.disturbance_pence(),
        approved_by: d.approved_by.clone().unwrap_or_default(),
        approved_at: d.approved_at.map(timestamp),
        created_by: d.created_by.clone(),
    }
}
