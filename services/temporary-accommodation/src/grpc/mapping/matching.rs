//! Placement requests, and units as ranked for them.

use housing_platform::errors::FieldViolations;
use housing_platform::money::{MAX_AMOUNT, Range};
use housing_platform::time::{format_date, parse_date};
use housing_proto::accommodation::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use super::stock::unit_proto;
use super::{MAX_PEOPLE, from_proto, location, to_proto};
use crate::db::placements::PlacementRequestRecord;
use crate::domain::household::Person;
use crate::domain::matching::{
    Anchor, AnchorKind, Need, Ranked, ScorePart, constraints_met, score_parts,
};
use crate::domain::placement::Duty;
use crate::wire::{DUTIES, duty_proto};

/// A household's weekly income: none (0, when not known) up to the most any one amount may
/// be.
const WEEKLY_INCOME: Range = Range::up_to(MAX_AMOUNT);

/// The request as the officer gave it. When `from_register`, the lead's name, the size and
/// the needs may be left blank for the register application to fill.
pub fn placement_request(
    r: Option<&pb::PlacementRequest>,
    from_register: bool,
) -> Result<PlacementRequestRecord, Status> {
    let mut v = FieldViolations::new();
    let Some(r) = r else {
        v.add("placement_request", "required");
        return Err(v.into_status());
    };
    // Every household placed applied under the register: its letters and its rent account
    // are addressed through that application, so a placement without one could never be
    // written to, and documents would dead-letter every event about it.
    let application_id = if r.application_id.is_empty() {
        v.add(
            "placement_request.application_id",
            "required: the register application the household applied under",
        );
        None
    } else {
        Uuid::parse_str(&r.application_id)
            .map_err(|_| v.add("placement_request.application_id", "must be a UUID"))
            .ok()
    };
    if r.lead_name.trim().is_empty() && !from_register {
        v.add("placement_request.lead_name", "required");
    }
    let least = i32::from(!from_register);
    if r.household_size < least {
        v.add(
            "placement_request.household_size",
            format!("must be at least {least}"),
        );
    } else if r.household_size > MAX_PEOPLE {
        v.add(
            "placement_request.household_size",
            format!("must be at most {MAX_PEOPLE}"),
        );
    }
    if r.bedrooms_needed < 0 {
        v.add("placement_request.bedrooms_needed", "must not be negative");
    } else if r.bedrooms_needed > r.household_size.max(1)
        && (r.household_size > 0 || !from_register)
    {
        v.add(
            "placement_request.bedrooms_needed",
            "more bedrooms than people",
        );
    }
    let duty = from_proto(&DUTIES, r.duty).unwrap_or_else(|| {
        v.add(
            "placement_request.duty",
            "required: DUTY_TYPE_INTERIM or DUTY_TYPE_MAIN",
        );
        Duty::Interim
    });
    if !r.anchor_kinds.is_empty() && r.anchor_kinds.len() != r.anchors.len() {
        v.add(
            "placement_request.anchor_kinds",
            format!("one for each of the {} anchors, or none", r.anchors.len()),
        );
    }
    let anchors = r
        .anchors
        .iter()
        .enumerate()
        .map(|(i, a)| Anchor {
            kind: r.anchor_kinds.get(i).and_then(|&k| {
                from_proto(&ANCHOR_KINDS, k)
                    .ok_or_else(|| {
                        v.add(
                            format!("placement_request.anchor_kinds[{i}]"),
                            "school, work, care or medical support",
                        )
                    })
                    .ok()
            }),
            location: location(&format!("placement_request.anchors[{i}]"), Some(a), &mut v),
        })
        .collect();
    v.pence(
        "placement_request.weekly_income_pence",
        r.weekly_income_pence,
        WEEKLY_INCOME,
    );
    let needed_from = parse_date(&r.needed_from)
        .map_err(|e| v.add("placement_request.needed_from", e))
        .unwrap_or_default();
    v.into_result(PlacementRequestRecord {
        id: Uuid::nil(),
        application_id,
        lead_name: r.lead_name.trim().to_owned(),
        need: Need {
            household_size: r.household_size.max(0) as u32,
            bedrooms_needed: r.bedrooms_needed.max(0) as u32,
            has_children: r.has_children,
            pregnant: r.pregnant,
            needs_step_free: r.needs_step_free,
            needs_lift: r.needs_lift,
            needs_wheelchair_access: r.needs_wheelchair_access,
            weekly_income_pence: (r.weekly_income_pence > 0).then_some(r.weekly_income_pence),
            anchors,
        },
        duty,
        needed_from,
        household: None,
    })
}

const ANCHOR_KINDS: [(AnchorKind, pb::AnchorKind); 4] = [
    (AnchorKind::School, pb::AnchorKind::School),
    (AnchorKind::Work, pb::AnchorKind::Work),
    (AnchorKind::Care, pb::AnchorKind::Care),
    (AnchorKind::MedicalSupport, pb::AnchorKind::MedicalSupport),
];

pub fn placement_request_proto(r: &PlacementRequestRecord) -> pb::PlacementRequest {
    pb::PlacementRequest {
        placement_request_id: r.id.to_string(),
        application_id: r.application_id.map(|a| a.to_string()).unwrap_or_default(),
        lead_name: r.lead_name.clone(),
        household_size: r.need.household_size as i32,
        bedrooms_needed: r.need.bedrooms_needed as i32,
        has_children: r.need.has_children,
        pregnant: r.need.pregnant,
        needs_step_free: r.need.needs_step_free,
        needs_lift: r.need.needs_lift,
        needs_wheelchair_access: r.need.needs_wheelchair_access,
        weekly_income_pence: r.need.weekly_income_pence.unwrap_or_default(),
        duty: duty_proto(r.duty) as i32,
        anchors: r
            .need
            .anchors
            .iter()
            .map(|a| pb::Location {
                latitude: a.location.latitude,
                longitude: a.location.longitude,
            })
            .collect(),
        anchor_kinds: if r.need.anchors.iter().any(|a| a.kind.is_some()) {
            r.need
                .anchors
                .iter()
                .map(|a| a.kind.map_or(0, |k| to_proto(&ANCHOR_KINDS, k) as i32))
                .collect()
        } else {
            vec![]
        },
        needed_from: format_date(r.needed_from),
        from_register: r.household.is_some(),
        people: r
            .household
            .iter()
            .flat_map(|h| &h.people)
            .map(person_proto)
            .collect(),
        confirmed_differences: r
            .household
            .as_ref()
            .map(|h| h.confirmed_differences.clone())
            .unwrap_or_default(),
    }
}

fn person_proto(p: &Person) -> pb::HouseholdPerson {
    pb::HouseholdPerson {
        name: p.name.clone(),
        date_of_birth: format_date(p.date_of_birth),
        lead: p.lead,
        pregnant: p.pregnant,
    }
}

pub fn ranked_proto(r: &Ranked, need: &Need, home_authority: &str) -> pb::RankedUnit {
    pb::RankedUnit {
        constraints_met: constraints_met(need, r.unit),
        unit: Some(unit_proto(r.unit)),
        score: r.score,
        parts: score_parts_proto(&score_parts(need, r.unit, home_authority)),
    }
}

pub fn score_parts_proto(parts: &[ScorePart]) -> Vec<pb::ScorePart> {
    parts
        .iter()
        .map(|p| pb::ScorePart {
            name: p.name.to_owned(),
            value: p.value,
            explanation: p.explanation.clone(),
        })
        .collect()
}
