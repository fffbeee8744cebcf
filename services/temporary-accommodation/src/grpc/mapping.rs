//! Proto messages to domain values (checking every field) and back.

use housing_platform::errors::FieldViolations;
use housing_platform::money::{MAX_AMOUNT, Pence, Range};
use housing_platform::time::{format_date, format_optional_date, parse_date, timestamp, today};
use housing_proto::accommodation::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use crate::app::invoices::Claimed;
use crate::app::placements::History;
use crate::db::clocks::S208;
use crate::db::concerns::Concern;
use crate::db::invoices::Invoice;
use crate::db::placements::{PlacementRecord, PlacementRequestRecord};
use crate::db::removals::Removal;
use crate::domain::concern::{ConcernSource, ConcernStatus};
use crate::domain::matching::{
    Anchor, AnchorKind, Need, Ranked, ScorePart, constraints_met, score_parts,
};
use crate::domain::placement::{ClosureReason, Duty, PlacementStatus, RemovalKind};
use crate::domain::provider::{Agreement, AgreementKind, Contact, Provider};
use crate::domain::unit::{
    Certificate, CertificateKind, Cost, Location, NIGHTLY_RATE, Unit, UnitType, WEEKLY_CHARGE,
    WEEKLY_COST,
};

/// A household's weekly income: none (0, when not known) up to the most any one amount may
/// be.
const WEEKLY_INCOME: Range = Range::up_to(MAX_AMOUNT);
/// A removal or storage: above zero, up to the most any one amount may be.
const REMOVAL: Range = Range::AMOUNT;
/// An invoice line: what the provider asks for its nights; nothing for a unit it lists with
/// none.
const INVOICE_LINE: Range = Range::up_to(MAX_AMOUNT);

fn location(field: &str, l: Option<&pb::Location>, v: &mut FieldViolations) -> Location {
    let l = l.cloned().unwrap_or_default();
    if !(-90.0..=90.0).contains(&l.latitude)
        || !(-180.0..=180.0).contains(&l.longitude)
        || (l.latitude == 0.0 && l.longitude == 0.0)
    {
        v.add(field, "required: latitude -90..90 and longitude -180..180");
    }
    Location {
        latitude: l.latitude,
        longitude: l.longitude,
    }
}

/// A unit as registered: every bad field named.
/// Far beyond any household or home temporary accommodation sees (a large HMO houses a
/// few dozen), so a typing slip or a hostile number is refused rather than stored.
const MAX_PEOPLE: i32 = 100;
const MAX_BEDROOMS: i32 = 50;

pub fn unit(u: Option<&pb::Unit>) -> Result<Unit, Status> {
    let mut v = FieldViolations::new();
    let Some(u) = u else {
        v.add("unit", "required");
        return Err(v.into_status());
    };
    let provider_id = Uuid::parse_str(&u.provider_id)
        .map_err(|_| v.add("unit.provider_id", "must be a UUID"))
        .unwrap_or_default();
    if u.address.trim().is_empty() {
        v.add("unit.address", "required");
    }
    if u.local_authority.trim().is_empty() {
        v.add("unit.local_authority", "required");
    }
    let location = location("unit.location", u.location.as_ref(), &mut v);
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
        let kind = certificate_kind(c.kind)
            .map_err(|e| v.add(format!("{at}.kind"), e))
            .ok();
        let issued = parse_date(&c.issued_on)
            .map_err(|e| v.add(format!("{at}.issued_on"), e))
            .ok();
        let expires = parse_date(&c.expires_on)
            .map_err(|e| v.add(format!("{at}.expires_on"), e))
            .ok();
        if let (Some(issued), Some(expires)) = (issued, expires) {
            if expires <= issued {
                v.add(
                    format!("{at}.expires_on"),
                    format!("{expires} is not after the issue date {issued}"),
                );
            } else if issued > today() {
                v.add(
                    format!("{at}.issued_on"),
                    format!("{issued} is in the future"),
                );
            }
        }
        if let Some(kind) = kind {
            if certificates.iter().any(|c| c.kind == kind) {
                v.add(format!("{at}.kind"), "one certificate of each kind");
            }
            if let (Some(issued_on), Some(expires_on)) = (issued, expires) {
                certificates.push(Certificate {
                    kind,
                    issued_on,
                    expires_on,
                });
            }
        }
    }
    v.into_result(Unit {
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
    })
}

pub fn placement_request(
    r: Option<&pb::PlacementRequest>,
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
    if r.lead_name.trim().is_empty() {
        v.add("placement_request.lead_name", "required");
    }
    if r.household_size < 1 {
        v.add("placement_request.household_size", "must be at least 1");
    } else if r.household_size > MAX_PEOPLE {
        v.add(
            "placement_request.household_size",
            format!("must be at most {MAX_PEOPLE}"),
        );
    }
    if r.bedrooms_needed < 0 {
        v.add("placement_request.bedrooms_needed", "must not be negative");
    } else if r.bedrooms_needed > r.household_size.max(1) {
        v.add(
            "placement_request.bedrooms_needed",
            "more bedrooms than people",
        );
    }
    let duty = match pb::DutyType::try_from(r.duty) {
        Ok(pb::DutyType::Interim) => Duty::Interim,
        Ok(pb::DutyType::Main) => Duty::Main,
        _ => {
            v.add(
                "placement_request.duty",
                "required: DUTY_TYPE_INTERIM or DUTY_TYPE_MAIN",
            );
            Duty::Interim
        }
    };
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
    })
}

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
        duty: match r.duty {
            Duty::Interim => pb::DutyType::Interim,
            Duty::Main => pb::DutyType::Main,
        } as i32,
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
    }
}

/// The domain value for a proto enum number, from a table of pairs.
fn from_proto<D: Copy, P: Copy + Into<i32>>(table: &[(D, P)], value: i32) -> Option<D> {
    table
        .iter()
        .find(|(_, p)| (*p).into() == value)
        .map(|(d, _)| *d)
}

/// The proto enum for a domain value; the tables cover every domain value.
fn to_proto<D: Copy + PartialEq + std::fmt::Debug, P: Copy>(table: &[(D, P)], value: D) -> P {
    table
        .iter()
        .find(|(d, _)| *d == value)
        .map(|(_, p)| *p)
        .unwrap_or_else(|| panic!("{value:?} has no proto value"))
}

const ANCHOR_KINDS: [(AnchorKind, pb::AnchorKind); 4] = [
    (AnchorKind::School, pb::AnchorKind::School),
    (AnchorKind::Work, pb::AnchorKind::Work),
    (AnchorKind::Care, pb::AnchorKind::Care),
    (AnchorKind::MedicalSupport, pb::AnchorKind::MedicalSupport),
];

const AGREEMENT_KINDS: [(AgreementKind, pb::AgreementKind); 3] = [
    (AgreementKind::BlockBooking, pb::AgreementKind::BlockBooking),
    (AgreementKind::SpotPurchase, pb::AgreementKind::SpotPurchase),
    (AgreementKind::Lease, pb::AgreementKind::Lease),
];

/// An agreement as proposed: every bad field named.
pub fn agreement(a: Option<&pb::Agreement>) -> Result<Agreement, Status> {
    let mut v = FieldViolations::new();
    let a = a.cloned().unwrap_or_default();
    let kind = from_proto(&AGREEMENT_KINDS, a.kind).unwrap_or_else(|| {
        v.add("agreement.kind", "block booking, spot purchase or lease");
        AgreementKind::SpotPurchase
    });
    v.require(
        "agreement.reference",
        &a.reference,
        "the agreement's reference",
    );
    let starts_on = v.date("agreement.starts_on", &a.starts_on);
    let ends_on = v.date("agreement.ends_on", &a.ends_on);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e <= s
    {
        v.add(
            "agreement.ends_on",
            format!("{e} is not after the start {s}"),
        );
    }
    v.into_result(Agreement {
        id: Uuid::nil(),
        kind,
        reference: a.reference.trim().to_owned(),
        starts_on: starts_on.unwrap_or_default(),
        ends_on: ends_on.unwrap_or_default(),
    })
}

/// A provider's contacts: each named, each reachable by email or phone.
pub fn contacts(contacts: &[pb::Contact], v: &mut FieldViolations) -> Vec<Contact> {
    for (i, c) in contacts.iter().enumerate() {
        v.require(&format!("contacts[{i}].name"), &c.name, "who to ask for");
        if c.email.trim().is_empty() && c.phone.trim().is_empty() {
            v.add(
                format!("contacts[{i}]"),
                "an email address or a phone number",
            );
        } else if !c.email.is_empty() && !c.email.contains('@') {
            v.add(format!("contacts[{i}].email"), "must be an email address");
        }
    }
    contacts
        .iter()
        .map(|c| Contact {
            name: c.name.trim().to_owned(),
            role: c.role.trim().to_owned(),
            email: c.email.trim().to_owned(),
            phone: c.phone.trim().to_owned(),
        })
        .collect()
}

pub fn provider_proto(p: &Provider) -> pb::Provider {
    pb::Provider {
        provider_id: p.id.to_string(),
        name: p.name.clone(),
        contact_email: p.contact_email.clone(),
        landlord: p.landlord,
        contacts: p
            .contacts
            .iter()
            .map(|c| pb::Contact {
                name: c.name.clone(),
                role: c.role.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
            })
            .collect(),
        agreements: p
            .agreements
            .iter()
            .map(|a| pb::Agreement {
                agreement_id: a.id.to_string(),
                kind: to_proto(&AGREEMENT_KINDS, a.kind) as i32,
                reference: a.reference.clone(),
                starts_on: format_date(a.starts_on),
                ends_on: format_date(a.ends_on),
            })
            .collect(),
    }
}

const UNIT_TYPES: [(UnitType, pb::UnitType); 6] = [
    (UnitType::BedAndBreakfast, pb::UnitType::BedAndBreakfast),
    (
        UnitType::NightlyPaidSelfContained,
        pb::UnitType::NightlyPaidSelfContained,
    ),
    (UnitType::Hostel, pb::UnitType::Hostel),
    (
        UnitType::PrivateSectorLeased,
        pb::UnitType::PrivateSectorLeased,
    ),
    (
        UnitType::SocialHousingStock,
        pb::UnitType::SocialHousingStock,
    ),
    (UnitType::Other, pb::UnitType::Other),
];

fn unit_type(value: i32) -> Result<UnitType, String> {
    from_proto(&UNIT_TYPES, value).ok_or_else(|| "required: an H-CLIC unit type".into())
}

pub fn unit_type_proto(t: UnitType) -> pb::UnitType {
    to_proto(&UNIT_TYPES, t)
}

const CERTIFICATE_KINDS: [(CertificateKind, pb::CertificateKind); 5] = [
    (CertificateKind::GasSafety, pb::CertificateKind::GasSafety),
    (CertificateKind::Electrical, pb::CertificateKind::Electrical),
    (
        CertificateKind::EnergyPerformance,
        pb::CertificateKind::EnergyPerformance,
    ),
    (CertificateKind::HmoLicence, pb::CertificateKind::HmoLicence),
    (
        CertificateKind::FireRiskAssessment,
        pb::CertificateKind::FireRiskAssessment,
    ),
];

fn certificate_kind(value: i32) -> Result<CertificateKind, String> {
    from_proto(&CERTIFICATE_KINDS, value).ok_or_else(|| "required: a certificate kind".into())
}

pub fn certificate_kind_proto(kind: CertificateKind) -> pb::CertificateKind {
    to_proto(&CERTIFICATE_KINDS, kind)
}

const REMOVAL_KINDS: [(RemovalKind, pb::RemovalKind); 2] = [
    (RemovalKind::Removal, pb::RemovalKind::Removal),
    (RemovalKind::Storage, pb::RemovalKind::Storage),
];

pub fn removal_kind(value: i32) -> Result<RemovalKind, String> {
    from_proto(&REMOVAL_KINDS, value)
        .ok_or_else(|| "required: REMOVAL_KIND_REMOVAL or REMOVAL_KIND_STORAGE".into())
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

/// An invoice as a provider sent it, for `submitted_by`, and its lines: every bad field
/// named.
pub fn invoice(
    r: &pb::SubmitInvoiceRequest,
    submitted_by: &str,
) -> Result<(Invoice, Vec<Claimed>), Status> {
    let mut v = FieldViolations::new();
    let provider_id = v.uuid("provider_id", &r.provider_id);
    v.require(
        "provider_reference",
        &r.provider_reference,
        "the provider's invoice number",
    );
    let start = v.date("period_start", &r.period_start);
    let end = v.date("period_end", &r.period_end);
    let period = match (start, end) {
        (Some(s), Some(e)) if e <= s => {
            v.add(
                "period_end",
                format!("{e} is not after the period start {s}"),
            );
            0
        }
        (Some(s), Some(e)) => e.signed_duration_since(s).num_days(),
        _ => 0,
    };
    if r.lines.is_empty() {
        v.add("lines", "required: at least one unit");
    }
    let mut claimed = Vec::new();
    for (i, l) in r.lines.iter().enumerate() {
        let unit_id = v.uuid(&format!("lines[{i}].unit_id"), &l.unit_id);
        if l.nights < 0 || i64::from(l.nights) > period {
            v.add(
                format!("lines[{i}].nights"),
                format!("must be between 0 and the {period} nights of the period"),
            );
        }
        let amount = v.pence(
            &format!("lines[{i}].amount_pence"),
            l.amount_pence,
            INVOICE_LINE,
        );
        if let (Some(unit_id), Some(amount)) = (unit_id, amount) {
            claimed.push(Claimed {
                unit_id,
                nights: l.nights.into(),
                amount,
            });
        }
    }
    let (Some(provider_id), Some(period_start), Some(period_end)) = (provider_id, start, end)
    else {
        return Err(v.into_status());
    };
    let invoice = Invoice {
        id: Uuid::nil(),
        provider_id,
        provider_reference: r.provider_reference.trim().to_owned(),
        period_start,
        period_end,
        lines: vec![],
        submitted_by: submitted_by.to_owned(),
        approved_by: None,
        approved_at: None,
        approved_amount_pence: None,
    };
    v.into_result((invoice, claimed))
}

/// The invoice as a reply; one whose stored sums overflow says so.
pub fn invoice_proto(i: &Invoice) -> Result<pb::Invoice, Status> {
    let (invoiced, expected) = i.totals().map_err(|_| {
        Status::failed_precondition(format!(
            "invoice {} comes to more than can be counted",
            i.id
        ))
    })?;
    Ok(pb::Invoice {
        invoice_id: i.id.to_string(),
        provider_id: i.provider_id.to_string(),
        provider_reference: i.provider_reference.clone(),
        period_start: format_date(i.period_start),
        period_end: format_date(i.period_end),
        lines: i
            .lines
            .iter()
            .map(|l| pb::InvoiceLine {
                unit_id: l.unit_id.to_string(),
                nights: l.reconciled.invoiced_nights as i32,
                amount_pence: l.reconciled.invoiced_pence.get(),
                occupied_nights: l.reconciled.occupied_nights as i32,
                expected_pence: l.reconciled.expected_pence.get(),
                difference: l.reconciled.difference().unwrap_or_default(),
            })
            .collect(),
        invoiced_pence: invoiced.get(),
        expected_pence: expected.get(),
        submitted_by: i.submitted_by.clone(),
        approved_by: i.approved_by.clone().unwrap_or_default(),
        approved_amount_pence: i.approved_amount_pence.unwrap_or_default(),
    })
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

const CLOSURE_REASONS: [(ClosureReason, pb::ClosureReason); 7] = [
    (
        ClosureReason::DutyDischargedFinalOfferAccepted,
        pb::ClosureReason::DutyDischargedFinalOfferAccepted,
    ),
    (
        ClosureReason::DutyDischargedFinalOfferRefused,
        pb::ClosureReason::DutyDischargedFinalOfferRefused,
    ),
    (
        ClosureReason::PrivateRentedOffer,
        pb::ClosureReason::PrivateRentedOffer,
    ),
    (
        ClosureReason::AbandonmentVerified,
        pb::ClosureReason::AbandonmentVerified,
    ),
    (
        ClosureReason::AntiSocialBehaviour,
        pb::ClosureReason::AntiSocialBehaviour,
    ),
    (ClosureReason::Arrears, pb::ClosureReason::Arrears),
    (ClosureReason::MovedOut, pb::ClosureReason::MovedOut),
];

pub fn closure_reason(value: i32) -> Result<ClosureReason, String> {
    from_proto(&CLOSURE_REASONS, value).ok_or_else(|| "required: a closure reason".into())
}

pub fn closure_reason_proto(r: ClosureReason) -> pb::ClosureReason {
    to_proto(&CLOSURE_REASONS, r)
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
