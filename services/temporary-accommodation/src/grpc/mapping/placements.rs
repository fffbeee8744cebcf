//! Placements, the lists officers work through, their closures, section 208 notifications
//! and the s.213AA consent.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use housing_platform::errors::FieldViolations;
use housing_platform::paging;
use housing_platform::time::{format_date, format_optional_date, timestamp};
use housing_proto::accommodation::v1 as pb;
use tonic::Status;

use super::{MAX_PAGE_SIZE, PAGE_SIZE, filter_enum, from_proto, page_after, to_proto};
use crate::app::placements::{History, ListPlacements, PlacementSummary};
use crate::app::s213aa::Consent;
use crate::db::clocks::S208;
use crate::db::placements::PlacementRecord;
use crate::db::s213aa::S213aa;
use crate::domain::placement::ClosureReason;
use crate::wire::{
    CLOSURE_REASONS, PLACEMENT_STATUSES, S208_STANDINGS, S213AA_CONSENTS, UNIT_TYPES,
    closure_reason_proto, unit_type_proto,
};

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

impl TryFrom<pb::RecordS213aaConsentRequest> for Consent {
    type Error = Status;

    fn try_from(r: pb::RecordS213aaConsentRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let placement_id = v.uuid("placement_id", &r.placement_id);
        let [school, gp_practice, health_visiting_service] =
            [&r.school, &r.gp_practice, &r.health_visiting_service].map(|s| s.trim().to_owned());
        let named = [&school, &gp_practice, &health_visiting_service]
            .iter()
            .any(|s| !s.is_empty());
        if r.consent_given && !named {
            v.add(
                "school",
                "with consent, name the school, the GP practice or the health visiting service",
            );
        }
        if !r.consent_given && named {
            v.add(
                "consent_given",
                "without consent nobody is told: leave the school, GP and health visitors empty",
            );
        }
        let Some(placement_id) = placement_id else {
            return Err(v.into_status());
        };
        v.into_result(Consent {
            placement_id,
            given: r.consent_given,
            school,
            gp_practice,
            health_visiting_service,
        })
    }
}

pub fn s213aa_proto(n: &S213aa) -> pb::S213aaNotification {
    pb::S213aaNotification {
        placement_id: n.placement_id.to_string(),
        placed_on: format_date(n.placed_on),
        due_on: format_date(n.due_on),
        consent: to_proto(&S213AA_CONSENTS, n.consent) as i32,
        school: n.school.clone(),
        gp_practice: n.gp_practice.clone(),
        health_visiting_service: n.health_visiting_service.clone(),
        recorded_by: n.recorded_by.clone().unwrap_or_default(),
        recorded_at: n.recorded_at.map(timestamp),
        notified_on: format_optional_date(n.notified_on),
    }
}

pub fn placement_proto(p: &PlacementRecord, history: &History) -> pb::Placement {
    pb::Placement {
        placement_id: p.id.to_string(),
        reference: p.reference.clone(),
        placement_request_id: p.placement_request_id.to_string(),
        application_id: p.application_id.map(|a| a.to_string()).unwrap_or_default(),
        unit_id: p.unit_id.to_string(),
        status: to_proto(&PLACEMENT_STATUSES, p.status) as i32,
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
        s213aa_notification: history.s213aa.as_ref().map(s213aa_proto),
        closure_reviews: history
            .closure_reviews
            .iter()
            .map(super::closure_review_proto)
            .collect(),
        stays: history
            .stays
            .iter()
            .map(|s| pb::Stay {
                unit_id: s.unit_id.to_string(),
                unit_type: unit_type_proto(s.unit_type) as i32,
                local_authority: s.local_authority.clone(),
                from_date: format_date(s.from_date),
                to_date: format_optional_date(s.to_date),
                address: s.address.clone(),
            })
            .collect(),
    }
}

/// Days of a B&B clock beyond any household's: ten years is a slip of the keyboard.
const MAX_BNB_CLOCK_DAY: u32 = 3_650;

impl TryFrom<pb::ListPlacementsRequest> for ListPlacements {
    type Error = Status;

    fn try_from(r: pb::ListPlacementsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let after = page_after(&r.page_token, &mut v).map(|(at, id)| (at.date_naive(), id));
        let status = filter_enum(&PLACEMENT_STATUSES, r.status, "status", &mut v);
        let application_id = match r.application_id.as_str() {
            "" => None,
            id => v.uuid("application_id", id),
        };
        let unit_type = filter_enum(&UNIT_TYPES, r.unit_type, "unit_type", &mut v);
        let bnb_clock_day_at_least = r.bnb_clock_day_at_least.and_then(|day| {
            let day = u32::try_from(day).ok().filter(|d| *d <= MAX_BNB_CLOCK_DAY);
            if day.is_none() {
                v.add(
                    "bnb_clock_day_at_least",
                    format!("must be from 0 to {MAX_BNB_CLOCK_DAY}, or unset"),
                );
            }
            day
        });
        let s208_notice = filter_enum(&S208_STANDINGS, r.s208_notice, "s208_notice", &mut v);
        v.into_result(ListPlacements {
            status,
            s208_notice,
            application_id,
            unit_type,
            bnb_clock_day_at_least,
            after,
            limit: paging::size(r.page_size, PAGE_SIZE, MAX_PAGE_SIZE),
        })
    }
}

/// A start date as a page token's position: its first instant.
fn start_position(on: NaiveDate) -> DateTime<Utc> {
    on.and_time(NaiveTime::MIN).and_utc()
}

/// The token for the page of placements after `page`, empty after the last.
pub fn placements_page_token(page: &[PlacementSummary], limit: i64) -> String {
    paging::next_token(page, limit, |s| {
        (start_position(s.placement.start_date), s.placement.id)
    })
}

pub fn placement_summary_proto(s: &PlacementSummary) -> pb::PlacementSummary {
    let p = &s.placement;
    pb::PlacementSummary {
        placement_id: p.id.to_string(),
        application_id: p.application_id.map(|a| a.to_string()).unwrap_or_default(),
        unit_id: p.unit_id.to_string(),
        unit_address: p.unit_address.clone(),
        unit_type: unit_type_proto(p.unit_type) as i32,
        status: to_proto(&PLACEMENT_STATUSES, p.status) as i32,
        start_date: format_date(p.start_date),
        end_date: format_optional_date(p.end_date),
        days_in_placement: saturating_i32(s.days_in_placement),
        weekly_rent_pence: p.weekly_rent.get(),
        bnb_clock_day: s.bnb_clock_day.map(saturating_i32),
        s208_due_on: format_optional_date(p.s208_due_on),
    }
}

fn saturating_i32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX })
}
