//! Units, their certificates, and concerns raised about them.

use housing_platform::errors::FieldViolations;
use housing_platform::money::Pence;
use housing_platform::paging;
use housing_platform::time::{format_date, parse_date, timestamp, today};
use housing_proto::accommodation::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use super::{
    MAX_BEDROOMS, MAX_PAGE_SIZE, MAX_PEOPLE, PAGE_SIZE, filter_enum, from_proto, location,
    page_after, to_proto,
};
use crate::app::stock::{ListUnits, Renewal, Update, Withdrawal};
use crate::db::concerns::Concern;
use crate::db::stock::HistoryEntry;
use crate::domain::concern::{ConcernSource, ConcernStatus};
use crate::domain::unit::{
    Certificate, CertificateKind, Cost, NIGHTLY_RATE, Unit, UnitType, WEEKLY_CHARGE, WEEKLY_COST,
};
use crate::wire::{CERTIFICATE_KINDS, UNIT_COMPLIANCES, UNIT_TYPES, unit_type_proto};

/// A unit as registered: every bad field named.
pub fn unit(u: Option<&pb::Unit>) -> Result<Unit, Status> {
    let mut v = FieldViolations::new();
    let Some(u) = u else {
        v.add("unit", "required");
        return Err(v.into_status());
    };
    let unit = checked_unit(u, &mut v);
    v.into_result(unit)
}

/// The unit `u` with each bad field added to `v`.
fn checked_unit(u: &pb::Unit, v: &mut FieldViolations) -> Unit {
    let provider_id = Uuid::parse_str(&u.provider_id)
        .map_err(|_| v.add("unit.provider_id", "must be a UUID"))
        .unwrap_or_default();
    if u.address.trim().is_empty() {
        v.add("unit.address", "required");
    }
    if u.local_authority.trim().is_empty() {
        v.add("unit.local_authority", "required");
    }
    let location = location("unit.location", u.location.as_ref(), v);
    let unit_type = unit_type(u.unit_type)
        .map_err(|e| v.add("unit.unit_type", e))
        .unwrap_or(UnitType::Other);
    if u.bedrooms < 0 {
        v.add("unit.bedrooms", "must not be negative");
    } else if u.bedrooms > MAX_BEDROOMS {
        v.add("unit.bedrooms", format!("must be at most {MAX_BEDROOMS}"));
    }
    if u.max_occupancy < 1 {
        v.add("unit.max_occupancy", "must be at least 1");
    } else if u.max_occupancy > MAX_PEOPLE {
        v.add(
            "unit.max_occupancy",
            format!("must be at most {MAX_PEOPLE}"),
        );
    } else if u.max_occupancy < u.bedrooms {
        v.add(
            "unit.max_occupancy",
            format!("{} is below the {} bedrooms", u.max_occupancy, u.bedrooms),
        );
    }
    let weekly = v.pence("unit.weekly_cost_pence", u.weekly_cost_pence, WEEKLY_COST);
    let nightly = v.pence(
        "unit.nightly_cost_pence",
        u.nightly_cost_pence,
        NIGHTLY_RATE,
    );
    let cost = match (weekly, nightly) {
        (Some(week), Some(night)) if night > Pence::ZERO => {
            if week > Pence::ZERO && night.checked_mul(7) != Ok(week) {
                v.add(
                    "unit.weekly_cost_pence",
                    "a unit paid by the night has no weekly cost of its own: leave it 0",
                );
            }
            Cost::Nightly(night)
        }
        (week, _) => Cost::Weekly(week.unwrap_or_default()),
    };
    v.pence("unit.weekly_rent_pence", u.weekly_rent_pence, WEEKLY_CHARGE);
    v.pence(
        "unit.weekly_service_charge_pence",
        u.weekly_service_charge_pence,
        WEEKLY_CHARGE,
    );
    let mut certificates: Vec<Certificate> = Vec::new();
    for (i, c) in u.certificates.iter().enumerate() {
        let at = format!("unit.certificates[{i}]");
        let (kind, certificate) = checked_certificate(&at, c, v);
        if kind.is_some_and(|kind| certificates.iter().any(|c| c.kind == kind)) {
            v.add(format!("{at}.kind"), "one certificate of each kind");
        }
        certificates.extend(certificate);
    }
    Unit {
        id: Uuid::nil(),
        provider_id,
        address: u.address.trim().to_owned(),
        local_authority: u.local_authority.trim().to_owned(),
        location,
        unit_type,
        bedrooms: u.bedrooms.max(0) as u32,
        max_occupancy: u.max_occupancy.max(0) as u32,
        self_contained: u.self_contained,
        step_free: u.step_free,
        wheelchair_accessible: u.wheelchair_accessible,
        lift: u.lift,
        cost,
        weekly_rent_pence: u.weekly_rent_pence,
        weekly_service_charge_pence: u.weekly_service_charge_pence,
        block_booked: u.block_booked,
        certificates,
    }
}

/// A certificate at the field path `at`: its kind when that is good, and the whole
/// certificate when every part is.
fn checked_certificate(
    at: &str,
    c: &pb::Certificate,
    v: &mut FieldViolations,
) -> (Option<CertificateKind>, Option<Certificate>) {
    let kind = certificate_kind(c.kind)
        .map_err(|e| v.add(format!("{at}.kind"), e))
        .ok();
    let issued = parse_date(&c.issued_on)
        .map_err(|e| v.add(format!("{at}.issued_on"), e))
        .ok();
    let expires = parse_date(&c.expires_on)
        .map_err(|e| v.add(format!("{at}.expires_on"), e))
        .ok();
    let (Some(issued_on), Some(expires_on)) = (issued, expires) else {
        return (kind, None);
    };
    if expires_on <= issued_on {
        v.add(
            format!("{at}.expires_on"),
            format!("{expires_on} is not after the issue date {issued_on}"),
        );
        return (kind, None);
    }
    if issued_on > today() {
        v.add(
            format!("{at}.issued_on"),
            format!("{issued_on} is in the future"),
        );
        return (kind, None);
    }
    (
        kind,
        kind.map(|kind| Certificate {
            kind,
            issued_on,
            expires_on,
        }),
    )
}

impl TryFrom<pb::RenewCertificateRequest> for Renewal {
    type Error = Status;

    fn try_from(r: pb::RenewCertificateRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let unit_id = v.uuid("unit_id", &r.unit_id);
        let certificate = match &r.certificate {
            Some(c) => checked_certificate("certificate", c, &mut v).1,
            None => {
                v.add("certificate", "required");
                None
            }
        };
        let (Some(unit_id), Some(certificate)) = (unit_id, certificate) else {
            return Err(v.into_status());
        };
        v.into_result(Renewal {
            unit_id,
            certificate,
        })
    }
}

impl TryFrom<pb::UpdateUnitRequest> for Update {
    type Error = Status;

    fn try_from(r: pb::UpdateUnitRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let unit_id = v.uuid("unit_id", &r.unit_id);
        v.require("reason", &r.reason, "why the unit changed");
        // The provider and certificates are not changed here: only the rest is checked.
        let unit = match &r.unit {
            Some(wanted) => {
                let mut wanted = wanted.clone();
                wanted.provider_id = Uuid::nil().to_string();
                wanted.certificates.clear();
                Some(checked_unit(&wanted, &mut v))
            }
            None => {
                v.add("unit", "required");
                None
            }
        };
        let (Some(unit_id), Some(mut unit)) = (unit_id, unit) else {
            return Err(v.into_status());
        };
        unit.id = unit_id;
        v.into_result(Update {
            unit,
            reason: r.reason.trim().to_owned(),
        })
    }
}

impl TryFrom<pb::WithdrawUnitRequest> for Withdrawal {
    type Error = Status;

    fn try_from(r: pb::WithdrawUnitRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let unit_id = v.uuid("unit_id", &r.unit_id);
        v.require("reason", &r.reason, "why the unit is no longer used");
        let Some(unit_id) = unit_id else {
            return Err(v.into_status());
        };
        v.into_result(Withdrawal {
            unit_id,
            reason: r.reason.trim().to_owned(),
        })
    }
}

impl TryFrom<pb::ListUnitsRequest> for ListUnits {
    type Error = Status;

    fn try_from(r: pb::ListUnitsRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let after = page_after(&r.page_token, &mut v);
        let provider_id = match r.provider_id.as_str() {
            "" => None,
            id => v.uuid("provider_id", id),
        };
        let compliance = filter_enum(&UNIT_COMPLIANCES, r.compliance, "compliance", &mut v);
        v.into_result(ListUnits {
            provider_id,
            compliance,
            include_withdrawn: r.include_withdrawn,
            after,
            limit: paging::size(r.page_size, PAGE_SIZE, MAX_PAGE_SIZE),
        })
    }
}

pub fn unit_change_proto(h: &HistoryEntry) -> pb::UnitChange {
    pb::UnitChange {
        change: h.change.clone(),
        detail: h.detail.clone(),
        changed_by: h.changed_by.clone(),
        changed_at: Some(timestamp(h.changed_at)),
    }
}

fn unit_type(value: i32) -> Result<UnitType, String> {
    from_proto(&UNIT_TYPES, value).ok_or_else(|| "required: an H-CLIC unit type".into())
}

fn certificate_kind(value: i32) -> Result<CertificateKind, String> {
    from_proto(&CERTIFICATE_KINDS, value).ok_or_else(|| "required: a certificate kind".into())
}

pub fn unit_proto(u: &Unit) -> pb::Unit {
    pb::Unit {
        unit_id: u.id.to_string(),
        provider_id: u.provider_id.to_string(),
        address: u.address.clone(),
        local_authority: u.local_authority.clone(),
        location: Some(pb::Location {
            latitude: u.location.latitude,
            longitude: u.location.longitude,
        }),
        unit_type: unit_type_proto(u.unit_type) as i32,
        bedrooms: u.bedrooms as i32,
        max_occupancy: u.max_occupancy as i32,
        self_contained: u.self_contained,
        step_free: u.step_free,
        wheelchair_accessible: u.wheelchair_accessible,
        lift: u.lift,
        weekly_cost_pence: u.cost.weekly_pence_saturating().get(),
        nightly_cost_pence: u.cost.nightly_pence().unwrap_or_default().get(),
        weekly_rent_pence: u.weekly_rent_pence,
        weekly_service_charge_pence: u.weekly_service_charge_pence,
        block_booked: u.block_booked,
        certificates: u
            .certificates
            .iter()
            .map(|c| pb::Certificate {
                kind: to_proto(&CERTIFICATE_KINDS, c.kind) as i32,
                issued_on: format_date(c.issued_on),
                expires_on: format_date(c.expires_on),
            })
            .collect(),
    }
}

const CONCERN_SOURCES: [(ConcernSource, pb::ConcernSource); 3] = [
    (ConcernSource::Resident, pb::ConcernSource::Resident),
    (ConcernSource::Neighbour, pb::ConcernSource::Neighbour),
    (ConcernSource::Provider, pb::ConcernSource::Provider),
];

const CONCERN_STATUSES: [(ConcernStatus, pb::ConcernStatus); 3] = [
    (ConcernStatus::Open, pb::ConcernStatus::Open),
    (ConcernStatus::Actioned, pb::ConcernStatus::Actioned),
    (ConcernStatus::Escalated, pb::ConcernStatus::Escalated),
];

pub fn concern_source(value: i32) -> Result<ConcernSource, String> {
    from_proto(&CONCERN_SOURCES, value)
        .ok_or_else(|| "required: resident, neighbour or provider".into())
}

/// What an officer may do to a concern: action it or escalate it.
pub fn concern_step(value: i32) -> Result<ConcernStatus, String> {
    match from_proto(&CONCERN_STATUSES, value) {
        Some(s) if s != ConcernStatus::Open => Ok(s),
        _ => Err("required: CONCERN_STATUS_ACTIONED or CONCERN_STATUS_ESCALATED".into()),
    }
}

pub fn concern_proto(c: &Concern) -> pb::Concern {
    pb::Concern {
        concern_id: c.id.to_string(),
        unit_id: c.unit_id.to_string(),
        source: to_proto(&CONCERN_SOURCES, c.source) as i32,
        description: c.description.clone(),
        status: to_proto(&CONCERN_STATUSES, c.status) as i32,
        actions: c
            .actions
            .iter()
            .map(|a| pb::ConcernAction {
                status: to_proto(&CONCERN_STATUSES, a.status) as i32,
                note: a.note.clone(),
                taken_by: a.taken_by.clone(),
                taken_at: Some(timestamp(a.taken_at)),
            })
            .collect(),
    }
}
