//! Placements, their closures and section 208 notifications, and the removals and storage
//! paid for them.

use housing_platform::errors::FieldViolations;
use housing_platform::money::Range;
use housing_platform::time::{format_date, format_optional_date, timestamp};
use housing_proto::accommodation::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use super::{from_proto, to_proto};
use crate::app::placements::History;
use crate::db::clocks::S208;
use crate::db::placements::PlacementRecord;
use crate::db::removals::Removal;
use crate::domain::placement::{ClosureReason, PlacementStatus, RemovalKind};
use crate::wire::{CLOSURE_REASONS, closure_reason_proto, unit_type_proto};

pub fn closure_reason(value: i32) -> Result<ClosureReason, String> {
    from_proto(&CLOSURE_REASONS, value).ok_or_else(|| "required: a closure reason".into())
}

pub fn s208_proto(n: &S208) -> pb::S208Notification {
    pb::S208Notification {
        placement_id: n.placement_id.to_string(),
        receiving_authority: n.receiving_authority.clone(),
        placed_on: format_date(n.placed_on),
        due_on: format_date(n.due_on),
        sent_on: format_optional_date(n.sent_on),
    }
}

pub fn placement_proto(p: &PlacementRecord, history: &History) -> pb::Placement {
    pb::Placement {
        placement_id: p.id.to_string(),
        placement_request_id: p.placement_request_id.to_string(),
        application_id: p.application_id.map(|a| a.to_string()).unwrap_or_default(),
        unit_id: p.unit_id.to_string(),
        status: match p.status {
            PlacementStatus::Offered => pb::PlacementStatus::Offered,
            PlacementStatus::Active => pb::PlacementStatus::Active,
            PlacementStatus::Closed => pb::PlacementStatus::Closed,
        } as i32,
        start_date: format_date(p.start_date),
        end_date: format_optional_date(p.end_date),
        weekly_rent_pence: p.weekly_rent_pence,
        weekly_service_charge_pence: p.weekly_service_charge_pence,
        closure_reason: p
            .closure_reason
            .map(|r| closure_reason_proto(r) as i32)
            .unwrap_or_default(),
        decided_by: p.decided_by.clone(),
        decided_at: Some(timestamp(p.decided_at)),
        signed_up_at: p.signed_up_at.map(timestamp),
        duty_ends_on: format_optional_date(p.duty_ends_on),
        decisions: history
            .decisions
            .iter()
            .map(|d| pb::Decision {
                decision: d.decision.clone(),
                reason: d.reason.clone(),
                decided_by: d.decided_by.clone(),
                decided_at: Some(timestamp(d.decided_at)),
            })
            .collect(),
        s208_notifications: history.s208.iter().map(s208_proto).collect(),
        stays: history
            .stays
            .iter()
            .map(|s| pb::Stay {
                unit_id: s.unit_id.to_string(),
                unit_type: unit_type_proto(s.unit_type) as i32,
                local_authority: s.local_authority.clone(),
                from_date: format_date(s.from_date),
                to_date: format_optional_date(s.to_date),
            })
            .collect(),
    }
}

/// A removal or storage: above zero, up to the most any one amount may be.
const REMOVAL: Range = Range::AMOUNT;

const REMOVAL_KINDS: [(RemovalKind, pb::RemovalKind); 2] = [
    (RemovalKind::Removal, pb::RemovalKind::Removal),
    (RemovalKind::Storage, pb::RemovalKind::Storage),
];

pub fn removal_kind(value: i32) -> Result<RemovalKind, String> {
    from_proto(&REMOVAL_KINDS, value)
        .ok_or_else(|| "required: REMOVAL_KIND_REMOVAL or REMOVAL_KIND_STORAGE".into())
}

/// A removal as an officer asks for it, for `requested_by`: every bad field named.
pub fn removal(r: &pb::RequestRemovalRequest, requested_by: &str) -> Result<Removal, Status> {
    let mut v = FieldViolations::new();
    let placement_id = v.uuid("placement_id", &r.placement_id);
    let kind = removal_kind(r.kind).map_err(|e| v.add("kind", e)).ok();
    v.require("supplier_name", &r.supplier_name, "who is paid");
    v.require(
        "supplier_reference",
        &r.supplier_reference,
        "the supplier's quote or invoice",
    );
    let amount = v.pence("amount_pence", r.amount_pence, REMOVAL);
    let (Some(placement_id), Some(kind), Some(amount)) = (placement_id, kind, amount) else {
        return Err(v.into_status());
    };
    v.into_result(Removal {
        id: Uuid::nil(),
        placement_id,
        kind,
        supplier_name: r.supplier_name.trim().to_owned(),
        supplier_reference: r.supplier_reference.trim().to_owned(),
        amount_pence: amount.get(),
        requested_by: requested_by.to_owned(),
        requested_at: chrono::Utc::now(),
        approved_by: None,
        approved_at: None,
    })
}

pub fn removal_proto(r: &Removal) -> pb::Removal {
    pb::Removal {
        removal_id: r.id.to_string(),
        placement_id: r.placement_id.to_string(),
        kind: to_proto(&REMOVAL_KINDS, r.kind) as i32,
        supplier_name: r.supplier_name.clone(),
        supplier_reference: r.supplier_reference.clone(),
        amount_pence: r.amount_pence,
        requested_by: r.requested_by.clone(),
        approved_by: r.approved_by.clone().unwrap_or_default(),
        approved_at: r.approved_at.map(timestamp),
    }
}
